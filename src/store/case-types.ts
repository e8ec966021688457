import type { CaseType } from '../domain/model';
import { parseJsonColumn } from './json';
import { versionedUpdate } from './versioned';

export interface CaseTypeRow {
  id: string;
  name: string;
  id_prefix: string;
  starting_processes: string;
  fields: string;
  created_at: string;
  updated_at: string;
  version: number;
}

const COLUMNS = 'id, name, id_prefix, starting_processes, fields, created_at, updated_at, version';

export function caseTypeFromRow(row: CaseTypeRow): CaseType {
  return {
    id: row.id,
    name: row.name,
    idPrefix: row.id_prefix,
    startingProcesses: parseJsonColumn(row.starting_processes),
    fields: parseJsonColumn(row.fields),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export async function getCaseType(db: D1Database, id: string): Promise<CaseType | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM case_types WHERE id = ?`)
    .bind(id)
    .first<CaseTypeRow>();
  return row ? caseTypeFromRow(row) : null;
}

/** All case types, by ID. Admins define tens, not thousands: no paging. */
export async function listCaseTypes(db: D1Database): Promise<CaseType[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM case_types ORDER BY id`)
    .all<CaseTypeRow>();
  return results.map(caseTypeFromRow);
}

/** Fails on the primary key when the ID is taken. */
export function insertCaseType(db: D1Database, caseType: CaseType) {
  return db
    .prepare(`INSERT INTO case_types (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .bind(
      caseType.id,
      caseType.name,
      caseType.idPrefix,
      JSON.stringify(caseType.startingProcesses),
      JSON.stringify(caseType.fields),
      caseType.createdAt,
      caseType.updatedAt,
      caseType.version,
    );
}

/** PUT: the whole definition, with the If-Match check in the same statement. */
export function replaceCaseType(
  db: D1Database,
  caseType: Omit<CaseType, 'createdAt' | 'version'>,
  expected: number[] | null,
) {
  return versionedUpdate(
    db,
    'case_types',
    caseType.id,
    {
      name: caseType.name,
      id_prefix: caseType.idPrefix,
      starting_processes: JSON.stringify(caseType.startingProcesses),
      fields: JSON.stringify(caseType.fields),
      updated_at: caseType.updatedAt,
    },
    expected,
  );
}
