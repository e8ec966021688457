// Longer than 300 lines on purpose: every body the admin API takes (operators, clients, case types), one schema each, sharing the rules of names, fields, flows and IDs.
import { clientJwksSchema } from '../crypto/client-keys';
import { PROTOTYPE_NAMES } from '../domain/case-content';
import { MAX_SECRET_GRACE_SECONDS } from '../domain/clients';
import { ACCESS_TOKEN_LIFETIME, FIELD_TYPES, isSystemName, scopeSchema } from '../domain/model';
import { integerParam } from '../http/validation';
import * as z from '../zod';
import { checkDefinition } from './life-cycle';

export const unique = <T>(key: (item: T) => unknown, message: string) =>
  z.refine<T[]>((list) => new Set(list.map(key)).size === list.length, message);

const uniqueList = <T extends z.ZodMiniType>(item: T, ...checks: z.core.$ZodCheck<unknown[]>[]) =>
  z.array(item).check(
    unique((value) => value, 'must not repeat a value'),
    ...checks,
  );

/** A bounded string. */
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
/** A bounded string, trimmed first. */
const trimmed = (min: number, max: number) =>
  z.string().check(z.trim(), z.minLength(min), z.maxLength(max));
/** A whole number from `min` to `max`. */
const integer = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

export const displayName = trimmed(1, 200);

export const operatorIdSchema = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, 'letters, digits, ".", "_", "@" and "-" only'),
  );

const accessGroupSchema = z.strictObject({
  name: displayName,
  privileges: uniqueList(scopeSchema),
  caseTypes: uniqueList(text(1, 200)),
  caseVisibility: z.enum(['own', 'all']),
});

export const createOperatorSchema = z.strictObject({
  operatorID: operatorIdSchema,
  name: displayName,
  accessGroup: accessGroupSchema,
});

const atLeastOneField = (value: object) => Object.keys(value).length > 0;

export const updateOperatorSchema = z
  .partial(z.strictObject({ name: displayName, accessGroup: z.partial(accessGroupSchema) }))
  .check(z.refine(atLeastOneField, 'give at least one field to change'));

const lifetimeSchema = integer(ACCESS_TOKEN_LIFETIME.min, ACCESS_TOKEN_LIFETIME.max);
const clientScopesSchema = uniqueList(scopeSchema, z.minLength(1));
const descriptionSchema = trimmed(0, 2000);
const tokensPerHourSchema = integer(1, 1_000_000);

/** RFC 7591's names; both secret methods mean a secret (edgecase accepts either). */
const authMethodSchema = z.enum([
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
]);

/** RFC 8705 §2.1.2: the subject DN of a CA-verified client certificate, as Cloudflare shows it. */
const subjectDnSchema = trimmed(1, 1000);

/** A certificate's SHA-256 fingerprint: 64 hex digits, colons allowed; stored lower case. */
const fingerprintSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value: string) => value.replaceAll(':', '').toLowerCase()),
  ),
  z.string().check(z.regex(/^[0-9a-f]{64}$/, 'a SHA-256 fingerprint: 64 hex digits')),
);

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
  tokensPerHour: z.nullable(tokensPerHourSchema),
};

/** A registration names the client and its operator; the rest is optional. */
export const registerClientSchema = z.extend(z.partial(z.strictObject(clientShape)), {
  name: displayName,
  operatorID: operatorIdSchema,
});

/** A PATCH changes any of it but the operator, and may enable or disable the client. */
export const updateClientSchema = z
  .partial(z.strictObject({ ...clientShape, enabled: z.boolean() }))
  .check(z.refine(atLeastOneField, 'give at least one field to change'));

/** `POST /admin/v1/clients/{id}/secret`: an optional grace period for the old secret. */
export const regenerateSecretSchema = z.strictObject({
  graceSeconds: z.optional(integer(1, MAX_SECRET_GRACE_SECONDS)),
});

export const pageQuerySchema = z.object({
  limit: z._default(integerParam(1, 500), 100),
  cursor: z.optional(text(1, 200)),
});

/** Path IDs: anything that could be an ID, so a wrong one is a clean 404, not a 400. */
export const pathIdSchema = text(1, 200);

/**
 * The sum of a case type's string `maxLength`s: ASCII content that fills every field still fits
 * the 64 KiB a case stores, with room for the field names and the other values.
 */
export const MAX_TOTAL_MAX_LENGTH = 48 * 1024;

/** A Pega property or rule name: a letter, then up to 63 letters, digits or "_". */
const pegaIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a letter, then letters, digits or "_"'));
export const fieldNameSchema = pegaIdSchema;

export const fieldDefinitionSchema = z
  .strictObject({
    name: fieldNameSchema.check(
      z.refine(
        (name) => !isSystemName(name),
        'is a system name (classID, or a px, py or pz property): the service shows its own value there',
      ),
      z.refine(
        (name) => !PROTOTYPE_NAMES.has(name),
        'is a name every object has (Object.prototype)',
      ),
    ),
    label: z.optional(displayName),
    type: z.enum(FIELD_TYPES),
    required: z._default(z.boolean(), false),
    maxLength: z.optional(integer(1, 65_536)),
    enum: z.optional(uniqueList(text(1, 200), z.minLength(1), z.maxLength(500))),
    /** Kept in an index: filters of data views on it read only the cases they match. */
    queryable: z.optional(z.boolean()),
    /**
     * A dropdown whose options are a data type's records (DX case model §7): its list view, the
     * field whose value is stored, and the field shown.
     */
    dataSource: z.optional(
      z.strictObject({
        dataView: z.string().check(z.regex(/^D_[A-Za-z0-9_]{1,100}List$/, 'D_<type>List')),
        value: fieldNameSchema,
        text: z.optional(fieldNameSchema),
      }),
    ),
  })
  .check(
    z.refine(
      (field) => field.type === 'string' || (!field.maxLength && !field.enum && !field.dataSource),
      'maxLength, enum and dataSource apply to string fields only',
    ),
  );

