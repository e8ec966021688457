import { submitAssignmentSchema } from '../case-api/schemas';
import * as z from '../zod';

/**
 * What DX API v2 requests carry. Bodies are strict as in API v1 (an unknown name is a field
 * error, never silently dropped); query strings ignore what they do not use (`pageName`, ...).
 */

const viewType = z.optional(z.enum(['none', 'form', 'page']));

/**
 * `?viewType=`: whether an answer carries uiResources, and which (`page`: the page Pega's engine
 * embeds the step in). `pageName` is the engine's name of that page (pyEmbedAssignment).
 */
export const viewQuerySchema = z.object({
  viewType,
  pageName: z.optional(z.string().check(z.maxLength(64))),
});

/**
 * `PATCH .../actions/{actionID}` takes API v1's submission body (`submitAssignmentSchema`);
 * `.../refresh` that, and Pega's web client's request for context data.
 */
export const refreshSchema = z.extend(submitAssignmentSchema, {
  contextData: z.optional(z.boolean()),
});

/** A stage move's query: what to answer with (none by default), and whether to withdraw open steps. */
export const stageMoveQuerySchema = z.object({
  viewType,
  cleanupProcesses: z._default(z.enum(['true', 'false']), 'true'),
});

export type RefreshBody = z.infer<typeof refreshSchema>;
