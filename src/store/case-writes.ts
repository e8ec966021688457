// Longer than 300 lines on purpose: the four ways a case is written (the insert with its counter, the merge in SQL, the compare-and-set, taking a refused write back) share the row mapping and the history statements.
import type { Case, CaseContent, OtherAssignment } from '../domain/model';

import { auditStatement, type NewAuditEvent } from './audit';
import { type CaseRow, caseFromRow, VISIBLE_TO_OPERATOR } from './case-rows';
import type { WriteGuard } from './guards';
import type { IdempotencyRecord } from './idempotency';
import { oneStatement, type Reads, runReads } from './reads';

/**
 * Writes of cases: the one-batch insert (counter, case, history, idempotency key), the
 * merge in SQL, the compare-and-set write, and taking a refused write back. Each carries its
 * preconditions (store/guards.ts) in its own SQL.
 */

/** What a case's history records of a write: who, what (no values: they are the case's). */
export type CaseEvent = Pick<NewAuditEvent, 'actor' | 'action' | 'detail'>;

/**
 * A case's history entry (audit_log, target type `case`), for the batch right after the insert:
 * the target ID is the new case's, computed as the insert computed it.
 */
function caseEvent(db: D1Database, event: CaseEvent, idArgs: string[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_log (at, actor, action, target_type, target_id, detail)
       SELECT ?, ?, ?, 'case', ? || (SELECT last FROM case_counters WHERE prefix = ?), ?
       WHERE changes() > 0`,
    )
    .bind(
      new Date().toISOString(),
      event.actor.id,
      event.action,
      ...idArgs,
      JSON.stringify(event.detail ?? {}),
    );
}

export interface NewCase {
  /** `CNOW-CONNECTNOW-WORK ` : the number is appended from the counter. */
  idStem: string;
  idPrefix: string;
  caseTypeId: string;
  caseTypeName: string;
  status: string;
  content: CaseContent;
  parentCaseId: string | null;
  operatorId: string;
  clientId: string;
  at: string;
  processId: string;
  /** The first step's assignment, or null for none. */
  stepIndex: number | null;
  assignedTo: string | null;
}

/** Case numbers start here, as Pega's do (R-1001). */
const FIRST_CASE_NUMBER = 1001;

/**
 * Creates a case in one D1 batch, which is one transaction: the per-prefix counter goes up,
 * the case is inserted under `stem + prefix + counter`, and the idempotency key (if any) is
 * stored. Either all of it happens or none: no number is spent without a case, and two
 * concurrent creates can never read the same counter value. As reads: to run alone, or in the
 * batch that authorizes the request; the new case, or null where the guard held it back.
 */
export function insertCaseStatements(
  db: D1Database,
  input: NewCase,
  idempotency: IdempotencyRecord | undefined,
  event: CaseEvent,
  guard: WriteGuard,
): Reads<Case | null> {
  const caseIdExpression = `? || (SELECT last FROM case_counters WHERE prefix = ?)`;
  const idArgs = [`${input.idStem}${input.idPrefix}`, input.idPrefix];
  // Every write carries the guard: if the principal moved since it was read, none happens.
  const counterStatement = db
    .prepare(
      `INSERT INTO case_counters (prefix, last) SELECT ?, ? WHERE ${guard.sql}
         ON CONFLICT (prefix) DO UPDATE SET last = last + 1`,
    )
    .bind(input.idPrefix, FIRST_CASE_NUMBER, ...guard.args);
  const insertStatement = db
    .prepare(
      `INSERT INTO cases (id, case_type_id, status, content, parent_case_id, created_by,
           created_by_client, owner, last_updated_by, created_at, updated_at, process_id,
           step_index, assigned_to, assigned_at)
         SELECT ${caseIdExpression}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
         WHERE ${guard.sql} RETURNING *`,
    )
    .bind(
      ...idArgs,
      input.caseTypeId,
      input.status,
      JSON.stringify(input.content),
      input.parentCaseId,
      input.operatorId,
      input.clientId,
      input.operatorId,
      input.operatorId,
      input.at,
      input.at,
      input.processId,
      input.stepIndex,
      input.assignedTo,
      input.assignedTo === null ? null : input.at,
      ...guard.args,
    );
  // A stale record of the key goes first; the new one is stored with the case's ID.
  const keyStatements = idempotency && {
    forgetExpired: db
      .prepare('DELETE FROM idempotency_keys WHERE client_id = ? AND key = ? AND created_at < ?')
      .bind(idempotency.clientId, idempotency.key, idempotency.expiredBefore),
    record: db
      .prepare(
        `INSERT INTO idempotency_keys (client_id, key, fingerprint, case_id, process_id, created_at)
         SELECT ?, ?, ?, ${caseIdExpression}, ?, ? WHERE ${guard.sql}`,
      )
      .bind(
        idempotency.clientId,
        idempotency.key,
        idempotency.fingerprint,
        ...idArgs,
        idempotency.processId,
        input.at,
        ...guard.args,
      ),
  };
  // In this order: the case's history entry right after its insert (it checks changes()).
  const statements = [
    ...(keyStatements ? [keyStatements.forgetExpired] : []),
    counterStatement,
    insertStatement,
    caseEvent(db, event, idArgs),
    ...(keyStatements ? [keyStatements.record] : []),
  ];
  const at = statements.indexOf(insertStatement);
  return {
    statements,
    from: (results) => {
      const row = results[at]?.[0] as CaseRow | undefined;
      return row ? caseFromRow(row, input.caseTypeName) : null;
    },
  };
}

/** insertCaseStatements, run alone. */
export async function insertCase(
  db: D1Database,
  input: NewCase,
  idempotency: IdempotencyRecord | undefined,
  event: CaseEvent,
  guard: WriteGuard,
): Promise<Case | null> {
  return runReads(db, insertCaseStatements(db, input, idempotency, event, guard));
}

/**
 * Takes back a case just created by a request refused after all (its token's KV record was
 * missing beside the write): the case, its history entry, and its number where no later case
 * has taken the next one.
 */
export async function undoCreate(db: D1Database, item: Case, idPrefix: string): Promise<void> {
  const number = Number(item.id.slice(item.id.lastIndexOf(idPrefix) + idPrefix.length));
  await db.batch([
    db.prepare('DELETE FROM cases WHERE id = ? AND version = 1').bind(item.id),
    db
      .prepare(
        `DELETE FROM audit_log WHERE changes() > 0 AND target_type = 'case' AND target_id = ?`,
      )
      .bind(item.id),
    db
      .prepare('UPDATE case_counters SET last = last - 1 WHERE prefix = ? AND last = ?')
      .bind(idPrefix, number),
  ]);
}

/** A merge into a case: typed values, null for each value it clears. */
export interface CasePatch {
  values: Record<string, string | number | boolean | null>;
  operatorId: string;
  at: string;
  /** If-Match's versions; null for any (`*`). */
  versions: number[] | null;
  /** The merged content's size cap, in bytes of its JSON. */
  maxBytes: number;
}

/** VISIBLE_TO_OPERATOR for an UPDATE of `cases`, which has no alias. */
const VISIBLE_TO_OPERATOR_IN_UPDATE = VISIBLE_TO_OPERATOR.replaceAll('c.', 'cases.');

/**
 * Merges values into a case in SQL (a JSON merge patch), so the write needs no read before it:
 * only while the case is of `caseTypeId`, not resolved, at one of the versions If-Match names,
 * visible to the operator, within the size cap once merged, and while `guard` holds. New
 * becomes Open. Returns the statements (for the batch that authorizes the request) and how to
 * read the written case from their results.
 */
export function patchCaseStatements(
  db: D1Database,
  id: string,
  caseTypeId: string,
  patch: CasePatch,
  event: CaseEvent,
  guard: WriteGuard,
): Reads<Case | null> {
  const values = JSON.stringify(patch.values);
  const versions = patch.versions === null ? null : JSON.stringify(patch.versions);
  const update = db
    .prepare(
      `UPDATE cases SET content = json_patch(content, ?),
         status = CASE WHEN status = 'New' THEN 'Open' ELSE status END,
         last_updated_by = ?, updated_at = ?, version = version + 1
       WHERE id = ? AND case_type_id = ? AND status NOT LIKE 'Resolved%'
         AND (? IS NULL OR version IN (SELECT value FROM json_each(?)))
         AND length(CAST(json_patch(content, ?) AS BLOB)) <= ?
         AND ${VISIBLE_TO_OPERATOR_IN_UPDATE} AND ${guard.sql}
       RETURNING *`,
    )
    .bind(
      values,
      patch.operatorId,
      patch.at,
      id,
      caseTypeId,
      versions,
      versions,
      values,
      patch.maxBytes,
      patch.operatorId,
      ...guard.args,
    );
  const history = auditStatement(db, { ...event, targetType: 'case', targetId: id });
  return {
    statements: [update, history],
    from: ([rows = []]) => {
      const row = rows[0] as CaseRow | undefined;
      return row ? caseFromRow(row, '') : null;
    },
  };
}

/**
 * Takes back a merge whose request was refused after all (its token's KV record was missing
 * beside the write), as a compare-and-set on `current`'s version: the case gets `content`
 * (the merge's values put back where no later write changed them) as a version of its own, or,
 * straight after the merge (`whole`: nothing came after it), is put back whole, version
 * included, so an ETag read before still holds. The merge's history entry goes with it. False
 * when the case moved meanwhile.
 */
/** What a take-back restores of a case as it was: its content and what a write stamps. */
export type CaseBefore = Pick<
  Case,
  'content' | 'status' | 'lastUpdatedBy' | 'updatedAt' | 'version'
>;

/**
 * A case as it was before a write in the same batch, for its take-back: the columns it
 * restores, no more (#28: an update read the whole case with its type's name for this).
 */
export const caseBeforeRead = (db: D1Database, id: string): Reads<CaseBefore | null> =>
  oneStatement(
    db
      .prepare(
        'SELECT content, status, last_updated_by, updated_at, version FROM cases WHERE id = ?',
      )
      .bind(id),
    ([row]) => {
      if (!row) return null;
      const found = row as {
        content: string;
        status: string;
        last_updated_by: string;
        updated_at: string;
        version: number;
      };
      return {
        content: JSON.parse(found.content) as CaseContent,
        status: found.status,
        lastUpdatedBy: found.last_updated_by,
        updatedAt: found.updated_at,
        version: found.version,
      };
    },
  );

export async function revertPatch(
  db: D1Database,
  current: Case,
  revert: { whole: CaseBefore } | { content: CaseContent },
  history: { actor: string; at: string },
): Promise<boolean> {
  const write =
    'whole' in revert
      ? db
          .prepare(
            `UPDATE cases SET content = ?, status = ?, last_updated_by = ?, updated_at = ?,
               version = ? WHERE id = ? AND version = ?`,
          )
          .bind(
            JSON.stringify(revert.whole.content),
            revert.whole.status,
            revert.whole.lastUpdatedBy,
            revert.whole.updatedAt,
            revert.whole.version,
            current.id,
            current.version,
          )
      : db
          .prepare(
            'UPDATE cases SET content = ?, version = version + 1 WHERE id = ? AND version = ?',
          )
          .bind(JSON.stringify(revert.content), current.id, current.version);
  const [written] = await db.batch([
    write,
    db
      .prepare(
        `DELETE FROM audit_log WHERE changes() > 0 AND id = (SELECT max(id) FROM audit_log
           WHERE target_type = 'case' AND target_id = ? AND action = 'case.update'
             AND actor = ? AND at = ?)`,
      )
      .bind(current.id, history.actor, history.at),
  ]);
  return (written?.meta.changes ?? 0) > 0;
}

/** What a write sets on a case; the step and routing stay as they are unless given. */
export interface CaseWrite {
  content: CaseContent;
  status: string;
  operatorId: string;
  at: string;
  step?: { index: number | null; assignedTo: string | null } | undefined;
  /** The case's other open assignments as they are to be; absent: unchanged. */
  otherAssignments?: OtherAssignment[] | undefined;
}

/**
 * Compare-and-set on the version, and only while `guard` holds (the principal that asked is
 * still what it was): returns the written case, or null if either moved.
 */
export async function writeCase(
  db: D1Database,
  current: Case,
  change: CaseWrite,
  event: CaseEvent,
  guard: WriteGuard = { sql: '1', args: [] },
): Promise<Case | null> {
  const step = change.step;
  const stepSql = step ? ', step_index = ?, assigned_to = ?, assigned_at = ?' : '';
  const stepArgs = step ? [step.index, step.assignedTo, step.assignedTo ? change.at : null] : [];
  const others = change.otherAssignments;
  const othersSql = others ? ', other_assignments = ?' : '';
  const othersArgs = others ? [others.length > 0 ? JSON.stringify(others) : null] : [];
  const update = db
    .prepare(
      `UPDATE cases SET content = ?, status = ?, last_updated_by = ?, updated_at = ?${stepSql}${othersSql},
         version = version + 1 WHERE id = ? AND version = ? AND ${guard.sql} RETURNING *`,
    )
    .bind(
      JSON.stringify(change.content),
      change.status,
      change.operatorId,
      change.at,
      ...stepArgs,
      ...othersArgs,
      current.id,
      current.version,
      ...guard.args,
    );
  const history = auditStatement(db, { ...event, targetType: 'case', targetId: current.id });
  const [written] = await db.batch<CaseRow>([update, history]);
  const row = written?.results[0];
  return row ? caseFromRow(row, current.caseTypeName) : null;
}

/**
 * Deletes a case in its create stage (one of `createSteps` open), with its attachment records and a
 * history row, in one batch whose every statement holds only while the case is there, still in
 * that stage, unresolved, the parent of no case, and `guard` holds. The IDs of the attachments
 * removed (their objects go next) and whether the case went.
 */
export async function deleteCaseInCreateStage(
  db: D1Database,
  id: string,
  createSteps: number[],
  event: CaseEvent,
  guard: WriteGuard,
): Promise<{ deleted: boolean; attachments: string[] }> {
  const deletable = {
    sql: `EXISTS (SELECT 1 FROM cases WHERE id = ?
            AND step_index IN (SELECT value FROM json_each(?))
            AND status NOT LIKE 'Resolved%'
            AND NOT EXISTS (SELECT 1 FROM cases child WHERE child.parent_case_id = ?))
          AND ${guard.sql}`,
    args: [id, JSON.stringify(createSteps), id, ...guard.args],
  };
  const [files, removed] = await db.batch<{ id: string }>([
    db
      .prepare(`DELETE FROM attachments WHERE case_id = ? AND ${deletable.sql} RETURNING id`)
      .bind(id, ...deletable.args),
    db.prepare(`DELETE FROM cases WHERE id = ? AND ${deletable.sql}`).bind(id, ...deletable.args),
    auditStatement(db, { ...event, targetType: 'case', targetId: id }),
  ]);
  return {
    deleted: (removed?.meta.changes ?? 0) > 0,
    attachments: (files?.results ?? []).map((row) => row.id),
  };
}
