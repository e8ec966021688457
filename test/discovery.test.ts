import { env } from 'cloudflare:workers';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import {
  AUDIENCE,
  call,
  callWithEnv,
  expectOAuthError,
  fetchWorker,
  issueToken,
  ORIGIN,
  registerClient,
  tokenRecordCount,
  tokenRequestInit,
} from './helpers';

const methods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
const algorithms = ['ES256', 'EdDSA', 'RS256', 'PS256'];

describe('RFC 8414 authorization server metadata', () => {
  it('advertises the mTLS methods and certificate-bound tokens only where MTLS is on', async () => {
    const response = await callWithEnv({ MTLS: 'on' }, '/.well-known/oauth-authorization-server');
    expect(await response.json()).toMatchObject({
      token_endpoint_auth_methods_supported: [
        ...methods,
        'tls_client_auth',
        'self_signed_tls_client_auth',
      ],
      tls_client_certificate_bound_access_tokens: true,
    });
  });

  it('names this origin as issuer and lists every endpoint and capability', async () => {
    const response = await call('/.well-known/oauth-authorization-server');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      issuer: ORIGIN,
      token_endpoint: `${ORIGIN}/oauth2/v1/token`,
      revocation_endpoint: `${ORIGIN}/oauth2/v1/revoke`,
      introspection_endpoint: `${ORIGIN}/oauth2/v1/token/introspect`,
      jwks_uri: `${ORIGIN}/oauth2/v1/token/keys`,
      grant_types_supported: ['client_credentials'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: methods,
      revocation_endpoint_auth_methods_supported: methods,
      introspection_endpoint_auth_methods_supported: methods,
      token_endpoint_auth_signing_alg_values_supported: algorithms,
      revocation_endpoint_auth_signing_alg_values_supported: algorithms,
      introspection_endpoint_auth_signing_alg_values_supported: algorithms,
      dpop_signing_alg_values_supported: algorithms,
      tls_client_certificate_bound_access_tokens: false,
      scopes_supported: [
        'casetypes:read',
        'cases:read',
        'cases:create',
        'cases:update',
        'assignments:read',
        'assignments:perform',
        'data:read',
        'data:write',
      ],
      service_documentation: `${ORIGIN}/api/v1/docs`,
    });
  });

  it('names ISSUER whatever host it is reached under, with no Vary: Host', async () => {
    const response = await fetchWorker(
      'https://edgecase.example.workers.dev/.well-known/oauth-authorization-server',
    );
    const other = await response.json<{ issuer: string; token_endpoint: string }>();
    expect(other.issuer).toBe(ORIGIN);
    expect(other.token_endpoint).toBe(`${ORIGIN}/oauth2/v1/token`);
    expect(response.headers.get('Vary') ?? '').not.toMatch(/host/i);
  });

  it('without ISSUER follows the origin on loopback only, varying by Host', async () => {
    for (const origin of ['http://localhost:8787', 'http://127.0.0.1:8790']) {
      const response = await callWithEnv(
        { ISSUER: undefined },
        '/.well-known/oauth-authorization-server',
        {},
        origin,
      );
      expect(response.status).toBe(200);
      expect((await response.json<{ issuer: string }>()).issuer).toBe(origin);
      expect(response.headers.get('Vary')).toMatch(/\bHost\b/);
      // The OpenAPI document names the origin too: cached per Host, or not shared at all.
      const docs = await callWithEnv({ ISSUER: undefined }, '/api/v1/docs', {}, origin);
      expect(await docs.text()).toContain(`"${origin}/oauth2/v1/token"`);
      expect(docs.headers.get('Vary')).toMatch(/\bHost\b/);
    }
  });

  it('without ISSUER refuses to serve a public host (503), and says why in the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = await registerClient();
    for (const path of [
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-protected-resource',
    ]) {
      const response = await callWithEnv({ ISSUER: undefined }, path);
      expect(response.status).toBe(503);
    }
    const token = await callWithEnv({ ISSUER: undefined }, '/oauth2/v1/token', {
      ...tokenRequestInit(client),
    });
    await expectOAuthError(token, 503, 'server_error');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/ISSUER is not set/));
    log.mockRestore();
  });
});

describe('RFC 9728 protected resource metadata', () => {
  it('describes the API at both the root and the resource path', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/api/v1',
    ]) {
      const response = await call(path);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        resource: AUDIENCE,
        authorization_servers: [ORIGIN],
        bearer_methods_supported: ['header'],
      });
    }
  });
});

describe('JWKS', () => {
  it('publishes the public half of every configured key and nothing private', async () => {
    const response = await call('/oauth2/v1/token/keys');
    expect(response.status).toBe(200);
    const jwks = await response.json<JSONWebKeySet>();
    expect(jwks.keys.map((key) => key.kid)).toEqual(['test-key-1', 'test-key-2']);
    for (const key of jwks.keys) {
      expect(key).not.toHaveProperty('d');
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    }
    expect(JSON.stringify(jwks)).not.toContain(JSON.parse(env.SIGNING_KEYS as string)[0].d);
  });

  it("is served under Pega's path too", async () => {
    const response = await call('/prweb/PRRestService/oauth2/v1/token/keys');
    expect(response.status).toBe(200);
  });

  it('verifies an issued token with the RFC 9068 checks', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const jwks = createLocalJWKSet(await (await call('/oauth2/v1/token/keys')).json());
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: ORIGIN,
      audience: AUDIENCE,
      typ: 'at+jwt',
      algorithms: ['ES256'],
      requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'],
    });
    expect(protectedHeader.kid).toBe('test-key-1');
    expect(payload.client_id).toBe(client.clientID);
  });
});

describe('healthz', () => {
  it('answers without touching storage or config', async () => {
    const response = await call('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /api/v1/docs', () => {
  it('serves the OpenAPI 3.1 document without a token, for this origin', async () => {
    const response = await call('/api/v1/docs');
    expect(response.status).toBe(200);
    const document = await response.json<{ openapi: string; servers: { url: string }[] }>();
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: ORIGIN }]);
  });
});
