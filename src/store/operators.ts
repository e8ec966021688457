import type { AccessGroup, Operator, Page } from '../domain/model';
import { parseJsonColumn } from './json';
import { versionedUpdate, versionMatches } from './versioned';

export interface OperatorRow {
  id: string;
  name: string;
  access_group_name: string;
  privileges: string;
  case_types: string;
  case_visibility: 'own' | 'all';
  created_at: string;
  updated_at: string;
  version: number;
}

export const OPERATOR_COLUMNS =
  'id, name, access_group_name, privileges, case_types, case_visibility, created_at, updated_at, version';

export function operatorFromRow(row: OperatorRow): Operator {
  return {
    id: row.id,
    name: row.name,
    accessGroup: {
      name: row.access_group_name,
      privileges: parseJsonColumn(row.privileges),
      caseTypes: parseJsonColumn(row.case_types),
      caseVisibility: row.case_visibility,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export async function getOperator(db: D1Database, id: string): Promise<Operator | null> {
  const row = await db
    .prepare(`SELECT ${OPERATOR_COLUMNS} FROM operators WHERE id = ?`)
    .bind(id)
    .first<OperatorRow>();
  return row ? operatorFromRow(row) : null;
}

export async function listOperators(
  db: D1Database,
  limit: number,
  afterId: string | undefined,
): Promise<Page<Operator>> {
  const { results } = await db
    .prepare(`SELECT ${OPERATOR_COLUMNS} FROM operators WHERE id > ? ORDER BY id LIMIT ?`)
    .bind(afterId ?? '', limit + 1)
    .all<OperatorRow>();
  const items = results.slice(0, limit).map(operatorFromRow);
  return { items, nextCursor: results.length > limit ? items.at(-1)?.id : undefined };
}

/** Fails on the primary key when the ID is taken. */
export function insertOperator(db: D1Database, operator: Operator): D1PreparedStatement {
  const { accessGroup: group } = operator;
  return db
    .prepare(`INSERT INTO operators (${OPERATOR_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .bind(
      operator.id,
      operator.name,
      group.name,
      JSON.stringify(group.privileges),
      JSON.stringify(group.caseTypes),
      group.caseVisibility,
      operator.createdAt,
      operator.updatedAt,
      operator.version,
    );
}

/** Writes only what was sent (the name, parts of the access group), with the If-Match check. */
export function patchOperator(
  db: D1Database,
  id: string,
  changes: { name?: string | undefined; accessGroup?: Partial<AccessGroup> | undefined },
  at: string,
  expected: number[] | null,
): D1PreparedStatement {
  const group = changes.accessGroup ?? {};
  return versionedUpdate(
    db,
    'operators',
    id,
    {
      name: changes.name,
      access_group_name: group.name,
      privileges: group.privileges && JSON.stringify(group.privileges),
      case_types: group.caseTypes && JSON.stringify(group.caseTypes),
      case_visibility: group.caseVisibility,
      updated_at: at,
    },
    expected,
  );
}

/** Whether a case type's flow routes a step to operator `?` (its `routeTo`). */
const ROUTED_BY_A_FLOW = `EXISTS (SELECT 1 FROM case_types t, json_each(t.flow) s
  WHERE t.flow IS NOT NULL AND json_extract(s.value, '$.routeTo') = ?)`;

/**
 * Deletes the operator only while nothing names it: no client (the foreign key says so too),
 * no case it created, owns or has an assignment of, and no flow step routed to it, so an
 * operator created later under the same ID can never inherit them. Returns the ID when it
 * deleted; see operatorReferences for why not.
 */
export function deleteOperator(
  db: D1Database,
  id: string,
  expected: number[] | null,
): D1PreparedStatement {
  const condition = versionMatches(expected);
  return db
    .prepare(
      `DELETE FROM operators WHERE id = ? AND ${condition.sql}
         AND NOT EXISTS (SELECT 1 FROM clients WHERE operator_id = ?)
         AND NOT EXISTS (SELECT 1 FROM cases WHERE created_by = ?)
         AND NOT EXISTS (SELECT 1 FROM cases WHERE owner = ?)
         AND NOT EXISTS (SELECT 1 FROM cases WHERE assigned_to = ?)
         AND NOT ${ROUTED_BY_A_FLOW}
       RETURNING id`,
    )
    .bind(id, ...condition.args, id, id, id, id, id);
}

/** What still names an operator: clients, cases, flows routed to it. */
export async function operatorReferences(
  db: D1Database,
  id: string,
): Promise<{ clients: boolean; cases: boolean; flows: boolean }> {
  const row = await db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM clients WHERE operator_id = ?1) AS clients,
         EXISTS (SELECT 1 FROM cases WHERE created_by = ?1)
           OR EXISTS (SELECT 1 FROM cases WHERE owner = ?1)
           OR EXISTS (SELECT 1 FROM cases WHERE assigned_to = ?1) AS cases,
         ${ROUTED_BY_A_FLOW.replace('?', '?1')} AS flows`,
    )
    .bind(id)
    .first<{ clients: number; cases: number; flows: number }>();
  return { clients: row?.clients === 1, cases: row?.cases === 1, flows: row?.flows === 1 };
}

/** Which of `ids` are operators. */
export async function existingOperators(db: D1Database, ids: string[]): Promise<Set<string>> {
  const { results } = await db
    .prepare('SELECT id FROM operators WHERE id IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify(ids))
    .all<{ id: string }>();
  return new Set(results.map((row) => row.id));
}
