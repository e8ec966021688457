// `npm run deploy`: `wrangler deploy` with ISSUER, which a deployment must have.
//   ISSUER=https://api.example.com npm run deploy -- --domain api.example.com
// ISSUER is the public origin clients use; it becomes the `iss` of every token and the base of
// every endpoint URL. It is passed as a var on each deploy (so it never lands in wrangler.toml,
// which local development shares) and checked here, so a deploy without it cannot happen by
// accident. Extra arguments reach wrangler (`--dry-run --outdir dist`, `--domain ...`).
import { spawnSync } from 'node:child_process';

const issuer = process.env.ISSUER ?? '';
let origin;
try {
  origin = new URL(issuer).origin;
} catch {
  origin = undefined;
}
if (!origin || origin !== issuer.replace(/\/$/, '') || !issuer.startsWith('https://')) {
  console.error(
    'edgecase: set ISSUER to the https origin clients will use, without a path, e.g.\n' +
      '  ISSUER=https://api.example.com npm run deploy -- --domain api.example.com',
  );
  process.exit(2);
}
process.env.WRANGLER_SEND_METRICS = 'false';
const result = spawnSync(
  'wrangler',
  ['deploy', '--var', `ISSUER:${origin}`, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: process.env,
  },
);
process.exit(result.status ?? 1);
