import type { FieldDefinition } from '../domain/model';

/** How both case APIs show a case type's field to Pega's clients: v1's view JSON, v2's uiResources. */

/** Strings longer than this get a text area. */
export const TEXT_AREA_FROM = 256;

export const labelOf = (field: FieldDefinition) => field.label ?? field.name;

/** Pega's property type of each field type. */
export const PEGA_TYPES = {
  string: 'Text',
  number: 'Decimal',
  boolean: 'True-False',
  date: 'Date',
};
