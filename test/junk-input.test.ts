import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  type ApiCaller,
  apiCaller,
  casePath,
  createCase,
  defineCaseType,
  fetchWorker,
  ORIGIN,
  registerClient,
  rowCounts,
  type TestClient,
} from './helpers';

// Property-based: whatever arrives, the Worker answers below 500, hands out no token, and a
// refusal changes no row. Runs are bounded so the suite stays quick.
const RUNS = 60;

async function tokenRecords() {
  return (await env.TOKENS.list({ prefix: 'at:' })).keys.length;
}

const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/json',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded; charset=utf-16',
    '',
  ),
  fc.string({ maxLength: 40 }),
);
const junkText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json(),
  fc.constantFrom(
    'grant_type=client_credentials',
    'grant_type=client_credentials&client_id=&client_secret=',
    '{}',
    '[]',
    'null',
  ),
);
const junkForm = fc
  .dictionary(
    fc.oneof(
      fc.constantFrom(
        'grant_type',
        'client_id',
        'client_secret',
        'scope',
        'resource',
        'token',
        'token_type_hint',
      ),
      fc.string({ maxLength: 12 }),
    ),
    fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('client_credentials', 'password', 'cases:read', ''),
    ),
  )
  .map((params) => new URLSearchParams(params).toString());
const junkAuthorization = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 80 }),
  fc.string({ maxLength: 60 }).map((value) => `Basic ${value}`),
  fc.string({ maxLength: 60 }).map((value) => `Bearer ${value}`),
  fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([id, secret]) => {
    try {
      return `Basic ${btoa(`${id}:${secret}`)}`;
    } catch {
      return 'Basic %';
    }
  }),
);
/** A header value that fetch will accept (no control characters). */
const headerSafe = (value: string | undefined) =>
  value === undefined ? undefined : value.replace(/[^\x20-\x7e]/g, '');

function send(
  path: string,
  method: string,
  body: string | undefined,
  headers: Record<string, string | undefined>,
) {
  const clean = Object.fromEntries(
    Object.entries(headers)
      .map(([name, value]) => [name, headerSafe(value)])
      .filter(([, value]) => value !== undefined),
  ) as Record<string, string>;
  return fetchWorker(`${ORIGIN}${path}`, {
    method,
    headers: clean,
    ...(body !== undefined && method !== 'GET' && { body }),
  });
}

let caller: ApiCaller;
let known: TestClient;
let caseId: string;
beforeAll(async () => {
  await defineCaseType();
  caller = await apiCaller();
  known = await registerClient();
  caseId = (await createCase(caller)).ID;
});

