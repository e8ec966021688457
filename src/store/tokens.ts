/**
 * Live access tokens in KV: one record per token, `at:<clientId>:<jti>`, expiring with the
 * token. The client ID in the key lets revoke-all find a client's tokens with a prefix list.
 */

export interface TokenRecord {
  client_id: string;
  operator: string;
  scope: string;
  iat: number;
  exp: number;
  /** The client's token generation at issue; see clients.token_generation. */
  generation: number;
  /** DPoP-bound: the key's thumbprint. */
  jkt?: string;
}

/** KV cannot expire a key sooner than this. */
export const KV_MIN_EXPIRATION_TTL_SECONDS = 60;

const tokenKey = (clientId: string, jti: string) => `at:${clientId}:${jti}`;
const clientPrefix = (clientId: string) => `at:${clientId}:`;

export async function putToken(kv: KVNamespace, jti: string, record: TokenRecord): Promise<void> {
  const lifetimeSeconds = Math.max(record.exp - record.iat, KV_MIN_EXPIRATION_TTL_SECONDS);
  await kv.put(tokenKey(record.client_id, jti), JSON.stringify(record), {
    expirationTtl: lifetimeSeconds,
  });
}

export function getToken(kv: KVNamespace, clientId: string, jti: string) {
  return kv.get<TokenRecord>(tokenKey(clientId, jti), 'json');
}

export function deleteToken(kv: KVNamespace, clientId: string, jti: string): Promise<void> {
  return kv.delete(tokenKey(clientId, jti));
}

/**
 * KV operations (lists and deletes) one cleanup may spend: well inside the per-invocation limit
 * on KV operations (1,000), so a client with many live tokens can never make its revocation
 * fail. Records beyond it expire with their TTL (at most a token lifetime).
 */
export const TOKEN_CLEANUP_OPERATIONS = 500;
const CLEANUP_PAGE = 100;

/** Deletes a client's token records, in pages, within `operations` KV calls. */
export async function deleteClientTokens(
  kv: KVNamespace,
  clientId: string,
  operations = TOKEN_CLEANUP_OPERATIONS,
): Promise<{ deleted: number; complete: boolean }> {
  let deleted = 0;
  let used = 0;
  let cursor: string | undefined;
  while (used + 1 < operations) {
    const limit = Math.min(CLEANUP_PAGE, operations - used - 1);
    const page = await kv.list({ prefix: clientPrefix(clientId), cursor, limit });
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
    used += 1 + page.keys.length;
    deleted += page.keys.length;
    if (page.list_complete) return { deleted, complete: true };
    cursor = page.cursor;
  }
  return { deleted, complete: false };
}
