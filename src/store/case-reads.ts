import type {
  Case,
  FieldDefinition,
  FlowStep,
  OptionalProcess,
  OtherAssignment,
  Page,
} from '../domain/model';
import {
  caseFrom,
  caseFromJoinedRow,
  caseStatement,
  type JoinedCaseRow,
  SELECT_CASES,
  VISIBLE_TO_OPERATOR,
} from './case-rows';
import {
  CASE_TYPE_COLUMNS,
  type CaseTypeRecord,
  type CaseTypeRow,
  caseTypeFromRow,
} from './case-types';
import { parseJsonColumn } from './json';
import { containing } from './like';
import { oneRow, oneStatement, type Reads } from './reads';

/**
 * Reads of cases: one case, a page of an operator's cases, its worklist, the console's
 * search.
 */

/** One case with its case type's name, or null. */
export const caseRead = (db: D1Database, id: string): Reads<Case | null> =>
  oneStatement(caseStatement(db, id), caseFrom);

/** The case type's columns, as one JSON object (a read of a case with its whole type). */
const TYPE_JSON = `json_object(${CASE_TYPE_COLUMNS.split(', ')
  .map((column) => `'${column}', t.${column}`)
  .join(', ')})`;

/**
 * One case with its whole case type, in one statement (#28: a read was three statements, the
 * principal, the case and its type), or null. Where the reader already holds the case's type
 * at a version (`known`), the type does not come back at all (#28: its definition was most of
 * the read's answer): `caseType` is null when the type is still `known`. Otherwise the type
 * comes as one JSON column.
 */
export const caseWithTypeRead = (
  db: D1Database,
  id: string,
  /** An operator: whether it follows the case comes with it (`follows`), from its key alone. */
  follower?: string,
  known?: { id: string; version: number },
): Reads<{ item: Case; caseType: CaseTypeRecord | null } | null> =>
  oneRow(db, {
    sql: `SELECT c.*, t.name AS case_type_name,
        CASE WHEN t.id IS ?1 AND t.version IS ?2 THEN NULL ELSE ${TYPE_JSON} END AS case_type__
        ${follower === undefined ? '' : FOLLOWS.replace('?', '?4')}
      FROM cases c JOIN case_types t ON t.id = c.case_type_id WHERE c.id = ?3`,
    args: [
      known?.id ?? null,
      known?.version ?? null,
      id,
      ...(follower === undefined ? [] : [follower]),
    ],
    from: (row) => {
      // A join that found no case gives a row of NULLs.
      if (!row || row.id === null) return null;
      const { case_type__: type, follows } = row as {
        case_type__: string | null;
        follows?: number;
      };
      const item = caseFromJoinedRow(row as unknown as JoinedCaseRow);
      return {
        item: follows === undefined ? item : { ...item, follows: follows === 1 },
        caseType: type === null ? null : caseTypeFromRow(JSON.parse(type) as CaseTypeRow),
      };
    },
  });

/** Whether the operator `?` follows case `c`: one key of case_followers. */
const FOLLOWS = `, EXISTS (SELECT 1 FROM case_followers f
    WHERE f.case_id = c.id AND f.operator_id = ?) AS follows`;

export async function getCase(db: D1Database, id: string): Promise<Case | null> {
  return caseFrom((await caseStatement(db, id).all()).results);
}

/** The operator's cases (or all it may see), newest first; the cursor is the last `seq`. */
export function visibleCasesStatement(
  db: D1Database,
  operatorId: string,
  limit: number,
  beforeSeq: number | undefined,
) {
  return db
    .prepare(
      `${SELECT_CASES} WHERE c.seq < ? AND ${VISIBLE_TO_OPERATOR} ORDER BY c.seq DESC LIMIT ?`,
    )
    .bind(beforeSeq ?? Number.MAX_SAFE_INTEGER, operatorId, limit + 1);
}

/** The operator's cases, a page of them: visibleCasesStatement, read. */
export const visibleCasesRead = (
  db: D1Database,
  operatorId: string,
  limit: number,
  beforeSeq: number | undefined,
): Reads<Page<Case>> =>
  oneStatement(visibleCasesStatement(db, operatorId, limit, beforeSeq), (rows) =>
    casePageFrom(rows, limit),
  );

export function casePageFrom(rows: unknown[], limit: number): Page<Case> {
  const items = (rows as JoinedCaseRow[]).slice(0, limit).map(caseFromJoinedRow);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? String(last.seq) : undefined };
}

