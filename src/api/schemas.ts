import { z } from 'zod';

/** `POST /api/v1/cases` (Pega API v1). `caseTypeID` is checked by the domain for Pega_API_004. */
export const createCaseSchema = z.strictObject({
  caseTypeID: z.string().min(1).max(200).optional(),
  processID: z.string().min(1).max(64).optional(),
  parentCaseID: z.string().min(1).max(200).optional(),
  content: z.record(z.string(), z.unknown()).optional(),
});

/** `PUT /api/v1/cases/{ID}`: content to merge into the case. */
export const updateCaseSchema = z.strictObject({
  content: z.record(z.string(), z.unknown()),
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
