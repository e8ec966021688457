import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type Config, loadConfig, required } from '../config';
import type { DpopProof } from '../crypto/dpop';
import type { AccessTokenClaims } from '../crypto/jwt';
import type { Actor, Principal, Scope } from '../domain/model';
import { serverError } from '../errors';
import { isLoopbackHost } from './transport';

/** A token that verified (signature, typ, iss, aud, exp), and the scope its route needs. */
export interface Bearer {
  claims: AccessTokenClaims;
  scope: Scope;
  /** A DPoP-bound token's proof for this request, verified; its jti is checked by authorize. */
  dpop?: DpopProof;
}

export interface AppEnv {
  Bindings: Cloudflare.Env;
  /**
   * `actor` is set by admin authentication; `bearer` by the bearer middleware (a token that
   * verified) and `principal` by authorize() (what it stands for now).
   */
  Variables: {
    config: Config;
    actor: Actor;
    bearer: Bearer;
    principal: Principal;
    /** The console page's CSP nonce. */
    nonce: string;
  };
}

export type AppContext = Context<AppEnv>;

export const withConfig = createMiddleware<AppEnv>(async function withConfig(c, next) {
  c.set('config', await loadConfig(c.env));
  await next();
});

let loggedMissingIssuer = false;

/**
 * `ISSUER` when configured. Without it, only local development (a loopback host) uses the
 * origin the request arrived on: a deployment reachable under two origins (workers.dev and a
 * custom domain) would otherwise run two issuers whose tokens fail on each other. Elsewhere
 * every route that needs the issuer answers 503, and the log says why (once per isolate).
 */
export function issuerOf(c: AppContext): string {
  const configured = required(c.var.config.issuer);
  if (configured) return configured;
  const url = new URL(c.req.url);
  if (isLoopbackHost(url.hostname)) return url.origin;
  if (!loggedMissingIssuer) {
    loggedMissingIssuer = true;
    console.error(
      `edgecase config: ISSUER is not set; it is required outside loopback (this request came to ${url.origin}). The OAuth endpoints and the case API answer 503 until it is set.`,
    );
  }
  throw serverError();
}

/** Whether answers name the request's own origin (no ISSUER, local development): Vary: Host. */
const issuerFollowsHost = (c: AppContext) => required(c.var.config.issuer) === undefined;

/**
 * Shared caches may keep a document that names the issuer (discovery, the OpenAPI documents)
 * for 5 minutes; where the issuer is the request's origin, per Host, so no cache ever hands
 * one origin's endpoints to another.
 */
export function publicCache(c: AppContext): void {
  c.header('Cache-Control', 'public, max-age=300');
  if (issuerFollowsHost(c)) c.header('Vary', 'Host', { append: true });
}

/** RFC 8707 / RFC 9068: the API's identifier, the `aud` of every access token. */
export const apiAudience = (issuer: string) => `${issuer}/api/v1`;

/**
 * Never cached. `noTransform` also keeps proxies from re-encoding the answer: Cloudflare (unless
 * "Respect Strong ETags" is on) and other compressing proxies weaken the ETag of an answer they
 * recompress, and the case API's clients send that ETag back in If-Match.
 */
export function noStore(c: Context, options: { noTransform?: boolean } = {}): void {
  c.header('Cache-Control', options.noTransform ? 'no-store, no-transform' : 'no-store');
  c.header('Pragma', 'no-cache');
}

/**
 * Runs a task after the answer is sent (`waitUntil`). The task must handle its own errors. Where
 * there is no execution context (tests calling the app directly), it simply runs on.
 */
export function inBackground(c: Context): (task: Promise<unknown>) => void {
  let context: ExecutionContext | undefined;
  try {
    context = c.executionCtx as ExecutionContext;
  } catch {
    context = undefined;
  }
  return (task) => context?.waitUntil(task);
}
