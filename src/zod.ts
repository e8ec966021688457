import { en } from 'zod/locales';
import { config } from 'zod/mini';

/**
 * zod's mini API, with its English messages. The Worker uses the mini API because its schemas
 * carry no methods: the classic API puts JSON Schema generation and every method on every
 * schema, ~19 KiB gzip the Worker never runs (docs/performance.md). Every schema in `src/`
 * imports zod from here (`import * as z`), so the messages are set before anything is parsed.
 */
config(en());

export * from 'zod/mini';
