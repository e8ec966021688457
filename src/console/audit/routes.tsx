import { listAuditEvents } from '../../domain/audit';
import { parseInput } from '../../http/validation';
import { consoleSection, cursorQuery, render } from '../render';
import { AuditLog } from './pages';

/** `/admin/audit`: the audit log, filtered. */
export const auditPages = consoleSection();

auditPages.get('/', async (c) => {
  const { cursor } = parseInput(
    cursorQuery,
    { cursor: c.req.query('cursor') || undefined },
    'query',
  );
  const filter = {
    targetType: c.req.query('targetType') || undefined,
    action: c.req.query('action')?.trim().slice(0, 100) || undefined,
    search: c.req.query('q')?.trim().slice(0, 200) || undefined,
  };
  const page = await listAuditEvents(c.env.DB, 100, cursor, filter);
  return render(
    c,
    'Audit log',
    <AuditLog events={page.items} filter={filter} next={page.nextCursor} />,
    { section: 'audit' },
  );
});
