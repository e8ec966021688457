import type { Context } from 'hono';
import { AppError, notFound, serverError } from '../errors';

/**
 * Three wire formats, chosen by path:
 * - `oauth` (RFC 6749 §5.2) for /oauth2 and /admin: `error`, `error_description`, and Pega's
 *   `errors` array beside them so a Pega client reads the same failure;
 * - `dx` for DX API v2: `{"errorClassification", "localizedValue", "errorDetails": [...]}`;
 * - `pega` for everything else: `{"errors": [{"ID", "message", "ValidationMessages"?}]}`.
 */
export type ErrorFormat = 'oauth' | 'pega' | 'dx';

export function errorFormatFor(path: string): ErrorFormat {
  if (/^\/(oauth2|prweb\/PRRestService\/oauth2|admin)\//.test(path)) return 'oauth';
  return /^\/(prweb\/(app\/[^/]+\/)?)?api\/application\/v2(\/|$)/.test(path) ? 'dx' : 'pega';
}

/** DX API v2's classifications by status; `message` of the first detail is Pega's error key. */
const DX_ERRORS: Record<number, [classification: string, key: string]> = {
  400: ['Bad request', 'Error_Bad_Request'],
  401: ['Authentication failed', 'Error_Unauthorized'],
  403: ['Forbidden', 'Error_Forbidden'],
  404: ['Resource not found', 'Error_Resource_Not_Found'],
  409: ['Conflict', 'Error_Conflict'],
  413: ['Payload too large', 'Error_Payload_Too_Large'],
  415: ['Unsupported media type', 'Error_Unsupported_Media_Type'],
  422: ['Validation fail', 'Error_Validation_Fail'],
  428: ['Precondition required', 'Error_Precondition_Required'],
  429: ['Too many requests', 'Error_Too_Many_Requests'],
};

/**
 * DX API v2's statuses where they differ from v1's: a case's rules broken is 422, and a stale
 * ETag is 409 (v1 answers 400 and 412).
 */
export function dxStatus(error: AppError) {
  if (error.code === 'validation_failed') return 422;
  if (error.status === 412) return 409;
  return error.status;
}

/**
 * Where a field error points, as Pega's Constellation engine reads it: the field with its dot
 * (`.City`), and the embedded page that holds it (`.Address` for `.Address.City`; `""` for a
 * field of the case itself).
 */
function placeOf(path: string) {
  const last = path.lastIndexOf('.');
  return last <= 0
    ? { page: '', identifier: path }
    : { page: path.slice(0, last), identifier: path.slice(last) };
}

/**
 * DX API v2's error body. Every item satisfies each of Pega's readers: both `erroneous...`
 * fields are strings on every item (the engine calls string methods on them unguarded), a
 * field item names its field and page as the engine reads them, and carries `Path` and
 * `ValidationMessage` for the mashup's inline match.
 */
export function dxErrorBody(error: AppError) {
  const status = dxStatus(error);
  const [classification, key] = DX_ERRORS[status] ?? ['Server error', 'Error_Server_Error'];
  const localizedValue = status === 422 ? 'Validation failed: Errors Detected.' : error.message;
  return {
    errorClassification: classification,
    localizedValue,
    errorDetails: [
      {
        message: key,
        localizedValue: error.message,
        erroneousInputOutputFieldInPage: '',
        erroneousInputOutputIdentifier: '',
      },
      // v1's `.content.Field` is v2's `.Field`: content is flat there.
      ...error.fields.map((field) => {
        const path = field.path.replace(/^\.content(?=\.)/, '');
        const { page, identifier } = placeOf(path);
        const shown = `${field.label ?? path.slice(1)}: ${field.message}`;
        return {
          message: field.message,
          localizedValue: shown,
          erroneousInputOutputFieldInPage: page,
          erroneousInputOutputIdentifier: identifier,
          Path: path,
          ValidationMessage: shown,
        };
      }),
    ],
  };
}

export function errorBody(error: AppError, format: ErrorFormat) {
  if (format === 'dx') return dxErrorBody(error);
  const pegaError = {
    ID: format === 'oauth' ? error.code : (error.pegaId ?? error.code),
    message: error.message,
    ...(error.fields.length > 0 && {
      // Pega's web client puts the message on the input whose data-ref the Path names, and
      // finds it by `erroneousInputOutputFieldInPage` and `localizedValue`: sent as Pega does.
      ValidationMessages: error.fields.map((field) => ({
        Path: field.path,
        ValidationMessage: field.message,
        ...(format === 'pega' && {
          erroneousInputOutputFieldInPage: field.path,
          localizedValue: field.message,
        }),
      })),
    }),
  };
  return format === 'oauth'
    ? { error: error.code, error_description: error.message, errors: [pegaError] }
    : { errors: [pegaError] };
}

export function errorResponse(c: Context, error: AppError): Response {
  const format = errorFormatFor(c.req.path);
  const status = format === 'dx' ? dxStatus(error) : error.status;
  const response = c.json(errorBody(error, format), status);
  for (const [name, value] of Object.entries(error.headers)) response.headers.set(name, value);
  // RFC 6749 §5.2 and every error here: never cache a refusal.
  response.headers.set('Cache-Control', 'no-store');
  response.headers.set('Pragma', 'no-cache');
  return response;
}

/** app.onError: AppErrors as they are; anything else logged here and answered without detail. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof AppError) return errorResponse(c, error);
  console.error('edgecase: unhandled error', c.req.method, c.req.path, error);
  return errorResponse(c, serverError());
}

export function handleNotFound(c: Context): Response {
  return errorResponse(c, notFound(`No route for ${c.req.method} ${c.req.path}.`));
}
