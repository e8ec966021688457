import { AppError, ifMatchFailed, invalidRequest, notFound, principalChanged } from '../errors';
import {
  addParticipant,
  type CaseChange,
  type ParticipantRow,
  type ParticipantWrite,
  type PartyContent,
  participantsRead,
  patchParticipant,
  removeParticipant,
  undoParticipantWrite,
} from '../store/participants';
import { allReads, type Reads } from '../store/reads';
import { actorOf, caseReads, type FoundCase, visibleCase } from './cases';
import { caseWriteGuard, type Writer } from './collaboration';
import type { CaseType, FieldDefinition, ParticipantRole, Principal } from './model';
import { type IfMatch, ifMatchAccepts } from './versioned';

/**
 * Participants of a case (DX case model §5): each holds one of the case type's roles, with
 * Pega's Data-Party content. Reads come beside the bearer check; every change is one batch with
 * it that raises the case's version (If-Match), its preconditions in the SQL (store/participants.ts).
 */

export type { ParticipantRow, PartyContent } from '../store/participants';

/** Data-Party's fields here, as a form shows them. */
export const PARTY_FIELDS: FieldDefinition[] = [
  { name: 'pyFirstName', label: 'First name', type: 'string', required: false, maxLength: 64 },
  { name: 'pyLastName', label: 'Last name', type: 'string', required: false, maxLength: 64 },
  { name: 'pyTitle', label: 'Title', type: 'string', required: false, maxLength: 64 },
  { name: 'pyEmail1', label: 'E-mail', type: 'string', required: false, maxLength: 254 },
  { name: 'pyPhoneNumber', label: 'Phone', type: 'string', required: false, maxLength: 32 },
  {
    name: 'pyWorkPartyUri',
    label: 'Operator or address',
    type: 'string',
    required: false,
    maxLength: 200,
  },
];

/** A participant as Pega shows it: its content, its full name made where none was given. */
export function participantView({
  participantID,
  participantRoleID,
  content,
}: ParticipantRow): PartyContent & { participantID: string; participantRoleID: string } {
  const fullName =
    content.pyFullName ?? [content.pyFirstName, content.pyLastName].filter(Boolean).join(' ');
  return { participantID, participantRoleID, ...content, pyFullName: fullName };
}

export const rolesOf = (caseType: CaseType): ParticipantRole[] => caseType.participantRoles ?? [];

/** The case, its type and its participants, beside the bearer check. */
export const participantsReads = (db: D1Database, caseId: string, follower?: string) =>
  allReads({ found: caseReads(db, caseId, follower), participants: participantsRead(db, caseId) });

export interface ParticipantsFound {
  found: FoundCase | null;
  participants: ParticipantRow[];
}

/** A planned change of a case's participants: what was there before, and what it wrote. */
export type ParticipantsChange = Reads<ParticipantsFound & { write: ParticipantWrite }> & {
  undo: (found: ParticipantsFound & { write: ParticipantWrite }) => Promise<void>;
};

type Kind =
  | { kind: 'add'; roleId: string; content: PartyContent }
  | { kind: 'patch'; participantId: string; content: Record<string, string | null> }
  | { kind: 'remove'; participantId: string };

/** Plans one change of case `caseId`'s participants, guarded by the writer and If-Match. */
export function planParticipantChange(
  db: D1Database,
  writer: Writer,
  caseId: string,
  ifMatch: IfMatch,
  change: Kind,
): ParticipantsChange {
  const on: CaseChange = {
    caseId,
    versions: ifMatch.any ? null : ifMatch.versions,
    operatorId: writer.operatorId,
    actor: actorOf(writer.operatorId, writer.clientId),
    at: new Date().toISOString(),
    guard: caseWriteGuard(writer, 'cases:update', caseId),
  };
  const write =
    change.kind === 'add'
      ? addParticipant(db, on, change.roleId, change.content)
      : change.kind === 'patch'
        ? patchParticipant(db, on, change.participantId, change.content)
        : removeParticipant(db, on, change.participantId);
  const reads = allReads({ before: participantsReads(db, caseId), write });
  return {
    statements: reads.statements,
    from: (results) => {
      const { before, write: written } = reads.from(results);
      return { ...before, write: written };
    },
    undo: async ({ participants, write: written }) => {
      if (written.participant === null) return;
      const id = written.participant.participantID;
      const before = participants.find((row) => row.participantID === id) ?? null;
      await undoParticipantWrite(db, on, id, before);
    },
  };
}

/**
 * The outcome of a change, from the same batch: the case's new version and the participant, or
 * why nothing was written, in the order the checks would refuse it.
 */
export function changedParticipant(
  principal: Principal,
  caseId: string,
  ifMatch: IfMatch,
  change: Kind,
  { found, participants, write }: ParticipantsFound & { write: ParticipantWrite },
): { version: number; participant: ParticipantRow; caseType: CaseType } {
  const { item, caseType } = visibleCase(principal, caseId, found);
  if (write.version !== null && write.participant) {
    return { version: write.version, participant: write.participant, caseType };
  }
  if (change.kind === 'add') {
    const role = rolesOf(caseType).find((candidate) => candidate.ID === change.roleId);
    if (!role)
      throw invalidRequest(`Participant role ${change.roleId} is not valid for this case.`);
    if (role.single && participants.some((row) => row.participantRoleID === role.ID)) {
      throw new AppError(409, 'conflict', `Participant role ${role.ID} already has a participant.`);
    }
  } else if (!participants.some((row) => row.participantID === change.participantId)) {
    throw participantNotFound(change.participantId);
  }
  if (!ifMatchAccepts(ifMatch, item.version)) throw ifMatchFailed();
  throw principalChanged();
}

export const participantNotFound = (id: string) => notFound(`Participant ${id} not found.`);
