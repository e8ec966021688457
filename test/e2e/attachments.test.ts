import { expect, inject, it } from 'vitest';
import { registerDemoClient, seedCaseBody } from './admin';

const { url, adminToken } = inject('devServer');

/**
 * Under a real `wrangler dev` (local R2, a real multipart body over HTTP): a file uploaded
 * through API v1 with Pega's web client's field name is linked and downloaded through DX API
 * v2 byte for byte, and the worklist data view finds the case with a query.
 */
it('keeps a file in local R2 across both APIs, and queries the worklist', async () => {
  const client = await registerDemoClient(url, adminToken);
  const token = await fetch(`${url}/oauth2/v1/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientID,
      client_secret: client.clientSecret,
    }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const auth = { Authorization: `Bearer ${access_token}` };
  const created = await fetch(`${url}/api/v1/cases`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify(seedCaseBody),
  });
  const { ID } = (await created.json()) as { ID: string };

  const bytes = new Uint8Array(2 * 1024 * 1024).map((_, index) => (index * 31) % 256);
  const form = new FormData();
  form.append('File', new Blob([bytes], { type: 'application/pdf' }), 'scan.pdf');
  const uploaded = await fetch(`${url}/prweb/api/v1/attachments/upload`, {
    method: 'POST',
    headers: auth,
    body: form,
  });
  expect(uploaded.status).toBe(201);
  const { ID: attachmentId } = (await uploaded.json()) as { ID: string };
  const v2 = `${url}/prweb/api/application/v2`;
  const linked = await fetch(`${v2}/cases/${encodeURIComponent(ID)}/attachments`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      attachments: [
        { type: 'File', category: 'File', fileType: 'pdf', name: 'scan', ID: attachmentId },
      ],
    }),
  });
  expect(linked.status).toBe(201);
  const download = await fetch(`${v2}/attachments/${attachmentId}`, { headers: auth });
  expect(download.headers.get('Content-Disposition')).toMatch(/^attachment; filename="scan.pdf"/);
  const decoded = Buffer.from(await download.text(), 'base64');
  expect(new Uint8Array(decoded)).toEqual(bytes);

  const worklist = await fetch(`${v2}/data_views/D_pyMyWorkList`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      query: {
        filter: {
          filterConditions: {
            F1: { lhs: { field: 'pxRefObjectKey' }, comparator: 'EQ', rhs: { value: ID } },
          },
        },
      },
    }),
  });
  const rows = (await worklist.json()) as { data: { pxRefObjectKey: string }[] };
  expect(rows.data.map((row) => row.pxRefObjectKey)).toEqual([ID]);
});
