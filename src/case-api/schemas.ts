import { MAX_RECORDS } from '../domain/model';
import * as z from '../zod';

/** Request schemas both case APIs share; v1's own are in api/schemas.ts. */

/**
 * Pega's page instructions (`UPDATE`, `APPEND`, `DELETE` ... on an embedded page or list).
 * Parsed so that each can be answered with a field error: cases here have flat fields only.
 */
const pageInstructionSchema = z.looseObject({
  instruction: z.string().check(z.minLength(1), z.maxLength(32)),
  target: z.string().check(z.maxLength(200)),
});

export const pageInstructionsSchema = z.optional(
  z.array(pageInstructionSchema).check(z.maxLength(100)),
);

/** Field values: names and values are checked against the case type by the domain. */
export const contentSchema = z.record(z.string(), z.unknown());

/** `POST /cases` (both APIs). `caseTypeID` is checked by the domain for Pega_API_004. */
export const createCaseSchema = z.strictObject({
  caseTypeID: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  processID: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  parentCaseID: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  content: z.optional(contentSchema),
  pageInstructions: pageInstructionsSchema,
});

/** A submission's body (v1's `POST /assignments/{ID}`, v2's PATCH of an action): the values the form changed. */
export const submitAssignmentSchema = z.strictObject({
  content: z._default(contentSchema, {}),
  pageInstructions: pageInstructionsSchema,
});

const attachmentName = z.string().check(z.trim(), z.minLength(1), z.maxLength(255));
const category = z.enum(['File', 'URL']);

/**
 * `POST /cases/{ID}/attachments`: uploads to link (`type: "File"`, the upload's `ID`; Pega's
 * web client also sends `fileType`) and links to add (`type: "URL"`).
 */
export const linkAttachmentsSchema = z.strictObject({
  attachments: z
    .array(
      z.discriminatedUnion('type', [
        z.strictObject({
          type: z.enum(['File', 'FILE']),
          category: z._default(category, 'File'),
          ID: z.string().check(z.minLength(1), z.maxLength(200)),
          name: z.optional(attachmentName),
          fileType: z.optional(z.string().check(z.maxLength(32))),
        }),
        z.strictObject({
          type: z.literal('URL'),
          category: z._default(category, 'URL'),
          name: attachmentName,
          url: z.httpUrl().check(z.maxLength(2048)),
        }),
      ]),
    )
    .check(z.minLength(1), z.maxLength(20)),
});

/**
 * `PATCH /attachments/{ID}`: the name shown and the category (checked by the domain: a category
 * not offered is 403, as Pega refuses one the caller may not use).
 */
export const attachmentChangeSchema = z.strictObject({
  name: z.optional(attachmentName),
  category: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});

/** `GET /cases/{ID}/attachment_categories?type=File|URL` (any case). */
export const attachmentCategoriesQuerySchema = z.object({
  type: z.optional(z.string().check(z.maxLength(16))),
});

const pageSize = z.int().check(z.gte(1), z.lte(MAX_RECORDS));

const queryField = z.strictObject({
  field: z.string().check(z.minLength(1), z.maxLength(100)),
});

/** Pega's data view query; what it names is checked against the view (domain/data-views.ts). */
const querySchema = z.strictObject({
  select: z.optional(z.array(queryField).check(z.maxLength(50))),
  filter: z.optional(
    z.strictObject({
      filterConditions: z.record(
        z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'a condition name: F1, C2...')),
        z.strictObject({
          lhs: queryField,
          comparator: z.string().check(z.minLength(1), z.maxLength(20)),
          rhs: z.optional(
            z.strictObject({
              value: z.optional(z.unknown()),
              values: z.optional(z.array(z.unknown()).check(z.maxLength(100))),
            }),
          ),
          ignoreCase: z.optional(z.boolean()),
        }),
      ),
      logic: z.optional(z.string().check(z.maxLength(500))),
    }),
  ),
  sortBy: z.optional(
    z
      .array(
        z.strictObject({
          field: z.string().check(z.minLength(1), z.maxLength(100)),
          type: z.optional(z.enum(['ASC', 'DESC'])),
        }),
      )
      .check(z.maxLength(5)),
  ),
  distinctResultsOnly: z.optional(z.boolean()),
});

/** `POST /data_views/{ID}` and its count: a query, paging, and parameters (the views take none). */
export const dataViewSchema = z.strictObject({
  dataViewParameters: z.optional(z.record(z.string(), z.unknown())),
  query: z.optional(querySchema),
  useExtendedTimeout: z.optional(z.boolean()),
  paging: z.optional(
    z.union([
      // pageSize alone is the first page (pega-dx-mcp's own example sends it so).
      z.strictObject({ pageNumber: z._default(z.int().check(z.gte(1)), 1), pageSize }),
      z.strictObject({ maxResultsToFetch: pageSize }),
    ]),
  ),
});
export type DataViewRequest = z.infer<typeof dataViewSchema>;

export type CreateCaseBody = z.infer<typeof createCaseSchema>;
export type SubmitBody = z.infer<typeof submitAssignmentSchema>;
