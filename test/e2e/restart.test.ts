import { afterAll, expect, it } from 'vitest';
import { registerDemoClient, seedCaseBody } from './admin';
import { type DevServer, startDevServer } from './dev-server';

let server: DevServer | undefined;
afterAll(async () => {
  await server?.stop();
});

const form = (params: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(params).toString(),
});

it('keeps the client, a live token and the cases across a restart on the same state', async () => {
  server = await startDevServer();
  const client = await registerDemoClient(server.url, server.adminToken);
  const credentials = { client_id: client.clientID, client_secret: client.clientSecret };
  const tokenResponse = await fetch(
    `${server.url}/oauth2/v1/token`,
    form({ grant_type: 'client_credentials', ...credentials }),
  );
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const bearer = { Authorization: `Bearer ${token}` };
  const created = await fetch(`${server.url}/api/v1/cases`, {
    method: 'POST',
    headers: { ...bearer, 'Content-Type': 'application/json' },
    body: JSON.stringify(seedCaseBody),
  });
  expect(created.status).toBe(201);
  const { ID } = (await created.json()) as { ID: string };

  const { stateDir, port } = server;
  await server.stop();
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  server = await startDevServer({ stateDir, port });

  const introspection = await fetch(
    `${server.url}/oauth2/v1/token/introspect`,
    form({ token, ...credentials }),
  );
  expect(await introspection.json()).toMatchObject({ active: true, client_id: client.clientID });
  const read = await fetch(`${server.url}/api/v1/cases/${encodeURIComponent(ID)}`, {
    headers: bearer,
  });
  expect(read.status).toBe(200);
  expect(await read.json()).toMatchObject({ ID, content: { RequestID: 'FT123' } });
  const list = (await (await fetch(`${server.url}/api/v1/cases`, { headers: bearer })).json()) as {
    cases: { ID: string }[];
  };
  expect(list.cases.map((item) => item.ID)).toContain(ID);
});
