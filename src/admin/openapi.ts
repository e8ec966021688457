// Longer than 300 lines on purpose: a catalogue, one entry per admin operation, of what it answers; build time only, never in the bundle.
import * as z from 'zod';
import { header, jsonContent, oauthError, response, responseRef } from '../case-api/openapi-parts';
import { FIELD_TYPES, SCOPES } from '../domain/model';

/**
 * The admin API in the OpenAPI document (build time only, as api/openapi.ts): what each
 * operation of admin/routes.ts answers. Its errors are in the OAuth body.
 */

const accessGroupSchema = z.object({
  name: z.string(),
  privileges: z.array(z.enum(SCOPES)),
  caseTypes: z.array(z.string()),
  caseVisibility: z.enum(['own', 'all']),
});

const operatorSchema = z.object({
  operatorID: z.string(),
  name: z.string(),
  accessGroup: accessGroupSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});

const clientSchema = z.object({
  clientID: z.string(),
  name: z.string(),
  description: z.string(),
  operatorID: z.string(),
  accessTokenLifetime: z.number().int(),
  scopes: z.array(z.enum(SCOPES)),
  enabled: z.boolean(),
  tokensPerHour: z.number().int().nullable(),
  secretUpdatedAt: z.string(),
  previousSecretValidUntil: z.string().nullable(),
  tokenEndpointAuthMethod: z.string(),
  tlsClientAuthSubjectDn: z.string().optional(),
  tlsClientCertificateSha256: z.string().optional(),
  jwks: z.object({ keys: z.array(z.looseObject({ kty: z.string() })) }).optional(),
  dpopBoundAccessTokens: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  endpoints: z.object({
    token: z.string(),
    revoke: z.string(),
    introspect: z.string(),
    jwks: z.string(),
    metadata: z.string(),
  }),
});

/** A client with its secret: the one answer that ever shows it. */
const clientWithSecretSchema = clientSchema.extend({ clientSecret: z.string() });

const flowStepSchema = z.object({
  ID: z.string(),
  name: z.string(),
  instructions: z.string(),
  fields: z.array(z.object({ name: z.string(), required: z.boolean() })),
  action: z.object({ ID: z.string(), name: z.string() }),
  routeTo: z.string().optional(),
  nextScreen: z.boolean().optional(),
});

