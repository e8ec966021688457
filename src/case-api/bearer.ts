import { createMiddleware } from 'hono/factory';
import { DPOP_ALGORITHMS, type DpopProof, htuOf, verifyDpopProof } from '../crypto/dpop';
import { type AccessTokenClaims, verifyAccessToken } from '../crypto/jwt';
import type { WritePlan, WritingToken } from '../domain/case-writes';
import { tokenPrincipalRead, tokenPrincipalWith } from '../domain/clients';
import type { Principal, Scope } from '../domain/model';
import { allReads, mapReads, nothing, type Reads, runReads } from '../domain/reads';
import { effectiveScopes } from '../domain/scopes';
import { dpopProofRead, getToken, tokenIsCurrent } from '../domain/tokens';
import { AppError, fieldIssues, invalidRequest, notFound } from '../errors';
import { mediaType, readBodyText } from '../http/body';
import { clientCertificateOf, x5tS256 } from '../http/client-certificate';
import { type AppContext, type AppEnv, issuerOf, noStore } from '../http/context';
import { tokenContext } from '../http/token-context';
import type * as z from '../zod';

// RFC 6750 §2.1 and RFC 9449 §7.1: b64token, after the Bearer or the DPoP scheme.
const TOKEN_HEADER = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i;

/** RFC 9449 §7.1: the challenge for a DPoP-bound token, naming the algorithms accepted. */
function dpopChallenge(code: string, description: string) {
  return {
    'WWW-Authenticate': `DPoP algs="${DPOP_ALGORITHMS.join(' ')}", error="${code}", error_description="${description}"`,
  };
}

const dpopRefusal = (code: 'invalid_token' | 'invalid_dpop_proof', description: string) =>
  new AppError(401, code, description, { headers: dpopChallenge(code, description) });

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
  invalidToken: (c: AppContext, description = 'The access token is invalid, expired or revoked.') =>
    new AppError(401, 'invalid_token', description, {
      headers: challenge(c, { code: 'invalid_token', description }),
    }),
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
  // The URL is parsed only where the name is in it at all (#28: a URL parse on every request).
  const url = c.req.url;
  if (url.includes('access_token') && new URL(url).searchParams.has('access_token')) return true;
  if (mediaType(c.req.raw) !== 'application/x-www-form-urlencoded') return false;
  return new URLSearchParams(await readBodyText(c.req.raw.clone())).has('access_token');
}

/**
 * RFC 9449 §7: a DPoP-bound token (`cnf.jkt`) is accepted only under the DPoP scheme, with a
 * proof for this very request (method, URL, the token's hash) signed by the bound key; a token
 * that is not bound is never accepted under DPoP. Whether the proof's jti is new is answered
 * by authorize's D1 batch, at no extra round trip.
 */
async function dpopOf(
  c: AppContext,
  dpopScheme: boolean,
  token: string,
  claims: AccessTokenClaims,
): Promise<DpopProof | undefined> {
  const jkt = claims.cnf?.jkt;
  if (!jkt) {
    if (dpopScheme) throw dpopRefusal('invalid_token', 'This access token is not DPoP-bound.');
    return undefined;
  }
  if (!dpopScheme) {
    throw dpopRefusal(
      'invalid_token',
      'This access token is DPoP-bound: send it as DPoP, with a proof.',
    );
  }
  const header = c.req.header('DPoP');
  const proof =
    header &&
    (await verifyDpopProof(header, {
      htm: c.req.method,
      htu: htuOf(c.req.url),
      now: Math.floor(Date.now() / 1000),
      accessToken: token,
      jkt,
    }));
  if (!proof) {
    throw dpopRefusal(
      'invalid_dpop_proof',
      'The DPoP proof is missing or invalid for this request.',
    );
  }
  return proof;
}

/**
 * RFC 8705 §3: a certificate-bound token (`cnf["x5t#S256"]`) is accepted only on a request
 * made with that very certificate (mTLS in front of the hostname).
 */
function certificateBinding(c: AppContext, claims: AccessTokenClaims): void {
  const bound = claims.cnf?.['x5t#S256'];
  if (!bound) return;
  const certificate = clientCertificateOf(c);
  if (!certificate || x5tS256(certificate.sha256) !== bound) {
    throw refusal.invalidToken(
      c,
      'This access token is bound to a client certificate this request lacks.',
    );
  }
}

/**
 * Bearer authentication for one route of the case API, needing `scope`: the header and the
 * token itself (signature, typ, iss, aud, exp; no storage). What the token stands for now is
 * checked by `authorize`, which the handler calls with the reads it needs, so the token's KV
 * record, the principal and the resource come in one round trip.
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
    if (!header || !/^(bearer|dpop)(\s|$)/i.test(header)) throw refusal.missing(c);
    const match = TOKEN_HEADER.exec(header);
    const token = match?.[2];
    if (!token) throw refusal.malformed(c, 'The Authorization header is not a valid Bearer token.');
    const context = tokenContext(c);
    const claims = await verifyAccessToken(token, context.keys, context);
    if (!claims) throw refusal.invalidToken(c);
    const dpop = await dpopOf(c, match?.[1]?.toLowerCase() === 'dpop', token, claims);
    certificateBinding(c, claims);
    c.set('bearer', { claims, scope, ...(dpop && { dpop }) });
    await next();
  });
}

/**
 * The principal a verified token stands for now, and what `reads` found, in one
 * storage round trip: the token's KV record in parallel with one D1 batch whose first
 * statement reads the client, its operator and whether the token was revoked, and whose
 * others are `reads` (of the resource, or a guarded write), answered by name. Refuses (401) a token without its record, of a
 * client disabled, deleted or revoked-all since, and (403) one whose scope, narrowed by the
 * client's and operator's current privileges, lacks the route's. Nothing the reads found
 * reaches the caller unless the principal holds.
 */
