// Longer than 300 lines on purpose: an attachment's whole life (upload and its quota, link, list, download headers, removal, the scheduled cleanup) under one set of rules: who may use which file.
import { AppError, caseResolved, conflict } from '../errors';
import {
  type Attachment,
  attachmentRead,
  attachmentsRead,
  caseAttachmentsRead,
  deleteAttachment,
  deleteExpiredUploads,
  deleteObjects,
  deleteUploadRecord,
  expiredUploads,
  getObject,
  insertUploadStatement,
  type Link,
  linkAttachments,
  putObject,
  type UploadUsage,
  uploadUsageRead,
} from '../store/attachments';
import type { NewAuditEvent } from '../store/audit';
import { getCase } from '../store/case-reads';
import { allReads, mapReads, runReads } from '../store/reads';
import { maySeeCase } from './access';
import { caseActor, caseReads, type FoundCase, isResolved, visibleCase } from './cases';
import type { Case, Principal } from './model';

export type { Attachment };

/** A temporary upload can be linked for this long; then the scheduled cleanup removes it. */
export const UPLOAD_LIFETIME_MS = 2 * 60 * 60 * 1000;

/** The attachment categories here: files and links. */
export const CATEGORIES = ['File', 'URL'] as const;

/** How many attachments one request may link. */
export const MAX_LINKS = 20;

export const attachmentNotFound = (id: string) =>
  new AppError(404, 'not_found', `Attachment ${id} not found.`, { pegaId: 'Pega_API_011' });

/**
 * What no attachment name keeps: control characters (C0, DEL, C1: CR/LF and NUL among them),
 * quotes, and the bidirectional controls (LRM, RLM, ALM, the embeddings, overrides and
 * isolates), with which `evil\u202Egpj.exe.html` would show as `evil...lmth.exe.jpg`.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const UNSHOWN = /[\u0000-\u001f\u007f-\u009f"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** An attachment's name as shown (a file's or a link's): no path, nothing UNSHOWN, 255 at most. */
export function cleanName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(UNSHOWN, '').trim();
  return clean.slice(0, 255) || 'file';
}

/**
 * The name a link gives an upload, as shown: cleaned, and without the upload's own extension
 * if it repeats it (`scan.pdf` for a pdf is `scan`); other dots are the name's.
 */
function linkedName(given: string, extension: string): string {
  const clean = cleanName(given);
  const suffix = `.${extension}`;
  return extension && clean.toLowerCase().endsWith(suffix) && clean.length > suffix.length
    ? clean.slice(0, -suffix.length)
    : clean;
}

/** `report.final.pdf` → `report.final` and `pdf`; no dot: no extension. */
export function splitName(fileName: string): { name: string; extension: string } {
  const clean = cleanName(fileName);
  const dot = clean.lastIndexOf('.');
  if (dot <= 0) return { name: clean, extension: '' };
  return {
    name: clean.slice(0, dot),
    extension: clean
      .slice(dot + 1)
      .toLowerCase()
      .slice(0, 16),
  };
}

/** The media type as declared, kept as metadata only; anything odd is octet-stream. */
const declaredType = (type: string) =>
  /^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/i.test(type) && type.length <= 100
    ? type.toLowerCase()
    : 'application/octet-stream';

/** A temporary upload's record, the uploader's alone until a case links it. */
export function newUpload(
  principal: Principal,
  file: { name: string; type: string; size: number },
  now: Date,
): Attachment {
  const { name, extension } = splitName(file.name);
  return {
    id: crypto.randomUUID(),
    linkId: null,
    title: null,
    caseId: null,
    type: 'FILE',
    category: 'File',
    name,
    extension,
    mimeType: declaredType(file.type),
    size: file.size,
    url: null,
    createdBy: principal.operator.id,
    createdByClient: principal.client.id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + UPLOAD_LIFETIME_MS).toISOString(),
  };
}

const isLiveUpload = (attachment: Attachment, operatorId: string, now: Date) =>
  attachment.caseId === null &&
  attachment.createdBy === operatorId &&
  attachment.expiresAt !== null &&
  attachment.expiresAt > now.toISOString();

