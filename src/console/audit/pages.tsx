import type { AuditEvent, AuditFilter } from '../../store/audit';

export function AuditLog(props: {
  events: AuditEvent[];
  filter: AuditFilter;
  next?: string | undefined;
}) {
  const { filter } = props;
  return (
    <>
      <h1>Audit log</h1>
      <form class="search" method="get" action="/admin/audit">
        <label>
          Target
          <select name="targetType">
            <option value="">any</option>
            {['operator', 'client', 'casetype', 'case'].map((type) => (
              <option value={type} selected={type === filter.targetType}>
                {type}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <input
            type="search"
            name="action"
            value={filter.action ?? ''}
            placeholder="client.update"
          />
        </label>
        <label>
          Who or which
          <input type="search" name="q" value={filter.search ?? ''} />
        </label>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((event) => (
            <tr>
              <td>{event.at}</td>
              <td>{event.actor}</td>
              <td>{event.action}</td>
              <td>{`${event.targetType} ${event.targetId}`}</td>
              <td>
                <code>{JSON.stringify(event.detail)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.next && (
        <p>
          <a
            href={`/admin/audit?${new URLSearchParams({
              targetType: filter.targetType ?? '',
              action: filter.action ?? '',
              q: filter.search ?? '',
              cursor: props.next,
            })}`}
          >
            Older
          </a>
        </p>
      )}
    </>
  );
}
