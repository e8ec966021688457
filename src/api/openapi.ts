// Longer than 300 lines on purpose: the document's frame (components shared by every audience), then a catalogue, one entry per OAuth and API v1 operation, of what it answers; build time only, never in the bundle.
import * as z from 'zod';
import { attachmentPaths, dataPagePaths } from '../case-api/openapi-attachments';
import {
  assignmentIdParameter,
  bearer,
  bearerRefusals,
  caseIdParameter,
  clientAuth,
  dxErrorSchema,
  errorResponse,
  formContent,
  header,
  jsonBodyRefusals,
  jsonContent,
  oauthError,
  pegaError,
  response,
  responseRef,
  toSchema,
  unavailable,
} from '../case-api/openapi-parts';
import { createCaseSchema, submitAssignmentSchema } from '../case-api/schemas';
import { SCOPES } from '../domain/model';
import { tokenRequestSchema } from '../oauth/token';
import { tokenParameterSchema } from '../oauth/token-management';
import { listCasesQuerySchema, updateCaseSchema } from './schemas';

/**
 * The OpenAPI 3.1 document of the public API. Request schemas are the zod schemas that
 * validate requests, turned into JSON Schema 2020-12 (OpenAPI 3.1's dialect) by zod itself;
 * response schemas are declared here in zod too. Built ahead of time: see openApiDocument.
 */

const clientCredentialsSchema = z.object({
  client_id: z
    .string()
    .optional()
    .describe(
      'client_secret_post, and tls_client_auth / self_signed_tls_client_auth (the certificate in the mTLS handshake); omit when using HTTP Basic',
    ),
  client_secret: z.string().optional().describe('client_secret_post; omit when using HTTP Basic'),
  client_assertion_type: z
    .literal('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    .optional()
    .describe('private_key_jwt (RFC 7523)'),
  client_assertion: z
    .string()
    .optional()
    .describe(
      'private_key_jwt: a JWT signed by one of the client keys; iss = sub = client ID, aud = the issuer or the token endpoint, exp at most 5 minutes ahead, a new jti',
    ),
});

/** One of Pega's `errors`; field errors carry where Pega's web client looks for them too. */
const pegaErrorItemSchema = z.object({
  ID: z.string(),
  message: z.string(),
  ValidationMessages: z
    .array(
      z.object({
        Path: z.string(),
        ValidationMessage: z.string(),
        erroneousInputOutputFieldInPage: z.string().optional(),
        localizedValue: z.string().optional(),
      }),
    )
    .optional(),
});

const oauthErrorSchema = z.object({
  error: z.string(),
  error_description: z.string(),
  errors: z.array(pegaErrorItemSchema),
});

const pegaErrorSchema = z.object({ errors: z.array(pegaErrorItemSchema) });

const tokenResponseSchema = z.object({
  access_token: z.string(),
  /** DPoP: bound to the proof's key (RFC 9449 §5). */
  token_type: z.enum(['Bearer', 'DPoP']),
  expires_in: z.number().int(),
  scope: z.string(),
});

const introspectionSchema = z.object({
  active: z.boolean(),
  client_id: z.string().optional(),
  scope: z.string().optional(),
  token_type: z.enum(['Bearer', 'DPoP']).optional(),
  exp: z.number().int().optional(),
  iat: z.number().int().optional(),
  sub: z.string().optional(),
  aud: z.string().optional(),
  iss: z.string().optional(),
  jti: z.string().optional(),
  operator: z.string().optional(),
  /** What the token is bound to: a DPoP key (jkt) or a client certificate (x5t#S256). */
  cnf: z.object({ jkt: z.string().optional(), 'x5t#S256': z.string().optional() }).optional(),
});

const caseSummarySchema = z.object({
  ID: z.string(),
  caseTypeID: z.string(),
  name: z.string(),
  pxObjClass: z.string(),
  status: z.string(),
  urgency: z.string(),
  createTime: z.string(),
  createdBy: z.string(),
  lastUpdateTime: z.string(),
  lastUpdatedBy: z.string(),
  parentCaseID: z.string(),
});

const actionSchema = z.object({ ID: z.string(), name: z.string() });

const assignmentSummarySchema = z.object({
  ID: z.string().describe('ASSIGN-WORKLIST <case ID>!<FLOW>'),
  caseID: z.string(),
  name: z.string(),
  urgency: z.string(),
  instructions: z.string(),
  routedTo: z.string(),
  pxObjClass: z.string(),
});

const caseSchema = caseSummarySchema.extend({
  owner: z.string(),
  stage: z.object({ ID: z.string(), name: z.string() }),
  assignments: z.array(assignmentSummarySchema.extend({ actions: z.array(actionSchema) })),
  actions: z.array(actionSchema),
  content: z.record(z.string(), z.unknown()),
});

/** Pega DX view JSON: groups of layouts and fields (see src/api/dx-views.ts). */
const dxGroupsSchema = z.array(z.record(z.string(), z.unknown()));

const assignmentSchema = assignmentSummarySchema
  .omit({ pxObjClass: true })
  .extend({ actions: z.array(actionSchema) });

const actionViewSchema = z.object({
  name: z.string(),
  actionID: z.string(),
  view: z.object({
    reference: z.string(),
    viewID: z.string(),
    name: z.string(),
    appliesTo: z.string(),
    groups: dxGroupsSchema,
  }),
});

const caseInformationSchema = z.object({
  name: z.string(),
  viewID: z.literal('pyCaseInformation'),
  reference: z.string(),
  groups: dxGroupsSchema,
});

const createdCaseSchema = z.object({
  ID: z.string(),
  nextAssignmentID: z.string(),
  nextPageID: z.string(),
  pxObjClass: z.string(),
});

const processSchema = z.object({
  ID: z.string(),
  name: z.string(),
  pxObjClass: z.string(),
  requiresFieldsToCreate: z.enum(['true', 'false']),
});

const caseTypesSchema = z.object({
  pxObjClass: z.string(),
  caseTypes: z.array(
    z.object({
      ID: z.string(),
      name: z.string(),
      CanCreate: z.enum(['true', 'false']),
      pxObjClass: z.string(),
      startingProcesses: z.array(processSchema),
    }),
  ),
});

const caseTypeSchema = z.object({
  caseTypeID: z.string(),
  name: z.string(),
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string().optional(),
      type: z.enum(['string', 'number', 'boolean', 'date']),
      required: z.boolean(),
      maxLength: z.number().int().optional(),
      enum: z.array(z.string()).optional(),
    }),
  ),
  creation_page: z.object({ name: z.string(), pageID: z.string(), groups: dxGroupsSchema }),
});

