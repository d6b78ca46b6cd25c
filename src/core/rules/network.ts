import { BlockList, isIP } from 'net';
import { Rule } from '../findings';

/** An IPv4 or IPv6 block in CIDR notation: its address family, address and prefix length. */
interface ParsedCidr {
  readonly family: 'ipv4' | 'ipv6';
  readonly address: string;
  readonly prefix: number;
}

function parseCidr(value: string): ParsedCidr | undefined {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(value);
  if (!m) return undefined;
  const version = isIP(m[1]);
  const prefix = Number(m[2]);
  if (version === 0 || prefix > (version === 4 ? 32 : 128)) return undefined;
  return { family: version === 4 ? 'ipv4' : 'ipv6', address: m[1], prefix };
}

/** An IPv4 or IPv6 address (no block, no port, no brackets). */
export const ipAddress: Rule<string> = (value) =>
  isIP(value) !== 0 ? undefined : 'an IP address such as "127.0.0.1" or "::1"';

/** An IPv4 or IPv6 address block in CIDR notation, as a NetworkPolicy `ipBlock.cidr` takes it. */
export const cidr: Rule<string> = (value) =>
  parseCidr(value) !== undefined
    ? undefined
    : 'an IP address block in CIDR notation, such as "203.0.113.0/24", "140.82.112.3/32" or "2001:db8::/32"';

/**
 * A rule: the block must lie strictly inside `outer` (same address family, a longer prefix), as
 * Kubernetes requires of a NetworkPolicy `ipBlock.except` entry.
 */
export function cidrStrictlyInside(outer: string): Rule<string> {
  return (value) => {
    const o = parseCidr(outer);
    const inner = parseCidr(value);
    const expected = `an address block strictly inside ${JSON.stringify(outer)} (same address family, a longer prefix)`;
    if (!o || !inner) return o ? cidr(value) : undefined;
    if (o.family !== inner.family || inner.prefix <= o.prefix) return expected;
    const block = new BlockList();
    block.addSubnet(o.address, o.prefix, o.family);
    return block.check(inner.address, inner.family) ? undefined : expected;
  };
}
