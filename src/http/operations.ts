import type { MiddlewareHandler } from 'hono';
import type { Principal, Scope } from '../domain/model';
import type { Reads } from '../domain/reads';
import type { IfMatch } from '../domain/versioned';
import { ifMatchMissing } from '../errors';
import type * as z from '../zod';
import { readOptionalRawJson, readRawJson } from './body';
import type { AppContext, AppEnv } from './context';
import { parseIfMatch } from './etag';
import { type App, newApp } from './hono';
import { parseInput } from './validation';

/**
 * Routes are data. Each audience (OAuth, the admin API, Pega API v1, DX API v2) is one table of
 * operations: the router mounts it (`mountAudience`), the OpenAPI document is generated from it
 * (src/openapi.ts), and the contract test calls every operation it holds, so no route can be
 * served undocumented or unchecked.
 *
 * One runner serves every operation: it parses what the table says the operation takes (If-Match,
 * then the query, then the body) and hands the handler the typed input. A refusal of that input
 * goes through the audience's `refuse`, which for a case API checks the token first: a caller
 * whose token fails learns nothing of what it sent.
 */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call an operation: a bearer token holding a scope (or the scope of the data view the
 * path names), the client's own credentials (the OAuth endpoints), the admin token, or anyone.
 */
export type Caller = { scope: Scope } | 'data view' | 'client' | 'admin' | 'anyone';

type Schema = z.ZodMiniType;
type Parsed<S> = S extends Schema ? z.infer<S> : undefined;

/** What the runner parsed for a handler, typed by its operation's schemas. */
export interface Input<Q, B, M> {
  query: Q;
  body: B;
  /** With `ifMatch: 'required'`, always there; with `'optional'`, there when sent. */
  ifMatch: M;
  /** A required JSON body as it was sent (an Idempotency-Key's fingerprint is of it); else "". */
  bodyText: string;
}

/** The If-Match a handler gets: always with 'required', maybe with 'optional', else none. */
type IfMatchOf<M> = M extends 'required'
  ? IfMatch
  : M extends 'optional'
    ? IfMatch | undefined
    : undefined;

/** With `reads`: who the token stands for, and what the reads found beside its check. */
export type Found<T> = [T] extends [never] ? unknown : { principal: Principal; found: T };

export interface OperationSpec<
  Q extends Schema | undefined,
  B extends Schema | undefined,
  M extends 'required' | 'optional' | undefined,
  T = never,
> {
  /** Unique within its audience; the OpenAPI operationId is `<audience>.<id>`. */
  id: string;
  method: Method;
  /** Under the audience's base, in OpenAPI's form: `/cases/{ID}`. */
  path: string;
  caller: Caller;
  /** If-Match: required (428 when missing) or optional; malformed is 400 either way. */
  ifMatch?: M;
  /** The query the handler reads. */
  query?: Q;
  /** A JSON body: required, or optional (none at all reads as `{}`). */
  body?: B extends Schema ? { schema: B; required: boolean } : undefined;
  /** A body the handler reads itself (the OAuth forms, an upload), for the document. */
  ownBody?: 'application/x-www-form-urlencoded' | 'multipart/form-data';
  /**
   * What the operation reads beside the check of its caller, in the same round trip (the
   * audience's `authorize`): the handler gets the principal and what was found.
   */
  reads?: (c: AppContext, input: Input<Parsed<Q>, Parsed<B>, IfMatchOf<M>>) => Reads<T>;
  handler: (
    c: AppContext,
    input: Input<Parsed<Q>, Parsed<B>, IfMatchOf<M>> & Found<T>,
  ) => Response | Promise<Response>;
}

/** An operation as a table holds it. */
export type Operation = OperationSpec<
  Schema | undefined,
  Schema | undefined,
  'required' | 'optional' | undefined,
  unknown
>;

/** An operation, typed by its schemas: its handler's input is what they parse. */
export const operation = <
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  M extends 'required' | 'optional' | undefined = undefined,
  T = never,
