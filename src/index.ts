import { createApp } from './app';
import { removeExpiredUploads } from './domain/attachments';
import { fillQueryableValues } from './domain/case-values';

const app = createApp();

export default {
  fetch: app.fetch,
  /**
   * The cron in wrangler.toml: temporary uploads no case linked in time go, object and record;
   * queryable field values being rebuilt are filled in, a bounded number of batches a run.
   */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      removeExpiredUploads(env.DB, env.ATTACHMENTS).then((removed) => {
        if (removed > 0) console.log(`edgecase: removed ${removed} expired uploads`);
      }),
    );
    ctx.waitUntil(fillQueryableValues(env.DB));
  },
} satisfies ExportedHandler<Cloudflare.Env>;
