import { required } from '../config';
import {
  changedAttachment,
  checkCategory,
  planAttachmentChange,
} from '../domain/attachment-changes';
import {
  type Attachment,
  attachmentIdOf,
  attachmentNotFound,
  attachmentReads,
  CATEGORIES,
  caseWithAttachmentsReads,
  checkUploadQuota,
  downloadHeaders,
  fileNameOf,
  type LinkRequest,
  linkReads,
  linkToCase,
  newUpload,
  removeAttachment,
  storeUpload,
  toBase64,
  uploadUsageReads,
  visibleAttachment,
  withObject,
} from '../domain/attachments';
import { type FoundCase, visibleCase } from '../domain/cases';
import type { Case } from '../domain/model';
import type { Reads } from '../domain/reads';
import { invalidRequest, payloadTooLarge } from '../errors';
import { readMultipart } from '../http/body';
import type { AppContext } from '../http/context';
import { type Found, type Input, type Operation, operation } from '../http/operations';
import type * as z from '../zod';
import { authorize, refuseAfterTokenCheck } from './bearer';
import { caseInPath } from './cases';
import {
  attachmentCategoriesQuerySchema,
  attachmentChangeSchema,
  linkAttachmentsSchema,
} from './schemas';
import { writeInCheck } from './writes';

/**
 * Case attachments, the same calls in Pega API v1 and DX API v2 (each API's error body comes
 * from the path): bytes in R2, records in D1 (domain/attachments.ts).
 */

/** A record as Pega's clients list it; `links` relative to the API the caller used. */
function attachmentView(attachment: Attachment) {
  const id = attachmentIdOf(attachment);
  const href = `/attachments/${encodeURIComponent(id)}`;
  const fileName = fileNameOf(attachment);
  return {
    ID: id,
    // A rename's title; the file's own name stays in fileName.
    name: attachment.title ?? attachment.name,
    fileName,
    category: attachment.category,
    categoryName: attachment.category,
    type: attachment.type,
    extension: attachment.extension,
    mimeType: attachment.mimeType,
    size: attachment.size,
    ...(attachment.url !== null && { url: attachment.url }),
    createdBy: attachment.createdBy,
    createdByName: attachment.createdBy,
    createTime: attachment.createdAt,
    links: {
      download: { rel: 'self', href, type: 'GET', title: 'Download the attachment' },
      delete: { rel: 'delete', href, type: 'DELETE', title: 'Delete the attachment' },
      ...(attachment.caseId !== null && {
        edit: { rel: 'edit', href, type: 'PATCH', title: 'Rename or recategorise the attachment' },
      }),
    },
  };
}

/**
 * `POST /attachments/upload`: one file (multipart field `file`, or `File` as Pega's web client
 * names it) becomes a temporary upload, `201 {ID}`. The token is checked first, with the
 * operator's upload quota read beside it (429 for an operator at its quota, before the body is
 * read); the body is then read up to the limit and no further (413, nothing stored).
 */
export async function uploadAttachmentHandler(c: AppContext) {
  const maxBytes = required(c.var.config.attachmentMaxBytes);
  const quota = required(c.var.config.uploadQuota);
  const now = new Date();
  const { principal, found: usage } = await authorize(
    c,
    uploadUsageReads(c.env.DB, c.var.bearer.claims.operator, now),
  );
  // An operator already at its quota is refused before its body is read.
  checkUploadQuota(usage, quota, 0, now);
  const form = await readMultipart(c.req.raw, maxBytes);
  const files = [...form.getAll('file'), ...form.getAll('File')];
  const [file] = files;
  if (files.length !== 1 || typeof file === 'string' || file === undefined) {
    throw invalidRequest('Send one file, as the multipart field "file".', [
      { path: '.file', message: `Expected one file, got ${files.length}.` },
    ]);
  }
  if (file.size > maxBytes) throw payloadTooLarge(maxBytes);
  checkUploadQuota(usage, quota, file.size, now);
  const upload = newUpload(principal, file, now);
  const bytes = new Uint8Array(await file.arrayBuffer());
  await storeUpload(c.env.DB, c.env.ATTACHMENTS, upload, bytes, quota);
  return c.json({ ID: upload.id }, 201);
}

type LinkBody = z.infer<typeof linkAttachmentsSchema>;
type LinkFound = ReturnType<typeof linkReads> extends Reads<infer T> ? T : never;

/** What a link body names, in the domain's terms. */
const linkRequests = (body: LinkBody): LinkRequest[] =>
  body.attachments.map((item) =>
    item.type === 'URL'
      ? { type: 'URL', category: item.category, name: item.name, url: item.url }
      : { type: 'FILE', ID: item.ID, category: item.category, name: item.name },
  );

/** `POST /cases/{ID}/attachments`: uploads linked (and links added), each in the history. */
export async function linkAttachmentsHandler(
  c: AppContext,
  { body, principal, found }: Input<undefined, LinkBody, undefined> & Found<LinkFound>,
) {
  const id = c.req.param('id') as string;
  const linked = await linkToCase(c.env.DB, principal, found, id, linkRequests(body));
  return c.json({ attachments: linked.map(attachmentView) }, 201);
}

