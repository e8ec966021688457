/**
 * Per-client token counts per clock hour. One statement both checks and counts, so concurrent
 * requests can never push a client past its quota.
 */

/** Counts one token in the current window; returns the count, or null if the quota is spent. */
export async function countIssuedToken(
  db: D1Database,
  clientId: string,
  windowStart: number,
  limit: number,
): Promise<number | null> {
  const row = await db
    .prepare(
      `INSERT INTO token_quota (client_id, window_start, issued) VALUES (?1, ?2, 1)
       ON CONFLICT (client_id) DO UPDATE SET
         issued = CASE WHEN window_start = ?2 THEN issued + 1 ELSE 1 END,
         window_start = ?2
       WHERE window_start <> ?2 OR issued < ?3
       RETURNING issued`,
    )
    .bind(clientId, windowStart, limit)
    .first<{ issued: number }>();
  return row?.issued ?? null;
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
