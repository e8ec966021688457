import { mayUseCaseType } from '../domain/access';
import { caseTypeReads, caseTypesReads } from '../domain/case-types';
import { caseTypeNotFound } from '../errors';
import type { AppContext } from '../http/context';
import { authorize } from './bearer';
import { caseTypeListView, caseTypeView } from './views';

export async function listCaseTypesHandler(c: AppContext) {
  const { principal, found } = await authorize(c, caseTypesReads(c.env.DB));
  const visible = found.filter((caseType) => mayUseCaseType(principal.operator, caseType.id));
  return c.json(caseTypeListView(visible, principal));
}

/** A case type outside the operator's access group answers as if absent. */
export async function getCaseTypeHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  const { principal, found: caseType } = await authorize(c, caseTypeReads(c.env.DB, id));
  if (!caseType || !mayUseCaseType(principal.operator, caseType.id)) {
    throw caseTypeNotFound(404, id);
  }
  return c.json(caseTypeView(caseType));
}
