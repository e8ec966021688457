import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../src/index';
import { expectDxError } from './dx-helpers';
import {
  type ApiCaller,
  apiCaller,
  call,
  callWithEnv,
  casePath,
  countRows,
  createCase,
  defineCaseType,
  issueToken,
  registerClient,
  rowCounts,
} from './helpers';

/** Attachments: one store (R2 and D1) for both APIs, as Pega's clients call it. */

const V1 = '/api/v1';
const V2 = '/prweb/api/application/v2';

const bearer = (caller: ApiCaller) => ({ Authorization: `Bearer ${caller.token}` });

function uploadInit(caller: ApiCaller, file: Blob, name: string, field = 'file'): RequestInit {
  const form = new FormData();
  form.append('appendUniqueIdToFileName', 'true');
  form.append(field, file, name);
  return { method: 'POST', headers: bearer(caller), body: form };
}

async function upload(caller: ApiCaller, api: string, file: Blob, name: string, field = 'file') {
  const response = await call(`${api}/attachments/upload`, uploadInit(caller, file, name, field));
  expect(response.status).toBe(201);
  return (await response.json<{ ID: string }>()).ID;
}

function link(caller: ApiCaller, api: string, caseId: string, attachments: unknown[]) {
  return call(`${api}${casePath(caseId)}/attachments`, {
    method: 'POST',
    headers: { ...bearer(caller), 'Content-Type': 'application/json' },
    body: JSON.stringify({ attachments }),
  });
}

interface Listed {
  ID: string;
  name: string;
  fileName: string;
  category: string;
  type: string;
  extension: string;
  mimeType: string;
  createdBy: string;
  createTime: string;
  url?: string;
}

async function list(caller: ApiCaller, api: string, caseId: string) {
  const response = await call(`${api}${casePath(caseId)}/attachments`, { headers: bearer(caller) });
  expect(response.status).toBe(200);
  return (await response.json<{ attachments: Listed[] }>()).attachments;
}

const download = (caller: ApiCaller, api: string, id: string) =>
  call(`${api}/attachments/${encodeURIComponent(id)}`, { headers: bearer(caller) });

/** The IDs a link answered: Pega's LINK-ATTACHMENT IDs, in the order linked. */
async function linkedIds(response: Response): Promise<string[]> {
  const body = await response.clone().json<{ attachments: { ID: string }[] }>();
  return body.attachments.map((attachment) => attachment.ID);
}

const LINK_ID = /^LINK-ATTACHMENT [A-Z-]+ R-\d+!\d{8}T\d{6}\.\d{3} GMT$/;

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

let caller: ApiCaller;
let caseId: string;
beforeAll(async () => {
  await defineCaseType();
  caller = await apiCaller();
  caseId = (await createCase(caller)).ID;
});

