import { importSigningKeys, type SigningKeySet, signingKeysSchema } from './crypto/keys';
import { serverError } from './errors';
import * as z from './zod';

/** A part of the configuration that is either usable or, with a reason, switched off. */
export type Part<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Cloudflare Access in front of the admin API: whose tokens, for which application. */
export interface AccessConfig {
  issuer: string;
  audience: string;
  certsUrl: string;
}

export interface Config {
  issuer: Part<string | undefined>;
  adminToken: Part<string>;
  signingKeys: Part<SigningKeySet>;
  access: Part<AccessConfig | undefined>;
  corsOrigins: Part<string[]>;
  /** API Shield mTLS is in front of the hostname: `cf.tlsClientAuth` is the edge's word. */
  mtls: Part<boolean>;
  /** The largest attachment accepted, in bytes. */
  attachmentMaxBytes: Part<number>;
  /** How many temporary uploads, and how many bytes of them, an operator may hold at once. */
  uploadQuota: Part<{ files: number; bytes: number }>;
  /** The application alias Pega's SDKs may put in the path (`/prweb/app/{alias}/...`). */
  appAlias: Part<string | undefined>;
}

/** 10 MiB unless ATTACHMENT_MAX_BYTES says otherwise (at most 100 MiB: Workers' body limit). */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
const attachmentMaxBytesSchema = z.coerce
  .number()
  .check(z.int(), z.gte(1), z.lte(100 * 1024 * 1024));

/** An operator's temporary uploads: 50 files and 200 MiB at once unless configured. */
export const DEFAULT_UPLOAD_QUOTA = { files: 50, bytes: 200 * 1024 * 1024 } as const;
const uploadQuotaFilesSchema = z.coerce.number().check(z.int(), z.gte(1), z.lte(10_000));
const uploadQuotaBytesSchema = z.coerce
  .number()
  .check(z.int(), z.gte(1), z.lte(1024 * 1024 * 1024 * 1024));

/** A Pega application alias: letters, digits, `-` and `_`. */
const appAliasSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));

const originSchema = z.pipe(
  z
    .url({ protocol: /^https?$/ })
    .check(
      z.refine(
        (value) => URL.canParse(value) && new URL(value).origin === value.replace(/\/$/, ''),
        'must be an origin such as https://api.example.com, without a path',
      ),
    ),
  z.transform((value: string) => value.replace(/\/$/, '')),
);

// 128 bits of base64url at least: an admin bearer secret must not be guessable.
const adminTokenSchema = z.string().check(z.minLength(22, 'must be at least 22 characters'));

// `myteam.cloudflareaccess.com`, with or without https://.
const teamDomainSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value: string) => value.replace(/^https:\/\//, '').replace(/\/$/, '')),
  ),
  z.string().check(z.regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a host name')),
);

// A comma-separated allow-list; no wildcard: CORS here is for named browser clients only.
const corsOriginsSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value: string) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  ),
  z.array(originSchema),
);

const mtlsSchema = z.pipe(
  z.enum(['on', 'off']),
  z.transform((value: 'on' | 'off') => value === 'on'),
);

function describe(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`)
    .join('; ');
}

/** An optional value: `whenUnset` if absent, the parsed value, or switched off with the reason. */
function parsePart<T extends z.ZodMiniType, U>(
  name: string,
  raw: string | undefined,
  schema: T,
  whenUnset: Part<U>,
): Part<z.infer<T> | U> {
  if (!raw) return whenUnset;
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: `${name} ${describe(parsed.error)}` };
}

async function parseSigningKeys(raw: string | undefined): Promise<Part<SigningKeySet>> {
  if (!raw) return { ok: false, reason: 'SIGNING_KEYS is not set' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'SIGNING_KEYS is not valid JSON' };
  }
  const parsed = signingKeysSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `SIGNING_KEYS: ${describe(parsed.error)}` };
  try {
    return { ok: true, value: await importSigningKeys(parsed.data) };
  } catch {
    return { ok: false, reason: 'SIGNING_KEYS: a key could not be imported' };
  }
}

function parseAccess(env: Cloudflare.Env): Part<AccessConfig | undefined> {
  const { CF_ACCESS_TEAM_DOMAIN: team, CF_ACCESS_AUD: audience } = env;
  if (!team && !audience) return { ok: true, value: undefined };
  if (!team || !audience) {
    return { ok: false, reason: 'CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD go together' };
  }
  const host = teamDomainSchema.safeParse(team);
  if (!host.success) return { ok: false, reason: `CF_ACCESS_TEAM_DOMAIN ${describe(host.error)}` };
  const issuer = `https://${host.data}`;
  return { ok: true, value: { issuer, audience, certsUrl: `${issuer}/cdn-cgi/access/certs` } };
}