>(
  spec: OperationSpec<Q, B, M, T>,
): Operation => spec as unknown as Operation;

export interface Audience {
  /** Short and stable: the operationIds' prefix. */
  name: string;
  /** The canonical base path first, then Pega's aliases of it: the same operations under each. */
  bases: string[];
  operations: Operation[];
  /** The guard each operation's caller needs (a bearer check of its scope). */
  guard: (caller: Caller) => MiddlewareHandler<AppEnv> | undefined;
  /** What runs before anything under the bases, routed or not (the admin token check). */
  before?: MiddlewareHandler<AppEnv>;
  /** How a refusal of the input is made: a case API checks the token first. */
  refuse?: (c: AppContext, error: unknown) => Promise<never>;
  /** Checks the caller and runs an operation's `reads` beside it, in one round trip. */
  authorize?: <T>(c: AppContext, reads: Reads<T>) => Promise<{ principal: Principal; found: T }>;
}

/** `/cases/{ID}/actions/{actionID}` → `/cases/:id/actions/:actionId`, as the handlers read it. */
export const routerPath = (path: string) =>
  path.replace(
    /\{(\w+)\}/g,
    (_, name: string) => `:${name === 'ID' ? 'id' : name.replace(/ID$/, 'Id')}`,
  );

/** The input an operation takes, parsed in order: If-Match, the query, the body. */
async function inputOf(c: AppContext, operation: Operation) {
  const header = c.req.header('If-Match');
  if (operation.ifMatch === 'required' && header === undefined) throw ifMatchMissing();
  const ifMatch = header === undefined || !operation.ifMatch ? undefined : parseIfMatch(header);
  const query = operation.query && parseInput(operation.query, c.req.query(), 'query');
  let body: unknown;
  let bodyText = '';
  if (operation.body?.required) {
    const { json, text } = await readRawJson(c);
    body = parseInput(operation.body.schema, json, 'request body');
    bodyText = text;
  } else if (operation.body) {
    body = parseInput(operation.body.schema, await readOptionalRawJson(c), 'request body');
  }
  return { query, body, ifMatch, bodyText };
}

const NO_INPUT = { query: undefined, body: undefined, ifMatch: undefined, bodyText: '' };

const rethrow = async (_: AppContext, error: unknown): Promise<never> => {
  throw error;
};

/** The audience's operations as one app of routes, to mount under each of its bases. */
function routesOf(audience: Audience): App {
  const app = newApp();
  if (audience.before) app.use('*', audience.before);
  const refuse = audience.refuse ?? rethrow;
  for (const operation of audience.operations) {
    const guard = audience.guard(operation.caller);
    const takesInput = Boolean(operation.ifMatch || operation.query || operation.body);
    const { reads } = operation;
    const authorize = audience.authorize;
    if (reads && !authorize) throw new Error(`${audience.name}.${operation.id} reads, unchecked`);
    const run = async function runOperation(c: AppContext) {
      let input: Awaited<ReturnType<typeof inputOf>> = NO_INPUT;
      if (takesInput) {
        try {
          input = await inputOf(c, operation);
        } catch (error) {
          return refuse(c, error);
        }
      }
      // Without reads, the handler's input has no principal: its type says so (Found<never>).
      if (!reads || !authorize) return operation.handler(c, input as never);
      const { principal, found } = await authorize(c, reads(c, input));
      return operation.handler(c, { ...input, principal, found });
    };
    const path = routerPath(operation.path);
    const method = operation.method.toUpperCase();
    if (guard) app.on(method, path, guard, run);
    else app.on(method, path, run);
  }
  return app;
}

/** Mounts the audience's table under its base and every alias of it. */
export function mountAudience(app: App, audience: Audience): void {
  const routes = routesOf(audience);
  for (const base of audience.bases) app.route(routerPath(base), routes);
}