/** `GET /cases/{ID}/attachments`: the case's attachments, oldest first, in one level. */
export async function listAttachmentsHandler(
  c: AppContext,
  { principal, found }: Found<{ found: FoundCase | null; attachments: Attachment[] }>,
) {
  const id = c.req.param('id') as string;
  visibleCase(principal, id, found.found);
  return c.json({ attachments: found.attachments.map(attachmentView) });
}

/** `GET /cases/{ID}/attachment_categories`: what the caller may do with each category. */
export async function attachmentCategoriesHandler(
  c: AppContext,
  {
    query,
    principal,
    found,
  }: Input<z.infer<typeof attachmentCategoriesQuerySchema>, undefined, undefined> &
    Found<FoundCase | null>,
) {
  visibleCase(principal, c.req.param('id') as string, found);
  const mayChange = principal.scopes.includes('cases:update');
  const wanted = (query.type ?? 'File').toUpperCase();
  return c.json({
    attachment_categories: CATEGORIES.filter((category) => category.toUpperCase() === wanted).map(
      (category) => ({
        ID: category,
        name: category,
        canView: true,
        canCreate: mayChange,
        canEdit: mayChange,
        canDelete: mayChange,
        // The names pega-dx-mcp reads: who may delete the caller's own files, and anyone's.
        canEditOwn: mayChange,
        canEditAll: mayChange,
        canDeleteOwn: mayChange,
        canDeleteAll: mayChange,
      }),
    ),
  });
}

/**
 * `GET /attachments/{ID}`: the content Base64-encoded as Pega answers it (a link: its URL),
 * always as a download of text that no browser runs. The object is fetched beside the bearer
 * check (its key is the ID) and dropped unread when the caller may not have it.
 */
export async function downloadAttachmentHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  const { checked: attachment, object } = await withObject(
    c.env.ATTACHMENTS,
    id,
    authorize(c, attachmentReads(c.env.DB, id)),
    ({ principal, found }) => visibleAttachment(principal, id, found),
  );
  const content =
    attachment.type === 'URL'
      ? (attachment.url ?? '')
      : object
        ? toBase64(new Uint8Array(await object.arrayBuffer()))
        : null;
  // A record whose object is gone (a delete that half happened) is gone.
  if (content === null) throw attachmentNotFound(id);
  return c.body(content, 200, downloadHeaders(attachment, 'text/plain; charset=utf-8'));
}

/** `DELETE /attachments/{ID}`: the record and the object, written to the case's history. */
export async function deleteAttachmentHandler(
  c: AppContext,
  { principal, found }: Found<{ attachment: Attachment | null; item: Case | null }>,
) {
  const attachment = visibleAttachment(principal, c.req.param('id') as string, found);
  await removeAttachment(c.env.DB, c.env.ATTACHMENTS, principal, { attachment, item: found.item });
  return c.json({});
}

/**
 * `PATCH /attachments/{ID}` with `{name?, category?}`: a linked attachment's name and category
 * changed, written to its case's history, in the batch that authorizes it.
 */
export async function changeAttachmentHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof attachmentChangeSchema>, undefined>,
) {
  const id = c.req.param('id') as string;
  try {
    checkCategory(body.category);
  } catch (error) {
    return refuseAfterTokenCheck(c, error);
  }
  const { principal, found } = await writeInCheck(c, 'cases:update', (writer) =>
    planAttachmentChange(c.env.DB, writer, id, body),
  );
  return c.json(attachmentView(changedAttachment(principal, id, found)));
}

/** The attachment operations, in both APIs' tables. */
export const attachmentOperations: Operation[] = [
  operation({
    id: 'uploadAttachment',
    method: 'post',
    path: '/attachments/upload',
    caller: { scope: 'cases:update' },
    ownBody: 'multipart/form-data',
    handler: uploadAttachmentHandler,
  }),
  operation({
    id: 'getAttachment',
    method: 'get',
    path: '/attachments/{ID}',
    caller: { scope: 'cases:read' },
    handler: downloadAttachmentHandler,
  }),
  operation({
    id: 'deleteAttachment',
    method: 'delete',
    path: '/attachments/{ID}',
    caller: { scope: 'cases:update' },
    reads: (c) => attachmentReads(c.env.DB, c.req.param('id') as string),
    handler: deleteAttachmentHandler,
  }),
  operation({
    id: 'changeAttachment',
    method: 'patch',
    path: '/attachments/{ID}',
    caller: { scope: 'cases:update' },
    body: { schema: attachmentChangeSchema, required: true },
    handler: changeAttachmentHandler,
  }),
  operation({
    id: 'linkAttachments',
    method: 'post',
    path: '/cases/{ID}/attachments',
    caller: { scope: 'cases:update' },
    body: { schema: linkAttachmentsSchema, required: true },
    reads: (c, { body }) => linkReads(c.env.DB, c.req.param('id') as string, linkRequests(body)),
    handler: linkAttachmentsHandler,
  }),
  operation({
    id: 'listAttachments',
    method: 'get',
    path: '/cases/{ID}/attachments',
    caller: { scope: 'cases:read' },
    reads: (c) => caseWithAttachmentsReads(c.env.DB, c.req.param('id') as string),
    handler: listAttachmentsHandler,
  }),
  operation({
    id: 'attachmentCategories',
    method: 'get',
    path: '/cases/{ID}/attachment_categories',
    caller: { scope: 'cases:read' },
    query: attachmentCategoriesQuerySchema,
    reads: caseInPath,
    handler: attachmentCategoriesHandler,
  }),
];
