import { createMiddleware } from 'hono/factory';
import { constantTimeEqual } from '../crypto/secrets';
import type { Actor } from '../domain/model';
import { AppError } from '../errors';
import { type AppContext, type AppEnv, noStore } from '../http/context';
import { verifyAccessAssertion } from './access';

const REALM = 'Bearer realm="edgecase-admin"';

const adminClosed = () =>
  new AppError(503, 'server_error', 'The admin API is not configured on this deployment.');

const adminUnauthorized = (presented: boolean) =>
  new AppError(401, presented ? 'invalid_token' : 'unauthorized', 'Admin authentication failed.', {
    headers: { 'WWW-Authenticate': presented ? `${REALM}, error="invalid_token"` : REALM },
  });

/** The admin a request speaks for, by ADMIN_TOKEN or by a Cloudflare Access assertion. */
async function authenticateAdmin(c: AppContext): Promise<Actor> {
  const { config } = c.var;
  const adminToken = config.adminToken.ok ? config.adminToken.value : undefined;
  const access = config.access.ok ? config.access.value : undefined;
  if (!adminToken && !access) throw adminClosed();

  const bearer = /^Bearer ([^\s]+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
  const assertion = c.req.header('Cf-Access-Jwt-Assertion');
  if (bearer && adminToken && (await constantTimeEqual(bearer, adminToken))) {
    return { id: 'admin' };
  }
  if (assertion && access) {
    const actor = await verifyAccessAssertion(assertion, access);
    if (actor) return actor;
  }
  throw adminUnauthorized(Boolean(bearer || assertion));
}

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` (compared in constant time), or, where Cloudflare
 * Access is configured, a valid `Cf-Access-Jwt-Assertion`. Neither configured: 503.
 */
export const adminAuth = createMiddleware<AppEnv>(async function adminAuth(c, next) {
  noStore(c);
  c.set('actor', await authenticateAdmin(c));
  await next();
});
