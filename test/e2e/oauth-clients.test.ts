import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { describe, expect, inject, it } from 'vitest';
import { registerDemoClient, seedCaseBody } from './admin';

const { url, adminToken } = inject('devServer');
// Local development runs over plain HTTP on loopback; production clients need no such flag.
const insecure = { execute: [openid.allowInsecureRequests] };
const options = { [oauth.allowInsecureRequests]: true };

/** oauth4webapi's view of the server: its RFC 8414 metadata, processed strictly. */
async function discoverServer() {
  const issuer = new URL(url);
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options }),
  );
  return { as };
}

/** openid-client's configuration for a client, by discovery. */
const configure = (clientId: string, auth: openid.ClientAuth) =>
  openid.discovery(new URL(url), clientId, undefined, auth, { algorithm: 'oauth2', ...insecure });

describe('openid-client 6 against wrangler dev', () => {
  for (const [method, auth] of [
    ['client_secret_post', openid.ClientSecretPost],
    ['client_secret_basic', openid.ClientSecretBasic],
  ] as const) {
    it(`discovers, gets a token (${method}), introspects, calls the API, revokes`, async () => {
      const client = await registerDemoClient(url, adminToken);
      const config = await configure(client.clientID, auth(client.clientSecret));
      expect(config.serverMetadata().issuer).toBe(url);

      const tokens = await openid.clientCredentialsGrant(config);
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.scope).toBe(
        'casetypes:read cases:read cases:create cases:update assignments:read assignments:perform data:read data:write',
      );

      const introspection = await openid.tokenIntrospection(config, tokens.access_token);
      expect(introspection).toMatchObject({
        active: true,
        client_id: client.clientID,
        operator: 'CityServicesAPI',
      });

      const response = await openid.fetchProtectedResource(
        config,
        tokens.access_token,
        new URL(`${url}/api/v1/cases`),
        'POST',
        JSON.stringify(seedCaseBody),
        new Headers({ 'Content-Type': 'application/json' }),
      );
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({
        ID: expect.stringMatching(/^CNOW-CONNECTNOW-WORK R-\d+$/),
        pxObjClass: 'Pega-API-CaseManagement-Case',
      });

      await openid.tokenRevocation(config, tokens.access_token);
      expect(await openid.tokenIntrospection(config, tokens.access_token)).toEqual({
        active: false,
      });
    });
  }
});

/** The parts of the case API's answers this walk reads. */
interface WorkBody {
  ID: string;
  nextAssignmentID: string;
  name: string;
  actions: { ID: string }[];
  view: { groups: unknown[] };
  assignments: unknown[];
  [key: string]: unknown;
}

describe('a case of the demo type, worked with openid-client', () => {
  it('goes from POST /cases to Resolved-Completed through /assignments', async () => {
    const client = await registerDemoClient(url, adminToken);
    const config = await configure(client.clientID, openid.ClientSecretPost(client.clientSecret));
    const { access_token: token } = await openid.clientCredentialsGrant(config);
    const json = new Headers({ 'Content-Type': 'application/json' });
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await openid.fetchProtectedResource(
        config,
        token,
        new URL(`${url}/api/v1${path}`),
        method,
        body === undefined ? undefined : JSON.stringify(body),
        json,
      );
      return { status: response.status, body: (await response.json()) as WorkBody };
    };

    // As Pega's web client creates: no values yet; the first assignment asks for them.
    const created = await call('POST', '/cases', {
      caseTypeID: seedCaseBody.caseTypeID,
      content: {},
      pageInstructions: [],
    });
    expect(created.status).toBe(201);
    const caseId = created.body.ID;
    const steps: string[] = [];
    let assignmentId = created.body.nextAssignmentID;
    const values = { RequestID: 'FT123', RequestDetail: 'faster trains, please!' };
    while (assignmentId) {
      const path = `/assignments/${encodeURIComponent(assignmentId)}`;
      const assignment = await call('GET', path);
      expect(assignment.status).toBe(200);
      steps.push(assignment.body.name);
      const actionId = assignment.body.actions[0]?.ID;
      const form = await call('GET', `${path}/actions/${actionId}`);
      expect(form.body.view.groups.length).toBeGreaterThan(0);
      const submitted = await call('POST', `${path}?actionID=${actionId}`, {
        content: steps.length === 1 ? values : {},
        pageInstructions: [],
      });
      expect(submitted.status).toBe(200);
      assignmentId = submitted.body.nextAssignmentID;
    }
    expect(steps).toEqual(['Enter the request', 'Review the request']);
    const done = await call('GET', `/cases/${encodeURIComponent(caseId)}`);
    expect(done.body).toMatchObject({
      status: 'Resolved-Completed',
      content: { ...values, pyStatusWork: 'Resolved-Completed' },
    });
    const worklist = (await call('GET', '/assignments')).body.assignments as { caseID: string }[];
    expect(worklist.map((assignment) => assignment.caseID)).not.toContain(caseId);
  });
});

