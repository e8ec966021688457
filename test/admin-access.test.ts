import { env } from 'cloudflare:workers';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callWithEnv, expectOAuthError, unique } from './helpers';

const TEAM = 'edgecase-test.cloudflareaccess.com';
const AUD = 'access-application-aud-tag';
const CERTS = `https://${TEAM}/cdn-cgi/access/certs`;
const accessEnv = { CF_ACCESS_TEAM_DOMAIN: TEAM, CF_ACCESS_AUD: AUD };

const teamKeys = await generateKeyPair('RS256');
const strangerKeys = await generateKeyPair('RS256');
const jwks = {
  keys: [{ ...(await exportJWK(teamKeys.publicKey)), kid: 'team-key', alg: 'RS256' }],
};

// The team's key set is served locally: the Worker's own fetch of the certs URL is answered
// here, never sent to the network.
const realFetch = globalThis.fetch;
const certsRequests: string[] = [];
beforeAll(() => {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url === CERTS) {
      certsRequests.push(url);
      return Response.json(jwks);
    }
    return realFetch(input, init);
  });
});
afterAll(() => {
  vi.restoreAllMocks();
});

async function assertion(
  claims: Record<string, unknown> = {},
  key = teamKeys.privateKey,
  kid = 'team-key',
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    email: 'ada@example.com',
    iss: `https://${TEAM}`,
    aud: [AUD],
    iat: now,
    exp: now + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid })
    .sign(key);
}

function adminCall(path: string, init: RequestInit, overrides: Partial<Cloudflare.Env> = {}) {
  return callWithEnv({ ...accessEnv, ...overrides }, `/admin/v1${path}`, init);
}

const operatorBody = () => ({
  operatorID: unique('AccessOp'),
  name: 'Made through Access',
  accessGroup: { name: 'A:B', privileges: ['cases:read'], caseTypes: ['*'], caseVisibility: 'own' },
});

describe('Cloudflare Access for the admin API', () => {
  it("accepts a valid assertion and names the admin's email in the audit log", async () => {
    const body = operatorBody();
    const response = await adminCall('/operators', {
      method: 'POST',
      headers: { 'Cf-Access-Jwt-Assertion': await assertion(), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    const audit = await adminCall('/audit?limit=1', {
      headers: { 'Cf-Access-Jwt-Assertion': await assertion() },
    });
    const { events } = await audit.json<{ events: { actor: string; targetId: string }[] }>();
    expect(events[0]).toMatchObject({ actor: 'ada@example.com', targetId: body.operatorID });
  });

  it('names a service token by its common name', async () => {
    const token = await assertion({ email: undefined, common_name: 'ci-deployer.access' });
    const body = operatorBody();
    await adminCall('/operators', {
      method: 'POST',
      headers: { 'Cf-Access-Jwt-Assertion': token, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const row = await env.DB.prepare('SELECT actor FROM audit_log WHERE target_id = ?')
      .bind(body.operatorID)
      .first();
    expect(row).toEqual({ actor: 'service-token:ci-deployer.access' });
  });

  it('refuses assertions that are expired, for another application or team, or signed by a stranger', async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad = [
      await assertion({ exp: now - 10, iat: now - 700 }),
      await assertion({ aud: ['another-application'] }),
      await assertion({ iss: 'https://other-team.cloudflareaccess.com' }),
      await assertion({}, strangerKeys.privateKey),
      await assertion({}, strangerKeys.privateKey, 'unknown-kid'),
      'not-a-jwt',
    ];
    for (const token of bad) {
      const response = await adminCall('/operators', {
        headers: { 'Cf-Access-Jwt-Assertion': token },
      });
      await expectOAuthError(response, 401, 'invalid_token');
    }
  });

  it('caches the team key set instead of fetching it for every request', async () => {
    const before = certsRequests.length;
    for (let i = 0; i < 3; i += 1) {
      const response = await adminCall('/operators', {
        headers: { 'Cf-Access-Jwt-Assertion': await assertion() },
      });
      expect(response.status).toBe(200);
    }
    expect(certsRequests.length - before).toBeLessThanOrEqual(1);
  });

  it('serves Access alone when ADMIN_TOKEN is unset, and refuses a bearer then', async () => {
    const withoutToken = { ADMIN_TOKEN: undefined };
    const viaAccess = await adminCall(
      '/operators',
      { headers: { 'Cf-Access-Jwt-Assertion': await assertion() } },
      withoutToken,
    );
    expect(viaAccess.status).toBe(200);
    const viaBearer = await adminCall(
      '/operators',
      { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } },
      withoutToken,
    );
    await expectOAuthError(viaBearer, 401, 'invalid_token');
  });

  it('ignores assertions where Access is not configured', async () => {
    const response = await adminCall(
      '/operators',
      { headers: { 'Cf-Access-Jwt-Assertion': await assertion() } },
      { CF_ACCESS_TEAM_DOMAIN: undefined, CF_ACCESS_AUD: undefined },
    );
    await expectOAuthError(response, 401, 'invalid_token');
  });

  it('still accepts ADMIN_TOKEN beside Access', async () => {
    const response = await adminCall('/operators', {
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
  });
});

describe('Cloudflare Access for the console', () => {
  it('opens console pages with a valid assertion, and names the email in the audit log', async () => {
    const page = await callWithEnv({ ...accessEnv }, '/admin/operators', {
      headers: { 'Cf-Access-Jwt-Assertion': await assertion() },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Operators</h1>');
    const body = new URLSearchParams({
      operatorID: unique('ConsoleAccess'),
      name: 'Through Access',
      groupName: 'A:B',
      privileges: 'cases:read',
      caseTypes: '*',
      caseVisibility: 'own',
    });
    const created = await callWithEnv({ ...accessEnv }, '/admin/operators/new', {
      method: 'POST',
      headers: {
        'Cf-Access-Jwt-Assertion': await assertion(),
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'https://edgecase.test',
      },
      body,
    });
    expect(created.status).toBe(303);
    const row = await env.DB.prepare('SELECT actor FROM audit_log WHERE target_id = ?')
      .bind(body.get('operatorID'))
      .first<{ actor: string }>();
    expect(row?.actor).toBe('ada@example.com');
  });

  it('sends anyone without a valid assertion or session to the sign-in page', async () => {
    const stranger = await assertion({}, strangerKeys.privateKey);
    const attempts: Record<string, string>[] = [{}, { 'Cf-Access-Jwt-Assertion': stranger }];
    for (const headers of attempts) {
      const response = await callWithEnv({ ...accessEnv }, '/admin/clients', { headers });
      expect(response.status).toBe(303);
      expect(response.headers.get('Location')).toBe('/admin/sign-in');
    }
  });
});