describe('attachments across both APIs', () => {
  it('uploads through v2, links through v1, and downloads byte for byte through either', async () => {
    const bytes = new Uint8Array(300_000);
    for (let at = 0; at < bytes.length; at += 65_536) {
      crypto.getRandomValues(bytes.subarray(at, at + 65_536));
    }
    const id = await upload(
      caller,
      V2,
      new Blob([bytes], { type: 'image/png' }),
      'street light.png',
    );
    const linked = await link(caller, V1, caseId, [
      { type: 'File', category: 'File', name: 'Broken street light', ID: id },
    ]);
    expect(linked.status).toBe(201);
    const [linkId = ''] = await linkedIds(linked);
    expect(linkId).toMatch(LINK_ID);
    expect(linkId.startsWith(`LINK-ATTACHMENT ${caseId}!`)).toBe(true);

    const [listed] = await list(caller, V2, caseId);
    expect(listed).toMatchObject({
      ID: linkId,
      name: 'Broken street light',
      category: 'File',
      type: 'FILE',
      extension: 'png',
      mimeType: 'image/png',
      createdBy: caller.operatorID,
    });
    expect(await list(caller, V1, caseId)).toEqual([listed]);

    // By Pega's ID, and by the upload's, which stays its own.
    for (const [api, key] of [
      [V1, linkId],
      [V2, linkId],
      [V2, id],
    ] as const) {
      const response = await download(caller, api, key);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
      expect(response.headers.get('Content-Disposition')).toMatch(
        /^attachment; filename="Broken street light.png"/,
      );
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(fromBase64(await response.text())).toEqual(bytes);
    }
    // Another client of the same operator: the same access, the same bytes.
    const sibling = await registerClient({ operatorID: caller.operatorID });
    const siblingCaller = { ...sibling, token: await issueToken(sibling) };
    const viaSibling = await download(siblingCaller, V1, id);
    expect(fromBase64(await viaSibling.text())).toEqual(bytes);
    const stored = await env.ATTACHMENTS.get(`attachments/${id}`);
    expect(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(bytes);
  });

  it("takes Pega's web client's field name (File), and links, categories and URLs as it sends them", async () => {
    const id = await upload(caller, V1, new Blob(['signed form']), 'form.pdf', 'File');
    const linked = await link(caller, V2, caseId, [
      { type: 'File', category: 'File', fileType: 'pdf', name: 'form v1.2.pdf', ID: id },
      { type: 'URL', category: 'URL', name: 'City map', url: 'https://maps.example.com/x' },
    ]);
    expect(linked.status).toBe(201);
    const [fileId] = await linkedIds(linked);
    const all = await list(caller, V2, caseId);
    expect(all.find((item) => item.ID === fileId)).toMatchObject({
      name: 'form v1.2',
      fileName: 'form v1.2.pdf',
    });
    const url = all.find((item) => item.type === 'URL');
    expect(url).toMatchObject({
      name: 'City map',
      category: 'URL',
      url: 'https://maps.example.com/x',
    });
    expect(await (await download(caller, V2, url?.ID as string)).text()).toBe(
      'https://maps.example.com/x',
    );

    const categories = await call(`${V2}${casePath(caseId)}/attachment_categories`, {
      headers: bearer(caller),
    });
    expect(await categories.json()).toEqual({
      attachment_categories: [
        {
          ID: 'File',
          name: 'File',
          canView: true,
          canCreate: true,
          canEdit: true,
          canDelete: true,
          canEditOwn: true,
          canEditAll: true,
          canDeleteOwn: true,
          canDeleteAll: true,
        },
      ],
    });
  });

  it('deletes through either API, writing adds and removals to the case history', async () => {
    const upload_ = await upload(caller, V2, new Blob(['x']), 'note.txt');
    const linked = await link(caller, V2, caseId, [{ type: 'File', ID: upload_ }]);
    expect(linked.status).toBe(201);
    const [id = ''] = await linkedIds(linked);
    const deleted = await call(`${V1}/attachments/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: bearer(caller),
    });
    expect(deleted.status).toBe(200);
    expect(await env.ATTACHMENTS.head(`attachments/${upload_}`)).toBeNull();
    expect((await download(caller, V2, id)).status).toBe(404);
    const history = await env.DB.prepare(
      `SELECT action FROM audit_log WHERE target_type = 'case' AND target_id = ?
       AND json_extract(detail, '$.attachment') = ? ORDER BY id`,
    )
      .bind(caseId, id)
      .all<{ action: string }>();
    expect(history.results.map((row) => row.action)).toEqual(['case.attach', 'case.detach']);
    const again = await call(`${V2}/attachments/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: bearer(caller),
    });
    expect(again.status).toBe(404);
  });
});

