/**
 * IP address blocks as ranges of numbers, to tell whether the blocks a NetworkPolicy admits
 * (`ipBlock.cidr` less its `except` entries, over all its rules) hold every address of another block.
 */
import { isIP } from 'net';

/** The addresses from `low` to `high` (inclusive) of one family. */
export interface AddressRange {
  readonly v6: boolean;
  readonly low: bigint;
  readonly high: bigint;
}

/** The range of a block in CIDR notation ("10.0.0.0/8", "2001:db8::/32"); undefined when it is none. */
export function cidrRange(cidr: unknown): AddressRange | undefined {
  const m = typeof cidr === 'string' ? /^([^/\s]+)\/(\d{1,3})$/.exec(cidr.trim()) : null;
  if (!m) return undefined;
  const family = isIP(m[1]);
  const bits = family === 4 ? 32 : 128;
  const prefix = Number(m[2]);
  if (family === 0 || prefix > bits) return undefined;
  const value = family === 4 ? ipv4Value(m[1]) : ipv6Value(m[1]);
  const size = 2n ** BigInt(bits - prefix);
  const low = value - (value % size);
  return { v6: family === 6, low, high: low + size - 1n };
}

/** The addresses of `cidr` less those of each `except` block (an unreadable block counts as none). */
export function blockRanges(cidr: unknown, except: readonly unknown[] = []): AddressRange[] {
  const whole = cidrRange(cidr);
  if (!whole) return [];
  let ranges: AddressRange[] = [whole];
  for (const e of except) {
    const cut = cidrRange(e);
    if (cut) ranges = ranges.flatMap((r) => subtract(r, cut));
  }
  return ranges;
}

/** True when the ranges of `admitted` together hold every address of `needed`. */
export function covers(admitted: readonly AddressRange[], needed: readonly AddressRange[]): boolean {
  return needed.every((n) => {
    let rest: AddressRange[] = [n];
    for (const a of admitted) rest = rest.flatMap((r) => subtract(r, a));
    return rest.length === 0;
  });
}

/** `r` less the addresses of `cut` (none, one or two ranges). */
function subtract(r: AddressRange, cut: AddressRange): AddressRange[] {
  if (r.v6 !== cut.v6 || cut.high < r.low || cut.low > r.high) return [r];
  const out: AddressRange[] = [];
  if (cut.low > r.low) out.push({ v6: r.v6, low: r.low, high: cut.low - 1n });
  if (cut.high < r.high) out.push({ v6: r.v6, low: cut.high + 1n, high: r.high });
  return out;
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((v, octet) => v * 256n + BigInt(Number(octet)), 0n);
}

/** An IPv6 address (with `::` and an IPv4 tail allowed, as `net.isIP` accepts them) as a number. */
function ipv6Value(address: string): bigint {
  let text = address.split('%')[0];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4Value(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${(n / 65536n).toString(16)}:${(n % 65536n).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((v, g) => v * 65536n + BigInt(parseInt(g || '0', 16)), 0n);
}
