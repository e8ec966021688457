import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { consoleConfigFor } from '../../scripts/console-config.mjs';
import { newSigningJwk } from '../../scripts/signing-key.mjs';

/**
 * A real `wrangler dev` for end-to-end tests: its own state directory (--persist-to) and its
 * own env file, so it never touches the developer's .dev.vars or .wrangler/state.
 */

export const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'node_modules/.bin');
export const env = {
  ...process.env,
  PATH: `${bin}:${process.env.PATH}`,
  WRANGLER_SEND_METRICS: 'false',
  // No colours or prompts in logs kept for failure messages.
  CI: 'true',
  NO_COLOR: '1',
};

export interface DevServer {
  url: string;
  port: number;
  adminToken: string;
  stateDir: string;
  stop(): Promise<void>;
}

/** Processes started by e2e tests; killed with their process groups whatever happens. */
const running = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
// Whatever happens to the test run, no wrangler or workerd is left behind.
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function wrangler(args: string[]) {
  const result = spawnSync(join(bin, 'wrangler'), args, { cwd: root, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** The env file of a state directory: written once, so a restart keeps its keys and token. */
function ensureEnvFile(stateDir: string): { path: string; adminToken: string } {
  const path = join(stateDir, 'dev.env');
  if (!existsSync(path)) {
    const adminToken = randomBytes(32).toString('base64url');
    const keys = JSON.stringify([newSigningJwk('e2e-key')]);
    writeFileSync(path, `ADMIN_TOKEN=${adminToken}\nSIGNING_KEYS='${keys}'\n`, { mode: 0o600 });
  }
  const adminToken = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
  return { path, adminToken };
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`wrangler dev did not answer /healthz within 90 s:\n${log()}`);
}

/** `wrangler dev` options for a test server: loopback, this port, no prompts. */
export async function localDevArgs(port: number): Promise<string[]> {
  return [
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(await freePort()),
    '--show-interactive-dev-session=false',
  ];
}

export interface Served {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs a command that serves on 127.0.0.1:`port` in its own process group, waits for
 * /healthz, and returns how to stop it (the whole group, wrangler's workerd included).
 */
export async function serve(command: string, args: string[], port: number): Promise<Served> {
  const child = spawn(command, args, {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => output, stop };
}

/**
 * Starts `wrangler dev` on a free port. With `stateDir` and `port`, it is a restart: the same
 * state and the same origin, which tokens are bound to (`iss`, `aud`).
 */
export async function startDevServer(
  options: { stateDir?: string; port?: number } = {},
): Promise<DevServer> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'edgecase-e2e-'));
  const { path: envFile, adminToken } = ensureEnvFile(stateDir);
  const persist = ['--persist-to', join(stateDir, 'state')];
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...persist]);
  wrangler(['d1', 'execute', 'DB', '--local', '--file', 'seed/demo.sql', ...persist]);

  const port = options.port ?? (await freePort());
  const { url, stop } = await serve(
    join(bin, 'wrangler'),
    [
      'dev',
      ...['-c', 'wrangler.toml', '-c', consoleConfigFor(envFile)],
      ...(await localDevArgs(port)),
      '--env-file',
      envFile,
      ...persist,
    ],
    port,
  );
  return { url, port, adminToken, stateDir, stop };
}
