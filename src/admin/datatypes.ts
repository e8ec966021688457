import { defineDataType, redefineDataType } from '../domain/data-type-admin';
import { allDataTypes, findDataType, recordListViewId, savablePageId } from '../domain/data-types';
import type { DataType } from '../domain/model';
import { invalidRequest, notFound } from '../errors';
import type { AppContext } from '../http/context';
import { etagOf, expectedVersions } from '../http/etag';
import type { Input } from '../http/operations';
import type * as z from '../zod';
import {
  dataTypeDefinition,
  type dataTypeReplacementSchema,
  type dataTypeSchema,
} from './datatype-schemas';

/** Data types in the admin API (DX case model §0): defined, listed, read, replaced. */

export function dataTypeView(type: DataType) {
  return {
    ID: type.id,
    name: type.name,
    description: type.description,
    keyField: type.keyField,
    fields: type.fields,
    listDataView: recordListViewId(type),
    savableDataPage: savablePageId(type),
    createdAt: type.createdAt,
    updatedAt: type.updatedAt,
  };
}

export async function createDataTypeHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof dataTypeSchema>, undefined>,
) {
  const type = await defineDataType(c.env.DB, c.var.actor, dataTypeDefinition(body, body.ID));
  c.header('Location', `/admin/v1/datatypes/${encodeURIComponent(type.id)}`);
  c.header('ETag', etagOf(type.version));
  return c.json(dataTypeView(type), 201);
}

export async function listDataTypesHandler(c: AppContext) {
  return c.json({ dataTypes: (await allDataTypes(c.env.DB)).map(dataTypeView) });
}

export async function getDataTypeHandler(c: AppContext) {
  const id = c.req.param('id') as string;
  const type = await findDataType(c.env.DB, id);
  if (!type) throw notFound(`Data type ${id} does not exist.`);
  c.header('ETag', etagOf(type.version));
  return c.json(dataTypeView(type));
}

export async function replaceDataTypeHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof dataTypeReplacementSchema>, undefined>,
) {
  const id = c.req.param('id') as string;
  if (body.ID !== undefined && body.ID !== id) {
    throw invalidRequest('The request body is invalid.', [
      { path: '.ID', message: 'must match the data type ID in the path' },
    ]);
  }
  const expected = expectedVersions(c.req.header('If-Match'));
  const type = await redefineDataType(
    c.env.DB,
    c.var.actor,
    dataTypeDefinition(body, id),
    expected,
  );
  c.header('ETag', etagOf(type.version));
  return c.json(dataTypeView(type));
}
