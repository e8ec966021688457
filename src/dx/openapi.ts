// Longer than 300 lines on purpose: a catalogue, one entry per DX API v2 operation, of what it answers; build time only, never in the bundle.
import * as z from 'zod';
import {
  assignmentIdParameter,
  bearer,
  caseIdParameter,
  dxBodyRefusals,
  dxError,
  dxRefusals,
  header,
  jsonContent,
  response,
} from '../case-api/openapi-parts';
import { createCaseSchema, dataViewSchema, submitAssignmentSchema } from '../case-api/schemas';
import { collaborationPaths } from './openapi-collaboration';
import { dataPaths } from './openapi-data';
import { bulkCasesPath, lifecyclePaths } from './openapi-lifecycle';
import { participantPaths } from './openapi-participants';
import { refreshSchema } from './schemas';

/** DX API v2 in the OpenAPI document (build time only, as api/openapi.ts). */

export const assignmentInfoSchema = z.object({
  ID: z.string(),
  name: z.string(),
  instructions: z.string(),
  processID: z.string(),
  processName: z.string(),
  urgency: z.string(),
  canPerform: z.enum(['true', 'false']),
  isMultiStep: z.enum(['true', 'false']),
  assigneeInfo: z.object({ ID: z.string(), name: z.string(), type: z.literal('worklist') }),
  actions: z.array(z.object({ ID: z.string(), name: z.string(), type: z.literal('FlowAction') })),
});

const visitedSchema = z.enum(['completed', 'active', 'future']);

/** A stage of the case's life cycle, as caseInfo and `GET /cases/{ID}/stages` list it. */
const stageSchema = z.object({
  ID: z.string(),
  name: z.string(),
  type: z.enum(['Primary', 'Alternate']),
  transitionType: z.enum(['create', 'automatic', 'manual', 'resolution']),
  visited_status: visitedSchema,
  entryTime: z.string().optional(),
  links: z.object({
    open: z.object({ rel: z.string(), href: z.string(), type: z.string(), title: z.string() }),
  }),
});

export const caseInfoSchema = z.object({
  ID: z.string(),
  caseTypeID: z.string(),
  caseTypeName: z.string(),
  name: z.string().min(1),
  businessID: z.string(),
  status: z.string(),
  stageID: z.string(),
  stageLabel: z.string().min(1),
  urgency: z.string(),
  owner: z.string(),
  createdBy: z.string(),
  createTime: z.string(),
  lastUpdatedBy: z.string(),
  lastUpdateTime: z.string(),
  parentCaseID: z.string(),
  content: z
    .looseObject({
      classID: z.string(),
      pyID: z.string(),
      pzInsKey: z.string(),
      pyLabel: z.string(),
      pyStatusWork: z.string(),
      pyViewName: z.string(),
    })
    .describe('The case type fields, flat, beside these'),
  stages: z
    .array(stageSchema)
    .describe('Every stage, in life-cycle order; exactly one active while open'),
  assignments: z.array(assignmentInfoSchema),
  availableActions: z.array(z.object({ ID: z.string(), name: z.string(), type: z.string() })),
  availableProcesses: z.array(z.looseObject({ ID: z.string(), name: z.string() })),
  associations: z
    .object({ follows: z.boolean() })
    .optional()
    .describe('Whether the caller follows the case; where the answer read the case for it'),
});

const componentSchema = z.looseObject({
  type: z.string(),
  config: z.looseObject({ value: z.string(), label: z.string() }),
});

const referenceSchema = z.object({
  type: z.literal('reference'),
  config: z.object({ type: z.literal('view'), name: z.string(), context: z.string().optional() }),
});

/** A form or details view: a region of field components. */
const formViewSchema = z.object({
  name: z.string(),
  type: z.literal('View'),
  classID: z.string(),
  config: z.looseObject({ template: z.enum(['DefaultForm', 'Details']) }),
  children: z.array(
    z.object({ name: z.string(), type: z.literal('Region'), children: z.array(componentSchema) }),
  ),
});

