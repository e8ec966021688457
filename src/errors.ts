import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as z from './zod';

/** A field-level problem, rendered as Pega's `ValidationMessages` (v1) or `errorDetails` (v2). */
export interface FieldIssue {
  path: string;
  message: string;
  /** The field's label, where the case type gives one: DX API v2 names the field by it. */
  label?: string | undefined;
}

/** zod issues as Pega's ValidationMessages: `.Field.Sub` paths, one per unknown key too. */
export function fieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: `.${[...path, key].join('.')}`,
        message: 'Unknown field.',
      }));
    }
    return [{ path: `.${path.join('.')}`, message: issue.message }];
  });
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

/**
 * Values that break the case type's rules (types, lengths, enums, required fields): 400 with
 * Pega_API_001 in API v1, 422 "Validation fail" in DX API v2, a message per field either way.
 */
export const validationFailed = (message: string, fields: FieldIssue[]) =>
  new AppError(400, 'validation_failed', message, { pegaId: 'Pega_API_001', fields });

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

/** RFC 9449 §5 and §7: a DPoP proof that is missing, malformed, replayed or for another request. */
export const invalidDpopProof = (message: string, headers: Record<string, string> = {}) =>
  new AppError(400, 'invalid_dpop_proof', message, { headers });

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

// Pega API errors with Pega's IDs (contract §4).
export const caseTypeIdMissing = () =>
  new AppError(400, 'invalid_request', 'caseTypeID is required.', { pegaId: 'Pega_API_004' });

export const caseTypeNotFound = (status: 400 | 404, id: string) =>
  new AppError(status, 'not_found', `Case type ${id} not found.`, { pegaId: 'Pega_API_008' });

export const processNotFound = (processId: string, caseTypeId: string) =>
  new AppError(400, 'invalid_request', `Process ${processId} does not start ${caseTypeId}.`, {
    pegaId: 'Pega_API_009',
  });

export const caseNotFound = (id: string) =>
  new AppError(404, 'not_found', `Case ${id} not found.`, { pegaId: 'Pega_API_011' });

export const insufficientPrivilege = (message: string) =>
  new AppError(403, 'insufficient_privilege', message, { pegaId: 'Pega_API_019' });

export const ifMatchMissing = () =>
  new AppError(428, 'precondition_required', 'If-Match with the case ETag is required.', {
    pegaId: 'Pega_API_020',
  });

export const ifMatchMalformed = () =>
  new AppError(400, 'invalid_request', 'If-Match is empty: send the ETag, or leave it out.', {
    pegaId: 'Pega_API_001',
  });

export const ifMatchFailed = (what = 'case') =>
  new AppError(
    412,
    'precondition_failed',
    `If-Match does not match the current ETag of the ${what}.`,
    {
      pegaId: 'Pega_API_021',
    },
  );

/** A resolved case is closed, as in Pega: no update or action changes it any more. */
export const caseResolved = (id: string) =>
  new AppError(409, 'case_resolved', `Case ${id} is resolved; a resolved case cannot be changed.`, {
    pegaId: 'Pega_API_001',
  });

/** The token's client was disabled or revoked while the request ran: its write did not happen. */
export const principalChanged = () =>
  new AppError(401, 'invalid_token', 'The access token is invalid, expired or revoked.', {
    headers: { 'WWW-Authenticate': 'Bearer realm="edgecase", error="invalid_token"' },
  });

export const idempotencyKeyReused = () =>
  new AppError(
    422,
    'idempotency_key_reused',
    'This Idempotency-Key was used for a different request.',
    {
      pegaId: 'Pega_API_001',
    },
  );
