import type { Case, CaseContent, Page } from '../domain/model';
import { parseJsonColumn } from './json';

interface CaseRow {
  seq: number;
  id: string;
  case_type_id: string;
  status: string;
  urgency: number;
  content: string;
  parent_case_id: string | null;
  created_by: string;
  created_by_client: string;
  owner: string;
  last_updated_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

function caseFromRow(row: CaseRow, caseTypeName: string): Case {
  return {
    seq: row.seq,
    id: row.id,
    caseTypeId: row.case_type_id,
    caseTypeName,
    status: row.status,
    urgency: row.urgency,
    content: parseJsonColumn(row.content),
    parentCaseId: row.parent_case_id,
    createdBy: row.created_by,
    createdByClient: row.created_by_client,
    owner: row.owner,
    lastUpdatedBy: row.last_updated_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Every read joins the case type for its name: one query instead of two. */
const SELECT_CASES = `SELECT c.*, t.name AS case_type_name FROM cases c
  JOIN case_types t ON t.id = c.case_type_id`;
type JoinedCaseRow = CaseRow & { case_type_name: string };
const caseFromJoinedRow = (row: JoinedCaseRow) => caseFromRow(row, row.case_type_name);

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
}

export interface IdempotencyRecord {
  clientId: string;
  key: string;
  fingerprint: string;
  processId: string;
  /** Records older than this are replaced, not replayed. */
  expiredBefore: string;
}

/** Case numbers start here, as Pega's do (R-1001). */
const FIRST_CASE_NUMBER = 1001;

/**
 * Creates a case in one D1 batch, which is one transaction: the per-prefix counter goes up,
 * the case is inserted under `stem + prefix + counter`, and the idempotency key (if any) is
 * stored. Either all of it happens or none: no number is spent without a case, and two
 * concurrent creates can never read the same counter value.
 */
export async function insertCase(
  db: D1Database,
  input: NewCase,
  idempotency: IdempotencyRecord | undefined,
): Promise<Case> {
  const caseIdExpression = `? || (SELECT last FROM case_counters WHERE prefix = ?)`;
  const idArgs = [`${input.idStem}${input.idPrefix}`, input.idPrefix];
  const statements = [
    db
      .prepare(
        `INSERT INTO case_counters (prefix, last) VALUES (?, ?)
         ON CONFLICT (prefix) DO UPDATE SET last = last + 1`,
      )
      .bind(input.idPrefix, FIRST_CASE_NUMBER),
    db
      .prepare(
        `INSERT INTO cases (id, case_type_id, status, content, parent_case_id, created_by,
           created_by_client, owner, last_updated_by, created_at, updated_at)
         VALUES (${caseIdExpression}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
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
      ),
  ];
  if (idempotency) {
    statements.unshift(
      db
        .prepare('DELETE FROM idempotency_keys WHERE client_id = ? AND key = ? AND created_at < ?')
        .bind(idempotency.clientId, idempotency.key, idempotency.expiredBefore),
    );
    statements.push(
      db
        .prepare(
          `INSERT INTO idempotency_keys (client_id, key, fingerprint, case_id, process_id, created_at)
           VALUES (?, ?, ?, ${caseIdExpression}, ?, ?)`,
        )
        .bind(
          idempotency.clientId,
          idempotency.key,
          idempotency.fingerprint,
          ...idArgs,
          idempotency.processId,
          input.at,
        ),
    );
  }
  const results = await db.batch<CaseRow>(statements);
  const inserted = results[idempotency ? 2 : 1]?.results[0];
  if (!inserted) throw new Error('case insert returned no row');
  return caseFromRow(inserted, input.caseTypeName);
}

export async function findIdempotencyRecord(
  db: D1Database,
  clientId: string,
  key: string,
  notBefore: string,
) {
  return db
    .prepare(
      `SELECT fingerprint, case_id AS caseId, process_id AS processId FROM idempotency_keys
       WHERE client_id = ? AND key = ? AND created_at >= ?`,
    )
    .bind(clientId, key, notBefore)
    .first<{ fingerprint: string; caseId: string; processId: string }>();
}

export async function getCase(db: D1Database, id: string): Promise<Case | null> {
  const row = await db.prepare(`${SELECT_CASES} WHERE c.id = ?`).bind(id).first<JoinedCaseRow>();
  return row ? caseFromJoinedRow(row) : null;
}

export interface CaseFilter {
  /** Only cases this operator created; undefined = anyone's. */
  createdBy: string | undefined;
  /** Only these case types; undefined = all. */
  caseTypeIds: string[] | undefined;
}

/** Newest first; the cursor is the `seq` of the last case on the previous page. */
export async function listCases(
  db: D1Database,
  filter: CaseFilter,
  limit: number,
  beforeSeq: number | undefined,
): Promise<Page<Case>> {
  const conditions = ['c.seq < ?'];
  const args: (string | number)[] = [beforeSeq ?? Number.MAX_SAFE_INTEGER];
  if (filter.createdBy !== undefined) {
    conditions.push('c.created_by = ?');
    args.push(filter.createdBy);
  }
  if (filter.caseTypeIds !== undefined) {
    conditions.push('c.case_type_id IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(filter.caseTypeIds));
  }
  const { results } = await db
    .prepare(`${SELECT_CASES} WHERE ${conditions.join(' AND ')} ORDER BY c.seq DESC LIMIT ?`)
    .bind(...args, limit + 1)
    .all<JoinedCaseRow>();
  const items = results.slice(0, limit).map(caseFromJoinedRow);
  const last = items.at(-1);
  return { items, nextCursor: results.length > limit && last ? String(last.seq) : undefined };
}

/** Compare-and-set on the version: returns the updated case, or null if the ETag moved. */
export async function updateCaseContent(
  db: D1Database,
  current: Case,
  change: { content: CaseContent; status: string; operatorId: string; at: string },
): Promise<Case | null> {
  const row = await db
    .prepare(
      `UPDATE cases SET content = ?, status = ?, last_updated_by = ?, updated_at = ?,
         version = version + 1 WHERE id = ? AND version = ? RETURNING *`,
    )
    .bind(
      JSON.stringify(change.content),
      change.status,
      change.operatorId,
      change.at,
      current.id,
      current.version,
    )
    .first<CaseRow>();
  return row ? caseFromRow(row, current.caseTypeName) : null;
}
