import { env } from 'cloudflare:workers';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  callWithEnv,
  createOperator,
  defineCaseType,
  expectOAuthError,
  introspect,
  ORIGIN,
  validationPaths,
} from './helpers';

const FINGERPRINT = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);
const SUBJECT = 'CN=portal.city.example,O=City of Example,C=NL';

/** What Cloudflare API Shield mTLS tells the Worker about the client's certificate. */
const certificate = (overrides: Record<string, string> = {}) => ({
  certPresented: '1',
  certVerified: 'SUCCESS',
  certFingerprintSHA256: FINGERPRINT,
  certSubjectDN: SUBJECT,
  ...overrides,
});

/**
 * A request over mTLS: the certificate arrives in `cf.tlsClientAuth`, as on Cloudflare, to a
 * deployment that says API Shield mTLS is in front (MTLS=on); `mtls: false`, to one that
 * does not.
 */
function withCertificate(
  path: string,
  init: RequestInit,
  tlsClientAuth?: Record<string, string>,
  mtls = true,
) {
  return callWithEnv(mtls ? { MTLS: 'on' } : {}, path, {
    ...init,
    cf: { tlsVersion: 'TLSv1.3', ...(tlsClientAuth && { tlsClientAuth }) },
  } as RequestInit);
}

const tokenRequest = (
  clientId: string,
  tlsClientAuth?: Record<string, string>,
  options: { mtls?: boolean; dpop?: string } = {},
) =>
  withCertificate(
    '/oauth2/v1/token',
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(options.dpop && { DPoP: options.dpop }),
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
      }).toString(),
    },
    tlsClientAuth,
    options.mtls,
  );

async function mtlsClient(body: Record<string, unknown>) {
  const { operatorID } = await createOperator();
  const response = await admin('POST', '/clients', { name: 'mTLS client', operatorID, ...body });
  expect(response.status).toBe(201);
  const client = await response.json<{ clientID: string }>();
  expect(client).not.toHaveProperty('clientSecret');
  return client;
}

beforeAll(async () => {
  await defineCaseType();
});