const tokenEndpointErrors = {
  '400': responseRef('InvalidRequest'),
  '401': responseRef('InvalidClient'),
  '413': responseRef('TooLarge'),
  '415': responseRef('UnsupportedMediaType'),
  '429': responseRef('TooManyRequests'),
  ...unavailable,
  '403': responseRef('HttpsRequired'),
};

function buildDocument(issuer: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'edgecase',
      version: '1.0.0',
      description:
        'OAuth 2.0 client credentials authorization server, and the Pega API v1 and DX API v2 case service. ' +
        'Tokens are Bearer tokens, or DPoP-bound (RFC 9449): those go as "Authorization: DPoP <token>" with a DPoP proof header for each request. ' +
        "Every path is also served under Pega's prefixes: /prweb/api/v1, /prweb/api/application/v2 and /prweb/PRRestService/oauth2/v1. " +
        'DX API v2 answers every error in its own body (errorClassification, localizedValue, errorDetails).',
    },
    servers: [{ url: issuer }],
    components: {
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: `${issuer}/oauth2/v1/token`,
              scopes: Object.fromEntries(SCOPES.map((scope) => [scope, scope])),
            },
          },
        },
        clientSecretBasic: { type: 'http', scheme: 'basic' },
      },
      schemas: {
        OAuthError: toSchema(oauthErrorSchema),
        PegaErrors: toSchema(pegaErrorSchema),
        DxErrors: toSchema(dxErrorSchema),
        AnyError: {
          anyOf: [
            { $ref: '#/components/schemas/OAuthError' },
            { $ref: '#/components/schemas/PegaErrors' },
            { $ref: '#/components/schemas/DxErrors' },
          ],
        },
      },
      responses: {
        InvalidRequest: oauthError(
          'invalid_request, invalid_scope, invalid_target, unsupported_grant_type, unauthorized_client',
        ),
        InvalidClient: oauthError('invalid_client'),
        MalformedAuthorization: pegaError('Malformed Authorization header, or a token outside it'),
        InvalidToken: pegaError('Missing, invalid, expired or revoked token'),
        InsufficientScope: errorResponse(
          'The token lacks the scope, or the operator the privilege; or https_required (plain HTTP, old TLS)',
          'PegaErrors',
        ),
        TooLarge: oauthError('The body is larger than 64 KiB'),
        UnsupportedMediaType: oauthError('The body is not application/x-www-form-urlencoded'),
        TooManyRequests: {
          ...oauthError(
            'too_many_requests: past the failed-authentication throttle, or the client quota (tokensPerHour)',
          ),
          headers: { 'Retry-After': header('Seconds until a new attempt can succeed') },
        },
        HttpsRequired: errorResponse(
          'https_required: plain HTTP outside loopback, or TLS below 1.2 (the OAuth format under /oauth2, Pega elsewhere)',
          'AnyError',
        ),
        Unavailable: errorResponse(
          'server_error: storage or configuration unavailable; nothing was done (the OAuth format under /oauth2, Pega elsewhere)',
          'AnyError',
        ),
      },
    },
    paths: {
      '/oauth2/v1/token': {
        post: {
          summary: 'Client credentials grant (RFC 6749 §4.4)',
          security: clientAuth,
          parameters: [
            {
              name: 'DPoP',
              in: 'header',
              required: false,
              description:
                'A DPoP proof (RFC 9449) for this request: the token is then bound to its key (token_type DPoP, cnf.jkt) and must be sent as "Authorization: DPoP <token>" with a proof for each request',
              schema: { type: 'string' },
            },
          ],
          requestBody: {
            required: true,
            content: formContent(
              z.object({ ...tokenRequestSchema.shape, ...clientCredentialsSchema.shape }),
            ),
          },
          responses: {
            '200': response('An access token', tokenResponseSchema),
            ...tokenEndpointErrors,
          },
        },
      },
      '/oauth2/v1/revoke': {
        post: {
          summary: 'Token revocation (RFC 7009)',
          security: clientAuth,
          requestBody: {
            required: true,
            content: formContent(
              z.object({ ...tokenParameterSchema.shape, ...clientCredentialsSchema.shape }),
            ),
          },
          responses: {
            '200': { description: 'Revoked, or nothing to revoke' },
            ...tokenEndpointErrors,
          },
        },
      },
      '/oauth2/v1/token/introspect': {
        post: {
          summary: 'Token introspection (RFC 7662), own tokens only',
          security: clientAuth,
          requestBody: {
            required: true,
            content: formContent(
              z.object({ ...tokenParameterSchema.shape, ...clientCredentialsSchema.shape }),
            ),
          },
          responses: {
            '200': response('The token, or active: false', introspectionSchema),
            ...tokenEndpointErrors,
          },
        },
      },
      '/oauth2/v1/token/keys': {
        get: {
          summary: 'JWKS',
          security: [],
          responses: { '200': { description: 'Public signing keys' }, ...unavailable },
        },
      },
      '/.well-known/oauth-authorization-server': {
        get: {
          summary: 'RFC 8414 metadata',
          security: [],
          responses: { '200': { description: 'Metadata' }, ...unavailable },
        },
      },
      '/.well-known/oauth-protected-resource': {
        get: {
          summary: 'RFC 9728 metadata',
          security: [],
          responses: { '200': { description: 'Metadata' }, ...unavailable },
        },
      },
      '/.well-known/oauth-protected-resource/api/v1': {
        get: {
          summary: "RFC 9728 metadata, under the resource's own path (§3.1)",
          security: [],
          responses: { '200': { description: 'Metadata' }, ...unavailable },
        },
      },
      '/api/v1/docs': {
        get: {
          summary: 'This OpenAPI document, for this issuer',
          security: [],
          responses: {
            '200': response('The document', z.looseObject({ openapi: z.literal('3.1.0') })),
            ...unavailable,
          },
        },
      },
      '/api/v1/casetypes': {
        get: {
          summary: 'Case types the operator may use',
          security: bearer('casetypes:read'),
          responses: { '200': response('Case types', caseTypesSchema), ...bearerRefusals },
        },
      },
      '/api/v1/casetypes/{ID}': {
        get: {
          summary: 'A case type and its fields',
          security: bearer('casetypes:read'),
          parameters: [{ ...caseIdParameter, description: 'The case type ID (its class)' }],
          responses: {
            '200': response('The case type', caseTypeSchema),
            '404': pegaError('Pega_API_008'),
            ...bearerRefusals,
          },
        },
      },
      '/api/v1/cases': {
        post: {
          summary: 'Create a case',
          security: bearer('cases:create'),
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 255 },
            },
          ],
          requestBody: { required: true, content: jsonContent(createCaseSchema, 'input') },
          responses: {
            '201': response(
              'Created (or replayed for a repeated Idempotency-Key)',
              createdCaseSchema,
              {
                Location: header('The case URL'),
                ETag: header('The case version'),
              },
            ),
            ...bearerRefusals,
            '400': pegaError('Pega_API_001, Pega_API_004, Pega_API_008, Pega_API_009'),
            '403': pegaError('Pega_API_019'),
            ...jsonBodyRefusals,
            '422': pegaError('Idempotency-Key reused for another request'),
          },
        },
        get: {
          summary: 'List cases, newest first',
          security: bearer('cases:read'),
          parameters: Object.entries(toSchema(listCasesQuerySchema, 'input').properties ?? {}).map(
            ([name, schema]) => ({
              name,
              in: 'query',
              required: false,
              schema,
            }),
          ),
          responses: {
            '200': response(
              'A page of cases',
              z.object({
                pxObjClass: z.string(),
                cases: z.array(caseSummarySchema),
                nextCursor: z.string().optional(),
              }),
            ),
            ...bearerRefusals,
          },
        },
      },
      '/api/v1/cases/{ID}': {
        get: {
          summary: 'Read a case',
          security: bearer('cases:read'),
          parameters: [caseIdParameter],
          responses: {
            '200': response('The case', caseSchema, { ETag: header('The case version') }),
            '404': pegaError('Pega_API_011'),
            ...bearerRefusals,
          },
        },
        put: {
          summary: 'Update case content',
          security: bearer('cases:update'),
          parameters: [
            caseIdParameter,
            {
              name: 'If-Match',
              in: 'header',
              required: true,
              description: 'The ETag read ("N"), its weak form (W/"N"), or * for any version',
              schema: { type: 'string' },
            },
          ],
          requestBody: { required: true, content: jsonContent(updateCaseSchema, 'input') },
          responses: {
            '204': { description: 'Updated', headers: { ETag: header('The new case version') } },
            '404': pegaError('Pega_API_011'),
            '409': pegaError('Pega_API_001: the case is resolved'),
            '412': pegaError('Pega_API_021'),
            '428': pegaError('Pega_API_020'),
            ...jsonBodyRefusals,
            ...bearerRefusals,
          },
        },
      },
      '/api/v1/cases/{ID}/views/{viewID}': {
        get: {
          summary: "A case's read-only view (pyCaseInformation)",
          security: bearer('cases:read'),
          parameters: [
            caseIdParameter,
            { name: 'viewID', in: 'path', required: true, schema: { const: 'pyCaseInformation' } },
          ],
          responses: {
            '200': response('Every field, read-only, with its value', caseInformationSchema),
            '404': pegaError('Pega_API_011, or another view'),
            ...bearerRefusals,
          },
        },
      },
      '/api/v1/assignments': {
        get: {
          summary: "The operator's open assignments (worklist), most urgent first, then oldest",
          security: bearer('assignments:read'),
          responses: {
            '200': response(
              'The worklist',
              z.object({ assignments: z.array(assignmentSummarySchema) }),
            ),
            ...bearerRefusals,
          },
        },
      },
      '/api/v1/assignments/next': {
        get: {
          summary: 'The assignment to work next',
          security: bearer('assignments:read'),
          responses: {
            '200': response('The next assignment', assignmentSummarySchema),
            '404': pegaError('No open assignment'),
            ...bearerRefusals,
          },
        },
      },
      '/api/v1/assignments/{ID}': {
        get: {
          summary: 'An open assignment routed to the operator',
          security: bearer('assignments:read'),
          parameters: [assignmentIdParameter],
          responses: {
            '200': response('The assignment and its flow action', assignmentSchema, {
              ETag: header('The case version'),
            }),
            '404': pegaError('Not open, or routed to another operator'),
            ...bearerRefusals,
          },
        },
        post: {
          summary: 'Submit the assignment: merge the values, check the step, advance the flow',
          security: bearer('assignments:perform'),
          parameters: [
            assignmentIdParameter,
            { name: 'actionID', in: 'query', required: true, schema: { type: 'string' } },
            {
              name: 'saveOnly',
              in: 'query',
              required: false,
              schema: { enum: ['true', 'false'] },
            },
          ],
          requestBody: { required: true, content: jsonContent(submitAssignmentSchema, 'input') },
          responses: {
            '200': response(
              'Where to go next: the next assignment and Perform, or "" and Confirm',
              createdCaseSchema,
              { ETag: header('The case version') },
            ),
            '404': pegaError('Not open, or routed to another operator'),
            '409': pegaError(
              'Submitted or changed concurrently, a step the case has left, or a resolved case',
            ),
            ...jsonBodyRefusals,
            ...bearerRefusals,
          },
        },
      },
      '/api/v1/assignments/{ID}/actions/{actionID}': {
        get: {
          summary: "The flow action's form (Pega DX view JSON) with the case's values",
          security: bearer('assignments:read'),
          parameters: [
            assignmentIdParameter,
            { name: 'actionID', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': response('The form', actionViewSchema),
            '404': pegaError('Not open, or routed to another operator'),
            ...bearerRefusals,
          },
        },
      },
      ...attachmentPaths('/api/v1'),
      ...dataPagePaths(),
    },
  };
}

/** The document's frame, OAuth and API v1 (src/openapi.ts adds DX API v2). */
export const apiDocument = buildDocument;
