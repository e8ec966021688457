import * as z from 'zod';
import { clientJwksSchema } from '../crypto/client-keys';
import { PROTOTYPE_NAMES } from '../domain/case-content';
import { MAX_SECRET_GRACE_SECONDS } from '../domain/clients';
import { ACCESS_TOKEN_LIFETIME, FIELD_TYPES, scopeSchema } from '../domain/model';

const uniqueList = <T extends z.ZodType>(item: T) =>
  z.array(item).refine((list) => new Set(list).size === list.length, 'must not repeat a value');

const displayName = z.string().trim().min(1).max(200);

export const operatorIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, 'letters, digits, ".", "_", "@" and "-" only');

const accessGroupSchema = z.strictObject({
  name: displayName,
  privileges: uniqueList(scopeSchema),
  caseTypes: uniqueList(z.string().min(1).max(200)),
  caseVisibility: z.enum(['own', 'all']),
});

export const createOperatorSchema = z.strictObject({
  operatorID: operatorIdSchema,
  name: displayName,
  accessGroup: accessGroupSchema,
});

const atLeastOneField = (value: object) => Object.keys(value).length > 0;

export const updateOperatorSchema = z
  .strictObject({ name: displayName, accessGroup: accessGroupSchema.partial() })
  .partial()
  .refine(atLeastOneField, 'give at least one field to change');

const lifetimeSchema = z
  .number()
  .int()
  .min(ACCESS_TOKEN_LIFETIME.min)
  .max(ACCESS_TOKEN_LIFETIME.max);
const clientScopesSchema = uniqueList(scopeSchema).min(1);
const descriptionSchema = z.string().trim().max(2000);
const tokensPerHourSchema = z.number().int().min(1).max(1_000_000);

/** RFC 7591's names; both secret methods mean a secret (edgecase accepts either). */
const authMethodSchema = z.enum([
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
]);

/** RFC 8705 §2.1.2: the subject DN of a CA-verified client certificate, as Cloudflare shows it. */
const subjectDnSchema = z.string().trim().min(1).max(1000);

/** A certificate's SHA-256 fingerprint: 64 hex digits, colons allowed; stored lower case. */
const fingerprintSchema = z
  .string()
  .transform((value) => value.replaceAll(':', '').toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 fingerprint: 64 hex digits'));

/** What a client registration says of the client: at registration and in a PATCH. */
const clientShape = {
  tokenEndpointAuthMethod: authMethodSchema,
  /** private_key_jwt: the client's public keys. */
  jwks: clientJwksSchema,
  /** Every token must be DPoP-bound (RFC 9449): a token request without a proof is refused. */
  dpopBoundAccessTokens: z.boolean(),
  tlsClientAuthSubjectDn: subjectDnSchema,
  tlsClientCertificateSha256: fingerprintSchema,
  name: displayName,
  description: descriptionSchema,
  accessTokenLifetime: lifetimeSchema,
  scopes: clientScopesSchema,
  /** At registration, omitted: the default quota. null: none (a PATCH removes it). */
  tokensPerHour: tokensPerHourSchema.nullable(),
};

/** A registration names the client and its operator; the rest is optional. */
export const registerClientSchema = z
  .strictObject(clientShape)
  .partial()
  .extend({ name: displayName, operatorID: operatorIdSchema });

/** A PATCH changes any of it but the operator, and may enable or disable the client. */
export const updateClientSchema = z
  .strictObject({ ...clientShape, enabled: z.boolean() })
  .partial()
  .refine(atLeastOneField, 'give at least one field to change');

/** `POST /admin/v1/clients/{id}/secret`: an optional grace period for the old secret. */
export const regenerateSecretSchema = z.strictObject({
  graceSeconds: z.number().int().min(1).max(MAX_SECRET_GRACE_SECONDS).optional(),
});

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(200).optional(),
});

/** Path IDs: anything that could be an ID, so a wrong one is a clean 404, not a 400. */
export const pathIdSchema = z.string().min(1).max(200);

const RESERVED_FIELD_NAMES = new Set(['pxObjClass', 'pyID', 'pyStatusWork']);

/**
 * The sum of a case type's string `maxLength`s: ASCII content that fills every field still fits
 * the 64 KiB a case stores, with room for the field names and the other values.
 */
