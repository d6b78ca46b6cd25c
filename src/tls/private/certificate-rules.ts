import { isIP } from 'net';
import { Rule } from '../../core/findings';
import { dnsHostName } from '../../core/rules/names';

/** RSA key sizes a generated bundle may use. */
export const RSA_KEY_SIZES: readonly number[] = [2048, 3072, 4096];

/** An RSA modulus size of 2048, 3072 or 4096 bits. */
export const rsaKeySize: Rule<number> = (value) =>
  RSA_KEY_SIZES.includes(value) ? undefined : 'an RSA key size of 2048, 3072 or 4096 bits';

/** A certificate lifetime in whole days, 1 to 3650 (ten years). */
export const validityDays: Rule<number> = (value) =>
  Number.isInteger(value) && value >= 1 && value <= 3650 ? undefined : 'a whole number of days from 1 to 3650';

/** A subject alternative name: a DNS host name (optionally `*.` wildcard) or an IPv4/IPv6 address. */
export const subjectAltName: Rule<string> = (value) =>
  isIP(value) !== 0 || dnsHostName(value) === undefined
    ? undefined
    : 'a DNS host name such as "api.example.com" (an optional leading "*.") or an IP address such as "10.0.0.1"';

/** Whether `value` is an IPv4 or IPv6 address literal. */
export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[A-Za-z0-9+/=\r\n:, -]+?-----END \1-----/g;

/** The labels of the PEM blocks in `text`, in order ("CERTIFICATE", "PRIVATE KEY", ...). */
export function pemLabels(text: string): string[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => m[1]);
}

/** Text holding at least one `CERTIFICATE` PEM block. */
export const certificatePemText: Rule<string> = (value) =>
  pemLabels(value).includes('CERTIFICATE')
    ? undefined
    : 'a PEM certificate ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----")';

const KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'];

/** Text holding exactly one private key PEM block (PKCS#8, PKCS#1, SEC1 or encrypted PKCS#8). */
export const privateKeyPemText: Rule<string> = (value) =>
  pemLabels(value).filter((l) => KEY_LABELS.includes(l)).length === 1
    ? undefined
    : 'one PEM private key block (PKCS#8, PKCS#1, SEC1 or encrypted PKCS#8)';

/**
 * Whether a certificate name (`dnsName`, possibly `*.` wildcard) covers `host` as TLS clients match it:
 * exactly (case-insensitive), or a wildcard standing for exactly one left-most label.
 */
export function nameCovers(dnsName: string, host: string): boolean {
  const name = dnsName.toLowerCase();
  const h = host.toLowerCase();
  if (name === h) return true;
  if (!name.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === name.slice(2);
}

/** A rule: the list of names must cover `host` (exactly or by a one-label wildcard). */
export function coversHost(host: string): Rule<readonly string[]> {
  return (names) =>
    names.some((n) => nameCovers(n, host))
      ? undefined
      : `a list of names that includes the server name "${host}"`;
}

/** Whole days from `now` until `then` (negative when `then` has passed). */
export function daysUntil(then: Date, now: Date): number {
  return (then.getTime() - now.getTime()) / 86_400_000;
}
