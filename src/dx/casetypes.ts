import { BULK_ACTION } from '../domain/bulk';
import { creatableCaseTypes, visibleCaseType } from '../domain/case-types';
import { closedFields } from '../domain/flow';
import type { CaseType } from '../domain/model';
import { notFound } from '../errors';
import type { AppContext } from '../http/context';
import type { Found } from '../http/operations';
import { caseTypeForm } from './ui-resources';

/** `GET /casetypes`: what the caller may create, each with the link that creates one. */
export async function listCaseTypesHandler(c: AppContext, { principal, found }: Found<CaseType[]>) {
  return c.json({
    applicationIsConstellationCompatible: true,
    caseTypes: creatableCaseTypes(found, principal).map((caseType) => ({
      ID: caseType.id,
      name: caseType.name,
      links: {
        create: {
          rel: 'create',
          href: '/cases',
          type: 'POST',
          title: 'Create Case',
          request_body: { caseTypeID: caseType.id, processID: 'pyStartCase', content: {} },
        },
      },
    })),
  });
}

/** The creation action's names: Pega's web clients ask for `Create` or `pyCreate`. */
const CREATE_ACTIONS = new Set(['Create', 'pyCreate']);

/** pyUpdateCaseDetails's form: every field the operator may change outside a step, none required. */
export const detailsForm = (caseType: CaseType, operatorId: string) =>
  caseTypeForm(
    caseType,
    BULK_ACTION,
    false,
    closedFields(caseType.flow, operatorId, { creating: false }),
  );

/** The form of a case-wide action of the case type, for a bulk action (no case yet). */
const caseWideForm = (caseType: CaseType, operatorId: string) => ({
  data: { caseInfo: { caseTypeID: caseType.id, name: caseType.name, content: {} } },
  uiResources: detailsForm(caseType, operatorId),
});

/** The case type in the path as the caller may use it, and the action the path names. */
function caseTypeAction(c: AppContext, { principal, found }: Found<CaseType | null>) {
  const id = c.req.param('id') as string;
  const caseType = visibleCaseType(principal, id, found);
  return { id, caseType, actionId: c.req.param('actionId') as string };
}

/**
 * `GET /casetypes/{ID}/actions/Create`: the creation form, with empty content. Its fields are
 * those the operator may set at creation; required where pyStartCase needs them to create.
 * `.../actions/pyUpdateCaseDetails` (with Pega's `bulkContextID`): the case-wide action's form.
 */
export async function getCaseTypeActionHandler(c: AppContext, input: Found<CaseType | null>) {
  const { principal } = input;
  const { id, caseType, actionId } = caseTypeAction(c, input);
  if (actionId === BULK_ACTION) return c.json(caseWideForm(caseType, principal.operator.id));
  if (!CREATE_ACTIONS.has(actionId)) throw notFound(`Case type ${id} has no action ${actionId}.`);
  const start = caseType.startingProcesses.find((process) => process.ID === 'pyStartCase');
  return c.json({
    data: { caseInfo: { caseTypeID: caseType.id, name: caseType.name, content: {} } },
    uiResources: caseTypeForm(
      caseType,
      actionId,
      start?.requiresFieldsToCreate === true,
      closedFields(caseType.flow, principal.operator.id, { creating: true }),
    ),
  });
}

/** `GET /casetypes/{ID}/bulk-actions/{actionID}`: the form of an action a bulk call can run. */
export async function getBulkActionHandler(c: AppContext, input: Found<CaseType | null>) {
  const { id, caseType, actionId } = caseTypeAction(c, input);
  if (actionId !== BULK_ACTION) throw notFound(`Case type ${id} has no bulk action ${actionId}.`);
  return c.json(caseWideForm(caseType, input.principal.operator.id));
}
