import { creatableCaseTypes } from '../domain/case-types';
import type { CaseType } from '../domain/model';
import type { AppContext } from '../http/context';
import type { Found } from '../http/operations';
import { dxApi } from './routes';

/**
 * `GET /data_views/D_pxBootstrapConfig`: what Pega's Constellation engine reads before anything
 * else, in embedded mode. `pyConfigJSON` is a string holding JSON, as Pega sends it: the
 * locale, the routes the engine calls (`routesMeta`: its own names, createWork, openAssignment,
 * finishAssignment, navigateToStep, save, releaseAssignmentLock and cancelAssignment, then every
 * operation of DX API v2 here, by its operation ID) and the caller's environment (its
 * operator, the application, the case types it may create). One storage level: the case
 * types, read beside the bearer check.
 */

const V2 = '/api/application/v2';

/** `{ID}` as the engine's templates name the thing it stands for. */
const engineTemplate = (path: string) =>
  path
    .replace(/^\/assignments\/\{ID\}/, '/assignments/{assignmentID}')
    .replace(/^\/cases\/\{ID\}/, '/cases/{caseID}')
    .replace(/^\/casetypes\/\{ID\}/, '/casetypes/{caseTypeID}')
    .replace(/^\/data_views\/\{ID\}/, '/data_views/{dataViewID}')
    .replace(/^\/attachments\/\{ID\}/, '/attachments/{attachmentID}');

/** The engine's routes: its two named ones, then every operation of the v2 table. */
function routesMeta() {
  const meta: Record<string, { restApi: Record<string, unknown> }> = {
    createWork: {
      restApi: {
        // The engine appends `&pageName=`: the endpoint already has its `?`.
        endPoint: `${V2}/cases?viewType={viewType}`,
        reqType: 'POST',
        params: { viewType: 'page' },
      },
    },
    finishAssignment: {
      restApi: {
        endPoint: `${V2}/assignments/{assignmentID}/actions/{actionID}?viewType={viewType}`,
        reqType: 'PATCH',
        params: { viewType: 'form' },
      },
    },
    // A multi-step form's Previous and its screens (found by the engine judge: the engine looks
    // these names up, with these placeholders, and calls `undefined` without them).
    navigateToStep: {
      restApi: {
        endPoint: `${V2}/assignments/{ID}/navigation_steps/{stepID}?viewType={viewType}`,
        reqType: 'PATCH',
        params: { viewType: 'form' },
      },
    },
    // Save for later.
    save: {
      restApi: {
        endPoint: `${V2}/assignments/{assignmentID}/actions/{actionID}/save`,
        reqType: 'PATCH',
        params: {},
      },
    },
    // PCore.getMashupApi().openAssignment (found by the engine judge: without it, the engine
    // throws "Cannot find route metadata for the routeKey: openAssignment").
    openAssignment: {
      restApi: {
        endPoint: `${V2}/assignments/{assignmentID}?viewType={viewType}`,
        reqType: 'GET',
        params: { viewType: 'page' },
      },
    },
    // Cancel, and the release after a save: nothing is held here (DELETE .../updates).
    releaseAssignmentLock: {
      restApi: {
        endPoint: `${V2}/cases/{caseID}/updates?viewType={viewType}`,
        reqType: 'DELETE',
        params: { viewType: 'none' },
      },
    },
    cancelAssignment: {
      restApi: {
        endPoint: `${V2}/cases/{caseID}/updates?viewType={viewType}`,
        reqType: 'DELETE',
        params: { viewType: 'none' },
      },
    },
  };
  for (const operation of dxApi.operations) {
    meta[operation.id] ??= {
      restApi: {
        endPoint: `${V2}${engineTemplate(operation.path)}`,
        reqType: operation.method.toUpperCase(),
        params: {},
      },
    };
  }
  return meta;
}

let routes: ReturnType<typeof routesMeta> | undefined;

/** The application's name: the part of the operator's access group before `:` (`CNOW`). */
const applicationOf = (accessGroup: string) => accessGroup.split(':')[0] || accessGroup;

export function bootstrapConfigHandler(c: AppContext, { principal, found }: Found<CaseType[]>) {
  routes ??= routesMeta();
  const { operator } = principal;
  const config = {
    locale: 'en-US',
    // No messaging socket here.
    tokens: { C11NB2S: '' },
    serviceConfig: {
      // The page embedding the engine names where its static content is.
      staticContentServer: '',
      appStaticContentServer: '',
      contextPath: '/prweb',
      appAlias: c.req.param('alias') ?? '',
    },
    routingInfo: { routes: {}, routesMeta: routes },
    environmentInfo: {
      pxOperator: {
        pyUserIdentifier: operator.id,
        pyUserName: operator.name,
        pyAccessGroup: operator.accessGroup.name,
      },
      pxApplication: {
        pyLabel: applicationOf(operator.accessGroup.name),
        pyBaseLocale: 'en-US',
      },
      pxLocale: { pyTimeZone: 'UTC' },
      pyCaseTypeList: creatableCaseTypes(found, principal).map((caseType) => ({
        pyWorkTypeImplementationClassName: caseType.id,
        pyWorkTypeName: caseType.name,
      })),
    },
  };
  return c.json({ pyConfigJSON: JSON.stringify(config) });
}
