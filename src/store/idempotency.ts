import type { Case } from '../domain/model';
import { caseFrom, SELECT_CASES } from './case-rows';
import type { Reads } from './reads';

/**
 * Idempotency-Key records: a retried create answers its first result (24 hours).
 */

export interface IdempotencyRecord {
  clientId: string;
  key: string;
  fingerprint: string;
  processId: string;
  /** Records older than this are replaced, not replayed. */
  expiredBefore: string;
}

/** The client's idempotency record for `key`, if younger than `notBefore`: batch it. */
export const idempotencyRecordStatement = (
  db: D1Database,
  clientId: string,
  key: string,
  notBefore: string,
) =>
  db
    .prepare(
      `SELECT fingerprint, case_id AS caseId, process_id AS processId FROM idempotency_keys
       WHERE client_id = ? AND key = ? AND created_at >= ?`,
    )
    .bind(clientId, key, notBefore);

/** The case an idempotency record names (batch it beside the record). */
export const replayedCaseStatement = (
  db: D1Database,
  clientId: string,
  key: string,
  notBefore: string,
) =>
  db
    .prepare(
      `${SELECT_CASES} WHERE c.id = (SELECT case_id FROM idempotency_keys
         WHERE client_id = ? AND key = ? AND created_at >= ?)`,
    )
    .bind(clientId, key, notBefore);

export type IdempotencyHit = { fingerprint: string; caseId: string; processId: string };

/** The client's earlier record of `key` (younger than `notBefore`) and the case it names. */
export const idempotencyRead = (
  db: D1Database,
  clientId: string,
  key: string,
  notBefore: string,
): Reads<{ record: IdempotencyHit | undefined; replayed: Case | null }> => ({
  statements: [
    idempotencyRecordStatement(db, clientId, key, notBefore),
    replayedCaseStatement(db, clientId, key, notBefore),
  ],
  from: ([recordRows = [], caseRows = []]) => ({
    record: recordRows[0] as IdempotencyHit | undefined,
    replayed: caseFrom(caseRows),
  }),
});
