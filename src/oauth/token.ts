import { z } from 'zod';
import { useTokenQuota } from '../domain/quota';
import { allowedScopes, grantScopes } from '../domain/scopes';
import { issueAccessToken } from '../domain/tokens';
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
  const { client, operator } = await authenticateClient(c, form);
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
  const quota = await useTokenQuota(c.env.DB, client);
  const issued = await issueAccessToken(context, client, scopes).catch(async (error) => {
    await quota
      ?.refund()
      .catch((refundError) => console.error('edgecase: quota refund', refundError));
    throw error;
  });
  for (const [name, value] of Object.entries(quota?.headers ?? {})) c.header(name, value);
  // RFC 6749 §4.4.3: no refresh token for this grant.
  return c.json({
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
    scope: issued.scope,
  });
}
