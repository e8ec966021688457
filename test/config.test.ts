import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import {
  callWithEnv,
  countRows,
  expectOAuthError,
  registerClient,
  tokenRecordCount,
  tokenRequestInit,
} from './helpers';

describe('configuration fails closed', () => {
  it('closes the admin API with 503 when ADMIN_TOKEN is unset, even to a guess', async () => {
    const before = await countRows('operators');
    for (const authorization of [undefined, 'Bearer ', 'Bearer undefined']) {
      const response = await callWithEnv({ ADMIN_TOKEN: undefined }, '/admin/v1/operators', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(authorization && { Authorization: authorization }),
        },
        body: '{}',
      });
      await expectOAuthError(response, 503, 'server_error');
    }
    expect(await countRows('operators')).toBe(before);
  });

  it('closes the admin API when ADMIN_TOKEN is too short to be a secret', async () => {
    const response = await callWithEnv({ ADMIN_TOKEN: 'short' }, '/admin/v1/operators', {
      headers: { Authorization: 'Bearer short' },
    });
    await expectOAuthError(response, 503, 'server_error');
  });

  it('answers the token endpoint with 503 server_error and logs why when SIGNING_KEYS is missing', async () => {
    const client = await registerClient();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await callWithEnv(
      { SIGNING_KEYS: undefined },
      '/oauth2/v1/token',
      tokenRequestInit(client),
    );
    const body = await expectOAuthError(response, 503, 'server_error');
    expect(JSON.stringify(body)).not.toContain('SIGNING_KEYS');
    expect(log).toHaveBeenCalledWith('edgecase config: SIGNING_KEYS is not set');
    log.mockRestore();
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('answers 503 for malformed SIGNING_KEYS of every kind, and JWKS too', async () => {
    const client = await registerClient();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const publicOnly = JSON.parse(env.SIGNING_KEYS as string).map(
      ({ d: _d, ...rest }: { d: string }) => rest,
    );
    for (const SIGNING_KEYS of ['not json', '[]', '{"kty":"EC"}', JSON.stringify(publicOnly)]) {
      await expectOAuthError(
        await callWithEnv({ SIGNING_KEYS }, '/oauth2/v1/token', tokenRequestInit(client)),
        503,
        'server_error',
      );
      await expectOAuthError(
        await callWithEnv({ SIGNING_KEYS }, '/oauth2/v1/token/keys'),
        503,
        'server_error',
      );
    }
    expect(log).toHaveBeenCalled();
    log.mockRestore();
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('uses ISSUER when configured and refuses a malformed one with 503', async () => {
    const configured = await callWithEnv(
      { ISSUER: 'https://id.example.com' },
      '/.well-known/oauth-authorization-server',
    );
    expect(await configured.json()).toMatchObject({
      issuer: 'https://id.example.com',
      token_endpoint: 'https://id.example.com/oauth2/v1/token',
    });
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = await callWithEnv(
      { ISSUER: 'https://id.example.com/some/path' },
      '/.well-known/oauth-authorization-server',
    );
    expect(broken.status).toBe(503);
    log.mockRestore();
  });

  it('answers 503 for an ISSUER that is not a URL at all, and says why in the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await callWithEnv({ ISSUER: 'not a url' }, '/oauth2/v1/token', {
      method: 'POST',
    });
    await expectOAuthError(response, 503, 'server_error');
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^edgecase config: ISSUER /));
    expect(log).not.toHaveBeenCalledWith(
      'edgecase: unhandled error',
      expect.anything(),
      expect.anything(),
      expect.anything(),
    );
    log.mockRestore();
  });

  it('switches Access off, with a reason, when only half of it is configured', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await callWithEnv(
      { CF_ACCESS_TEAM_DOMAIN: 'team.cloudflareaccess.com' },
      '/admin/v1/operators',
      {
        headers: { 'Cf-Access-Jwt-Assertion': 'x' },
      },
    );
    await expectOAuthError(response, 401, 'invalid_token');
    expect(log).toHaveBeenCalledWith(
      'edgecase config: CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD go together',
    );
    log.mockRestore();
  });

  it('keeps /healthz up whatever the configuration', async () => {
    const response = await callWithEnv(
      { SIGNING_KEYS: 'x', ADMIN_TOKEN: undefined, ISSUER: 'nope' },
      '/healthz',
    );
    expect(response.status).toBe(200);
  });
});
