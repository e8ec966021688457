import { createMiddleware } from 'hono/factory';
import { httpsRequired } from '../errors';
import { errorResponse } from './errors';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Local development: the only hosts served over plain HTTP, and without ISSUER. */
export const isLoopbackHost = (hostname: string) => LOOPBACK_HOSTS.has(hostname);
const OUTDATED_TLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.0', 'TLSv1.1']);
const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * Contract §7: plain HTTP is served only on loopback (local development), TLS below 1.2
 * nowhere. A refusal is a 403, never a redirect: a credential already sent in clear must not
 * be rewarded with a working answer.
 */
export const transportGuard = createMiddleware(async function transportGuard(c, next) {
  const url = c.req.url;
  const https = url.startsWith('https:');
  const tlsVersion = (c.req.raw.cf as { tlsVersion?: unknown } | undefined)?.tlsVersion;
  // The host is looked at only for plain HTTP: the one case that needs it.
  const insecureHttp = !https && !isLoopbackHost(new URL(url).hostname);
  const outdatedTls = typeof tlsVersion === 'string' && OUTDATED_TLS.has(tlsVersion);
  if (insecureHttp || outdatedTls) return errorResponse(c, httpsRequired());

  await next();
  c.header('X-Content-Type-Options', 'nosniff');
  if (https) c.header('Strict-Transport-Security', HSTS);
});
