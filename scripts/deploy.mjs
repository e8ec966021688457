// `npm run deploy`: `wrangler deploy` of both Workers with ISSUER, which a deployment must have:
// the console's first (wrangler.console.toml: the API Worker's CONSOLE binding needs it), then
// the API's (wrangler.toml).
//   ISSUER=https://api.example.com npm run deploy -- --domain api.example.com
// ISSUER is the public origin clients use; it becomes the `iss` of every token and the base of
// every endpoint URL. It is passed as a var on each deploy (so it never lands in wrangler.toml,
// which local development shares) and checked here, so a deploy without it cannot happen by
// accident. Extra arguments reach wrangler (`--dry-run --outdir dist`, `--domain ...`); the console
// has no domain of its own (only the binding reaches it) and writes a dry run to `<outdir>-console`.
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
const args = process.argv.slice(2);

/** The arguments for the console's deploy: no --domain; its own --outdir. */
function consoleArgs(list) {
  const out = [];
  for (let i = 0; i < list.length; i += 1) {
    const arg = list[i];
    if (arg === '--domain' || arg === '--route') {
      i += 1;
    } else if (arg === '--outdir') {
      out.push(arg, `${list[i + 1]}-console`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

const deploy = (config, extra) =>
  spawnSync('wrangler', ['deploy', '-c', config, '--var', `ISSUER:${origin}`, ...extra], {
    stdio: 'inherit',
    env: process.env,
  }).status ?? 1;

const consoleStatus = deploy('wrangler.console.toml', consoleArgs(args));
if (consoleStatus !== 0) process.exit(consoleStatus);
process.exit(deploy('wrangler.toml', args));
