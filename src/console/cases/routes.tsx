import {
  attachmentNotFound,
  attachmentReads,
  caseWithAttachmentsReads,
  downloadHeaders,
  withObject,
} from '../../domain/attachments';
import { listAuditEvents } from '../../domain/audit';
import { allCaseTypes } from '../../domain/case-types';
import { searchCases } from '../../domain/cases';
import { caseCollaborationReads } from '../../domain/collaboration';
import { allReads, runReads } from '../../domain/reads';
import { caseNotFound } from '../../errors';
import { parseInput } from '../../http/validation';
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
  // The case with its type and its files (one batch) and its history, at once: one round trip.
  const [{ main, together }, history] = await Promise.all([
    runReads(
      db,
      allReads({
        main: caseWithAttachmentsReads(db, id),
        together: caseCollaborationReads(db, id),
      }),
    ),
    listAuditEvents(db, 500, undefined, { targetType: 'case', targetId: id }),
  ]);
  const { found, attachments } = main;
  if (!found) throw caseNotFound(id);
  const { item, caseType } = found;
  return render(
    c,
    item.id,
    <CaseDetail
      item={item}
      caseType={caseType}
      attachments={attachments}
      together={together}
      history={[...history.items].reverse()}
    />,
    { section: 'cases' },
  );
});

/**
 * A file of the case, to download: the bytes as stored, never shown inline (whatever the
 * uploader said it was, a browser saves it and runs nothing).
 */
casePages.get('/:id/attachments/:attachmentId', async (c) => {
  const id = c.req.param('id');
  const attachmentId = c.req.param('attachmentId');
  const db = c.env.DB;
  const { checked: attachment, object } = await withObject(
    c.env.ATTACHMENTS,
    attachmentId,
    runReads(db, attachmentReads(db, attachmentId)),
    ({ attachment }) => {
      if (attachment?.caseId !== id) throw attachmentNotFound(attachmentId);
      return attachment;
    },
  );
  if (!object) throw attachmentNotFound(attachmentId);
  return c.body(object.body, 200, downloadHeaders(attachment, 'application/octet-stream'));
});
