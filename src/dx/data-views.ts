import { createMiddleware } from 'hono/factory';
import {
  authorize,
  parseAuthorized,
  readOptionalJsonAuthorized,
  requireToken,
} from '../api/bearer';
import { worklistReads } from '../domain/assignments';
import { caseTypesReads } from '../domain/case-types';
import { pyIdOf } from '../domain/cases';
import { assignmentIdOf } from '../domain/flow';
import type { Scope } from '../domain/model';
import { invalidRequest, notFound } from '../errors';
import type { AppContext, AppEnv } from '../http/context';
import { worklistCountRead } from '../store/cases';
import { creatableCaseTypes } from './casetypes';
import { type DataViewRequest, dataViewSchema } from './schemas';

/** Pega's pyMaxRecords: a data view answers at most this many rows at once. */
const MAX_ROWS = 500;
/** Paging reads the rows before the page too: no page may end past this row. */
const MAX_SCAN = 5_000;

interface Rows {
  rows: Record<string, unknown>[];
  /** Whether rows past those read exist. */
  more: boolean;
}

/** The built-in data views: the scope each needs, its rows (up to `limit`) and its count. */
const DATA_VIEWS: Record<
  string,
  {
    scope: Scope;
    rows(c: AppContext, limit: number): Promise<Rows>;
    count(c: AppContext): Promise<number>;
  }
> = {
  /** The case types the caller may create, as Pega's portals list them. */
  D_pxAvailableCaseTypesForPortal: {
    scope: 'casetypes:read',
    async rows(c, limit) {
      const { principal, found } = await authorize(c, caseTypesReads(c.env.DB));
      const rows = creatableCaseTypes(found, principal).map((caseType) => ({
        pyClassName: caseType.id,
        pyLabel: caseType.name,
      }));
      return { rows: rows.slice(0, limit), more: rows.length > limit };
    },
    async count(c) {
      return (await this.rows(c, Number.MAX_SAFE_INTEGER)).rows.length;
    },
  },
  /** The caller's own open assignments, most urgent first, then oldest. */
  D_pyMyWorkList: {
    scope: 'assignments:read',
    async rows(c, limit) {
      const operator = c.var.bearer.claims.operator;
      const { found } = await authorize(c, worklistReads(c.env.DB, operator, limit + 1));
      const rows = found.map(({ item, step }) => ({
        pzInsKey: assignmentIdOf(item),
        pxRefObjectKey: item.id,
        pxRefObjectInsName: pyIdOf(item.id),
        pyLabel: item.caseTypeName,
        pxTaskLabel: step.name,
        pyInstructions: step.instructions,
        pxUrgencyAssign: item.urgency,
        pyAssignmentStatus: item.status,
        pxAssignedOperatorID: item.assignedTo,
        pxCreateDateTime: item.assignedAt ?? item.updatedAt,
      }));
      return { rows: rows.slice(0, limit), more: rows.length > limit };
    },
    async count(c) {
      const operator = c.var.bearer.claims.operator;
      return (await authorize(c, worklistCountRead(c.env.DB, operator))).found;
    },
  },
};

const viewOf = (c: AppContext) => DATA_VIEWS[c.req.param('id') as string];

/** The bearer check with the scope of the view in the path (any, for a view that is none). */
export const dataViewToken = createMiddleware<AppEnv>(async (c, next) =>
  requireToken(viewOf(c)?.scope ?? 'casetypes:read')(c, next),
);

/** The view in the path, once the token holds; else 404 in DX API v2's words. */
async function knownView(c: AppContext) {
  const view = viewOf(c);
  if (view) return view;
  await authorize(c);
  throw notFound(`Data view ${c.req.param('id')} not found.`);
}

async function requestOf(c: AppContext): Promise<DataViewRequest> {
  if (c.req.method === 'GET') return {};
  return parseAuthorized(c, dataViewSchema, await readOptionalJsonAuthorized(c), 'request body');
}

/**
 * `GET` or `POST /data_views/{ID}`: the rows, as many as `paging` or `maxResultsToFetch` asks
 * (500 at most), with whether more follow.
 */
export async function dataViewHandler(c: AppContext) {
  const view = await knownView(c);
  const { paging, dataViewParameters } = await requestOf(c);
  if (dataViewParameters && Object.keys(dataViewParameters).length > 0 && c.req.method === 'POST') {
    await authorize(c);
    throw invalidRequest('The request body is invalid.', [
      {
        path: '.dataViewParameters',
        message: `Data view ${c.req.param('id')} takes no parameters.`,
      },
    ]);
  }
  const page = paging && 'pageNumber' in paging ? paging : undefined;
  const size =
    page?.pageSize ??
    (paging && 'maxResultsToFetch' in paging ? paging.maxResultsToFetch : MAX_ROWS);
  const skip = page ? (page.pageNumber - 1) * page.pageSize : 0;
  if (skip + size > MAX_SCAN) {
    await authorize(c);
    throw invalidRequest('The request body is invalid.', [
      {
        path: '.paging.pageNumber',
        message: `Pages end at row ${MAX_SCAN}: ask for an earlier page.`,
      },
    ]);
  }
  const { rows, more } = await view.rows(c, skip + size);
  const data = rows.slice(skip);
  return c.json({
    pxObjClass: 'Pega-API-DataExploration-Data',
    fetchDateTime: new Date().toISOString(),
    ...(page
      ? { pageNumber: page.pageNumber, pageSize: page.pageSize }
      : { resultCount: data.length }),
    hasMoreResults: more,
    data,
    ...(c.req.param('id') === 'D_pxAvailableCaseTypesForPortal' && {
      // Pega's web client reads the case types under this name.
      pyCaseTypesAvailableToCreate: data,
    }),
  });
}

/** `POST /data_views/{ID}/count`: how many rows the view has. */
export async function dataViewCountHandler(c: AppContext) {
  const view = await knownView(c);
  await requestOf(c);
  const total = await view.count(c);
  return c.json({
    fetchDateTime: new Date().toISOString(),
    resultCount: total,
    totalCount: total,
    hasMoreResults: false,
  });
}
