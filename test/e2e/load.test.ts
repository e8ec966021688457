import { expect, inject, it } from 'vitest';
import { registerDemoClient, seedCaseBody } from './admin';

const { url, adminToken } = inject('devServer');
const TOTAL = 1_500;
const IN_FLIGHT = 32;

type Kind = 'token' | 'create' | 'read';

it(`survives ${TOTAL} mixed requests at ${IN_FLIGHT} in flight: no 5xx, every created case listed`, async () => {
  const client = await registerDemoClient(url, adminToken);
  const tokenForm = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: client.clientID,
    client_secret: client.clientSecret,
  }).toString();
  const getToken = async () => {
    const response = await fetch(`${url}/oauth2/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: tokenForm,
    });
    return {
      status: response.status,
      token: ((await response.json()) as { access_token?: string }).access_token,
    };
  };
  const first = await getToken();
  const bearer = { Authorization: `Bearer ${first.token}` };

  const created: string[] = [];
  const statuses = new Map<string, number>();
  const kinds: Kind[] = Array.from(
    { length: TOTAL },
    (_, i) => (['token', 'create', 'read'] as const)[i % 3] as Kind,
  );
  let next = 0;

  async function one(kind: Kind): Promise<number> {
    if (kind === 'token') return (await getToken()).status;
    if (kind === 'create') {
      const response = await fetch(`${url}/api/v1/cases`, {
        method: 'POST',
        headers: { ...bearer, 'Content-Type': 'application/json' },
        body: JSON.stringify(seedCaseBody),
      });
      const body = (await response.json()) as { ID?: string };
      if (response.status === 201 && body.ID) created.push(body.ID);
      return response.status;
    }
    const id = created.at(-1);
    const response = await fetch(
      id ? `${url}/api/v1/cases/${encodeURIComponent(id)}` : `${url}/api/v1/cases?limit=1`,
      {
        headers: bearer,
      },
    );
    await response.arrayBuffer();
    return response.status;
  }

  async function worker() {
    while (next < kinds.length) {
      const kind = kinds[next++] as Kind;
      const status = await one(kind);
      const key = `${kind} ${status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));

  const summary = Object.fromEntries(statuses);
  expect(Object.keys(summary).filter((key) => / 5\d\d$/.test(key))).toEqual([]);
  expect(summary).toEqual({ 'token 200': 500, 'create 201': 500, 'read 200': 500 });
  expect(new Set(created).size).toBe(500);

  const listed = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = (await (
      await fetch(`${url}/api/v1/cases?limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: bearer,
      })
    ).json()) as { cases: { ID: string }[]; nextCursor?: string };
    for (const item of page.cases) listed.add(item.ID);
    cursor = page.nextCursor;
  } while (cursor);
  expect(created.filter((id) => !listed.has(id))).toEqual([]);
});
