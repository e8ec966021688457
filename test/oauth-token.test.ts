import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  admin,
  basicAuthorization,
  call,
  createOperator,
  expectOAuthError,
  formPost,
  ORIGIN,
  registerClient,
  requestToken,
  tokenRecordCount,
} from './helpers';

const TOKEN_PATH = '/oauth2/v1/token';

describe('token endpoint: successful grants', () => {
  it('issues an RFC 9068 access token for client_secret_post', async () => {
    const client = await registerClient();
    const response = await requestToken(client);

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Pragma')).toBe('no-cache');
    const body = await response.json<Record<string, unknown>>();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'casetypes:read cases:read cases:create',
    });
    expect(body).not.toHaveProperty('refresh_token');

    const token = body.access_token as string;
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      kid: 'test-key-1',
      typ: 'at+jwt',
    });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: ORIGIN,
      sub: client.clientID,
      client_id: client.clientID,
      aud: `${ORIGIN}/api/v1`,
      scope: 'casetypes:read cases:read cases:create',
      iat: expect.any(Number),
      exp: (claims.iat as number) + 3600,
      jti: expect.any(String),
      operator: client.operatorID,
      // The client's token generation: what a write checks in its own SQL.
      gen: 0,
    });
    expect(await tokenRecordCount(client.clientID)).toBe(1);
  });

  it('accepts client_secret_basic with form-urlencoded credentials', async () => {
    const client = await registerClient();
    // Every character percent-encoded: the server must decode before comparing.
    const encodeAll = (value: string) =>
      Array.from(
        value,
        (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
      ).join('');
    const response = await formPost(
      TOKEN_PATH,
      { grant_type: 'client_credentials' },
      {
        Authorization: `Basic ${btoa(`${encodeAll(client.clientID)}:${encodeAll(client.clientSecret)}`)}`,
      },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer' });
  });

  it('accepts Basic with a matching client_id repeated in the body', async () => {
    const client = await registerClient();
    const response = await formPost(
      TOKEN_PATH,
      { grant_type: 'client_credentials', client_id: client.clientID },
      { Authorization: basicAuthorization(client.clientID, client.clientSecret) },
    );
    expect(response.status).toBe(200);
  });

  it('grants a narrowed scope when asked for less', async () => {
    const client = await registerClient();
    const response = await requestToken(client, { scope: 'cases:create' });
    expect(response.status).toBe(200);
    const body = await response.json<{ scope: string; access_token: string }>();
    expect(body.scope).toBe('cases:create');
    expect(decodeJwt(body.access_token).scope).toBe('cases:create');
  });

  it("limits the grant to the client's registered scopes", async () => {
    const client = await registerClient({ scopes: ['cases:read'] });
    const response = await requestToken(client);
    expect(await response.json()).toMatchObject({ scope: 'cases:read' });
  });

  it('uses the per-client lifetime for expires_in, exp and the KV record', async () => {
    const client = await registerClient({ accessTokenLifetime: 120 });
    const response = await requestToken(client);
    const body = await response.json<{ expires_in: number; access_token: string }>();
    expect(body.expires_in).toBe(120);
    const claims = decodeJwt(body.access_token);
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
  });

  it('accepts the API identifier as RFC 8707 resource', async () => {
    const client = await registerClient();
    const response = await requestToken(client, { resource: `${ORIGIN}/api/v1` });
    expect(response.status).toBe(200);
  });

  it("serves the same endpoint under Pega's path", async () => {
    const client = await registerClient();
    const response = await formPost('/prweb/PRRestService/oauth2/v1/token', {
      grant_type: 'client_credentials',
      client_id: client.clientID,
      client_secret: client.clientSecret,
    });
    expect(response.status).toBe(200);
  });
});