/** The attachment with its case, beside the bearer check. */
export const attachmentReads = attachmentRead;

/**
 * From attachmentReads: an attachment the principal may use. A linked one follows its case
 * (whoever may see the case); a temporary upload is its uploader's until it expires. Anything
 * else is 404, as if absent.
 */
export function visibleAttachment(
  principal: Principal,
  id: string,
  found: { attachment: Attachment | null; item: Case | null },
  now = new Date(),
): Attachment {
  const { attachment, item } = found;
  if (!attachment) throw attachmentNotFound(id);
  if (attachment.caseId === null) {
    if (isLiveUpload(attachment, principal.operator.id, now)) return attachment;
    throw attachmentNotFound(id);
  }
  if (!item || !maySeeCase(principal.operator, item)) throw attachmentNotFound(id);
  return attachment;
}

/**
 * Pega's ID of a link (DX case model §6): `LINK-ATTACHMENT <case ID>!<yyyyMMdd'T'HHmmss.SSS 'GMT'>`
 * at `at`, `offset` milliseconds on.
 */
export function linkIdOf(caseId: string, at: Date, offset: number): string {
  const time = new Date(at.getTime() + offset).toISOString();
  const [date = '', clock = ''] = time.split('T');
  return `LINK-ATTACHMENT ${caseId}!${date.replaceAll('-', '')}T${clock.replaceAll(':', '').replace('Z', '')} GMT`;
}

/** The ID clients know an attachment by: Pega's link ID where it has one, else its own. */
export const attachmentIdOf = (attachment: Pick<Attachment, 'id' | 'linkId'>) =>
  attachment.linkId ?? attachment.id;

/** A case and its attachments, beside the bearer check. */
export const caseWithAttachmentsReads = (db: D1Database, caseId: string) =>
  allReads({ found: caseReads(db, caseId), attachments: caseAttachmentsRead(db, caseId) });

/** What a link request names: uploads to link, URLs to add. */
export type LinkRequest =
  | { type: 'FILE'; ID: string; category: string; name?: string | undefined }
  | { type: 'URL'; category: string; name: string; url: string };

/** A case and the uploads a link request names, beside the bearer check. */
export const linkReads = (db: D1Database, caseId: string, requests: LinkRequest[]) =>
  allReads({
    found: caseReads(db, caseId),
    uploads: mapReads(
      attachmentsRead(
        db,
        requests.flatMap((request) => (request.type === 'FILE' ? [request.ID] : [])),
      ),
      (uploads) => new Map(uploads.map((upload) => [upload.id, upload])),
    ),
  });

const historyEvent = (
  principal: Principal,
  caseId: string,
  action: 'case.attach' | 'case.detach',
  attachment: Pick<Attachment, 'id' | 'linkId' | 'name' | 'type' | 'category'>,
): NewAuditEvent => ({
  actor: caseActor(principal),
  action,
  targetType: 'case',
  targetId: caseId,
  detail: {
    attachment: attachmentIdOf(attachment),
    name: attachment.name,
    type: attachment.type,
    category: attachment.category,
  },
});

/**
 * Links the uploads a request names to the case (and adds its URLs), each written to the
 * case's history. Every upload must be the principal's own, temporary and unexpired (else 404
 * for it, nothing linked); of two requests racing for one upload, one links it and the other
 * gets 409 with nothing linked.
 */
