// Secrets and optional vars are not in wrangler.toml, so `wrangler types` cannot see them.
// They arrive as untrusted strings and are parsed by src/config.ts.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('./index');
  }
  interface Env {
    ISSUER?: string;
    ADMIN_TOKEN?: string;
    SIGNING_KEYS?: string;
    CF_ACCESS_TEAM_DOMAIN?: string;
    CF_ACCESS_AUD?: string;
    CORS_ALLOWED_ORIGINS?: string;
    MTLS?: string;
    ATTACHMENT_MAX_BYTES?: string;
    UPLOAD_QUOTA_FILES?: string;
    UPLOAD_QUOTA_BYTES?: string;
    APP_ALIAS?: string;
    /** The console's Worker (wrangler.console.toml); absent: no console, its paths 404. */
    CONSOLE?: Fetcher;
  }
}
