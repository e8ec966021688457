import { type Attachment, type AttachmentRow, fromRow } from './attachments';
import { VISIBLE_TO_OPERATOR } from './case-rows';
import type { Reads } from './reads';

/** Changes of a linked attachment's name and category (DX case model §6), and taking one back. */

/**
 * Retitles or recategorises a linked attachment (`id` either of its IDs) while `guard` holds
 * and its case is visible to the operator; its file's name stays.
 * Its history row (on its case) after it. The attachment as it now is, or null if unchanged.
 */
export function updateAttachment(
  db: D1Database,
  id: string,
  change: { name?: string | undefined; category?: string | undefined },
  by: { operatorId: string; actor: { id: string }; at: string },
  guard: { sql: string; args: unknown[] },
): Reads<Attachment | null> {
  return {
    statements: [
      db
        .prepare(
          `UPDATE attachments SET title = COALESCE(?1, title), category = COALESCE(?2, category)
           WHERE (id = ?3 OR link_id = ?3) AND case_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM cases c WHERE c.id = attachments.case_id
               AND ${VISIBLE_TO_OPERATOR.replaceAll('?', '?4')})
             AND ${guard.sql}
           RETURNING *`,
        )
        .bind(change.name ?? null, change.category ?? null, id, by.operatorId, ...guard.args),
      db
        .prepare(
          `INSERT INTO audit_log (at, actor, action, target_type, target_id, detail)
           SELECT ?, ?, 'case.attachment.update', 'case',
             (SELECT case_id FROM attachments WHERE id = ? OR link_id = ?), ?
           WHERE changes() > 0`,
        )
        .bind(
          by.at,
          by.actor.id,
          id,
          id,
          JSON.stringify({ attachment: id, name: change.name, category: change.category }),
        ),
    ],
    from: ([rows = []]) => (rows[0] ? fromRow(rows[0] as AttachmentRow) : null),
  };
}

/** Puts a changed attachment's name and category back, and drops the change's history row. */
export async function undoAttachmentUpdate(
  db: D1Database,
  before: Attachment,
  by: { actor: { id: string }; at: string },
): Promise<void> {
  await db.batch([
    db
      .prepare('UPDATE attachments SET title = ?, category = ? WHERE id = ?')
      .bind(before.title, before.category, before.id),
    db
      .prepare(
        `DELETE FROM audit_log WHERE action = 'case.attachment.update' AND actor = ? AND at = ?
           AND target_type = 'case' AND target_id = ?`,
      )
      .bind(by.actor.id, by.at, before.caseId),
  ]);
}
