// `npm run bench`: the Worker's throughput and latency in workerd, measured directly through
// Miniflare (wrangler dev's proxy caps throughput far below the runtime), with local D1/KV.
// Prints a markdown table and writes JSON to bench-results/. Measured, never asserted.
//
//   npm run bench [-- --duration 10 --connections 16]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { unstable_splitSqlQuery } from 'wrangler';
import { optionValue } from './args.mjs';
import { newSigningJwk } from './signing-key.mjs';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const durationSeconds = Number(optionValue(args, '--duration') ?? 10);
const connections = Number(optionValue(args, '--connections') ?? 16);

// Miniflare as wrangler itself depends on it; a fixed cf object, since fetching one fails offline.
const requireFromWrangler = createRequire(createRequire(import.meta.url).resolve('wrangler'));
const { Miniflare, convertV4MiniflareOptions } = await import(
  pathToFileURL(requireFromWrangler.resolve('miniflare')).href
);
const wranglerToml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
const compatibilityDate = /compatibility_date\s*=\s*"([^"]+)"/.exec(wranglerToml)?.[1];
const local = { cf: { tlsVersion: 'TLSv1.3' }, host: '127.0.0.1', port: 0, compatibilityDate };

/** Runs each scenario (after a 2 s warm-up) and relates its throughput to the first one's. */
async function measure(base, scenarios) {
  const results = [];
  for (const scenario of scenarios) {
    const target = { ...scenario, url: `${base}${scenario.path}`, connections };
    await autocannon({ ...target, duration: 2 });
    const run = await autocannon({ ...target, duration: durationSeconds });
    results.push({
      scenario: scenario.name,
      requestsPerSecond: Math.round(run.requests.average),
      p50Ms: run.latency.p50,
      p99Ms: run.latency.p99,
      requests: run.requests.total,
      failures: run.non2xx + run.errors + run.timeouts,
    });
  }
  const baseline = results[0].requestsPerSecond;
  for (const result of results) {
    result.ratioToBaseline = Number((result.requestsPerSecond / baseline).toFixed(2));
  }
  return results;
}