/** Page mode's views: pyEmbedAssignment and pyCaseWorkarea hold a reference each. */
const holderViewSchema = z.object({
  name: z.string(),
  type: z.literal('View'),
  classID: z.string(),
  config: z.looseObject({ template: z.literal('OneColumn') }),
  children: z.array(
    z.object({ name: z.string(), type: z.literal('Region'), children: z.array(referenceSchema) }),
  ),
});

/** Page mode's flow container: it draws the view `content.pyViewName` names. */
const flowContainerSchema = z.object({
  name: z.literal('pzFlowContainer'),
  type: z.literal('FlowContainer'),
  config: z.object({ name: z.literal('workarea'), routingInfo: z.string() }),
  children: z.array(referenceSchema),
});

export const uiResourcesSchema = z.object({
  root: z.object({
    type: z.literal('reference'),
    config: z.object({
      type: z.literal('view'),
      name: z
        .string()
        .describe(
          'The flow action ID (the action a client PATCHes next); pyEmbedAssignment in page mode',
        ),
      context: z.string(),
    }),
  }),
  context_data: z.object({}).optional(),
  resources: z.object({
    views: z.record(
      z.string(),
      z.array(z.union([formViewSchema, holderViewSchema, flowContainerSchema])),
    ),
    fields: z.record(
      z.string(),
      z.array(z.looseObject({ classID: z.string(), type: z.string(), label: z.string() })),
    ),
  }),
  components: z.array(z.string()),
  actionButtons: z
    .object({
      main: z.array(z.looseObject({ jsAction: z.string(), actionID: z.string() })),
      secondary: z.array(z.looseObject({ jsAction: z.string(), actionID: z.string() })),
    })
    .optional(),
  navigation: z
    .object({
      template: z.enum(['Horizontal', 'Vertical', 'Vertical-left', 'Standard']),
      steps: z.array(
        z.object({
          ID: z.string(),
          name: z.string(),
          actionID: z.string(),
          allow_jump: z.boolean(),
          visited_status: z.enum(['success', 'current', 'future']),
          links: z
            .object({
              open: z.object({
                rel: z.string(),
                href: z.string(),
                type: z.literal('PATCH'),
                title: z.string(),
              }),
            })
            .optional(),
        }),
      ),
    })
    .optional()
    .describe("A multi-step form's screens (several flow steps marked nextScreen, one assignment)"),
});

/**
 * An answer's `data`: the case, and beside it the data pages its form's dropdowns read
 * (`D_<type>List: {pxResults}`), as Pega's engine looks for them.
 */
const caseDataSchema = z
  .object({ caseInfo: caseInfoSchema })
  .catchall(z.object({ pxResults: z.array(z.record(z.string(), z.unknown())) }));

export const caseAnswerSchema = z.object({
  data: caseDataSchema,
  uiResources: uiResourcesSchema.optional(),
});

/** After a create, a step or a case action: the next assignment, or a confirmation. */
export const nextStepSchema = z.object({
  data: caseDataSchema,
  nextAssignmentInfo: z
    .object({ ID: z.string(), context: z.literal('self'), className: z.string() })
    .optional(),
  confirmationNote: z.string().optional(),
  uiResources: uiResourcesSchema.optional(),
});

const dataViewAnswerSchema = z.object({
  pxObjClass: z.literal('Pega-API-DataExploration-Data'),
  fetchDateTime: z.string(),
  resultCount: z.number().int().optional(),
  pageNumber: z.number().int().optional(),
  pageSize: z.number().int().optional(),
  hasMoreResults: z.boolean(),
  scanLimitReached: z
    .literal(true)
    .optional()
    .describe(
      'Present where no index answers the query and its bounded scan (10,000 rows) stopped before the answer was whole: more rows may match.',
    ),
  data: z.array(z.record(z.string(), z.unknown())),
  pyCaseTypesAvailableToCreate: z
    .array(z.object({ pyClassName: z.string(), pyLabel: z.string() }))
    .optional(),
});

