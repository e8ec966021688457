import { contentSchema, pageInstructionsSchema } from '../case-api/schemas';
import { MAX_RECORDS } from '../domain/model';
import { integerParam, numericCursor } from '../http/validation';
import * as z from '../zod';

/** Request schemas of Pega API v1 alone; those both APIs take are in case-api/schemas.ts. */

/** `PUT /api/v1/cases/{ID}`: content to merge into the case. */
export const updateCaseSchema = z.strictObject({
  content: contentSchema,
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