/** The open assignments routed to an operator `?`, on case types its access group names. */
export const OPEN_ASSIGNMENTS_OF = `c.assigned_to = ? AND c.step_index IS NOT NULL
  AND EXISTS (SELECT 1 FROM operators o, json_each(o.case_types) j
    WHERE o.id = c.assigned_to AND j.value IN ('*', c.case_type_id))`;

/** The operator `?` may work the case type of case `c` (its access group names it, or `*`). */
const OPERATOR_USES_TYPE = `EXISTS (SELECT 1 FROM operators o, json_each(o.case_types) j
    WHERE o.id = ? AND j.value IN ('*', c.case_type_id))`;

/**
 * The operator's open assignments, most urgent first, then oldest: its cases' main-flow
 * assignments (cases_worklist) and those beside a main flow (the cases that hold any, through
 * cases_other_assignments), each with its case type's flow columns to name the step and, for
 * one beside the main flow, the assignment (`other_assignment`, JSON).
 */
export function worklistStatement(db: D1Database, operatorId: string, limit: number) {
  const typeColumns = `t.name AS case_type_name, t.flow AS case_type_flow,
    t.fields AS case_type_fields, t.processes AS case_type_processes`;
  return (
    db
      .prepare(
        `SELECT * FROM (
         SELECT * FROM (SELECT c.*, ${typeColumns}, NULL AS other_assignment
           FROM cases c JOIN case_types t ON t.id = c.case_type_id
           WHERE ${OPEN_ASSIGNMENTS_OF} ORDER BY c.urgency DESC, c.seq ASC LIMIT ?)
         UNION ALL
         SELECT * FROM (SELECT c.*, ${typeColumns}, j.value AS other_assignment
           FROM cases c JOIN case_types t ON t.id = c.case_type_id, json_each(c.other_assignments) j
           WHERE c.other_assignments IS NOT NULL
             AND json_extract(j.value, '$.assignedTo') = ? AND ${OPERATOR_USES_TYPE}
           ORDER BY c.urgency DESC, c.seq ASC LIMIT ?))
       ORDER BY urgency DESC, seq ASC, other_assignment IS NOT NULL LIMIT ?`,
      )
      // Each branch reads no further than the list's end (#27: cases_worklist gives the first in
      // order), so a worklist of any length reads what it returns.
      .bind(operatorId, limit, operatorId, operatorId, limit, limit)
  );
}

export interface WorklistRow {
  item: Case;
  /** Its case type's flow as stored (null: the default flow), fields and optional processes. */
  flow: FlowStep[] | null;
  fields: FieldDefinition[];
  processes: OptionalProcess[] | undefined;
  /** The assignment, where it is one beside the main flow. */
  other: OtherAssignment | undefined;
}

/** The operator's worklist: worklistStatement, read. */
export const worklistRead = (
  db: D1Database,
  operatorId: string,
  limit: number,
): Reads<WorklistRow[]> => oneStatement(worklistStatement(db, operatorId, limit), worklistFrom);

type WorklistColumns = JoinedCaseRow & {
  case_type_flow: string | null;
  case_type_fields: string;
  case_type_processes: string | null;
  other_assignment: string | null;
};

export const worklistFrom = (rows: unknown[]): WorklistRow[] =>
  (rows as WorklistColumns[]).map((row) => ({
    item: caseFromJoinedRow(row),
    flow: row.case_type_flow === null ? null : parseJsonColumn(row.case_type_flow),
    fields: parseJsonColumn(row.case_type_fields),
    processes: row.case_type_processes ? parseJsonColumn(row.case_type_processes) : undefined,
    other: row.other_assignment ? parseJsonColumn(row.other_assignment) : undefined,
  }));

/** What the console searches cases by; each absent part matches all. */
export interface CaseSearch {
  caseTypeId?: string | undefined;
  status?: string | undefined;
  /** Text the case ID contains. */
  id?: string | undefined;
}

/** Every case (the console is the admin's), newest first, filtered; cursor = last `seq`. */
export async function searchCases(
  db: D1Database,
  search: CaseSearch,
  limit: number,
  beforeSeq: number | undefined,
): Promise<Page<Case>> {
  const { results } = await db
    .prepare(
      `${SELECT_CASES} WHERE c.seq < ? AND (? IS NULL OR c.case_type_id = ?)
         AND (? IS NULL OR c.status = ?) AND c.id LIKE ? ESCAPE '\\'
       ORDER BY c.seq DESC LIMIT ?`,
    )
    .bind(
      beforeSeq ?? Number.MAX_SAFE_INTEGER,
      search.caseTypeId ?? null,
      search.caseTypeId ?? null,
      search.status ?? null,
      search.status ?? null,
      search.id ? containing(search.id) : '%',
      limit + 1,
    )
    .all();
  return casePageFrom(results, limit);
}
