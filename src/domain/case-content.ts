import { type FieldIssue, fieldIssues, validationFailed } from '../errors';
import * as z from '../zod';
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

/**
 * Pega's clients send every value as a string: numbers as `"42"`, booleans as `"true"`, dates
 * as `MM/DD/YYYY` (its web client) or `YYYYMMDD` (Pega's own format); an emptied input as
 * `""`. Those forms are accepted and stored typed (`42`, `true`, `YYYY-MM-DD`); `""` for a
 * non-text field clears it.
 */
const fromPegaNumber = (value: unknown) =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;

const fromPegaBoolean = (value: unknown) =>
  value === 'true' ? true : value === 'false' ? false : value;

function fromPegaDate(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (us) return `${us[3]}-${us[1]}-${us[2]}`;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  return value;
}

/** `""` for a field that is not text: no value. */
const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

function fieldSchema(field: FieldDefinition): z.ZodMiniType {
  switch (field.type) {
    case 'string': {
      if (field.enum) return z.enum(field.enum as [string, ...string[]]);
      const text = z.string();
      return field.maxLength ? text.check(z.maxLength(field.maxLength)) : text;
    }
    case 'number':
      return z.pipe(
        z.transform((value) => fromPegaNumber(emptyToUndefined(value))),
        z.optional(z.number()),
      );
    case 'boolean':
      return z.pipe(
        z.transform((value) => fromPegaBoolean(emptyToUndefined(value))),
        z.optional(z.boolean()),
      );
    case 'date':
      return z.pipe(
        z.transform((value) => fromPegaDate(emptyToUndefined(value))),
        z.optional(z.iso.date()),
      );
  }
}

/**
 * The schemas built, by the fields they check: a case type's fields are one array for as long as
 * the isolate caches that version of the type (domain/case-type-cache.ts), so each write reuses
 * its schema instead of building it anew (#28: building it was ~45 µs of a write's zod time).
 */
const schemas = new WeakMap<FieldDefinition[], z.ZodMiniType>();

/** Values for the defined fields, each optional: types, lengths, enums, and no unknown names. */
function valuesSchema(fields: FieldDefinition[]) {
  let schema = schemas.get(fields);
  if (!schema) {
    schema = z.strictObject(
      Object.fromEntries(fields.map((field) => [field.name, z.optional(fieldSchema(field))])),
    );
    schemas.set(fields, schema);
  }
  return schema;
}

/** Each issue with its field's label, where the path names a defined field. */
function contentError(issues: FieldIssue[], fields: FieldDefinition[]) {
  const labels = new Map(fields.map((field) => [`.${field.name}`, field.label ?? field.name]));
  return validationFailed(
    'The case content is invalid.',
    issues.map((issue) => ({ ...issue, label: labels.get(issue.path) })),
  );
}

/** Fields a write may not set here, each with the reason (flow.ts `closedFields`). */
export type ClosedFields = ReadonlyMap<string, string>;

const NONE_CLOSED: ClosedFields = new Map();

/**
 * Values sent for a case, checked against its type and against the fields closed to this write;
 * Pega_API_001 with a message per field.
 */
function checkValues(
  fields: FieldDefinition[],
  values: unknown,
  closed: ClosedFields = NONE_CLOSED,
): CaseContent {
  const parsed = valuesSchema(fields).safeParse(values);
  const issues = parsed.success
    ? []
    : fieldIssues(parsed.error).map((issue) =>
        issue.path === '.' ? { ...issue, path: '.content' } : issue,
      );
  if (closed.size > 0 && typeof values === 'object' && values !== null) {
    for (const name of Object.keys(values)) {
      const reason = closed.get(name);
      if (reason) issues.push({ path: `.${name}`, message: reason });
    }
  }
  if (!parsed.success || issues.length > 0) throw contentError(issues, fields);
  return parsed.data as CaseContent;
}

function checkSize(content: CaseContent): CaseContent {
  const bytes = new TextEncoder().encode(JSON.stringify(content)).byteLength;
  if (bytes > MAX_CONTENT_BYTES) {
    throw contentError(
      [
        {
          path: '.content',
          message: `The case content would be ${bytes} bytes; a case stores at most ${MAX_CONTENT_BYTES}.`,
        },
      ],
      [],
    );
  }
  return content;
}

/** Pega's words for a required value that is absent or empty. */
export const BLANK = 'Value cannot be blank.';

/** No value, or text of spaces only (Pega counts a required text of spaces as blank). */
const isBlank = (value: unknown) =>
  value === undefined || (typeof value === 'string' && value.trim() === '');

/** A validation failure for each of `required` (names of `fields`) that is blank in `content`. */
export function requireValues(
  content: CaseContent,
  fields: FieldDefinition[],
  required: string[],
): void {
  const blank = required.filter((name) => isBlank(content[name]));
  if (blank.length > 0) {
    throw contentError(
      blank.map((name) => ({ path: `.${name}`, message: BLANK })),
      fields,
    );
  }
}

/**
 * A new case's content: valid values within the size cap, none of the fields closed to its
 * creator, and, where the starting process requires fields to create, every required field the
 * creator may set.
 */
export function newCaseContent(
  fields: FieldDefinition[],
  values: unknown,
  options: { requireFields: boolean; closed: ClosedFields },
): CaseContent {
  const content = checkValues(fields, values, options.closed);
  if (options.requireFields) {
    requireValues(
      content,
      fields,
      fields
        .filter((field) => field.required && !options.closed.has(field.name))
        .map((field) => field.name),
    );
  }
  return checkSize(content);
}

/**
 * The values an update sends, checked against the case type as mergedCaseContent checks them,
 * as a JSON merge patch: null for each value it clears. For a merge made in SQL.
 */
export function checkedChanges(
  fields: FieldDefinition[],
  changes: unknown,
  closed: ClosedFields,
): Record<string, string | number | boolean | null> {
  return Object.fromEntries(
    Object.entries(checkValues(fields, changes, closed)).map(([name, value]) => [
      name,
      value ?? null,
    ]),
  );
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
  closed: ClosedFields = NONE_CLOSED,
): CaseContent {
  return checkSize({ ...stored, ...checkValues(fields, changes, closed) });
}
