import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type Config, loadConfig, required } from '../config';
import type { Actor, Principal } from '../domain/model';

export interface AppEnv {
  Bindings: Cloudflare.Env;
  /** `actor` is set by admin authentication, `principal` by bearer authentication. */
  Variables: { config: Config; actor: Actor; principal: Principal };
}

export type AppContext = Context<AppEnv>;

export const withConfig = createMiddleware<AppEnv>(async function withConfig(c, next) {
  c.set('config', await loadConfig(c.env));
  await next();
});

/** `ISSUER` when configured, else the origin the request arrived on (RFC 8414 §3). */
export function issuerOf(c: AppContext): string {
  return required(c.var.config.issuer) ?? new URL(c.req.url).origin;
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
