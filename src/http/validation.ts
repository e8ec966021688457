import { fieldIssues, invalidRequest } from '../errors';
import * as z from '../zod';

/** Parses query parameters, path parameters or form fields; 400 with the fields at fault. */
export function parseInput<T extends z.ZodMiniType>(
  schema: T,
  input: unknown,
  what: string,
): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidRequest(`The ${what} is invalid.`, fieldIssues(parsed.error));
  return parsed.data;
}

/** A whole number in a query string, from `min` to `max`. */
export const integerParam = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  // z.int() is a schema and a check: as a check it keeps the coerced number's JSON Schema whole.
  z.coerce.number().check(z.int(), z.gte(min), z.lte(max));

/** A numeric page cursor (cases, the audit log): the last row seen. */
export const numericCursor = z.optional(integerParam(1));
