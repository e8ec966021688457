/**
 * Per-client token counts per clock hour. One statement both checks and counts, so concurrent
 * requests can never push a client past its quota.
 */

/**
 * Counts one token for client `clientId` in the window starting at `windowStart`, in the same
 * D1 batch as its authentication: only if the client exists, is enabled and has a quota, and
 * either the presented secret's hash is its current one (or its previous one, in grace), or,
 * with no secret (`secretHash` null: an assertion), it authenticates with keys. That check
 * only decides whether to count: the Worker decides whether the client is authenticated, and
 * a count for a request refused later (a bad assertion, a refused grant) is given back.
 * Returns `issued` when counted; no row when over the quota, or not counted at all.
 */
export function countIssuedTokenStatement(
  db: D1Database,
  clientId: string,
  secretHash: string | null,
  windowStart: number,
  nowIso: string,
) {
  return db
    .prepare(
      `INSERT INTO token_quota (client_id, window_start, issued)
       SELECT ?1, ?2, 1 FROM clients c
       WHERE c.id = ?1 AND c.enabled = 1 AND c.tokens_per_hour IS NOT NULL
         AND ((?3 IS NULL AND c.auth_method <> 'client_secret')
           OR (c.auth_method = 'client_secret' AND (c.secret_hash = ?3
             OR (c.previous_secret_hash = ?3 AND c.previous_secret_expires_at > ?4))))
       ON CONFLICT (client_id) DO UPDATE SET
         issued = CASE WHEN window_start = ?2 THEN issued + 1 ELSE 1 END,
         window_start = ?2
       WHERE window_start <> ?2
         OR issued < (SELECT tokens_per_hour FROM clients WHERE id = ?1)
       RETURNING issued`,
    )
    .bind(clientId, windowStart, secretHash, nowIso);
}

/** Gives back a count whose token was never handed out. */
export async function uncountIssuedToken(db: D1Database, clientId: string, windowStart: number) {
  await db
    .prepare(
      `UPDATE token_quota SET issued = issued - 1
       WHERE client_id = ? AND window_start = ? AND issued > 0`,
    )
    .bind(clientId, windowStart)
    .run();
}
