import { caseTypeSchema } from '../../admin/schemas';
import {
  allCaseTypes,
  defineCaseType,
  findCaseType,
  redefineCaseType,
} from '../../domain/case-types';
import { caseTypeNotFound } from '../../errors';
import type { AppContext } from '../../http/context';
import { parseInput } from '../../http/validation';
import { allOperators } from '../operators/list';
import {
  consoleSection,
  formPost,
  formVersion,
  isStale,
  noticeOf,
  render,
  staleMessage,
} from '../render';
import {
  CaseTypeDetail,
  CaseTypeEditor,
  type CaseTypeForm,
  CaseTypeList,
  caseTypeBody,
  caseTypeForm,
  emptyCaseTypeForm,
  readCaseTypeForm,
} from './pages';

/** `/admin/casetypes`: case types, their fields and flows. */
export const caseTypePages = consoleSection();

const pathOf = (id: string) => `/admin/casetypes/${encodeURIComponent(id)}`;

async function editor(
  c: AppContext,
  form: CaseTypeForm,
  editing: boolean,
  refusal?: { message: string; fields?: { path: string; message: string }[] },
) {
  return render(
    c,
    editing ? form.ID : 'New case type',
    <CaseTypeEditor
      form={form}
      operators={await allOperators(c)}
      editing={editing}
      message={refusal?.message}
      fields={refusal?.fields}
    />,
    { section: 'casetypes', status: refusal ? 400 : 200 },
  );
}

async function requireCaseType(c: AppContext, id: string) {
  const caseType = await findCaseType(c.env.DB, id);
  if (!caseType) throw caseTypeNotFound(404, id);
  return caseType;
}

caseTypePages.get('/', async (c) =>
  render(c, 'Case types', <CaseTypeList caseTypes={await allCaseTypes(c.env.DB)} />, {
    section: 'casetypes',
  }),
);

caseTypePages.get('/new', (c) => editor(c, emptyCaseTypeForm(), false));

caseTypePages.post(
  '/new',
  formPost(
    async (c, form) => {
      const body = caseTypeBody(readCaseTypeForm(form));
      const { ID, ...definition } = parseInput(caseTypeSchema, body, 'case type');
      await defineCaseType(c.env.DB, c.var.actor, { ...definition, id: ID });
      return pathOf(ID);
    },
    (c, form, refusal) => editor(c, readCaseTypeForm(form), false, refusal),
  ),
);

caseTypePages.get('/:id', async (c) => {
  const caseType = await requireCaseType(c, c.req.param('id'));
  return render(
    c,
    caseType.name,
    <CaseTypeDetail caseType={caseType} notice={noticeOf(c, { saved: 'Saved.' })} />,
    { section: 'casetypes' },
  );
});

caseTypePages.get('/:id/edit', async (c) =>
  editor(c, caseTypeForm(await requireCaseType(c, c.req.param('id'))), true),
);

caseTypePages.post(
  '/:id/edit',
  formPost(
    async (c, form) => {
      const id = c.req.param('id') as string;
      const body = caseTypeBody(readCaseTypeForm(form, id));
      const { ID: _id, ...definition } = parseInput(caseTypeSchema, body, 'case type');
      await redefineCaseType(c.env.DB, c.var.actor, { ...definition, id }, formVersion(form));
      return `${pathOf(id)}?done=saved`;
    },
    async (c, form, refusal) => {
      const id = c.req.param('id') as string;
      if (!isStale(refusal)) return editor(c, readCaseTypeForm(form, id), true, refusal);
      const current = await requireCaseType(c, id);
      return editor(c, caseTypeForm(current), true, { message: staleMessage('case type') });
    },
  ),
);
