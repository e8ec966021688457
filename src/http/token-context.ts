import { required } from '../config';
import type { TokenContext } from '../domain/tokens';
import { type AppContext, apiAudience, issuerOf } from './context';

/** Keys, issuer and audience for this request; 503 server_error when SIGNING_KEYS is unusable. */
export function tokenContext(c: AppContext): TokenContext {
  const issuer = issuerOf(c);
  return {
    kv: c.env.TOKENS,
    db: c.env.DB,
    keys: required(c.var.config.signingKeys),
    issuer,
    audience: apiAudience(issuer),
  };
}
