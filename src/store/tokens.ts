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

/** Deletes every token record of a client; returns how many there were. */
export async function deleteClientTokens(kv: KVNamespace, clientId: string): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: clientPrefix(clientId), cursor });
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
    deleted += page.keys.length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return deleted;
}
