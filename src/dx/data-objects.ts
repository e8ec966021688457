import { mayUseCaseType } from '../domain/access';
import { caseTypesReads } from '../domain/case-types';
import {
  dataTypesReads,
  lastSegment,
  mayUseDataType,
  recordListViewId,
} from '../domain/data-types';
import { caseListViewId } from '../domain/data-views';
import type { CaseType, DataType } from '../domain/model';
import { allReads } from '../domain/reads';
import type { AppContext } from '../http/context';
import type { Found, Input } from '../http/operations';
import type * as z from '../zod';
import type { dataObjectsQuerySchema } from './schemas';

/** `GET /data_objects?type=data|case` (DX case model §7): the types the caller may see. */

const dataObject = (id: string, name: string, description: string, listView: string) => ({
  classID: id,
  dataObjectID: lastSegment(id),
  name,
  description,
  defaultListDataView: listView,
  isDefaultListDataViewQueryable: true,
  links: {
    list: { rel: 'self', href: `/data_views/${listView}`, type: 'POST', title: 'List' },
  },
});

export function dataObjectsHandler(
  c: AppContext,
  {
    query,
    principal,
    found,
  }: Input<z.infer<typeof dataObjectsQuerySchema>, undefined, undefined> &
    Found<{ caseTypes: CaseType[]; dataTypes: DataType[] }>,
) {
  const { operator } = principal;
  const data =
    query.type === 'case'
      ? []
      : found.dataTypes
          .filter((type) => mayUseDataType(operator, type.id))
          .map((type) => dataObject(type.id, type.name, type.description, recordListViewId(type)));
  const cases =
    query.type === 'data'
      ? []
      : found.caseTypes
          .filter((type) => mayUseCaseType(operator, type.id))
          .map((type) => dataObject(type.id, type.name, '', caseListViewId(type.id)));
  return c.json({ dataObjects: [...data, ...cases] });
}

/** The case types and data types, beside the bearer check. */
export const dataObjectsReads = (c: AppContext) =>
  allReads({ caseTypes: caseTypesReads(c.env.DB), dataTypes: dataTypesReads(c.env.DB) });
