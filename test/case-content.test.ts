import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  admin,
  api,
  apiCaller,
  casePath,
  createCase,
  expectOAuthError,
  expectPegaError,
  unique,
  validationPaths,
} from './helpers';

function caseType(fields: Record<string, unknown>[]) {
  return {
    ID: `Test-Content-Work-${unique('T')}`,
    name: 'Content test',
    idPrefix: 'C-',
    startingProcesses: [{ ID: 'pyStartCase', name: 'Start' }],
    fields,
  };
}

async function define(fields: Record<string, unknown>[]) {
  const body = caseType(fields);
  expect((await admin('POST', '/casetypes', body)).status).toBe(201);
  return body;
}

const put = (token: string, id: string, body: string | object, ifMatch = '*') =>
  api('PUT', casePath(id), token, body, { 'If-Match': ifMatch });

describe('field names that shadow Object.prototype', () => {
  it('are refused in case type definitions, with the path at fault', async () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf']) {
      const response = await admin(
        'POST',
        '/casetypes',
        caseType([{ name, type: 'string', required: false }]),
      );
      const body = await expectOAuthError(response, 400, 'invalid_request');
      expect(validationPaths(body)).toEqual(['.fields.0.name']);
    }
    const proto = await admin(
      'POST',
      '/casetypes',
      '{"ID": "Test-Proto-Work-X", "name": "x", "idPrefix": "P-", "startingProcesses": [{"ID": "pyStartCase", "name": "s"}], "fields": [{"name": "__proto__", "type": "string"}]}',
    );
    expect(proto.status).toBe(400);
  });

  it('are refused in content as field errors, and a PUT of only __proto__ changes nothing', async () => {
    const type = await define([{ name: 'Note', type: 'string', required: false }]);
    const caller = await apiCaller();
    const created = await createCase(caller, { caseTypeID: type.ID, content: {} });

    const create = await api(
      'POST',
      '/cases',
      caller.token,
      `{"caseTypeID": "${type.ID}", "content": {"__proto__": {"Note": "x"}}}`,
    );
    const createError = await expectPegaError(create, 400, 'Pega_API_001');
    expect(createError.ValidationMessages?.map((m) => m.Path)).toEqual(['.content.__proto__']);

    const update = await put(caller.token, created.ID, '{"content": {"__proto__": {}}}');
    const updateError = await expectPegaError(update, 400, 'Pega_API_001');
    expect(updateError.ValidationMessages?.map((m) => m.Path)).toEqual(['.content.__proto__']);
    const shadow = await put(caller.token, created.ID, { content: { constructor: 'x' } });
    const shadowError = await expectPegaError(shadow, 400, 'Pega_API_001');
    expect(shadowError.ValidationMessages?.map((m) => m.Path)).toEqual(['.constructor']);

    const read = await api('GET', casePath(created.ID), caller.token);
    expect(read.headers.get('ETag')).toBe('"1"');
    expect(await read.json()).toMatchObject({ status: 'New' });
  });

  it('leave optional fields optional', async () => {
    const type = await define([
      { name: 'Title', type: 'string', required: true },
      { name: 'Note', type: 'string', required: false },
    ]);
    const caller = await apiCaller();
    const response = await api('POST', '/cases', caller.token, {
      caseTypeID: type.ID,
      content: { Title: 'only the required one' },
    });
    expect(response.status).toBe(201);
  });
});

describe('a changed case type never freezes old cases', () => {
  it('keeps a removed field stored and lets the case be updated', async () => {
    const type = await define([
      { name: 'Title', type: 'string', required: true },
      { name: 'Legacy', type: 'string', required: false },
    ]);
    const caller = await apiCaller();
    const created = await createCase(caller, {
      caseTypeID: type.ID,
      content: { Title: 'before', Legacy: 'kept' },
    });
    const redefined = await admin('PUT', `/casetypes/${type.ID}`, {
      ...type,
      fields: [
        { name: 'Title', type: 'string', required: true },
        { name: 'Added', type: 'number', required: false },
      ],
    });
    expect(redefined.status).toBe(200);

    const response = await put(caller.token, created.ID, { content: { Title: 'after', Added: 2 } });
    expect(response.status).toBe(204);
    const read = await (await api('GET', casePath(created.ID), caller.token)).json<{
      content: Record<string, unknown>;
    }>();
    expect(read.content).toMatchObject({ Title: 'after', Added: 2, Legacy: 'kept' });

    // The removed field is no longer one a client may write.
    const write = await put(caller.token, created.ID, { content: { Legacy: 'again' } });
    const error = await expectPegaError(write, 400, 'Pega_API_001');
    expect(error.ValidationMessages?.map((m) => m.Path)).toEqual(['.Legacy']);
  });

  it('keeps a value whose field changed type, checking only what a PUT sends', async () => {
    const type = await define([{ name: 'Count', type: 'string', required: false }]);
    const caller = await apiCaller();
    const created = await createCase(caller, { caseTypeID: type.ID, content: { Count: 'three' } });
    await admin('PUT', `/casetypes/${type.ID}`, {
      ...type,
      fields: [
        { name: 'Count', type: 'number', required: false },
        { name: 'Note', type: 'string', required: false },
      ],
    });
    expect((await put(caller.token, created.ID, { content: { Note: 'n' } })).status).toBe(204);
    const wrong = await put(caller.token, created.ID, { content: { Count: 'four' } });
    await expectPegaError(wrong, 400, 'Pega_API_001');
    expect((await put(caller.token, created.ID, { content: { Count: 4 } })).status).toBe(204);
  });
});

describe('the size of a case', () => {
  it('caps stored content at 64 KiB however many PUTs add to it', async () => {
    const type = await define(
      ['A', 'B', 'C', 'D'].map((name) => ({ name, type: 'string', required: false })),
    );
    const caller = await apiCaller();
    const created = await createCase(caller, { caseTypeID: type.ID, content: {} });
    const big = 'x'.repeat(20_000);
    for (const name of ['A', 'B', 'C']) {
      expect((await put(caller.token, created.ID, { content: { [name]: big } })).status).toBe(204);
    }
    const over = await put(caller.token, created.ID, { content: { D: big } });
    const error = await expectPegaError(over, 400, 'Pega_API_001');
    expect(error.ValidationMessages).toEqual([
      expect.objectContaining({
        Path: '.content',
        ValidationMessage: expect.stringMatching(/at most 65536/),
      }),
    ]);
    const row = await env.DB.prepare('SELECT length(content) AS n, version FROM cases WHERE id = ?')
      .bind(created.ID)
      .first<{ n: number; version: number }>();
    expect(row?.version).toBe(4);
    expect(row?.n).toBeLessThan(65_536);
  });

  it("refuses a case type whose fields' maxLengths add up to more than 48 KiB", async () => {
    const fields = ['A', 'B'].map((name) => ({
      name,
      type: 'string',
      required: false,
      maxLength: 30_000,
    }));
    const response = await admin('POST', '/casetypes', caseType(fields));
    const body = await expectOAuthError(response, 400, 'invalid_request');
    expect(validationPaths(body)).toEqual(['.fields']);
    const within = fields.map((field) => ({ ...field, maxLength: 24_576 }));
    expect((await admin('POST', '/casetypes', caseType(within))).status).toBe(201);
  });
});
