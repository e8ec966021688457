import { AppError } from '../errors';
import { countIssuedToken, uncountIssuedToken } from '../store/token-quota';
import type { Client } from './model';

const QUOTA_WINDOW_SECONDS = 3600;

export interface QuotaUse {
  /** RateLimit-* headers for the token answer. */
  headers: Record<string, string>;
  /** Gives the count back when the token could not be issued after all. */
  refund(): Promise<void>;
}

function quotaHeaders(limit: number, remaining: number, resetSeconds: number) {
  return {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(remaining),
    'RateLimit-Reset': String(resetSeconds),
    'RateLimit-Policy': `${limit};w=${QUOTA_WINDOW_SECONDS}`,
  };
}

/**
 * Counts a token against the client's `tokensPerHour` (per clock hour). Null for a client
 * without a quota; 429 with Retry-After once the hour's tokens are spent.
 */
export async function useTokenQuota(db: D1Database, client: Client): Promise<QuotaUse | null> {
  const limit = client.tokensPerHour;
  if (limit === null) return null;
  const now = Math.floor(Date.now() / 1000);
  const windowStart = now - (now % QUOTA_WINDOW_SECONDS);
  const resetSeconds = windowStart + QUOTA_WINDOW_SECONDS - now;
  const issued = await countIssuedToken(db, client.id, windowStart, limit);
  if (issued === null) {
    throw new AppError(429, 'too_many_requests', `This client may get ${limit} tokens per hour.`, {
      headers: { 'Retry-After': String(resetSeconds), ...quotaHeaders(limit, 0, resetSeconds) },
    });
  }
  return {
    headers: quotaHeaders(limit, limit - issued, resetSeconds),
    refund: () => uncountIssuedToken(db, client.id, windowStart),
  };
}
