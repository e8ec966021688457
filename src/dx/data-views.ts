import { authorize, refuseAfterTokenCheck } from '../case-api/bearer';
import {
  checkParameters,
  dataViewRows,
  PORTAL_CASE_TYPES,
  portalCaseTypes,
  queryView,
  recordByParameters,
} from '../case-api/data-views';
import type { DataViewRequest } from '../case-api/schemas';
import { dataViewCountRead } from '../domain/data-views';
import { nothing } from '../domain/reads';
import { invalidRequest } from '../errors';
import { parseJson } from '../http/body';
import type { AppContext } from '../http/context';
import type { Input } from '../http/operations';

/** DX API v2's answers of the data views (case-api/data-views.ts reads them). */

/** `?dataViewParameters=` of a GET: a JSON object (400 otherwise, after the token check). */
async function parametersInQuery(c: AppContext): Promise<Record<string, unknown> | undefined> {
  const text = c.req.query('dataViewParameters');
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (error) {
    return refuseAfterTokenCheck(c, error);
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return parsed as Record<string, unknown>;
  }
  return refuseAfterTokenCheck(
    c,
    invalidRequest('The request is invalid.', [
      { path: '.dataViewParameters', message: 'must be a JSON object of the keys' },
    ]),
  );
}

/** `GET` or `POST /data_views/{ID}`; with `dataViewParameters` naming a record's key, that record. */
export async function dataViewHandler(
  c: AppContext,
  { body: request = {} }: Input<undefined, DataViewRequest | undefined, undefined>,
) {
  const id = c.req.param('id') as string;
  const parameters = request.dataViewParameters ?? (await parametersInQuery(c));
  if (parameters && Object.keys(parameters).length > 0 && id !== PORTAL_CASE_TYPES) {
    const record = await recordByParameters(c, id, parameters);
    if (record) {
      return c.json({
        pxObjClass: 'Pega-API-DataExploration-Data',
        fetchDateTime: new Date().toISOString(),
        resultCount: record.length,
        hasMoreResults: false,
        data: record,
      });
    }
  }
  const { page, rows, more, over } = await dataViewRows(c, id, request);
  return c.json({
    pxObjClass: 'Pega-API-DataExploration-Data',
    fetchDateTime: new Date().toISOString(),
    ...(page.paged
      ? { pageNumber: page.paged.pageNumber, pageSize: page.paged.pageSize }
      : { resultCount: rows.length }),
    hasMoreResults: more,
    // The query's bounded scan stopped before its answer was whole (#27: no index answers it).
    ...(over && { scanLimitReached: true }),
    data: rows,
    // Pega's web client reads the case types under this name.
    ...(id === PORTAL_CASE_TYPES && { pyCaseTypesAvailableToCreate: rows }),
  });
}

/** `POST /data_views/{ID}/count`: how many rows the query finds. */
export async function dataViewCountHandler(
  c: AppContext,
  { body: request }: Input<undefined, DataViewRequest, undefined>,
) {
  const id = c.req.param('id') as string;
  await checkParameters(c, id, request);
  let total: number;
  let more = false;
  if (id === PORTAL_CASE_TYPES) {
    total = (await portalCaseTypes(c, request)).length;
  } else {
    const { found } = await queryView(c, id, request, (view, query, operatorId) =>
      dataViewCountRead(c.env.DB, view, query, operatorId),
    );
    total = found.count;
    more = found.over;
  }
  return c.json({
    fetchDateTime: new Date().toISOString(),
    resultCount: total,
    totalCount: total,
    hasMoreResults: more,
    ...(more && { scanLimitReached: true }),
  });
}

const PEGA_TYPES = {
  text: 'Text',
  number: 'Decimal',
  boolean: 'True-False',
  date: 'Date',
  datetime: 'Date Time',
};

/** `GET /data_views/{ID}/metadata`: the view's fields, what a query may name. */
export async function dataViewMetadataHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  if (id === PORTAL_CASE_TYPES) {
    await authorize(c);
    return c.json({
      name: id,
      isQueryable: false,
      fields: [
        { name: 'pyClassName', type: 'Text', label: 'Class' },
        { name: 'pyLabel', type: 'Text', label: 'Label' },
      ],
      parameters: [],
    });
  }
  const { view } = await queryView(c, id, {}, () => nothing);
  return c.json({
    name: view.id,
    label: view.label,
    isQueryable: true,
    fields: view.fields.map((field) => ({
      name: field.name,
      type: PEGA_TYPES[field.type],
      label: field.label,
      isFilterable: true,
      isSortable: true,
    })),
    parameters: [],
  });
}
