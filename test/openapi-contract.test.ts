import { describe, expect, it } from 'vitest';
import { ORIGIN, registerClient, requestToken } from './helpers';
import { checkAgainstOpenApi } from './openapi-contract';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('the OpenAPI document as the contract every test answer is checked against', () => {
  it('takes an answer the document describes, under its canonical path or Pega alias', async () => {
    const client = await registerClient();
    const answer = await requestToken(client);
    expect(answer.status).toBe(200);
    for (const path of ['/oauth2/v1/token', '/prweb/PRRestService/oauth2/v1/token']) {
      await expect(
        checkAgainstOpenApi('POST', `${ORIGIN}${path}`, answer.clone()),
      ).resolves.toBeUndefined();
    }
  });

  it('refuses a body its schema refuses, and a status the operation does not declare', async () => {
    const url = `${ORIGIN}/oauth2/v1/token`;
    await expect(
      checkAgainstOpenApi('POST', url, json({ token_type: 'Mac', expires_in: 'soon' })),
    ).rejects.toThrow(/body breaks the document/);
    await expect(checkAgainstOpenApi('POST', url, json({}, 418))).rejects.toThrow(
      /does not declare/,
    );
    await expect(
      checkAgainstOpenApi('DELETE', `${ORIGIN}/api/v1/casetypes`, json({}, 200)),
    ).rejects.toThrow(/not documented/);
  });

  it('leaves only the console, the landing page and /healthz out; any other answer needs an operation', async () => {
    for (const path of [
      '/admin/clients',
      '/admin/sign-in',
      '/',
      '/healthz',
      '/admin/assets/console.css',
    ]) {
      await expect(
        checkAgainstOpenApi('GET', `${ORIGIN}${path}`, new Response('<html></html>')),
      ).resolves.toBeUndefined();
    }
    await expect(
      checkAgainstOpenApi('GET', `${ORIGIN}/admin/v1/operators`, json({ anything: true })),
    ).rejects.toThrow(/body breaks the document/);
    await expect(
      checkAgainstOpenApi('GET', `${ORIGIN}/api/application/v2/nowhere`, json({}, 200)),
    ).rejects.toThrow(/in no operation/);
    await expect(
      checkAgainstOpenApi('GET', `${ORIGIN}/api/application/v2/nowhere`, json({}, 404)),
    ).resolves.toBeUndefined();
  });
});
