import { decodeJwt } from 'jose';
import { MAX_JTI_LENGTH } from '../crypto/client-keys';
import { invalidClient, invalidRequest } from '../errors';
import type { ClientCertificate } from '../http/client-certificate';

/** RFC 7523 §2.2: the only client assertion type. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const MAX_CREDENTIAL_LENGTH = 256;
const MAX_ASSERTION_LENGTH = 8192;

/** What a request presents to authenticate its client: exactly one method. */
export type PresentedCredentials =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; clientSecret: string }
  | { method: 'private_key_jwt'; clientId: string; assertion: string; jti: string }
  | { method: 'tls_client_auth'; clientId: string; certificate: ClientCertificate };

/** RFC 6749 §2.3.1: both halves are form-urlencoded before base64, so decode them. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function parseBasic(header: string): { clientId: string; clientSecret: string } {
  try {
    const decoded = atob(header.slice('basic '.length).trim());
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new Error('no colon');
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw invalidRequest('The Authorization header does not hold valid Basic credentials.');
  }
}

/**
 * A client assertion (RFC 7523 §2.2): its client is its `sub` (= `iss`), read here unverified
 * only to find the client whose keys will verify it. Anything unreadable is invalid_client.
 */
function presentedAssertion(form: Record<string, string>): PresentedCredentials {
  if (form.client_assertion_type !== JWT_BEARER_ASSERTION) {
    throw invalidRequest(`client_assertion_type must be ${JWT_BEARER_ASSERTION}.`);
  }
  const assertion = form.client_assertion ?? '';
  if (assertion.length === 0 || assertion.length > MAX_ASSERTION_LENGTH) throw invalidClient(false);
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw invalidClient(false);
  }
  const clientId = typeof claims.sub === 'string' ? claims.sub : '';
  const jti = typeof claims.jti === 'string' ? claims.jti : '';
  // Without a jti it fails verification later, and counts as a failure for its client then.
  if (!clientId || clientId.length > MAX_CREDENTIAL_LENGTH || jti.length > MAX_JTI_LENGTH) {
    throw invalidClient(false);
  }
  if (form.client_id !== undefined && form.client_id !== clientId) {
    throw invalidRequest('client_id differs from the client assertion.');
  }
  return { method: 'private_key_jwt', clientId, assertion, jti };
}

/** Exactly one authentication method (RFC 6749 §2.3), else invalid_request or invalid_client. */
export function presentedCredentials(
  authorization: string | undefined,
  form: Record<string, string>,
  certificate: ClientCertificate | null = null,
): PresentedCredentials {
  const basic = authorization?.toLowerCase().startsWith('basic ') ? authorization : undefined;
  const assertion = form.client_assertion !== undefined || form.client_assertion_type !== undefined;
  if ((basic || form.client_secret !== undefined) && assertion) {
    throw invalidRequest('Use one client authentication method, not a secret and an assertion.');
  }
  if (assertion) return presentedAssertion(form);
  let presented: PresentedCredentials;
  if (basic) {
    if (form.client_secret !== undefined) {
      throw invalidRequest('Use one client authentication method, not Basic and the body at once.');
    }
    const credentials = parseBasic(basic);
    if (form.client_id !== undefined && form.client_id !== credentials.clientId) {
      throw invalidRequest('client_id in the body differs from the Basic credentials.');
    }
    presented = { method: 'client_secret_basic', ...credentials };
  } else if (form.client_id !== undefined && form.client_secret !== undefined) {
    presented = {
      method: 'client_secret_post',
      clientId: form.client_id,
      clientSecret: form.client_secret,
    };
  } else if (form.client_id !== undefined && certificate) {
    // RFC 8705 §2: the client ID in the body, the certificate in the TLS handshake.
    if (form.client_id.length === 0 || form.client_id.length > MAX_CREDENTIAL_LENGTH) {
      throw invalidClient(false);
    }
    return { method: 'tls_client_auth', clientId: form.client_id, certificate };
  } else {
    throw invalidClient(false);
  }
  if (
    presented.clientId.length === 0 ||
    presented.clientId.length > MAX_CREDENTIAL_LENGTH ||
    presented.clientSecret.length > MAX_CREDENTIAL_LENGTH
  ) {
    throw invalidClient(presented.method === 'client_secret_basic');
  }
  return presented;
}
