import { recordListViewId, savablePageId } from '../../domain/data-types';
import type { DataRecord, DataType } from '../../domain/model';
import type { FieldIssue } from '../../errors';
import { Errors } from '../layout';

/** The data types' pages: the list, a type's definition form, and its records. */

export interface DataTypeForm {
  ID: string;
  version: string;
  name: string;
  description: string;
  keyField: string;
  /** The fields as the admin API's JSON. */
  fields: string;
}

export const emptyDataTypeForm = (): DataTypeForm => ({
  ID: '',
  version: '',
  name: '',
  description: '',
  keyField: '',
  fields:
    '[\n  {"name": "Code", "type": "string", "maxLength": 20},\n  {"name": "Label", "type": "string"}\n]',
});

export const dataTypeForm = (type: DataType): DataTypeForm => ({
  ID: type.id,
  version: String(type.version),
  name: type.name,
  description: type.description,
  keyField: type.keyField,
  fields: JSON.stringify(type.fields, null, 2),
});

/** The JSON text as the API's fields, or the text itself for the API's schema to refuse. */
function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function readDataTypeForm(form: URLSearchParams, id?: string): DataTypeForm {
  const value = (name: string) => form.get(name)?.trim() ?? '';
  return {
    ID: id ?? value('ID'),
    version: value('version'),
    name: value('name'),
    description: value('description'),
    keyField: value('keyField'),
    fields: value('fields'),
  };
}

/** The form as the admin API's body, checked by the same schema. */
export const dataTypeBody = (form: DataTypeForm) => ({
  ID: form.ID,
  name: form.name,
  description: form.description,
  keyField: form.keyField,
  fields: jsonOf(form.fields),
});

export function DataTypeList(props: { dataTypes: DataType[] }) {
  return (
    <>
      <h1>Data types</h1>
      <p>
        <a class="button" href="/admin/datatypes/new">
          New data type
        </a>
      </p>
      <table>
        <thead>
          <tr>
            <th>ID</th>
            <th>Name</th>
            <th>Key</th>
            <th>Fields</th>
            <th>List view</th>
          </tr>
        </thead>
        <tbody>
          {props.dataTypes.map((type) => (
            <tr>
              <td>
                <a href={`/admin/datatypes/${encodeURIComponent(type.id)}`}>{type.id}</a>
              </td>
              <td>{type.name}</td>
              <td>{type.keyField}</td>
              <td>{type.fields.map((field) => field.name).join(', ')}</td>
              <td>{recordListViewId(type)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function DataTypeEditor(props: {
  form: DataTypeForm;
  editing: boolean;
  message?: string | undefined;
  fields?: FieldIssue[] | undefined;
}) {
  const { form, editing } = props;
  const action = editing
    ? `/admin/datatypes/${encodeURIComponent(form.ID)}/edit`
    : '/admin/datatypes/new';
  return (
    <>
      <h1>{editing ? `Edit ${form.ID}` : 'New data type'}</h1>
      <Errors message={props.message} fields={props.fields} />
      <form method="post" action={action}>
        <input type="hidden" name="version" value={form.version} />
        <label>
          ID (its class)
          <input name="ID" value={form.ID} required disabled={editing} />
        </label>
        <label>
          Name
          <input name="name" value={form.name} required />
        </label>
        <label>
          Description
          <input name="description" value={form.description} />
        </label>
        <label>
          Key field
          <input name="keyField" value={form.keyField} required readonly={editing} />
        </label>
        <label>
          Fields (the admin API's JSON)
          <textarea name="fields" rows={8} aria-label="Fields">
            {form.fields}
          </textarea>
        </label>
        <div class="actions">
          <button type="submit">{editing ? 'Save data type' : 'Create data type'}</button>
          <a class="button secondary" href="/admin/datatypes">
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}

export function DataTypeDetail(props: {
  type: DataType;
  records: DataRecord[];
  notice?: string | undefined;
  message?: string | undefined;
  fields?: FieldIssue[] | undefined;
  record?: string | undefined;
}) {
  const { type, records } = props;
  const path = `/admin/datatypes/${encodeURIComponent(type.id)}`;
  const example = JSON.stringify(
    Object.fromEntries(type.fields.map((field) => [field.name, ''])),
    null,
    2,
  );
  return (
    <>
      <h1>{type.name}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <p>
        {`${type.id}: keyed by ${type.keyField}; listed through ${recordListViewId(type)}, written through ${savablePageId(type)}.`}
      </p>
      <p>
        <a class="button" href={`${path}/edit`}>
          Edit definition
        </a>
      </p>
      <h2>Records</h2>
      {records.length === 0 ? (
        <p>None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              {type.fields.map((field) => (
                <th>{field.label ?? field.name}</th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {records.map((record) => (
              <tr>
                {type.fields.map((field) => (
                  <td>{String(record.content[field.name] ?? '')}</td>
                ))}
                <td>
                  <form method="post" action={`${path}/records/delete`}>
                    <input type="hidden" name="key" value={record.key} />
                    <button type="submit" class="danger">
                      Delete
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Add or replace a record</h2>
      <Errors message={props.message} fields={props.fields} />
      <form method="post" action={`${path}/records`}>
        <textarea name="record" rows={6} aria-label="Record">
          {props.record ?? example}
        </textarea>
        <div class="actions">
          <button type="submit">Save record</button>
        </div>
      </form>
    </>
  );
}
