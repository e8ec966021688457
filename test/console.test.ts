import { env } from 'cloudflare:workers';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/crypto/secrets';
import {
  ADMIN_TOKEN,
  admin,
  api,
  apiCaller,
  CITY_SERVICES,
  call,
  callWithEnv,
  createOperator,
  defineCaseType,
  ORIGIN,
  registerClient,
  seedCase,
  unique,
} from './helpers';

/** The console as a browser uses it: a session cookie, forms from this origin. */
interface Browser {
  cookie: string;
  get(path: string, overrides?: Partial<Cloudflare.Env>): Promise<Response>;
  post(
    path: string,
    form?: Record<string, string | string[]>,
    headers?: Record<string, string>,
    overrides?: Partial<Cloudflare.Env>,
  ): Promise<Response>;
}

function formBody(form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
  }
  return body.toString();
}

const cookieOf = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith(`${name}=`))
    ?.split(';')[0] ?? '';

async function signedIn(): Promise<Browser> {
  const response = await callWithEnv({}, '/admin/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
    body: formBody({ token: ADMIN_TOKEN }),
  });
  expect(response.status).toBe(303);
  const session = cookieOf(response, 'edgecase_session');
  expect(session).toMatch(/^edgecase_session=./);
  const browser: Browser = {
    cookie: session,
    get: (path, overrides = {}) =>
      callWithEnv(overrides, path, { headers: { Cookie: browser.cookie }, redirect: 'manual' }),
    post: (path, form = {}, headers = {}, overrides = {}) =>
      callWithEnv(overrides, path, {
        method: 'POST',
        headers: {
          Cookie: browser.cookie,
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: ORIGIN,
          ...headers,
        },
        body: formBody(form),
        redirect: 'manual',
      }),
  };
  return browser;
}

const expectSignIn = (response: Response) => {
  expect(response.status).toBe(303);
  expect(response.headers.get('Location')).toBe('/admin/sign-in');
};

/** The hidden version field of the first form on a page. */
const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

describe('console sessions', () => {
  it('end when ADMIN_TOKEN is rotated or removed, whatever their idle time', async () => {
    const browser = await signedIn();
    expect((await browser.get('/admin/clients')).status).toBe(200);
    expectSignIn(await browser.get('/admin/clients', { ADMIN_TOKEN: `${ADMIN_TOKEN}-rotated` }));
    // Gone for good: the same cookie does not come back with the old token.
    expectSignIn(await browser.get('/admin/clients'));

    const other = await signedIn();
    expectSignIn(await other.get('/admin/operators', { ADMIN_TOKEN: undefined }));
  });

  it('end 12 hours after sign-in however busy they are', async () => {
    const browser = await signedIn();
    const id = browser.cookie.split('=')[1] as string;
    const key = `session:${await sha256Hex(id)}`;
    const record = await env.TOKENS.get<Record<string, number>>(key, 'json');
    const now = Math.floor(Date.now() / 1000);
    // Used a minute ago, but signed into 12 hours and a minute ago.
    await env.TOKENS.put(
      key,
      JSON.stringify({ ...record, createdAt: now - 12 * 3600 - 60, refreshedAt: now - 60 }),
    );
    expectSignIn(await browser.get('/admin/clients'));
  });

  it('serve the stylesheet from the static assets, to anyone, cacheable', async () => {
    const response = await callWithEnv({}, '/admin/assets/console.css');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/css/);
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(await response.text()).toContain(':root');
  });

  it('open the console first page at /admin/ and /admin', async () => {
    const browser = await signedIn();
    for (const path of ['/admin/', '/admin']) {
      const response = await browser.get(path);
      expect(response.status).toBe(303);
      expect(response.headers.get('Location')).toBe('/admin/clients');
    }
  });
});

