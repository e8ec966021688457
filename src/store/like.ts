/** D1 refuses a LIKE pattern over 50 bytes. */
const MAX_LIKE_PATTERN_BYTES = 50;

const utf8Length = (text: string) => new TextEncoder().encode(text).byteLength;

/**
 * `LIKE` pattern for text that contains `text`, with its wildcards escaped (`ESCAPE '\\'`),
 * shortened until it fits D1's limit on pattern length (a search for a longer text finds
 * everything that contains its beginning).
 */
export function containing(text: string): string {
  let kept = text;
  for (;;) {
    const pattern = `%${kept.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    if (utf8Length(pattern) <= MAX_LIKE_PATTERN_BYTES) return pattern;
    kept = Array.from(kept).slice(0, -1).join('');
  }
}
