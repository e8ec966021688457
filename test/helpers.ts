import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { createApp } from '../src/app';
import { createConsoleApp } from '../src/console/app';
import { base64url } from '../src/crypto/secrets';
import { checkAgainstOpenApi } from './openapi-contract';

export const ORIGIN = 'https://edgecase.test';
export const AUDIENCE = `${ORIGIN}/api/v1`;
export const ADMIN_TOKEN = env.ADMIN_TOKEN as string;

/**
 * A request through the Worker itself, as a client on the internet would send it. Every
 * answer is checked against the OpenAPI document (test/openapi-contract.ts).
 */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return fetchWorker(`${ORIGIN}${path}`, init);
}

/** The Worker's own fetch, for any URL, its answer checked against the OpenAPI document. */
export async function fetchWorker(
  input: string | Request,
  init: RequestInit = {},
): Promise<Response> {
  const request = new Request(input, init);
  const response = await exports.default.fetch(request);
  await checkAgainstOpenApi(request.method, request.url, response);
  return response;
}

export function admin(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return call(`/admin/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** `bytes` random bytes, base64url: key material nobody can use. */
export const randomB64 = (bytes: number) =>
  base64url(crypto.getRandomValues(new Uint8Array(bytes)));

let sequence = 0;
/** A name no other test in the file uses: each test makes its own data. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}${sequence}x${crypto.randomUUID().slice(0, 8)}`;
}

export interface TestOperator {
  operatorID: string;
}

export async function createOperator(
  overrides: Record<string, unknown> = {},
): Promise<TestOperator & Record<string, unknown>> {
  const response = await admin('POST', '/operators', {
    operatorID: unique('Operator'),
    name: 'Test operator',
    accessGroup: {
      name: 'TEST:APIClients',
      privileges: ['casetypes:read', 'cases:create', 'cases:read'],
      caseTypes: ['*'],
      caseVisibility: 'own',
    },
    ...overrides,
  });
  expect(response.status).toBe(201);
  return response.json();
}

export interface TestClient {
  clientID: string;
  clientSecret: string;
  operatorID: string;
  scopes: string[];
}

export async function registerClient(overrides: Record<string, unknown> = {}): Promise<TestClient> {
  const operatorID =
    (overrides.operatorID as string | undefined) ?? (await createOperator()).operatorID;
  const response = await admin('POST', '/clients', {
    name: 'Test client',
    operatorID,
    ...overrides,
  });
  expect(response.status).toBe(201);
  return response.json();
}

export function basicAuthorization(id: string, secret: string): string {
  // RFC 6749 §2.3.1: form-urlencode each half, then base64 the pair.
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${btoa(`${encode(id)}:${encode(secret)}`)}`;
}

export function formInit(
  params: Record<string, string>,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  };
}

export function formPost(
  path: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return call(path, formInit(params, headers));
}

/** A client_secret_post token request, for any URL or app. */
export function tokenRequestInit(
  client: { clientID: string; clientSecret: string },
  params: Record<string, string> = {},
): RequestInit {
  return formInit({
    grant_type: 'client_credentials',
    client_id: client.clientID,
    client_secret: client.clientSecret,
    ...params,
  });
}

export async function requestToken(
  client: { clientID: string; clientSecret: string },
  params: Record<string, string> = {},
): Promise<Response> {
  return call('/oauth2/v1/token', tokenRequestInit(client, params));
}

export async function issueToken(
  client: { clientID: string; clientSecret: string },
  params: Record<string, string> = {},
): Promise<string> {
  const response = await requestToken(client, params);
  expect(response.status).toBe(200);
  const body = await response.json<{ access_token: string }>();
  return body.access_token;
}

export async function introspect(
  caller: { clientID: string; clientSecret: string },
  token: string,
): Promise<Record<string, unknown>> {
  const response = await formPost('/oauth2/v1/token/introspect', {
    token,
    client_id: caller.clientID,
    client_secret: caller.clientSecret,
  });
  expect(response.status).toBe(200);
  return response.json();
}

const app = createApp();
const consoleApp = createConsoleApp();

/** The console's Worker on the same bindings, as the CONSOLE service binding reaches it. */
const consoleOn = (bindings: Cloudflare.Env) =>
  ({
    fetch: async (input: RequestInfo | URL, init?: RequestInit) =>
      consoleApp.fetch(new Request(input, init), bindings),
  }) as Fetcher;

/**
 * The same Worker code with other bindings or settings (a missing secret, a failing store),
 * on the same local D1 and KV unless overridden; the console's Worker behind its CONSOLE
 * binding on the same bindings.
 */
export function callWithEnv(
  overrides: Partial<Cloudflare.Env>,
  path: string,
  init: RequestInit = {},
  origin = ORIGIN,
): Promise<Response> {
  const request = new Request(`${origin}${path}`, init);
  const bindings = { ...env, ...overrides };
  const withConsole = { ...bindings, CONSOLE: overrides.CONSOLE ?? consoleOn(bindings) };
  return Promise.resolve(app.fetch(request, withConsole)).then(async (response) => {
    await checkAgainstOpenApi(request.method, request.url, response);
    return response;
  });
}

const STATEFUL_TABLES = [
  'operators',
  'clients',
  'case_types',
  'cases',
  'case_counters',
  'audit_log',
  'idempotency_keys',
  'attachments',
];

/** Row counts of every table a refused or failed call must leave as it was. */
export async function rowCounts(): Promise<Record<string, number>> {
  const counts = await Promise.all(STATEFUL_TABLES.map(countRows));
  return Object.fromEntries(STATEFUL_TABLES.map((table, i) => [table, counts[i] ?? 0]));
}

export async function countRows(table: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  return row?.n ?? 0;
}

export async function tokenRecordCount(clientId: string): Promise<number> {
  const { keys } = await env.TOKENS.list({ prefix: `at:${clientId}:` });
  return keys.length;
}

/** The `Path` of each ValidationMessage in an OAuth-format error body. */
export function validationPaths(body: unknown): string[] {
  const { errors } = body as { errors: { ValidationMessages?: { Path: string }[] }[] };
  return errors[0]?.ValidationMessages?.map((message) => message.Path) ?? [];
}

/** Asserts an RFC 6749 §5.2 error with the Pega `errors` array beside it. */
export async function expectOAuthError(
  response: Response,
  status: number,
  error: string,
): Promise<{ error: string; error_description: string }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
  expect(response.headers.get('Cache-Control')).toBe('no-store');
  const body = await response.json<{
    error: string;
    error_description: string;
    errors: { ID: string; message: string }[];
  }>();
  expect(body.error).toBe(error);
  expect(body.error_description).toEqual(expect.any(String));
  expect(body.errors).toEqual([
    expect.objectContaining({ ID: error, message: body.error_description }),
  ]);
  return body;
}

export const CITY_SERVICES = 'Cnow-connectnow-Work-CityServicesRequest';

export const cityServicesType = {
  ID: CITY_SERVICES,
  name: 'City services request',
  idPrefix: 'R-',
  // As the contract's example: creating needs the required fields.
  startingProcesses: [{ ID: 'pyStartCase', name: 'Create request', requiresFieldsToCreate: true }],
  fields: [
    { name: 'RequestID', type: 'string', required: true, maxLength: 64 },
    { name: 'RequestDetail', type: 'string', required: true, maxLength: 2000 },
  ],
};

/** Defines a case type through the admin API (201), or finds it already defined (409). */
export async function defineCaseType(body: Record<string, unknown> = cityServicesType) {
  const response = await admin('POST', '/casetypes', body);
  expect([201, 409]).toContain(response.status);
  return body;
}

export interface ApiCaller extends TestClient {
  token: string;
}

/** A client whose operator has the given access group, and a token with all it may hold. */
export async function apiCaller(
  accessGroup: Record<string, unknown> = {},
  clientOverrides: Record<string, unknown> = {},
): Promise<ApiCaller> {
  const operator = await createOperator({
    accessGroup: {
      name: 'TEST:APIClients',
      privileges: [
        'casetypes:read',
        'cases:create',
        'cases:read',
        'cases:update',
        'assignments:read',
        'assignments:perform',
      ],
      caseTypes: ['*'],
      caseVisibility: 'own',
      ...accessGroup,
    },
  });
  const client = await registerClient({ operatorID: operator.operatorID, ...clientOverrides });
  return { ...client, token: await issueToken(client) };
}

export function api(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return call(`/api/v1${path}`, {
    method,
    headers: {
      ...(token !== undefined && { Authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

export const seedCase = {
  caseTypeID: CITY_SERVICES,
  processID: 'pyStartCase',
  content: { RequestID: 'FT123', RequestDetail: 'faster trains, please!' },
};

export async function createCase(caller: ApiCaller, body: unknown = seedCase) {
  const response = await api('POST', '/cases', caller.token, body);
  expect(response.status).toBe(201);
  return {
    ...(await response.json<{ ID: string }>()),
    etag: response.headers.get('ETag') as string,
  };
}

export const casePath = (id: string) => `/cases/${encodeURIComponent(id)}`;

/** Asserts a Pega error body: `{"errors": [{"ID", "message", ...}]}`. */
export async function expectPegaError(response: Response, status: number, id: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
  const body = await response.json<{
    errors: {
      ID: string;
      message: string;
      ValidationMessages?: { Path: string; ValidationMessage: string }[];
    }[];
  }>();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]).toMatchObject({ ID: id, message: expect.any(String) });
  return body.errors[0] as NonNullable<(typeof body.errors)[0]>;
}

/** The demo's flow: the requester enters the request, then reviews it. */
export function flowRequestType(
  classPrefix: string,
  idPrefix: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    ID: `${classPrefix}${unique('Request')}`,
    name: 'City services request',
    idPrefix,
    startingProcesses: [{ ID: 'pyStartCase', name: 'Create request' }],
    fields: [
      { name: 'RequestID', label: 'Request ID', type: 'string', required: true, maxLength: 64 },
      {
        name: 'RequestDetail',
        label: 'Request detail',
        type: 'string',
        required: true,
        maxLength: 2000,
      },
      { name: 'Priority', type: 'string', enum: ['low', 'high'] },
      { name: 'Budget', type: 'number' },
      { name: 'Urgent', type: 'boolean' },
      { name: 'DueDate', type: 'date' },
    ],
    flow: [
      {
        ID: 'EnterRequest',
        name: 'Enter the request',
        instructions: 'Describe what the city should do.',
        fields: [
          { name: 'RequestID', required: true },
          { name: 'RequestDetail', required: true },
          { name: 'Priority', required: false },
          { name: 'Budget', required: false },
          { name: 'Urgent', required: false },
          { name: 'DueDate', required: false },
        ],
        action: { ID: 'SubmitRequest', name: 'Submit request' },
      },
      {
        ID: 'ReviewRequest',
        name: 'Review the request',
        instructions: 'Check the request and approve it.',
        fields: [{ name: 'RequestDetail', required: true }],
        action: { ID: 'ApproveRequest', name: 'Approve' },
      },
    ],
    ...overrides,
  };
}
