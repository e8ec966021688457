import { createMiddleware } from 'hono/factory';
import { mayUseCaseType } from '../domain/access';
import { cachedCaseTypes, rememberCaseType } from '../domain/case-type-cache';
import { caseTypesReads, creatableCaseTypes } from '../domain/case-types';
import {
  cachedDataTypes,
  dataTypesReads,
  keyFromParameters,
  mayUseDataType,
  recordNotFound,
  recordRead,
  recordView,
  rememberDataTypes,
  typeOfListView,
} from '../domain/data-types';
import {
  dataViewRowsRead,
  findView,
  mayBeCaseList,
  parseQuery,
  type Query,
  type QueryableView,
  recordListView,
  WORKLIST_VIEW,
} from '../domain/data-views';
import { MAX_RECORDS, type Principal, type Scope } from '../domain/model';
import { allReads, type Reads, runReads } from '../domain/reads';
import { insufficientPrivilege, invalidRequest, notFound } from '../errors';
import type { AppContext, AppEnv } from '../http/context';
import { authorize, refuseAfterTokenCheck, requireToken } from './bearer';
import type { DataViewRequest } from './schemas';

/**
 * Data views (domain/data-views.ts), as both case APIs read them: the caller's worklist
 * (`D_pyMyWorkList`), a list per case type (`D_<last class segment>List`), and the case types
 * the caller may create (`D_pxAvailableCaseTypesForPortal`, which Pega's web client reads and
 * which takes no query). DX API v2 answers them in dx/data-views.ts, v1 in api/data.ts.
 */

export const PORTAL_CASE_TYPES = 'D_pxAvailableCaseTypesForPortal';

/** Pega's Constellation engine reads its configuration from this view first (dx/bootstrap.ts). */
export const BOOTSTRAP_CONFIG = 'D_pxBootstrapConfig';

const scopeOf = (id: string): Scope =>
  id === PORTAL_CASE_TYPES || id === BOOTSTRAP_CONFIG
    ? 'casetypes:read'
    : id === WORKLIST_VIEW
      ? 'assignments:read'
      : 'cases:read';

/** The bearer check with the scope of the view in the path. */
export const dataViewToken = createMiddleware<AppEnv>(async (c, next) =>
  requireToken(scopeOf(c.req.param('id') as string))(c, next),
);

const viewNotFound = (id: string) => notFound(`Data view ${id} not found.`);

/**
 * A view the caller may query: a case list only where its operator may use the type; a data
 * type's records where it may use the type and holds data:read.
 */
function usable(view: QueryableView | undefined, principal: Principal, id: string): QueryableView {
  if (!view) throw viewNotFound(id);
  const { source } = view;
  if (source.kind === 'cases' && !mayUseCaseType(principal.operator, source.caseTypeId)) {
    throw viewNotFound(id);
  }
  if (source.kind === 'records') {
    if (!mayUseDataType(principal.operator, source.dataTypeId)) throw viewNotFound(id);
    if (!principal.scopes.includes('data:read')) {
      throw insufficientPrivilege(`Data view ${id} needs the data:read scope.`);
    }
  }
  return view;
}

/**
 * Runs `read` for the view `id` with the caller's query: in the batch that authorizes the
 * request where the view is known without storage (the worklist, or a case list whose type this
 * isolate has read), else after reading the case types (two levels, once per isolate).
 */
export async function queryView<T>(
  c: AppContext,
  id: string,
  request: DataViewRequest,
  read: (view: QueryableView, query: Query, operatorId: string) => Reads<T>,
): Promise<{ view: QueryableView; query: Query; found: T }> {
  const db = c.env.DB;
  const operatorId = c.var.bearer.claims.operator;
  const known = findView(id, cachedCaseTypes(), cachedDataTypes());
  if (known) {
    let query: Query | undefined;
    try {
      query = parseQuery(known, request.query);
    } catch (error) {
      // The worklist's fields are fixed: its refusal stands. A cached case type may lack a
      // field an admin added since: the query is checked again against the types as they are.
      if (known.source.kind !== 'cases' && known.source.kind !== 'records') {
        return refuseAfterTokenCheck(c, error);
      }
    }
    if (query) {
      const { principal, found } = await authorize(c, read(known, query, operatorId));
      return { view: usable(known, principal, id), query, found };
    }
  }
  if (!mayBeCaseList(id)) {
    return refuseAfterTokenCheck(c, viewNotFound(id));
  }
  const { principal, found } = await authorize(
    c,
    allReads({ caseTypes: caseTypesReads(db), dataTypes: dataTypesReads(db) }),
  );
  for (const caseType of found.caseTypes) rememberCaseType(caseType);
  rememberDataTypes(found.dataTypes);
  const view = usable(findView(id, found.caseTypes, found.dataTypes), principal, id);
  const query = parseQuery(view, request.query);
  return { view, query, found: await runReads(db, read(view, query, operatorId)) };
}

