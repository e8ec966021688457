// The console Worker's config for `wrangler dev` with an env file of its own choosing.
// `wrangler dev -c wrangler.toml -c wrangler.console.toml` hands --env-file to the first Worker
// only; the second reads the .dev.vars beside its config. With the project's own .dev.vars both
// read it. With another env file, this writes a copy of wrangler.console.toml whose paths point
// back into the project, beside a copy of the env file as its .dev.vars, and returns its path.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function consoleConfigFor(envFile) {
  if (resolve(envFile) === join(root, '.dev.vars')) return 'wrangler.console.toml';
  const dir = mkdtempSync(join(tmpdir(), 'edgecase-console-'));
  const config = readFileSync(join(root, 'wrangler.console.toml'), 'utf8')
    .replace(/^main = "(.*)"$/m, (_, path) => `main = ${JSON.stringify(join(root, path))}`)
    .replace(
      /^directory = "(.*)"$/m,
      (_, path) => `directory = ${JSON.stringify(join(root, path))}`,
    )
    .replace(
      /^migrations_dir = "(.*)"$/m,
      (_, path) => `migrations_dir = ${JSON.stringify(join(root, path))}`,
    );
  writeFileSync(join(dir, 'wrangler.console.toml'), config);
  copyFileSync(envFile, join(dir, '.dev.vars'));
  return join(dir, 'wrangler.console.toml');
}
