// `npm start`: prepares local state, then runs `wrangler dev` with any extra arguments.
//   1. creates or completes .dev.vars, or the file given with --env-file (never overwriting
//      a value),
//   2. applies the D1 migrations to the local database,
//   3. loads the demo data (seed/demo.sql; idempotent),
//   4. runs `wrangler dev` with both Workers (the API's, wrangler.toml, and the console's,
//      wrangler.console.toml, behind its CONSOLE binding), e.g. `npm start -- --port 8790`, and
//      once it is up says where the console is and how to sign in. Steps 2 and 3 print nothing
//      unless they fail.
import { spawn, spawnSync } from 'node:child_process';
import { optionValue } from './args.mjs';
import { consoleConfigFor } from './console-config.mjs';
import { ensureDevVars } from './dev-vars.mjs';

const args = process.argv.slice(2);
process.env.WRANGLER_SEND_METRICS = 'false';

const persistTo = optionValue(args, '--persist-to');
const persistArgs = persistTo ? ['--persist-to', persistTo] : [];
const port = optionValue(args, '--port') ?? '8787';

function wrangler(...wranglerArgs) {
  const result = spawnSync('wrangler', wranglerArgs, { env: process.env, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    console.error(`edgecase: \`wrangler ${wranglerArgs.join(' ')}\` failed`);
    process.exit(result.status ?? 1);
  }
}

const envFile = optionValue(args, '--env-file') ?? '.dev.vars';
const added = ensureDevVars(envFile);
console.log(
  added.length > 0
    ? `edgecase: wrote ${added.join(' and ')} to ${envFile}`
    : `edgecase: ${envFile} already complete`,
);
wrangler('d1', 'migrations', 'apply', 'DB', '--local', ...persistArgs);
wrangler('d1', 'execute', 'DB', '--local', '--file', 'seed/demo.sql', ...persistArgs);

const base = `http://localhost:${port}`;
const banner = `
  edgecase is up.

  Console:   ${base}/admin/   (sign in with ADMIN_TOKEN from ${envFile})
  API docs:  ${base}/api/v1/docs
  Demo:      npm run demo   (registers a client and works a case to the end)
`;

// wrangler dev's own output goes through; the banner follows its "Ready" line.
const dev = spawn(
  'wrangler',
  ['dev', '-c', 'wrangler.toml', '-c', consoleConfigFor(envFile), ...args],
  {
    stdio: ['inherit', 'pipe', 'inherit'],
    env: process.env,
  },
);
let announced = false;
dev.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready on/.test(String(chunk))) {
    announced = true;
    process.stdout.write(banner);
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
