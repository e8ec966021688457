import type { Operator } from '../../domain/model';
import type { FieldIssue } from '../../errors';
import { Errors, Field, ScopeCheckboxes } from '../layout';

export interface OperatorForm {
  operatorID?: string;
  name?: string;
  groupName?: string;
  privileges?: string[];
  caseTypes?: string;
  caseVisibility?: string;
  /** The version the form was loaded at: saving it is refused once the operator moved on. */
  version?: string;
}

export const operatorForm = (operator: Operator): OperatorForm => ({
  version: String(operator.version),
  operatorID: operator.id,
  name: operator.name,
  groupName: operator.accessGroup.name,
  privileges: operator.accessGroup.privileges,
  caseTypes: operator.accessGroup.caseTypes.join(', '),
  caseVisibility: operator.accessGroup.caseVisibility,
});

export function OperatorList(props: { operators: Operator[] }) {
  return (
    <>
      <h1>Operators</h1>
      <p>
        <a class="button" href="/admin/operators/new">
          New operator
        </a>
      </p>
      <table>
        <thead>
          <tr>
            <th>Operator ID</th>
            <th>Name</th>
            <th>Access group</th>
            <th>Privileges</th>
            <th>Case types</th>
            <th>Sees</th>
          </tr>
        </thead>
        <tbody>
          {props.operators.map((operator) => (
            <tr>
              <td>
                <a href={`/admin/operators/${encodeURIComponent(operator.id)}`}>{operator.id}</a>
              </td>
              <td>{operator.name}</td>
              <td>{operator.accessGroup.name}</td>
              <td>{operator.accessGroup.privileges.join(' ')}</td>
              <td>{operator.accessGroup.caseTypes.join(', ')}</td>
              <td>
                {operator.accessGroup.caseVisibility === 'all' ? 'all cases' : 'its own cases'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Create (no operator yet) or edit an operator and its access group. */
export function OperatorEditor(props: {
  form: OperatorForm;
  editing: boolean;
  message?: string | undefined;
  fields?: FieldIssue[] | undefined;
  notice?: string | undefined;
}) {
  const { form } = props;
  const action = props.editing
    ? `/admin/operators/${encodeURIComponent(form.operatorID ?? '')}`
    : '/admin/operators/new';
  return (
    <>
      <h1>{props.editing ? `Operator ${form.operatorID}` : 'New operator'}</h1>
      {props.notice && <div class="notice">{props.notice}</div>}
      <Errors message={props.message} fields={props.fields} />
      <form method="post" action={action} class="card">
        {props.editing && <input type="hidden" name="version" value={form.version ?? ''} />}
        {!props.editing && (
          <Field name="operatorID" label="Operator ID" required value={form.operatorID ?? ''} />
        )}
        <Field name="name" label="Name" required value={form.name ?? ''} />
        <Field name="groupName" label="Access group" required value={form.groupName ?? ''} />
        <ScopeCheckboxes name="privileges" legend="Privileges" checked={form.privileges} />
        <Field
          name="caseTypes"
          label="Case types"
          required
          value={form.caseTypes ?? ''}
          hint="Case type IDs, separated by commas, or * for all."
        />
        <label for="caseVisibility">Case visibility</label>
        <select id="caseVisibility" name="caseVisibility">
          <option value="own" selected={form.caseVisibility !== 'all'}>
            its own cases (and those routed to it)
          </option>
          <option value="all" selected={form.caseVisibility === 'all'}>
            every case of its case types
          </option>
        </select>
        <div class="actions">
          <button type="submit">{props.editing ? 'Save' : 'Create operator'}</button>
          <a class="button secondary" href="/admin/operators">
            Cancel
          </a>
        </div>
      </form>
      {props.editing && (
        <p class="actions">
          <a class="button secondary" href={`${action}/delete`}>
            Delete operator…
          </a>
        </p>
      )}
    </>
  );
}

export function ConfirmOperatorDelete(props: { operator: Operator }) {
  const path = `/admin/operators/${encodeURIComponent(props.operator.id)}`;
  return (
    <>
      <h1>{`Delete operator ${props.operator.id}`}</h1>
      <div class="card">
        <p>
          The operator is removed. This is refused while a client acts as it, a case names it as its
          creator, owner or assignee, or a case type's flow routes to it: its ID is never given to
          someone else's cases.
        </p>
        <form method="post" action={`${path}/delete`} class="actions">
          <input type="hidden" name="version" value={String(props.operator.version)} />
          <button type="submit" class="danger">
            Delete
          </button>
          <a class="button secondary" href={path}>
            Cancel
          </a>
        </form>
      </div>
    </>
  );
}
