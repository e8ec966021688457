import { effectiveScopes } from '../domain/scopes';
import { findLiveToken, revokeToken, tokenIsCurrent } from '../domain/tokens';
import { readForm } from '../http/body';
import { type AppContext, noStore } from '../http/context';
import { tokenContext } from '../http/token-context';
import { parseInput } from '../http/validation';
import * as z from '../zod';
import { authenticateClient } from './client-auth';

// RFC 7009 §2.1 / RFC 7662 §2.1: `token`, and a hint that this server is free to ignore.
export const tokenParameterSchema = z.object({
  token: z.string().check(z.minLength(1, 'token is required'), z.maxLength(8192)),
  token_type_hint: z.optional(z.string().check(z.maxLength(64))),
});

async function authenticatedTokenRequest(c: AppContext) {
  noStore(c);
  const context = tokenContext(c);
  const form = await readForm(c);
  const { client, operator } = await authenticateClient(c, form);
  const { token } = parseInput(tokenParameterSchema, form, 'request');
  return { context, client, operator, token };
}

/**
 * RFC 7662: a client learns about its own live tokens only; all else is `active: false`. The
 * scope is what the token may do now, narrowed by the client's and operator's current
 * privileges as the case API narrows it (a token is its own client's, so its operator is the
 * caller's).
 */
export async function introspectionEndpoint(c: AppContext): Promise<Response> {
  const { context, client, operator, token } = await authenticatedTokenRequest(c);
  const live = await findLiveToken(context, token);
  if (!live || !tokenIsCurrent(live, client)) return c.json({ active: false });
  const { claims } = live;
  return c.json({
    active: true,
    client_id: claims.client_id,
    scope: effectiveScopes(claims.scope, client, operator).join(' '),
    token_type: claims.cnf?.jkt ? 'DPoP' : 'Bearer',
    ...(claims.cnf && { cnf: claims.cnf }),
    exp: claims.exp,
    iat: claims.iat,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    jti: claims.jti,
    operator: claims.operator,
  });
}

/** RFC 7009 §2.2: 200 with an empty body whether or not there was anything to revoke. */
export async function revocationEndpoint(c: AppContext): Promise<Response> {
  const { context, client, token } = await authenticatedTokenRequest(c);
  await revokeToken(context, token, client);
  return c.body(null, 200);
}
