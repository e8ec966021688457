import { type AccessTokenClaims, signAccessToken, verifyAccessToken } from '../crypto/jwt';
import type { SigningKeySet } from '../crypto/keys';
import { newTokenId } from '../crypto/secrets';
import { isRevoked, recordRevocation } from '../store/revoked-tokens';
import { deleteToken, getToken, putToken, type TokenRecord } from '../store/tokens';
import type { Client, Scope } from './model';

export interface TokenContext {
  kv: KVNamespace;
  db: D1Database;
  keys: SigningKeySet;
  issuer: string;
  audience: string;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
}

/**
 * Signs an RFC 9068 access token and records it in KV. The token is returned only once its
 * record is written: a token without a record would be refused everywhere it is presented.
 * `beside` runs in parallel with the KV put (one storage level for both); when it refuses,
 * the token is never handed out and its record is deleted.
 */
export async function issueAccessToken(
  context: TokenContext,
  client: Client,
  scopes: Scope[],
  /** What to bind the token to: a DPoP key, a client certificate, or both. */
  cnf?: { jkt?: string; 'x5t#S256'?: string },
  beside?: () => Promise<void>,
): Promise<IssuedToken> {
  const iat = Math.floor(Date.now() / 1000);
  const claims: AccessTokenClaims = {
    iss: context.issuer,
    sub: client.id,
    client_id: client.id,
    aud: context.audience,
    scope: scopes.join(' '),
    iat,
    exp: iat + client.accessTokenLifetimeSeconds,
    jti: newTokenId(),
    operator: client.operatorId,
    gen: client.tokenGeneration,
    ...(cnf && { cnf }),
  };
  const accessToken = await signAccessToken(context.keys, claims);
  const [put, alongside] = await Promise.allSettled([
    putToken(context.kv, claims.jti, {
      client_id: claims.client_id,
      operator: claims.operator,
      scope: claims.scope,
      iat: claims.iat,
      exp: claims.exp,
      generation: client.tokenGeneration,
      ...(cnf?.jkt && { jkt: cnf.jkt }),
    }),
    beside?.(),
  ]);
  if (alongside.status === 'rejected') {
    if (put.status === 'fulfilled') {
      await deleteToken(context.kv, claims.client_id, claims.jti).catch(() => {});
    }
    throw alongside.reason;
  }
  if (put.status === 'rejected') throw put.reason;
  return { accessToken, expiresIn: client.accessTokenLifetimeSeconds, scope: claims.scope };
}

export interface LiveToken {
  claims: AccessTokenClaims;
  record: TokenRecord;
}

/**
 * A token that verifies (signature, typ, iss, aud, exp), still has its KV record, and was not
 * revoked (D1, read in parallel: immediate everywhere, where KV takes up to ~60 s).
 */
export async function findLiveToken(
  context: TokenContext,
  token: string,
): Promise<LiveToken | null> {
  const claims = await verifyAccessToken(token, context.keys, context);
  if (!claims) return null;
  const [record, revoked] = await Promise.all([
    getToken(context.kv, claims.client_id, claims.jti),
    isRevoked(context.db, claims.jti),
  ]);
  return record && !revoked ? { claims, record } : null;
}

/**
 * Whether a live token still stands for `client` as it is now: the same client, enabled, and no
 * secret regeneration or revoke-all since it was issued (the generation check makes that
 * immediate even where KV has not yet seen the deletions).
 */
export function tokenIsCurrent(
  live: LiveToken,
  client: Pick<Client, 'id' | 'enabled' | 'tokenGeneration'>,
): boolean {
  return (
    live.claims.client_id === client.id &&
    client.enabled &&
    live.record.generation === client.tokenGeneration
  );
}

/**
 * RFC 7009 §2.1: revokes a token only for the client it was issued to; silent otherwise. The
 * revocation is recorded in D1 first: from then on the token is refused everywhere at once.
 * Deleting its KV record is cleanup after that; a KV failure there is logged, not reported,
 * since the revocation already holds.
 */
export async function revokeToken(
  context: TokenContext,
  token: string,
  caller: Client,
): Promise<void> {
  const claims = await verifyAccessToken(token, context.keys, context);
  if (!claims || claims.client_id !== caller.id) return;
  await recordRevocation(
    context.db,
    { jti: claims.jti, clientId: claims.client_id, exp: claims.exp },
    Math.floor(Date.now() / 1000),
  );
  await deleteToken(context.kv, claims.client_id, claims.jti).catch((error) =>
    console.error(`edgecase: could not delete the KV record of a revoked token`, error),
  );
}

export { dpopProofRead } from '../store/dpop-proofs';
// What handlers read and write through this module, as store/ has it (docs/architecture.md:
// no handler imports store/).
export { getToken } from '../store/tokens';
