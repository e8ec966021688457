import type { Operator, Page } from '../domain/model';
import { parseJsonColumn } from './json';

export interface OperatorRow {
  id: string;
  name: string;
  access_group_name: string;
  privileges: string;
  case_types: string;
  case_visibility: 'own' | 'all';
  created_at: string;
  updated_at: string;
}

export const OPERATOR_COLUMNS =
  'id, name, access_group_name, privileges, case_types, case_visibility, created_at, updated_at';

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
    .prepare(`INSERT INTO operators (${OPERATOR_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .bind(
      operator.id,
      operator.name,
      group.name,
      JSON.stringify(group.privileges),
      JSON.stringify(group.caseTypes),
      group.caseVisibility,
      operator.createdAt,
      operator.updatedAt,
    );
}

export function updateOperator(db: D1Database, operator: Operator): D1PreparedStatement {
  const { accessGroup: group } = operator;
  return db
    .prepare(
      `UPDATE operators SET name = ?, access_group_name = ?, privileges = ?, case_types = ?,
         case_visibility = ?, updated_at = ? WHERE id = ?`,
    )
    .bind(
      operator.name,
      group.name,
      JSON.stringify(group.privileges),
      JSON.stringify(group.caseTypes),
      group.caseVisibility,
      operator.updatedAt,
      operator.id,
    );
}

/** The foreign key from clients makes this fail while a client still names the operator. */
export function deleteOperator(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare('DELETE FROM operators WHERE id = ?').bind(id);
}

export async function operatorInUse(db: D1Database, id: string): Promise<boolean> {
  const row = await db
    .prepare('SELECT 1 AS used FROM clients WHERE operator_id = ? LIMIT 1')
    .bind(id)
    .first();
  return row !== null;
}
