import { invalidScope } from '../errors';
import { type Client, type Operator, SCOPES, type Scope } from './model';

/** What a client may be granted: its own scopes that its operator still holds as privileges. */
export function allowedScopes(client: Pick<Client, 'scopes'>, operator: Operator): Scope[] {
  const privileges = new Set(operator.accessGroup.privileges);
  return client.scopes.filter((scope) => privileges.has(scope));
}

/**
 * What a token may do now: the scopes it was granted that its client still has and its
 * operator still holds. The case API enforces exactly this, and introspection reports it.
 */
export function effectiveScopes(
  granted: string,
  client: Pick<Client, 'scopes'>,
  operator: Operator,
): Scope[] {
  const allowed = allowedScopes(client, operator);
  return granted.split(' ').filter((name): name is Scope => allowed.includes(name as Scope));
}

/**
 * RFC 6749 §3.3: granted = requested ∩ allowed; no scope requested means all allowed. A request
 * naming anything outside `allowed` is refused whole rather than silently narrowed, so a client
 * never believes it holds a scope it lacks.
 */
export function grantScopes(requested: string | undefined, allowed: Scope[]): Scope[] {
  const names = (requested ?? '').split(' ').filter((name) => name.length > 0);
  if (names.length === 0) return SCOPES.filter((scope) => allowed.includes(scope));
  const refused = names.filter((name) => !allowed.includes(name as Scope));
  if (refused.length > 0) {
    throw invalidScope(`Scope not available to this client: ${refused.join(' ')}.`);
  }
  // Canonical order, no duplicates.
  return SCOPES.filter((scope) => names.includes(scope));
}
