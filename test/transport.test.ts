import { describe, expect, it } from 'vitest';
import {
  expectOAuthError,
  fetchWorker,
  registerClient,
  tokenRecordCount,
  tokenRequestInit,
} from './helpers';

function tokenRequest(
  url: string,
  client: { clientID: string; clientSecret: string },
  cf?: { tlsVersion: string },
) {
  return fetchWorker(url, {
    ...tokenRequestInit(client),
    ...(cf && { cf: cf as RequestInit['cf'] }),
  });
}

describe('transport guard (contract §7)', () => {
  it('refuses plain http to a public host with 403, no redirect and no token', async () => {
    const client = await registerClient();
    const response = await tokenRequest('http://api.example.com/oauth2/v1/token', client);
    const body = await expectOAuthError(response, 403, 'invalid_request');
    expect(body.error_description).toMatch(/HTTPS/);
    expect(response.headers.get('Location')).toBeNull();
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it('refuses TLS 1.1 with 403 and no token', async () => {
    const client = await registerClient();
    const response = await tokenRequest('https://api.example.com/oauth2/v1/token', client, {
      tlsVersion: 'TLSv1.1',
    });
    await expectOAuthError(response, 403, 'invalid_request');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });

  it("answers outside /oauth2 in Pega's error format", async () => {
    const response = await fetchWorker('http://api.example.com/api/v1/cases');
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      errors: [{ ID: 'https_required', message: 'HTTPS with TLS 1.2 or newer is required.' }],
    });
  });

  it('serves TLS 1.2 and 1.3 over https with HSTS', async () => {
    const client = await registerClient();
    for (const tlsVersion of ['TLSv1.2', 'TLSv1.3']) {
      const response = await tokenRequest('https://api.example.com/oauth2/v1/token', client, {
        tlsVersion,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('Strict-Transport-Security')).toBe(
        'max-age=63072000; includeSubDomains',
      );
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    }
  });

  it('serves plain http on loopback for local development, without HSTS', async () => {
    const client = await registerClient();
    for (const host of ['localhost:8787', '127.0.0.1:8787', '[::1]:8787']) {
      const response = await tokenRequest(`http://${host}/oauth2/v1/token`, client);
      expect(response.status).toBe(200);
      expect(response.headers.get('Strict-Transport-Security')).toBeNull();
    }
  });

  it('answers an unknown route with 404 in the format of its family', async () => {
    const api = await fetchWorker('https://api.example.com/nowhere');
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({
      errors: [{ ID: 'not_found', message: 'No route for GET /nowhere.' }],
    });
    await expectOAuthError(
      await fetchWorker('https://api.example.com/oauth2/v1/nowhere'),
      404,
      'not_found',
    );
  });
});
