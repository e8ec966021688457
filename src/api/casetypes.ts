import { authorize } from '../case-api/bearer';
import {
  caseTypeReads,
  caseTypesReads,
  usableCaseTypes,
  visibleCaseType,
} from '../domain/case-types';
import type { AppContext } from '../http/context';
import { caseTypeListView, caseTypeView } from './views';

export async function listCaseTypesHandler(c: AppContext) {
  const { principal, found } = await authorize(c, caseTypesReads(c.env.DB));
  return c.json(caseTypeListView(usableCaseTypes(principal, found), principal));
}

/** A case type outside the operator's access group answers as if absent. */
export async function getCaseTypeHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  const { principal, found } = await authorize(c, caseTypeReads(c.env.DB, id));
  return c.json(caseTypeView(visibleCaseType(principal, id, found), principal.operator.id));
}
