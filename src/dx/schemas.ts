import { submitAssignmentSchema } from '../api/schemas';
import { MAX_RECORDS } from '../domain/model';
import * as z from '../zod';

/**
 * What DX API v2 requests carry. Bodies are strict as in API v1 (an unknown name is a field
 * error, never silently dropped); query strings ignore what they do not use (`pageName`, ...).
 */

const viewType = z.optional(z.enum(['none', 'form', 'page']));

/** `?viewType=`: whether an answer carries uiResources. */
export const viewQuerySchema = z.object({ viewType });

/**
 * `PATCH .../actions/{actionID}` takes API v1's submission body (`submitAssignmentSchema`);
 * `.../refresh` that, and Pega's web client's request for context data.
 */
export const refreshSchema = z.extend(submitAssignmentSchema, {
  contextData: z.optional(z.boolean()),
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
      z.strictObject({ pageNumber: z.int().check(z.gte(1)), pageSize }),
      z.strictObject({ maxResultsToFetch: pageSize }),
    ]),
  ),
});
export type DataViewRequest = z.infer<typeof dataViewSchema>;
