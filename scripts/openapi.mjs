// `npm run openapi`: writes assets/openapi.json, the OpenAPI document built from the zod
// schemas that validate requests (src/openapi.ts), with {{ISSUER}} where the issuer goes.
// The Worker serves that file, so no JSON Schema conversion runs (or ships) in it; the node
// test project fails when the file and the schemas disagree.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outfile = join(mkdtempSync(join(tmpdir(), 'edgecase-openapi-')), 'openapi.mjs');
await build({
  entryPoints: [join(root, 'src/openapi.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile,
  logLevel: 'error',
});
const { openApiDocument } = await import(pathToFileURL(outfile).href);
const target = join(root, 'assets/openapi.json');
writeFileSync(target, `${JSON.stringify(openApiDocument('{{ISSUER}}'), null, 2)}\n`);
console.log(`edgecase: wrote ${target}`);
