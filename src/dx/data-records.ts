import { authorize, refuseAfterTokenCheck } from '../case-api/bearer';
import { writeInCheck } from '../case-api/writes';
import { caseTypesReads } from '../domain/case-types';
import {
  cachedDataTypes,
  checkedRecordChange,
  dataTypesReads,
  keyFromParameters,
  lastSegment,
  mayUseDataType,
  planRecordChange,
  type RecordChange,
  recordChanged,
  recordView,
  rememberDataTypes,
  typeOfPage,
} from '../domain/data-types';
import type { DataType } from '../domain/model';
import { allReads } from '../domain/reads';
import type { IfMatch } from '../domain/versioned';
import { invalidRequest, notFound } from '../errors';
import { parseJson } from '../http/body';
import type { AppContext } from '../http/context';
import { etagOf } from '../http/etag';
import type { Input } from '../http/operations';
import type * as z from '../zod';
import type { recordBodySchema, recordDeleteQuerySchema, recordPatchSchema } from './schemas';

/**
 * The savable data pages of DX API v2 (DX case model §7): `POST`, `PUT`, `PATCH` and `DELETE
 * /data/D_<last class segment>` write a data type's records. Where this isolate knows the type,
 * the content is checked first and the write happens in the batch that authorizes it (one
 * level); else the types are read beside the check first.
 */

const pageNotFound = (id: string) => notFound(`Data page ${id} not found.`);

/** The data type the page in the path saves, from this isolate's cache or read now. */
async function typeInPath(c: AppContext): Promise<DataType> {
  const id = c.req.param('id') as string;
  const cached = typeOfPage(cachedDataTypes(), id);
  if (cached) return cached;
  const db = c.env.DB;
  const { found } = await authorize(
    c,
    allReads({ dataTypes: dataTypesReads(db), caseTypes: caseTypesReads(db) }),
  );
  rememberDataTypes(found.dataTypes);
  const type = typeOfPage(found.dataTypes, id);
  if (type) return type;
  // A case type's page names no savable data: 400, as Pega refuses it.
  if (found.caseTypes.some((caseType) => `D_${lastSegment(caseType.id)}` === id)) {
    throw invalidRequest(`${id} is a case type's: its cases are written through /cases.`);
  }
  throw pageNotFound(id);
}

/** Runs a change of a record and answers with it (and its version as the ETag). */
async function changeRecord(c: AppContext, change: RecordChange, status: 200 | 201 = 200) {
  const id = c.req.param('id') as string;
  const type = await typeInPath(c);
  let checked: ReturnType<typeof checkedRecordChange>;
  try {
    checked = checkedRecordChange(type, change);
  } catch (error) {
    return refuseAfterTokenCheck(c, error);
  }
  const { principal, found } = await writeInCheck(c, 'data:write', (writer) =>
    planRecordChange(c.env.DB, writer, type, change, checked),
  );
  if (!mayUseDataType(principal.operator, type.id)) throw pageNotFound(id);
  const record = recordChanged(type, change, checked.key, found);
  if (change.kind === 'delete') return c.json({});
  c.header('ETag', etagOf(record.version));
  return c.json({ data: recordView(record) }, status);
}

type RecordBody = z.infer<typeof recordBodySchema>;

/** `POST /data/{ID}` `{data}`: a new record (201); its key taken is 409. */
export const createRecordHandler = (
  c: AppContext,
  { body }: Input<undefined, RecordBody, undefined>,
) => changeRecord(c, { kind: 'create', data: body.data }, 201);

/** `PUT /data/{ID}` `{data}`: the record replaced whole. */
export const replaceRecordHandler = (
  c: AppContext,
  { body }: Input<undefined, RecordBody, undefined>,
) => changeRecord(c, { kind: 'replace', data: body.data });

/** `PATCH /data/{ID}` `{data, pageInstructions?}`: merged, with If-Match on its version if sent. */
export function mergeRecordHandler(
  c: AppContext,
  { body, ifMatch }: Input<undefined, z.infer<typeof recordPatchSchema>, IfMatch | undefined>,
) {
  if (body.pageInstructions && body.pageInstructions.length > 0) {
    return refuseAfterTokenCheck(
      c,
      invalidRequest('The request body is invalid.', [
        { path: '.pageInstructions', message: 'Data records have no embedded pages here.' },
      ]),
    );
  }
  return changeRecord(c, { kind: 'merge', data: body.data, ifMatch });
}

/** `DELETE /data/{ID}?dataViewParameters=<JSON of the keys>`. */
export async function deleteRecordHandler(
  c: AppContext,
  { query }: Input<z.infer<typeof recordDeleteQuerySchema>, undefined, undefined>,
) {
  const type = await typeInPath(c);
  let key: string;
  try {
    const parameters = parseJson(query.dataViewParameters);
    if (!parameters || typeof parameters !== 'object' || Array.isArray(parameters)) {
      throw invalidRequest('The request is invalid.', [
        { path: '.dataViewParameters', message: 'must be a JSON object of the keys' },
      ]);
    }
    key = keyFromParameters(type, parameters as Record<string, unknown>);
  } catch (error) {
    return refuseAfterTokenCheck(c, error);
  }
  return changeRecord(c, { kind: 'delete', key });
}
