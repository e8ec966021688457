import { createMiddleware } from 'hono/factory';
import type { Scope } from '../domain/model';
import { effectiveScopes } from '../domain/scopes';
import { findLiveToken, tokenIsCurrent } from '../domain/tokens';
import { AppError } from '../errors';
import { mediaType, readBodyText } from '../http/body';
import { type AppContext, type AppEnv, issuerOf, noStore } from '../http/context';
import { tokenContext } from '../http/token-context';
import { getClientForAuthentication } from '../store/clients';

// RFC 6750 §2.1: b64token.
const BEARER_HEADER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

function challenge(c: AppContext, error?: { code: string; description: string; scope?: string }) {
  const metadata = `${issuerOf(c)}/.well-known/oauth-protected-resource/api/v1`;
  const parts = [`realm="edgecase"`, `resource_metadata="${metadata}"`];
  if (error) {
    parts.push(`error="${error.code}"`, `error_description="${error.description}"`);
    if (error.scope) parts.push(`scope="${error.scope}"`);
  }
  return { 'WWW-Authenticate': `Bearer ${parts.join(', ')}` };
}

/** RFC 6750 §3.1 refusals, each with its challenge. */
const refusal = {
  missing: (c: AppContext) =>
    new AppError(401, 'unauthorized', 'A bearer access token is required.', {
      headers: challenge(c),
    }),
  malformed: (c: AppContext, description: string) =>
    new AppError(400, 'invalid_request', description, {
      headers: challenge(c, { code: 'invalid_request', description }),
    }),
  invalidToken: (c: AppContext) => {
    const description = 'The access token is invalid, expired or revoked.';
    return new AppError(401, 'invalid_token', description, {
      headers: challenge(c, { code: 'invalid_token', description }),
    });
  },
  insufficientScope: (c: AppContext, scope: Scope) => {
    const description = `This call needs the ${scope} scope.`;
    return new AppError(403, 'insufficient_scope', description, {
      pegaId: 'Pega_API_019',
      headers: challenge(c, { code: 'insufficient_scope', description, scope }),
    });
  },
};

/** RFC 6750 §2.2 and §2.3: a token anywhere but the header is refused, not used. */
async function tokenOutsideHeader(c: AppContext): Promise<boolean> {
  if (new URL(c.req.url).searchParams.has('access_token')) return true;
  if (mediaType(c.req.raw) !== 'application/x-www-form-urlencoded') return false;
  return new URLSearchParams(await readBodyText(c.req.raw.clone())).has('access_token');
}

/**
 * Bearer authentication for one route of the case API, needing `scope`. The handler runs
 * only for a live token (signature, typ, iss, aud, exp, KV record) of a client that is still
 * enabled at the same token generation, whose operator still holds `scope` as a privilege.
 */
export function requireToken(scope: Scope) {
  return createMiddleware<AppEnv>(async function bearerAuth(c, next) {
    // Answers to a bearer token are the caller's own: no shared cache may keep them, and no
    // proxy may recompress them (which would weaken their ETags).
    noStore(c, { noTransform: true });
    if (await tokenOutsideHeader(c)) {
      throw refusal.malformed(c, 'Send the access token in the Authorization header only.');
    }
    const header = c.req.header('Authorization');
    if (!header || !/^bearer(\s|$)/i.test(header)) throw refusal.missing(c);
    const token = BEARER_HEADER.exec(header)?.[1];
    if (!token) throw refusal.malformed(c, 'The Authorization header is not a valid Bearer token.');

    const context = tokenContext(c);
    const live = await findLiveToken(context, token);
    if (!live) throw refusal.invalidToken(c);
    const record = await getClientForAuthentication(c.env.DB, live.claims.client_id);
    if (!record || !tokenIsCurrent(live, record.client)) throw refusal.invalidToken(c);

    const scopes = effectiveScopes(live.claims.scope, record.client, record.operator);
    if (!scopes.includes(scope)) throw refusal.insufficientScope(c, scope);
    c.set('principal', { client: record.client, operator: record.operator, scopes });
    await next();
  });
}
