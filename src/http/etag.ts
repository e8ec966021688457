import type { IfMatch } from '../domain/versioned';
import { ifMatchMalformed } from '../errors';

/**
 * ETags of everything versioned here (cases and the admin resources): the row's version
 * number, quoted. The version is the whole identity of a representation, so a weak tag for the
 * same number (`W/"3"`, which Cloudflare and any compressing proxy may turn a strong one into)
 * names the same version and is accepted as it.
 */
export const etagOf = (version: number) => `"${version}"`;

const ENTITY_TAG = /^(?:W\/)?"(\d{1,15})"$/;

/**
 * RFC 9110 §13.1.1. A tag that is not one of ours (another format, a quoted string that is no
 * version) matches nothing, so a precondition naming only such tags fails with 412.
 */
export function parseIfMatch(header: string): IfMatch {
  const tags = header.split(',').map((tag) => tag.trim());
  // An empty header (or a list of nothing) is a malformed precondition, never an absent one.
  if (tags.every((tag) => tag === '')) throw ifMatchMalformed();
  if (tags.includes('*')) return { any: true };
  const versions = tags.flatMap((tag) => {
    const match = ENTITY_TAG.exec(tag);
    return match ? [Number(match[1])] : [];
  });
  return { any: false, versions };
}

/** The versions an UPDATE may find, or null for any (no header, or `*`). */
export function expectedVersions(header: string | undefined): number[] | null {
  if (header === undefined) return null;
  const ifMatch = parseIfMatch(header);
  return ifMatch.any ? null : ifMatch.versions;
}
