import { createApp } from './app';
import { removeExpiredUploads } from './domain/attachments';

const app = createApp();

export default {
  fetch: app.fetch,
  /** The cron in wrangler.toml: temporary uploads no case linked in time go, object and record. */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      removeExpiredUploads(env.DB, env.ATTACHMENTS).then((removed) => {
        if (removed > 0) console.log(`edgecase: removed ${removed} expired uploads`);
      }),
    );
  },
} satisfies ExportedHandler<Cloudflare.Env>;
