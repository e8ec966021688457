import { assignmentIdOf, screenIdOf, screensAt, stepIndexIn } from '../domain/flow';
import type { Case, CaseType, FlowStep } from '../domain/model';
import { lifeCycleOf } from '../domain/stages';
import { componentOf, type FormField, fieldResource } from './ui-fields';

/**
 * DX API v2's `uiResources`, built from the case type alone: a view per form, named by its flow
 * action's ID (Pega's web client PATCHes `/actions/<root view name>` next), its fields as
 * Constellation components, and `resources.fields` describing each field (type, label, length,
 * the options of an enum).
 */

type Template = 'DefaultForm' | 'Details';

/** Where a form of an open assignment is: its screens (a multi-step form has several). */
export interface FormPlace {
  assignmentId: string;
  screens: FlowStep[];
  /** The screen shown, from 0. */
  at: number;
  /** In the create stage, a form offers no Save for later (Pega's rule). */
  creating: boolean;
}

/** The open assignment's place in its form, for a case at a step. */
export function formPlace(caseType: CaseType, item: Case): FormPlace | undefined {
  const index = stepIndexIn(caseType.flow, item);
  if (index === null) return undefined;
  const { first, last } = screensAt(caseType.flow, index);
  const [create] = lifeCycleOf(caseType);
  return {
    assignmentId: assignmentIdOf(item),
    screens: caseType.flow.slice(first, last + 1),
    at: index - first,
    creating: create?.indexes.includes(index) ?? false,
  };
}

const navigationLink = (assignmentId: string, stepId: string, title: string) => ({
  rel: 'self',
  href: `assignments/${encodeURIComponent(assignmentId)}/navigation_steps/${stepId}`,
  type: 'PATCH',
  title,
});

/** A multi-step form's step indicator: every screen, and a link to each but the current. */
function navigationOf({ assignmentId, screens, at }: FormPlace) {
  return {
    template: 'Horizontal',
    steps: screens.map((screen, position) => ({
      ID: screenIdOf(position),
      name: screen.name,
      actionID: screen.action.ID,
      allow_jump: position < at,
      visited_status: position < at ? 'success' : position === at ? 'current' : 'future',
      ...(position !== at && {
        links: { open: navigationLink(assignmentId, screenIdOf(position), `Go to ${screen.name}`) },
      }),
    })),
  };
}

/** Next on all but a form's last screen, then Submit; Previous from its second; Save for later. */
function buttonsOf(place: FormPlace | undefined) {
  const last = !place || place.at === place.screens.length - 1;
  return {
    main: [
      last
        ? { jsAction: 'finishAssignment', name: 'Submit', actionID: 'submit' }
        : { jsAction: 'finishAssignment', name: 'Next', actionID: 'next' },
    ],
    secondary: [
      ...(place && place.at > 0
        ? [
            {
              jsAction: 'navigateToStep',
              name: 'Previous',
              actionID: 'back',
              links: { open: navigationLink(place.assignmentId, 'previous', 'Previous') },
            },
          ]
        : []),
      ...(place && !place.creating
        ? [{ jsAction: 'saveAssignment', name: 'Save for later', actionID: 'save' }]
        : []),
      { jsAction: 'cancelAssignment', name: 'Cancel', actionID: 'cancel' },
    ],
  };
}

function resources(
  caseType: CaseType,
  name: string,
  template: Template,
  fields: FormField[],
  place?: FormPlace,
) {
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
    ...(!readOnly && { actionButtons: buttonsOf(place) }),
    ...(place && place.screens.length > 1 && { navigation: navigationOf(place) }),
  };
}

/** The form of a flow step: its fields, required as the step says, named by its action. */
export function stepForm(caseType: CaseType, step: FlowStep, place?: FormPlace) {
  const byName = new Map(caseType.fields.map((field) => [field.name, field]));
  const fields = step.fields.flatMap(({ name, required }) => {
    const field = byName.get(name);
    return field ? [{ field, required }] : [];
  });
  return resources(caseType, step.action.ID, 'DefaultForm', fields, place);
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
export function embeddedPage(caseType: CaseType, step: FlowStep, place?: FormPlace) {
  const form = stepForm(caseType, step, place);
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

/**
 * The uiResources of a case's open assignment `assignmentId` (its main flow's by default) at
 * `step`, for a `viewType`. An assignment beside the main flow is one screen, never in the
 * create stage's form.
 */
export function stepResources(
  caseType: CaseType,
  item: Case,
  step: FlowStep,
  viewType: ViewType,
  assignmentId = assignmentIdOf(item),
) {
  if (viewType === 'none') return undefined;
  const place =
    assignmentId === assignmentIdOf(item)
      ? formPlace(caseType, item)
      : { assignmentId, screens: [step], at: 0, creating: false };
  return viewType === 'page'
    ? embeddedPage(caseType, step, place)
    : stepForm(caseType, step, place);
}
