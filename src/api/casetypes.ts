import { mayUseCaseType } from '../domain/access';
import { caseTypeNotFound } from '../errors';
import type { AppContext } from '../http/context';
import { getCaseType, listCaseTypes } from '../store/case-types';
import { caseTypeListView, caseTypeView } from './views';

export async function listCaseTypesHandler(c: AppContext) {
  const { principal } = c.var;
  const visible = (await listCaseTypes(c.env.DB)).filter((caseType) =>
    mayUseCaseType(principal.operator, caseType.id),
  );
  return c.json(caseTypeListView(visible, principal));
}

/** A case type outside the operator's access group answers as if absent. */
export async function getCaseTypeHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  const caseType = await getCaseType(c.env.DB, id);
  if (!caseType || !mayUseCaseType(c.var.principal.operator, caseType.id)) {
    throw caseTypeNotFound(404, id);
  }
  return c.json(caseTypeView(caseType));
}