describe('attachments refused', () => {
  it('are nobody else’s: a stranger cannot list, download, link, use an upload or delete (404)', async () => {
    const stranger = await apiCaller();
    const id = await upload(caller, V2, new Blob(['mine']), 'mine.txt');
    const tempOnly = await upload(caller, V2, new Blob(['temp']), 'temp.txt');
    expect((await link(caller, V2, caseId, [{ type: 'File', ID: id }])).status).toBe(201);
    for (const api of [V1, V2]) {
      expect(
        (await call(`${api}${casePath(caseId)}/attachments`, { headers: bearer(stranger) })).status,
      ).toBe(404);
      expect((await download(stranger, api, id)).status).toBe(404);
      expect((await download(stranger, api, tempOnly)).status).toBe(404);
      const del = await call(`${api}/attachments/${id}`, {
        method: 'DELETE',
        headers: bearer(stranger),
      });
      expect(del.status).toBe(404);
    }
    const ownCase = (await createCase(stranger)).ID;
    const stolen = await link(stranger, V2, ownCase, [{ type: 'File', ID: tempOnly }]);
    expect(stolen.status).toBe(404);
    expect((await link(stranger, V2, caseId, [{ type: 'File', ID: tempOnly }])).status).toBe(404);
    // Still the uploader's to link.
    expect((await link(caller, V2, caseId, [{ type: 'File', ID: tempOnly }])).status).toBe(201);
    // Linked once only.
    expect((await link(caller, V2, caseId, [{ type: 'File', ID: tempOnly }])).status).toBe(404);
  });

  it('refuses a file over the limit with 413 and a JSON body, storing nothing', async () => {
    const before = await rowCounts();
    const small = { ATTACHMENT_MAX_BYTES: '1000' } as Partial<Cloudflare.Env>;
    for (const [api, key] of [
      [V2, 'errorDetails'],
      [V1, 'errors'],
    ] as const) {
      const response = await callWithEnv(
        small,
        `${api}/attachments/upload`,
        uploadInit(caller, new Blob([new Uint8Array(5000)]), 'big.bin'),
      );
      expect(response.status).toBe(413);
      expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
      expect(await response.json()).toHaveProperty(key);
    }
    // A body that claims to be small but streams more is cut off as soon as it passes.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(
            '--b\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\n',
          ),
        );
        controller.enqueue(new Uint8Array(200_000));
        controller.close();
      },
    });
    const streamed = await callWithEnv(small, `${V2}/attachments/upload`, {
      method: 'POST',
      headers: { ...bearer(caller), 'Content-Type': 'multipart/form-data; boundary=b' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await rowCounts()).toEqual(before);
  });

  it('never serves an uploaded page or image inline, on any origin', async () => {
    const html = '<html><script>alert(document.domain)</script></html>';
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>';
    const pages: [string, string, string][] = [
      [html, 'evil.html', 'text/html'],
      [svg, 'evil.svg', 'image/svg+xml'],
    ];
    for (const [content, name, type] of pages) {
      const id = await upload(caller, V2, new Blob([content], { type }), name);
      const response = await download(caller, V2, id);
      expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
      expect(response.headers.get('Content-Disposition')).toMatch(/^attachment;/);
      expect(response.headers.get('Content-Security-Policy')).toContain('sandbox');
      const body = await response.text();
      expect(body).not.toContain('<');
      expect(new TextDecoder().decode(fromBase64(body))).toBe(content);
    }
  });

  it('refuses malformed uploads and links with a 4xx, changing nothing', async () => {
    const before = await rowCounts();
    const notMultipart = await call(`${V2}/attachments/upload`, {
      method: 'POST',
      headers: { ...bearer(caller), 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(notMultipart.status).toBe(415);
    const none = new FormData();
    none.append('name', 'x');
    const noFile = await call(`${V2}/attachments/upload`, {
      method: 'POST',
      headers: bearer(caller),
      body: none,
    });
    expect(noFile.status).toBe(400);
    const two = new FormData();
    two.append('file', new Blob(['a']), 'a.txt');
    two.append('File', new Blob(['b']), 'b.txt');
    expect(
      (
        await call(`${V1}/attachments/upload`, {
          method: 'POST',
          headers: bearer(caller),
          body: two,
        })
      ).status,
    ).toBe(400);
    for (const bad of [
      [],
      [{ type: 'File' }],
      [{ type: 'URL', name: 'x', url: 'javascript:alert(1)' }],
      [{ type: 'Folder', ID: 'x' }],
    ]) {
      expect((await link(caller, V2, caseId, bad)).status).toBe(400);
    }
    expect((await link(caller, V2, caseId, [{ type: 'File', ID: 'no-such-upload' }])).status).toBe(
      404,
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('cleans a name that tries a path', async () => {
    const id = await upload(caller, V2, new Blob(['x']), '..\\..\\etc/../passwd.txt');
    const linked = await link(caller, V2, caseId, [{ type: 'File', ID: id }]);
    expect(linked.status).toBe(201);
    const [linkId] = await linkedIds(linked);
    const listed = (await list(caller, V2, caseId)).find((item) => item.ID === linkId);
    expect(listed?.fileName).toBe('passwd.txt');
  });
});

describe('attachment names (security review 3)', () => {
  it("cleans a link's name as a file's: no controls, CR/LF, NUL or bidi overrides", async () => {
    const id = await upload(caller, V2, new Blob(['x']), 'evil\u202Egpj.exe.html');
    const linked = await link(caller, V1, caseId, [
      { type: 'File', ID: id },
      {
        type: 'URL',
        category: 'URL',
        name: 'Map\r\nSet-Cookie: x\u0000\u2067\u200F\u0085 here',
        url: 'https://maps.example.com/y',
      },
    ]);
    expect(linked.status).toBe(201);
    const [fileId] = await linkedIds(linked);
    const all = await list(caller, V2, caseId);
    expect(all.find((item) => item.ID === fileId)).toMatchObject({
      name: 'evilgpj.exe',
      extension: 'html',
      fileName: 'evilgpj.exe.html',
    });
    expect(all.find((item) => item.url === 'https://maps.example.com/y')?.name).toBe(
      'MapSet-Cookie: x here',
    );
  });
});

describe('a resolved case (security review 3)', () => {
  it('keeps its files: a delete is 409 in either API and the file stays; new files may be linked', async () => {
    const resolved = (await createCase(caller)).ID;
    const id = await upload(caller, V2, new Blob(['evidence']), 'evidence.txt');
    expect((await link(caller, V2, resolved, [{ type: 'File', ID: id }])).status).toBe(201);
    const submitted = await call(
      `${V1}/assignments/${encodeURIComponent(`ASSIGN-WORKLIST ${resolved}!PYSTARTCASE`)}?actionID=Submit`,
      {
        method: 'POST',
        headers: { ...bearer(caller), 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: {} }),
      },
    );
    expect(submitted.status).toBe(200);
    const before = await rowCounts();
    for (const [api, body] of [
      [V1, { errors: [{ ID: 'Pega_API_001' }] }],
      [V2, { errorDetails: [{ message: expect.any(String) }] }],
    ] as const) {
      const refused = await call(`${api}/attachments/${id}`, {
        method: 'DELETE',
        headers: bearer(caller),
      });
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject(body);
    }
    expect(await rowCounts()).toEqual(before);
    expect(await env.ATTACHMENTS.head(`attachments/${id}`)).not.toBeNull();
    expect((await download(caller, V1, id)).status).toBe(200);
    const later = await upload(caller, V1, new Blob(['later']), 'later.txt');
    expect((await link(caller, V1, resolved, [{ type: 'File', ID: later }])).status).toBe(201);
  });
});

describe('a link that loses a race (security review 3)', () => {
  it('records nothing and spends nothing: no history, no URL, its other uploads stay usable', async () => {
    for (let round = 0; round < 4; round += 1) {
      const [shared, mine, theirs] = await Promise.all(
        ['shared.txt', 'mine.txt', 'theirs.txt'].map((name) =>
          upload(caller, V2, new Blob([name]), name),
        ),
      );
      const url = (name: string) => ({
        type: 'URL',
        category: 'URL',
        name,
        url: `https://x.example/${name}`,
      });
      const [first, second] = await Promise.all([
        link(caller, V2, caseId, [
          { type: 'File', ID: shared },
          { type: 'File', ID: mine },
          url(`a${round}`),
        ]),
        link(caller, V1, caseId, [
          { type: 'File', ID: shared },
          { type: 'File', ID: theirs },
          url(`b${round}`),
        ]),
      ]);
      const statuses = [first.status, second.status];
      expect(statuses).toContain(201);
      const lost =
        statuses[0] === 201 ? { own: theirs, url: `b${round}` } : { own: mine, url: `a${round}` };
      expect([404, 409]).toContain(statuses[0] === 201 ? statuses[1] : statuses[0]);
      const history = await env.DB.prepare(
        `SELECT count(*) AS n FROM audit_log WHERE target_type = 'case'
         AND (json_extract(detail, '$.attachment') = ? OR json_extract(detail, '$.name') = ?)`,
      )
        .bind(lost.own, lost.url)
        .first<{ n: number }>();
      expect(history?.n).toBe(0);
      const names = (await list(caller, V2, caseId)).map((item) => item.name);
      expect(names).not.toContain(lost.url);
      const kept = await env.DB.prepare('SELECT case_id, expires_at FROM attachments WHERE id = ?')
        .bind(lost.own)
        .first<{ case_id: string | null; expires_at: string }>();
      expect(kept?.case_id).toBeNull();
      expect(Date.parse(kept?.expires_at ?? '')).toBeGreaterThan(Date.now() + 60 * 60 * 1000);
      expect((await link(caller, V2, caseId, [{ type: 'File', ID: lost.own }])).status).toBe(201);
    }
  });
});

describe('the temporary-upload quota (security review 3)', () => {
  const quotaEnv = (files: string, bytes = '1000000') =>
    ({ UPLOAD_QUOTA_FILES: files, UPLOAD_QUOTA_BYTES: bytes }) as Partial<Cloudflare.Env>;
  const uploadWith = (who: ApiCaller, env: Partial<Cloudflare.Env>, bytes: number, name: string) =>
    callWithEnv(
      env,
      `${V2}/attachments/upload`,
      uploadInit(who, new Blob([new Uint8Array(bytes)]), name),
    );

  it('bounds the files an operator holds: 429 with Retry-After, nothing stored; linking frees a slot', async () => {
    const uploader = await apiCaller();
    const own = (await createCase(uploader)).ID;
    const two = quotaEnv('2');
    const first = await uploadWith(uploader, two, 10, 'a.txt');
    expect(first.status).toBe(201);
    expect((await uploadWith(uploader, two, 10, 'b.txt')).status).toBe(201);
    const before = await rowCounts();
    const objects = (await env.ATTACHMENTS.list({ prefix: 'attachments/' })).objects.length;
    const refused = await uploadWith(uploader, two, 10, 'c.txt');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThan(7000);
    expect(retryAfter).toBeLessThanOrEqual(7200);
    expect(await refused.json()).toMatchObject({ errorDetails: [{ message: expect.any(String) }] });
    expect(await rowCounts()).toEqual(before);
    expect((await env.ATTACHMENTS.list({ prefix: 'attachments/' })).objects.length).toBe(objects);
    // Another operator has its own quota.
    expect((await uploadWith(await apiCaller(), two, 10, 'other.txt')).status).toBe(201);
    const { ID } = await first.json<{ ID: string }>();
    expect((await link(uploader, V2, own, [{ type: 'File', ID }])).status).toBe(201);
    expect((await uploadWith(uploader, two, 10, 'c.txt')).status).toBe(201);
  });

  it('bounds the bytes too, and uploads racing for the last slot cannot pass it together', async () => {
    const uploader = await apiCaller();
    const small = quotaEnv('50', '100');
    expect((await uploadWith(uploader, small, 60, 'a.bin')).status).toBe(201);
    const over = await callWithEnv(
      small,
      `${V1}/attachments/upload`,
      uploadInit(uploader, new Blob([new Uint8Array(41)]), 'b.bin'),
    );
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ errors: [{ ID: 'too_many_requests' }] });
    const racer = await apiCaller();
    const one = quotaEnv('1');
    const raced = await Promise.all(
      [1, 2, 3, 4].map((index) => uploadWith(racer, one, 10, `r${index}.txt`)),
    );
    expect(raced.map((response) => response.status).sort()).toEqual([201, 429, 429, 429]);
    const held = await env.DB.prepare(
      'SELECT count(*) AS n FROM attachments WHERE created_by = ? AND case_id IS NULL',
    )
      .bind(racer.operatorID)
      .first<{ n: number }>();
    expect(held?.n).toBe(1);
  });
});

describe('the scheduled cleanup', () => {
  it('removes temporary uploads no case linked in time, object and record, and nothing else', async () => {
    const expired = await upload(caller, V2, new Blob(['old']), 'old.txt');
    const fresh = await upload(caller, V2, new Blob(['new']), 'new.txt');
    const kept = await upload(caller, V2, new Blob(['kept']), 'kept.txt');
    expect((await link(caller, V2, caseId, [{ type: 'File', ID: kept }])).status).toBe(201);
    await env.DB.prepare(
      "UPDATE attachments SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = ?",
    )
      .bind(expired)
      .run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await env.ATTACHMENTS.head(`attachments/${expired}`)).toBeNull();
    expect(await env.ATTACHMENTS.head(`attachments/${fresh}`)).not.toBeNull();
    expect(await env.ATTACHMENTS.head(`attachments/${kept}`)).not.toBeNull();
    const ids = (
      await env.DB.prepare('SELECT id FROM attachments').all<{ id: string }>()
    ).results.map((row) => row.id);
    expect(ids).not.toContain(expired);
    expect(ids).toEqual(expect.arrayContaining([fresh, kept]));
    expect(await countRows('attachments')).toBe(ids.length);
  });
});

