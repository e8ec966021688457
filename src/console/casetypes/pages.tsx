// Longer than 300 lines on purpose: every page of the case types (list, the definition form with its fields and flow, detail); they share the form's types and its parts.
import {
  type CaseType,
  FIELD_TYPES,
  type Operator,
  type ParticipantRole,
  type StageDefinition,
} from '../../domain/model';
import { lifeCycleOf } from '../../domain/stages';
import type { FieldIssue } from '../../errors';
import { Errors, Field } from '../layout';

/** Blank rows offered for new fields and steps each time the form is shown. */
const SPARE_ROWS = 2;

/** What the case type form holds: the definition as far as it has been typed. */
export interface CaseTypeForm {
  ID: string;
  /** The version the form was loaded at ('' for a new type): a stale save is refused. */
  version: string;
  name: string;
  idPrefix: string;
  requiresFieldsToCreate: boolean;
  fields: {
    name: string;
    label: string;
    type: string;
    required: boolean;
    maxLength: string;
    enum: string;
    /** Kept in an index for data view filters. */
    queryable: boolean;
    /** A dropdown's data source as the API's JSON, kept as it is ('' for none). */
    dataSource: string;
  }[];
  flow: {
    ID: string;
    name: string;
    instructions: string;
    fields: string[];
    required: string[];
    actionID: string;
    actionName: string;
    routeTo: string;
    nextScreen: boolean;
  }[];
  /** The stages, a line each: `ID | name | Primary or Alternate | resolution status | steps`. */
  stages: string;
  /** The optional processes as the admin API's JSON (few, and each a whole step). */
  processes: string;
  /** The participant roles, a line each: `ID | name`, and `| one` for a one-holder role. */
  participantRoles: string;
}

/** A participant role as a line of the form's roles text. */
const roleLine = (role: ParticipantRole) =>
  [role.ID, role.name, ...(role.single ? ['one'] : [])].join(' | ');

/** The roles text as the API's roles; anything but `one` after the name goes to the API to refuse. */
const rolesOfText = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [ID = '', name = '', single = ''] = line.split('|').map((part) => part.trim());
      return { ID, name, ...(single && { single: single === 'one' ? true : single }) };
    });

/** A JSON text area as the API's value: the JSON, or the text itself for the API to refuse. */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const STAGE_PARTS = 5;

/** A stage as a line of the form's stages text. */
const stageLine = (stage: StageDefinition) =>
  [stage.ID, stage.name, stage.type, stage.resolutionStatus ?? '', stage.steps.join(', ')].join(
    ' | ',
  );

/** The stages text as the API's stages; a line with too few parts is kept for the API to refuse. */
function stagesOfText(text: string) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [ID = '', name = '', type = '', resolutionStatus = '', steps = ''] = line
        .split('|')
        .map((part) => part.trim());
      return {
        ID,
        name,
        type: line.split('|').length === STAGE_PARTS ? type : '',
        ...(resolutionStatus && { resolutionStatus }),
        steps: steps
          .split(',')
          .map((step) => step.trim())
          .filter(Boolean),
      };
    });
}

export function caseTypeForm(caseType: CaseType): CaseTypeForm {
  return {
    ID: caseType.id,
    version: String(caseType.version),
    name: caseType.name,
    idPrefix: caseType.idPrefix,
    requiresFieldsToCreate:
      caseType.startingProcesses.find((process) => process.ID === 'pyStartCase')
        ?.requiresFieldsToCreate === true,
    fields: caseType.fields.map((field) => ({
      name: field.name,
      label: field.label ?? '',
      type: field.type,
      required: field.required,
      maxLength: field.maxLength ? String(field.maxLength) : '',
      enum: field.enum?.join(', ') ?? '',
      queryable: field.queryable === true,
      dataSource: field.dataSource ? JSON.stringify(field.dataSource) : '',
    })),
    flow: caseType.flow.map((step) => ({
      ID: step.ID,
      name: step.name,
      instructions: step.instructions,
      fields: step.fields.map((field) => field.name),
      required: step.fields.filter((field) => field.required).map((field) => field.name),
      actionID: step.action.ID,
      actionName: step.action.name,
      routeTo: step.routeTo ?? '',
      nextScreen: step.nextScreen === true,
    })),
    stages: caseType.stages?.map(stageLine).join('\n') ?? '',
    processes: caseType.processes ? JSON.stringify(caseType.processes, null, 2) : '',
    participantRoles: caseType.participantRoles?.map(roleLine).join('\n') ?? '',
  };
}

