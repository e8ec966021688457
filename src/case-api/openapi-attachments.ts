import * as z from 'zod';
import {
  bearer,
  bearerRefusals,
  caseIdParameter,
  dxBodyRefusals,
  dxError,
  dxRefusals,
  header,
  jsonBodyRefusals,
  jsonContent,
  pegaError,
  response,
} from './openapi-parts';
import {
  attachmentCategoriesQuerySchema,
  attachmentChangeSchema,
  linkAttachmentsSchema,
} from './schemas';

/** Attachments in the OpenAPI document, the same in both APIs (build time only). */

const attachmentSchema = z.object({
  ID: z.string(),
  name: z.string(),
  fileName: z.string(),
  category: z.string(),
  categoryName: z.string(),
  type: z.enum(['FILE', 'URL']),
  extension: z.string(),
  mimeType: z.string().describe('As the uploader declared it: metadata only, never served'),
  size: z.number().int(),
  url: z.string().optional(),
  createdBy: z.string(),
  createdByName: z.string(),
  createTime: z.string(),
  links: z.record(z.string(), z.looseObject({ href: z.string(), type: z.string() })),
});

const attachmentIdParameter = {
  name: 'ID',
  in: 'path',
  required: true,
  description:
    "The attachment ID: Pega's LINK-ATTACHMENT <case>!<time> once linked (links made before keep the upload's), the upload's before",
  schema: { type: 'string' },
};

/** The attachment calls under `base`, each refusing in that API's error body. */
export function attachmentPaths(base: '/api/v1' | '/api/application/v2') {
  const v2 = base !== '/api/v1';
  const error = v2 ? dxError : pegaError;
  const refusals = v2 ? dxRefusals : bearerRefusals;
  const bodyRefusals = v2 ? dxBodyRefusals : jsonBodyRefusals;
  const notFound = error('Not found, or not visible to the caller');
  return {
    [`${base}/attachments/upload`]: {
      post: {
        summary: "Upload a file: a temporary attachment, the uploader's until a case links it",
        security: bearer('cases:update'),
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: {
                  file: { type: 'string', format: 'binary', description: '"File" is accepted too' },
                  appendUniqueIdToFileName: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {
          '201': response('The temporary upload', z.object({ ID: z.string() })),
          ...refusals,
          ...bodyRefusals,
          '413': error('Larger than ATTACHMENT_MAX_BYTES (10 MiB by default): nothing stored'),
          '429': error(
            "Past the operator's upload quota (UPLOAD_QUOTA_FILES, UPLOAD_QUOTA_BYTES): nothing stored; Retry-After says when a slot frees",
          ),
          '415': error('Not multipart/form-data'),
        },
      },
    },
    [`${base}/attachments/{ID}`]: {
      get: {
        summary: 'The content, Base64-encoded (a link: its URL), always as a download',
        security: bearer('cases:read'),
        parameters: [attachmentIdParameter],
        responses: {
          '200': {
            description: 'Base64 text',
            headers: {
              'Content-Disposition': header('attachment; filename=...'),
              'X-Content-Type-Options': header('nosniff'),
            },
            content: { 'text/plain': { schema: { type: 'string', contentEncoding: 'base64' } } },
          },
          '404': notFound,
          ...refusals,
        },
      },
      delete: {
        summary: 'Delete an attachment (written to the case history)',
        security: bearer('cases:update'),
        parameters: [attachmentIdParameter],
        responses: {
          '200': response('Deleted', z.object({})),
          '404': notFound,
          '409': error('The case is resolved: it keeps its files'),
          ...refusals,
        },
      },
      patch: {
        summary: "Change a linked attachment's name or category (written to the case history)",
        security: bearer('cases:update'),
        parameters: [attachmentIdParameter],
        requestBody: { required: true, content: jsonContent(attachmentChangeSchema, 'input') },
        responses: {
          '200': response('The attachment as changed', attachmentSchema),
          '404': notFound,
          ...bodyRefusals,
          ...refusals,
          '403': error(
            'A category that may not be used (Error_Attachment_Access_Denied), or a missing scope',
          ),
        },
      },
    },
    [`${base}/cases/{ID}/attachments`]: {
      get: {
        summary: "A case's attachments, oldest first",
        security: bearer('cases:read'),
        parameters: [caseIdParameter],
        responses: {
          '200': response('The attachments', z.object({ attachments: z.array(attachmentSchema) })),
          '404': notFound,
          ...refusals,
        },
      },
      post: {
        summary: 'Link uploads (and add URLs) to a case',
        security: bearer('cases:update'),
        parameters: [caseIdParameter],
        requestBody: { required: true, content: jsonContent(linkAttachmentsSchema, 'input') },
        responses: {
          '201': response('Linked', z.object({ attachments: z.array(attachmentSchema) })),
          '404': error("The case, or an upload that is not the caller's, expired or linked"),
          '409': error('An upload was linked or removed by another request at the same time'),
          ...refusals,
          ...bodyRefusals,
        },
      },
    },
    [`${base}/cases/{ID}/attachment_categories`]: {
      get: {
        summary: 'The categories, with what the caller may do',
        security: bearer('cases:read'),
        parameters: [
          caseIdParameter,
          ...Object.keys(attachmentCategoriesQuerySchema.shape).map((name) => ({
            name,
            in: 'query',
            required: false,
            schema: { enum: ['File', 'URL'] },
          })),
        ],
        responses: {
          '200': response(
            'Categories',
            z.object({
              attachment_categories: z.array(
                z.object({
                  ID: z.string(),
                  name: z.string(),
                  canView: z.boolean(),
                  canCreate: z.boolean(),
                  canEdit: z.boolean(),
                  canDelete: z.boolean(),
                  canEditOwn: z.boolean(),
                  canEditAll: z.boolean(),
                  canDeleteOwn: z.boolean(),
                  canDeleteAll: z.boolean(),
                }),
              ),
            }),
          ),
          '404': notFound,
          ...refusals,
        },
      },
    },
  };
}

/** API v1's data pages: the data views' rows. */
export function dataPagePaths() {
  return {
    '/api/v1/data/{ID}': {
      get: {
        summary: 'A data page: D_pyMyWorkList, D_<case type>List, D_pxAvailableCaseTypesForPortal',
        security: bearer('cases:read'),
        parameters: [{ name: 'ID', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': response(
            'The rows (the first 500)',
            z.object({
              pxObjClass: z.string(),
              pxResults: z.array(z.record(z.string(), z.unknown())),
            }),
          ),
          ...bearerRefusals,
          '400': pegaError('Parameters (the built-in pages take none), or a malformed token'),
          '404': pegaError('No such data page, or one the caller may not use'),
        },
      },
    },
  };
}
