import { createMiddleware } from 'hono/factory';
import { httpsRequired } from '../errors';
import { errorResponse } from './errors';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Local development: the only hosts served over plain HTTP, and without ISSUER. */
export const isLoopbackHost = (hostname: string) => LOOPBACK_HOSTS.has(hostname);
const OUTDATED_TLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.0', 'TLSv1.1']);
const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * The hostname of an `http://` URL as the runtime hands it over (already normalized), without
 * parsing the whole URL: `http://[::1]:8787/x` → `[::1]`.
 */
function plainHttpHostname(url: string): string {
  const authority = url.slice('http://'.length, url.indexOf('/', 'http://'.length) >>> 0);
  const port = authority.lastIndexOf(':');
  return port > authority.lastIndexOf(']') ? authority.slice(0, port) : authority;
}

/**
 * Contract §7: plain HTTP is served only on loopback (local development), TLS below 1.2
 * nowhere. A refusal is a 403, never a redirect: a credential already sent in clear must not
 * be rewarded with a working answer.
 */
export const transportGuard = createMiddleware(async function transportGuard(c, next) {
  const url = c.req.url;
  const https = url.startsWith('https:');
  // Plain HTTP has no TLS version to look at (reading `cf` builds an object each time).
  const tlsVersion = https
    ? (c.req.raw.cf as { tlsVersion?: unknown } | undefined)?.tlsVersion
    : undefined;
  // The host is looked at only for plain HTTP: the one case that needs it.
  const insecureHttp = !https && !isLoopbackHost(plainHttpHostname(url));
  const outdatedTls = typeof tlsVersion === 'string' && OUTDATED_TLS.has(tlsVersion);
  if (insecureHttp || outdatedTls) return errorResponse(c, httpsRequired());

  await next();
  // Set on the response as it is: Hono's c.header() after next() copies the whole response for
  // each header (#28). A response from fetch (an asset, the console's Worker) has immutable
  // headers: it is copied once.
  try {
    setTransportHeaders(c.res.headers, https);
  } catch {
    const copy = new Response(c.res.body, c.res);
    setTransportHeaders(copy.headers, https);
    c.res = copy;
  }
});

function setTransportHeaders(headers: Headers, https: boolean) {
  headers.set('X-Content-Type-Options', 'nosniff');
  if (https) headers.set('Strict-Transport-Security', HSTS);
}
