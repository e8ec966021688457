// Creates or completes .dev.vars for local development: a random ADMIN_TOKEN and a fresh
// SIGNING_KEYS. A value that is already there is never overwritten.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { newSigningJwk } from './signing-key.mjs';

const GENERATORS = {
  ADMIN_TOKEN: () => randomBytes(32).toString('base64url'),
  // Single quotes: dotenv keeps the JSON as it is.
  SIGNING_KEYS: () => `'${JSON.stringify([newSigningJwk()])}'`,
};

export function ensureDevVars(path = '.dev.vars') {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const present = new Set(
    text
      .split('\n')
      .map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1])
      .filter(Boolean),
  );
  const added = Object.keys(GENERATORS).filter((name) => !present.has(name));
  if (added.length > 0) {
    const lines = added.map((name) => `${name}=${GENERATORS[name]()}`);
    const separator = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
    writeFileSync(path, `${text}${separator}${lines.join('\n')}\n`, { mode: 0o600 });
  }
  return added;
}

/** The ADMIN_TOKEN value in .dev.vars, for scripts that call the admin API locally. */
export function readAdminToken(path = '.dev.vars') {
  const line = readFileSync(path, 'utf8')
    .split('\n')
    .find((entry) => /^\s*ADMIN_TOKEN\s*=/.test(entry));
  return line
    ?.slice(line.indexOf('=') + 1)
    .trim()
    .replace(/^(['"])(.*)\1$/, '$2');
}
