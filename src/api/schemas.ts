import * as z from 'zod';

/**
 * Pega's page instructions (`UPDATE`, `APPEND`, `DELETE` ... on an embedded page or list).
 * Parsed so that each can be answered with a field error: cases here have flat fields only.
 */
const pageInstructionSchema = z.looseObject({
  instruction: z.string().min(1).max(32),
  target: z.string().max(200),
});

const pageInstructionsSchema = z.array(pageInstructionSchema).max(100);

/** Field values: names and values are checked against the case type by the domain. */
const contentSchema = z.record(z.string(), z.unknown());

/** `POST /api/v1/cases` (Pega API v1). `caseTypeID` is checked by the domain for Pega_API_004. */
export const createCaseSchema = z.strictObject({
  caseTypeID: z.string().min(1).max(200).optional(),
  processID: z.string().min(1).max(64).optional(),
  parentCaseID: z.string().min(1).max(200).optional(),
  content: contentSchema.optional(),
  pageInstructions: pageInstructionsSchema.optional(),
});

/** `PUT /api/v1/cases/{ID}`: content to merge into the case. */
export const updateCaseSchema = z.strictObject({
  content: contentSchema,
  pageInstructions: pageInstructionsSchema.optional(),
});

/** `POST /api/v1/assignments/{ID}`: the values the form changed. */
export const submitAssignmentSchema = z.strictObject({
  content: contentSchema.default({}),
  pageInstructions: pageInstructionsSchema.optional(),
});

export const submitAssignmentQuerySchema = z.object({
  actionID: z.string().min(1).max(64),
  saveOnly: z.enum(['true', 'false']).default('false'),
});

export const listCasesQuerySchema = z.object({
  // Pega's pyMaxRecords: at most 500 per page.
  limit: z.coerce.number().int().min(1).max(500).default(500),
  cursor: z.coerce.number().int().positive().optional(),
});

/** Printable ASCII, as IETF's Idempotency-Key draft and Stripe use it. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'printable ASCII, 1 to 255 characters');