export const caseEtag = { ETag: header('The case version ("N"): send it back as If-Match') };
export const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: true,
  description: 'The ETag read ("N" or W/"N"): missing is 428, stale 409',
  schema: { type: 'string' },
};
export const viewType = {
  name: 'viewType',
  in: 'query',
  required: false,
  description: 'none: no uiResources; form or page: with them (the default)',
  schema: { enum: ['none', 'form', 'page'] },
};
export const actionIdParameter = (description: string) => ({
  name: 'actionID',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

export const notFound = (what: string) =>
  dxError(`${what} not found, or not visible to the caller`);

const cleanupProcesses = {
  name: 'cleanupProcesses',
  in: 'query',
  required: false,
  description: "true (the default): withdraw the left stage's open step; false is refused here",
  schema: { enum: ['true', 'false'] },
};

/** A stage move: answered as a case action. */
const stageMove = (summary: string, parameters: object[]) => ({
  summary,
  security: bearer('cases:update'),
  parameters: [
    ...parameters,
    ifMatch,
    { ...viewType, description: "none (the default), form or page: with the case's review view" },
    cleanupProcesses,
  ],
  responses: {
    '200': response(
      'The case, and its open assignment or a confirmation',
      nextStepSchema,
      caseEtag,
    ),
    ...dxRefusals,
    '400': dxError('cleanupProcesses=false, a malformed query or If-Match'),
    '404': notFound('Case or stage'),
    '409': dxError('Stale If-Match, a resolved case, or no next stage: nothing written'),
    '428': dxError('If-Match missing'),
  },
});

export function dxPaths() {
  return {
    '/api/application/v2/casetypes': {
      get: {
        summary: 'The case types the caller may create, each with its create link',
        security: bearer('casetypes:read'),
        responses: {
          '200': response(
            'Case types',
            z.object({
              applicationIsConstellationCompatible: z.literal(true),
              caseTypes: z.array(
                z.object({
                  ID: z.string(),
                  name: z.string(),
                  links: z.object({
                    create: z.looseObject({ href: z.string(), type: z.literal('POST') }),
                  }),
                }),
              ),
            }),
          ),
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/casetypes/{ID}/actions/{actionID}': {
      get: {
        summary:
          'The creation form (Create or pyCreate), or the form of the case-wide action pyUpdateCaseDetails (for a bulk action)',
        security: bearer('casetypes:read'),
        parameters: [
          { ...caseIdParameter, description: 'The case type ID (its class)' },
          actionIdParameter('Create, pyCreate or pyUpdateCaseDetails'),
          {
            name: 'bulkContextID',
            in: 'query',
            required: false,
            description: "Pega's bulk context: accepted, not needed here",
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': response(
            'Empty content and the form of every field',
            z.object({
              data: z.object({ caseInfo: z.looseObject({ content: z.object({}) }) }),
              uiResources: uiResourcesSchema,
            }),
          ),
          '404': notFound('Case type or action'),
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/cases': {
      post: {
        summary: 'Create a case; the next step follows (its form unless viewType=none)',
        security: bearer('cases:create'),
        parameters: [viewType],
        requestBody: { required: true, content: jsonContent(createCaseSchema, 'input') },
        responses: {
          '201': response('Created', nextStepSchema.extend({ ID: z.string() }), {
            Location: header('The case URL'),
            ...caseEtag,
          }),
          '404': notFound('Case type'),
          '422': dxError('Validation fail: one errorDetails item per field'),
          ...dxBodyRefusals,
          ...dxRefusals,
        },
      },
      patch: bulkCasesPath(),
    },
    '/api/application/v2/cases/{ID}': {
      get: {
        summary: 'Read a case (with its details view for viewType=page)',
        security: bearer('cases:read'),
        parameters: [caseIdParameter, viewType],
        responses: {
          '200': response('The case', caseAnswerSchema, caseEtag),
          '404': notFound('Case'),
          ...dxRefusals,
        },
      },
      delete: {
        summary:
          'Delete a case while it is in its create stage (its attachment records go with it)',
        security: bearer('cases:update'),
        parameters: [caseIdParameter],
        responses: {
          '200': response('Deleted', z.object({})),
          '404': notFound('Case'),
          '409': dxError('The case has left its create stage, is resolved or has child cases'),
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/cases/{ID}/updates': {
      delete: {
        summary:
          "Release the caller's hold on the case: nothing is held here, the case is returned as it is",
        security: bearer('cases:read'),
        parameters: [caseIdParameter, viewType],
        responses: {
          '200': response('The case and its details', caseAnswerSchema, caseEtag),
          '404': notFound('Case'),
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/cases/{ID}/stages': {
      get: {
        summary: "The case's life cycle: every stage, each with its process and steps",
        security: bearer('cases:read'),
        parameters: [caseIdParameter],
        responses: {
          '200': response(
            'The stages',
            z.object({
              stages: z.array(
                stageSchema.extend({
                  processes: z.array(
                    z.object({
                      ID: z.string(),
                      name: z.string(),
                      visited_status: visitedSchema,
                      steps: z.array(
                        z.object({
                          ID: z.string(),
                          name: z.string(),
                          visited_status: visitedSchema,
                        }),
                      ),
                    }),
                  ),
                }),
              ),
            }),
            caseEtag,
          ),
          '404': notFound('Case'),
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/cases/{ID}/stages/{stageID}': {
      put: stageMove(
        "Move the case to a stage: it leaves its stage and starts the target's first step",
        [
          caseIdParameter,
          { name: 'stageID', in: 'path', required: true, schema: { type: 'string' } },
        ],
      ),
    },
    '/api/application/v2/cases/{ID}/stages/next': {
      post: stageMove('Move the case to its next primary stage', [caseIdParameter]),
    },
    '/api/application/v2/cases/{ID}/views/{viewID}': {
      get: {
        summary: "A case's review view: every field, read-only",
        security: bearer('cases:read'),
        parameters: [
          caseIdParameter,
          {
            name: 'viewID',
            in: 'path',
            required: true,
            schema: { enum: ['pyReview', 'pyDetails'] },
          },
        ],
        responses: {
          '200': response('The case and the view', caseAnswerSchema, caseEtag),
          '404': notFound('Case or view'),
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/cases/{ID}/actions/{actionID}': {
      get: {
        summary: 'A case action (pyUpdateCaseDetails): every field, nothing required',
        security: bearer('cases:read'),
        parameters: [caseIdParameter, actionIdParameter('pyUpdateCaseDetails or pyChangeStage')],
        responses: {
          '200': response('The case and the form', caseAnswerSchema, caseEtag),
          '404': notFound('Case or action'),
          '409': dxError('The case is resolved'),
          ...dxRefusals,
        },
      },
      patch: {
        summary: "Perform the case action: merge the values into the case's content",
        security: bearer('cases:update'),
        parameters: [
          caseIdParameter,
          actionIdParameter('pyUpdateCaseDetails or pyChangeStage'),
          ifMatch,
          viewType,
        ],
        requestBody: { required: false, content: jsonContent(submitAssignmentSchema, 'input') },
        responses: {
          '200': response(
            'The case, and its open assignment or a confirmation',
            nextStepSchema,
            caseEtag,
          ),
          '404': notFound('Case or action'),
          '409': dxError('Stale If-Match, or a resolved case: nothing written'),
          '422': dxError('Validation fail'),
          '428': dxError('If-Match missing'),
          ...dxBodyRefusals,
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/assignments/next': {
      get: {
        summary: "The caller's most urgent open assignment, then oldest",
        security: bearer('assignments:read'),
        parameters: [viewType],
        responses: {
          '200': response('The assignment and its form', caseAnswerSchema, caseEtag),
          '404': notFound('Open assignment'),
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/assignments/{ID}': {
      get: {
        summary: 'An open assignment routed to the caller, with its form',
        security: bearer('assignments:read'),
        parameters: [assignmentIdParameter, viewType],
        responses: {
          '200': response('The case and the step form', caseAnswerSchema, caseEtag),
          '404': notFound('Assignment'),
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/assignments/{ID}/actions/{actionID}': {
      get: {
        summary: "The step's flow action",
        security: bearer('assignments:read'),
        parameters: [
          assignmentIdParameter,
          actionIdParameter("The step's flow action ID"),
          viewType,
        ],
        responses: {
          '200': response('The case and the step form', caseAnswerSchema, caseEtag),
          '404': notFound('Assignment or action'),
          ...dxRefusals,
        },
      },
      patch: {
        summary: 'Perform the step: merge the values, check the step, advance the flow',
        security: bearer('assignments:perform'),
        parameters: [
          assignmentIdParameter,
          actionIdParameter("The step's flow action ID"),
          ifMatch,
          viewType,
        ],
        requestBody: { required: false, content: jsonContent(submitAssignmentSchema, 'input') },
        responses: {
          '200': response(
            'The next assignment and its form, or a confirmation',
            nextStepSchema,
            caseEtag,
          ),
          '404': notFound('Assignment or action'),
          '409': dxError('Stale If-Match, or a step the case has left: nothing written'),
          '422': dxError('Validation fail: one errorDetails item per field'),
          '428': dxError('If-Match missing'),
          ...dxBodyRefusals,
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/assignments/{ID}/actions/{actionID}/refresh': {
      patch: {
        summary: 'The values checked and merged into the form; nothing saved',
        security: bearer('assignments:read'),
        parameters: [
          assignmentIdParameter,
          actionIdParameter("The step's flow action ID"),
          ifMatch,
        ],
        requestBody: { required: false, content: jsonContent(refreshSchema, 'input') },
        responses: {
          '200': response('The case as it would be, and the form', caseAnswerSchema, caseEtag),
          '404': notFound('Assignment or action'),
          '409': dxError('Stale If-Match'),
          '422': dxError('Validation fail'),
          '428': dxError('If-Match missing'),
          ...dxBodyRefusals,
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/data_views/{ID}': {
      post: {
        summary:
          "A data view, with Pega's query: D_pyMyWorkList (the caller's open assignments), D_<case type>List, D_pxAvailableCaseTypesForPortal",
        security: bearer('assignments:read'),
        parameters: [{ name: 'ID', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: false, content: jsonContent(dataViewSchema, 'input') },
        responses: {
          '200': response('The rows', dataViewAnswerSchema),
          '404': notFound('Data view'),
          ...dxBodyRefusals,
          ...dxRefusals,
        },
      },
      get: {
        summary: 'The same, without a body',
        security: bearer('casetypes:read'),
        parameters: [{ name: 'ID', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': response('The rows', dataViewAnswerSchema),
          '404': notFound('Data view'),
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/data_views/{ID}/count': {
      post: {
        summary: 'How many rows a data view has',
        security: bearer('assignments:read'),
        parameters: [{ name: 'ID', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: false, content: jsonContent(dataViewSchema, 'input') },
        responses: {
          '200': response(
            'The count',
            z.object({
              fetchDateTime: z.string(),
              resultCount: z.number().int(),
              totalCount: z.number().int(),
              hasMoreResults: z.boolean(),
              scanLimitReached: dataViewAnswerSchema.shape.scanLimitReached,
            }),
          ),
          '404': notFound('Data view'),
          ...dxBodyRefusals,
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/data_views/D_pxBootstrapConfig': {
      get: {
        summary:
          "Pega's Constellation engine's configuration: locale, routes, the caller's operator, application and creatable case types",
        security: bearer('casetypes:read'),
        responses: {
          '200': response(
            'The configuration, as a string holding JSON (as Pega sends it)',
            z.object({ pyConfigJSON: z.string() }),
          ),
          ...dxRefusals,
        },
      },
    },
    '/api/application/v2/data_views/{ID}/metadata': {
      get: {
        summary: "A data view's fields (what a query may name) and parameters",
        parameters: [{ name: 'ID', in: 'path', required: true, schema: { type: 'string' } }],
        security: bearer('assignments:read'),
        responses: {
          '200': response(
            'The metadata',
            z.object({
              name: z.string(),
              label: z.string().optional(),
              isQueryable: z.boolean(),
              fields: z.array(
                z.looseObject({ name: z.string(), type: z.string(), label: z.string() }),
              ),
              parameters: z.array(z.unknown()),
            }),
          ),
          '404': notFound('Data view'),
          ...dxRefusals,
        },
      },
    },
    ...lifecyclePaths(),
    ...collaborationPaths(),
    ...participantPaths(),
    ...dataPaths(),
  };
}
