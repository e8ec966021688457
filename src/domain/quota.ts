import { AppError } from '../errors';
import { oneStatement, type Reads } from '../store/reads';
import {
  countIssuedTokenStatement,
  type QuotaCredential,
  uncountIssuedToken,
} from '../store/token-quota';
import type { Client } from './model';

const QUOTA_WINDOW_SECONDS = 3600;

/**
 * Clients this isolate has seen without a quota: their token requests make no quota write at
 * all (a write transaction for nothing). Should an admin give one a quota meanwhile, the
 * client row read in the same batch says so, and the token is counted beside its KV put.
 */
const withoutQuota = new Set<string>();
const MAX_REMEMBERED = 1024;

/** Whether the authentication batch should count a token for `clientId`. */
export const mayHaveQuota = (clientId: string) => !withoutQuota.has(clientId);

export function rememberQuota(client: Client): void {
  if (client.tokensPerHour !== null) {
    withoutQuota.delete(client.id);
    return;
  }
  if (withoutQuota.size >= MAX_REMEMBERED) withoutQuota.clear();
  withoutQuota.add(client.id);
}

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

function currentWindow(nowMs: number) {
  const now = Math.floor(nowMs / 1000);
  const windowStart = now - (now % QUOTA_WINDOW_SECONDS);
  return { windowStart, resetSeconds: windowStart + QUOTA_WINDOW_SECONDS - now };
}

/** One token counted (or not, `issued` undefined: over the quota, or not the client's). */
export interface TokenCount {
  issued: number | undefined;
  resetSeconds: number;
  /** Gives the count back when the token could not be issued after all. */
  refund(): Promise<void>;
}

/**
 * Counts a token against the client's `tokensPerHour` (per clock hour), if `credential` is the
 * client's own: in the D1 batch that authenticates the client (secrets and certificates), or
 * beside the token's KV put once an assertion has verified, so issuing a token stays two
 * storage levels either way.
 */
export function tokenQuotaRead(
  db: D1Database,
  clientId: string,
  credential: QuotaCredential,
  nowMs: number,
): Reads<TokenCount> {
  const { windowStart, resetSeconds } = currentWindow(nowMs);
  const statement = countIssuedTokenStatement(
    db,
    clientId,
    credential,
    windowStart,
    new Date(nowMs).toISOString(),
  );
  return oneStatement(statement, (rows) => ({
    issued: (rows[0] as { issued?: number } | undefined)?.issued,
    resetSeconds,
    refund: () => uncountIssuedToken(db, clientId, windowStart),
  }));
}

/**
 * What the count says for an authenticated client: null without a quota; 429 with
 * Retry-After once the hour's tokens are spent.
 */
export function tokenQuotaUse(client: Client, count: TokenCount | undefined): QuotaUse | null {
  const limit = client.tokensPerHour;
  if (limit === null || !count) return null;
  const { issued, resetSeconds } = count;
  if (issued === undefined) {
    throw new AppError(429, 'too_many_requests', `This client may get ${limit} tokens per hour.`, {
      headers: { 'Retry-After': String(resetSeconds), ...quotaHeaders(limit, 0, resetSeconds) },
    });
  }
  return { headers: quotaHeaders(limit, limit - issued, resetSeconds), refund: count.refund };
}
