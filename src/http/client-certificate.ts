import { base64url } from '../crypto/secrets';
import type { AppContext } from './context';

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

/**
 * The request's certificate, only where `MTLS=on` says API Shield mTLS is in front: anywhere
 * else (`wrangler dev` above all, where any caller can make up `request.cf`) nothing is.
 */
export function clientCertificateOf(c: AppContext): ClientCertificate | null {
  if (!(c.var.config.mtls.ok && c.var.config.mtls.value)) return null;
  const auth = (c.req.raw.cf as { tlsClientAuth?: TlsClientAuth } | undefined)?.tlsClientAuth;
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