const caseTypeSchema = z.object({
  ID: z.string(),
  name: z.string(),
  idPrefix: z.string(),
  startingProcesses: z.array(
    z.object({
      ID: z.string(),
      name: z.string(),
      requiresFieldsToCreate: z.boolean().optional(),
    }),
  ),
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string().optional(),
      type: z.enum(FIELD_TYPES),
      required: z.boolean(),
      maxLength: z.number().int().optional(),
      enum: z.array(z.string()).optional(),
      queryable: z
        .boolean()
        .optional()
        .describe('Kept in an index: data view filters on it read only the cases they match'),
      dataSource: z
        .object({ dataView: z.string(), value: z.string(), text: z.string().optional() })
        .optional()
        .describe("A dropdown of a data type's records: its list view, value and text fields"),
    }),
  ),
  flow: z.array(flowStepSchema),
  processes: z
    .array(
      z.object({
        ID: z.string(),
        name: z.string(),
        stage: z.string().optional(),
        step: flowStepSchema.omit({ routeTo: true, nextScreen: true }),
      }),
    )
    .optional(),
  participantRoles: z
    .array(z.object({ ID: z.string(), name: z.string(), single: z.boolean().optional() }))
    .optional(),
  stages: z
    .array(
      z.object({
        ID: z.string(),
        name: z.string(),
        type: z.enum(['Primary', 'Alternate']),
        resolutionStatus: z.string().optional(),
        steps: z.array(z.string()),
      }),
    )
    .optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const dataTypeDocSchema = z.object({
  ID: z.string(),
  name: z.string(),
  description: z.string(),
  keyField: z.string(),
  fields: caseTypeSchema.shape.fields,
  listDataView: z.string().describe('D_<last class segment>List: its records, queryable'),
  savableDataPage: z.string().describe('D_<last class segment>: where its records are written'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const auditEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

const page = (name: string, item: z.ZodType) =>
  z.object({ [name]: z.array(item), nextCursor: z.string().optional() });

const admin = [{ adminToken: [] }];
const idParameter = (what: string) => ({
  name: 'ID',
  in: 'path',
  required: true,
  description: what,
  schema: { type: 'string' },
});
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'The ETag read ("N", W/"N" or *): a stale one is 412, and nothing is written',
  schema: { type: 'string' },
};
const pageParameters = [
  {
    name: 'limit',
    in: 'query',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  },
  { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
];
const etag = { ETag: header('The version written') };
const created = { ...etag, Location: header('The new resource') };

/** What every admin operation may answer besides its own statuses. */
const refusals = {
  '400': oauthError('invalid_request: the body, query or If-Match at fault (ValidationMessages)'),
  '401': oauthError('No admin token, or a wrong one'),
  '403': responseRef('HttpsRequired'),
  '503': oauthError('server_error: the admin API is not configured, or storage is unavailable'),
};
const bodyRefusals = {
  '413': oauthError('The body is larger than 64 KiB'),
  '415': oauthError('The body is not application/json'),
};
const notFound = (what: string) => ({ '404': oauthError(`${what} not found`) });
const stale = { '412': oauthError('If-Match names a version that is no longer current') };

export function adminPaths() {
  return {
    '/admin/v1/operators': {
      post: {
        summary: 'Create an operator: the identity a client acts as, with its access group',
        security: admin,
        responses: {
          '201': response('Created', operatorSchema, created),
          '409': oauthError('An operator with this ID exists'),
          ...bodyRefusals,
          ...refusals,
        },
      },
      get: {
        summary: 'Operators by ID, a page',
        security: admin,
        parameters: pageParameters,
        responses: { '200': response('A page', page('operators', operatorSchema)), ...refusals },
      },
    },
    '/admin/v1/operators/{ID}': {
      get: {
        summary: 'An operator',
        security: admin,
        parameters: [idParameter('The operator ID')],
        responses: {
          '200': response('The operator', operatorSchema, etag),
          ...notFound('Operator'),
          ...refusals,
        },
      },
      patch: {
        summary: 'Change an operator: only the fields sent',
        security: admin,
        parameters: [idParameter('The operator ID'), ifMatch],
        responses: {
          '200': response('Changed', operatorSchema, etag),
          ...notFound('Operator'),
          ...stale,
          ...bodyRefusals,
          ...refusals,
        },
      },
      delete: {
        summary: 'Delete an operator no client, case or flow uses',
        security: admin,
        parameters: [idParameter('The operator ID'), ifMatch],
        responses: {
          '204': { description: 'Deleted' },
          ...notFound('Operator'),
          '409': oauthError('A client, a case or a flow still names the operator'),
          ...stale,
          ...refusals,
        },
      },
    },
    '/admin/v1/clients': {
      post: {
        summary: 'Register a client: its secret is shown in this answer only',
        security: admin,
        responses: {
          '201': response(
            'Registered',
            clientSchema.extend({ clientSecret: z.string().optional() }),
            created,
          ),
          ...bodyRefusals,
          ...refusals,
        },
      },
      get: {
        summary: 'Clients by ID, a page: never a secret',
        security: admin,
        parameters: pageParameters,
        responses: { '200': response('A page', page('clients', clientSchema)), ...refusals },
      },
    },
    '/admin/v1/clients/{ID}': {
      get: {
        summary: 'A client: never its secret',
        security: admin,
        parameters: [idParameter('The client ID')],
        responses: {
          '200': response('The client', clientSchema, etag),
          ...notFound('Client'),
          ...refusals,
        },
      },
      patch: {
        summary: 'Change a client: only the fields sent; disabling refuses its tokens at once',
        security: admin,
        parameters: [idParameter('The client ID'), ifMatch],
        responses: {
          '200': response(
            'Changed (switched back to a secret: the new one, this once)',
            clientSchema.extend({ clientSecret: z.string().optional() }),
            etag,
          ),
          ...notFound('Client'),
          ...stale,
          ...bodyRefusals,
          ...refusals,
        },
      },
      delete: {
        summary: 'Delete a client and revoke its tokens',
        security: admin,
        parameters: [idParameter('The client ID'), ifMatch],
        responses: {
          '204': { description: 'Deleted' },
          ...notFound('Client'),
          ...stale,
          ...refusals,
        },
      },
    },
    '/admin/v1/clients/{ID}/secret': {
      post: {
        summary: 'A new secret, shown once; the old one stops (after graceSeconds, if sent)',
        security: admin,
        parameters: [idParameter('The client ID')],
        requestBody: {
          required: false,
          content: jsonContent(z.object({ graceSeconds: z.number().int().optional() })),
        },
        responses: {
          '200': response('The client and its new secret', clientWithSecretSchema, etag),
          ...notFound('Client'),
          '409': oauthError('The client does not authenticate with a secret'),
          ...bodyRefusals,
          ...refusals,
        },
      },
    },
    '/admin/v1/clients/{ID}/revoke-tokens': {
      post: {
        summary: 'Revoke every token the client holds, at once everywhere',
        security: admin,
        parameters: [idParameter('The client ID')],
        responses: {
          '200': response(
            'Revoked',
            z.object({ clientID: z.string(), revokedAt: z.string() }),
            etag,
          ),
          ...notFound('Client'),
          ...refusals,
        },
      },
    },
    '/admin/v1/casetypes': {
      post: {
        summary: 'Define a case type: fields, starting processes, flow, and optionally its stages',
        security: admin,
        responses: {
          '201': response('Defined', caseTypeSchema, created),
          '409': oauthError('A case type with this ID exists, or an operator it routes to changed'),
          ...bodyRefusals,
          ...refusals,
        },
      },
      get: {
        summary: 'Every case type',
        security: admin,
        responses: {
          '200': response('Case types', z.object({ caseTypes: z.array(caseTypeSchema) })),
          ...refusals,
        },
      },
    },
    '/admin/v1/casetypes/{ID}': {
      get: {
        summary: 'A case type',
        security: admin,
        parameters: [idParameter('The case type ID (its class)')],
        responses: {
          '200': response('The case type', caseTypeSchema, etag),
          ...notFound('Case type'),
          ...refusals,
        },
      },
      put: {
        summary: 'Replace a case type; existing cases keep their content',
        security: admin,
        parameters: [idParameter('The case type ID (its class)'), ifMatch],
        responses: {
          '200': response('Replaced', caseTypeSchema, etag),
          ...notFound('Case type'),
          '409': oauthError('An operator the flow routes to changed meanwhile'),
          ...stale,
          ...bodyRefusals,
          ...refusals,
        },
      },
    },
    '/admin/v1/datatypes': {
      post: {
        summary: 'Define a data type: its class, key field and fields',
        security: admin,
        responses: {
          '201': response('Defined', dataTypeDocSchema, created),
          '409': oauthError('A data type with this ID exists'),
          ...bodyRefusals,
          ...refusals,
        },
      },
      get: {
        summary: 'Every data type',
        security: admin,
        responses: {
          '200': response('Data types', z.object({ dataTypes: z.array(dataTypeDocSchema) })),
          ...refusals,
        },
      },
    },
    '/admin/v1/datatypes/{ID}': {
      get: {
        summary: 'A data type',
        security: admin,
        parameters: [idParameter('The data type ID (its class)')],
        responses: {
          '200': response('The data type', dataTypeDocSchema, etag),
          ...notFound('Data type'),
          ...refusals,
        },
      },
      put: {
        summary: 'Replace a data type; its key field stays, its records keep their values',
        security: admin,
        parameters: [idParameter('The data type ID (its class)'), ifMatch],
        responses: {
          '200': response('Replaced', dataTypeDocSchema, etag),
          ...notFound('Data type'),
          ...stale,
          ...bodyRefusals,
          ...refusals,
        },
      },
    },
    '/admin/v1/audit': {
      get: {
        summary: 'The audit log, newest first, a page',
        security: admin,
        parameters: pageParameters,
        responses: { '200': response('A page', page('events', auditEventSchema)), ...refusals },
      },
    },
  };
}
