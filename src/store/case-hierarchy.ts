import type { Case } from '../domain/model';
import { caseFromJoinedRow, type JoinedCaseRow, SELECT_CASES } from './case-rows';
import { oneStatement, type Reads } from './reads';

/**
 * Reads of a case's family, each one statement: its ancestors (a walk up `parent_case_id`) and
 * its descendants (a walk down `cases_parent`), and a set of cases by ID (bulk actions).
 */

/** How far up or down a walk goes. Pega's own hierarchies are a few levels deep. */
export const MAX_HIERARCHY_DEPTH = 10;

/** How many descendants one answer holds at most; the walk stops there (breadth first). */
export const MAX_DESCENDANTS = 200;

const cases = (rows: unknown[]) => (rows as JoinedCaseRow[]).map(caseFromJoinedRow);

/** The case's ancestors, its root first and its parent last; [] for a root case. */
export const ancestorsRead = (db: D1Database, id: string): Reads<Case[]> =>
  oneStatement(
    db
      .prepare(
        `WITH RECURSIVE up(id, depth) AS (
           SELECT parent_case_id, 1 FROM cases WHERE id = ? AND parent_case_id IS NOT NULL
           UNION ALL
           SELECT p.parent_case_id, up.depth + 1 FROM up JOIN cases p ON p.id = up.id
           WHERE p.parent_case_id IS NOT NULL AND up.depth < ?)
         ${SELECT_CASES} JOIN up ON up.id = c.id ORDER BY up.depth DESC`,
      )
      .bind(id, MAX_HIERARCHY_DEPTH),
    cases,
  );

/** The case's descendants, breadth first, each with its `parentCaseId` to hang it by. */
export const descendantsRead = (db: D1Database, id: string): Reads<Case[]> =>
  oneStatement(
    db
      .prepare(
        `WITH RECURSIVE down(id, depth) AS (
           SELECT id, 1 FROM cases WHERE parent_case_id = ?
           UNION ALL
           SELECT k.id, down.depth + 1 FROM down JOIN cases k ON k.parent_case_id = down.id
           WHERE down.depth < ?
           LIMIT ?)
         ${SELECT_CASES} JOIN down ON down.id = c.id ORDER BY down.depth, c.seq`,
      )
      .bind(id, MAX_HIERARCHY_DEPTH, MAX_DESCENDANTS),
    cases,
  );

/** The cases of `ids` that exist (in no order). */
export const casesByIdRead = (db: D1Database, ids: string[]): Reads<Case[]> =>
  oneStatement(
    db
      .prepare(`${SELECT_CASES} WHERE c.id IN (SELECT value FROM json_each(?))`)
      .bind(JSON.stringify(ids)),
    cases,
  );
