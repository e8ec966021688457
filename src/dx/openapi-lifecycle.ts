// Longer than 300 lines on purpose: a catalogue, one entry per life-cycle operation of DX API v2, of what it answers; build time only, never in the bundle.
import * as z from 'zod';
import {
  assignmentIdParameter,
  bearer,
  caseIdParameter,
  dxBodyRefusals,
  dxError,
  dxRefusals,
  jsonContent,
  response,
} from '../case-api/openapi-parts';
import { submitAssignmentSchema } from '../case-api/schemas';
import {
  actionIdParameter,
  assignmentInfoSchema,
  caseAnswerSchema,
  caseEtag,
  ifMatch,
  nextStepSchema,
  notFound,
  uiResourcesSchema,
  viewType,
} from './openapi';
import {
  bulkActionsSchema,
  bulkSchema,
  calculatedFieldsSchema,
  recalculateSchema,
  refreshSchema,
} from './schemas';

/**
 * DX API v2's case life cycle beyond a flow of steps, in the OpenAPI document (build time only):
 * hierarchy, bulk actions, saves and navigation of an assignment, and recalculation.
 */

export const caseLinksSchema = z.object({
  open: z.object({ rel: z.string(), href: z.string(), type: z.string(), title: z.string() }),
});

/** A child case as a grandchild is listed: the same shape, one level down (no recursion here). */
const relativeSchema = z.looseObject({ ID: z.string(), name: z.string(), status: z.string() });

/** A child case; one the caller may not open carries ID, name and status only. */
const childCaseSchema = () =>
  z.object({
    ID: z.string(),
    name: z.string(),
    Name: z.string().optional(),
    caseTypeID: z.string().optional(),
    status: z.string(),
    assignments: z.array(assignmentInfoSchema).optional(),
    childCases: z.array(relativeSchema).optional(),
    links: caseLinksSchema.optional(),
  });

const actionForm = () =>
  z.object({
    data: z.object({ caseInfo: z.looseObject({ content: z.object({}) }) }),
    uiResources: uiResourcesSchema,
  });

const bulkResultSchema = z.object({
  successCount: z.number().int(),
  failureCount: z.number().int(),
  results: z.array(
    z.object({
      ID: z.string(),
      BusinessID: z.string(),
      status: z.string(),
      error: z.object({ errorDetails: z.array(z.looseObject({})) }).optional(),
    }),
  ),
});

/** `PATCH /cases?actionID=`, on the path of `POST /cases` (dx/openapi.ts). */
export const bulkCasesPath = () => ({
  summary:
    'Run a case-wide action (pyUpdateCaseDetails) on up to 100 cases, each on its own at its current version',
  security: bearer('cases:update'),
  parameters: [
    {
      name: 'actionID',
      in: 'query',
      required: true,
      description: 'The case-wide action: pyUpdateCaseDetails (any other is refused per case, 400)',
      schema: { type: 'string' },
    },
    {
      name: 'runningMode',
      in: 'query',
      required: false,
      description: "Launchpad's; the action runs synchronously here whatever it says",
      schema: { type: 'string' },
    },
  ],
  requestBody: { required: true, content: jsonContent(bulkSchema, 'input') },
  responses: {
    '207': response(
      "Each case's outcome as an HTTP status: 200, 400 (not a case-wide action), 404 (absent or not visible), 409 (resolved, or changed meanwhile), 422 (its fields)",
      bulkResultSchema,
    ),
    ...dxBodyRefusals,
    ...dxRefusals,
    '400': dxError('More than 100 cases, page instructions, or a malformed body'),
  },
});

const refreshResponses = (what: string) => ({
  '200': response('The case as it would be, and the form', caseAnswerSchema, caseEtag),
  '404': notFound(what),
  '409': dxError('Stale If-Match, or a resolved case'),
  '422': dxError('Validation fail'),
  '428': dxError('If-Match missing'),
  ...dxBodyRefusals,
  ...dxRefusals,
});

const base = '/api/application/v2';

