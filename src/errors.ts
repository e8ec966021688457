import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A field-level problem, rendered as Pega's `ValidationMessages`. */
export interface FieldIssue {
  path: string;
  message: string;
}

interface AppErrorOptions {
  /** Pega's error ID where one exists (`Pega_API_001` ...); else `code` is used. */
  pegaId?: string;
  fields?: FieldIssue[];
  headers?: Record<string, string>;
}

/**
 * The one error type the app throws on purpose. `code` is the machine-readable reason
 * (an RFC 6749 / 6750 code where one applies), `message` is safe to show a client.
 * src/http/errors.ts renders it in the wire format of the route family.
 */
export class AppError extends Error {
  readonly pegaId: string | undefined;
  readonly fields: FieldIssue[];
  readonly headers: Record<string, string>;

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.pegaId = options.pegaId;
    this.fields = options.fields ?? [];
    this.headers = options.headers ?? {};
  }
}

// RFC 6749 §5.2 token endpoint errors.
export const invalidRequest = (message: string, fields?: FieldIssue[]) =>
  new AppError(400, 'invalid_request', message, { pegaId: 'Pega_API_001', fields });

export const invalidScope = (message: string) => new AppError(400, 'invalid_scope', message);

export const invalidTarget = (message: string) => new AppError(400, 'invalid_target', message);

export const unsupportedGrantType = (message: string) =>
  new AppError(400, 'unsupported_grant_type', message);

export const unauthorizedClient = (message: string) =>
  new AppError(400, 'unauthorized_client', message);

/** The same words whether the client ID or the secret was wrong (never say which). */
export const invalidClient = (triedBasic: boolean) =>
  new AppError(401, 'invalid_client', 'Client authentication failed.', {
    headers: triedBasic ? { 'WWW-Authenticate': 'Basic realm="edgecase", charset="UTF-8"' } : {},
  });

export const serverError = (message = 'The server is not able to handle this request now.') =>
  new AppError(503, 'server_error', message);

// Generic HTTP errors shared by the admin and case APIs.
export const notFound = (message = 'Not found.', pegaId?: string) =>
  new AppError(404, 'not_found', message, { pegaId });

export const conflict = (message: string) => new AppError(409, 'conflict', message);

// 413 and 415 carry `invalid_request`: OAuth clients understand no other code for them.
export const unsupportedMediaType = (expected: string) =>
  new AppError(415, 'invalid_request', `Content-Type must be ${expected}.`, {
    pegaId: 'Pega_API_001',
  });

export const payloadTooLarge = (limitBytes: number) =>
  new AppError(413, 'invalid_request', `The request body is larger than ${limitBytes} bytes.`, {
    pegaId: 'Pega_API_001',
  });

export const httpsRequired = () =>
  new AppError(403, 'invalid_request', 'HTTPS with TLS 1.2 or newer is required.', {
    pegaId: 'https_required',
  });