export const emptyCaseTypeForm = (): CaseTypeForm => ({
  ID: '',
  version: '',
  name: '',
  idPrefix: '',
  requiresFieldsToCreate: false,
  fields: [],
  flow: [],
  stages: '',
  processes: '',
  participantRoles: '',
});

/** The form's rows as the API's case type body: validated by the same schema as the API. */
export function caseTypeBody(form: CaseTypeForm) {
  return {
    ID: form.ID,
    name: form.name,
    idPrefix: form.idPrefix,
    startingProcesses: [
      {
        ID: 'pyStartCase',
        name: 'Create',
        ...(form.requiresFieldsToCreate && { requiresFieldsToCreate: true }),
      },
    ],
    fields: form.fields.map((field) => ({
      name: field.name,
      ...(field.label && { label: field.label }),
      type: field.type,
      required: field.required,
      ...(field.maxLength && { maxLength: Number(field.maxLength) }),
      ...(field.enum && {
        enum: field.enum
          .split(',')
          .map((value) => value.trim())
          .filter(Boolean),
      }),
      ...(field.queryable && { queryable: true }),
      ...(field.dataSource && { dataSource: jsonOrText(field.dataSource) }),
    })),
    ...(form.flow.length > 0 && {
      flow: form.flow.map((step) => ({
        ID: step.ID,
        name: step.name,
        instructions: step.instructions,
        fields: step.fields.map((name) => ({ name, required: step.required.includes(name) })),
        action: { ID: step.actionID, name: step.actionName },
        ...(step.routeTo && { routeTo: step.routeTo }),
        ...(step.nextScreen && { nextScreen: true }),
      })),
    }),
    ...(form.stages.trim() && { stages: stagesOfText(form.stages) }),
    ...(form.processes.trim() && { processes: jsonOrText(form.processes) }),
    ...(form.participantRoles.trim() && { participantRoles: rolesOfText(form.participantRoles) }),
  };
}

/** Reads the posted form: numbered rows, a row without a name (or step ID) is left out. */
export function readCaseTypeForm(form: URLSearchParams, id?: string): CaseTypeForm {
  const value = (name: string) => form.get(name)?.trim() ?? '';
  const rows = (prefix: string) =>
    [
      ...new Set(
        [...form.keys()].flatMap(
          (key) => key.match(new RegExp(`^${prefix}\\.(\\d+)\\.`))?.[1] ?? [],
        ),
      ),
    ]
      .map(Number)
      .sort((a, b) => a - b);
  return {
    ID: id ?? value('ID'),
    version: value('version'),
    name: value('name'),
    idPrefix: value('idPrefix'),
    requiresFieldsToCreate: form.has('requiresFieldsToCreate'),
    fields: rows('field')
      .map((i) => ({
        name: value(`field.${i}.name`),
        label: value(`field.${i}.label`),
        type: value(`field.${i}.type`),
        required: form.has(`field.${i}.required`),
        maxLength: value(`field.${i}.maxLength`),
        queryable: form.has(`field.${i}.queryable`),
        dataSource: value(`field.${i}.dataSource`),
        enum: value(`field.${i}.enum`),
      }))
      .filter((field) => field.name),
    flow: rows('step')
      .map((i) => ({
        ID: value(`step.${i}.ID`),
        name: value(`step.${i}.name`),
        instructions: value(`step.${i}.instructions`),
        fields: form.getAll(`step.${i}.fields`),
        required: form.getAll(`step.${i}.required`),
        actionID: value(`step.${i}.actionID`),
        actionName: value(`step.${i}.actionName`),
        routeTo: value(`step.${i}.routeTo`),
        nextScreen: form.has(`step.${i}.nextScreen`),
      }))
      .filter((step) => step.ID),
    stages: value('stages'),
    processes: value('processes'),
    participantRoles: value('participantRoles'),
  };
}

/**
 * Create or edit a case type. Types, routing and a step's fields are chosen, not typed, so the
 * form can only name what exists; the rest is checked by the API's own schema on save.
 */