describe('attachments the Pega way (DX case model §6)', () => {
  it('gives each link its own LINK-ATTACHMENT ID, renames and recategorises by it, and keeps older links under their IDs', async () => {
    const first = await upload(caller, V2, new Blob(['a']), 'a.txt');
    const second = await upload(caller, V2, new Blob(['b']), 'b.txt');
    const linked = await link(caller, V2, caseId, [
      { type: 'File', ID: first },
      { type: 'File', ID: second },
      { type: 'URL', category: 'URL', name: 'Map', url: 'https://maps.example.com/z' },
    ]);
    expect(linked.status).toBe(201);
    const ids = await linkedIds(linked);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(LINK_ID);

    const change = (id: string, body: unknown, api = V2) =>
      call(`${api}/attachments/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        headers: { ...bearer(caller), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const renamed = await change(ids[0] as string, { name: 'Renamed title' });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({
      ID: ids[0],
      // The title changes; the file's own name stays (Pega: "not the filename and URL").
      name: 'Renamed title',
      fileName: 'a.txt',
    });
    const recategorised = await change(ids[1] as string, { category: 'URL' }, V1);
    expect(recategorised.status).toBe(200);
    const denied = await change(ids[1] as string, { category: 'Secret' });
    await expectDxError(denied, 403);
    expect(
      await change('LINK-ATTACHMENT NO R-1!20260101T000000.000 GMT', { name: 'x' }),
    ).toHaveProperty('status', 404);
    expect((await change(ids[0] as string, { name: 'x', extra: 1 })).status).toBe(400);
    // A temporary upload is not changed here; nor is another's attachment.
    const temporary = await upload(caller, V2, new Blob(['t']), 't.txt');
    expect((await change(temporary, { name: 'x' })).status).toBe(404);
    const stranger = await apiCaller();
    const refused = await call(`${V2}/attachments/${encodeURIComponent(ids[0] as string)}`, {
      method: 'PATCH',
      headers: { ...bearer(stranger), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Mine' }),
    });
    expect(refused.status).toBe(404);
    const all = await list(caller, V2, caseId);
    expect(all.find((item) => item.ID === ids[0])?.name).toBe('Renamed title');
    expect(all.find((item) => item.ID === ids[1])?.category).toBe('URL');
    const history = await env.DB.prepare(
      `SELECT detail FROM audit_log WHERE target_type = 'case' AND target_id = ?
       AND action = 'case.attachment.update' ORDER BY id`,
    )
      .bind(caseId)
      .all<{ detail: string }>();
    expect(history.results.map((row) => JSON.parse(row.detail))).toEqual([
      { attachment: ids[0], name: 'Renamed title' },
      { attachment: ids[1], category: 'URL' },
    ]);

    // A link made before links had Pega's IDs keeps the upload's, in every call.
    await env.DB.prepare('UPDATE attachments SET link_id = NULL WHERE id = ?').bind(second).run();
    expect((await list(caller, V2, caseId)).some((item) => item.ID === second)).toBe(true);
    expect((await download(caller, V1, second)).status).toBe(200);
    expect((await change(second, { name: 'Old link' })).status).toBe(200);
    const removed = await call(`${V2}/attachments/${second}`, {
      method: 'DELETE',
      headers: bearer(caller),
    });
    expect(removed.status).toBe(200);
  });
});
