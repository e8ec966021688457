import { MAX_RECORDS } from '../domain/model';
import { integerParam, numericCursor } from '../http/validation';
import * as z from '../zod';

/**
 * Pega's page instructions (`UPDATE`, `APPEND`, `DELETE` ... on an embedded page or list).
 * Parsed so that each can be answered with a field error: cases here have flat fields only.
 */
const pageInstructionSchema = z.looseObject({
  instruction: z.string().check(z.minLength(1), z.maxLength(32)),
  target: z.string().check(z.maxLength(200)),
});

const pageInstructionsSchema = z.optional(z.array(pageInstructionSchema).check(z.maxLength(100)));

/** Field values: names and values are checked against the case type by the domain. */
const contentSchema = z.record(z.string(), z.unknown());

/** `POST /api/v1/cases` (Pega API v1). `caseTypeID` is checked by the domain for Pega_API_004. */
export const createCaseSchema = z.strictObject({
  caseTypeID: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  processID: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  parentCaseID: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  content: z.optional(contentSchema),
  pageInstructions: pageInstructionsSchema,
});

/** `PUT /api/v1/cases/{ID}`: content to merge into the case. */
export const updateCaseSchema = z.strictObject({
  content: contentSchema,
  pageInstructions: pageInstructionsSchema,
});

/** `POST /api/v1/assignments/{ID}`: the values the form changed. */
export const submitAssignmentSchema = z.strictObject({
  content: z._default(contentSchema, {}),
  pageInstructions: pageInstructionsSchema,
});

export const submitAssignmentQuerySchema = z.object({
  actionID: z.string().check(z.minLength(1), z.maxLength(64)),
  saveOnly: z._default(z.enum(['true', 'false']), 'false'),
});

export const listCasesQuerySchema = z.object({
  limit: z._default(integerParam(1, MAX_RECORDS), MAX_RECORDS),
  cursor: numericCursor,
});

/** Printable ASCII, as IETF's Idempotency-Key draft and Stripe use it. */
export const idempotencyKeySchema = z
  .string()
  .check(z.regex(/^[\x21-\x7e]{1,255}$/, 'printable ASCII, 1 to 255 characters'));

const attachmentName = z.string().check(z.trim(), z.minLength(1), z.maxLength(255));
const category = z.enum(['File', 'URL']);

/**
 * `POST /cases/{ID}/attachments`: uploads to link (`type: "File"`, the upload's `ID`; Pega's
 * web client also sends `fileType`) and links to add (`type: "URL"`).
 */
export const linkAttachmentsSchema = z.strictObject({
  attachments: z
    .array(
      z.discriminatedUnion('type', [
        z.strictObject({
          type: z.enum(['File', 'FILE']),
          category: z._default(category, 'File'),
          ID: z.string().check(z.minLength(1), z.maxLength(200)),
          name: z.optional(attachmentName),
          fileType: z.optional(z.string().check(z.maxLength(32))),
        }),
        z.strictObject({
          type: z.literal('URL'),
          category: z._default(category, 'URL'),
          name: attachmentName,
          url: z.httpUrl().check(z.maxLength(2048)),
        }),
      ]),
    )
    .check(z.minLength(1), z.maxLength(20)),
});

/** `GET /cases/{ID}/attachment_categories?type=File|URL` (any case). */
export const attachmentCategoriesQuerySchema = z.object({
  type: z.optional(z.string().check(z.maxLength(16))),
});