/** UPLOAD_QUOTA_FILES and UPLOAD_QUOTA_BYTES; a malformed one closes uploads (503). */
function parseUploadQuota(env: Cloudflare.Env): Config['uploadQuota'] {
  const files = parsePart('UPLOAD_QUOTA_FILES', env.UPLOAD_QUOTA_FILES, uploadQuotaFilesSchema, {
    ok: true,
    value: DEFAULT_UPLOAD_QUOTA.files,
  });
  const bytes = parsePart('UPLOAD_QUOTA_BYTES', env.UPLOAD_QUOTA_BYTES, uploadQuotaBytesSchema, {
    ok: true,
    value: DEFAULT_UPLOAD_QUOTA.bytes,
  });
  if (!files.ok) return files;
  if (!bytes.ok) return bytes;
  return { ok: true, value: { files: files.value, bytes: bytes.value } };
}

async function parseConfig(env: Cloudflare.Env): Promise<Config> {
  const config: Config = {
    issuer: parsePart('ISSUER', env.ISSUER, originSchema, { ok: true, value: undefined }),
    adminToken: parsePart('ADMIN_TOKEN', env.ADMIN_TOKEN, adminTokenSchema, {
      ok: false,
      reason: 'ADMIN_TOKEN is not set: admin routes are closed',
    }),
    signingKeys: await parseSigningKeys(env.SIGNING_KEYS),
    access: parseAccess(env),
    corsOrigins: parsePart('CORS_ALLOWED_ORIGINS', env.CORS_ALLOWED_ORIGINS, corsOriginsSchema, {
      ok: true,
      value: [],
    }),
    // Off unless said: under `wrangler dev` any caller can make up `request.cf`.
    mtls: parsePart('MTLS', env.MTLS, mtlsSchema, { ok: true, value: false }),
    // A malformed limit closes uploads (503) rather than guess one.
    attachmentMaxBytes: parsePart(
      'ATTACHMENT_MAX_BYTES',
      env.ATTACHMENT_MAX_BYTES,
      attachmentMaxBytesSchema,
      { ok: true, value: DEFAULT_ATTACHMENT_MAX_BYTES },
    ),
    uploadQuota: parseUploadQuota(env),
    appAlias: parsePart('APP_ALIAS', env.APP_ALIAS, appAliasSchema, { ok: true, value: undefined }),
  };
  for (const part of Object.values(config) as Part<unknown>[]) {
    if (!part.ok) console.error(`edgecase config: ${part.reason}`);
  }
  return config;
}

// Parsed once per isolate; a new value (a rotated secret, a test's own env) parses again.
// Workers hands every request of an isolate the same env object, so that is checked first;
// the values are compared only for an env not seen before.
let cached: { env: Cloudflare.Env; fingerprint: string; config: Promise<Config> } | undefined;

export function loadConfig(env: Cloudflare.Env): Promise<Config> {
  if (cached?.env === env) return cached.config;
  const fingerprint = JSON.stringify([
    env.ISSUER,
    env.ADMIN_TOKEN,
    env.SIGNING_KEYS,
    env.CF_ACCESS_TEAM_DOMAIN,
    env.CF_ACCESS_AUD,
    env.CORS_ALLOWED_ORIGINS,
    env.MTLS,
    env.ATTACHMENT_MAX_BYTES,
    env.UPLOAD_QUOTA_FILES,
    env.UPLOAD_QUOTA_BYTES,
    env.APP_ALIAS,
  ]);
  if (cached?.fingerprint !== fingerprint) {
    cached = { env, fingerprint, config: parseConfig(env) };
  } else {
    cached = { ...cached, env };
  }
  return cached.config;
}

/**
 * The value of a configuration part, or a 503 whose body never repeats the reason. The error is
 * made only when it is thrown: an AppError captures a stack, and this runs on every request
 * (#28's profile found ~40 µs a bearer request in a default parameter that built one each call).
 */
export function required<T>(part: Part<T>): T {
  if (part.ok) return part.value;
  throw serverError();
}
