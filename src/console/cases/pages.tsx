import { type Attachment, fileNameOf } from '../../domain/attachments';
import type { CaseCollaboration } from '../../domain/collaboration';
import { assignmentIdOf, currentStep, otherStep } from '../../domain/flow';
import { CASE_STATUS, type Case, type CaseType } from '../../domain/model';
import type { AuditEvent } from '../../store/audit';
import { Collaboration } from './collaboration';

export function CaseList(props: {
  cases: Case[];
  caseTypes: CaseType[];
  search: { caseTypeId?: string | undefined; status?: string | undefined; id?: string | undefined };
  next?: string | undefined;
}) {
  const { search } = props;
  return (
    <>
      <h1>Cases</h1>
      <form class="search" method="get" action="/admin/cases">
        <label>
          Case type
          <select name="caseType">
            <option value="">any</option>
            {props.caseTypes.map((type) => (
              <option value={type.id} selected={type.id === search.caseTypeId}>
                {type.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status">
            <option value="">any</option>
            {Object.values(CASE_STATUS).map((status) => (
              <option value={status} selected={status === search.status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label>
          Case ID
          <input type="search" name="id" value={search.id ?? ''} />
        </label>
        <button type="submit" class="secondary">
          Search
        </button>
      </form>
      <table>
        <thead>
          <tr>
            <th>Case ID</th>
            <th>Case type</th>
            <th>Status</th>
            <th>Created by</th>
            <th>Routed to</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {props.cases.map((item) => (
            <tr>
              <td>
                <a href={`/admin/cases/${encodeURIComponent(item.id)}`}>{item.id}</a>
              </td>
              <td>{item.caseTypeName}</td>
              <td>{item.status}</td>
              <td>{item.createdBy}</td>
              <td>{item.assignedTo ?? '—'}</td>
              <td>{item.updatedAt}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.cases.length === 0 && <p>No cases match.</p>}
      {props.next && (
        <p>
          <a
            href={`/admin/cases?${new URLSearchParams({
              caseType: search.caseTypeId ?? '',
              status: search.status ?? '',
              id: search.id ?? '',
              cursor: props.next,
            })}`}
          >
            Next page
          </a>
        </p>
      )}
    </>
  );
}

/** A case: its content (written by API consumers: shown as text), assignment and history. */
export function CaseDetail(props: {
  item: Case;
  caseType: CaseType;
  attachments: Attachment[];
  together: CaseCollaboration;
  history: AuditEvent[];
}) {
  const { item, caseType } = props;
  const step = currentStep(caseType, item);
  return (
    <>
      <h1>{item.id}</h1>
      <div class="card">
        <dl>
          <dt>Case type</dt>
          <dd>{caseType.name}</dd>
          <dt>Status</dt>
          <dd>{item.status}</dd>
          <dt>Created</dt>
          <dd>{`${item.createdAt} by ${item.createdBy} (client ${item.createdByClient})`}</dd>
          <dt>Last updated</dt>
          <dd>{`${item.updatedAt} by ${item.lastUpdatedBy}`}</dd>
          <dt>Parent case</dt>
          <dd>{item.parentCaseId ?? '—'}</dd>
        </dl>
      </div>
      <h2>Content</h2>
      <table>
        <tbody>
          {Object.entries(item.content).map(([name, value]) => (
            <tr>
              <th>{name}</th>
              <td>{String(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Open assignments</h2>
      {step || item.otherAssignments.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Assignment</th>
              <th>Step</th>
              <th>Action</th>
              <th>Routed to</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {step && (
              <tr>
                <td>{assignmentIdOf(item)}</td>
                <td>{step.name}</td>
                <td>{step.action.name}</td>
                <td>{item.assignedTo}</td>
                <td>{item.assignedAt}</td>
              </tr>
            )}
            {item.otherAssignments.map((other) => {
              const otherStepOf = otherStep(caseType, other);
              return (
                <tr>
                  <td>{other.ID}</td>
                  <td>{otherStepOf?.name ?? other.stepId}</td>
                  <td>{otherStepOf?.action.name ?? '—'}</td>
                  <td>{other.assignedTo}</td>
                  <td>{other.assignedAt}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p>None: the case is {item.status}.</p>
      )}
      <h2>Files</h2>
      {props.attachments.length === 0 ? (
        <p>None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>File</th>
              <th>Category</th>
              <th>Size</th>
              <th>Added</th>
            </tr>
          </thead>
          <tbody>
            {props.attachments.map((attachment) => (
              <tr>
                <td>
                  {attachment.type === 'URL' ? (
                    <span>{`${attachment.name}: ${attachment.url}`}</span>
                  ) : (
                    <a
                      href={`/admin/cases/${encodeURIComponent(item.id)}/attachments/${encodeURIComponent(attachment.id)}`}
                      download={fileNameOf(attachment)}
                    >
                      {fileNameOf(attachment)}
                    </a>
                  )}
                </td>
                <td>{attachment.category}</td>
                <td>{attachment.type === 'URL' ? '—' : `${attachment.size} bytes`}</td>
                <td>{`${attachment.createdAt} by ${attachment.createdBy}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Collaboration together={props.together} />
      <h2>History</h2>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
          </tr>
        </thead>
        <tbody>
          {props.history.map((event) => (
            <tr>
              <td>{event.at}</td>
              <td>{event.actor}</td>
              <td>{event.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
