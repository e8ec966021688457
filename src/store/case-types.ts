import type {
  CaseType,
  FlowStep,
  OptionalProcess,
  ParticipantRole,
  StageDefinition,
} from '../domain/model';
import { parseJsonColumn } from './json';
import { oneStatement, type Reads } from './reads';
import { versionedUpdate } from './versioned';

export interface CaseTypeRow {
  id: string;
  name: string;
  id_prefix: string;
  starting_processes: string;
  fields: string;
  flow: string | null;
  stages: string | null;
  processes: string | null;
  participant_roles: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export const CASE_TYPE_COLUMNS =
  'id, name, id_prefix, starting_processes, fields, flow, stages, processes, participant_roles, created_at, updated_at, version';

/**
 * A case type as stored: `flow` null where the admin defined none (the domain's default flow
 * applies then; see domain/flow.ts withFlow).
 */
export type CaseTypeRecord = Omit<CaseType, 'flow'> & { flow: FlowStep[] | null };

export function caseTypeFromRow(row: CaseTypeRow): CaseTypeRecord {
  return {
    id: row.id,
    name: row.name,
    idPrefix: row.id_prefix,
    startingProcesses: parseJsonColumn(row.starting_processes),
    fields: parseJsonColumn(row.fields),
    flow: row.flow === null ? null : parseJsonColumn(row.flow),
    ...(row.stages !== null && { stages: parseJsonColumn(row.stages) }),
    ...(row.processes !== null && { processes: parseJsonColumn(row.processes) }),
    ...(row.participant_roles !== null && {
      participantRoles: parseJsonColumn(row.participant_roles),
    }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** One case type by ID: run it, or batch it beside the bearer check. */
export const caseTypeStatement = (db: D1Database, id: string) =>
  db.prepare(`SELECT ${CASE_TYPE_COLUMNS} FROM case_types WHERE id = ?`).bind(id);

/** All case types, by ID. Admins define tens, not thousands: no paging. */
export const caseTypesStatement = (db: D1Database) =>
  db.prepare(`SELECT ${CASE_TYPE_COLUMNS} FROM case_types ORDER BY id`);

export const caseTypeFrom = (rows: unknown[]) =>
  rows[0] ? caseTypeFromRow(rows[0] as CaseTypeRow) : null;

export const caseTypesFrom = (rows: unknown[]) => (rows as CaseTypeRow[]).map(caseTypeFromRow);

/** One case type by ID, or null. */
export const caseTypeRead = (db: D1Database, id: string): Reads<CaseTypeRecord | null> =>
  oneStatement(caseTypeStatement(db, id), caseTypeFrom);

/** All case types, by ID. */
export const caseTypesRead = (db: D1Database): Reads<CaseTypeRecord[]> =>
  oneStatement(caseTypesStatement(db), caseTypesFrom);

export async function getCaseType(db: D1Database, id: string): Promise<CaseTypeRecord | null> {
  return caseTypeFrom((await caseTypeStatement(db, id).all()).results);
}

export async function listCaseTypes(db: D1Database): Promise<CaseTypeRecord[]> {
  return caseTypesFrom((await caseTypesStatement(db).all()).results);
}

/** A definition as the admin gave it: `flow` undefined keeps the default flow. */
export type StoredCaseType = Omit<CaseType, 'flow'> & { flow?: FlowStep[] | undefined };

const flowColumn = (flow: FlowStep[] | undefined) => (flow ? JSON.stringify(flow) : null);
const stagesColumn = (stages: StageDefinition[] | undefined) =>
  stages ? JSON.stringify(stages) : null;
const processesColumn = (processes: OptionalProcess[] | undefined) =>
  processes?.length ? JSON.stringify(processes) : null;
const rolesColumn = (roles: ParticipantRole[] | undefined) =>
  roles?.length ? JSON.stringify(roles) : null;

/**
 * The write's own precondition that every operator its flow routes to exists: checked in the
 * statement, so an operator deleted meanwhile can never leave a step routed to nobody (its
 * deletion, in turn, waits for no flow to route to it).
 */
const routesExist = (flow: FlowStep[] | undefined) => ({
  sql: `NOT EXISTS (SELECT 1 FROM json_each(?) r WHERE r.value NOT IN (SELECT id FROM operators))`,
  args: [JSON.stringify((flow ?? []).flatMap((step) => (step.routeTo ? [step.routeTo] : [])))],
});

/**
 * Fails on the primary key when the ID is taken; writes nothing (no row returned) when an
 * operator the flow routes to does not exist.
 */
export function insertCaseType(db: D1Database, caseType: StoredCaseType) {
  const routes = routesExist(caseType.flow);
  return db
    .prepare(
      `INSERT INTO case_types (${CASE_TYPE_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${routes.sql}
       RETURNING id`,
    )
    .bind(
      caseType.id,
      caseType.name,
      caseType.idPrefix,
      JSON.stringify(caseType.startingProcesses),
      JSON.stringify(caseType.fields),
      flowColumn(caseType.flow),
      stagesColumn(caseType.stages),
      processesColumn(caseType.processes),
      rolesColumn(caseType.participantRoles),
      caseType.createdAt,
      caseType.updatedAt,
      caseType.version,
      ...routes.args,
    );
}

/** PUT: the whole definition, with the If-Match and routesExist checks in the same statement. */
export function replaceCaseType(
  db: D1Database,
  caseType: Omit<StoredCaseType, 'createdAt' | 'version'>,
  expected: number[] | null,
) {
  return versionedUpdate(
    db,
    'case_types',
    caseType.id,
    {
      name: caseType.name,
      id_prefix: caseType.idPrefix,
      starting_processes: JSON.stringify(caseType.startingProcesses),
      fields: JSON.stringify(caseType.fields),
      // null (no flow given) is written too: the case type goes back to the default flow.
      flow: flowColumn(caseType.flow),
      // null (no stages given): one stage per step again.
      stages: stagesColumn(caseType.stages),
      processes: processesColumn(caseType.processes),
      participant_roles: rolesColumn(caseType.participantRoles),
      updated_at: caseType.updatedAt,
    },
    expected,
    [],
    [routesExist(caseType.flow)],
  );
}
