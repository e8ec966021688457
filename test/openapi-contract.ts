import { Validator } from '@cfworker/json-schema';
import document from '../assets/openapi.json';

/**
 * The OpenAPI document as a contract: every answer the test suite receives from a documented
 * path is checked against it, by status and, for a JSON body, by schema (JSON Schema 2020-12,
 * as OpenAPI 3.1 uses; @cfworker/json-schema needs no code generation, so it runs in workerd).
 * An operation that answers a status it does not declare, or a body its schema refuses, fails
 * the test that received it, and so does any answer but a 404 from an API path the document
 * does not describe. Only the console's pages, the landing page and /healthz are no API.
 */
type Operation = { responses: Record<string, unknown> };
type PathItem = Record<string, Operation>;

const paths = document.paths as unknown as Record<string, PathItem>;

/** Pega's aliases serve the same operations as the canonical paths. */
const ALIASES: [string, string][] = [
  ['/prweb/PRRestService/oauth2/v1/', '/oauth2/v1/'],
  ['/prweb/api/v1/', '/api/v1/'],
  ['/prweb/api/application/v2/', '/api/application/v2/'],
];

// A path of its own (`/data_views/D_pxBootstrapConfig`) before a template it also fits.
const templates = Object.keys(paths)
  .map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    parameters: (template.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.parameters - b.parameters);

function documented(pathname: string): string | undefined {
  // Pega's SDKs put the application alias after /prweb: the same operations.
  let path = pathname.replace(/^\/prweb\/app\/[^/]+\/api\//, '/prweb/api/');
  for (const [alias, canonical] of ALIASES) {
    if (path.startsWith(alias)) path = canonical + path.slice(alias.length);
  }
  // The protected resource metadata is also served under the resource's own path (RFC 9728).
  if (path === '/.well-known/oauth-protected-resource/api/v1') {
    path = '/.well-known/oauth-protected-resource';
  }
  return templates.find(({ pattern }) => pattern.test(path))?.template;
}

const pointerPart = (part: string) => part.replaceAll('~', '~0').replaceAll('/', '~1');

function resolve(node: unknown): Record<string, unknown> {
  let current = node as Record<string, unknown>;
  while (typeof current?.$ref === 'string') {
    const parts = (current.$ref as string).slice(2).split('/');
    current = parts.reduce<unknown>(
      (at, part) =>
        (at as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')],
      document,
    ) as Record<string, unknown>;
  }
  return current;
}

const validators = new Map<string, Validator>();

/** A validator for the schema at `pointer` inside the document, whose refs resolve there too. */
function validatorFor(pointer: string): Validator {
  let validator = validators.get(pointer);
  if (!validator) {
    validator = new Validator(
      { ...(document as object), $ref: pointer } as never,
      '2020-12',
      false,
    );
    validators.set(pointer, validator);
  }
  return validator;
}

/** What the document rightly leaves out: the console's pages, the landing page, /healthz. */
const isNoApi = (pathname: string) =>
  pathname === '/healthz' ||
  pathname === '/' ||
  (pathname.startsWith('/admin') &&
    !pathname.startsWith('/admin/v1/') &&
    pathname !== '/admin/v1') ||
  !/^\/(api|prweb|oauth2|\.well-known|admin)(\/|$)/.test(pathname);

/** Throws when `response` to `method` `url` breaks the document. */
export async function checkAgainstOpenApi(
  method: string,
  url: string,
  response: Response,
): Promise<void> {
  const { pathname } = new URL(url);
  // An application alias that is not the caller's answers as a path that does not exist.
  if (/^\/prweb\/app\/[^/]+\//.test(pathname) && response.status === 404) return;
  const template = documented(pathname);
  if (!template) {
    // An API path no operation serves may only be unknown.
    if (isNoApi(pathname) || response.status === 404 || method.toUpperCase() === 'OPTIONS') return;
    // The admin API checks its token before it routes: an unknown path without one is a 401.
    if (pathname.startsWith('/admin/v1') && response.status === 401) return;
    throw new Error(
      `OpenAPI: ${method} ${pathname} is in no operation of the document, yet answered ${response.status}`,
    );
  }
  // HEAD is GET without the body (Hono answers it for every GET route).
  const verb = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  // CORS preflights are the CORS layer's, not an operation's.
  if (verb === 'options') return;
  const item = paths[template] as PathItem;
  const operation = item[verb];
  if (!operation) {
    if (response.status === 404 || response.status === 405) return;
    throw new Error(
      `OpenAPI: ${method} ${template} is not documented, yet answered ${response.status}`,
    );
  }
  const status = String(response.status);
  const declared = operation.responses[status] ?? operation.responses.default;
  if (!declared) {
    throw new Error(
      `OpenAPI: ${method} ${template} answered ${status}, which it does not declare (${Object.keys(operation.responses).join(', ')})`,
    );
  }
  const answer = resolve(declared);
  const content = answer.content as Record<string, { schema?: unknown }> | undefined;
  const type = response.headers.get('Content-Type') ?? '';
  if (!content || !type.startsWith('application/json') || method.toUpperCase() === 'HEAD') return;
  if (!content['application/json']?.schema) return;
  const body = await response.clone().json();
  const responsesPointer = `#/paths/${pointerPart(template)}/${verb}/responses`;
  const pointer =
    operation.responses[status] === undefined
      ? `${responsesPointer}/default`
      : typeof (operation.responses[status] as { $ref?: string }).$ref === 'string'
        ? `${(operation.responses[status] as { $ref: string }).$ref}`
        : `${responsesPointer}/${status}`;
  const result = validatorFor(`${pointer}/content/application~1json/schema`).validate(body);
  if (!result.valid) {
    const errors = result.errors
      .slice(0, 5)
      .map((error) => `${error.instanceLocation}: ${error.error}`)
      .join('; ');
    throw new Error(`OpenAPI: ${method} ${template} ${status} body breaks the document: ${errors}`);
  }
}
