import * as z from 'zod';
import type { Client, Operator } from '../domain/model';
import { type QuotaUse, refundCounted, tokenQuotaStatement, tokenQuotaUse } from '../domain/quota';
import { allowedScopes, grantScopes } from '../domain/scopes';
import { issueAccessToken, type TokenContext } from '../domain/tokens';
import { invalidRequest, invalidTarget, unauthorizedClient, unsupportedGrantType } from '../errors';
import { readForm } from '../http/body';
import { type AppContext, noStore } from '../http/context';
import { tokenContext } from '../http/token-context';
import { parseInput } from '../http/validation';
import { authenticateClient } from './client-auth';

export const tokenRequestSchema = z.object({
  grant_type: z.string().min(1),
  scope: z.string().max(1024).optional(),
  resource: z.string().max(2048).optional(),
});

/** RFC 6749 §4.4: the client credentials grant, as a list of steps that read like the RFC. */
export async function tokenEndpoint(c: AppContext): Promise<Response> {
  noStore(c);
  const context = tokenContext(c);
  const form = await readForm(c);
  const db = c.env.DB;
  const nowMs = Date.now();
  // One D1 batch authenticates, reads the throttle counts and counts the quota; the KV put of
  // the token's record is the second and last storage level.
  let clientId = '';
  const { client, operator, alongside } = await authenticateClient(
    c,
    form,
    (presented) => {
      clientId = presented.clientId;
      return [tokenQuotaStatement(db, presented.clientId, presented.secretHash, nowMs)];
    },
    // A key-based client's count is made before its assertion is verified: a failed one gives
    // it back.
    (counted) => refundCounted(db, clientId, counted[0] ?? [], nowMs),
  );
  const quota = tokenQuotaUse(db, client, alongside[0] ?? [], nowMs);
  try {
    return await grant(c, context, form, client, operator, quota);
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
  quota: QuotaUse | null,
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
  const issued = await issueAccessToken(context, client, scopes);
  for (const [name, value] of Object.entries(quota?.headers ?? {})) c.header(name, value);
  // RFC 6749 §4.4.3: no refresh token for this grant.
  return c.json({
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
    scope: issued.scope,
  });
}
