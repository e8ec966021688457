import type { z } from 'zod';
import { fieldIssues, invalidRequest } from '../errors';

/** Parses query parameters, path parameters or form fields; 400 with the fields at fault. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidRequest(`The ${what} is invalid.`, fieldIssues(parsed.error));
  return parsed.data;
}
