import { type DpopProof, htuOf, verifyDpopProof } from '../crypto/dpop';
import type { Client, Operator } from '../domain/model';
import {
  mayHaveQuota,
  type QuotaUse,
  rememberQuota,
  tokenQuotaRead,
  tokenQuotaUse,
} from '../domain/quota';
import { allReads, nothing, runReads } from '../domain/reads';
import { allowedScopes, grantScopes } from '../domain/scopes';
import { dpopProofRead, issueAccessToken, type TokenContext } from '../domain/tokens';
import {
  invalidDpopProof,
  invalidRequest,
  invalidTarget,
  unauthorizedClient,
  unsupportedGrantType,
} from '../errors';
import { readForm } from '../http/body';
import { x5tS256 } from '../http/client-certificate';
import { type AppContext, noStore } from '../http/context';
import { tokenContext } from '../http/token-context';
import { parseInput } from '../http/validation';
import * as z from '../zod';
import { authenticateClient } from './client-auth';

export const tokenRequestSchema = z.object({
  grant_type: z.string().check(z.minLength(1)),
  scope: z.optional(z.string().check(z.maxLength(1024))),
  resource: z.optional(z.string().check(z.maxLength(2048))),
});

/** RFC 9449 §4.3: the request's DPoP proof, verified; none without the header, 400 if bad. */
async function dpopProofOf(c: AppContext, nowMs: number): Promise<DpopProof | null> {
  const header = c.req.header('DPoP');
  if (header === undefined) return null;
  const proof = await verifyDpopProof(header, {
    htm: 'POST',
    htu: htuOf(c.req.url),
    now: Math.floor(nowMs / 1000),
  });
  if (!proof) throw invalidDpopProof('The DPoP proof is invalid for this request.');
  return proof;
}

/** RFC 6749 §4.4: the client credentials grant, as a list of steps that read like the RFC. */
export async function tokenEndpoint(c: AppContext): Promise<Response> {
  noStore(c);
  const context = tokenContext(c);
  const form = await readForm(c);
  const db = c.env.DB;
  const nowMs = Date.now();
  // One D1 batch authenticates, reads the throttle counts and counts the quota; the KV put of
  // the token's record is the second and last storage level.
  const proof = await dpopProofOf(c, nowMs);
  // Secrets and certificates are counted in the batch by a statement that checks them itself;
  // an assertion only once it has verified, beside the KV put: credentials that fail never
  // spend a client's quota, whoever sends them. A client known to have no quota is not
  // counted at all.
  let countedInBatch = false;
  const { client, operator, alongside, certificate } = await authenticateClient(
    c,
    form,
    (presented) => {
      const credential = mayHaveQuota(presented.clientId) ? presented.credential : null;
      countedInBatch = credential !== null;
      return allReads({
        counted: credential ? tokenQuotaRead(db, presented.clientId, credential, nowMs) : nothing,
        // The proof's jti, recorded in the same batch: a replayed proof is refused.
        proofFresh: proof ? dpopProofRead(db, proof, Math.floor(nowMs / 1000)) : nothing,
      });
    },
  );
  rememberQuota(client);
  let quota = countedInBatch ? tokenQuotaUse(client, alongside.counted) : null;
  try {
    if (proof && !alongside.proofFresh) {
      throw invalidDpopProof('This DPoP proof was used before.');
    }
    if (!proof && client.dpopBoundAccessTokens) {
      throw invalidDpopProof('This client must send a DPoP proof with every token request.');
    }
    // RFC 8705 §3: a client that authenticated with its certificate gets certificate-bound
    // tokens; RFC 9449 §5: a DPoP proof binds to its key. With both, the token needs both.
    const cnf =
      certificate || proof
        ? {
            ...(certificate && { 'x5t#S256': x5tS256(certificate.sha256) }),
            ...(proof && { jkt: proof.jkt }),
          }
        : undefined;
    const count =
      !countedInBatch && client.tokensPerHour !== null
        ? async () => {
            const counted = await runReads(
              db,
              tokenQuotaRead(db, client.id, { authenticated: true }, nowMs),
            );
            quota = tokenQuotaUse(client, counted);
          }
        : undefined;
    return await grant(c, context, form, client, operator, () => quota, cnf, count);
  } catch (error) {
    // Counted but not issued (a refused request, or a failure): the count goes back.
    await quota
      ?.refund()
      .catch((refundError) => console.error('edgecase: quota refund', refundError));
    throw error;
  }
}

async function grant(
  c: AppContext,
  context: TokenContext,
  form: Record<string, string>,
  client: Client,
  operator: Operator,
  quota: () => QuotaUse | null,
  cnf: { jkt?: string; 'x5t#S256'?: string } | undefined,
  /** Counts the token against the quota beside its KV put (a verified assertion). */
  count: (() => Promise<void>) | undefined,
): Promise<Response> {
  if (form.grant_type === undefined) throw invalidRequest('grant_type is required.');
  const request = parseInput(tokenRequestSchema, form, 'token request');
  if (request.grant_type !== 'client_credentials') {
    throw unsupportedGrantType('Only the client_credentials grant is supported.');
  }
  // RFC 8707 §2: the only protected resource here is the API itself.
  if (request.resource !== undefined && request.resource !== context.audience) {
    throw invalidTarget(`The only resource served is ${context.audience}.`);
  }
  const allowed = allowedScopes(client, operator);
  if (allowed.length === 0) {
    throw unauthorizedClient('This client may not be granted any scope.');
  }
  const scopes = grantScopes(request.scope, allowed);
  const issued = await issueAccessToken(context, client, scopes, cnf, count);
  for (const [name, value] of Object.entries(quota()?.headers ?? {})) c.header(name, value);
  // RFC 6749 §4.4.3: no refresh token for this grant.
  return c.json({
    access_token: issued.accessToken,
    // RFC 9449 §5: a token bound to the proof's key.
    token_type: cnf?.jkt ? 'DPoP' : 'Bearer',
    expires_in: issued.expiresIn,
    scope: issued.scope,
  });
}
