import { AppError, ifMatchFailed, invalidRequest, notFound, principalChanged } from '../errors';
import {
  dataTypeRead,
  dataTypesRead,
  deleteRecord,
  insertRecord,
  type RecordWrite,
  recordRead,
  recordsRead,
  restoreRecord,
  updateRecord,
} from '../store/data-types';
import { allOf, operatorMayUse, tokenStillHolds } from '../store/guards';
import { allReads, type Reads, runReads } from '../store/reads';
import { mayUseCaseType } from './access';
import { checkedChanges, newCaseContent } from './case-content';
import { actorOf } from './cases';
import type { Writer } from './collaboration';
import type { CaseContent, DataRecord, DataType, Operator } from './model';
import type { IfMatch } from './versioned';

/**
 * Data types and their records (DX case model §0, §7). An admin defines a type (class, key field,
 * fields); its records are listed through `D_<last class segment>List` and written through the
 * savable data page `D_<last class segment>`. Operators use the types their access group names
 * (as it names case types), with the scopes data:read and data:write.
 */

export { recordRead, recordsRead };

/** A class's last segment, which names its data pages: `Cnow-connectnow-Data-Severity` → `Severity`. */
export const lastSegment = (classId: string) => classId.slice(classId.lastIndexOf('-') + 1);

/** The list data view of a data type (`Cnow-connectnow-Data-Severity` → `D_SeverityList`). */
export const recordListViewId = (type: Pick<DataType, 'id'>) => `D_${lastSegment(type.id)}List`;

/** The savable data page of a data type (`D_Severity`), where its records are written. */
export const savablePageId = (type: Pick<DataType, 'id'>) => `D_${lastSegment(type.id)}`;

export const mayUseDataType = (operator: Operator, id: string) => mayUseCaseType(operator, id);

/** Data types as this isolate last read them: what lets a record write check its content first. */
const cache = new Map<string, DataType>();

export function rememberDataTypes(types: DataType[]): void {
  for (const type of types) cache.set(type.id, type);
}

export const cachedDataTypes = (): DataType[] => [...cache.values()];

/** The type a name of `nameOf` is, among `types`: of two alike, the one whose ID sorts first. */
const typeNamed = (types: Iterable<DataType>, nameOf: (type: DataType) => string, name: string) =>
  [...types].sort((a, b) => (a.id < b.id ? -1 : 1)).find((type) => nameOf(type) === name);

/** The type a savable data page names, among `types`. */
export const typeOfPage = (types: Iterable<DataType>, pageId: string) =>
  typeNamed(types, savablePageId, pageId);

/** The type a list view names, among `types`. */
export const typeOfListView = (types: Iterable<DataType>, viewId: string) =>
  typeNamed(types, recordListViewId, viewId);

export const dataTypesReads = (db: D1Database): Reads<DataType[]> => dataTypesRead(db);

export async function allDataTypes(db: D1Database): Promise<DataType[]> {
  return runReads(db, dataTypesRead(db));
}

export async function findDataType(db: D1Database, id: string): Promise<DataType | null> {
  return runReads(db, dataTypeRead(db, id));
}

/** A record's key as stored: its key field's value as text. */
export function keyOf(type: DataType, values: Record<string, unknown>): string | undefined {
  const value = values[type.keyField];
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

const keyMissing = (type: DataType) =>
  invalidRequest('The request body is invalid.', [
    { path: `.data.${type.keyField}`, message: `The key field ${type.keyField} is required.` },
  ]);

/** Record keys a DELETE or a read names (`dataViewParameters`): the key field only. */
export function keyFromParameters(type: DataType, parameters: Record<string, unknown>): string {
  const unknown = Object.keys(parameters).filter((name) => name !== type.keyField);
  if (unknown.length > 0) {
    throw invalidRequest(
      'The request is invalid.',
      unknown.map((name) => ({
        path: `.dataViewParameters.${name}`,
        message: `${savablePageId(type)} is keyed by ${type.keyField} alone.`,
      })),
    );
  }
  const key = keyOf(type, parameters);
  if (key === undefined) throw keyMissing(type);
  return key;
}

/** The kinds of record write the savable data page takes. */
export type RecordChange =
  | { kind: 'create' | 'replace'; data: Record<string, unknown> }
  | { kind: 'merge'; data: Record<string, unknown>; ifMatch: IfMatch | undefined }
  | { kind: 'delete'; key: string };

/** Validates a change against the type (content as a case type's), and finds its key. */
export function checkedRecordChange(
  type: DataType,
  change: RecordChange,
): { key: string; content: Record<string, unknown> | null } {
  if (change.kind === 'delete') return { key: change.key, content: null };
  const key = keyOf(type, change.data);
  if (key === undefined) throw keyMissing(type);
  const closed = new Map<string, string>();
  if (change.kind === 'merge') {
    const { [type.keyField]: _key, ...rest } = change.data;
    return { key, content: checkedChanges(type.fields, rest, closed) };
  }
  return {
    key,
    content: newCaseContent(type.fields, change.data, { requireFields: true, closed }),
  };
}

export interface RecordFound {
  before: DataRecord | null;
  written: DataRecord | null;
}

/**
 * A record write for the batch that authorizes it: the record as it was, and the write, held by
 * the writer's data:write, its access to the type, and the type at the version validated against.
 */
export function planRecordChange(
  db: D1Database,
  writer: Writer,
  type: DataType,
  change: RecordChange,
  checked: { key: string; content: Record<string, unknown> | null },
) {
  const write: RecordWrite = {
    typeId: type.id,
    key: checked.key,
    by: {
      operatorId: writer.operatorId,
      actor: actorOf(writer.operatorId, writer.clientId),
      at: new Date().toISOString(),
    },
    guard: allOf(
      tokenStillHolds(writer, 'data:write'),
      operatorMayUse(writer.operatorId, type.id),
      {
        sql: 'EXISTS (SELECT 1 FROM data_types WHERE id = ? AND version = ?)',
        args: [type.id, type.version],
      },
    ),
  };
  const content = checked.content ?? {};
  const expected =
    change.kind === 'merge' && change.ifMatch && !change.ifMatch.any
      ? change.ifMatch.versions
      : null;
  const written =
    change.kind === 'create'
      ? insertRecord(db, write, content as CaseContent)
      : change.kind === 'delete'
        ? deleteRecord(db, write)
        : updateRecord(db, write, content, change.kind === 'merge', expected);
  return {
    ...allReads({ before: recordRead(db, type.id, checked.key), written }),
    undo: async ({ written: done, before }: RecordFound) => {
      if (done) await restoreRecord(db, type.id, checked.key, before);
    },
  };
}

/** What a record write did; else why not, in the order the checks would refuse it. */
export function recordChanged(
  type: DataType,
  change: RecordChange,
  key: string,
  { before, written }: RecordFound,
): DataRecord {
  if (written) return written;
  if (change.kind === 'create' && before) {
    throw new AppError(409, 'conflict', `A ${type.name} record with key ${key} already exists.`);
  }
  if (change.kind !== 'create' && !before) throw recordNotFound(type, key);
  if (change.kind === 'merge' && change.ifMatch && !change.ifMatch.any && before) {
    if (!change.ifMatch.versions.includes(before.version)) throw ifMatchFailed('record');
  }
  throw principalChanged();
}

export const recordNotFound = (type: DataType, key: string) =>
  notFound(`No ${type.name} record has key ${key}.`);

/** A record as the data pages answer it: its fields. */
export const recordView = (record: DataRecord) => ({ ...record.content });
