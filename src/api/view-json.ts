import { labelOf, PEGA_TYPES, TEXT_AREA_FROM } from '../case-api/fields';
import type { CaseContent, FieldDefinition } from '../domain/model';

/**
 * Pega DX view JSON (API v1) generated from field definitions: what Pega's clients render as
 * forms. Values travel as strings, dates as Pega's `YYYYMMDD`, as Pega sends them. Every
 * control has two modes (editable, read-only): Pega's web client reads the read-only one by
 * index and the length of the list.
 */

function controlOf(field: FieldDefinition) {
  const editable: Record<string, unknown> = { modeType: 'editable', tooltip: '' };
  const readOnly: Record<string, unknown> = { modeType: 'readOnly', tooltip: '' };
  switch (field.type) {
    case 'string':
      if (field.enum) {
        editable.listSource = 'locallist';
        editable.options = field.enum.map((value) => ({ key: value, value }));
        editable.placeholder = 'Select...';
        return { type: 'pxDropdown', modes: [editable, readOnly] };
      }
      if (field.maxLength) editable.maxChars = String(field.maxLength);
      return {
        type: (field.maxLength ?? Infinity) > TEXT_AREA_FROM ? 'pxTextArea' : 'pxTextInput',
        modes: [editable, readOnly],
      };
    case 'number':
      readOnly.numberSymbol = '';
      return { type: 'pxNumber', modes: [editable, readOnly] };
    case 'boolean':
      return { type: 'pxCheckbox', label: labelOf(field), modes: [editable, readOnly] };
    case 'date':
      readOnly.dateFormat = 'Date-Short';
      return { type: 'pxDateTime', modes: [editable, readOnly] };
  }
}

/** A value as Pega sends it: a string; a date as YYYYMMDD; nothing as "". */
function pegaValue(field: FieldDefinition, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.type === 'date' && typeof value === 'string') return value.replaceAll('-', '');
  return String(value);
}

export interface ViewField {
  field: FieldDefinition;
  required: boolean;
  readOnly: boolean;
}

function fieldView({ field, required, readOnly }: ViewField, content: CaseContent) {
  return {
    field: {
      reference: field.name,
      fieldID: field.name,
      label: labelOf(field),
      showLabel: true,
      labelReserveSpace: false,
      type: PEGA_TYPES[field.type],
      required: required && !readOnly,
      readOnly,
      disabled: false,
      validationMessages: '',
      value: pegaValue(field, content[field.name]),
      control: controlOf(field),
    },
  };
}

/** `groups`: one stacked layout holding a field group per field. */
export function viewGroups(fields: ViewField[], content: CaseContent) {
  return [
    {
      layout: {
        groupFormat: 'Stacked',
        layoutFormat: 'SIMPLELAYOUT',
        title: '',
        groups: fields.map((field) => fieldView(field, content)),
      },
    },
  ];
}
