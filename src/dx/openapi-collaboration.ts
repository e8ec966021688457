import * as z from 'zod';
import {
  bearer,
  caseIdParameter,
  dxBodyRefusals,
  dxError,
  dxRefusals,
  jsonContent,
  pathParameter,
  response,
} from '../case-api/openapi-parts';
import { notFound } from './openapi';
import { caseLinksSchema } from './openapi-lifecycle';
import { followersSchema, relatedCasesSchema, tagsSchema } from './schemas';

/**
 * Collaboration on a case in DX API v2 (followers, tags, related cases) in the OpenAPI document
 * (build time only).
 */

const base = '/api/application/v2';

const resultsSchema = z.object({
  results: z.array(
    z.object({
      ID: z.string(),
      status: z.enum(['201', '400', '404', '409']),
      error: z.string().optional(),
    }),
  ),
});

/** A list, an add of 1 to 50 members (201 or 207), and the removal of one. */
function members(options: {
  what: string;
  list: z.ZodType;
  add: z.core.$ZodType;
  member: ReturnType<typeof pathParameter>;
  alone: string;
}) {
  const { what, list, add, member, alone } = options;
  return {
    list: {
      get: {
        summary: `The case's ${what}`,
        security: bearer('cases:read'),
        parameters: [caseIdParameter],
        responses: { '200': response(`The ${what}`, list), '404': notFound('Case'), ...dxRefusals },
      },
      post: {
        summary: `Add 1 to 50 ${what} to the case`,
        security: bearer('cases:update'),
        parameters: [caseIdParameter],
        requestBody: { required: true, content: jsonContent(add, 'input') },
        responses: {
          '201': response('Every one added', resultsSchema),
          '207': response(
            'Several, some refused: each result with its status and error',
            resultsSchema,
          ),
          '404': notFound('Case'),
          '409': dxError('One, already there'),
          ...dxBodyRefusals,
          ...dxRefusals,
          '400': dxError(`${alone}, or a malformed body`),
        },
      },
    },
    one: {
      delete: {
        summary: `Remove one of the case's ${what}`,
        security: bearer('cases:update'),
        parameters: [caseIdParameter, member],
        responses: {
          '200': response('Removed', z.object({})),
          '404': notFound(`Case, or ${what} member`),
          ...dxRefusals,
        },
      },
    },
  };
}

export function collaborationPaths() {
  const followers = members({
    what: 'followers',
    list: z.object({
      followers: z.array(z.object({ ID: z.string(), name: z.string(), email: z.string() })),
    }),
    add: followersSchema,
    member: pathParameter('userID', 'The operator ID'),
    alone: 'One operator, unknown',
  });
  const tags = members({
    what: 'tags',
    list: z.object({ tagsList: z.array(z.object({ tagName: z.string(), tagKey: z.string() })) }),
    add: tagsSchema,
    member: pathParameter('tagKey', "The tag's key (DATA-SOCIAL-TAG <pool>!<NAME>) or its name"),
    alone: 'One name, empty or longer than 64 characters once cleaned',
  });
  const related = members({
    what: 'related cases',
    list: z.object({
      relatedCases: z.array(
        z.object({
          ID: z.string(),
          name: z.string().optional(),
          status: z.string(),
          caseTypeName: z.string().optional(),
          links: caseLinksSchema.optional(),
        }),
      ),
    }),
    add: relatedCasesSchema,
    member: pathParameter('relatedCaseID', 'The related case ID'),
    alone: 'One case, the case itself',
  });
  return {
    [`${base}/cases/{ID}/followers`]: followers.list,
    [`${base}/cases/{ID}/followers/{userID}`]: followers.one,
    [`${base}/cases/{ID}/tags`]: tags.list,
    [`${base}/cases/{ID}/tags/{tagKey}`]: tags.one,
    [`${base}/cases/{ID}/related_cases`]: related.list,
    [`${base}/cases/{ID}/related_cases/{relatedCaseID}`]: related.one,
    [`${base}/tags`]: {
      get: {
        summary: 'Known tags starting with searchFor, in order',
        security: bearer('cases:read'),
        parameters: [
          { name: 'searchFor', in: 'query', schema: { type: 'string', maxLength: 64 } },
          {
            name: 'listSize',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
          },
        ],
        responses: {
          '200': response(
            'The tags',
            z.object({ tagsList: z.array(z.object({ tagName: z.string() })) }),
          ),
          ...dxRefusals,
          '400': dxError('A malformed query'),
        },
      },
    },
  };
}
