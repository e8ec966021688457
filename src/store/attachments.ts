import type { Case } from '../domain/model';
import { auditRowsStatement, auditStatement, type NewAuditEvent } from './audit';
import { caseFrom } from './case-rows';
import { oneStatement, type Reads } from './reads';

/**
 * Attachment records in D1 (table `attachments`) and their bytes in R2 (`attachments/<id>`).
 * An upload is temporary until a case links it; URL attachments have no object.
 */
export interface Attachment {
  /** Its own ID: the key of its record and of its object. */
  id: string;
  /** Pega's ID of a link made since links had one (`LINK-ATTACHMENT <case>!<time>`). */
  linkId: string | null;
  /** The title a rename gave it, shown as its name; null: its name. */
  title: string | null;
  /** null while the upload is temporary. */
  caseId: string | null;
  type: 'FILE' | 'URL';
  category: string;
  name: string;
  extension: string;
  mimeType: string;
  size: number;
  url: string | null;
  createdBy: string;
  createdByClient: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface AttachmentRow {
  id: string;
  link_id: string | null;
  title: string | null;
  case_id: string | null;
  type: 'FILE' | 'URL';
  category: string;
  name: string;
  extension: string;
  mime_type: string;
  size: number;
  url: string | null;
  created_by: string;
  created_by_client: string;
  created_at: string;
  expires_at: string | null;
}

export const fromRow = (row: AttachmentRow): Attachment => ({
  id: row.id,
  linkId: row.link_id ?? null,
  title: row.title ?? null,
  caseId: row.case_id,
  type: row.type,
  category: row.category,
  name: row.name,
  extension: row.extension,
  mimeType: row.mime_type,
  size: row.size,
  url: row.url,
  createdBy: row.created_by,
  createdByClient: row.created_by_client,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/** Where a file attachment's bytes are in the R2 bucket. */
export const objectKey = (id: string) => `attachments/${id}`;

/** Stores an upload's bytes: never served as they are (downloads set their own headers). */
export const putObject = (bucket: R2Bucket, id: string, bytes: Uint8Array) =>
  bucket.put(objectKey(id), bytes, { httpMetadata: { contentType: 'application/octet-stream' } });

/** An attachment's bytes, or null. */
export const getObject = (bucket: R2Bucket, id: string) => bucket.get(objectKey(id));

/** Removes attachments' bytes (one call for many). */
export const deleteObjects = (bucket: R2Bucket, ids: string[]) => bucket.delete(ids.map(objectKey));

/** The attachment (or null) and the case it is linked to (null for a temporary upload). */
export const attachmentRead = (
  db: D1Database,
  id: string,
): Reads<{ attachment: Attachment | null; item: Case | null }> => ({
  statements: [
    db.prepare('SELECT * FROM attachments WHERE id = ? OR link_id = ?').bind(id, id),
    db
      .prepare(
        `SELECT c.*, t.name AS case_type_name FROM cases c
         JOIN case_types t ON t.id = c.case_type_id
         WHERE c.id = (SELECT case_id FROM attachments WHERE id = ? OR link_id = ?)`,
      )
      .bind(id, id),
  ],
  from: ([attachments = [], cases = []]) => ({
    attachment: attachments[0] ? fromRow(attachments[0] as AttachmentRow) : null,
    item: caseFrom(cases),
  }),
});

/** A case's attachments, oldest first. */
export const caseAttachmentsRead = (db: D1Database, caseId: string): Reads<Attachment[]> =>
  oneStatement(
    db.prepare('SELECT * FROM attachments WHERE case_id = ? ORDER BY created_at, id').bind(caseId),
    (rows) => (rows as AttachmentRow[]).map(fromRow),
  );

/** The records named, whatever they are (the domain checks them). */
export const attachmentsRead = (db: D1Database, ids: string[]): Reads<Attachment[]> =>
  oneStatement(
    db
      .prepare('SELECT * FROM attachments WHERE id IN (SELECT value FROM json_each(?))')
      .bind(JSON.stringify(ids)),
    (rows) => (rows as AttachmentRow[]).map(fromRow),
  );

/** What an operator holds in live temporary uploads: how many, how many bytes, the oldest. */
export interface UploadUsage {
  files: number;
  bytes: number;
  /** When the first of them expires (null without any). */
  firstExpiry: string | null;
}

const LIVE_UPLOADS_OF = `FROM attachments WHERE case_id IS NULL AND created_by = ? AND expires_at > ?`;

/** The operator's live temporary uploads at `now`, counted: beside the bearer check. */
export const uploadUsageRead = (db: D1Database, operatorId: string, now: string) =>
  oneStatement(
    db
      .prepare(
        `SELECT count(*) AS files, coalesce(sum(size), 0) AS bytes, min(expires_at) AS firstExpiry
         ${LIVE_UPLOADS_OF}`,
      )
      .bind(operatorId, now),
    (rows) => (rows[0] ?? { files: 0, bytes: 0, firstExpiry: null }) as UploadUsage,
  );

/**
 * A temporary upload's record, written only while its uploader's live uploads, this one
 * included, stay within `quota` (so uploads racing each other cannot pass it together).
 */
export function insertUploadStatement(
  db: D1Database,
  upload: Attachment,
  quota: { files: number; bytes: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO attachments (id, case_id, type, category, name, extension, mime_type, size,
         url, created_by, created_by_client, created_at, expires_at)
       SELECT ?, NULL, 'FILE', ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?
       WHERE (SELECT count(*) < ? AND coalesce(sum(size), 0) + ? <= ? ${LIVE_UPLOADS_OF})`,
    )
    .bind(
      upload.id,
      upload.category,
      upload.name,
      upload.extension,
      upload.mimeType,
      upload.size,
      upload.createdBy,
      upload.createdByClient,
      upload.createdAt,
      upload.expiresAt,
      quota.files,
      upload.size,
      quota.bytes,
      upload.createdBy,
      upload.createdAt,
    );
}

/** Takes back an upload's record whose object could not be stored. */
export const deleteUploadRecord = (db: D1Database, id: string) =>
  db.prepare('DELETE FROM attachments WHERE id = ? AND case_id IS NULL').bind(id).run();

/** What linking sets on a temporary upload, or the URL attachment it adds. */
export type Link =
  | { type: 'FILE'; id: string; linkId: string; category: string; name: string }
  | { type: 'URL'; id: string; linkId: string; category: string; name: string; url: string };

/**
 * Links uploads (and adds URL attachments) to a case, each with its history entry, in one
 * batch that is all or nothing: every statement holds only while every upload named is still
 * temporary, its uploader's and unexpired, a condition each evaluates before the batch has
 * changed anything it reads (the history and the URL rows first, then the uploads in one
 * UPDATE). False when it did not hold: then nothing was written.
 */
export async function linkAttachments(
  db: D1Database,
  caseId: string,
  links: Link[],
  by: { operatorId: string; clientId: string; at: string },
  event: (link: Link) => NewAuditEvent,
): Promise<boolean> {
  const files = links.filter((link) => link.type === 'FILE');
  const urls = links.filter((link) => link.type === 'URL');
  const fileIds = JSON.stringify(files.map((link) => link.id));
  const linkable = {
    sql: `(SELECT count(*) FROM attachments WHERE id IN (SELECT value FROM json_each(?))
            AND case_id IS NULL AND created_by = ? AND expires_at > ?) = ?`,
    args: [fileIds, by.operatorId, by.at, files.length],
  };
  const results = await db.batch([
    auditRowsStatement(db, links.map(event), linkable),
    db
      .prepare(
        `INSERT INTO attachments (id, link_id, case_id, type, category, name, url, created_by,
           created_by_client, created_at)
         SELECT value ->> 'id', value ->> 'linkId', ?, 'URL', value ->> 'category', value ->> 'name',
           value ->> 'url', ?, ?, ? FROM json_each(?) WHERE ${linkable.sql}`,
      )
      .bind(caseId, by.operatorId, by.clientId, by.at, JSON.stringify(urls), ...linkable.args),
    db
      .prepare(
        `UPDATE attachments SET case_id = ?, expires_at = NULL,
           category = (SELECT value ->> 'category' FROM json_each(?) WHERE value ->> 'id' = attachments.id),
           name = (SELECT value ->> 'name' FROM json_each(?) WHERE value ->> 'id' = attachments.id),
           link_id = (SELECT value ->> 'linkId' FROM json_each(?) WHERE value ->> 'id' = attachments.id)
         WHERE id IN (SELECT value FROM json_each(?)) AND ${linkable.sql}`,
      )
      .bind(
        caseId,
        JSON.stringify(files),
        JSON.stringify(files),
        JSON.stringify(files),
        fileIds,
        ...linkable.args,
      ),
  ]);
  // The history holds a row per link exactly when the condition held for the whole batch.
  return (results[0]?.meta.changes ?? 0) === links.length;
}

/**
 * Deletes the record (as it was read) with its history entry, while its case (if any) is not
 * resolved; false if it had gone, or its case was resolved meanwhile.
 */
export async function deleteAttachment(
  db: D1Database,
  attachment: Attachment,
  event: NewAuditEvent | null,
): Promise<boolean> {
  const deletion = db
    .prepare(
      `DELETE FROM attachments WHERE id = ? AND case_id IS ? AND NOT EXISTS
         (SELECT 1 FROM cases WHERE id = attachments.case_id AND status LIKE 'Resolved%')`,
    )
    .bind(attachment.id, attachment.caseId);
  const [result] = await db.batch(event ? [deletion, auditStatement(db, event)] : [deletion]);
  return (result?.meta.changes ?? 0) > 0;
}

/** Temporary uploads past their expiry, oldest first, at most `limit`. */
export async function expiredUploads(
  db: D1Database,
  now: string,
  limit: number,
): Promise<Attachment[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM attachments WHERE case_id IS NULL AND expires_at <= ?
       ORDER BY expires_at LIMIT ?`,
    )
    .bind(now, limit)
    .all<AttachmentRow>();
  return results.map(fromRow);
}

/** Removes expired temporary records (still temporary and expired: a link since keeps one). */
export async function deleteExpiredUploads(db: D1Database, ids: string[], now: string) {
  await db
    .prepare(
      `DELETE FROM attachments WHERE case_id IS NULL AND expires_at <= ?
       AND id IN (SELECT value FROM json_each(?))`,
    )
    .bind(now, JSON.stringify(ids))
    .run();
}
