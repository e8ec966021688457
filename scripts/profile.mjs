// `npm run profile`: where a route's CPU goes inside the Worker. Runs the deploy bundle in
// workerd (as the bench does), drives one route with autocannon while V8's sampling profiler
// runs in the Worker's isolate (through workerd's inspector), maps every sample through the
// bundle's source map to the file and function of src/ or node_modules/ it came from, and
// prints the self time per request of each, most first. Measured, never asserted.
//
//   npm run profile [-- --route read|create|update|token|healthz --duration 10 --connections 16]

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SourceMapConsumer } from 'source-map-js';
import { optionValue } from './args.mjs';
import { buildBundle, edgecaseOptions, edgecaseRoutes, root, startWorker } from './bench-setup.mjs';
import { newSigningJwk } from './signing-key.mjs';

const args = process.argv.slice(2);
const routeName = optionValue(args, '--route') ?? 'read';
const durationSeconds = Number(optionValue(args, '--duration') ?? 10);
const connections = Number(optionValue(args, '--connections') ?? 16);
const top = Number(optionValue(args, '--top') ?? 25);

const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

/** A Chrome DevTools Protocol session with the Worker's isolate. */
async function inspect(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const target = targets.find((candidate) => /edgecase|core:user/.test(candidate.title ?? ''));
  const socket = new WebSocket((target ?? targets[0]).webSocketDebuggerUrl);
  await new Promise((done, fail) => {
    socket.onopen = done;
    socket.onerror = fail;
  });
  let id = 0;
  const pending = new Map();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  };
  const send = (method, params = {}) =>
    new Promise((done) => {
      id += 1;
      pending.set(id, done);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

/** Where a bundle position came from: `src/...` or `node_modules/<package>`, and the function. */
function originOf(consumer, frame) {
  if (!frame.url) return { file: `(${frame.functionName || 'runtime'})`, name: '' };
  // Only the bundle's own positions go through its source map (workerd's built-in modules,
  // such as D1's client, have urls of their own).
  if (!frame.url.endsWith('index.js'))
    return { file: `(builtin) ${frame.url}`, name: frame.functionName };
  const original = consumer.originalPositionFor({
    line: frame.lineNumber + 1,
    column: frame.columnNumber,
  });
  if (!original.source) return { file: `(bundle) ${frame.url}`, name: frame.functionName };
  const source = original.source.replace(/^(\.\.\/)+/, '').replace(`${root}/`, '');
  const file = source.includes('node_modules/')
    ? `node_modules/${source.split('node_modules/')[1].split('/').slice(0, 2).join('/')}`
    : source;
  return { file, name: original.name ?? frame.functionName };
}

const bundle = buildBundle();
const consumer = new SourceMapConsumer(
  JSON.parse(readFileSync(join(bundle.outdir, 'index.js.map'), 'utf8')),
);
const adminToken = 'profile-admin-token-0123456789abcdef';
const inspectorPort = await freePort();
const worker = await startWorker({
  ...edgecaseOptions(bundle, 'index.js', adminToken, newSigningJwk('profile')),
  inspectorPort,
});
try {
  const routes = await edgecaseRoutes(worker, adminToken);
  const route = routes[routeName];
  if (!route) throw new Error(`No route ${routeName}: ${Object.keys(routes).join(', ')}`);
  const target = { ...route, url: `${worker.base}${route.path}`, connections };
  await autocannon({ ...target, duration: 2 });

  const session = await inspect(inspectorPort);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 50 });
  await session.send('Profiler.start');
  const result = await autocannon({ ...target, duration: durationSeconds });
  const { result: stopped } = await session.send('Profiler.stop');
  session.close();

  const { nodes, samples, timeDeltas } = stopped.profile;
  const selfMicros = new Map();
  samples.forEach((node, index) => {
    selfMicros.set(node, (selfMicros.get(node) ?? 0) + (timeDeltas[index] ?? 0));
  });
  const byFile = new Map();
  const byFunction = new Map();
  let busy = 0;
  for (const node of nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    if (micros === 0 || node.callFrame.functionName === '(idle)') continue;
    busy += micros;
    const { file, name } = originOf(consumer, node.callFrame);
    byFile.set(file, (byFile.get(file) ?? 0) + micros);
    const key = `${file} ${name || '(anonymous)'}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  }
  // Inclusive time: a node's self time and its descendants', summed per src/ function (a
  // function on the stack twice counts once).
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const inclusive = new Map();
  const walk = (node, onStack) => {
    let micros = selfMicros.get(node.id) ?? 0;
    const { file, name } = originOf(consumer, node.callFrame);
    const key = file.startsWith('src/') ? `${file} ${name || '(anonymous)'}` : undefined;
    const outer = key === undefined || onStack.has(key);
    if (!outer) onStack.add(key);
    for (const child of node.children ?? []) micros += walk(byId.get(child), onStack);
    if (!outer) {
      onStack.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
    }
    return micros;
  };
  walk(nodes[0], new Set());
  const requests = result.requests.total;
  const perRequest = (micros) => (micros / requests).toFixed(1).padStart(8);
  const table = (title, map) => {
    console.log(`\n${title}`);
    for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${perRequest(micros)} µs  ${key}`);
    }
  };
  console.log(
    `${routeName} (${route.method ?? 'GET'} ${route.path}): ${requests} requests in ${durationSeconds} s at ${connections} connections, ${result.non2xx} non-2xx.`,
  );
  console.log(
    `Isolate busy ${perRequest(busy).trim()} µs a request (V8 samples every 50 µs; workerd's own threads, D1 and KV included, are outside the isolate).`,
  );
  table('Self time per request, by file:', byFile);
  table('Self time per request, by function:', byFunction);
  table('Time per request in a function and what it calls, src/ only:', inclusive);
} finally {
  await worker.mf.dispose();
}