/** One step of a flow: one assignment and the form of its flow action. */
const flowStepSchema = z.strictObject({
  ID: pegaIdSchema,
  name: displayName,
  instructions: z._default(trimmed(0, 2000), ''),
  fields: z._default(
    z
      .array(z.strictObject({ name: fieldNameSchema, required: z._default(z.boolean(), false) }))
      .check(
        z.maxLength(200),
        unique((field: { name: string }) => field.name, 'names must be unique'),
      ),
    [],
  ),
  action: z.strictObject({ ID: pegaIdSchema, name: displayName }),
  routeTo: z.optional(operatorIdSchema),
  /** The next screen of the step before it: one assignment across both (a multi-step form). */
  nextScreen: z.optional(z.boolean()),
});

/** A stage of the life cycle: the flow steps it runs, by ID (see checkStages). */
const stageSchema = z.strictObject({
  ID: pegaIdSchema,
  name: displayName,
  type: z._default(z.enum(['Primary', 'Alternate']), 'Primary'),
  resolutionStatus: z.optional(
    z
      .string()
      .check(z.regex(/^Resolved-[A-Za-z]{1,32}$/, 'Resolved- and a word (Resolved-Rejected)')),
  ),
  steps: z.array(pegaIdSchema).check(z.maxLength(50)),
});

export const caseTypeIdSchema = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)+$/,
      'a Pega class name such as Org-App-Work-Type',
    ),
    z.maxLength(200),
  );

const caseTypeObject = z.strictObject({
  ID: caseTypeIdSchema,
  name: displayName,
  idPrefix: z.string().check(z.regex(/^[A-Za-z0-9]{1,12}-$/, 'letters or digits, then "-" (R-)')),
  startingProcesses: z
    .array(
      z.strictObject({
        ID: pegaIdSchema,
        name: displayName,
        requiresFieldsToCreate: z.optional(z.boolean()),
      }),
    )
    .check(
      z.minLength(1),
      z.maxLength(20),
      z.refine(
        (list) => list.some((process) => process.ID === 'pyStartCase'),
        'must include pyStartCase',
      ),
      unique((process: { ID: string }) => process.ID, 'IDs must be unique'),
    ),
  fields: z.array(fieldDefinitionSchema).check(
    z.maxLength(200),
    unique((field: { name: string }) => field.name, 'names must be unique'),
    z.refine(
      (list) =>
        list.reduce((sum, field) => sum + (field.maxLength ?? 0), 0) <= MAX_TOTAL_MAX_LENGTH,
      `the maxLengths of all fields must add up to at most ${MAX_TOTAL_MAX_LENGTH}`,
    ),
  ),
  /** Omitted: one step that collects every field, routed to the creator. */
  flow: z.optional(
    z.array(flowStepSchema).check(
      z.minLength(1),
      z.maxLength(50),
      unique((step: { ID: string }) => step.ID, 'step IDs must be unique'),
      unique(
        (step: { action: { ID: string } }) => step.action.ID,
        'action IDs must be unique, so a late submission can never act on a later step',
      ),
    ),
  ),
  /** Optional processes: one step each, started on a case as a further assignment. */
  processes: z.optional(
    z
      .array(
        z.strictObject({
          ID: pegaIdSchema,
          name: displayName,
          stage: z.optional(pegaIdSchema),
          // Routed to whoever starts it: no routeTo; one screen.
          step: z.omit(flowStepSchema, { routeTo: true, nextScreen: true }),
        }),
      )
      .check(
        z.maxLength(20),
        unique(
          (process: { ID: string }) => process.ID.toUpperCase(),
          'process IDs must be unique (in any case: they name assignments)',
        ),
      ),
  ),
  /** The roles a case's participants take; `single`: one participant at most. */
  participantRoles: z.optional(
    z
      .array(
        z.strictObject({
          // No "_": participant IDs are <Role>_<nn>, and two roles must never make the same.
          ID: z
            .string()
            .check(z.regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'a letter, then letters or digits')),
          name: displayName,
          single: z.optional(z.boolean()),
        }),
      )
      .check(
        z.maxLength(20),
        unique((role: { ID: string }) => role.ID.toUpperCase(), 'role IDs must be unique'),
      ),
  ),
  /** Omitted: one primary stage per step, named after it. */
  stages: z.optional(
    z.array(stageSchema).check(
      z.minLength(1),
      z.maxLength(50),
      unique((stage: { ID: string }) => stage.ID, 'stage IDs must be unique'),
    ),
  ),
});

export const caseTypeSchema = caseTypeObject.check(z.superRefine(checkDefinition));
/** PUT: the same body; `ID`, if given, must be the one in the path. */
export const caseTypeReplacementSchema = z
  .partial(caseTypeObject, { ID: true })
  .check(z.superRefine(checkDefinition));