// A fixed number of requests each, every answer also checked against the OpenAPI document:
// on a loaded 2-core machine that takes longer than vitest's default 5 s.
describe('junk input never breaks the Worker', { timeout: 60_000 }, () => {
  it('token endpoint: no 5xx, no token, nothing written', async () => {
    const records = await tokenRecords();
    const rows = await rowCounts();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(junkText, junkForm),
        contentTypes,
        junkAuthorization,
        async (body, type, auth) => {
          const response = await send('/oauth2/v1/token', 'POST', body, {
            'Content-Type': type,
            Authorization: auth,
          });
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(await response.text()).not.toContain('access_token');
        },
      ),
      { numRuns: RUNS * 2 },
    );
    expect(await tokenRecords()).toBe(records);
    expect(await rowCounts()).toEqual(rows);
  });

  it('introspection and revocation: no 5xx for any token or form, and no token record lost', async () => {
    const records = await tokenRecords();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/oauth2/v1/token/introspect', '/oauth2/v1/revoke'),
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.constant(caller.token.slice(0, -3)),
          fc.constant(`${caller.token}x`),
        ),
        fc.boolean(),
        junkForm,
        async (path, token, authenticated, extra) => {
          const body = authenticated
            ? new URLSearchParams({
                token,
                client_id: known.clientID,
                client_secret: known.clientSecret,
              }).toString()
            : `${extra}&token=${encodeURIComponent(token)}`;
          const response = await send(path, 'POST', body, {
            'Content-Type': 'application/x-www-form-urlencoded',
          });
          expect(response.status).toBeLessThan(500);
          if (authenticated && response.status === 200 && path.endsWith('introspect')) {
            expect(await response.json()).toEqual({ active: false });
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(await tokenRecords()).toBe(records);
  });

  it('case API: no 5xx for any body, content type or ID, and a refusal writes no case', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          junkText,
          fc
            .record({
              caseTypeID: fc.oneof(
                fc.string({ maxLength: 50 }),
                fc.constant('Cnow-connectnow-Work-CityServicesRequest'),
              ),
              processID: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
              content: fc.oneof(
                fc.dictionary(fc.string({ maxLength: 15 }), fc.jsonValue()),
                fc.jsonValue(),
              ),
            })
            .map((value) => JSON.stringify(value)),
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', ''),
        fc.constantFrom('POST /cases', 'PUT /case', 'GET /case', 'GET /list', 'GET /other'),
        fc.oneof(fc.string({ maxLength: 40 }), fc.constant(caseId)),
        fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
        async (body, type, route, id, ifMatch) => {
          const rows = await rowCounts();
          const [method, target] = route.split(' ') as [string, string];
          const path = {
            '/cases': '/api/v1/cases',
            '/case': `/api/v1${casePath(id)}`,
            '/list': `/api/v1/cases?limit=${encodeURIComponent(id)}&cursor=${encodeURIComponent(id)}`,
            '/other': `/api/v1/casetypes/${encodeURIComponent(id)}`,
          }[target] as string;
          const response = await send(path, method, body, {
            Authorization: `Bearer ${caller.token}`,
            'Content-Type': type,
            'If-Match': ifMatch,
          });
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) expect(await rowCounts()).toEqual(rows);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('admin API: no 5xx for any body, and a refusal writes no row and no audit entry', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'POST /operators',
          'PATCH /operators/x',
          'POST /clients',
          'PATCH /clients/x',
          'POST /clients/x/secret',
          'POST /casetypes',
          'PUT /casetypes/x',
          'GET /audit?cursor=x',
          'GET /clients?limit=x',
        ),
        fc.oneof(
          junkText,
          fc
            .dictionary(
              fc.constantFrom(
                'operatorID',
                'name',
                'accessGroup',
                'scopes',
                'enabled',
                'tokensPerHour',
                'graceSeconds',
                'ID',
                'fields',
                'idPrefix',
              ),
              fc.jsonValue(),
            )
            .map((value) => JSON.stringify(value)),
        ),
        fc.oneof(fc.string({ maxLength: 30 }), fc.constant(known.clientID)),
        async (route, body, id) => {
          const rows = await rowCounts();
          const [method, template] = route.split(' ') as [string, string];
          const path = `/admin/v1${template.replace('/x', `/${encodeURIComponent(id)}`).replace('=x', `=${encodeURIComponent(id)}`)}`;
          const response = await send(path, method, body, {
            Authorization: `Bearer ${ADMIN_TOKEN}`,
            'Content-Type': 'application/json',
          });
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) expect(await rowCounts()).toEqual(rows);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('any path and method: no 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
        fc.oneof(
          fc.webPath(),
          fc.string({ maxLength: 60 }).map((value) => `/${encodeURIComponent(value)}`),
          fc.constantFrom(
            '/api/v1/',
            '/oauth2/v1/',
            '/admin/v1/',
            '/prweb/api/v1/cases/%',
            '/.well-known/',
          ),
        ),
        async (method, path) => {
          const response = await send(
            path.startsWith('/') ? path : `/${path}`,
            method,
            undefined,
            {},
          );
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('deeply nested JSON (security review 3)', () => {
  const DEPTH = 5_000;
  const bodies = {
    arrays: `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`,
    objects: `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`,
    // Brackets inside a string are text, not nesting: this one parses and is judged by its schema.
    inString: JSON.stringify({ content: { RequestDetail: '['.repeat(DEPTH) } }),
  };

  it("is a 400 on every JSON route, in its family's body, and writes nothing", async () => {
    const assignmentId = `ASSIGN-WORKLIST ${caseId}!PYSTARTCASE`;
    const { etag } = await fetchWorker(`${ORIGIN}/api/v1${casePath(caseId)}`, {
      headers: { Authorization: `Bearer ${caller.token}` },
    }).then((response) => ({ etag: response.headers.get('ETag') as string }));
    const bearer = { Authorization: `Bearer ${caller.token}`, 'If-Match': etag };
    const adminAuth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const v2 = '/prweb/api/application/v2';
    const routes: [string, string, Record<string, string>, 'pega' | 'dx' | 'oauth'][] = [
      ['POST', '/api/v1/cases', bearer, 'pega'],
      ['PUT', `/api/v1${casePath(caseId)}`, bearer, 'pega'],
      [
        'POST',
        `/api/v1/assignments/${encodeURIComponent(assignmentId)}?actionID=SubmitRequest`,
        bearer,
        'pega',
      ],
      ['POST', `/api/v1${casePath(caseId)}/attachments`, bearer, 'pega'],
      ['POST', `${v2}/cases`, bearer, 'dx'],
      ['PATCH', `${v2}${casePath(caseId)}/actions/pyUpdateCaseDetails`, bearer, 'dx'],
      [
        'PATCH',
        `${v2}/assignments/${encodeURIComponent(assignmentId)}/actions/SubmitRequest`,
        bearer,
        'dx',
      ],
      [
        'PATCH',
        `${v2}/assignments/${encodeURIComponent(assignmentId)}/actions/SubmitRequest/refresh`,
        bearer,
        'dx',
      ],
      ['POST', `${v2}${casePath(caseId)}/attachments`, bearer, 'dx'],
      ['POST', `${v2}/data_views/D_pyMyWorkList`, bearer, 'dx'],
      ['POST', `${v2}/data_views/D_pyMyWorkList/count`, bearer, 'dx'],
      ['POST', '/admin/v1/operators', adminAuth, 'oauth'],
      ['PATCH', '/admin/v1/operators/x', adminAuth, 'oauth'],
      ['POST', '/admin/v1/clients', adminAuth, 'oauth'],
      ['PATCH', `/admin/v1/clients/${known.clientID}`, adminAuth, 'oauth'],
      ['POST', `/admin/v1/clients/${known.clientID}/secret`, adminAuth, 'oauth'],
      ['POST', '/admin/v1/casetypes', adminAuth, 'oauth'],
      ['PUT', '/admin/v1/casetypes/Cnow-connectnow-Work-CityServicesRequest', adminAuth, 'oauth'],
    ];
    for (const [method, path, headers, family] of routes) {
      for (const body of [bodies.arrays, bodies.objects]) {
        const rows = await rowCounts();
        const response = await send(path, method, body, {
          ...headers,
          'Content-Type': 'application/json',
        });
        expect(response.status, `${method} ${path}`).toBe(400);
        const answer = await response.json<Record<string, unknown>>();
        const said = JSON.stringify(answer);
        expect(said, `${method} ${path}`).toContain('deeper than 32 levels');
        if (family === 'oauth') expect(answer).toMatchObject({ error: 'invalid_request' });
        if (family === 'pega') {
          expect(answer).toMatchObject({ errors: [{ ID: 'Pega_API_001' }] });
        }
        if (family === 'dx') expect(answer).toHaveProperty('errorDetails');
        expect(await rowCounts()).toEqual(rows);
      }
    }
    // Deep brackets in a string value are only text.
    const text = await send(`/api/v1${casePath(caseId)}`, 'PUT', bodies.inString, {
      ...bearer,
      'Content-Type': 'application/json',
    });
    expect(text.status).toBe(400);
    expect(JSON.stringify(await text.json())).not.toContain('deeper than');
  });
});
