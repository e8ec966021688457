import { allCaseTypes, defineCaseType, findCaseType, redefineCaseType } from '../domain/case-types';
import type { CaseType } from '../domain/model';
import { caseTypeNotFound, invalidRequest } from '../errors';
import type { AppContext } from '../http/context';
import { etagOf, expectedVersions } from '../http/etag';
import type { Input } from '../http/operations';
import type * as z from '../zod';
import type { caseTypeReplacementSchema, caseTypeSchema } from './schemas';

function caseTypeView(caseType: CaseType) {
  return {
    ID: caseType.id,
    name: caseType.name,
    idPrefix: caseType.idPrefix,
    startingProcesses: caseType.startingProcesses,
    fields: caseType.fields,
    flow: caseType.flow,
    ...(caseType.stages && { stages: caseType.stages }),
    ...(caseType.processes && { processes: caseType.processes }),
    ...(caseType.participantRoles && { participantRoles: caseType.participantRoles }),
    createdAt: caseType.createdAt,
    updatedAt: caseType.updatedAt,
  };
}

export async function createCaseTypeHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof caseTypeSchema>, undefined>,
) {
  const { ID, ...definition } = body;
  const caseType = await defineCaseType(c.env.DB, c.var.actor, { ...definition, id: ID });
  c.header('Location', `/admin/v1/casetypes/${encodeURIComponent(caseType.id)}`);
  c.header('ETag', etagOf(caseType.version));
  return c.json(caseTypeView(caseType), 201);
}

export async function listCaseTypesHandler(c: AppContext) {
  return c.json({ caseTypes: (await allCaseTypes(c.env.DB)).map(caseTypeView) });
}

export async function getCaseTypeHandler(c: AppContext) {
  const caseType = await findCaseType(c.env.DB, c.req.param('id') as string);
  if (!caseType) throw caseTypeNotFound(404, c.req.param('id') as string);
  c.header('ETag', etagOf(caseType.version));
  return c.json(caseTypeView(caseType));
}

export async function replaceCaseTypeHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof caseTypeReplacementSchema>, undefined>,
) {
  const id = c.req.param('id') as string;
  const { ID, ...definition } = body;
  if (ID !== undefined && ID !== id) {
    throw invalidRequest('The request body is invalid.', [
      { path: '.ID', message: 'must match the case type ID in the path' },
    ]);
  }
  const expected = expectedVersions(c.req.header('If-Match'));
  const caseType = await redefineCaseType(c.env.DB, c.var.actor, { ...definition, id }, expected);
  c.header('ETag', etagOf(caseType.version));
  return c.json(caseTypeView(caseType));
}
