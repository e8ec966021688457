import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { describe, expect, inject, it } from 'vitest';
import { registerDemoClient, seedCaseBody } from './admin';

const { url, adminToken } = inject('devServer');
// Local development runs over plain HTTP on loopback; production clients need no such flag.
const insecure = { execute: [openid.allowInsecureRequests] };

describe('openid-client 6 against wrangler dev', () => {
  for (const [method, auth] of [
    ['client_secret_post', openid.ClientSecretPost],
    ['client_secret_basic', openid.ClientSecretBasic],
  ] as const) {
    it(`discovers, gets a token (${method}), introspects, calls the API, revokes`, async () => {
      const client = await registerDemoClient(url, adminToken);
      const config = await openid.discovery(
        new URL(url),
        client.clientID,
        undefined,
        auth(client.clientSecret),
        { algorithm: 'oauth2', ...insecure },
      );
      expect(config.serverMetadata().issuer).toBe(url);

      const tokens = await openid.clientCredentialsGrant(config);
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.scope).toBe(
        'casetypes:read cases:read cases:create cases:update assignments:read assignments:perform',
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
    const config = await openid.discovery(
      new URL(url),
      client.clientID,
      undefined,
      openid.ClientSecretPost(client.clientSecret),
      { algorithm: 'oauth2', ...insecure },
    );
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
    const config = await openid.discovery(
      new URL(url),
      clientID,
      undefined,
      openid.PrivateKeyJwt(privateKey),
      { algorithm: 'oauth2', ...insecure },
    );
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
    const issuer = new URL(url);
    const options = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options }),
    );
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

describe('oauth4webapi 3 against wrangler dev', () => {
  it('processes the grant strictly and validates the JWT access token as a resource server', async () => {
    const registered = await registerDemoClient(url, adminToken);
    const issuer = new URL(url);
    const options = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options }),
    );
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