describe('console form posts', () => {
  it('refuse a post from another origin, or with no origin, whatever its Content-Type', async () => {
    const browser = await signedIn();
    const client = await registerClient();
    const path = `/admin/clients/${client.clientID}`;
    const foreign: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
      { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site', Origin: 'https://sub.edgecase.test' },
    ];
    for (const action of ['disable', 'delete', 'revoke-tokens']) {
      for (const headers of foreign) {
        const response = await browser.post(`${path}/${action}`, { version: '1' }, headers);
        expect(response.status).toBe(403);
        expect(await response.text()).toContain('not sent from this console');
      }
      // No Origin and no Sec-Fetch-Site: no browser page of this origin sent it.
      const bare = await callWithEnv({}, `${path}/${action}`, {
        method: 'POST',
        headers: { Cookie: browser.cookie },
        redirect: 'manual',
      });
      expect(bare.status).toBe(403);
    }
    const signOut = await browser.post('/admin/sign-out', {}, { Origin: 'https://evil.example' });
    expect(signOut.status).toBe(403);
    expect((await browser.get('/admin/clients')).status).toBe(200);
    const read = await (await admin('GET', `/clients/${client.clientID}`)).json();
    expect(read).toMatchObject({ enabled: true });
  });

  it('answer every change with a redirect (post/redirect/get), and the page says what was done', async () => {
    const browser = await signedIn();
    const client = await registerClient();
    const path = `/admin/clients/${client.clientID}`;
    const page = await (await browser.get(`${path}/confirm/disable`)).text();
    // Chrome sends Origin: null under no-referrer; Sec-Fetch-Site says the page was ours.
    const disabled = await browser.post(
      `${path}/disable`,
      { version: versionIn(page) },
      { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
    );
    expect(disabled.status).toBe(303);
    expect(disabled.headers.get('Location')).toBe(`${path}?done=disabled`);
    expect(await (await browser.get(`${path}?done=disabled`)).text()).toContain(
      'The client is disabled, and its tokens are revoked.',
    );
    const revoked = await browser.post(`${path}/revoke-tokens`);
    expect(revoked.headers.get('Location')).toBe(`${path}?done=revoked`);
    // A notice is one of the console's own texts, never what the query says.
    const echoed = await (await browser.get(`${path}?done=<b>owned</b>`)).text();
    expect(echoed).not.toContain('owned');
  });

  it('show a new secret once, on the page after the redirect, and never again', async () => {
    const browser = await signedIn();
    const { operatorID } = await createOperator();
    const registered = await browser.post('/admin/clients/new', {
      name: 'Console secret',
      operatorID,
      authMethod: 'client_secret',
    });
    expect(registered.status).toBe(303);
    const location = registered.headers.get('Location') as string;
    expect(location).toMatch(/^\/admin\/clients\/[^/]+\/credentials$/);
    const reveal = cookieOf(registered, 'edgecase_reveal');
    expect(reveal).not.toBe('');
    // The secret is in no header, and KV holds it only sealed.
    const secretPattern = /[A-Za-z0-9_-]{43}/;
    const shown = await callWithEnv({}, location, {
      headers: { Cookie: `${browser.cookie}; ${reveal}` },
    });
    expect(shown.status).toBe(200);
    const html = await shown.text();
    const secret = /id="client-secret">([^<]+)</.exec(html)?.[1]?.trim() ?? '';
    expect(secret).toMatch(secretPattern);
    expect(registered.headers.get('Set-Cookie')).not.toContain(secret);
    const again = await callWithEnv({}, location, {
      headers: { Cookie: `${browser.cookie}; ${reveal}` },
    });
    expect(again.status).toBe(410);
    expect(await again.text()).not.toContain(secret);
  });
});

describe('stale console forms', () => {
  it('never re-widen an operator narrowed after the form was loaded', async () => {
    const browser = await signedIn();
    const { operatorID } = await createOperator({
      accessGroup: {
        name: 'TEST:Wide',
        privileges: ['casetypes:read', 'cases:create', 'cases:read', 'cases:update'],
        caseTypes: ['*'],
        caseVisibility: 'own',
      },
    });
    const path = `/admin/operators/${operatorID}`;
    const form = await (await browser.get(path)).text();
    const narrowed = await admin('PATCH', `/operators/${operatorID}`, {
      accessGroup: { privileges: ['cases:read'] },
    });
    expect(narrowed.status).toBe(200);
    // The old form, saved with only the name changed.
    const saved = await browser.post(path, {
      version: versionIn(form),
      name: 'Renamed',
      groupName: 'TEST:Wide',
      privileges: ['casetypes:read', 'cases:create', 'cases:read', 'cases:update'],
      caseTypes: '*',
      caseVisibility: 'own',
    });
    expect(saved.status).toBe(400);
    const page = await saved.text();
    expect(page).toContain('Someone changed this operator after you opened the form');
    // The form shows the operator as it is now, at its new version.
    expect(versionIn(page)).toBe('2');
    expect(page).not.toMatch(/value="cases:update" checked/);
    const current = await (await admin('GET', `/operators/${operatorID}`)).json();
    expect(current).toMatchObject({
      name: 'Test operator',
      accessGroup: { privileges: ['cases:read'] },
    });
  });

  it('never undo a newer change to a case type or a client', async () => {
    const browser = await signedIn();
    const type = {
      ID: `Cnow-Stale-Work-${unique('Form')}`,
      name: 'Stale form',
      idPrefix: 'SF-',
      startingProcesses: [{ ID: 'pyStartCase', name: 'Create' }],
      fields: [{ name: 'Note', type: 'string' }],
    };
    expect((await admin('POST', '/casetypes', type)).status).toBe(201);
    const editPath = `/admin/casetypes/${type.ID}/edit`;
    const form = await (await browser.get(editPath)).text();
    const replaced = await admin('PUT', `/casetypes/${type.ID}`, { ...type, name: 'Newer' });
    expect(replaced.status).toBe(200);
    const saved = await browser.post(editPath, {
      version: versionIn(form),
      name: 'Older',
      idPrefix: 'SF-',
      'field.0.name': 'Note',
      'field.0.type': 'string',
    });
    expect(saved.status).toBe(400);
    expect(await saved.text()).toContain('Someone changed this case type');
    expect(await (await admin('GET', `/casetypes/${type.ID}`)).json()).toMatchObject({
      name: 'Newer',
    });

    const client = await registerClient({ tokensPerHour: 10 });
    const clientEdit = `/admin/clients/${client.clientID}/edit`;
    const clientForm = await (await browser.get(clientEdit)).text();
    expect((await admin('PATCH', `/clients/${client.clientID}`, { tokensPerHour: 5 })).status).toBe(
      200,
    );
    const stale = await browser.post(clientEdit, {
      version: versionIn(clientForm),
      name: 'Renamed',
      accessTokenLifetime: '3600',
      tokensPerHour: '10',
      scopes: client.scopes,
      authMethod: 'client_secret',
    });
    expect(stale.status).toBe(400);
    expect(await stale.text()).toContain('Someone changed this client');
    expect(await (await admin('GET', `/clients/${client.clientID}`)).json()).toMatchObject({
      name: 'Test client',
      tokensPerHour: 5,
    });
  });
});

describe('key and certificate clients in the console', () => {
  it('answers a deeply nested JWKS with the form and its field error, never a 503', async () => {
    const browser = await signedIn();
    const { operatorID } = await createOperator();
    const deep = `{"keys":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    const response = await browser.post('/admin/clients/new', {
      name: 'Deep keys',
      operatorID,
      authMethod: 'private_key_jwt',
      jwks: deep,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('.jwks');
  });

  it('registers a private_key_jwt client and switches it to a self-signed certificate', async () => {
    const browser = await signedIn();
    const { operatorID } = await createOperator();
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'console' }] };
    const bad = await browser.post('/admin/clients/new', {
      name: 'Keys',
      operatorID,
      authMethod: 'private_key_jwt',
      jwks: 'not json',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('.jwks');
    const registered = await browser.post('/admin/clients/new', {
      name: 'Keys',
      operatorID,
      accessTokenLifetime: '600',
      authMethod: 'private_key_jwt',
      jwks: JSON.stringify(jwks),
      dpop: 'true',
    });
    expect(registered.status).toBe(303);
    const location = registered.headers.get('Location') as string;
    expect(location).toMatch(/\?done=registered$/);
    const clientId = decodeURIComponent(location.split('/')[3]?.split('?')[0] ?? '');
    const read = await (await admin('GET', `/clients/${clientId}`)).json();
    expect(read).toMatchObject({
      tokenEndpointAuthMethod: 'private_key_jwt',
      dpopBoundAccessTokens: true,
      jwks: { keys: [expect.objectContaining({ kid: 'console' })] },
    });
    expect(read).not.toHaveProperty('clientSecret');

    const editPath = `/admin/clients/${clientId}/edit`;
    const form = await (await browser.get(editPath)).text();
    expect(form).toContain('console');
    const fingerprint = 'AB'.repeat(32);
    const switched = await browser.post(editPath, {
      version: versionIn(form),
      name: 'Certificate now',
      accessTokenLifetime: '600',
      scopes: (read as { scopes: string[] }).scopes,
      tokensPerHour: '',
      authMethod: 'self_signed_tls_client_auth',
      sha256: fingerprint,
    });
    expect(switched.status).toBe(303);
    expect(switched.headers.get('Location')).toBe(`/admin/clients/${clientId}?done=saved`);
    expect(await (await admin('GET', `/clients/${clientId}`)).json()).toMatchObject({
      name: 'Certificate now',
      tokenEndpointAuthMethod: 'self_signed_tls_client_auth',
      tlsClientCertificateSha256: fingerprint.toLowerCase(),
      tokensPerHour: null,
      dpopBoundAccessTokens: false,
    });
  });
});

describe("the console's case page", () => {
  /** The page's content table, open assignment and history actions: what an admin reads. */
  const summaryOf = (html: string) => ({
    content: [...html.matchAll(/<tr><th>([^<]*)<\/th><td>([^<]*)<\/td><\/tr>/g)].map((m) => [
      m[1],
      m[2],
    ]),
    status: /<dt>Status<\/dt><dd>([^<]*)<\/dd>/.exec(html)?.[1],
    step: /<dt>Step<\/dt><dd>([^<]*)<\/dd>/.exec(html)?.[1],
    history: [...html.matchAll(/<td>(case\.[a-z]+)<\/td>/g)].map((m) => m[1]),
  });

  it('shows a case the same way whichever API wrote it', async () => {
    await defineCaseType();
    const caller = await apiCaller();
    const v1 = await api('POST', '/cases', caller.token, seedCase);
    const { ID: viaV1 } = await v1.json<{ ID: string }>();
    const v2 = await call('/prweb/api/application/v2/cases', {
      method: 'POST',
      headers: { Authorization: `Bearer ${caller.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ caseTypeID: CITY_SERVICES, content: seedCase.content }),
    });
    expect(v2.status).toBe(201);
    const { ID: viaV2 } = await v2.json<{ ID: string }>();
    const browser = await signedIn();
    const pages = await Promise.all(
      [viaV1, viaV2].map(async (id) => {
        const page = await browser.get(`/admin/cases/${encodeURIComponent(id)}`);
        expect(page.status).toBe(200);
        return summaryOf(await page.text());
      }),
    );
    expect(pages[0]?.content).toEqual([
      ['RequestID', 'FT123'],
      ['RequestDetail', 'faster trains, please!'],
    ]);
    expect(pages[0]?.history).toEqual(['case.create']);
    expect(pages[1]).toEqual(pages[0]);
  });

  it("lists a case's files and downloads them as stored, never inline", async () => {
    await defineCaseType();
    const caller = await apiCaller();
    const v1 = await api('POST', '/cases', caller.token, seedCase);
    const { ID } = await v1.json<{ ID: string }>();
    const form = new FormData();
    const bytes = new Uint8Array([0, 1, 2, 250, 255, 60, 104, 116, 109, 108, 62]);
    form.append('file', new Blob([bytes], { type: 'text/html' }), 'photo <1>.html');
    const uploaded = await call('/api/v1/attachments/upload', {
      method: 'POST',
      headers: { Authorization: `Bearer ${caller.token}` },
      body: form,
    });
    const { ID: attachmentId } = await uploaded.json<{ ID: string }>();
    const linked = await api('POST', `/cases/${encodeURIComponent(ID)}/attachments`, caller.token, {
      attachments: [{ type: 'File', ID: attachmentId }],
    });
    expect(linked.status).toBe(201);
    const browser = await signedIn();
    const page = await (await browser.get(`/admin/cases/${encodeURIComponent(ID)}`)).text();
    const href = `/admin/cases/${encodeURIComponent(ID)}/attachments/${attachmentId}`;
    expect(page).toContain(`href="${href}"`);
    expect(page).toContain('photo &lt;1&gt;.html');
    const download = await browser.get(href);
    expect(download.status).toBe(200);
    expect(download.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(download.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="photo <1>.html"/,
    );
    expect(download.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(download.headers.get('Content-Security-Policy')).toContain('sandbox');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    // Only under its own case, and only signed in.
    const elsewhere = await browser.get(`/admin/cases/OTHER%20R-1/attachments/${attachmentId}`);
    expect(elsewhere.status).toBe(404);
    const anonymous = await callWithEnv({}, href, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
  });
});

describe('a case type’s life cycle in the console', () => {
  it('defines stages and a next screen, shows them, and keeps them in the edit form', async () => {
    const browser = await signedIn();
    const ID = `Cnow-Life-Work-${unique('Console')}`;
    const step = (i: number, id: string, field: string, nextScreen = false) => ({
      [`step.${i}.ID`]: id,
      [`step.${i}.name`]: `${id} step`,
      [`step.${i}.fields`]: field,
      [`step.${i}.actionID`]: `Do${id}`,
      [`step.${i}.actionName`]: `Do ${id}`,
      ...(nextScreen && { [`step.${i}.nextScreen`]: 'on' }),
    });
    const form = {
      ID,
      name: 'Life in the console',
      idPrefix: 'LC-',
      'field.0.name': 'Where',
      'field.0.type': 'string',
      'field.1.name': 'How',
      'field.1.type': 'string',
      ...step(0, 'Enter', 'Where'),
      ...step(1, 'Confirm', 'How', true),
      ...step(2, 'Fix', 'How'),
      stages:
        'PRIM1 | Report | Primary |  | Enter, Confirm\nPRIM2 | Fix | Primary | | Fix\nALT1 | Rejected | Alternate | Resolved-Rejected |',
    };
    const created = await browser.post('/admin/casetypes/new', form);
    expect(created.status).toBe(303);
    const stored = await (await admin('GET', `/casetypes/${ID}`)).json<{
      flow: { nextScreen?: boolean }[];
      stages: unknown[];
    }>();
    expect(stored.flow.map((one) => one.nextScreen === true)).toEqual([false, true, false]);
    expect(stored.stages).toEqual([
      { ID: 'PRIM1', name: 'Report', type: 'Primary', steps: ['Enter', 'Confirm'] },
      { ID: 'PRIM2', name: 'Fix', type: 'Primary', steps: ['Fix'] },
      {
        ID: 'ALT1',
        name: 'Rejected',
        type: 'Alternate',
        resolutionStatus: 'Resolved-Rejected',
        steps: [],
      },
    ]);
    const page = await (await browser.get(`/admin/casetypes/${ID}`)).text();
    expect(page).toContain('Enter step → Confirm step (next screen)');
    expect(page).toContain('Resolved-Rejected');
    const edit = await (await browser.get(`/admin/casetypes/${ID}/edit`)).text();
    expect(edit).toContain('PRIM1 | Report | Primary |  | Enter, Confirm');
    expect(edit).toMatch(/name="step\.1\.nextScreen" checked/);

    // A stage line the API refuses: the form again, with the field's error, nothing changed.
    const refused = await browser.post(`/admin/casetypes/${ID}/edit`, {
      ...form,
      version: versionIn(edit),
      stages: 'PRIM1 | Report | Sideways | | Enter, Confirm, Fix',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('stages');
    expect(
      (await (await admin('GET', `/casetypes/${ID}`)).json<{ stages: unknown[] }>()).stages,
    ).toHaveLength(3);
  });
});

describe('optional processes in the console', () => {
  it('keeps a type’s processes in its edit form, and shows every open assignment of a case', async () => {
    const browser = await signedIn();
    const ID = `Cnow-Life-Work-${unique('Processes')}`;
    const processes = [
      {
        ID: 'Escalate',
        name: 'Escalate',
        step: {
          ID: 'EscalateIt',
          name: 'Escalate it',
          instructions: '',
          fields: [{ name: 'Note', required: false }],
          action: { ID: 'EscalateIt', name: 'Escalate' },
        },
      },
    ];
    const type = {
      ID,
      name: 'Processes',
      idPrefix: 'OP-',
      startingProcesses: [{ ID: 'pyStartCase', name: 'Create' }],
      fields: [{ name: 'Note', type: 'string' }],
      processes,
    };
    expect((await admin('POST', '/casetypes', type)).status).toBe(201);
    const edit = await (await browser.get(`/admin/casetypes/${ID}/edit`)).text();
    const text = /<textarea name="processes"[^>]*>([^<]*)<\/textarea>/.exec(edit)?.[1] ?? '';
    const unescaped = text
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&amp;', '&');
    expect(JSON.parse(unescaped)).toEqual(processes);
    // Saved as it stands: the processes stay.
    const saved = await browser.post(`/admin/casetypes/${ID}/edit`, {
      version: versionIn(edit),
      name: 'Processes renamed',
      idPrefix: 'OP-',
      'field.0.name': 'Note',
      'field.0.type': 'string',
      processes: unescaped,
    });
    expect(saved.status).toBe(303);
    expect(await (await admin('GET', `/casetypes/${ID}`)).json()).toMatchObject({
      name: 'Processes renamed',
      processes,
    });

    const caller = await apiCaller();
    const v2 = (method: string, path: string, body?: unknown) =>
      call(`/api/application/v2${path}`, {
        method,
        headers: { Authorization: `Bearer ${caller.token}`, 'Content-Type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    const created = await v2('POST', '/cases', { caseTypeID: ID, content: {} });
    const { ID: caseId } = await created.json<{ ID: string }>();
    expect(
      (await v2('POST', `/cases/${encodeURIComponent(caseId)}/processes/Escalate`)).status,
    ).toBe(200);
    const page = await (await browser.get(`/admin/cases/${encodeURIComponent(caseId)}`)).text();
    expect(page).toContain(`ASSIGN-WORKLIST ${caseId}!PYSTARTCASE`);
    expect(page).toContain(`ASSIGN-WORKLIST ${caseId}!ESCALATE`);
    expect(page).toContain('Escalate it');
  });
  it('edits participant roles as lines, and shows who follows, tags, relates to and takes part in a case', async () => {
    const browser = await signedIn();
    const ID = `Cnow-Party-Work-${unique('Roles')}`;
    const type = {
      ID,
      name: 'Roles',
      idPrefix: 'RO-',
      startingProcesses: [{ ID: 'pyStartCase', name: 'Create' }],
      fields: [{ name: 'Note', type: 'string' }],
    };
    expect((await admin('POST', '/casetypes', type)).status).toBe(201);
    const edit = await (await browser.get(`/admin/casetypes/${ID}/edit`)).text();
    const saved = await browser.post(`/admin/casetypes/${ID}/edit`, {
      version: versionIn(edit),
      name: 'Roles',
      idPrefix: 'RO-',
      'field.0.name': 'Note',
      'field.0.type': 'string',
      participantRoles: 'Customer | Customer | one\nOwner | Owner',
    });
    expect(saved.status).toBe(303);
    expect(
      ((await (await admin('GET', `/casetypes/${ID}`)).json()) as { participantRoles: unknown })
        .participantRoles,
    ).toEqual([
      { ID: 'Customer', name: 'Customer', single: true },
      { ID: 'Owner', name: 'Owner' },
    ]);
    const again = await (await browser.get(`/admin/casetypes/${ID}/edit`)).text();
    expect(again).toContain('Customer | Customer | one\nOwner | Owner');
    // A field marked queryable stays so, and a dropdown's data source is kept by a save.
    const queryable = await browser.post(`/admin/casetypes/${ID}/edit`, {
      version: versionIn(again),
      name: 'Roles',
      idPrefix: 'RO-',
      'field.0.name': 'Note',
      'field.0.type': 'string',
      'field.0.queryable': 'on',
      'field.0.dataSource': '{"dataView":"D_KindList","value":"Code"}',
      participantRoles: 'Customer | Customer | one\nOwner | Owner',
    });
    expect(queryable.status).toBe(303);
    expect(
      ((await (await admin('GET', `/casetypes/${ID}`)).json()) as { fields: unknown[] }).fields,
    ).toEqual([
      {
        name: 'Note',
        type: 'string',
        required: false,
        queryable: true,
        dataSource: { dataView: 'D_KindList', value: 'Code' },
      },
    ]);

    const caller = await apiCaller();
    const v2 = (method: string, path: string, body?: unknown, headers = {}) =>
      call(`/api/application/v2${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${caller.token}`,
          'Content-Type': 'application/json',
          ...headers,
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    const ids: string[] = [];
    for (const _ of [1, 2]) {
      const created = await v2('POST', '/cases', { caseTypeID: ID, content: {} });
      ids.push((await created.json<{ ID: string }>()).ID);
    }
    const [caseId = '', relatedId = ''] = ids;
    const at = `/cases/${encodeURIComponent(caseId)}`;
    expect(
      (await v2('POST', `${at}/followers`, { users: [{ ID: caller.operatorID }] })).status,
    ).toBe(201);
    expect((await v2('POST', `${at}/tags`, { tags: [{ Name: 'Loud' }] })).status).toBe(201);
    expect((await v2('POST', `${at}/related_cases`, { cases: [{ ID: relatedId }] })).status).toBe(
      201,
    );
    const read = await v2('GET', at);
    const added = await v2(
      'POST',
      `${at}/participants`,
      {
        content: { pyFirstName: '<b>Ada</b>', pyEmail1: 'ada@example.com' },
        participantRoleID: 'Owner',
      },
      { 'If-Match': read.headers.get('ETag') as string },
    );
    expect(added.status).toBe(201);
    const page = await (await browser.get(`/admin/cases/${encodeURIComponent(caseId)}`)).text();
    expect(page).toContain(caller.operatorID);
    expect(page).toContain('loud');
    expect(page).toContain(`href="/admin/cases/${encodeURIComponent(relatedId)}"`);
    expect(page).toContain('Owner_01');
    expect(page).toContain('&lt;b&gt;Ada&lt;/b&gt;');
    expect(page).toContain('ada@example.com');
    expect(page).toContain('case.participants.add');
  });
  it('defines a data type, and adds, replaces and deletes its records', async () => {
    const browser = await signedIn();
    const ID = `Cnow-Console-Data-${unique('Kind').replace(/[^A-Za-z0-9]/g, '')}`;
    const created = await browser.post('/admin/datatypes/new', {
      ID,
      name: 'Kind',
      description: 'Kinds of things',
      keyField: 'Code',
      fields: '[{"name": "Code", "type": "string"}, {"name": "Label", "type": "string"}]',
    });
    expect(created.status).toBe(303);
    const path = `/admin/datatypes/${encodeURIComponent(ID)}`;
    const saved = await browser.post(`${path}/records`, {
      record: '{"Code": "A", "Label": "<i>First</i>"}',
    });
    expect(saved.status).toBe(303);
    expect(
      (await browser.post(`${path}/records`, { record: '{"Code": "A", "Label": "Again"}' })).status,
    ).toBe(303);
    const refused = await browser.post(`${path}/records`, { record: '{"Label": "No key"}' });
    expect(refused.status).toBe(400);
    const page = await (await browser.get(path)).text();
    expect(page).toContain('Again');
    expect(page).not.toContain('<i>First</i>');
    expect(page).toContain(`D_${ID.split('-').pop()}List`);
    expect((await browser.post(`${path}/records/delete`, { key: 'A' })).status).toBe(303);
    expect(await (await browser.get(path)).text()).toContain('None.');
    const list = await (await browser.get('/admin/datatypes')).text();
    expect(list).toContain(ID);
    const edit = await (await browser.get(`${path}/edit`)).text();
    const stale = await browser.post(`${path}/edit`, {
      version: '99',
      name: 'Renamed',
      keyField: 'Code',
      fields: '[{"name": "Code", "type": "string"}]',
    });
    expect(stale.status).toBe(400);
    expect(await stale.text()).toContain('Someone changed this data type');
    const renamed = await browser.post(`${path}/edit`, {
      version: versionIn(edit),
      name: 'Renamed',
      keyField: 'Code',
      fields: '[{"name": "Code", "type": "string"}]',
    });
    expect(renamed.status).toBe(303);
  });
});
