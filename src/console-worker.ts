import { createConsoleApp } from './console/app';

/**
 * The admin console's Worker (wrangler.console.toml): the API Worker (src/index.ts) hands it the
 * console's paths through its CONSOLE service binding. Same D1, KV and secrets.
 */
export default { fetch: createConsoleApp().fetch } satisfies ExportedHandler<Cloudflare.Env>;
