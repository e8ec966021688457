import { AppError, principalChanged } from '../errors';
import { undoAttachmentUpdate, updateAttachment } from '../store/attachment-changes';
import { type Attachment, attachmentRead } from '../store/attachments';
import { tokenStillHolds } from '../store/guards';
import { allReads } from '../store/reads';
import { attachmentNotFound, CATEGORIES, cleanName, visibleAttachment } from './attachments';
import { actorOf } from './cases';
import type { Writer } from './collaboration';
import type { Case, Principal } from './model';

/**
 * `PATCH /attachments/{ID}` (DX case model §6): a linked attachment's name shown and category
 * changed in the batch that authorizes it, written to its case's history.
 */

/** What `PATCH /attachments/{ID}` may change: the name shown and the category. */
export interface AttachmentChange {
  name?: string | undefined;
  category?: string | undefined;
}

/** 403 for a category this service does not offer (Pega: one the caller may not use). */
export function checkCategory(category: string | undefined): void {
  if (category === undefined || (CATEGORIES as readonly string[]).includes(category)) return;
  throw new AppError(403, 'forbidden', `Attachment category ${category} may not be used.`, {
    pegaId: 'Error_Attachment_Access_Denied',
  });
}

/**
 * Plans a change of a linked attachment's name or category for the batch that authorizes it:
 * the record as it was, and the change (guarded by the writer and its case's visibility).
 */
export function planAttachmentChange(
  db: D1Database,
  writer: Writer,
  id: string,
  change: AttachmentChange,
) {
  const by = {
    operatorId: writer.operatorId,
    actor: actorOf(writer.operatorId, writer.clientId),
    at: new Date().toISOString(),
  };
  const clean = { ...change, name: change.name === undefined ? undefined : cleanName(change.name) };
  const reads = allReads({
    before: attachmentRead(db, id),
    updated: updateAttachment(db, id, clean, by, tokenStillHolds(writer, 'cases:update')),
  });
  return {
    ...reads,
    undo: async ({
      before,
      updated,
    }: {
      before: { attachment: Attachment | null };
      updated: Attachment | null;
    }) => {
      if (updated && before.attachment) await undoAttachmentUpdate(db, before.attachment, by);
    },
  };
}

/** The changed attachment; else why not: 404 (absent, unseen or an upload), or a change since. */
export function changedAttachment(
  principal: Principal,
  id: string,
  found: {
    before: { attachment: Attachment | null; item: Case | null };
    updated: Attachment | null;
  },
): Attachment {
  if (found.updated) return found.updated;
  const attachment = visibleAttachment(principal, id, found.before);
  if (attachment.caseId === null) throw attachmentNotFound(id);
  throw principalChanged();
}
