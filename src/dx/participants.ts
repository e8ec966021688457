import { refuseAfterTokenCheck } from '../case-api/bearer';
import { writeInCheck } from '../case-api/writes';
import { checkPageInstructions, type FoundCase, visibleCase } from '../domain/cases';
import type { CaseType } from '../domain/model';
import {
  changedParticipant,
  PARTY_FIELDS,
  type ParticipantsFound,
  participantNotFound,
  participantsReads,
  participantView,
  planParticipantChange,
  rolesOf,
} from '../domain/participants';
import type { IfMatch } from '../domain/versioned';
import { notFound } from '../errors';
import type { AppContext } from '../http/context';
import { etagOf } from '../http/etag';
import type { Found, Input } from '../http/operations';
import type * as z from '../zod';
import type {
  addParticipantSchema,
  participantViewSchema,
  patchParticipantSchema,
} from './schemas';
import { caseTypeForm } from './ui-resources';

/** Participants of a case in DX API v2 (DX case model §5), and the roles they take. */

const caseIdOf = (c: AppContext) => c.req.param('id') as string;

type ViewQuery = z.infer<typeof participantViewSchema>;

export const participantsInPath = (c: AppContext) =>
  participantsReads(c.env.DB, caseIdOf(c), c.var.bearer.claims.operator);

/** The form of a participant: Data-Party's fields, drawn as a case type's form is. */
const partyForm = (caseType: CaseType) =>
  caseTypeForm(
    { ...caseType, id: 'Data-Party-Person', fields: PARTY_FIELDS },
    'pyParticipantForm',
    false,
    new Map(),
  );

const withForm = (caseType: CaseType, query: ViewQuery) =>
  query.viewType === 'none' ? {} : { uiResources: partyForm(caseType) };

/** `GET /cases/{ID}/participant_roles`. */
export function participantRolesHandler(c: AppContext, input: Found<FoundCase | null>) {
  const { caseType } = visibleCase(input.principal, caseIdOf(c), input.found);
  return c.json({
    participant_roles: rolesOf(caseType).map(({ ID, name }) => ({ ID, name })),
  });
}

/** `GET /cases/{ID}/participant_roles/{roleID}`: the role's form, empty. */
export function participantRoleHandler(
  c: AppContext,
  input: Input<ViewQuery, undefined, undefined> & Found<FoundCase | null>,
) {
  const { caseType } = visibleCase(input.principal, caseIdOf(c), input.found);
  const roleId = c.req.param('roleId') as string;
  const role = rolesOf(caseType).find((candidate) => candidate.ID === roleId);
  if (!role) throw notFound(`Participant role ${roleId} not found.`);
  const content = Object.fromEntries(PARTY_FIELDS.map((field) => [field.name, '']));
  return c.json({
    data: { content: { ...content, participantRoleID: role.ID } },
    ...withForm(caseType, input.query),
  });
}

/** `GET /cases/{ID}/participants`. */
export function participantsHandler(c: AppContext, input: Found<ParticipantsFound>) {
  const { item } = visibleCase(input.principal, caseIdOf(c), input.found.found);
  c.header('ETag', etagOf(item.version));
  return c.json({
    data: { content: { pyParticipants: input.found.participants.map(participantView) } },
  });
}

/** `GET /cases/{ID}/participants/{participantID}`. */
export function participantHandler(
  c: AppContext,
  input: Input<ViewQuery, undefined, undefined> & Found<ParticipantsFound>,
) {
  const { item, caseType } = visibleCase(input.principal, caseIdOf(c), input.found.found);
  const id = c.req.param('participantId') as string;
  const participant = input.found.participants.find((row) => row.participantID === id);
  if (!participant) throw participantNotFound(id);
  c.header('ETag', etagOf(item.version));
  return c.json({
    data: { content: participantView(participant) },
    ...withForm(caseType, input.query),
  });
}

type Change = Parameters<typeof planParticipantChange>[4];

/** Runs one change in the batch that authorizes it, and answers with the case's new ETag. */
async function changeParticipants(
  c: AppContext,
  ifMatch: IfMatch,
  change: Change,
  pageInstructions: unknown[] | undefined,
) {
  try {
    checkPageInstructions(pageInstructions as Parameters<typeof checkPageInstructions>[0]);
  } catch (error) {
    return refuseAfterTokenCheck(c, error);
  }
  const caseId = caseIdOf(c);
  const { principal, found } = await writeInCheck(c, 'cases:update', (writer) =>
    planParticipantChange(c.env.DB, writer, caseId, ifMatch, change),
  );
  const changed = changedParticipant(principal, caseId, ifMatch, change, found);
  c.header('ETag', etagOf(changed.version));
  return changed;
}

/** `POST /cases/{ID}/participants` with If-Match: 201, the participant and its form. */
export async function addParticipantHandler(
  c: AppContext,
  input: Input<ViewQuery, z.infer<typeof addParticipantSchema>, IfMatch>,
) {
  const { body } = input;
  const { participant, caseType } = await changeParticipants(
    c,
    input.ifMatch,
    { kind: 'add', roleId: body.participantRoleID, content: definedOf(body.content) },
    body.pageInstructions,
  );
  return c.json(
    { data: { content: participantView(participant) }, ...withForm(caseType, input.query) },
    201,
  );
}

/** `PATCH /cases/{ID}/participants/{participantID}` with If-Match: the content merged. */
export async function patchParticipantHandler(
  c: AppContext,
  input: Input<ViewQuery, z.infer<typeof patchParticipantSchema>, IfMatch>,
) {
  const { body } = input;
  const participantId = c.req.param('participantId') as string;
  const { participant, caseType } = await changeParticipants(
    c,
    input.ifMatch,
    { kind: 'patch', participantId, content: changesOf(body.content) },
    body.pageInstructions,
  );
  return c.json({
    data: { content: participantView(participant) },
    ...withForm(caseType, input.query),
  });
}

/** `DELETE /cases/{ID}/participants/{participantID}` with If-Match. */
export async function removeParticipantHandler(
  c: AppContext,
  input: Input<undefined, undefined, IfMatch>,
) {
  const participantId = c.req.param('participantId') as string;
  await changeParticipants(c, input.ifMatch, { kind: 'remove', participantId }, undefined);
  return c.json({});
}

/** Names a form shows beside the Data-Party fields: never stored as content. */
const SHOWN = new Set(['participantID', 'participantRoleID']);

/** The fields sent with a value: a blank (`""`) is none, as a form sends an empty input. */
const definedOf = (content: Record<string, string | undefined>) =>
  Object.fromEntries(
    Object.entries(content).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && entry[1] !== '' && !SHOWN.has(entry[0]),
    ),
  );

/** A merge's changes: a blank or null removes the field. */
const changesOf = (content: Record<string, string | null | undefined>) =>
  Object.fromEntries(
    Object.entries(content).flatMap(([name, value]) =>
      value === undefined || SHOWN.has(name) ? [] : [[name, value === '' ? null : value]],
    ),
  ) as Record<string, string | null>;