/** A private_key_jwt client for the demo operator, registered with a fresh ES256 key. */
async function registerKeyClient() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicJwk = {
    ...(await crypto.subtle.exportKey('jwk', pair.publicKey)),
    alg: 'ES256',
    kid: 'e2e',
  };
  const response = await fetch(`${url}/admin/v1/clients`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'e2e key client',
      operatorID: 'CityServicesAPI',
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [publicJwk] },
    }),
  });
  expect(response.status).toBe(201);
  const { clientID } = (await response.json()) as { clientID: string };
  return { clientID, privateKey: { key: pair.privateKey, kid: 'e2e' } };
}

describe('private_key_jwt with strict clients', () => {
  it('openid-client 6 gets a token with PrivateKeyJwt and no secret, and calls the API', async () => {
    const { clientID, privateKey } = await registerKeyClient();
    const config = await configure(clientID, openid.PrivateKeyJwt(privateKey));
    const tokens = await openid.clientCredentialsGrant(config, { scope: 'cases:read' });
    expect(tokens.scope).toBe('cases:read');
    const cases = await openid.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${url}/api/v1/cases`),
      'GET',
    );
    expect(cases.status).toBe(200);
    expect(await openid.tokenIntrospection(config, tokens.access_token)).toMatchObject({
      active: true,
      client_id: clientID,
    });
  });

  it('oauth4webapi 3 gets a token with PrivateKeyJwt', async () => {
    const { clientID, privateKey } = await registerKeyClient();
    const { as } = await discoverServer();
    const client: oauth.Client = { client_id: clientID };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.PrivateKeyJwt(privateKey),
      { scope: 'casetypes:read' },
      options,
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(result.scope).toBe('casetypes:read');
  });
});

describe('DPoP with strict clients', () => {
  const keyPair = () =>
    crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]) as Promise<CryptoKeyPair>;

  it('openid-client 6 gets a DPoP-bound token and calls the API with it; without the key it cannot', async () => {
    const client = await registerDemoClient(url, adminToken);
    const config = await configure(client.clientID, openid.ClientSecretPost(client.clientSecret));
    const DPoP = openid.getDPoPHandle(config, await keyPair());
    const tokens = await openid.clientCredentialsGrant(config, {}, { DPoP });
    expect(tokens.token_type).toBe('dpop');
    const response = await openid.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${url}/api/v1/cases`),
      'GET',
      undefined,
      undefined,
      { DPoP },
    );
    expect(response.status).toBe(200);
    // The same token with another key's proofs, or as a plain bearer token: refused.
    const stolen = openid.getDPoPHandle(config, await keyPair());
    await expect(
      openid.fetchProtectedResource(
        config,
        tokens.access_token,
        new URL(`${url}/api/v1/cases`),
        'GET',
        undefined,
        undefined,
        { DPoP: stolen },
      ),
    ).rejects.toThrow();
    const asBearer = await fetch(`${url}/api/v1/cases`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(asBearer.status).toBe(401);
  });

  it('oauth4webapi 3 gets a DPoP-bound token, and validates it with its proof as a resource server', async () => {
    const registered = await registerDemoClient(url, adminToken);
    const { as } = await discoverServer();
    const client: oauth.Client = { client_id: registered.clientID };
    const pair = await keyPair();
    const DPoP = oauth.DPoP(client, pair);
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(registered.clientSecret),
      {},
      { ...options, DPoP },
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(result.token_type).toBe('dpop');

    // Our API accepts it with oauth4webapi's own proofs...
    const api = await oauth.protectedResourceRequest(
      result.access_token,
      'GET',
      new URL(`${url}/api/v1/cases`),
      undefined,
      undefined,
      { ...options, DPoP },
    );
    expect(api.status).toBe(200);
    // ...and oauth4webapi, as a resource server, accepts the token with a proof for its request.
    const target = new URL(`${url}/api/v1/cases`);
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const now = Math.floor(Date.now() / 1000);
    const ath = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(result.access_token)),
    ).toString('base64url');
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } })}.${encode({ htm: 'GET', htu: target.href, iat: now, jti: crypto.randomUUID(), ath })}`;
    const signature = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      pair.privateKey,
      new TextEncoder().encode(input),
    );
    const request = new Request(target, {
      headers: {
        Authorization: `DPoP ${result.access_token}`,
        DPoP: `${input}.${Buffer.from(signature).toString('base64url')}`,
      },
    });
    const claims = await oauth.validateJwtAccessToken(as, request, `${url}/api/v1`, {
      ...options,
      requireDPoP: true,
    });
    expect(claims.cnf).toMatchObject({ jkt: expect.any(String) });
  });
});

describe('oauth4webapi 3 against wrangler dev', () => {
  it('processes the grant strictly and validates the JWT access token as a resource server', async () => {
    const registered = await registerDemoClient(url, adminToken);
    const { as } = await discoverServer();
    const client: oauth.Client = { client_id: registered.clientID };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(registered.clientSecret),
      { scope: 'cases:read' },
      options,
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(result.scope).toBe('cases:read');

    const request = new Request(`${url}/api/v1/cases`, {
      headers: { Authorization: `Bearer ${result.access_token}` },
    });
    const claims = await oauth.validateJwtAccessToken(as, request, `${url}/api/v1`, options);
    expect(claims).toMatchObject({
      client_id: registered.clientID,
      iss: url,
      operator: 'CityServicesAPI',
    });
  });
});
