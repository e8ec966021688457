import { allCaseTypes, defineCaseType, findCaseType, redefineCaseType } from '../domain/case-types';
import type { CaseType } from '../domain/model';
import { caseTypeNotFound, invalidRequest } from '../errors';
import { readJson } from '../http/body';
import { etagOf, expectedVersions } from '../http/etag';
import { newApp } from '../http/hono';
import { caseTypeReplacementSchema, caseTypeSchema } from './schemas';

function caseTypeView(caseType: CaseType) {
  return {
    ID: caseType.id,
    name: caseType.name,
    idPrefix: caseType.idPrefix,
    startingProcesses: caseType.startingProcesses,
    fields: caseType.fields,
    flow: caseType.flow,
    createdAt: caseType.createdAt,
    updatedAt: caseType.updatedAt,
  };
}

export const caseTypeAdminRoutes = newApp()
  .post('/', async (c) => {
    const { ID, ...definition } = await readJson(c, caseTypeSchema);
    const caseType = await defineCaseType(c.env.DB, c.var.actor, { ...definition, id: ID });
    c.header('Location', `/admin/v1/casetypes/${encodeURIComponent(caseType.id)}`);
    c.header('ETag', etagOf(caseType.version));
    return c.json(caseTypeView(caseType), 201);
  })
  .get('/', async (c) => c.json({ caseTypes: (await allCaseTypes(c.env.DB)).map(caseTypeView) }))
  .get('/:id', async (c) => {
    const caseType = await findCaseType(c.env.DB, c.req.param('id'));
    if (!caseType) throw caseTypeNotFound(404, c.req.param('id'));
    c.header('ETag', etagOf(caseType.version));
    return c.json(caseTypeView(caseType));
  })
  .put('/:id', async (c) => {
    const id = c.req.param('id');
    const { ID, ...definition } = await readJson(c, caseTypeReplacementSchema);
    if (ID !== undefined && ID !== id) {
      throw invalidRequest('The request body is invalid.', [
        { path: '.ID', message: 'must match the case type ID in the path' },
      ]);
    }
    const expected = expectedVersions(c.req.header('If-Match'));
    const caseType = await redefineCaseType(c.env.DB, c.var.actor, { ...definition, id }, expected);
    c.header('ETag', etagOf(caseType.version));
    return c.json(caseTypeView(caseType));
  });