export async function authorize<T = undefined>(
  c: AppContext,
  reads: Reads<T> = nothing as Reads<T>,
  /**
   * A write among the reads is guarded in its own SQL by what D1 says of the token; only its
   * KV record can refuse the token after that write happened. This takes it back then.
   */
  undo?: (found: T) => Promise<void>,
): Promise<{ principal: Principal; found: T }> {
  const { claims, scope, dpop } = c.var.bearer;
  const db = c.env.DB;
  const now = Math.floor(Date.now() / 1000);
  // A one-row read joins the principal's query: one statement (#28); a DPoP proof's is a write.
  const principalAndReads =
    reads.row && !dpop
      ? mapReads(tokenPrincipalWith(db, claims.client_id, claims.jti, reads.row), (joined) => ({
          ...joined,
          proofFresh: undefined,
        }))
      : allReads({
          standing: tokenPrincipalRead(db, claims.client_id, claims.jti),
          proofFresh: dpop ? dpopProofRead(db, dpop, now) : nothing,
          found: reads,
        });
  const [record, { standing, proofFresh, found }] = await Promise.all([
    getToken(c.env.TOKENS, claims.client_id, claims.jti),
    runReads(db, principalAndReads),
  ]);
  if (!record && undo) await undo(found);
  if (
    !record ||
    !standing ||
    standing.revoked ||
    standing.current.operator.id !== claims.operator ||
    !tokenIsCurrent({ claims, record }, standing.current.client)
  ) {
    throw refusal.invalidToken(c);
  }
  const { current } = standing;
  if (dpop && !proofFresh) {
    throw dpopRefusal('invalid_dpop_proof', 'This DPoP proof was used before.');
  }
  const scopes = effectiveScopes(claims.scope, current.client, current.operator);
  if (!scopes.includes(scope)) throw refusal.insufficientScope(c, scope);
  checkAppAlias(c, current.operator.accessGroup.name);
  const principal: Principal = {
    client: current.client,
    operator: current.operator,
    scopes,
    tokenGeneration: record.generation,
    tokenId: claims.jti,
  };
  c.set('principal', principal);
  return { principal, found };
}

/**
 * An application alias in the path (`/prweb/app/{alias}/...`, as Pega's SDKs send it) must
 * name the caller's application: its access group's name before `:` (`CNOW` of
 * `CNOW:APIClients`), any case, or APP_ALIAS where configured. Any other is 404, as an
 * unknown path.
 */
function checkAppAlias(c: AppContext, accessGroup: string) {
  const alias = c.req.param('alias');
  if (alias === undefined) return;
  const configured = c.var.config.appAlias.ok ? c.var.config.appAlias.value : undefined;
  const own = accessGroup.split(':')[0] ?? '';
  const known = [own, ...(configured ? [configured] : [])].map((name) => name.toLowerCase());
  if (!known.includes(alias.toLowerCase())) {
    throw notFound(`No route for ${c.req.method} ${c.req.path}.`);
  }
}

/** A write planned into the batch that authorizes it (case-writes.ts), run: one level. */
export async function runPlan<T, R>(c: AppContext, plan: WritePlan<T, R>): Promise<T> {
  const { principal, found } = await authorize(c, plan, plan.undo);
  return plan.finish(principal, found);
}

/**
 * The token as a write in the batch that authorizes it can check it in SQL (case-writes.ts):
 * null for a DPoP-bound request (its proof's jti is recorded in that batch, which no SQL
 * guard can wait for) and for a token without a generation (issued before tokens had one).
 */
export function writingToken(c: AppContext): WritingToken | null {
  const { claims, dpop } = c.var.bearer;
  if (dpop || claims.gen === undefined) return null;
  return {
    clientId: claims.client_id,
    operatorId: claims.operator,
    generation: claims.gen,
    jti: claims.jti,
    scopes: claims.scope.split(' '),
  };
}

/**
 * Parses request input for a bearer route. Bad input is refused only after the token is
 * checked, so a revoked token learns nothing about what it sent.
 */
export async function parseAuthorized<T extends z.ZodMiniType>(
  c: AppContext,
  schema: T,
  input: unknown,
  what: string,
): Promise<z.infer<T>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  await authorize(c);
  throw invalidRequest(`The ${what} is invalid.`, fieldIssues(parsed.error));
}

/**
 * `read`'s answer; its refusal only once the token has been checked, so a revoked token
 * learns nothing about what it sent.
 */
export async function refusedAfterTokenCheck<T>(
  c: AppContext,
  read: () => T | Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    return refuseAfterTokenCheck(c, error);
  }
}

/** A refusal of what a request sent, made only once its token holds (a bad token learns nothing). */
export async function refuseAfterTokenCheck(c: AppContext, error: unknown): Promise<never> {
  await authorize(c);
  throw error;
}
