import { z } from 'zod';
import { importSigningKeys, type SigningKeySet, signingKeysSchema } from './crypto/keys';
import { type AppError, serverError } from './errors';

/** A part of the configuration that is either usable or, with a reason, switched off. */
export type Part<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface Config {
  issuer: Part<string | undefined>;
  adminToken: Part<string>;
  signingKeys: Part<SigningKeySet>;
}

const issuerSchema = z
  .url({ protocol: /^https?$/ })
  .refine((value) => new URL(value).origin === value.replace(/\/$/, ''), {
    message: 'must be an origin such as https://api.example.com, without a path',
  })
  .transform((value) => value.replace(/\/$/, ''));

// 128 bits of base64url at least: an admin bearer secret must not be guessable.
const adminTokenSchema = z.string().min(22, 'must be at least 22 characters');

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`)
    .join('; ');
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

async function parseConfig(env: Cloudflare.Env): Promise<Config> {
  const issuer = env.ISSUER ? issuerSchema.safeParse(env.ISSUER) : undefined;
  const admin = env.ADMIN_TOKEN ? adminTokenSchema.safeParse(env.ADMIN_TOKEN) : undefined;
  const config: Config = {
    issuer: !issuer
      ? { ok: true, value: undefined }
      : issuer.success
        ? { ok: true, value: issuer.data }
        : { ok: false, reason: `ISSUER ${describe(issuer.error)}` },
    adminToken: !admin
      ? { ok: false, reason: 'ADMIN_TOKEN is not set: admin routes are closed' }
      : admin.success
        ? { ok: true, value: admin.data }
        : { ok: false, reason: `ADMIN_TOKEN ${describe(admin.error)}` },
    signingKeys: await parseSigningKeys(env.SIGNING_KEYS),
  };
  for (const part of Object.values(config) as Part<unknown>[]) {
    if (!part.ok) console.error(`edgecase config: ${part.reason}`);
  }
  return config;
}

// Parsed once per isolate; a new value (a rotated secret, a test's own env) parses again.
let cached: { fingerprint: string; config: Promise<Config> } | undefined;

export function loadConfig(env: Cloudflare.Env): Promise<Config> {
  const fingerprint = JSON.stringify([env.ISSUER, env.ADMIN_TOKEN, env.SIGNING_KEYS]);
  if (cached?.fingerprint !== fingerprint) {
    cached = { fingerprint, config: parseConfig(env) };
  }
  return cached.config;
}

/** The value of a configuration part, or a 503 whose body never repeats the reason. */
export function required<T>(part: Part<T>, error: AppError = serverError()): T {
  if (part.ok) return part.value;
  throw error;
}
