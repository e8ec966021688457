import type { Handler, MiddlewareHandler } from 'hono';
import type { Scope } from '../domain/model';
import type * as z from '../zod';
import type { AppEnv } from './context';
import { type App, newApp } from './hono';

/**
 * Routes are data. Each audience (OAuth, the admin API, Pega API v1, DX API v2) is one table of
 * operations: the router mounts it (`mountAudience`), the OpenAPI document is generated from it
 * (src/openapi.ts), and the contract test calls every operation it holds, so no route can be
 * served undocumented or unchecked.
 */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call an operation: a bearer token holding a scope (or the scope of the data view the
 * path names), the client's own credentials (the OAuth endpoints), the admin token, or anyone.
 */
export type Caller = { scope: Scope } | 'data view' | 'client' | 'admin' | 'anyone';

export interface Operation {
  /** Unique within its audience; the OpenAPI operationId is `<audience>.<id>`. */
  id: string;
  method: Method;
  /** Under the audience's base, in OpenAPI's form: `/cases/{ID}`. */
  path: string;
  caller: Caller;
  /** The query and body schemas the handler parses: the document describes requests by them. */
  query?: z.ZodMiniType;
  body?: {
    type: 'application/json' | 'application/x-www-form-urlencoded';
    schema: z.ZodMiniType;
    /** False where an empty body means all defaults. */
    required: boolean;
  };
  handler: Handler<AppEnv>;
}

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
}

/** `/cases/{ID}/actions/{actionID}` → `/cases/:id/actions/:actionId`, as the handlers read it. */
export const routerPath = (path: string) =>
  path.replace(
    /\{(\w+)\}/g,
    (_, name: string) => `:${name === 'ID' ? 'id' : name.replace(/ID$/, 'Id')}`,
  );

/** The audience's operations as one app of routes, to mount under each of its bases. */
function routesOf(audience: Audience): App {
  const app = newApp();
  if (audience.before) app.use('*', audience.before);
  for (const operation of audience.operations) {
    const guard = audience.guard(operation.caller);
    const path = routerPath(operation.path);
    const method = operation.method.toUpperCase();
    if (guard) app.on(method, path, guard, operation.handler);
    else app.on(method, path, operation.handler);
  }
  return app;
}

/** Mounts the audience's table under its base and every alias of it. */
export function mountAudience(app: App, audience: Audience): void {
  const routes = routesOf(audience);
  for (const base of audience.bases) app.route(base, routes);
}
