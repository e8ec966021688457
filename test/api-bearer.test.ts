import { beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  admin,
  api,
  apiCaller,
  call,
  countRows,
  defineCaseType,
  expectPegaError,
  issueToken,
  ORIGIN,
  seedCase,
} from './helpers';
import { mintToken, recordMintedToken, unsignedToken } from './tokens';

const REALM = `Bearer realm="edgecase", resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/api/v1"`;

beforeAll(async () => {
  await defineCaseType();
});

/** Every refusal: the handler never ran, so no case was written. */
async function expectRefusedCreate(
  request: () => Promise<Response>,
  status: number,
  id: string,
  challenge: RegExp | string,
) {
  const before = await countRows('cases');
  const response = await request();
  await expectPegaError(response, status, id);
  const header = response.headers.get('WWW-Authenticate') ?? '';
  if (typeof challenge === 'string') expect(header).toBe(challenge);
  else expect(header).toMatch(challenge);
  expect(response.headers.get('Location')).toBeNull();
  expect(response.headers.get('ETag')).toBeNull();
  expect(await countRows('cases')).toBe(before);
}

describe('bearer middleware (RFC 6750)', () => {
  it('answers a missing Authorization header with 401 and the bare challenge', async () => {
    await expectRefusedCreate(
      () => api('POST', '/cases', undefined, seedCase),
      401,
      'unauthorized',
      REALM,
    );
  });

  it('answers another scheme with 401 and the bare challenge', async () => {
    const caller = await apiCaller();
    await expectRefusedCreate(
      () =>
        api('POST', '/cases', undefined, seedCase, {
          Authorization: `Basic ${btoa(`${caller.clientID}:${caller.clientSecret}`)}`,
        }),
      401,
      'unauthorized',
      REALM,
    );
  });

  it('answers a malformed header with 400 invalid_request', async () => {
    for (const authorization of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer ???']) {
      await expectRefusedCreate(
        () => api('POST', '/cases', undefined, seedCase, { Authorization: authorization }),
        400,
        'invalid_request',
        /error="invalid_request"/,
      );
    }
  });

  it('refuses a token in the query string with 400, even beside a valid header', async () => {
    const caller = await apiCaller();
    await expectRefusedCreate(
      () => api('POST', `/cases?access_token=${caller.token}`, caller.token, seedCase),
      400,
      'invalid_request',
      /error="invalid_request"/,
    );
  });

  it('refuses a token in a form body with 400', async () => {
    const caller = await apiCaller();
    await expectRefusedCreate(
      () =>
        call('/api/v1/cases', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `access_token=${caller.token}`,
        }),
      400,
      'invalid_request',
      /error="invalid_request"/,
    );
  });

  it('answers every kind of bad token with 401 invalid_token', async () => {
    const caller = await apiCaller();
    const now = Math.floor(Date.now() / 1000);
    const flawed = [
      await mintToken({ clientId: caller.clientID, operator: caller.operatorID, foreignKey: true }),
      await mintToken({
        clientId: caller.clientID,
        operator: caller.operatorID,
        kid: 'unknown-kid',
      }),
      await mintToken({
        clientId: caller.clientID,
        operator: caller.operatorID,
        claims: { iat: now - 700, exp: now - 60 },
      }),
      await mintToken({ clientId: caller.clientID, operator: caller.operatorID, typ: 'JWT' }),
      await mintToken({
        clientId: caller.clientID,
        operator: caller.operatorID,
        claims: { aud: `${AUDIENCE}/other` },
      }),
      await mintToken({
        clientId: caller.clientID,
        operator: caller.operatorID,
        claims: { iss: 'https://evil.example' },
      }),
    ];
    for (const { token, jti } of flawed) {
      await recordMintedToken(caller.clientID, jti, caller.operatorID);
      await expectRefusedCreate(
        () => api('POST', '/cases', token, seedCase),
        401,
        'invalid_token',
        /^Bearer realm="edgecase", resource_metadata="[^"]+", error="invalid_token", error_description="[^"]+"$/,
      );
    }
    await expectRefusedCreate(
      () => api('POST', '/cases', unsignedToken(caller.clientID), seedCase),
      401,
      'invalid_token',
      /error="invalid_token"/,
    );
  });

  it('answers a revoked token (no KV record) with 401 invalid_token', async () => {
    const caller = await apiCaller();
    const revoke = await call('/oauth2/v1/revoke', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: caller.token,
        client_id: caller.clientID,
        client_secret: caller.clientSecret,
      }).toString(),
    });
    expect(revoke.status).toBe(200);
    await expectRefusedCreate(
      () => api('POST', '/cases', caller.token, seedCase),
      401,
      'invalid_token',
      /invalid_token/,
    );
  });

  it('answers tokens of a disabled client, or after revoke-tokens, with 401 at once', async () => {
    const disabled = await apiCaller();
    await admin('PATCH', `/clients/${disabled.clientID}`, { enabled: false });
    await expectRefusedCreate(
      () => api('POST', '/cases', disabled.token, seedCase),
      401,
      'invalid_token',
      /invalid_token/,
    );

    const revoked = await apiCaller();
    const { jti } = JSON.parse(atob(revoked.token.split('.')[1] as string));
    await admin('POST', `/clients/${revoked.clientID}/revoke-tokens`);
    // Even where KV has not yet seen the deletion, the generation check refuses the token.
    await recordMintedToken(revoked.clientID, jti, revoked.operatorID);
    await expectRefusedCreate(
      () => api('POST', '/cases', revoked.token, seedCase),
      401,
      'invalid_token',
      /invalid_token/,
    );
  });

  it('answers a token without the scope with 403 insufficient_scope naming the scope', async () => {
    const caller = await apiCaller();
    const readOnly = await issueToken(caller, { scope: 'cases:read' });
    await expectRefusedCreate(
      () => api('POST', '/cases', readOnly, seedCase),
      403,
      'Pega_API_019',
      /error="insufficient_scope", error_description="[^"]+", scope="cases:create"$/,
    );
  });

  it('answers 403 when the operator lost the privilege after the token was issued', async () => {
    const caller = await apiCaller();
    await admin('PATCH', `/operators/${caller.operatorID}`, {
      accessGroup: { privileges: ['cases:read'] },
    });
    await expectRefusedCreate(
      () => api('POST', '/cases', caller.token, seedCase),
      403,
      'Pega_API_019',
      /insufficient_scope/,
    );
    expect((await api('GET', '/cases', caller.token)).status).toBe(200);
  });

  it("serves the API under Pega's /prweb/api/v1 too", async () => {
    const caller = await apiCaller();
    const response = await call('/prweb/api/v1/casetypes', {
      headers: { Authorization: `Bearer ${caller.token}` },
    });
    expect(response.status).toBe(200);
    expect((await call('/prweb/api/v1/casetypes')).status).toBe(401);
  });

  it('answers an unknown API route with 404, token or not', async () => {
    await expectPegaError(await api('GET', '/nowhere', undefined), 404, 'not_found');
  });
});
