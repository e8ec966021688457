import { env } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import {
  AUDIENCE,
  admin,
  api,
  apiCaller,
  basicAuthorization,
  expectOAuthError,
  formPost,
  introspect,
  issueToken,
  ORIGIN,
  registerClient,
  requestToken,
  tokenRecordCount,
} from './helpers';
import { mintToken, recordMintedToken, unsignedToken } from './tokens';

function revoke(
  caller: { clientID: string; clientSecret: string },
  token: string,
  path = '/oauth2/v1/revoke',
) {
  return formPost(path, { token, client_id: caller.clientID, client_secret: caller.clientSecret });
}

describe('introspection (RFC 7662)', () => {
  it('describes a live token to the client that holds it', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const claims = decodeJwt(token);
    const response = await formPost(
      '/oauth2/v1/token/introspect',
      { token },
      { Authorization: basicAuthorization(client.clientID, client.clientSecret) },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toEqual({
      active: true,
      client_id: client.clientID,
      scope: 'casetypes:read cases:read cases:create',
      token_type: 'Bearer',
      exp: claims.exp,
      iat: claims.iat,
      sub: client.clientID,
      aud: AUDIENCE,
      iss: ORIGIN,
      jti: claims.jti,
      operator: client.operatorID,
    });
  });

  it('reports the scope the token has now, narrowed as the case API narrows it', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const path = `/operators/${client.operatorID}`;
    const narrowed = await admin('PATCH', path, {
      accessGroup: { privileges: ['casetypes:read', 'cases:read'] },
    });
    expect(narrowed.status).toBe(200);
    expect(await introspect(client, token)).toMatchObject({
      active: true,
      scope: 'casetypes:read cases:read',
    });
    const fewer = await admin('PATCH', `/clients/${client.clientID}`, { scopes: ['cases:read'] });
    expect(fewer.status).toBe(200);
    expect(await introspect(client, token)).toMatchObject({ active: true, scope: 'cases:read' });
  });

  it("tells another client nothing about a token that isn't theirs", async () => {
    const owner = await registerClient();
    const other = await registerClient();
    const token = await issueToken(owner);
    expect(await introspect(other, token)).toEqual({ active: false });
    expect(await introspect(owner, token)).toMatchObject({ active: true });
  });

  it('answers active: false for garbage', async () => {
    const client = await registerClient();
    expect(await introspect(client, 'not-a-jwt')).toEqual({ active: false });
  });

  it('answers active: false for an expired token even with its record present', async () => {
    const client = await registerClient();
    const now = Math.floor(Date.now() / 1000);
    const { token, jti } = await mintToken({
      clientId: client.clientID,
      claims: { iat: now - 700, exp: now - 100 },
    });
    await recordMintedToken(client.clientID, jti);
    expect(await introspect(client, token)).toEqual({ active: false });
  });

  it('answers active: false for a token signed by a foreign key under a known kid', async () => {
    const client = await registerClient();
    const { token, jti } = await mintToken({ clientId: client.clientID, foreignKey: true });
    await recordMintedToken(client.clientID, jti);
    expect(await introspect(client, token)).toEqual({ active: false });
  });

  it('answers active: false for an unknown kid, a wrong typ, alg none, wrong aud or iss', async () => {
    const client = await registerClient();
    const flawed = [
      await mintToken({ clientId: client.clientID, kid: 'retired-key' }),
      await mintToken({ clientId: client.clientID, typ: 'JWT' }),
      await mintToken({
        clientId: client.clientID,
        claims: { aud: 'https://elsewhere.example/api/v1' },
      }),
      await mintToken({ clientId: client.clientID, claims: { iss: 'https://elsewhere.example' } }),
    ];
    for (const { token, jti } of flawed) {
      await recordMintedToken(client.clientID, jti);
      expect(await introspect(client, token)).toEqual({ active: false });
    }
    expect(await introspect(client, unsignedToken(client.clientID))).toEqual({ active: false });
  });

  it('accepts a well-formed token only while its KV record exists', async () => {
    const client = await registerClient();
    const { token, jti } = await mintToken({ clientId: client.clientID });
    expect(await introspect(client, token)).toEqual({ active: false });
    await recordMintedToken(client.clientID, jti);
    expect(await introspect(client, token)).toMatchObject({ active: true, jti });
  });

  it('requires client authentication', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const response = await formPost('/oauth2/v1/token/introspect', { token });
    await expectOAuthError(response, 401, 'invalid_client');
  });

  it('requires the token parameter', async () => {
    const client = await registerClient();
    const response = await formPost('/oauth2/v1/token/introspect', {
      client_id: client.clientID,
      client_secret: client.clientSecret,
    });
    await expectOAuthError(response, 400, 'invalid_request');
  });
});