describe('mutual TLS client authentication (RFC 8705)', () => {
  it('authenticates tls_client_auth by the verified subject DN, and binds its tokens to the certificate', async () => {
    const client = await mtlsClient({
      tokenEndpointAuthMethod: 'tls_client_auth',
      tlsClientAuthSubjectDn: SUBJECT,
    });
    const response = await tokenRequest(client.clientID, certificate());
    expect(response.status).toBe(200);
    const { access_token: token, token_type } = await response.json<{
      access_token: string;
      token_type: string;
    }>();
    expect(token_type).toBe('Bearer');
    expect(decodeJwt(token).cnf).toEqual({
      'x5t#S256': expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    for (const refused of [
      undefined,
      certificate({ certVerified: 'FAILED:certificate has expired' }),
      certificate({ certSubjectDN: 'CN=someone.else' }),
    ]) {
      await expectOAuthError(await tokenRequest(client.clientID, refused), 401, 'invalid_client');
    }
  });

  it('authenticates self_signed_tls_client_auth by fingerprint alone', async () => {
    const client = await mtlsClient({
      tokenEndpointAuthMethod: 'self_signed_tls_client_auth',
      tlsClientCertificateSha256: FINGERPRINT.toUpperCase().match(/../g)?.join(':'),
    });
    const selfSigned = certificate({
      certVerified: 'FAILED:self signed certificate',
      certSubjectDN: 'CN=me',
    });
    expect((await tokenRequest(client.clientID, selfSigned)).status).toBe(200);
    await expectOAuthError(
      await tokenRequest(client.clientID, { ...selfSigned, certFingerprintSHA256: OTHER }),
      401,
      'invalid_client',
    );
  });

  it('refuses a certificate-bound token on a request without that certificate', async () => {
    const client = await mtlsClient({
      tokenEndpointAuthMethod: 'tls_client_auth',
      tlsClientAuthSubjectDn: SUBJECT,
    });
    const { access_token: token } = await (
      await tokenRequest(client.clientID, certificate())
    ).json<{
      access_token: string;
    }>();
    const read = (tlsClientAuth?: Record<string, string>) =>
      withCertificate(
        '/api/v1/casetypes',
        { headers: { Authorization: `Bearer ${token}` } },
        tlsClientAuth,
      );
    expect((await read(certificate())).status).toBe(200);
    for (const other of [undefined, certificate({ certFingerprintSHA256: OTHER })]) {
      const refused = await read(other);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
    }
  });

  it('refuses a method without what it needs, and what belongs to another method', async () => {
    const { operatorID } = await createOperator();
    const cases: [Record<string, unknown>, string][] = [
      [{ tokenEndpointAuthMethod: 'tls_client_auth' }, '.tlsClientAuthSubjectDn'],
      [{ tokenEndpointAuthMethod: 'self_signed_tls_client_auth' }, '.tlsClientCertificateSha256'],
      [
        {
          tokenEndpointAuthMethod: 'self_signed_tls_client_auth',
          tlsClientCertificateSha256: 'abc',
        },
        '.tlsClientCertificateSha256',
      ],
      [{ tlsClientAuthSubjectDn: SUBJECT }, '.tlsClientAuthSubjectDn'],
    ];
    for (const [body, path] of cases) {
      const response = await admin('POST', '/clients', { name: 'x', operatorID, ...body });
      const error = await expectOAuthError(response, 400, 'invalid_request');
      expect(validationPaths(error)).toContain(path);
    }
  });

  it('trusts no certificate where MTLS is not on (wrangler dev lets any caller make up request.cf)', async () => {
    const client = await mtlsClient({
      tokenEndpointAuthMethod: 'self_signed_tls_client_auth',
      tlsClientCertificateSha256: FINGERPRINT,
    });
    await expectOAuthError(
      await tokenRequest(client.clientID, certificate(), { mtls: false }),
      401,
      'invalid_client',
    );
    expect((await tokenRequest(client.clientID, certificate())).status).toBe(200);
  });

  it("never spends a quota on a certificate that is not the client's", async () => {
    const client = await mtlsClient({
      tokenEndpointAuthMethod: 'self_signed_tls_client_auth',
      tlsClientCertificateSha256: FINGERPRINT,
      tokensPerHour: 3,
    });
    const forged = certificate({ certFingerprintSHA256: OTHER });
    // The real request runs among 24 forged ones, as an attacker would time it.
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        tokenRequest(client.clientID, index === 12 ? certificate() : forged),
      ),
    );
    const real = responses.splice(12, 1)[0] as Response;
    expect(real.status).toBe(200);
    expect(real.headers.get('RateLimit-Remaining')).toBe('2');
    expect(responses.every((response) => [401, 429].includes(response.status))).toBe(true);
    await env.DB.prepare('DELETE FROM auth_failures').run();
  });

  it("binds a DPoP-only client's token to its DPoP key as well as its certificate", async () => {
    const client = await mtlsClient({
      tokenEndpointAuthMethod: 'self_signed_tls_client_auth',
      tlsClientCertificateSha256: FINGERPRINT,
      dpopBoundAccessTokens: true,
    });
    await expectOAuthError(
      await tokenRequest(client.clientID, certificate()),
      400,
      'invalid_dpop_proof',
    );
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const dpop = await new SignJWT({
      htm: 'POST',
      htu: `${ORIGIN}/oauth2/v1/token`,
      iat: Math.floor(Date.now() / 1000),
      jti: crypto.randomUUID(),
    })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(publicKey) })
      .sign(privateKey);
    const response = await tokenRequest(client.clientID, certificate(), { dpop });
    expect(response.status).toBe(200);
    const body = await response.json<{ access_token: string; token_type: string }>();
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.access_token).cnf).toEqual({
      jkt: expect.any(String),
      'x5t#S256': expect.any(String),
    });
  });

  it('leaves a secret-based client as it was when it presents a certificate too', async () => {
    const { operatorID } = await createOperator();
    const registered = await admin('POST', '/clients', { name: 'secret', operatorID });
    const client = await registered.json<{ clientID: string; clientSecret: string }>();
    const response = await withCertificate(
      '/oauth2/v1/token',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.clientID,
          client_secret: client.clientSecret,
        }).toString(),
      },
      certificate(),
    );
    expect(response.status).toBe(200);
    const { access_token: token } = await response.json<{ access_token: string }>();
    expect(decodeJwt(token).cnf).toBeUndefined();
    expect(await introspect(client, token)).toMatchObject({ active: true });
  });
});
