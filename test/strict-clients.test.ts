import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { describe, expect, it } from 'vitest';
import { AUDIENCE, fetchWorker, introspect, ORIGIN, registerClient } from './helpers';

// Third-party clients talk to the Worker itself, not the network.
const workerFetch = ((input: RequestInfo | URL, init?: RequestInit) =>
  fetchWorker(input instanceof URL ? input.href : input, init)) as typeof fetch;

describe('openid-client 6', () => {
  for (const [method, auth] of [
    ['client_secret_post', openid.ClientSecretPost],
    ['client_secret_basic', openid.ClientSecretBasic],
  ] as const) {
    it(`discovers, gets a token with ${method}, introspects and revokes it`, async () => {
      const client = await registerClient();
      const config = await openid.discovery(
        new URL(ORIGIN),
        client.clientID,
        undefined,
        auth(client.clientSecret),
        {
          algorithm: 'oauth2',
          [openid.customFetch]: workerFetch,
        },
      );
      config[openid.customFetch] = workerFetch;

      const tokens = await openid.clientCredentialsGrant(config, { scope: 'cases:read' });
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.scope).toBe('cases:read');
      expect(tokens.expiresIn()).toBeGreaterThan(3500);

      const introspection = await openid.tokenIntrospection(config, tokens.access_token);
      expect(introspection).toMatchObject({
        active: true,
        client_id: client.clientID,
        aud: AUDIENCE,
      });

      await openid.tokenRevocation(config, tokens.access_token);
      expect(await introspect(client, tokens.access_token)).toEqual({ active: false });
    });
  }
});

describe('oauth4webapi 3', () => {
  it('accepts the metadata and token response strictly, and validates the JWT access token', async () => {
    const registered = await registerClient();
    const issuer = new URL(ORIGIN);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, {
        algorithm: 'oauth2',
        [oauth.customFetch]: workerFetch,
      }),
    );
    const client: oauth.Client = { client_id: registered.clientID };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(registered.clientSecret),
      { scope: 'cases:create', resource: AUDIENCE },
      { [oauth.customFetch]: workerFetch },
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(result.token_type).toBe('bearer');

    const request = new Request(`${AUDIENCE}/cases`, {
      headers: { Authorization: `Bearer ${result.access_token}` },
    });
    const claims = await oauth.validateJwtAccessToken(as, request, AUDIENCE, {
      [oauth.customFetch]: workerFetch,
    });
    expect(claims).toMatchObject({
      client_id: registered.clientID,
      sub: registered.clientID,
      scope: 'cases:create',
      iss: ORIGIN,
    });
  });
});