export const MAX_TOTAL_MAX_LENGTH = 48 * 1024;

const fieldNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a letter, then letters, digits or "_"');

const fieldDefinitionSchema = z
  .strictObject({
    name: fieldNameSchema
      .refine((name) => !RESERVED_FIELD_NAMES.has(name), 'is a reserved Pega property')
      .refine(
        (name) => !PROTOTYPE_NAMES.has(name),
        'is a name every object has (Object.prototype)',
      ),
    label: displayName.optional(),
    type: z.enum(FIELD_TYPES),
    required: z.boolean().default(false),
    maxLength: z.number().int().min(1).max(65_536).optional(),
    enum: uniqueList(z.string().min(1).max(200)).min(1).max(500).optional(),
  })
  .refine((field) => field.type === 'string' || (!field.maxLength && !field.enum), {
    message: 'maxLength and enum apply to string fields only',
  });

const pegaIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a letter, then letters, digits or "_"');

/** One step of a flow: one assignment and the form of its flow action. */
const flowStepSchema = z.strictObject({
  ID: pegaIdSchema,
  name: displayName,
  instructions: z.string().trim().max(2000).default(''),
  fields: z
    .array(z.strictObject({ name: fieldNameSchema, required: z.boolean().default(false) }))
    .max(200)
    .default([])
    .refine(
      (list) => new Set(list.map((f) => f.name)).size === list.length,
      'names must be unique',
    ),
  action: z.strictObject({ ID: pegaIdSchema, name: displayName }),
  routeTo: operatorIdSchema.optional(),
});

export const caseTypeIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)+$/, 'a Pega class name such as Org-App-Work-Type')
  .max(200);

const caseTypeObject = z.strictObject({
  ID: caseTypeIdSchema,
  name: displayName,
  idPrefix: z.string().regex(/^[A-Za-z0-9]{1,12}-$/, 'letters or digits, then "-" (R-)'),
  startingProcesses: z
    .array(
      z.strictObject({
        ID: pegaIdSchema,
        name: displayName,
        requiresFieldsToCreate: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(20)
    .refine(
      (list) => list.some((process) => process.ID === 'pyStartCase'),
      'must include pyStartCase',
    )
    .refine((list) => new Set(list.map((p) => p.ID)).size === list.length, 'IDs must be unique'),
  fields: z
    .array(fieldDefinitionSchema)
    .max(200)
    .refine((list) => new Set(list.map((f) => f.name)).size === list.length, 'names must be unique')
    .refine(
      (list) =>
        list.reduce((sum, field) => sum + (field.maxLength ?? 0), 0) <= MAX_TOTAL_MAX_LENGTH,
      `the maxLengths of all fields must add up to at most ${MAX_TOTAL_MAX_LENGTH}`,
    ),
  /** Omitted: one step that collects every field, routed to the creator. */
  flow: z
    .array(flowStepSchema)
    .min(1)
    .max(50)
    .refine(
      (steps) => new Set(steps.map((step) => step.ID)).size === steps.length,
      'step IDs must be unique',
    )
    .refine(
      (steps) => new Set(steps.map((step) => step.action.ID)).size === steps.length,
      'action IDs must be unique, so a late submission can never act on a later step',
    )
    .optional(),
});

/** Every field a step collects must be defined. */
function checkFlowFields(
  caseType: { fields: { name: string }[]; flow?: { fields: { name: string }[] }[] | undefined },
  context: z.RefinementCtx,
) {
  const defined = new Set(caseType.fields.map((field) => field.name));
  caseType.flow?.forEach((step, stepIndex) => {
    step.fields.forEach((field, fieldIndex) => {
      if (!defined.has(field.name)) {
        context.addIssue({
          code: 'custom',
          path: ['flow', stepIndex, 'fields', fieldIndex, 'name'],
          message: `No field ${field.name} is defined.`,
        });
      }
    });
  });
}

export const caseTypeSchema = caseTypeObject.superRefine(checkFlowFields);
/** PUT: the same body; `ID`, if given, must be the one in the path. */
export const caseTypeReplacementSchema = caseTypeObject
  .partial({ ID: true })
  .superRefine(checkFlowFields);