describe('revocation (RFC 7009)', () => {
  it('revokes a token with 200 and an empty body, after which it is inactive', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const response = await revoke(client, token);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await introspect(client, token)).toEqual({ active: false });
    await recordsGone(client.clientID);
  });

  it('refuses a revoked token at once everywhere, even where KV still holds its record', async () => {
    const caller = await apiCaller();
    const { jti } = decodeJwt(caller.token) as { jti: string };
    const key = `at:${caller.clientID}:${jti}`;
    const record = await env.TOKENS.get(key);
    expect((await revoke(caller, caller.token)).status).toBe(200);
    // A location whose KV has not yet seen the deletion still holds the record.
    await env.TOKENS.put(key, record as string, { expirationTtl: 3600 });
    expect(await introspect(caller, caller.token)).toEqual({ active: false });
    const response = await api('GET', '/cases', caller.token);
    expect(response.status).toBe(401);
    const row = await env.DB.prepare('SELECT client_id FROM revoked_tokens WHERE jti = ?')
      .bind(jti)
      .first();
    expect(row).toEqual({ client_id: caller.clientID });
  });

  it('answers 200 for an unknown or malformed token', async () => {
    const client = await registerClient();
    expect((await revoke(client, 'garbage')).status).toBe(200);
    expect((await revoke(client, unsignedToken(client.clientID))).status).toBe(200);
  });

  it("does not revoke another client's token", async () => {
    const owner = await registerClient();
    const other = await registerClient();
    const token = await issueToken(owner);
    expect((await revoke(other, token)).status).toBe(200);
    expect(await introspect(owner, token)).toMatchObject({ active: true });
    expect(await tokenRecordCount(owner.clientID)).toBe(1);
  });

  it("is served under Pega's path too", async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const response = await revoke(client, token, '/prweb/PRRestService/oauth2/v1/revoke');
    expect(response.status).toBe(200);
    expect(await introspect(client, token)).toEqual({ active: false });
  });

  it('requires client authentication and leaves the token alone without it', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const response = await revoke({ ...client, clientSecret: 'wrong' }, token);
    await expectOAuthError(response, 401, 'invalid_client');
    expect(await introspect(client, token)).toMatchObject({ active: true });
  });
});

/** KV token records are deleted after the admin's answer (waitUntil): wait for it. */
const recordsGone = (clientId: string) =>
  vi.waitFor(async () => expect(await tokenRecordCount(clientId)).toBe(0));

describe('admin actions that kill live tokens', () => {
  it('regenerating the secret revokes every token and retires the old secret', async () => {
    const client = await registerClient();
    const tokens = [await issueToken(client), await issueToken(client)];
    const response = await admin('POST', `/clients/${client.clientID}/secret`);
    expect(response.status).toBe(200);
    const { clientSecret } = await response.json<{ clientSecret: string }>();
    expect(clientSecret).not.toBe(client.clientSecret);

    const renewed = { ...client, clientSecret };
    for (const token of tokens) expect(await introspect(renewed, token)).toEqual({ active: false });
    await recordsGone(client.clientID);
    await expectOAuthError(await requestToken(client), 401, 'invalid_client');
    expect(await issueToken(renewed)).toEqual(expect.any(String));
  });

  it('revoke-tokens kills every live token but keeps the secret', async () => {
    const client = await registerClient();
    const tokens = [await issueToken(client), await issueToken(client), await issueToken(client)];
    const response = await admin('POST', `/clients/${client.clientID}/revoke-tokens`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      clientID: client.clientID,
      revokedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await recordsGone(client.clientID);
    for (const token of tokens) expect(await introspect(client, token)).toEqual({ active: false });
    const fresh = await issueToken(client);
    expect(await introspect(client, fresh)).toMatchObject({ active: true });
  });

  it('a token whose KV record survived a revoke-all is still refused (generation check)', async () => {
    const client = await registerClient();
    const { token, jti } = await mintToken({
      clientId: client.clientID,
      operator: client.operatorID,
    });
    await recordMintedToken(client.clientID, jti, client.operatorID);
    expect(await introspect(client, token)).toMatchObject({ active: true });
    await admin('POST', `/clients/${client.clientID}/revoke-tokens`);
    // Simulate a location where KV has not yet seen the delete.
    await recordMintedToken(client.clientID, jti, client.operatorID);
    expect(await introspect(client, token)).toEqual({ active: false });
  });

  it('disabling a client kills its tokens for good, even after re-enabling', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    await admin('PATCH', `/clients/${client.clientID}`, { enabled: false });
    await recordsGone(client.clientID);
    await admin('PATCH', `/clients/${client.clientID}`, { enabled: true });
    expect(await introspect(client, token)).toEqual({ active: false });
  });

  it('deleting a client removes its token records', async () => {
    const client = await registerClient();
    await issueToken(client);
    await issueToken(client);
    expect(await tokenRecordCount(client.clientID)).toBe(2);
    expect((await admin('DELETE', `/clients/${client.clientID}`)).status).toBe(204);
    await recordsGone(client.clientID);
  });
});
