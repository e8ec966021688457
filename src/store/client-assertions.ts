import { MAX_ASSERTION_LIFETIME_SECONDS } from '../crypto/client-keys';
import type { Reads } from './reads';

/**
 * For the authentication batch: records a presented client assertion's `jti` for its client,
 * only where the client authenticates with keys, then forgets those older than any assertion
 * may live. The first statement returns the jti when it was new (none: a replay), for
 * freshAssertionFrom.
 */
export const clientAssertionStatements = (
  db: D1Database,
  clientId: string,
  jti: string,
  now: number,
) => [clientAssertionStatement(db, clientId, jti, now), expiredAssertionsStatement(db, now)];

function clientAssertionStatement(
  db: D1Database,
  clientId: string,
  jti: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO client_assertions (client_id, jti, expires_at)
       SELECT ?1, ?2, ?3
       WHERE EXISTS (SELECT 1 FROM clients WHERE id = ?1 AND auth_method = 'private_key_jwt')
       ON CONFLICT (client_id, jti) DO NOTHING
       RETURNING jti`,
    )
    .bind(clientId, jti, now + MAX_ASSERTION_LIFETIME_SECONDS);
}

export const freshAssertionFrom = (rows: unknown[]) => rows.length > 0;

/** Drops used assertion IDs whose assertions can no longer be valid anyway. */
function expiredAssertionsStatement(db: D1Database, now: number) {
  return db.prepare('DELETE FROM client_assertions WHERE expires_at < ?').bind(now);
}

/** clientAssertionStatements, read: whether the assertion's jti was new (false: a replay). */
export const clientAssertionRead = (
  db: D1Database,
  clientId: string,
  jti: string,
  now: number,
): Reads<boolean> => ({
  statements: clientAssertionStatements(db, clientId, jti, now),
  from: ([rows = []]) => freshAssertionFrom(rows),
});
