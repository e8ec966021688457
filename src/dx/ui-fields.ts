import { labelOf, PEGA_TYPES, TEXT_AREA_FROM } from '../case-api/fields';
import type { CaseType, FieldDefinition } from '../domain/model';

/**
 * A field in DX API v2's `uiResources`: the Constellation component that edits or shows it, and
 * what `resources.fields` says of it (type, label, length, an enum's options, or the data view a
 * dropdown reads its options from).
 */

export interface FormField {
  field: FieldDefinition;
  required: boolean;
}

const pegaProperty = (field: FieldDefinition) => `@P .${field.name}`;
export const pegaLabel = (text: string) => `@L ${text}`;

/** The Constellation component that edits (or shows) a field of this type. */
export function componentOf({ field, required }: FormField, readOnly: boolean) {
  const config: Record<string, unknown> = {
    value: pegaProperty(field),
    label: pegaLabel(labelOf(field)),
  };
  if (readOnly) config.readOnly = true;
  // A checkbox that is required could only be ticked: `required` there means nothing here.
  if (required && !readOnly && field.type !== 'boolean') config.required = true;
  switch (field.type) {
    case 'string':
      if (field.dataSource) {
        // Pega's form of a list from a data page: the engine reads the view and fills
        // `datasource.source` with its rows (DX case model §7).
        const { dataView, value, text = value } = field.dataSource;
        config.listType = 'datapage';
        config.datasource = {
          source: `@DATASOURCE ${dataView}.pxResults`,
          fields: { key: `@P .${value}`, text: `@P .${text}`, value: `@P .${value}` },
        };
        config.placeholder = pegaLabel('Select...');
        return { type: 'Dropdown', config };
      }
      if (field.enum) {
        config.datasource = `@ASSOCIATED .${field.name}`;
        config.listType = 'associated';
        config.placeholder = pegaLabel('Select...');
        return { type: 'Dropdown', config };
      }
      if (field.maxLength) config.maxLength = field.maxLength;
      return {
        type: (field.maxLength ?? Infinity) > TEXT_AREA_FROM ? 'TextArea' : 'TextInput',
        config,
      };
    case 'number':
      return { type: 'Decimal', config };
    case 'boolean':
      config.caption = config.label;
      return { type: 'Checkbox', config };
    case 'date':
      return { type: 'Date', config };
  }
}

/** `resources.fields[name]`: what Pega's clients read of a field beside the view. */
export function fieldResource(caseType: CaseType, field: FieldDefinition) {
  return [
    {
      classID: caseType.id,
      type: PEGA_TYPES[field.type],
      label: labelOf(field),
      ...(field.maxLength && { maxLength: field.maxLength }),
      ...(field.dataSource && {
        datasource: {
          tableType: 'DataPage',
          name: field.dataSource.dataView,
          propertyForDisplayText: `@P .${field.dataSource.text ?? field.dataSource.value}`,
          propertyForValue: `@P .${field.dataSource.value}`,
        },
      }),
      ...(field.enum &&
        !field.dataSource && {
          datasource: {
            tableType: 'PromptList',
            records: field.enum.map((value) => ({ key: value, value })),
          },
        }),
    },
  ];
}
