import { contentSchema, pageInstructionsSchema, submitAssignmentSchema } from '../case-api/schemas';
import { integerParam } from '../http/validation';
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

/** A field or when rule a recalculation names, and the page it is on (`""`: the case). */
const calculationTarget = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  context: z.optional(z.string().check(z.maxLength(200))),
});
const calculationTargets = z.optional(z.array(calculationTarget).check(z.maxLength(100)));

/** What a recalculation asks for: Pega's declare expressions (`fields`) and when rules (`whens`). */
export const calculationsSchema = z.strictObject({
  fields: calculationTargets,
  whens: calculationTargets,
});

/** `PATCH .../actions/{actionID}/recalculate`: the form's values and what to recalculate. */
export const recalculateSchema = z.extend(refreshSchema, { calculations: calculationsSchema });

/** `POST /cases/{ID}/views/{viewID}/calculated_fields`: the fields to read. */
export const calculatedFieldsSchema = z.strictObject({ calculations: calculationsSchema });

export type RecalculateBody = z.infer<typeof recalculateSchema>;
export type CalculatedFieldsBody = z.infer<typeof calculatedFieldsSchema>;

/** The cases a bulk call names: 1 to 100 (domain/bulk.ts MAX_BULK_CASES). */
const bulkCases = z
  .array(z.strictObject({ ID: z.string().check(z.minLength(1), z.maxLength(200)) }))
  .check(z.minLength(1), z.maxLength(100));

/** `PATCH /cases?actionID=`: the case-wide action; `runningMode` is Launchpad's (ignored). */
export const bulkQuerySchema = z.object({
  actionID: z.string().check(z.minLength(1), z.maxLength(64)),
  runningMode: z.optional(z.string().check(z.maxLength(32))),
});

/** `PATCH /cases?actionID=`'s body: the cases, and the values the action sets on each. */
export const bulkSchema = z.strictObject({
  cases: bulkCases,
  content: z._default(contentSchema, {}),
  pageInstructions: pageInstructionsSchema,
});

/** `POST /cases/bulk-actions`: the cases whose common actions are asked for. */
export const bulkActionsSchema = z.strictObject({ cases: bulkCases });

export type BulkBody = z.infer<typeof bulkSchema>;

/** An operator ID, a case ID: what a collaboration request names a member by. */
const memberId = z.string().check(z.minLength(1), z.maxLength(200));

/** `POST /cases/{ID}/followers`: 1 to 50 operators. */
export const followersSchema = z.strictObject({
  users: z.array(z.strictObject({ ID: memberId })).check(z.minLength(1), z.maxLength(50)),
});

/** `POST /cases/{ID}/tags`: 1 to 50 names (cleaned and bounded by domain/collaboration.ts). */
export const tagsSchema = z.strictObject({
  tags: z
    .array(z.strictObject({ Name: z.string().check(z.maxLength(200)) }))
    .check(z.minLength(1), z.maxLength(50)),
});

/** `POST /cases/{ID}/related_cases`: 1 to 50 cases. */
export const relatedCasesSchema = z.strictObject({
  cases: z.array(z.strictObject({ ID: memberId })).check(z.minLength(1), z.maxLength(50)),
});

/** `GET /tags?searchFor=&listSize=`: a prefix, and how many to list (10 by default, at most 100). */
export const tagSearchSchema = z.object({
  searchFor: z._default(z.string().check(z.maxLength(64)), ''),
  listSize: z._default(integerParam(1, 100), 10),
});

/** Text a person typed: no control characters, bounded. */
const personText = (max: number) =>
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(max),
      z.regex(/^[^\p{Cc}\p{Cf}]*$/u, 'no control or format characters'),
    );

/** Pega's Data-Party fields that a participant here holds (domain/participants.ts). */
const partyFields = {
  pyFirstName: personText(64),
  pyLastName: personText(64),
  pyFullName: personText(128),
  pyTitle: personText(64),
  pyEmail1: z.email().check(z.maxLength(254)),
  pyPhoneNumber: z
    .string()
    .check(z.regex(/^\+?[0-9][0-9 ()\-.]{1,30}$/, 'a phone number: digits, + ( ) - .')),
  pyWorkPartyUri: personText(200),
};

type PartyField = keyof typeof partyFields;

const eachField = <S extends z.ZodMiniType>(turn: (schema: z.ZodMiniString) => S) =>
  Object.fromEntries(
    Object.entries(partyFields).map(([name, schema]) => [name, turn(schema as z.ZodMiniString)]),
  ) as Record<PartyField, S>;

/**
 * A role's form comes back with its blanks (`""`) and the names it showed
 * (`participantID`, `participantRoleID`): a blank is no value, and those names are the path's
 * and the body's, not content.
 */
const shown = {
  participantID: z.optional(z.string().check(z.maxLength(200))),
  participantRoleID: z.optional(z.string().check(z.maxLength(64))),
};

export const partyContentSchema = z.strictObject({
  ...eachField((schema) => z.optional(z.union([z.literal(''), schema]))),
  ...shown,
});

/** `POST /cases/{ID}/participants`. */
export const addParticipantSchema = z.strictObject({
  content: partyContentSchema,
  participantRoleID: z.string().check(z.minLength(1), z.maxLength(64)),
  pageInstructions: pageInstructionsSchema,
});

/** `PATCH /cases/{ID}/participants/{participantID}`: a merge; null removes a field. */
export const patchParticipantSchema = z.strictObject({
  content: z.strictObject({
    ...eachField((schema) => z.optional(z.nullable(z.union([z.literal(''), schema])))),
    ...shown,
  }),
  pageInstructions: pageInstructionsSchema,
});

/** `?viewType=` of the participant routes: form (the default) or none. */
export const participantViewSchema = z.object({ viewType: z.optional(z.enum(['form', 'none'])) });

/** A data record as a savable data page takes it: its fields (checked against the type). */
export const recordBodySchema = z.strictObject({ data: contentSchema });

/** `PATCH /data/{ID}`: a merge (null removes a field). */
export const recordPatchSchema = z.strictObject({
  data: contentSchema,
  pageInstructions: pageInstructionsSchema,
});

/** `DELETE /data/{ID}?dataViewParameters=`: the record's keys, as URI-encoded JSON. */
export const recordDeleteQuerySchema = z.object({
  dataViewParameters: z.string().check(z.minLength(2), z.maxLength(2000)),
});

/** `GET /data_objects?type=data|case`. */
export const dataObjectsQuerySchema = z.object({ type: z.optional(z.enum(['data', 'case'])) });
