import type { z } from 'zod';
import { type FieldIssue, invalidRequest } from '../errors';

/** zod issues as Pega's ValidationMessages: `.Field.Sub` paths. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? `.${issue.path.join('.')}` : '.',
    message: issue.message,
  }));
}

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
