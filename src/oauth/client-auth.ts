import { secretMatchesHash, UNMATCHABLE_SECRET_HASH } from '../crypto/secrets';
import { invalidClient, invalidRequest } from '../errors';
import { type ClientCredentialsRecord, getClientForAuthentication } from '../store/clients';

const MAX_CREDENTIAL_LENGTH = 256;

interface PresentedCredentials {
  method: 'client_secret_basic' | 'client_secret_post';
  clientId: string;
  clientSecret: string;
}

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

/** Exactly one authentication method (RFC 6749 §2.3), else invalid_request or invalid_client. */
function presentedCredentials(
  authorization: string | undefined,
  form: Record<string, string>,
): PresentedCredentials {
  const basic = authorization?.toLowerCase().startsWith('basic ') ? authorization : undefined;
  if (basic) {
    if (form.client_secret !== undefined) {
      throw invalidRequest('Use one client authentication method, not Basic and the body at once.');
    }
    const credentials = parseBasic(basic);
    if (form.client_id !== undefined && form.client_id !== credentials.clientId) {
      throw invalidRequest('client_id in the body differs from the Basic credentials.');
    }
    return { method: 'client_secret_basic', ...credentials };
  }
  if (form.client_id !== undefined && form.client_secret !== undefined) {
    return {
      method: 'client_secret_post',
      clientId: form.client_id,
      clientSecret: form.client_secret,
    };
  }
  throw invalidClient(false);
}

/**
 * Authenticates the calling client. Unknown client, wrong secret and disabled client all give
 * the same invalid_client, after the same hash comparison, so neither the body nor the timing
 * says which half of the credential was wrong.
 */
export async function authenticateClient(
  db: D1Database,
  authorization: string | undefined,
  form: Record<string, string>,
): Promise<ClientCredentialsRecord> {
  const presented = presentedCredentials(authorization, form);
  const triedBasic = presented.method === 'client_secret_basic';
  if (
    presented.clientId.length === 0 ||
    presented.clientId.length > MAX_CREDENTIAL_LENGTH ||
    presented.clientSecret.length > MAX_CREDENTIAL_LENGTH
  ) {
    throw invalidClient(triedBasic);
  }
  const record = await getClientForAuthentication(db, presented.clientId);
  const matches = await secretMatchesHash(
    presented.clientSecret,
    record?.secretHash ?? UNMATCHABLE_SECRET_HASH,
  );
  if (!record || !matches || !record.client.enabled) throw invalidClient(triedBasic);
  return record;
}
