import { DPOP_IAT_WINDOW_SECONDS } from '../crypto/dpop';

/**
 * Records a DPoP proof's `jti` for its key, for a batch the request makes anyway; returns the
 * jti when it was new (none: a replay). Proofs are accepted for 2 × the iat window, so that is
 * how long a jti is kept.
 */
export function dpopProofStatement(
  db: D1Database,
  proof: { jkt: string; jti: string },
  now: number,
) {
  return db
    .prepare(
      `INSERT INTO dpop_proofs (jkt, jti, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (jkt, jti) DO NOTHING RETURNING jti`,
    )
    .bind(proof.jkt, proof.jti, now + 2 * DPOP_IAT_WINDOW_SECONDS);
}

export const freshProofFrom = (rows: unknown[]) => rows.length > 0;

export function expiredProofsStatement(db: D1Database, now: number) {
  return db.prepare('DELETE FROM dpop_proofs WHERE expires_at < ?').bind(now);
}
