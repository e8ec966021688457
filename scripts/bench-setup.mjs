// What the benchmark (bench.mjs) and the profiler (profile.mjs) share: Miniflare as wrangler
// itself depends on it, the deploy bundle, a Worker started from it, and edgecase's hot routes
// on the schema and the demo data with a client, a token and a case.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { unstable_splitSqlQuery } from 'wrangler';

export const root = resolve(import.meta.dirname, '..');

// Miniflare as wrangler itself depends on it; a fixed cf object, since fetching one fails offline.
const requireFromWrangler = createRequire(createRequire(import.meta.url).resolve('wrangler'));
const { Miniflare, convertV4MiniflareOptions } = await import(
  pathToFileURL(requireFromWrangler.resolve('miniflare')).href
);
const wranglerToml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
const compatibilityDate = /compatibility_date\s*=\s*"([^"]+)"/.exec(wranglerToml)?.[1];
const local = { cf: { tlsVersion: 'TLSv1.3' }, host: '127.0.0.1', port: 0, compatibilityDate };

/** The deploy bundle, exactly as `wrangler deploy` would upload it. */
export function buildBundle() {
  const outdir = mkdtempSync(join(tmpdir(), 'edgecase-bench-'));
  const build = spawnSync(
    join(root, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '--outdir', outdir],
    { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${build.stderr}`);
  const bytes = readFileSync(join(outdir, 'index.js'));
  return {
    outdir,
    bytes: { raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength },
  };
}

/** CPU time (ms) used so far by the workerd processes of this benchmark, by pid. */
export function workerdCpuMs() {
  const ticks = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(workerd)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, in clock ticks (100 per second on Linux).
      ticks.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // gone
    }
  }
  return ticks;
}

/** Starts a Worker in Miniflare; remembers which workerd processes are its own. */
export async function startWorker(options) {
  const before = new Set(workerdCpuMs().keys());
  const mf = new Miniflare(convertV4MiniflareOptions({ modules: true, ...local, ...options }));
  // (options.modules, where given, lists the modules instead of `true`.)
  const base = (await mf.ready).href.replace(/\/$/, '');
  const pids = [...workerdCpuMs().keys()].filter((pid) => !before.has(pid));
  const cpuMs = () => {
    const now = workerdCpuMs();
    return pids.reduce((sum, pid) => sum + (now.get(pid) ?? 0), 0);
  };
  return { mf, base, cpuMs };
}

export async function json(response) {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}

export const edgecaseOptions = (bundle, entry, adminToken, signingKey) => ({
  // The entry first (the bundle, or a wrapper that imports it), then the bundle.
  modules: [...new Set([entry, 'index.js'])].map((name) => ({
    type: 'ESModule',
    path: join(bundle.outdir, name),
  })),
  modulesRoot: bundle.outdir,
  d1Databases: { DB: `db-${Math.random()}` },
  kvNamespaces: ['TOKENS'],
  bindings: { ADMIN_TOKEN: adminToken, SIGNING_KEYS: JSON.stringify([signingKey]) },
});

/** edgecase with the schema, the demo data, a client, a token and a case: its routes. */
export async function edgecaseRoutes(worker, adminToken) {
  const { mf, base } = worker;
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
      // A quota, as every real client has one, that no run can reach: a 429 is cheap and would
      // flatter the ratio.
      body: JSON.stringify({
        name: 'bench',
        operatorID: 'CityServicesAPI',
        tokensPerHour: 1_000_000,
      }),
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
    content: { RequestID: 'FT123', RequestDetail: 'faster trains, please!' },
  });
  const created = await json(
    await fetch(`${base}/api/v1/cases`, { method: 'POST', headers: caseJson, body: caseBody }),
  );
  const casePath = `/api/v1/cases/${encodeURIComponent(created.ID)}`;
  return {
    healthz: { path: '/healthz' },
    token: { path: '/oauth2/v1/token', method: 'POST', headers: form, body: tokenBody },
    read: { path: casePath, headers: bearer },
    create: { path: '/api/v1/cases', method: 'POST', headers: caseJson, body: caseBody },
    update: {
      path: casePath,
      method: 'PUT',
      headers: { ...caseJson, 'if-match': '*' },
      body: JSON.stringify({ content: { RequestDetail: 'faster trams, please!' } }),
    },
  };
}
