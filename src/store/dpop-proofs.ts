import { DPOP_IAT_WINDOW_SECONDS } from '../crypto/dpop';
import type { Reads } from './reads';

/**
 * For a batch the request makes anyway: records a DPoP proof's `jti` for its key, then forgets
 * the expired ones. The first statement returns the jti when it was new (none: a replay), for
 * freshProofFrom. Proofs are accepted for 2 × the iat window, so that is how long a jti is kept.
 */
export const dpopProofStatements = (
  db: D1Database,
  proof: { jkt: string; jti: string },
  now: number,
) => [dpopProofStatement(db, proof, now), expiredProofsStatement(db, now)];

function dpopProofStatement(db: D1Database, proof: { jkt: string; jti: string }, now: number) {
  return db
    .prepare(
      `INSERT INTO dpop_proofs (jkt, jti, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (jkt, jti) DO NOTHING RETURNING jti`,
    )
    .bind(proof.jkt, proof.jti, now + 2 * DPOP_IAT_WINDOW_SECONDS);
}

export const freshProofFrom = (rows: unknown[]) => rows.length > 0;

function expiredProofsStatement(db: D1Database, now: number) {
  return db.prepare('DELETE FROM dpop_proofs WHERE expires_at < ?').bind(now);
}

/** dpopProofStatements, read: whether the proof's jti was new (false: a replay). */
export const dpopProofRead = (
  db: D1Database,
  proof: { jkt: string; jti: string },
  now: number,
): Reads<boolean> => ({
  statements: dpopProofStatements(db, proof, now),
  from: ([rows = []]) => freshProofFrom(rows),
});
