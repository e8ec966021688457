import { env } from 'cloudflare:workers';
import { generateKeyPair, importJWK, type JWTPayload, SignJWT } from 'jose';
import { AUDIENCE, ORIGIN } from './helpers';

/** The configured signing key the Worker signs with: lets tests mint tokens with chosen flaws. */
async function realSigningKey() {
  const [first] = JSON.parse(env.SIGNING_KEYS as string) as { kid: string; alg: string }[];
  if (!first) throw new Error('no signing key configured for tests');
  return { kid: first.kid, key: await importJWK(first, first.alg) };
}

export interface MintOptions {
  clientId: string;
  operator?: string;
  claims?: JWTPayload;
  typ?: string;
  /** Sign with a fresh key under the real kid: a forged signature. */
  foreignKey?: boolean;
  kid?: string;
}

export async function mintToken(options: MintOptions): Promise<{ token: string; jti: string }> {
  const now = Math.floor(Date.now() / 1000);
  const jti = crypto.randomUUID();
  const signing = options.foreignKey
    ? { kid: (await realSigningKey()).kid, key: (await generateKeyPair('ES256')).privateKey }
    : await realSigningKey();
  const token = await new SignJWT({
    iss: ORIGIN,
    sub: options.clientId,
    client_id: options.clientId,
    aud: AUDIENCE,
    scope: 'cases:read',
    iat: now,
    exp: now + 600,
    jti,
    operator: options.operator ?? 'nobody',
    ...options.claims,
  })
    .setProtectedHeader({
      alg: 'ES256',
      kid: options.kid ?? signing.kid,
      typ: options.typ ?? 'at+jwt',
    })
    .sign(signing.key);
  return { token, jti };
}

/** Writes the KV record the Worker would have written, so only the flaw under test can fail. */
export async function recordMintedToken(clientId: string, jti: string, operator = 'nobody') {
  const now = Math.floor(Date.now() / 1000);
  await env.TOKENS.put(
    `at:${clientId}:${jti}`,
    JSON.stringify({
      client_id: clientId,
      operator,
      scope: 'cases:read',
      iat: now,
      exp: now + 600,
      generation: 0,
    }),
    { expirationTtl: 600 },
  );
}

/** `alg: none`, unsigned: must never verify. */
export function unsignedToken(clientId: string): string {
  const encode = (value: object) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode({
    iss: ORIGIN,
    sub: clientId,
    client_id: clientId,
    aud: AUDIENCE,
    scope: 'cases:read',
    iat: now,
    exp: now + 600,
    jti: 'none',
    operator: 'nobody',
  })}.`;
}