export async function linkToCase(
  db: D1Database,
  principal: Principal,
  found: { found: FoundCase | null; uploads: Map<string, Attachment> },
  caseId: string,
  requests: LinkRequest[],
  now = new Date(),
): Promise<Attachment[]> {
  const { item } = visibleCase(principal, caseId, found.found);
  const requested = requests.map((request) => {
    if (request.type === 'URL') {
      return {
        ...request,
        name: cleanName(request.name),
        type: 'URL' as const,
        id: crypto.randomUUID(),
      };
    }
    const upload = found.uploads.get(request.ID);
    if (!upload || !isLiveUpload(upload, principal.operator.id, now)) {
      throw attachmentNotFound(request.ID);
    }
    return {
      type: 'FILE' as const,
      id: upload.id,
      category: request.category,
      name: request.name ? linkedName(request.name, upload.extension) : upload.name,
    };
  });
  const by = { operatorId: principal.operator.id, clientId: principal.client.id };
  let links: Link[] = [];
  let written = false;
  // Pega's IDs are the link's time to the millisecond: one call's links a millisecond apart,
  // and a call that meets another's IDs on the same case takes the next free milliseconds.
  for (let attempt = 0; attempt < 3 && links.length === 0; attempt += 1) {
    const offset = attempt * requested.length;
    const tried = requested.map((link, index) => ({
      ...link,
      linkId: linkIdOf(item.id, now, offset + index),
    })) as Link[];
    try {
      written = await linkAttachments(
        db,
        item.id,
        tried,
        { ...by, at: now.toISOString() },
        (link) => historyEvent(principal, item.id, 'case.attach', link),
      );
      links = tried;
    } catch (error) {
      if (!String(error).includes('attachments.link_id')) throw error;
    }
  }
  // Nothing was written: no history, no URL, and the uploads stay as they were.
  if (!written) {
    throw conflict('An upload was linked or removed by another request at the same time.');
  }
  return links.map((link) => {
    const upload = found.uploads.get(link.id);
    return {
      ...(upload ?? {
        extension: '',
        mimeType: '',
        size: 0,
        createdBy: by.operatorId,
        createdByClient: by.clientId,
        createdAt: now.toISOString(),
      }),
      id: link.id,
      linkId: link.linkId,
      title: null,
      caseId: item.id,
      type: link.type,
      category: link.category,
      name: link.name,
      url: link.type === 'URL' ? link.url : null,
      expiresAt: null,
    };
  });
}

/**
 * Removes an attachment the principal may see: its record (with a history entry, for a
 * linked one), then its object. A resolved case keeps its files: 409, nothing removed. 404,
 * with the object kept, if the record went or changed meanwhile (linked by another request,
 * say): a file is never left without its bytes.
 */
export async function removeAttachment(
  db: D1Database,
  bucket: R2Bucket,
  principal: Principal,
  { attachment, item }: { attachment: Attachment; item: Case | null },
): Promise<void> {
  if (item && isResolved(item)) throw caseResolved(item.id);
  const event = attachment.caseId
    ? historyEvent(principal, attachment.caseId, 'case.detach', attachment)
    : null;
  if (!(await deleteAttachment(db, attachment, event))) {
    // Resolved between the read and the delete: the same 409.
    const now = attachment.caseId ? await getCase(db, attachment.caseId) : null;
    if (now && isResolved(now)) throw caseResolved(now.id);
    throw attachmentNotFound(attachment.id);
  }
  if (attachment.type === 'FILE') await deleteObjects(bucket, [attachment.id]);
}

/** The scheduled cleanup: expired temporary uploads go, records first, then their objects. */
export async function removeExpiredUploads(db: D1Database, bucket: R2Bucket): Promise<number> {
  const now = new Date().toISOString();
  let removed = 0;
  for (;;) {
    const expired = await expiredUploads(db, now, 500);
    if (expired.length === 0) return removed;
    const ids = expired.map((upload) => upload.id);
    await deleteExpiredUploads(db, ids, now);
    await deleteObjects(bucket, ids);
    removed += ids.length;
    if (expired.length < 500) return removed;
  }
}

/** The file's name with its extension, as a download saves it. */
export const fileNameOf = (attachment: Pick<Attachment, 'name' | 'extension'>) =>
  attachment.extension ? `${attachment.name}.${attachment.extension}` : attachment.name;

