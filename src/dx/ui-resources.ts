import { labelOf, PEGA_TYPES, TEXT_AREA_FROM } from '../case-api/fields';
import type { CaseType, FieldDefinition, FlowStep } from '../domain/model';

/**
 * DX API v2's `uiResources`, built from the case type alone: a view per form, named by its flow
 * action's ID (Pega's web client PATCHes `/actions/<root view name>` next), its fields as
 * Constellation components, and `resources.fields` describing each field (type, label, length,
 * the options of an enum).
 */

interface FormField {
  field: FieldDefinition;
  required: boolean;
}

const pegaProperty = (field: FieldDefinition) => `@P .${field.name}`;
const pegaLabel = (text: string) => `@L ${text}`;

/** The Constellation component that edits (or shows) a field of this type. */
function componentOf({ field, required }: FormField, readOnly: boolean) {
  const config: Record<string, unknown> = {
    value: pegaProperty(field),
    label: pegaLabel(labelOf(field)),
  };
  if (readOnly) config.readOnly = true;
  // A checkbox that is required could only be ticked: `required` there means nothing here.
  if (required && !readOnly && field.type !== 'boolean') config.required = true;
  switch (field.type) {
    case 'string':
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
function fieldResource(caseType: CaseType, field: FieldDefinition) {
  return [
    {
      classID: caseType.id,
      type: PEGA_TYPES[field.type],
      label: labelOf(field),
      ...(field.maxLength && { maxLength: field.maxLength }),
      ...(field.enum && {
        datasource: {
          tableType: 'PromptList',
          records: field.enum.map((value) => ({ key: value, value })),
        },
      }),
    },
  ];
}

type Template = 'DefaultForm' | 'Details';

function resources(caseType: CaseType, name: string, template: Template, fields: FormField[]) {
  const readOnly = template === 'Details';
  const children = fields.map((field) => componentOf(field, readOnly));
  return {
    root: { type: 'reference', config: { type: 'view', name, context: 'caseInfo.content' } },
    resources: {
      views: {
        [name]: [
          {
            name,
            type: 'View',
            classID: caseType.id,
            config: { template, NumCols: '1', ruleClass: caseType.id },
            children: [{ name: 'Fields', type: 'Region', children }],
          },
        ],
      },
      fields: Object.fromEntries(
        fields.map(({ field }) => [field.name, fieldResource(caseType, field)]),
      ),
    },
    components: [template, ...new Set(children.map((child) => child.type))],
    ...(!readOnly && {
      actionButtons: {
        main: [{ jsAction: 'finishAssignment', name: 'Submit', actionID: 'submit' }],
        secondary: [{ jsAction: 'cancelAssignment', name: 'Cancel', actionID: 'cancel' }],
      },
    }),
  };
}

/** The form of a flow step: its fields, required as the step says, named by its action. */
export function stepForm(caseType: CaseType, step: FlowStep) {
  const byName = new Map(caseType.fields.map((field) => [field.name, field]));
  const fields = step.fields.flatMap(({ name, required }) => {
    const field = byName.get(name);
    return field ? [{ field, required }] : [];
  });
  return resources(caseType, step.action.ID, 'DefaultForm', fields);
}

/**
 * A form of the case type's fields under the action `name`: the creation form (required where
 * the starting process needs its fields to create) and pyUpdateCaseDetails (nothing required:
 * an edit merges what it sends). Fields closed to this write (flow.ts `closedFields`) are left
 * out: the write would refuse them.
 */
export const caseTypeForm = (
  caseType: CaseType,
  name: string,
  requireFields: boolean,
  closed: ReadonlyMap<string, string>,
) =>
  resources(
    caseType,
    name,
    'DefaultForm',
    caseType.fields
      .filter((field) => !closed.has(field.name))
      .map((field) => ({ field, required: requireFields && field.required })),
  );

/** A read-only view of every field (pyReview, pyDetails). */
export const reviewView = (caseType: CaseType, name: string) =>
  resources(
    caseType,
    name,
    'Details',
    caseType.fields.map((field) => ({ field, required: false })),
  );

/** `?viewType=`: no uiResources, the step's form, or the page the engine embeds it in. */
export type ViewType = 'none' | 'form' | 'page' | undefined;

const reference = (name: string, context?: string) => ({
  type: 'reference',
  config: { type: 'view', name, ...(context !== undefined && { context }) },
});

/** A view holding one region that holds one reference: how Pega nests its page views. */
const holder = (caseType: CaseType, name: string, child: object) => [
  {
    name,
    type: 'View',
    classID: caseType.id,
    config: { template: 'OneColumn', ruleClass: caseType.id },
    children: [{ name: 'A', type: 'Region', children: [child] }],
  },
];

/**
 * Page mode, as Pega's Constellation engine embeds a case (`viewType=page`): the root is
 * `pyEmbedAssignment`, which holds `pyCaseWorkarea`, which holds the flow container; the flow
 * container draws the view `caseInfo.content.pyViewName` names, the step's form.
 */
export function embeddedPage(caseType: CaseType, step: FlowStep) {
  const form = stepForm(caseType, step);
  return {
    ...form,
    root: reference('pyEmbedAssignment', 'caseInfo.content'),
    resources: {
      ...form.resources,
      views: {
        ...form.resources.views,
        pyEmbedAssignment: holder(caseType, 'pyEmbedAssignment', reference('pyCaseWorkarea')),
        pyCaseWorkarea: holder(caseType, 'pyCaseWorkarea', reference('pzFlowContainer')),
        pzFlowContainer: [
          {
            name: 'pzFlowContainer',
            type: 'FlowContainer',
            config: { name: 'workarea', routingInfo: '@ROUTING_INFO' },
            children: [reference('@P .pyViewName', '@P .pyViewContext')],
          },
        ],
      },
    },
    components: [...form.components, 'OneColumn', 'Region', 'FlowContainer'],
    context_data: {},
  };
}

/** The uiResources of an open step for a `viewType`. */
export const stepResources = (caseType: CaseType, step: FlowStep, viewType: ViewType) =>
  viewType === 'none'
    ? undefined
    : viewType === 'page'
      ? embeddedPage(caseType, step)
      : stepForm(caseType, step);
