import { createCaseSchema } from '../api/schemas';
import * as z from '../zod';

/**
 * What DX API v2 requests carry. Bodies are strict as in API v1 (an unknown name is a field
 * error, never silently dropped); query strings ignore what they do not use (`pageName`, ...).
 */

const viewType = z.optional(z.enum(['none', 'form', 'page']));

/** `?viewType=`: whether an answer carries uiResources. */
export const viewQuerySchema = z.object({ viewType });

const pageInstructions = createCaseSchema.shape.pageInstructions;
const content = z.record(z.string(), z.unknown());

/** `PATCH .../actions/{actionID}`: the values the form changed. */
export const actionSchema = z.strictObject({
  content: z._default(content, {}),
  pageInstructions,
});

/** `PATCH .../refresh`: the same, and Pega's web client's request for context data. */
export const refreshSchema = z.strictObject({
  content: z._default(content, {}),
  pageInstructions,
  contextData: z.optional(z.boolean()),
});

const pageSize = z.int().check(z.gte(1), z.lte(500));

/** `POST /data_views/{ID}`: paging, and parameters (which the built-in views take none of). */
export const dataViewSchema = z.strictObject({
  dataViewParameters: z.optional(z.record(z.string(), z.unknown())),
  paging: z.optional(
    z.union([
      z.strictObject({ pageNumber: z.int().check(z.gte(1)), pageSize }),
      z.strictObject({ maxResultsToFetch: pageSize }),
    ]),
  ),
});
export type DataViewRequest = z.infer<typeof dataViewSchema>;
