import { conflict, ifMatchFailed, invalidRequest, notFound } from '../errors';
import {
  deleteRecord,
  insertDataType,
  insertRecord,
  type RecordWrite,
  replaceDataType,
  updateRecord,
} from '../store/data-types';
import { isConstraintViolation } from '../store/errors';
import { runReads } from '../store/reads';
import { checkedRecordChange, findDataType, recordNotFound } from './data-types';
import type { Actor, CaseContent, DataRecord, DataType, FieldDefinition } from './model';

/**
 * What an admin does to data types (the admin API and the console): define and redefine them,
 * and write records in the console, held only by the type's version.
 */

export type DataTypeDefinition = Pick<
  DataType,
  'id' | 'name' | 'description' | 'keyField' | 'fields'
>;

/** The key field must be one of the fields, required, and text or a number. */
function checkKeyField(definition: DataTypeDefinition): void {
  const key = definition.fields.find((field) => field.name === definition.keyField);
  if (!key || key.type === 'boolean') {
    throw invalidRequest('The request body is invalid.', [
      { path: '.keyField', message: 'must name one of the fields, of type string, number or date' },
    ]);
  }
}

/** A key field is always required: a record without one has no key. */
const withRequiredKey = (definition: DataTypeDefinition): FieldDefinition[] =>
  definition.fields.map((field) =>
    field.name === definition.keyField ? { ...field, required: true } : field,
  );

export async function defineDataType(
  db: D1Database,
  actor: Actor,
  definition: DataTypeDefinition,
): Promise<DataType> {
  checkKeyField(definition);
  const at = new Date().toISOString();
  const type: DataType = {
    ...definition,
    fields: withRequiredKey(definition),
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  try {
    await insertDataType(db, type, actor);
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) {
      throw conflict(`Data type ${definition.id} already exists.`);
    }
    throw error;
  }
  return type;
}

/** PUT: the definition replaced under If-Match; the key field cannot change (400). */
export async function redefineDataType(
  db: D1Database,
  actor: Actor,
  definition: DataTypeDefinition,
  expected: number[] | null,
): Promise<DataType> {
  checkKeyField(definition);
  const replaced = await replaceDataType(
    db,
    { ...definition, fields: withRequiredKey(definition), updatedAt: new Date().toISOString() },
    expected,
    actor,
  );
  if (replaced) return replaced;
  const current = await findDataType(db, definition.id);
  if (!current) throw notFound(`Data type ${definition.id} does not exist.`);
  if (current.keyField !== definition.keyField) {
    throw invalidRequest('The request body is invalid.', [
      { path: '.keyField', message: `stays ${current.keyField}: the records are keyed by it` },
    ]);
  }
  throw ifMatchFailed('data type');
}

/** An admin's write of a record (the console): held only by the type's version. */
function adminWrite(type: DataType, key: string, actor: Actor): RecordWrite {
  return {
    typeId: type.id,
    key,
    by: { operatorId: actor.id, actor, at: new Date().toISOString() },
    guard: {
      sql: 'EXISTS (SELECT 1 FROM data_types WHERE id = ? AND version = ?)',
      args: [type.id, type.version],
    },
  };
}

/** The console's save of a record: replaces the one with its key, or creates it. */
export async function saveRecordAsAdmin(
  db: D1Database,
  actor: Actor,
  type: DataType,
  data: Record<string, unknown>,
): Promise<DataRecord> {
  const { key, content } = checkedRecordChange(type, { kind: 'replace', data });
  const write = adminWrite(type, key, actor);
  const replaced = await runReads(db, updateRecord(db, write, content ?? {}, false, null));
  const saved =
    replaced ?? (await runReads(db, insertRecord(db, write, (content ?? {}) as CaseContent)));
  if (!saved) throw conflict('The data type or the record changed meanwhile: save it again.');
  return saved;
}

/** The console's delete of a record. */
export async function deleteRecordAsAdmin(
  db: D1Database,
  actor: Actor,
  type: DataType,
  key: string,
): Promise<void> {
  const deleted = await runReads(db, deleteRecord(db, adminWrite(type, key, actor)));
  if (!deleted) throw recordNotFound(type, key);
}
