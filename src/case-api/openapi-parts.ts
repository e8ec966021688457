import * as z from 'zod';

/**
 * The building blocks of the OpenAPI document (src/openapi.ts; api/openapi.ts for API v1 and OAuth,
 * dx/openapi.ts for DX API v2). Build time only: `npm run openapi` runs them, the Worker never.
 */

/** A zod schema as JSON Schema 2020-12, OpenAPI 3.1's dialect, by zod itself. */
export const toSchema = (schema: z.core.$ZodType, io: 'input' | 'output' = 'output') => {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  });
  return jsonSchema;
};

export const jsonContent = (schema: z.core.$ZodType, io?: 'input' | 'output') => ({
  'application/json': { schema: toSchema(schema, io) },
});
export const formContent = (schema: z.core.$ZodType) => ({
  'application/x-www-form-urlencoded': { schema: toSchema(schema, 'input') },
});
export const response = (
  description: string,
  schema?: z.core.$ZodType,
  headers?: Record<string, object>,
) => ({
  description,
  ...(schema && { content: jsonContent(schema) }),
  ...(headers && { headers }),
});
/** Error bodies are declared once, in components.schemas, and referenced from each response. */
export const errorResponse = (
  description: string,
  name: 'OAuthError' | 'PegaErrors' | 'DxErrors' | 'AnyError',
) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});
export const oauthError = (description: string) => errorResponse(description, 'OAuthError');
export const pegaError = (description: string) => errorResponse(description, 'PegaErrors');
export const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
export const header = (description: string) => ({ description, schema: { type: 'string' } });

export const clientAuth = [{ clientSecretBasic: [] }, {}];
export const bearer = (scope: string) => [{ oauth2: [scope] }];
export const caseIdParameter = {
  name: 'ID',
  in: 'path',
  required: true,
  description: 'The case ID, URL-encoded (CNOW-CONNECTNOW-WORK%20R-1001)',
  schema: { type: 'string' },
};
export const assignmentIdParameter = {
  name: 'ID',
  in: 'path',
  required: true,
  description:
    'The assignment ID, URL-encoded (ASSIGN-WORKLIST%20CNOW-CONNECTNOW-WORK%20R-1001!PYSTARTCASE)',
  schema: { type: 'string' },
};
/**
 * What any call may answer: 403 over plain HTTP or old TLS (https_required, from the transport
 * guard, before the route), 503 when storage or configuration fails (no detail).
 */
export const unavailable = {
  '403': responseRef('HttpsRequired'),
  '503': responseRef('Unavailable'),
};

/** A JSON body too large, or not JSON. */
export const jsonBodyRefusals = {
  '413': pegaError('Body over 64 KiB'),
  '415': pegaError('Not application/json'),
};
export const bearerRefusals = {
  ...unavailable,
  '400': responseRef('MalformedAuthorization'),
  '401': responseRef('InvalidToken'),
  '403': responseRef('InsufficientScope'),
};

/** DX API v2's error body. */
export const dxErrorSchema = z.object({
  errorClassification: z.string(),
  localizedValue: z.string(),
  errorDetails: z
    .array(
      z.object({
        message: z.string().min(1),
        localizedValue: z.string(),
        erroneousInputOutputFieldInPage: z.string(),
        erroneousInputOutputIdentifier: z.string(),
        Path: z.string().optional(),
        ValidationMessage: z.string().optional(),
      }),
    )
    .min(1),
});

export const dxError = (description: string) => errorResponse(description, 'DxErrors');

/** Every v2 refusal is in v2's body: a bad token and a missing scope too. */
export const dxRefusals = {
  '400': dxError('Malformed request, Authorization header or query'),
  '401': dxError('Missing, invalid, expired or revoked token (with WWW-Authenticate)'),
  '403': dxError('The token lacks the scope, or https_required'),
  '503': responseRef('Unavailable'),
};
export const dxBodyRefusals = {
  '413': dxError('Body over 64 KiB'),
  '415': dxError('Not application/json'),
};

/** A path parameter: a string, required. */
export const pathParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