/** RFC 6266: always a download; an ASCII name, and the real one in UTF-8 beside it. */
const contentDisposition = (fileName: string) =>
  `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

/**
 * The headers of every download of an attachment, whatever it holds and whoever serves it:
 * saved as a file, its type never sniffed, and sandboxed should a browser show it anyway.
 */
export const downloadHeaders = (attachment: Attachment, contentType: string) => ({
  'Content-Type': contentType,
  'Content-Disposition': contentDisposition(fileNameOf(attachment)),
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
});

/** Whether an ID is Pega's ID of a link, not the attachment's own (its object's key). */
const isLinkId = (id: string) => id.startsWith('LINK-ATTACHMENT ');

/**
 * An attachment's object, fetched beside `read` (its key is the attachment's own ID, so neither
 * waits for the other) and `check`ed against what `read` found: when the check refuses, the
 * object is dropped unread and the refusal stands. By Pega's link ID, the key is known only from
 * the record: the object is fetched after it (docs/choices.md).
 */
export async function withObject<T, U extends Pick<Attachment, 'id' | 'type'>>(
  bucket: R2Bucket,
  id: string,
  read: Promise<T>,
  check: (found: T) => U,
): Promise<{ checked: U; object: R2ObjectBody | null }> {
  if (isLinkId(id)) {
    const checked = check(await read);
    return {
      checked,
      object: checked.type === 'FILE' ? await getObject(bucket, checked.id) : null,
    };
  }
  const [found, object] = await Promise.all([read, getObject(bucket, id)]);
  try {
    return { checked: check(found), object };
  } catch (error) {
    await object?.body.cancel();
    throw error;
  }
}

/** How many temporary uploads, and how many bytes of them, an operator may hold at once. */
export interface UploadQuota {
  files: number;
  bytes: number;
}

/** The operator's live temporary uploads, beside the bearer check. */
export const uploadUsageReads = (db: D1Database, operatorId: string, now: Date) =>
  uploadUsageRead(db, operatorId, now.toISOString());

/** 429, retried once the first of the operator's live uploads expires (or is linked). */
function uploadQuotaExceeded(usage: UploadUsage, quota: UploadQuota, now: Date): AppError {
  const seconds = usage.firstExpiry
    ? Math.ceil((Date.parse(usage.firstExpiry) - now.getTime()) / 1000)
    : 1;
  return new AppError(
    429,
    'too_many_requests',
    `An operator may hold ${quota.files} temporary uploads of ${quota.bytes} bytes in all at once; link some to a case, or wait for them to expire.`,
    { headers: { 'Retry-After': String(Math.max(1, seconds)) } },
  );
}

/** Refuses (429) an upload of `size` bytes that would take the operator past its quota. */
export function checkUploadQuota(
  usage: UploadUsage,
  quota: UploadQuota,
  size: number,
  now = new Date(),
): void {
  if (usage.files < quota.files && usage.bytes + size <= quota.bytes) return;
  throw uploadQuotaExceeded(usage, quota, now);
}

/**
 * Stores a temporary upload: its object and its record in parallel, the record only while
 * the uploader stays within `quota` (checked in its SQL: uploads racing each other cannot
 * pass it together). Either failing takes the other back, so neither is left alone.
 */
export async function storeUpload(
  db: D1Database,
  bucket: R2Bucket,
  upload: Attachment,
  bytes: Uint8Array,
  quota: UploadQuota,
): Promise<void> {
  const [stored, recorded] = await Promise.allSettled([
    putObject(bucket, upload.id, bytes),
    insertUploadStatement(db, upload, quota).run(),
  ]);
  const inserted = recorded.status === 'fulfilled' && recorded.value.meta.changes > 0;
  if (stored.status === 'fulfilled' && inserted) return;
  await Promise.allSettled([deleteObjects(bucket, [upload.id]), deleteUploadRecord(db, upload.id)]);
  if (stored.status === 'rejected') throw stored.reason;
  if (recorded.status === 'rejected') throw recorded.reason;
  // The quota filled up meanwhile.
  const now = new Date();
  throw uploadQuotaExceeded(
    await runReads(db, uploadUsageReads(db, upload.createdBy, now)),
    quota,
    now,
  );
}

/** Base64 of bytes, in chunks (String.fromCharCode takes a bounded argument list). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}
