import { mayUseCaseType } from '../domain/access';
import { caseTypeNotFound } from '../errors';
import type { AppContext } from '../http/context';
import {
  caseTypeFrom,
  caseTypeStatement,
  caseTypesFrom,
  caseTypesStatement,
} from '../store/case-types';
import { authorize } from './bearer';
import { caseTypeListView, caseTypeView } from './views';

export async function listCaseTypesHandler(c: AppContext) {
  const { principal, results } = await authorize(c, [caseTypesStatement(c.env.DB)]);
  const visible = caseTypesFrom(results[0] ?? []).filter((caseType) =>
    mayUseCaseType(principal.operator, caseType.id),
  );
  return c.json(caseTypeListView(visible, principal));
}

/** A case type outside the operator's access group answers as if absent. */
export async function getCaseTypeHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  const { principal, results } = await authorize(c, [caseTypeStatement(c.env.DB, id)]);
  const caseType = caseTypeFrom(results[0] ?? []);
  if (!caseType || !mayUseCaseType(principal.operator, caseType.id)) {
    throw caseTypeNotFound(404, id);
  }
  return c.json(caseTypeView(caseType));
}
