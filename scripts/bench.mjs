// `npm run bench`: edgecase's hot routes in workerd, measured directly through Miniflare
// (wrangler dev's proxy caps throughput far below the runtime), with local D1 and KV, side by
// side and interleaved with a minimal Worker of our own that makes only the storage and crypto
// calls each route cannot avoid (scripts/bench-workers.mjs). Prints, per route: throughput,
// p50/p99, the ratio to the minimal Worker, workerd CPU time per request, and the storage
// calls, sequential levels and D1 rows read and written (meta) the route makes. Then the latency mode: every D1 call delayed
// by --d1-latency ms and every KV call by --kv-latency ms, as for a consumer on another
// continent from the D1 primary. Writes JSON to bench-results/. Measured, never asserted.
//
//   npm run bench [-- --runs 3 --duration 10 --connections 16 --d1-latency 40 --kv-latency 8
//                    --routes read,update]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { optionValue } from './args.mjs';
import { buildBundle, edgecaseOptions, edgecaseRoutes, root, startWorker } from './bench-setup.mjs';
import { MINIMAL_WORKER, recordingWrapper } from './bench-workers.mjs';
import { newSigningJwk } from './signing-key.mjs';

const args = process.argv.slice(2);
const durationSeconds = Number(optionValue(args, '--duration') ?? 10);
const connections = Number(optionValue(args, '--connections') ?? 16);
const runs = Math.max(1, Number(optionValue(args, '--runs') ?? 3));
/** `--routes read,update`: only those (a fix measured without the whole run). */
const only = optionValue(args, '--routes')?.split(',');
const latency = {
  d1: Number(optionValue(args, '--d1-latency') ?? 40),
  kv: Number(optionValue(args, '--kv-latency') ?? 8),
};

async function minimalRoutes(worker) {
  const token = await (await fetch(`${worker.base}/setup`)).text();
  await fetch(`${worker.base}/setup-record`);
  const bearer = { authorization: `Bearer ${token}` };
  return {
    healthz: { path: '/healthz' },
    token: {
      path: '/token',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=c&client_secret=s',
    },
    read: { path: '/read', headers: bearer },
    create: { path: '/create', method: 'POST', headers: bearer, body: '{"RequestID":"FT123"}' },
    update: {
      path: '/update',
      method: 'PUT',
      headers: bearer,
      body: '{"RequestDetail":"faster trams, please!"}',
    },
  };
}

const ROUTES = [
  ['healthz', 'GET /healthz'],
  ['token', 'POST /oauth2/v1/token'],
  ['read', 'GET /api/v1/cases/{ID}'],
  ['create', 'POST /api/v1/cases'],
  ['update', 'PUT /api/v1/cases/{ID}'],
];

/** One autocannon run (after a 2 s warm-up), with the workerd CPU it cost. */
async function run(worker, route, seconds) {
  const target = { ...route, url: `${worker.base}${route.path}`, connections };
  await autocannon({ ...target, duration: 2 });
  const cpuBefore = worker.cpuMs();
  const result = await autocannon({ ...target, duration: seconds });
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuMs: worker.cpuMs() - cpuBefore,
  };
}

/** Runs A and B alternately (A B A B), so that a slower stretch of the machine hits both. */
async function interleaved(a, routeA, b, routeB) {
  const half = Math.max(1, Math.round(durationSeconds / 2));
  const samples = { a: [], b: [] };
  for (let round = 0; round < 2; round += 1) {
    samples.a.push(await run(a, routeA, half));
    samples.b.push(await run(b, routeB, half));
  }
  const sum = (list) => ({
    requestsPerSecond: Math.round(list.reduce((s, r) => s + r.requestsPerSecond, 0) / list.length),
    p50Ms: Math.max(...list.map((r) => r.p50Ms)),
    p99Ms: Math.max(...list.map((r) => r.p99Ms)),
    failures: list.reduce((s, r) => s + r.failures, 0),
    cpuMsPerRequest: Number(
      (list.reduce((s, r) => s + r.cpuMs, 0) / list.reduce((s, r) => s + r.requests, 0)).toFixed(2),
    ),
  });
  return { edgecase: sum(samples.a), minimal: sum(samples.b) };
}

/** The storage calls, sequential levels and D1 rows of one request, from the recording wrapper. */
async function storageOf(worker, route) {
  const response = await fetch(`${worker.base}${route.path}`, route);
  await response.arrayBuffer();
  return {
    calls: Number(response.headers.get('X-Storage-Calls')),
    levels: Number(response.headers.get('X-Storage-Levels')),
    rowsRead: Number(response.headers.get('X-Rows-Read')),
    rowsWritten: Number(response.headers.get('X-Rows-Written')),
  };
}

/** p50 of sequential requests (one at a time: latency, not throughput). */
async function p50(worker, route, count) {
  const times = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    const response = await fetch(`${worker.base}${route.path}`, route);
    await response.arrayBuffer();
    times.push(performance.now() - started);
  }
  times.sort((x, y) => x - y);
  return Math.round(times[Math.floor(times.length / 2)]);
}

