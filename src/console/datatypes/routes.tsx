import { dataTypeDefinition, dataTypeSchema } from '../../admin/datatype-schemas';
import {
  defineDataType,
  deleteRecordAsAdmin,
  redefineDataType,
  saveRecordAsAdmin,
} from '../../domain/data-type-admin';
import { allDataTypes, findDataType, recordsRead } from '../../domain/data-types';
import { runReads } from '../../domain/reads';
import { type AppError, invalidRequest, notFound } from '../../errors';
import { parseJson } from '../../http/body';
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
} from '../render';
import {
  DataTypeDetail,
  DataTypeEditor,
  type DataTypeForm,
  DataTypeList,
  dataTypeBody,
  dataTypeForm,
  emptyDataTypeForm,
  readDataTypeForm,
} from './pages';

/** `/admin/datatypes`: data types, their definitions and their records. */
export const dataTypePages = consoleSection();

const pathOf = (id: string) => `/admin/datatypes/${encodeURIComponent(id)}`;

/** The console shows at most this many records of a type (its list view pages the rest). */
const SHOWN_RECORDS = 200;

async function editor(
  c: AppContext,
  form: DataTypeForm,
  editing: boolean,
  refusal?: { message: string; fields?: { path: string; message: string }[] },
) {
  return render(
    c,
    editing ? form.ID : 'New data type',
    <DataTypeEditor
      form={form}
      editing={editing}
      message={refusal?.message}
      fields={refusal?.fields}
    />,
    { section: 'datatypes', status: refusal ? 400 : 200 },
  );
}

async function requireDataType(c: AppContext, id: string) {
  const type = await findDataType(c.env.DB, id);
  if (!type) throw notFound(`Data type ${id} does not exist.`);
  return type;
}

async function detail(c: AppContext, id: string, refusal?: AppError, record?: string) {
  const type = await requireDataType(c, id);
  const records = await runReads(c.env.DB, recordsRead(c.env.DB, type.id, SHOWN_RECORDS));
  return render(
    c,
    type.name,
    <DataTypeDetail
      type={type}
      records={records}
      notice={noticeOf(c, { saved: 'Saved.', deleted: 'Record deleted.' })}
      message={refusal?.message}
      fields={refusal?.fields}
      record={record}
    />,
    { section: 'datatypes', status: refusal ? refusal.status : 200 },
  );
}

dataTypePages.get('/', async (c) =>
  render(c, 'Data types', <DataTypeList dataTypes={await allDataTypes(c.env.DB)} />, {
    section: 'datatypes',
  }),
);

dataTypePages.get('/new', (c) => editor(c, emptyDataTypeForm(), false));

dataTypePages.post(
  '/new',
  formPost(
    async (c, form) => {
      const body = parseInput(dataTypeSchema, dataTypeBody(readDataTypeForm(form)), 'data type');
      await defineDataType(c.env.DB, c.var.actor, dataTypeDefinition(body, body.ID));
      return pathOf(body.ID);
    },
    (c, form, refusal) => editor(c, readDataTypeForm(form), false, refusal),
  ),
);

dataTypePages.get('/:id', (c) => detail(c, c.req.param('id')));

dataTypePages.get('/:id/edit', async (c) =>
  editor(c, dataTypeForm(await requireDataType(c, c.req.param('id'))), true),
);

dataTypePages.post(
  '/:id/edit',
  formPost(
    async (c, form) => {
      const id = c.req.param('id') as string;
      const body = parseInput(
        dataTypeSchema,
        dataTypeBody(readDataTypeForm(form, id)),
        'data type',
      );
      await redefineDataType(
        c.env.DB,
        c.var.actor,
        dataTypeDefinition(body, id),
        formVersion(form),
      );
      return `${pathOf(id)}?done=saved`;
    },
    async (c, form, refusal) => {
      const id = c.req.param('id') as string;
      if (!isStale(refusal)) return editor(c, readDataTypeForm(form, id), true, refusal);
      const current = await requireDataType(c, id);
      return editor(c, dataTypeForm(current), true, { message: staleMessage('data type') });
    },
  ),
);

dataTypePages.post(
  '/:id/records',
  formPost(
    async (c, form) => {
      const id = c.req.param('id') as string;
      const type = await requireDataType(c, id);
      const data = parseJson(form.get('record') ?? '');
      if (!data || typeof data !== 'object' || Array.isArray(data)) {
        throw invalidRequest('A record is a JSON object of its fields.');
      }
      await saveRecordAsAdmin(c.env.DB, c.var.actor, type, data as Record<string, unknown>);
      return `${pathOf(id)}?done=saved`;
    },
    (c, form, refusal) =>
      detail(c, c.req.param('id') as string, refusal, form.get('record') ?? undefined),
  ),
);

dataTypePages.post(
  '/:id/records/delete',
  formPost(async (c, form) => {
    const id = c.req.param('id') as string;
    const type = await requireDataType(c, id);
    await deleteRecordAsAdmin(c.env.DB, c.var.actor, type, form.get('key') ?? '');
    return `${pathOf(id)}?done=deleted`;
  }),
);
