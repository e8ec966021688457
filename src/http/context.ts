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

export function noStore(c: Context): void {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
}
