/**
 * The address a request came from, as the failure throttle counts it. On Cloudflare the edge
 * sets `CF-Connecting-IP` to the connecting client's address and replaces any value the client
 * sent; under `wrangler dev` (nothing in front) it is taken as sent.
 *
 * IPv6 addresses count by their /64: one subscriber or host usually holds a whole /64, and
 * counting single addresses would let it rotate through 2^64 of them.
 */
export function clientAddressKey(header: string | undefined): string | undefined {
  const address = header?.trim();
  if (!address) return undefined;
  const ipv4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (ipv4) return ipv4;
  const prefix = ipv6Prefix64(address);
  return prefix ? `${prefix}::/64` : 'unparseable';
}

/** The first four groups of an IPv6 address (zero-padded hex), or null if it is none. */
function ipv6Prefix64(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!/^[0-9a-f:.]+$/i.test(bare) || bare.length > 45) return null;
  const halves = bare.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string | undefined) => (part ? part.split(':') : []);
  const [head, tail] = [groupsOf(halves[0]), groupsOf(halves[1])];
  // An embedded IPv4 tail (::ffff:192.0.2.1) stands for two groups.
  const width = (groups: string[]) =>
    groups.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
  const missing = 8 - width(head) - width(tail);
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const first = groups.slice(0, 4);
  if (first.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return null;
  return first.map((group) => group.toLowerCase().padStart(4, '0')).join(':');
}
