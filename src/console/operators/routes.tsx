import { createOperatorSchema, updateOperatorSchema } from '../../admin/schemas';
import {
  changeOperator,
  createOperator,
  listOperators,
  removeOperator,
  requireOperator,
} from '../../domain/operators';
import type { AppError } from '../../errors';
import type { AppContext } from '../../http/context';
import { parseInput } from '../../http/validation';
import {
  consoleSection,
  formPost,
  formVersion,
  isStale,
  noticeOf,
  render,
  staleMessage,
  text,
} from '../render';
import {
  ConfirmOperatorDelete,
  OperatorEditor,
  type OperatorForm,
  OperatorList,
  operatorForm,
} from './pages';

/** `/admin/operators`: operators and their access groups. */
export const operatorPages = consoleSection();

const pathOf = (id: string) => `/admin/operators/${encodeURIComponent(id)}`;

function operatorInput(form: URLSearchParams) {
  const caseTypes = (text(form, 'caseTypes') ?? '')
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  return {
    name: text(form, 'name') ?? '',
    accessGroup: {
      name: text(form, 'groupName') ?? '',
      privileges: form.getAll('privileges'),
      caseTypes,
      caseVisibility: form.get('caseVisibility') ?? '',
    },
  };
}

const echoOperatorForm = (form: URLSearchParams): OperatorForm => ({
  operatorID: form.get('operatorID') ?? '',
  name: form.get('name') ?? '',
  groupName: form.get('groupName') ?? '',
  privileges: form.getAll('privileges'),
  caseTypes: form.get('caseTypes') ?? '',
  caseVisibility: form.get('caseVisibility') ?? 'own',
  version: form.get('version') ?? '',
});

const editor = (c: AppContext, title: string, props: Parameters<typeof OperatorEditor>[0]) =>
  render(c, title, <OperatorEditor {...props} />, {
    section: 'operators',
    status: props.message ? 400 : 200,
  });

operatorPages.get('/', async (c) => {
  const page = await listOperators(c.env.DB, 500, undefined);
  return render(c, 'Operators', <OperatorList operators={page.items} />, { section: 'operators' });
});

operatorPages.get('/new', (c) =>
  editor(c, 'New operator', { form: { caseTypes: '*' }, editing: false }),
);

operatorPages.post(
  '/new',
  formPost(
    async (c, form) => {
      const body = parseInput(
        createOperatorSchema,
        { operatorID: text(form, 'operatorID') ?? '', ...operatorInput(form) },
        'operator',
      );
      await createOperator(c.env.DB, c.var.actor, {
        id: body.operatorID,
        name: body.name,
        accessGroup: body.accessGroup,
      });
      return pathOf(body.operatorID);
    },
    async (c, form, refusal) =>
      editor(c, 'New operator', {
        form: echoOperatorForm(form),
        editing: false,
        message: refusal.message,
        fields: refusal.fields,
      }),
  ),
);

operatorPages.get('/:id', async (c) => {
  const operator = await requireOperator(c.env.DB, c.req.param('id'));
  return editor(c, operator.id, {
    form: operatorForm(operator),
    editing: true,
    notice: noticeOf(c, { saved: 'Saved.' }),
  });
});

/** A refused edit: the form as sent, or, when it was stale, the operator as it is now. */
async function editAgain(c: AppContext, form: URLSearchParams, refusal: AppError) {
  const id = c.req.param('id') as string;
  if (isStale(refusal)) {
    const current = await requireOperator(c.env.DB, id);
    return editor(c, id, {
      form: operatorForm(current),
      editing: true,
      message: staleMessage('operator'),
    });
  }
  return editor(c, id, {
    form: { ...echoOperatorForm(form), operatorID: id },
    editing: true,
    message: refusal.message,
    fields: refusal.fields,
  });
}

operatorPages.post(
  '/:id',
  formPost(async (c, form) => {
    const id = c.req.param('id') as string;
    const changes = parseInput(updateOperatorSchema, operatorInput(form), 'operator');
    await changeOperator(c.env.DB, c.var.actor, id, changes, formVersion(form));
    return `${pathOf(id)}?done=saved`;
  }, editAgain),
);

operatorPages.get('/:id/delete', async (c) => {
  const operator = await requireOperator(c.env.DB, c.req.param('id'));
  return render(c, operator.id, <ConfirmOperatorDelete operator={operator} />, {
    section: 'operators',
  });
});

operatorPages.post(
  '/:id/delete',
  formPost(async (c, form) => {
    await removeOperator(c.env.DB, c.var.actor, c.req.param('id') as string, formVersion(form));
    return '/admin/operators';
  }),
);
