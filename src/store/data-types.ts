import type { Actor, CaseContent, DataRecord, DataType } from '../domain/model';
import { auditStatement } from './audit';
import { refillStatements } from './data-record-values';
import type { WriteGuard } from './guards';
import { parseJsonColumn } from './json';
import { oneStatement, type Reads } from './reads';
import { versionMatches } from './versioned';

/**
 * Data types and their records in D1 (DX case model §0, §7): `data_types` as the admin defines
 * them, `data_records` keyed by (type, key). Record writes are one statement each, their
 * preconditions (the writer's guard, If-Match, the record there or not) in its SQL, and their
 * history row after it.
 */

interface DataTypeRow {
  id: string;
  name: string;
  description: string;
  key_field: string;
  fields: string;
  created_at: string;
  updated_at: string;
  version: number;
}

const typeFromRow = (row: DataTypeRow): DataType => ({
  id: row.id,
  name: row.name,
  description: row.description,
  keyField: row.key_field,
  fields: parseJsonColumn(row.fields),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

/** Every data type, by ID: admins define tens, not thousands. */
export const dataTypesRead = (db: D1Database): Reads<DataType[]> =>
  oneStatement(db.prepare('SELECT * FROM data_types ORDER BY id LIMIT 500'), (rows) =>
    (rows as DataTypeRow[]).map(typeFromRow),
  );

export const dataTypeRead = (db: D1Database, id: string): Reads<DataType | null> =>
  oneStatement(db.prepare('SELECT * FROM data_types WHERE id = ?').bind(id), ([row]) =>
    row ? typeFromRow(row as DataTypeRow) : null,
  );

/** A new data type, with its history row; fails on the primary key when the ID is taken. */
export async function insertDataType(db: D1Database, type: DataType, actor: Actor) {
  await db.batch([
    db
      .prepare(
        `INSERT INTO data_types (id, name, description, key_field, fields, created_at, updated_at,
           version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
      )
      .bind(
        type.id,
        type.name,
        type.description,
        type.keyField,
        JSON.stringify(type.fields),
        type.createdAt,
        type.updatedAt,
      ),
    auditStatement(db, {
      actor,
      action: 'datatype.create',
      targetType: 'datatype',
      targetId: type.id,
      detail: { fields: type.fields.map((field) => field.name), keyField: type.keyField },
    }),
  ]);
}

/**
 * The whole definition replaced under If-Match (`expected`, null for any); its key field stays
 * what it was (records are keyed by it). The type as it now is, or null when nothing changed.
 */
export async function replaceDataType(
  db: D1Database,
  type: Omit<DataType, 'createdAt' | 'version'>,
  expected: number[] | null,
  actor: Actor,
): Promise<DataType | null> {
  const matches = versionMatches(expected);
  const [updated] = await db.batch([
    db
      .prepare(
        `UPDATE data_types SET name = ?, description = ?, fields = ?, updated_at = ?,
           version = version + 1
         WHERE id = ? AND key_field = ? AND ${matches.sql} RETURNING *`,
      )
      .bind(
        type.name,
        type.description,
        JSON.stringify(type.fields),
        type.updatedAt,
        type.id,
        type.keyField,
        ...matches.args,
      ),
    ...refillStatements(db, type.id),
    auditStatement(db, {
      actor,
      action: 'datatype.update',
      targetType: 'datatype',
      targetId: type.id,
      detail: { fields: type.fields.map((field) => field.name) },
    }),
  ]);
  const row = updated?.results[0] as DataTypeRow | undefined;
  return row ? typeFromRow(row) : null;
}

interface RecordRow {
  data_type_id: string;
  key: string;
  content: string;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  version: number;
}

const recordFromRow = (row: RecordRow): DataRecord => ({
  dataTypeId: row.data_type_id,
  key: row.key,
  content: parseJsonColumn(row.content),
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
  version: row.version,
});

export const recordRead = (db: D1Database, typeId: string, key: string) =>
  oneStatement(
    db.prepare('SELECT * FROM data_records WHERE data_type_id = ? AND key = ?').bind(typeId, key),
    ([row]) => (row ? recordFromRow(row as RecordRow) : null),
  );

/** A page of a type's records in key order, for the console (`after`: the last key seen). */
export const recordsRead = (db: D1Database, typeId: string, limit: number, after = '') =>
  oneStatement(
    db
      .prepare('SELECT * FROM data_records WHERE data_type_id = ? AND key > ? ORDER BY key LIMIT ?')
      .bind(typeId, after, limit),
    (rows) => (rows as RecordRow[]).map(recordFromRow),
  );

/** How a record is written: who, when, and what holds the write. */
export interface RecordWrite {
  typeId: string;
  key: string;
  by: { operatorId: string; actor: Actor; at: string };
  guard: WriteGuard;
}

const recordHistory = (db: D1Database, write: RecordWrite, action: string) =>
  auditStatement(db, {
    actor: write.by.actor,
    action,
    targetType: 'datarecord',
    targetId: `${write.typeId}!${write.key}`,
    at: write.by.at,
  });

const writtenFrom = ([rows = []]: unknown[][]) =>
  rows[0] ? recordFromRow(rows[0] as RecordRow) : null;

/** Creates the record, where none has its key; null where one has. */
export function insertRecord(
  db: D1Database,
  write: RecordWrite,
  content: CaseContent,
): Reads<DataRecord | null> {
  return {
    statements: [
      db
        .prepare(
          `INSERT INTO data_records (data_type_id, key, content, created_by, created_at,
             updated_by, updated_at, version)
           SELECT ?, ?, ?, ?, ?, ?, ?, 1 WHERE ${write.guard.sql}
           ON CONFLICT DO NOTHING RETURNING *`,
        )
        .bind(
          write.typeId,
          write.key,
          JSON.stringify(content),
          write.by.operatorId,
          write.by.at,
          write.by.operatorId,
          write.by.at,
          ...write.guard.args,
        ),
      recordHistory(db, write, 'datarecord.create'),
    ],
    from: writtenFrom,
  };
}

/**
 * Replaces (`merge` false) or merges into (true: RFC 7396, null removes) an existing record,
 * under If-Match (`expected`, null for any); null where nothing was written.
 */
export function updateRecord(
  db: D1Database,
  write: RecordWrite,
  content: Record<string, unknown>,
  merge: boolean,
  expected: number[] | null,
): Reads<DataRecord | null> {
  const matches = versionMatches(expected);
  return {
    statements: [
      db
        .prepare(
          `UPDATE data_records SET content = ${merge ? 'json_patch(content, ?)' : 'json(?)'},
             updated_by = ?, updated_at = ?, version = version + 1
           WHERE data_type_id = ? AND key = ? AND ${matches.sql} AND ${write.guard.sql}
           RETURNING *`,
        )
        .bind(
          JSON.stringify(content),
          write.by.operatorId,
          write.by.at,
          write.typeId,
          write.key,
          ...matches.args,
          ...write.guard.args,
        ),
      recordHistory(db, write, merge ? 'datarecord.update' : 'datarecord.replace'),
    ],
    from: writtenFrom,
  };
}

/** Deletes the record; the record as it was, or null where none was deleted. */
export function deleteRecord(db: D1Database, write: RecordWrite): Reads<DataRecord | null> {
  return {
    statements: [
      db
        .prepare(
          `DELETE FROM data_records WHERE data_type_id = ? AND key = ? AND ${write.guard.sql}
           RETURNING *`,
        )
        .bind(write.typeId, write.key, ...write.guard.args),
      recordHistory(db, write, 'datarecord.delete'),
    ],
    from: writtenFrom,
  };
}

/** Puts a record back as it was (`before`), or removes it (null): a write taken back. */
export async function restoreRecord(
  db: D1Database,
  typeId: string,
  key: string,
  before: DataRecord | null,
) {
  if (!before) {
    await db
      .prepare('DELETE FROM data_records WHERE data_type_id = ? AND key = ?')
      .bind(typeId, key)
      .run();
    return;
  }
  await db
    .prepare(
      `INSERT INTO data_records (data_type_id, key, content, created_by, created_at, updated_by,
         updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (data_type_id, key) DO UPDATE SET content = excluded.content,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .bind(
      typeId,
      key,
      JSON.stringify(before.content),
      before.createdBy,
      before.createdAt,
      before.updatedBy,
      before.updatedAt,
      before.version,
    )
    .run();
}
