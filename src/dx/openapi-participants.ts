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
import { caseEtag, ifMatch, notFound, uiResourcesSchema } from './openapi';
import { addParticipantSchema, patchParticipantSchema } from './schemas';

/** Participants of a case and their roles in the OpenAPI document (build time only). */

const base = '/api/application/v2';

const participantSchema = z.looseObject({
  participantID: z.string(),
  participantRoleID: z.string(),
  pyFullName: z.string(),
  pyFirstName: z.string().optional(),
  pyLastName: z.string().optional(),
  pyEmail1: z.string().optional(),
  pyPhoneNumber: z.string().optional(),
  pyTitle: z.string().optional(),
  pyWorkPartyUri: z.string().optional(),
});

/** Lazily: dx/openapi.ts, which this module's schemas come from, imports this module. */
const participantAnswer = () =>
  z.object({
    data: z.object({ content: participantSchema }),
    uiResources: uiResourcesSchema.optional(),
  });

const participantId = pathParameter(
  'participantID',
  '<Role>_<nn>, or the role ID of a one-holder role',
);

const formView = {
  name: 'viewType',
  in: 'query',
  required: false,
  description: 'form (the default): with the participant form; none: without',
  schema: { enum: ['form', 'none'] },
};

/** What a change refuses beside the bearer's refusals. */
const changeRefusals = (what: string) => ({
  '404': notFound(what),
  '409': dxError('Stale If-Match, or a one-holder role taken'),
  '428': dxError('If-Match missing'),
  ...dxBodyRefusals,
  ...dxRefusals,
});

export function participantPaths() {
  return {
    [`${base}/cases/{ID}/participant_roles`]: {
      get: {
        summary: "The participant roles of the case's type",
        security: bearer('cases:read'),
        parameters: [caseIdParameter],
        responses: {
          '200': response(
            'The roles',
            z.object({
              participant_roles: z.array(z.object({ ID: z.string(), name: z.string() })),
            }),
          ),
          '404': notFound('Case'),
          ...dxRefusals,
        },
      },
    },
    [`${base}/cases/{ID}/participant_roles/{roleID}`]: {
      get: {
        summary: "A role's form: Data-Party's fields, empty",
        security: bearer('cases:read'),
        parameters: [caseIdParameter, pathParameter('roleID', 'The role ID'), formView],
        responses: {
          '200': response(
            'The form',
            z.object({
              data: z.object({ content: z.record(z.string(), z.string()) }),
              uiResources: uiResourcesSchema.optional(),
            }),
          ),
          '404': notFound('Case, or role'),
          ...dxRefusals,
        },
      },
    },
    [`${base}/cases/{ID}/participants`]: {
      get: {
        summary: "The case's participants, first added first",
        security: bearer('cases:read'),
        parameters: [caseIdParameter],
        responses: {
          '200': response(
            'The participants',
            z.object({
              data: z.object({ content: z.object({ pyParticipants: z.array(participantSchema) }) }),
            }),
            caseEtag,
          ),
          '404': notFound('Case'),
          ...dxRefusals,
        },
      },
      post: {
        summary: 'Add a participant in a role: a change of the case (If-Match)',
        security: bearer('cases:update'),
        parameters: [caseIdParameter, ifMatch, formView],
        requestBody: { required: true, content: jsonContent(addParticipantSchema, 'input') },
        responses: {
          '201': response('The participant, with its ID', participantAnswer(), caseEtag),
          ...changeRefusals('Case'),
          '400': dxError('A role the case type lacks, page instructions, or a malformed body'),
        },
      },
    },
    [`${base}/cases/{ID}/participants/{participantID}`]: {
      get: {
        summary: 'A participant',
        security: bearer('cases:read'),
        parameters: [caseIdParameter, participantId, formView],
        responses: {
          '200': response('The participant', participantAnswer(), caseEtag),
          '404': notFound('Case, or participant'),
          ...dxRefusals,
        },
      },
      patch: {
        summary: "Merge into a participant's content (null removes a field), with If-Match",
        security: bearer('cases:update'),
        parameters: [caseIdParameter, participantId, ifMatch, formView],
        requestBody: { required: true, content: jsonContent(patchParticipantSchema, 'input') },
        responses: {
          '200': response('The participant as merged', participantAnswer(), caseEtag),
          ...changeRefusals('Case, or participant'),
        },
      },
      delete: {
        summary: 'Remove a participant, with If-Match',
        security: bearer('cases:update'),
        parameters: [caseIdParameter, participantId, ifMatch],
        responses: {
          '200': response('Removed', z.object({}), caseEtag),
          ...changeRefusals('Case, or participant'),
        },
      },
    },
  };
}
