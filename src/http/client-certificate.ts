import { base64url } from '../crypto/secrets';

/**
 * The TLS client certificate of a request, as Cloudflare API Shield mTLS reports it in
 * `request.cf.tlsClientAuth` (RFC 8705 the Cloudflare way: the edge terminates TLS, checks the
 * certificate against the zone's CA, and tells the Worker). Without mTLS in front (and under
 * `wrangler dev`) nothing is presented.
 */
export interface ClientCertificate {
  /** SHA-256 fingerprint of the DER certificate, hex, lower case. */
  sha256: string;
  subjectDn: string;
  /** Verified against the CA configured for the hostname. */
  verified: boolean;
}

interface TlsClientAuth {
  certPresented?: string;
  certVerified?: string;
  certFingerprintSHA256?: string;
  certSubjectDN?: string;
}

export function clientCertificateOf(request: Request): ClientCertificate | null {
  const auth = (request.cf as { tlsClientAuth?: TlsClientAuth } | undefined)?.tlsClientAuth;
  if (auth?.certPresented !== '1' || !auth.certFingerprintSHA256) return null;
  return {
    sha256: auth.certFingerprintSHA256.toLowerCase(),
    subjectDn: auth.certSubjectDN ?? '',
    verified: auth.certVerified === 'SUCCESS',
  };
}

/** RFC 8705 §3.1: `x5t#S256`, the base64url SHA-256 of the certificate, from the hex one. */
export function x5tS256(sha256Hex: string): string {
  const bytes = sha256Hex.match(/../g)?.map((pair) => Number.parseInt(pair, 16)) ?? [];
  return base64url(Uint8Array.from(bytes));
}
