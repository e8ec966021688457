import type { Context } from 'hono';
import { AppError, notFound, serverError } from '../errors';

/**
 * Two wire formats, chosen by path:
 * - `oauth` (RFC 6749 §5.2) for /oauth2 and /admin: `error`, `error_description`, and Pega's
 *   `errors` array beside them so a Pega client reads the same failure;
 * - `pega` for everything else: `{"errors": [{"ID", "message", "ValidationMessages"?}]}`.
 */
export type ErrorFormat = 'oauth' | 'pega';

export function errorFormatFor(path: string): ErrorFormat {
  return /^\/(oauth2|prweb\/PRRestService\/oauth2|admin)\//.test(path) ? 'oauth' : 'pega';
}

export function errorBody(error: AppError, format: ErrorFormat) {
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
  const response = c.json(errorBody(error, errorFormatFor(c.req.path)), error.status);
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