describe('token endpoint: refusals issue nothing', () => {
  it('refuses Basic and body credentials at once with invalid_request', async () => {
    const client = await registerClient();
    const response = await formPost(
      TOKEN_PATH,
      {
        grant_type: 'client_credentials',
        client_id: client.clientID,
        client_secret: client.clientSecret,
      },
      { Authorization: basicAuthorization(client.clientID, client.clientSecret) },
    );
    await expectOAuthError(response, 400, 'invalid_request');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses a body client_id that differs from the Basic one', async () => {
    const client = await registerClient();
    const response = await formPost(
      TOKEN_PATH,
      { grant_type: 'client_credentials', client_id: 'someone-else' },
      { Authorization: basicAuthorization(client.clientID, client.clientSecret) },
    );
    await expectOAuthError(response, 400, 'invalid_request');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('answers no credentials with 401 invalid_client and no Basic challenge', async () => {
    const response = await formPost(TOKEN_PATH, { grant_type: 'client_credentials' });
    await expectOAuthError(response, 401, 'invalid_client');
    expect(response.headers.get('WWW-Authenticate')).toBeNull();
  });

  it('gives byte-identical answers for a wrong secret and an unknown client', async () => {
    const client = await registerClient();
    const wrongSecret = await requestToken({ ...client, clientSecret: `${client.clientSecret}x` });
    const unknownClient = await requestToken({ ...client, clientID: 'no-such-client' });

    expect(wrongSecret.status).toBe(401);
    expect(unknownClient.status).toBe(401);
    const [wrongBody, unknownBody] = [await wrongSecret.text(), await unknownClient.text()];
    expect(wrongBody).toBe(unknownBody);
    expect(JSON.parse(wrongBody)).toMatchObject({ error: 'invalid_client' });
    expect(wrongBody).not.toContain(client.clientID);
    expect([...wrongSecret.headers]).toEqual([...unknownClient.headers]);
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('adds the Basic challenge when the client tried Basic', async () => {
    const client = await registerClient();
    const response = await formPost(
      TOKEN_PATH,
      { grant_type: 'client_credentials' },
      { Authorization: basicAuthorization(client.clientID, 'wrong') },
    );
    await expectOAuthError(response, 401, 'invalid_client');
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Basic realm="edgecase"/);
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses an undecodable Basic header with invalid_request', async () => {
    const response = await formPost(
      TOKEN_PATH,
      { grant_type: 'client_credentials' },
      { Authorization: 'Basic %%%not-base64' },
    );
    await expectOAuthError(response, 400, 'invalid_request');
  });

  it('refuses a disabled client, and serves it again once re-enabled', async () => {
    const client = await registerClient();
    expect((await admin('PATCH', `/clients/${client.clientID}`, { enabled: false })).status).toBe(
      200,
    );
    await expectOAuthError(await requestToken(client), 401, 'invalid_client');
    expect(await tokenRecordCount(client.clientID)).toBe(0);

    expect((await admin('PATCH', `/clients/${client.clientID}`, { enabled: true })).status).toBe(
      200,
    );
    expect((await requestToken(client)).status).toBe(200);
  });

  it('refuses a deleted client', async () => {
    const client = await registerClient();
    expect((await admin('DELETE', `/clients/${client.clientID}`)).status).toBe(204);
    await expectOAuthError(await requestToken(client), 401, 'invalid_client');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses a JSON body with invalid_request', async () => {
    const client = await registerClient();
    const response = await call(TOKEN_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: client.clientID,
        client_secret: client.clientSecret,
      }),
    });
    const body = await expectOAuthError(response, 400, 'invalid_request');
    expect(body.error_description).toMatch(/x-www-form-urlencoded/);
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses another grant type with unsupported_grant_type', async () => {
    const client = await registerClient();
    const response = await requestToken(client, { grant_type: 'password' });
    await expectOAuthError(response, 400, 'unsupported_grant_type');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses a missing grant_type with invalid_request', async () => {
    const client = await registerClient();
    const response = await formPost(TOKEN_PATH, {
      client_id: client.clientID,
      client_secret: client.clientSecret,
    });
    await expectOAuthError(response, 400, 'invalid_request');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses a repeated parameter with invalid_request', async () => {
    const client = await registerClient();
    const response = await call(TOKEN_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&scope=cases:read&scope=cases:create&client_id=${client.clientID}&client_secret=${client.clientSecret}`,
    });
    await expectOAuthError(response, 400, 'invalid_request');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses an unknown scope with invalid_scope', async () => {
    const client = await registerClient();
    const response = await requestToken(client, { scope: 'cases:read admin:everything' });
    const body = await expectOAuthError(response, 400, 'invalid_scope');
    expect(body.error_description).toContain('admin:everything');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses a known scope the client was not registered for', async () => {
    const client = await registerClient({ scopes: ['cases:read'] });
    const response = await requestToken(client, { scope: 'cases:create' });
    await expectOAuthError(response, 400, 'invalid_scope');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses a scope the operator has lost since registration', async () => {
    const operator = await createOperator();
    const client = await registerClient({ operatorID: operator.operatorID });
    const patched = await admin('PATCH', `/operators/${operator.operatorID}`, {
      accessGroup: { privileges: ['cases:read'] },
    });
    expect(patched.status).toBe(200);

    await expectOAuthError(
      await requestToken(client, { scope: 'cases:create' }),
      400,
      'invalid_scope',
    );
    const response = await requestToken(client);
    expect(await response.json()).toMatchObject({ scope: 'cases:read' });
  });

  it('answers unauthorized_client when nothing at all may be granted', async () => {
    const operator = await createOperator();
    const client = await registerClient({
      operatorID: operator.operatorID,
      scopes: ['cases:create'],
    });
    await admin('PATCH', `/operators/${operator.operatorID}`, {
      accessGroup: { privileges: ['cases:read'] },
    });
    await expectOAuthError(await requestToken(client), 400, 'unauthorized_client');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses any other resource with invalid_target', async () => {
    const client = await registerClient();
    const response = await requestToken(client, { resource: 'https://elsewhere.example/api' });
    await expectOAuthError(response, 400, 'invalid_target');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const client = await registerClient();
    const response = await requestToken(client, { padding: 'x'.repeat(70 * 1024) });
    await expectOAuthError(response, 413, 'invalid_request');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses GET on the token endpoint with 404', async () => {
    const response = await call(TOKEN_PATH);
    expect(response.status).toBe(404);
  });
});