/** The built-in views take no parameters; the portal's PortalName is accepted and unused. */
export async function checkParameters(c: AppContext, id: string, request: DataViewRequest) {
  const unknown = Object.keys(request.dataViewParameters ?? {}).filter(
    (name) => !(id === PORTAL_CASE_TYPES && name === 'PortalName'),
  );
  if (unknown.length === 0) return;
  return refuseAfterTokenCheck(
    c,
    invalidRequest(
      'The request body is invalid.',
      unknown.map((name) => ({
        path: `.dataViewParameters.${name}`,
        message: `Data view ${id} takes no parameter ${name}.`,
      })),
    ),
  );
}

/** The page a request asks for: paging, maxResultsToFetch, or the first MAX_RECORDS rows. */
function pageOf(request: DataViewRequest) {
  const { paging } = request;
  if (paging && 'pageNumber' in paging) {
    return {
      paged: paging,
      offset: (paging.pageNumber - 1) * paging.pageSize,
      limit: paging.pageSize,
    };
  }
  const limit = paging && 'maxResultsToFetch' in paging ? paging.maxResultsToFetch : MAX_RECORDS;
  return { paged: undefined, offset: 0, limit };
}

/** The case types the caller may create, as Pega's web client lists them. */
export async function portalCaseTypes(c: AppContext, request: DataViewRequest) {
  if (request.query) {
    return refuseAfterTokenCheck(
      c,
      invalidRequest('The request body is invalid.', [
        { path: '.query', message: `Data view ${PORTAL_CASE_TYPES} takes no query.` },
      ]),
    );
  }
  const { principal, found } = await authorize(c, caseTypesReads(c.env.DB));
  return creatableCaseTypes(found, principal).map((caseType) => ({
    pyClassName: caseType.id,
    pyLabel: caseType.name,
  }));
}

/**
 * The rows of a data view for a request (both APIs): at most MAX_RECORDS a page, with whether
 * more follow, and whether a bounded scan stopped before the answer was whole (`over`: then
 * more may follow too).
 */
export async function dataViewRows(c: AppContext, id: string, request: DataViewRequest) {
  const page = pageOf(request);
  await checkParameters(c, id, request);
  if (id === PORTAL_CASE_TYPES) {
    const all = await portalCaseTypes(c, request);
    const rows = all.slice(page.offset, page.offset + page.limit);
    return { page, rows, more: all.length > page.offset + page.limit, over: false };
  }
  const { found } = await queryView(c, id, request, (view, query, operatorId) =>
    dataViewRowsRead(c.env.DB, view, query, operatorId, page),
  );
  return { page, rows: found.rows, more: found.more || found.over, over: found.over };
}

/**
 * A data type's record read singly through its list view with `dataViewParameters` naming its
 * key (DX case model §7): beside the bearer check where this isolate knows the type, else after
 * reading the types. Null where the view is not a data type's (the caller refuses the parameters).
 */
export async function recordByParameters(
  c: AppContext,
  id: string,
  parameters: Record<string, unknown>,
): Promise<Record<string, unknown>[] | null> {
  const db = c.env.DB;
  let type = typeOfListView(cachedDataTypes(), id);
  if (!type) {
    if (!mayBeCaseList(id)) return null;
    const { found } = await authorize(c, dataTypesReads(db));
    rememberDataTypes(found);
    type = typeOfListView(found, id);
    if (!type) return null;
  }
  let key: string;
  try {
    key = keyFromParameters(type, parameters);
  } catch (error) {
    return refuseAfterTokenCheck(c, error);
  }
  const { principal, found: record } = await authorize(c, recordRead(db, type.id, key));
  usable(recordListView(type), principal, id);
  if (!record) throw recordNotFound(type, key);
  return [recordView(record)];
}
