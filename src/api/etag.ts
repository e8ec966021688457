/** A case's ETag: its version, quoted (a strong validator, RFC 9110 §8.8.3). */
export const etagOf = (version: number) => `"${version}"`;

/**
 * RFC 9110 §13.1.1 If-Match with strong comparison: `*`, or a list of entity tags one of which
 * is the case's. Weak tags (`W/"3"`) never match.
 */
export function ifMatchAccepts(header: string): (version: number) => boolean {
  const tags = header.split(',').map((tag) => tag.trim());
  return (version) => tags.includes('*') || tags.includes(etagOf(version));
}