export function lifecyclePaths() {
  const caseActionParameter = actionIdParameter('pyUpdateCaseDetails or pyChangeStage');
  const stepActionParameter = actionIdParameter("The step's flow action ID");
  return {
    [`${base}/casetypes/{ID}/bulk-actions/{actionID}`]: {
      get: {
        summary: 'The form of an action a bulk call can run (pyUpdateCaseDetails)',
        security: bearer('casetypes:read'),
        parameters: [
          { ...caseIdParameter, description: 'The case type ID (its class)' },
          actionIdParameter('pyUpdateCaseDetails'),
        ],
        responses: {
          '200': response('Empty content and the form', actionForm()),
          '404': notFound('Case type or action'),
          ...dxRefusals,
        },
      },
    },
    [`${base}/cases/bulk-actions`]: {
      post: {
        summary: 'The case-wide actions every listed case offers (none if any is resolved)',
        security: bearer('cases:read'),
        requestBody: { required: true, content: jsonContent(bulkActionsSchema, 'input') },
        responses: {
          '200': response(
            'The actions',
            z.object({
              availableActions: z.array(
                z.object({ ID: z.string(), name: z.string(), type: z.literal('Case') }),
              ),
            }),
          ),
          '404': notFound('A listed case'),
          ...dxBodyRefusals,
          ...dxRefusals,
        },
      },
    },
    [`${base}/cases/{ID}/processes/{processID}`]: {
      post: {
        summary:
          "Start an optional process (case-wide, or of the active stage): a further assignment of the caller's",
        security: bearer('cases:update'),
        parameters: [
          caseIdParameter,
          {
            name: 'processID',
            in: 'path',
            required: true,
            description: 'An optional process the case offers (caseInfo.availableProcesses)',
            schema: { type: 'string' },
          },
          { ...viewType, description: 'none (the default), form or page: with its form' },
        ],
        responses: {
          '200': response('The case and the new assignment', nextStepSchema, caseEtag),
          '404': notFound('Case, or a process it offers now'),
          '409': dxError('The case changed meanwhile: nothing written'),
          ...dxRefusals,
        },
      },
    },
    [`${base}/cases/{ID}/ancestors`]: {
      get: {
        summary: "The case's ancestors, from the root down to its parent ([] for a root case)",
        security: bearer('cases:read'),
        parameters: [caseIdParameter],
        responses: {
          '200': response(
            'The ancestors; one the caller may not open has no link',
            z.object({
              ancestors: z.array(
                z.object({ ID: z.string(), name: z.string(), links: caseLinksSchema.optional() }),
              ),
            }),
          ),
          '404': notFound('Case'),
          ...dxRefusals,
        },
      },
    },
    [`${base}/cases/{ID}/descendants`]: {
      get: {
        summary: "The case's child cases, each with its own, recursively (10 levels, 200 cases)",
        security: bearer('cases:read'),
        parameters: [caseIdParameter],
        responses: {
          '200': response(
            'The children; one the caller may not open shows its ID, name and status only',
            z.object({ childCases: z.array(childCaseSchema()) }),
          ),
          '404': notFound('Case'),
          ...dxRefusals,
        },
      },
    },
    [`${base}/cases/{ID}/views/{viewID}/calculated_fields`]: {
      post: {
        summary: 'The values of the named fields that the view shows, and no others',
        security: bearer('cases:read'),
        parameters: [
          caseIdParameter,
          {
            name: 'viewID',
            in: 'path',
            required: true,
            description: "pyReview, pyDetails, or a step's flow action ID (its form)",
            schema: { type: 'string' },
          },
        ],
        requestBody: { required: true, content: jsonContent(calculatedFieldsSchema, 'input') },
        responses: {
          '200': response(
            'The values',
            z.object({
              data: z.object({
                caseInfo: z.object({ content: z.record(z.string(), z.unknown()) }),
              }),
            }),
          ),
          '404': notFound('Case or view'),
          ...dxBodyRefusals,
          ...dxRefusals,
        },
      },
    },
    [`${base}/cases/{ID}/actions/{actionID}/refresh`]: {
      patch: {
        summary: "A case action's form with the values checked and merged; nothing saved",
        security: bearer('cases:read'),
        parameters: [caseIdParameter, caseActionParameter, ifMatch],
        requestBody: { required: false, content: jsonContent(refreshSchema, 'input') },
        responses: refreshResponses('Case or action'),
      },
    },
    [`${base}/cases/{ID}/actions/{actionID}/recalculate`]: {
      patch: {
        summary:
          "As refresh, naming the calculations to run (none are declared here: the values are the case's)",
        security: bearer('cases:read'),
        parameters: [caseIdParameter, caseActionParameter, ifMatch],
        requestBody: { required: true, content: jsonContent(recalculateSchema, 'input') },
        responses: refreshResponses('Case or action'),
      },
    },
    [`${base}/assignments/{ID}/actions/{actionID}/recalculate`]: {
      patch: {
        summary:
          "As the assignment's refresh, naming the calculations to run (none are declared here)",
        security: bearer('assignments:read'),
        parameters: [assignmentIdParameter, stepActionParameter, ifMatch],
        requestBody: { required: true, content: jsonContent(recalculateSchema, 'input') },
        responses: refreshResponses('Assignment or action'),
      },
    },
    [`${base}/assignments/{ID}/actions/{actionID}/save`]: {
      patch: {
        summary:
          'Save for later: the values checked by type only and written; the assignment stays at its step',
        security: bearer('assignments:perform'),
        parameters: [assignmentIdParameter, stepActionParameter, ifMatch, viewType],
        requestBody: { required: false, content: jsonContent(submitAssignmentSchema, 'input') },
        responses: {
          '200': response('The case and the step form', caseAnswerSchema, caseEtag),
          '404': notFound('Assignment or action'),
          '409': dxError('Stale If-Match, or a step the case has left: nothing written'),
          '422': dxError('Validation fail: one errorDetails item per field'),
          '428': dxError('If-Match missing'),
          ...dxBodyRefusals,
          ...dxRefusals,
        },
      },
    },
    [`${base}/assignments/{ID}/navigation_steps/{stepID}`]: {
      patch: {
        summary:
          "A multi-step form's move to an earlier screen (previous, or a screen's ID), the values of the screen it leaves merged without the required checks",
        security: bearer('assignments:perform'),
        parameters: [
          assignmentIdParameter,
          {
            name: 'stepID',
            in: 'path',
            required: true,
            description: 'previous, or a screen ID (AssignmentSF<n>)',
            schema: { type: 'string' },
          },
          ifMatch,
          viewType,
        ],
        requestBody: { required: false, content: jsonContent(submitAssignmentSchema, 'input') },
        responses: {
          '200': response('The assignment at that screen, and its form', nextStepSchema, caseEtag),
          '404': notFound('Assignment, or a screen it has not reached'),
          '409': dxError('Stale If-Match, or the screen the assignment is at'),
          '422': dxError('previous from the first screen, or a value of the wrong type'),
          '428': dxError('If-Match missing'),
          ...dxBodyRefusals,
          ...dxRefusals,
        },
      },
    },
  };
}
