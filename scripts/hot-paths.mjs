// `npm run hot-paths`: what each hot-path fix of #28 saves, per call, in V8 (Node's, the engine
// workerd runs). The new path is edgecase's own code (src/, bundled here by esbuild); the old
// path is the same code driven the way it ran before the fix where that path still exists (a
// body without Content-Length, a schema built for fields it has not seen), else the few lines
// the fix replaced, kept here as they were. Measured, never asserted.
//
//   npm run hot-paths [-- --iterations 20000]
import { timingSafeEqual } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { optionValue } from './args.mjs';

const root = join(import.meta.dirname, '..');

const iterations = Number(optionValue(process.argv.slice(2), '--iterations') ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'edgecase-hot-paths-'));
const entry = join(dir, 'entry.ts');
writeFileSync(
  entry,
  `export { newCaseContent } from '${root}/src/domain/case-content';
   export { readBodyText } from '${root}/src/http/body';
   export { hashSecret, hashMatches } from '${root}/src/crypto/secrets';
   export { required } from '${root}/src/config';
   export { AppError } from '${root}/src/errors';`,
);
await build({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  outfile: join(dir, 'out.mjs'),
  platform: 'neutral',
  logLevel: 'error',
});
// workerd's own extension of Web Crypto, as Node has it.
crypto.subtle.timingSafeEqual ??= (a, b) => timingSafeEqual(a, b);
const hot = await import(join(dir, 'out.mjs'));

/** µs per call of `run`, after a warm-up, as the median of five rounds. */
async function perCall(run) {
  for (let i = 0; i < iterations / 10; i++) await run();
  const rounds = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations / 5; i++) await run();
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / (iterations / 5));
  }
  return rounds.sort((a, b) => a - b)[2];
}

const fields = [
  { name: 'RequestID', type: 'string', required: true, maxLength: 64 },
  { name: 'RequestDetail', type: 'string', required: true, maxLength: 2000 },
  { name: 'Severity', type: 'string', enum: ['Low', 'Medium', 'High'] },
  { name: 'Depth', type: 'number' },
  { name: 'Urgent', type: 'boolean' },
  { name: 'Reported', type: 'date' },
];
const values = { RequestID: 'FT123', RequestDetail: 'faster trains, please!', Severity: 'High' };
const options = { requireFields: true, closed: new Map() };
const body = JSON.stringify({ content: values });
const secret = 'x'.repeat(43);
const stored = await hot.hashSecret(secret);
const present = { ok: true, value: 'https://issuer.example' };
const encoder = new TextEncoder();

// The lines the fixes replaced, as they were.
const oldRequired = (part, error = new hot.AppError(503, 'server_error', 'Server error')) => {
  if (part.ok) return part.value;
  throw error;
};
const oldHex = async (value) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))))
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
const equal = (a, b) => crypto.subtle.timingSafeEqual(encoder.encode(a), encoder.encode(b));

const fixes = [
  [
    '1. required(): the 503 built only when thrown',
    () => oldRequired(present),
    () => hot.required(present),
  ],
  [
    "2. a case type's content schema built once per cached definition",
    () => hot.newCaseContent([...fields], values, options),
    () => hot.newCaseContent(fields, values, options),
  ],
  [
    '3. a body with Content-Length read whole, one shared decoder',
    () =>
      hot.readBodyText(
        new Request('http://x/', {
          method: 'POST',
          body: new Blob([body]).stream(),
          duplex: 'half',
        }),
      ),
    () =>
      hot.readBodyText(
        new Request('http://x/', {
          method: 'POST',
          body,
          headers: { 'content-length': String(body.length) },
        }),
      ),
  ],
  [
    '4. a presented secret hashed once, hex from a table',
    async () => {
      const [a, b, c] = [await oldHex(secret), await oldHex(secret), await oldHex(secret)];
      return equal(a, stored) || equal(b, stored) || equal(c, stored);
    },
    async () => {
      const hash = await hot.hashSecret(secret);
      return hot.hashMatches(hash, stored) || hot.hashMatches(hash, stored);
    },
  ],
];

console.log(`| fix | before µs/call | after µs/call | saved µs |`);
console.log('|---|---:|---:|---:|');
for (const [name, before, after] of fixes) {
  const [was, now] = [await perCall(before), await perCall(after)];
  console.log(`| ${name} | ${was.toFixed(1)} | ${now.toFixed(1)} | ${(was - now).toFixed(1)} |`);
}
