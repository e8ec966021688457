import { usableCaseTypes, visibleCaseType } from '../domain/case-types';
import type { CaseType } from '../domain/model';
import type { AppContext } from '../http/context';
import type { Found } from '../http/operations';
import { caseTypeListView, caseTypeView } from './views';

export async function listCaseTypesHandler(c: AppContext, { principal, found }: Found<CaseType[]>) {
  return c.json(caseTypeListView(usableCaseTypes(principal, found), principal));
}

/** A case type outside the operator's access group answers as if absent. */
export async function getCaseTypeHandler(
  c: AppContext,
  { principal, found }: Found<CaseType | null>,
) {
  const id = c.req.param('id') as string;
  return c.json(caseTypeView(visibleCaseType(principal, id, found), principal.operator.id));
}