export function CaseTypeEditor(props: {
  form: CaseTypeForm;
  operators: Operator[];
  editing: boolean;
  message?: string | undefined;
  fields?: FieldIssue[] | undefined;
}) {
  const { form } = props;
  const fieldRows = [...form.fields, ...Array.from({ length: SPARE_ROWS }, () => undefined)];
  const stepRows = [...form.flow, ...Array.from({ length: SPARE_ROWS }, () => undefined)];
  const definedFields = form.fields.map((field) => field.name);
  const action = props.editing
    ? `/admin/casetypes/${encodeURIComponent(form.ID)}/edit`
    : '/admin/casetypes/new';
  return (
    <>
      <h1>{props.editing ? `Case type ${form.name}` : 'New case type'}</h1>
      <Errors message={props.message} fields={props.fields} />
      <form method="post" action={action}>
        {props.editing && <input type="hidden" name="version" value={form.version} />}
        <div class="card">
          {!props.editing && (
            <Field
              name="ID"
              label="Class (ID)"
              required
              placeholder="Org-App-Work-Request"
              value={form.ID}
            />
          )}
          <Field name="name" label="Name" required value={form.name} />
          <Field
            name="idPrefix"
            label="Case ID prefix"
            required
            placeholder="R-"
            value={form.idPrefix}
          />
          <label class="inline">
            <input
              type="checkbox"
              name="requiresFieldsToCreate"
              checked={form.requiresFieldsToCreate}
            />
            Creating a case needs its required fields (else the first assignment asks for them)
          </label>
        </div>
        <h2>Fields</h2>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Label</th>
              <th>Type</th>
              <th>Required to create</th>
              <th>Max length</th>
              <th>Choices (comma-separated)</th>
              <th>Queryable</th>
            </tr>
          </thead>
          <tbody>
            {fieldRows.map((field, i) => (
              <tr>
                <td>
                  <input
                    type="text"
                    name={`field.${i}.name`}
                    value={field?.name ?? ''}
                    aria-label="Field name"
                  />
                </td>
                <td>
                  <input
                    type="text"
                    name={`field.${i}.label`}
                    value={field?.label ?? ''}
                    aria-label="Label"
                  />
                </td>
                <td>
                  <select name={`field.${i}.type`} aria-label="Type">
                    {FIELD_TYPES.map((type) => (
                      <option value={type} selected={field?.type === type}>
                        {type}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    name={`field.${i}.required`}
                    checked={field?.required}
                    aria-label="Required"
                  />
                </td>
                <td>
                  <input
                    type="number"
                    min={1}
                    name={`field.${i}.maxLength`}
                    value={field?.maxLength ?? ''}
                    aria-label="Max length"
                  />
                </td>
                <td>
                  <input
                    type="text"
                    name={`field.${i}.enum`}
                    value={field?.enum ?? ''}
                    aria-label="Choices"
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    name={`field.${i}.queryable`}
                    checked={field?.queryable}
                    aria-label="Queryable"
                  />
                  {field?.dataSource && (
                    <input type="hidden" name={`field.${i}.dataSource`} value={field.dataSource} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="hint">A row without a name is left out. Save to get more rows.</p>
        <h2>Flow</h2>
        <p class="hint">
          One assignment per step, in order. No steps: one step collects every field, routed to the
          creator. A step's form offers the fields saved above.
        </p>
        {stepRows.map((step, i) => (
          <div class="card">
            <Field name={`step.${i}.ID`} label={`Step ${i + 1}: ID`} value={step?.ID} />
            <Field name={`step.${i}.name`} label="Name" value={step?.name} />
            <Field
              name={`step.${i}.instructions`}
              label="Instructions"
              value={step?.instructions}
            />
            <fieldset>
              <legend>Form: collects (and requires)</legend>
              {definedFields.map((name) => (
                <span>
                  <label class="inline">
                    <input
                      type="checkbox"
                      name={`step.${i}.fields`}
                      value={name}
                      checked={step?.fields.includes(name)}
                    />
                    {name}
                  </label>
                  <label class="inline">
                    <input
                      type="checkbox"
                      name={`step.${i}.required`}
                      value={name}
                      checked={step?.required.includes(name)}
                    />
                    required
                  </label>
                </span>
              ))}
            </fieldset>
            <Field
              name={`step.${i}.actionID`}
              label="Flow action ID and name"
              value={step?.actionID}
              placeholder="Submit"
            />
            <input
              type="text"
              name={`step.${i}.actionName`}
              value={step?.actionName ?? ''}
              placeholder="Submit"
              aria-label="Action name"
            />
            <label for={`step.${i}.routeTo`}>Routed to</label>
            <select id={`step.${i}.routeTo`} name={`step.${i}.routeTo`}>
              <option value="">the case's creator</option>
              {props.operators.map((operator) => (
                <option value={operator.id} selected={step?.routeTo === operator.id}>
                  {operator.id}
                </option>
              ))}
            </select>
            <label class="inline">
              <input type="checkbox" name={`step.${i}.nextScreen`} checked={step?.nextScreen} />
              The next screen of the step before it (one assignment: a multi-step form)
            </label>
          </div>
        ))}
        <h2>Stages</h2>
        <p class="hint">
          One stage a line:{' '}
          <code>ID | name | Primary or Alternate | resolution status | steps</code> (step IDs,
          comma-separated). The stages' steps, stage after stage, are the flow's in its order;
          primary stages first. Empty: one stage per step.
        </p>
        <textarea name="stages" rows={5} aria-label="Stages">
          {form.stages}
        </textarea>
        <h2>Optional processes</h2>
        <p class="hint">
          As the admin API takes them (JSON):{' '}
          <code>
            [{'{'}"ID", "name", "stage"?, "step"{'}'}]
          </code>
          , each a step of its own, started on a case as a further assignment. Empty: none.
        </p>
        <textarea name="processes" rows={5} aria-label="Optional processes">
          {form.processes}
        </textarea>
        <h2>Participant roles</h2>
        <p class="hint">
          One role a line: <code>ID | name</code>, and <code>| one</code> where one participant at
          most may hold it. Empty: none.
        </p>
        <textarea name="participantRoles" rows={3} aria-label="Participant roles">
          {form.participantRoles}
        </textarea>
        <div class="actions">
          <button type="submit">{props.editing ? 'Save case type' : 'Create case type'}</button>
          <a class="button secondary" href="/admin/casetypes">
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}

export function CaseTypeList(props: { caseTypes: CaseType[] }) {
  return (
    <>
      <h1>Case types</h1>
      <p>
        <a class="button" href="/admin/casetypes/new">
          New case type
        </a>
      </p>
      <table>
        <thead>
          <tr>
            <th>ID</th>
            <th>Name</th>
            <th>Prefix</th>
            <th>Fields</th>
            <th>Flow</th>
          </tr>
        </thead>
        <tbody>
          {props.caseTypes.map((type) => (
            <tr>
              <td>
                <a href={`/admin/casetypes/${encodeURIComponent(type.id)}`}>{type.id}</a>
              </td>
              <td>{type.name}</td>
              <td>{type.idPrefix}</td>
              <td>{type.fields.map((field) => field.name).join(', ')}</td>
              <td>{type.flow.map((step) => step.name).join(' → ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function CaseTypeDetail(props: { caseType: CaseType; notice?: string | undefined }) {
  const { caseType } = props;
  return (
    <>
      <h1>{caseType.name}</h1>
      {props.notice && <div class="notice">{props.notice}</div>}
      <p>
        <code>{caseType.id}</code>, case IDs <code>{caseType.idPrefix}</code>…{' '}
        <a
          class="button secondary"
          href={`/admin/casetypes/${encodeURIComponent(caseType.id)}/edit`}
        >
          Edit
        </a>
      </p>
      <h2>Fields</h2>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Label</th>
            <th>Type</th>
            <th>Required to create</th>
            <th>Limits</th>
          </tr>
        </thead>
        <tbody>
          {caseType.fields.map((field) => (
            <tr>
              <td>{field.name}</td>
              <td>{field.label ?? field.name}</td>
              <td>{field.type}</td>
              <td>{field.required ? 'yes' : 'no'}</td>
              <td>
                {field.maxLength ? `at most ${field.maxLength} characters` : ''}
                {field.enum ? `one of ${field.enum.join(', ')}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Flow</h2>
      <table>
        <thead>
          <tr>
            <th>Step</th>
            <th>Instructions</th>
            <th>Form</th>
            <th>Action</th>
            <th>Routed to</th>
          </tr>
        </thead>
        <tbody>
          {caseType.flow.map((step) => (
            <tr>
              <td>{step.name}</td>
              <td>{step.instructions}</td>
              <td>
                {step.fields
                  .map((field) => `${field.name}${field.required ? ' (required)' : ''}`)
                  .join(', ')}
              </td>
              <td>{step.action.name}</td>
              <td>{step.routeTo ?? 'the case creator'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Stages</h2>
      <table>
        <thead>
          <tr>
            <th>Stage</th>
            <th>Type</th>
            <th>Steps</th>
            <th>Resolves as</th>
          </tr>
        </thead>
        <tbody>
          {lifeCycleOf(caseType).map((stage, index, all) => (
            <tr>
              <td>
                {stage.name} ({stage.ID})
              </td>
              <td>{stage.type}</td>
              <td>
                {stage.indexes
                  .map((at) => {
                    const step = caseType.flow[at];
                    return step ? `${step.name}${step.nextScreen ? ' (next screen)' : ''}` : '';
                  })
                  .join(' → ')}
              </td>
              <td>
                {stage.type === 'Alternate' ||
                index === all.filter((candidate) => candidate.type === 'Primary').length - 1
                  ? (stage.resolutionStatus ?? 'Resolved-Completed')
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
