import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { registerDemoClient } from './admin';

interface NewmanSummary {
  run: {
    failures: { error: { message: string }; source?: { name?: string } }[];
    stats: { assertions: { total: number; failed: number }; requests: { total: number } };
    executions: { item: { name: string }; response?: { code: number } }[];
  };
}
type NewmanRun = (
  options: Record<string, unknown>,
  callback: (error: Error | null, summary: NewmanSummary) => void,
) => void;

const newman = createRequire(import.meta.url)('newman') as { run: NewmanRun };
const postman = resolve(import.meta.dirname, '../../postman');
const { url, adminToken } = inject('devServer');

function runCollection(variables: Record<string, string>): Promise<NewmanSummary> {
  return new Promise((done, fail) => {
    newman.run(
      {
        collection: `${postman}/edgecase.postman_collection.json`,
        environment: `${postman}/edgecase.postman_environment.json`,
        envVar: Object.entries(variables).map(([key, value]) => ({ key, value })),
        reporters: [],
      },
      (error, summary) => (error ? fail(error) : done(summary)),
    );
  });
}

describe('the shipped Postman collection, run by newman', () => {
  it('registers a client, gets a token, creates the seed case and works it to Resolved-Completed, then a street repair through a stage and an optional process, followed, tagged, and a data record', async () => {
    const summary = await runCollection({ baseUrl: url, adminToken });
    expect(
      summary.run.failures.map((failure) => `${failure.source?.name}: ${failure.error.message}`),
    ).toEqual([]);
    expect(summary.run.executions.map((execution) => execution.response?.code)).toEqual([
      201, 200, 201, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201, 200, 200, 200, 201, 200, 200,
      200, 201, 201, 200, 201, 200,
    ]);
    expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(17);
  });

  it('uses clientId and clientSecret when they are already set, registering nothing', async () => {
    const client = await registerDemoClient(url, adminToken);
    const summary = await runCollection({
      baseUrl: url,
      adminToken: 'not-needed-when-credentials-are-set',
      clientId: client.clientID,
      clientSecret: client.clientSecret,
    });
    expect(summary.run.failures).toEqual([]);
    expect(summary.run.executions.map((execution) => execution.item.name)).toEqual([
      '2. Get an access token',
      '3. Create the city-services case',
      '4. Read the case back',
      '5. The worklist',
      '6. Open the assignment',
      "7. The assignment's form",
      '8. Submit the request',
      '9. Open the review',
      '10. Approve',
      '11. Case information',
      '12. The resolved case',
      '13. DX API v2: create a case',
      '14. DX API v2: perform the first step',
      '15. DX API v2: perform the review',
      '16. DX API v2: the case list data view',
      '17. DX API v2: report a street repair (a life cycle of stages)',
      '18. DX API v2: start the optional process Escalate',
      '19. DX API v2: move the repair to its next stage',
      '20. DX API v2: work the escalation',
      '21. DX API v2: follow the repair',
      '22. DX API v2: tag the repair',
      "23. DX API v2: the repair's tags",
      '24. DX API v2: add a severity record',
      '25. DX API v2: read the record through its list view',
    ]);
  });
});