const bundle = buildBundle();
writeFileSync(join(bundle.outdir, 'recording.js'), recordingWrapper());
writeFileSync(join(bundle.outdir, 'latency.js'), recordingWrapper(latency));
const adminToken = 'bench-admin-token-0123456789abcdef';
const signingKey = newSigningJwk('bench');

const workers = [];
try {
  const edgecase = await startWorker(edgecaseOptions(bundle, 'index.js', adminToken, signingKey));
  workers.push(edgecase);
  const minimal = await startWorker({
    script: MINIMAL_WORKER,
    d1Databases: { DB: 'minimal-db' },
    kvNamespaces: ['KV'],
  });
  workers.push(minimal);
  const recording = await startWorker(
    edgecaseOptions(bundle, 'recording.js', adminToken, signingKey),
  );
  workers.push(recording);
  const slow = await startWorker(edgecaseOptions(bundle, 'latency.js', adminToken, signingKey));
  workers.push(slow);

  const routes = await edgecaseRoutes(edgecase, adminToken);
  const floorRoutes = await minimalRoutes(minimal);
  const recordedRoutes = await edgecaseRoutes(recording, adminToken);
  const slowRoutes = await edgecaseRoutes(slow, adminToken);

  const results = [];
  for (const [key, name] of ROUTES.filter(([key]) => !only || only.includes(key))) {
    // Each route `runs` times (interleaved each time); the run with the median ratio stands
    // for the route, and every run's ratio is reported beside it.
    const rounds = [];
    for (let round = 0; round < runs; round += 1) {
      rounds.push(await interleaved(edgecase, routes[key], minimal, floorRoutes[key]));
    }
    const ratioOf = (m) => m.edgecase.requestsPerSecond / (m.minimal.requestsPerSecond || 1);
    rounds.sort((x, y) => ratioOf(x) - ratioOf(y));
    const measured = {
      ...rounds[Math.floor(rounds.length / 2)],
      ratios: rounds.map((m) => Number(ratioOf(m).toFixed(2))),
    };
    const storage = await storageOf(recording, recordedRoutes[key]);
    const far = await p50(slow, slowRoutes[key], 30);
    results.push({ route: name, ...measured, storage, farP50Ms: far });
  }

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  };
  const ratio = (x, y) => (y ? (x / y).toFixed(2) : '–');
  const kib = (bytes) => (bytes / 1024).toFixed(1);
  const report = [
    `Concurrency ${connections}; per route, edgecase and the minimal Worker alternate (A B A B), ${durationSeconds} s each in all, after 2 s warm-ups, ${runs} times: the run with the median ratio is shown, with every run's ratio; autocannon on the same machine.`,
    `Machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.date.slice(0, 10)}.`,
    '',
    '| route | edgecase req/s | minimal req/s | ratio (each run) | p99 ms (minimal) | p99 ratio | CPU ms/req (minimal) | storage calls | levels | rows read / written |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.route} | ${r.edgecase.requestsPerSecond} | ${r.minimal.requestsPerSecond} | ${ratio(r.edgecase.requestsPerSecond, r.minimal.requestsPerSecond)} (${r.ratios.join(' / ')}) | ${r.edgecase.p99Ms} (${r.minimal.p99Ms}) | ${ratio(r.edgecase.p99Ms, r.minimal.p99Ms)} | ${r.edgecase.cpuMsPerRequest} (${r.minimal.cpuMsPerRequest}) | ${r.storage.calls} | ${r.storage.levels} | ${r.storage.rowsRead} / ${r.storage.rowsWritten} |`,
    ),
    '',
    `Far from the D1 primary: every D1 call delayed ${latency.d1} ms, every KV call ${latency.kv} ms; p50 of 30 requests one at a time.`,
    '',
    '| route | p50 ms | levels |',
    '|---|---:|---:|',
    ...results.map((r) => `| ${r.route} | ${r.farP50Ms} | ${r.storage.levels} |`),
    '',
    `Deploy bundle: ${kib(bundle.bytes.raw)} KiB, ${kib(bundle.bytes.gzip)} KiB gzip.`,
    'CPU is workerd process time (user + system), local D1 and KV included: they run inside workerd.',
  ].join('\n');
  console.log(`\n${report}\n`);
  // A run with any answer outside 2xx does not count: a refusal is cheap and flatters.
  const failed = results.filter((r) => r.edgecase.failures > 0 || r.minimal.failures > 0);
  for (const r of failed) {
    console.error(
      `bench: ${r.route} had ${r.edgecase.failures} non-2xx answers or errors (minimal: ${r.minimal.failures}); this run does not count.`,
    );
  }
  if (failed.length > 0) process.exitCode = 1;

  const outDir = join(root, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, `bench-${machine.date.replace(/[:.]/g, '-')}.json`);
  const data = {
    machine,
    connections,
    durationSeconds,
    latency,
    bundleBytes: bundle.bytes,
    results,
  };
  writeFileSync(outFile, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`JSON: ${outFile}`);
} finally {
  for (const worker of workers) await worker.mf.dispose();
}
