import { z } from 'zod';
import { fieldIssues, invalidRequest } from '../errors';
import type { CaseContent, FieldDefinition } from './model';

/** A case's stored content, serialized, is at most this many bytes (D1 rows stop at 2 MB). */
export const MAX_CONTENT_BYTES = 64 * 1024;

/**
 * Names no field may have: they shadow Object.prototype, so a validator keyed by them would find
 * the inherited member (a function) where the field is absent.
 */
export const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Object.prototype),
);

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

/** Values for the defined fields, each optional: types, lengths, enums, and no unknown names. */
function valuesSchema(fields: FieldDefinition[]) {
  return z.strictObject(
    Object.fromEntries(fields.map((field) => [field.name, fieldSchema(field).optional()])),
  );
}

function contentError(issues: { path: string; message: string }[]) {
  return invalidRequest('The case content is invalid.', issues);
}

/** Values sent for a case, checked against its type; Pega_API_001 with a message per field. */
function checkValues(fields: FieldDefinition[], values: unknown): CaseContent {
  const parsed = valuesSchema(fields).safeParse(values);
  if (!parsed.success) {
    throw contentError(
      fieldIssues(parsed.error).map((issue) =>
        issue.path === '.' ? { ...issue, path: '.content' } : issue,
      ),
    );
  }
  return parsed.data as CaseContent;
}

function checkSize(content: CaseContent): CaseContent {
  const bytes = new TextEncoder().encode(JSON.stringify(content)).byteLength;
  if (bytes > MAX_CONTENT_BYTES) {
    throw contentError([
      {
        path: '.content',
        message: `The case content would be ${bytes} bytes; a case stores at most ${MAX_CONTENT_BYTES}.`,
      },
    ]);
  }
  return content;
}

/** A new case's content: valid values, every required field present, within the size cap. */
export function newCaseContent(fields: FieldDefinition[], values: unknown): CaseContent {
  const content = checkValues(fields, values);
  const missing = fields.filter((field) => field.required && content[field.name] === undefined);
  if (missing.length > 0) {
    throw contentError(missing.map((field) => ({ path: `.${field.name}`, message: 'Required.' })));
  }
  return checkSize(content);
}

/**
 * An update merged into a stored case. Only the values sent are checked against the case type
 * as it is now; stored values are kept as they are, including those of fields the type no
 * longer defines (or defines with another type), so a changed definition never freezes an
 * old case and nothing stored is lost. A PUT cannot remove a value, so `required` (enforced
 * at creation) is not checked again. The merged content must stay within the size cap.
 */
export function mergedCaseContent(
  fields: FieldDefinition[],
  stored: CaseContent,
  changes: unknown,
): CaseContent {
  return checkSize({ ...stored, ...checkValues(fields, changes) });
}