/** The deploy bundle, exactly as `wrangler deploy` would upload it. */
function buildBundle() {
  const outdir = mkdtempSync(join(tmpdir(), 'edgecase-bench-'));
  const build = spawnSync(
    join(root, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '--outdir', outdir],
    { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${build.stderr}`);
  const scriptName = readdirSync(outdir).find((name) => name.endsWith('.js'));
  const bytes = readFileSync(join(outdir, scriptName));
  return {
    outdir,
    scriptPath: join(outdir, scriptName),
    bytes: { raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength },
  };
}

async function json(response) {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}

/** The edgecase Worker with the schema, the demo data, a client, a token and a case to read. */
async function edgecaseScenarios(mf, base, adminToken) {
  const db = await mf.getD1Database('DB');
  const migrations = readdirSync(join(root, 'migrations'))
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => join('migrations', name));
  for (const file of [...migrations, 'seed/demo.sql']) {
    const statements = unstable_splitSqlQuery(readFileSync(join(root, file), 'utf8'));
    await db.batch(statements.map((sql) => db.prepare(sql)));
  }

  const client = await json(
    await fetch(`${base}/admin/v1/clients`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      // No quota: the benchmark asks for thousands of tokens an hour.
      body: JSON.stringify({ name: 'bench', operatorID: 'CityServicesAPI', tokensPerHour: null }),
    }),
  );
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const tokenBody = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: client.clientID,
    client_secret: client.clientSecret,
  }).toString();
  const { access_token: token } = await json(
    await fetch(`${base}/oauth2/v1/token`, { method: 'POST', headers: form, body: tokenBody }),
  );
  const bearer = { authorization: `Bearer ${token}` };
  const caseJson = { ...bearer, 'content-type': 'application/json' };
  const caseBody = JSON.stringify({
    caseTypeID: 'Cnow-connectnow-Work-CityServicesRequest',
    processID: 'pyStartCase',
    content: { RequestID: 'FT123', RequestDetail: 'faster trains, please!' },
  });
  const created = await json(
    await fetch(`${base}/api/v1/cases`, { method: 'POST', headers: caseJson, body: caseBody }),
  );
  return [
    { name: 'GET /healthz (baseline)', path: '/healthz' },
    {
      name: 'POST /oauth2/v1/token',
      path: '/oauth2/v1/token',
      method: 'POST',
      headers: form,
      body: tokenBody,
    },
    {
      name: 'GET /api/v1/cases/{ID}',
      path: `/api/v1/cases/${encodeURIComponent(created.ID)}`,
      headers: bearer,
    },
    {
      name: 'POST /api/v1/cases',
      path: '/api/v1/cases',
      method: 'POST',
      headers: caseJson,
      body: caseBody,
    },
  ];
}

// What local D1 and KV cost by themselves on this machine: the ceiling that any route using
// them can reach here, whatever its own code does.
const PROBE_WORKER = `
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === '/setup') {
      await env.DB.prepare('CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY, v TEXT)').run();
      await env.DB.prepare("INSERT OR IGNORE INTO t VALUES ('a', 'x')").run();
      await env.KV.put('k', 'v');
    }
    if (path === '/d1-read') await env.DB.prepare('SELECT * FROM t WHERE id = ?').bind('a').first();
    if (path === '/kv-get') await env.KV.get('k');
    if (path === '/kv-put') await env.KV.put(crypto.randomUUID(), 'v', { expirationTtl: 3600 });
    return new Response('ok');
  },
};`;

const probeScenarios = [
  { name: 'bare route', path: '/' },
  { name: 'one D1 point read', path: '/d1-read' },
  { name: 'one KV get', path: '/kv-get' },
  { name: 'one KV put', path: '/kv-put' },
];

/** Starts a Worker in Miniflare, measures it, and always disposes of it. */
async function withWorker(options, run) {
  const mf = new Miniflare(convertV4MiniflareOptions({ modules: true, ...local, ...options }));
  try {
    const base = (await mf.ready).href.replace(/\/$/, '');
    return await run(mf, base);
  } finally {
    await mf.dispose();
  }
}

const bundle = buildBundle();
const adminToken = 'bench-admin-token-0123456789abcdef';
const results = await withWorker(
  {
    scriptPath: bundle.scriptPath,
    rootPath: bundle.outdir,
    d1Databases: { DB: 'bench-db' },
    kvNamespaces: ['TOKENS'],
    bindings: { ADMIN_TOKEN: adminToken, SIGNING_KEYS: JSON.stringify([newSigningJwk('bench')]) },
  },
  async (mf, base) => measure(base, await edgecaseScenarios(mf, base, adminToken)),
);
const floor = await withWorker(
  { script: PROBE_WORKER, d1Databases: { DB: 'probe-db' }, kvNamespaces: ['KV'] },
  async (_mf, base) => {
    await fetch(`${base}/setup`);
    return measure(base, probeScenarios);
  },
);

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString(),
};
const row = (r) =>
  `| ${r.scenario} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.ratioToBaseline} | ${r.failures} |`;
const header = [
  '| scenario | req/s | p50 ms | p99 ms | vs baseline | failures |',
  '|---|---:|---:|---:|---:|---:|',
];
const kib = (bytes) => (bytes / 1024).toFixed(1);
const report = [
  `Concurrency ${connections}, ${durationSeconds} s per scenario after a 2 s warm-up; load generator (autocannon) on the same machine.`,
  `Machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.date.slice(0, 10)}.`,
  '',
  ...header,
  ...results.map(row),
  '',
  `Deploy bundle: ${kib(bundle.bytes.raw)} KiB, ${kib(bundle.bytes.gzip)} KiB gzip.`,
  '',
  'Storage floor: a probe Worker that makes one local storage call and nothing else.',
  '',
  ...header,
  ...floor.map(row),
].join('\n');
console.log(`\n${report}\n`);

const outDir = join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, `bench-${machine.date.replace(/[:.]/g, '-')}.json`);
const data = { machine, connections, durationSeconds, bundleBytes: bundle.bytes, results, floor };
writeFileSync(outFile, `${JSON.stringify(data, null, 2)}\n`);
console.log(`JSON: ${outFile}`);
