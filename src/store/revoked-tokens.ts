/**
 * Tokens revoked one by one, kept in D1 until they expire, so that revocation is immediate
 * wherever D1 is read (KV deletions take up to ~60 s to reach other locations).
 */

/** Whether `jti` is revoked: batch it beside the bearer check, or run it. */
export const revokedTokenStatement = (db: D1Database, jti: string) =>
  db.prepare('SELECT 1 AS revoked FROM revoked_tokens WHERE jti = ?').bind(jti);

export const isRevokedFrom = (rows: unknown[]) => rows.length > 0;

/** Whether `jti` is revoked, read on its own. */
export async function isRevoked(db: D1Database, jti: string): Promise<boolean> {
  return isRevokedFrom((await revokedTokenStatement(db, jti).all()).results);
}

/** Records a revocation (until the token's expiry) and forgets those whose tokens expired. */
export async function recordRevocation(
  db: D1Database,
  token: { jti: string; clientId: string; exp: number },
  now: number,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO revoked_tokens (jti, client_id, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (jti) DO NOTHING`,
      )
      .bind(token.jti, token.clientId, token.exp),
    db.prepare('DELETE FROM revoked_tokens WHERE expires_at < ?').bind(now),
  ]);
}
