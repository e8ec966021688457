import { z } from 'zod';
import { fieldIssues, invalidRequest } from '../errors';
import type { CaseContent, FieldDefinition } from './model';

function fieldSchema(field: FieldDefinition): z.ZodType {
  switch (field.type) {
    case 'string': {
      if (field.enum) return z.enum(field.enum as [string, ...string[]]);
      const text = z.string();
      return field.maxLength ? text.max(field.maxLength) : text;
    }
    case 'number':
      return z.number();
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.iso.date();
  }
}

/** A case type's field definitions as a zod validator: unknown fields, wrong types, missing required. */
export function contentSchema(fields: FieldDefinition[]) {
  const shape = Object.fromEntries(
    fields.map((field) => [
      field.name,
      field.required ? fieldSchema(field) : fieldSchema(field).optional(),
    ]),
  );
  return z.strictObject(shape);
}

/** Validated content, or Pega_API_001 with a ValidationMessage per field at fault. */
export function validateContent(fields: FieldDefinition[], content: unknown): CaseContent {
  const parsed = contentSchema(fields).safeParse(content);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error).map((issue) =>
      issue.path === '.' ? { ...issue, path: '.content' } : issue,
    );
    throw invalidRequest('The case content is invalid.', issues);
  }
  return parsed.data as CaseContent;
}
