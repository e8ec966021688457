import { createMiddleware } from 'hono/factory';
import { required } from '../config';
import { constantTimeEqual } from '../crypto/secrets';
import { AppError } from '../errors';
import { type AppEnv, noStore } from '../http/context';

const REALM = 'Bearer realm="edgecase-admin"';

const adminClosed = () =>
  new AppError(503, 'server_error', 'The admin API is not configured on this deployment.');

const adminUnauthorized = (presented: boolean) =>
  new AppError(401, presented ? 'invalid_token' : 'unauthorized', 'Admin authentication failed.', {
    headers: { 'WWW-Authenticate': presented ? `${REALM}, error="invalid_token"` : REALM },
  });

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. No token configured: 503. */
export const adminAuth = createMiddleware<AppEnv>(async function adminAuth(c, next) {
  noStore(c);
  const adminToken = required(c.var.config.adminToken, adminClosed());
  const match = /^Bearer ([^\s]+)$/i.exec(c.req.header('Authorization') ?? '');
  if (!match?.[1]) throw adminUnauthorized(false);
  if (!(await constantTimeEqual(match[1], adminToken))) throw adminUnauthorized(true);
  c.set('actor', { id: 'admin' });
  await next();
});
