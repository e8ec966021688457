import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context';

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';
// x-origin-channel and context: DX API v2's clients send them (both are ignored here).
const ALLOW_HEADERS =
  'Authorization, Content-Type, DPoP, If-Match, Idempotency-Key, x-origin-channel, context';
const EXPOSE_HEADERS = [
  'ETag',
  'Location',
  'WWW-Authenticate',
  'Retry-After',
  'Idempotent-Replayed',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
].join(', ');
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * CORS for browser-based clients on the allow-list in CORS_ALLOWED_ORIGINS (none by default).
 * A listed origin is echoed back; an unlisted one gets no CORS header at all, so the browser
 * keeps the answer from it. Credentials (cookies) are never allowed: tokens travel in the
 * Authorization header, which the allow-list governs.
 */
export const cors = createMiddleware<AppEnv>(async function cors(c, next) {
  const origin = c.req.header('Origin');
  const { corsOrigins } = c.var.config;
  const allowed = origin !== undefined && corsOrigins.ok && corsOrigins.value.includes(origin);

  if (c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method')) {
    const headers = new Headers({ Vary: 'Origin' });
    if (allowed) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Allow-Methods', ALLOW_METHODS);
      headers.set('Access-Control-Allow-Headers', ALLOW_HEADERS);
      headers.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
    }
    return new Response(null, { status: 204, headers });
  }

  await next();
  c.res.headers.append('Vary', 'Origin');
  if (allowed) {
    c.res.headers.set('Access-Control-Allow-Origin', origin);
    c.res.headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  }
});
