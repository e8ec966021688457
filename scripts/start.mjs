// `npm start`: prepares local state, then runs `wrangler dev` with any extra arguments.
//   1. creates or completes .dev.vars, or the file given with --env-file (never overwriting
//      a value),
//   2. applies the D1 migrations to the local database,
//   3. loads the demo data (seed/demo.sql; idempotent),
//   4. execs `wrangler dev`, e.g. `npm start -- --port 8790`.
import { spawn, spawnSync } from 'node:child_process';
import { optionValue } from './args.mjs';
import { ensureDevVars } from './dev-vars.mjs';

const args = process.argv.slice(2);
process.env.WRANGLER_SEND_METRICS = 'false';

const persistTo = optionValue(args, '--persist-to');
const persistArgs = persistTo ? ['--persist-to', persistTo] : [];
const port = optionValue(args, '--port') ?? '8787';

function wrangler(...wranglerArgs) {
  const result = spawnSync('wrangler', wranglerArgs, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
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
console.log(`
edgecase: demo data loaded (operator CityServicesAPI, case type Cnow-connectnow-Work-CityServicesRequest).
  The admin token is ADMIN_TOKEN in ${envFile}. First call, once the server is up:

  curl -s ${base}/admin/v1/operators \\
    -H "Authorization: Bearer $(sed -n 's/^ADMIN_TOKEN=//p' ${envFile})"

  README.md walks through registering a client and getting a token.
`);

const dev = spawn('wrangler', ['dev', ...args], { stdio: 'inherit', env: process.env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
