import * as z from 'zod';
import {
  bearer,
  dxBodyRefusals,
  dxError,
  dxRefusals,
  header,
  jsonContent,
  pathParameter,
  response,
} from '../case-api/openapi-parts';
import { notFound } from './openapi';
import { recordBodySchema, recordPatchSchema } from './schemas';

/** Data objects and the savable data pages in the OpenAPI document (build time only). */

const base = '/api/application/v2';

const pageParameter = pathParameter(
  'ID',
  "A data type's savable data page: D_<last class segment>",
);

const recordAnswer = z.object({ data: z.record(z.string(), z.unknown()) });
const recordEtag = { ETag: header('The record version ("N"): If-Match of a PATCH') };

/** What every record write refuses beside its own (lazily: dx/openapi.ts imports this module). */
const writeRefusals = () => ({
  '404': notFound('Data page, or record'),
  ...dxBodyRefusals,
  ...dxRefusals,
  '400': dxError("A missing key, a case type's page, or a malformed body"),
  '422': dxError('A field outside the data type, or a value it refuses'),
});

export function dataPaths() {
  return {
    [`${base}/data_objects`]: {
      get: {
        summary: 'The data types and case types the caller may use',
        security: bearer('casetypes:read'),
        parameters: [
          { name: 'type', in: 'query', required: false, schema: { enum: ['data', 'case'] } },
        ],
        responses: {
          '200': response(
            'The data objects',
            z.object({
              dataObjects: z.array(
                z.object({
                  classID: z.string(),
                  dataObjectID: z.string(),
                  name: z.string(),
                  description: z.string(),
                  defaultListDataView: z.string(),
                  isDefaultListDataViewQueryable: z.boolean(),
                  links: z.record(z.string(), z.looseObject({ href: z.string() })),
                }),
              ),
            }),
          ),
          ...dxRefusals,
          '400': dxError('A type other than data or case'),
        },
      },
    },
    [`${base}/data/{ID}`]: {
      post: {
        summary: 'Create a record',
        security: bearer('data:write'),
        parameters: [pageParameter],
        requestBody: { required: true, content: jsonContent(recordBodySchema, 'input') },
        responses: {
          '201': response('The record', recordAnswer, recordEtag),
          '409': dxError('A record with this key exists'),
          ...writeRefusals(),
        },
      },
      put: {
        summary: 'Replace a record whole',
        security: bearer('data:write'),
        parameters: [pageParameter],
        requestBody: { required: true, content: jsonContent(recordBodySchema, 'input') },
        responses: { '200': response('The record', recordAnswer, recordEtag), ...writeRefusals() },
      },
      patch: {
        summary: 'Merge into a record (null removes a field); If-Match on its version if sent',
        security: bearer('data:write'),
        parameters: [
          pageParameter,
          {
            name: 'If-Match',
            in: 'header',
            required: false,
            description: "The record's ETag: stale is 409",
            schema: { type: 'string' },
          },
        ],
        requestBody: { required: true, content: jsonContent(recordPatchSchema, 'input') },
        responses: {
          '200': response('The record', recordAnswer, recordEtag),
          '409': dxError('Stale If-Match'),
          ...writeRefusals(),
        },
      },
      delete: {
        summary: 'Delete a record',
        security: bearer('data:write'),
        parameters: [
          pageParameter,
          {
            name: 'dataViewParameters',
            in: 'query',
            required: true,
            description: 'The keys, as URI-encoded JSON: {"<key field>": "<value>"}',
            schema: { type: 'string' },
          },
        ],
        responses: { '200': response('Deleted', z.object({})), ...writeRefusals() },
      },
    },
  };
}
