import type { Case } from '../domain/model';

import { parseJsonColumn } from './json';

/**
 * Rows of `cases` as the domain sees them, and the SQL every read of a case shares: the
 * join with its case type, and who may see it.
 */

export interface CaseRow {
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
  process_id: string;
  step_index: number | null;
  assigned_to: string | null;
  assigned_at: string | null;
  other_assignments: string | null;
}

export function caseFromRow(row: CaseRow, caseTypeName: string): Case {
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
    processId: row.process_id,
    stepIndex: row.step_index,
    assignedTo: row.assigned_to,
    assignedAt: row.assigned_at,
    otherAssignments: row.other_assignments ? parseJsonColumn(row.other_assignments) : [],
  };
}

/** Every read joins the case type for its name: one query instead of two. */
export const SELECT_CASES = `SELECT c.*, t.name AS case_type_name FROM cases c
  JOIN case_types t ON t.id = c.case_type_id`;

export type JoinedCaseRow = CaseRow & { case_type_name: string };

export const caseFromJoinedRow = (row: JoinedCaseRow) => caseFromRow(row, row.case_type_name);

/**
 * Whether the operator `?` may see case `c`: a case type its access group names (or `*`), and
 * its own case, one routed to it, or any where its visibility is `all`. The same rule as
 * domain/access.ts, in SQL, so a list is filtered before it is paged.
 */
export const VISIBLE_TO_OPERATOR = `EXISTS (SELECT 1 FROM operators o WHERE o.id = ?
  AND (o.case_visibility = 'all' OR c.created_by = o.id OR c.assigned_to = o.id)
  AND EXISTS (SELECT 1 FROM json_each(o.case_types) j WHERE j.value IN ('*', c.case_type_id)))`;

/** One case with its case type's name: run it, or batch it beside the bearer check. */
export const caseStatement = (db: D1Database, id: string) =>
  db.prepare(`${SELECT_CASES} WHERE c.id = ?`).bind(id);

export const caseFrom = (rows: unknown[]) =>
  rows[0] ? caseFromJoinedRow(rows[0] as JoinedCaseRow) : null;
