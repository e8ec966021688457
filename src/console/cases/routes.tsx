import { allCaseTypes } from '../../domain/case-types';
import { caseReads } from '../../domain/cases';
import { caseNotFound } from '../../errors';
import { parseInput } from '../../http/validation';
import { listAuditEvents } from '../../store/audit';
import { searchCases } from '../../store/cases';
import { runReads } from '../../store/reads';
import { consoleSection, cursorQuery, render } from '../render';
import { CaseDetail, CaseList } from './pages';

/** `/admin/cases`: finding cases, and one case with its assignment and history. */
export const casePages = consoleSection();

casePages.get('/', async (c) => {
  const { cursor } = parseInput(
    cursorQuery,
    { cursor: c.req.query('cursor') || undefined },
    'query',
  );
  const search = {
    caseTypeId: c.req.query('caseType') || undefined,
    status: c.req.query('status') || undefined,
    id: c.req.query('id')?.trim().slice(0, 200) || undefined,
  };
  const [page, caseTypes] = await Promise.all([
    searchCases(c.env.DB, search, 100, cursor),
    allCaseTypes(c.env.DB),
  ]);
  return render(
    c,
    'Cases',
    <CaseList cases={page.items} caseTypes={caseTypes} search={search} next={page.nextCursor} />,
    { section: 'cases' },
  );
});

casePages.get('/:id', async (c) => {
  const id = c.req.param('id');
  const db = c.env.DB;
  // The case with its type (one batch) and its history, at once: one round trip.
  const [found, history] = await Promise.all([
    runReads(db, caseReads(db, id)),
    listAuditEvents(db, 500, undefined, { targetType: 'case', targetId: id }),
  ]);
  if (!found) throw caseNotFound(id);
  const { item, caseType } = found;
  return render(
    c,
    item.id,
    <CaseDetail item={item} caseType={caseType} history={[...history.items].reverse()} />,
    { section: 'cases' },
  );
});
