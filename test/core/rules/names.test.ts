import * as fc from 'fast-check';
import {
  dataKey, dns1123Label, dns1123Subdomain, dnsHostName, envVarName, labelKey, labelValue, portName,
} from '../../../src/core/rules/names';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const alnum = fc.constantFrom(...LOWER_ALNUM);
const alnumOrDash = fc.constantFrom(...LOWER_ALNUM, '-');

/** A valid DNS-1123 label of 1..maxLength characters. */
function label(maxLength = 63): fc.Arbitrary<string> {
  return fc.oneof(
    alnum,
    fc.tuple(alnum, fc.stringOf(alnumOrDash, { maxLength: maxLength - 2 }), alnum).map(([a, mid, b]) => a + mid + b),
  );
}

/** A valid DNS-1123 subdomain: labels joined by ".", at most 253 characters. */
const subdomain = fc.array(label(20), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('.'));

/** Inserts `ch` at a position chosen by `at` (0..1). */
function insertAt(value: string, ch: string, at: number): string {
  const i = Math.floor(at * (value.length + 1));
  return value.slice(0, i) + ch + value.slice(i);
}

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const badChar = fc.constantFrom('A', 'Z', '_', ' ', '/', ':', '@', '*', 'é');

describe('dns1123Label (property-based)', () => {
  test('accepts every valid label', () => {
    fc.assert(fc.property(label(), (value) => dns1123Label(value) === undefined));
  });

  test('refuses a label with a forbidden character inserted anywhere', () => {
    fc.assert(fc.property(label(), badChar, position, (value, ch, at) => dns1123Label(insertAt(value, ch, at)) !== undefined));
  });

  test('refuses a label with "." inserted anywhere (that is a subdomain)', () => {
    fc.assert(fc.property(label(), position, (value, at) => dns1123Label(insertAt(value, '.', at)) !== undefined));
  });

  test('refuses a leading or trailing "-"', () => {
    fc.assert(fc.property(label(62), (value) => dns1123Label(`-${value}`) !== undefined && dns1123Label(`${value}-`) !== undefined));
  });

  test('refuses more than 63 characters', () => {
    fc.assert(fc.property(label(), fc.stringOf(alnum, { minLength: 64, maxLength: 100 }), (value, pad) => dns1123Label(pad + value) !== undefined));
  });

  test('examples', () => {
    expect(dns1123Label('rescan')).toBeUndefined();
    expect(dns1123Label('a')).toBeUndefined();
    expect(dns1123Label('')).toMatch(/DNS-1123 label/);
    expect(dns1123Label('Rescan')).toMatch(/1-63 lowercase letters/);
  });
});

describe('dns1123Subdomain (property-based)', () => {
  test('accepts every valid subdomain', () => {
    fc.assert(fc.property(subdomain, (value) => dns1123Subdomain(value) === undefined));
  });

  test('refuses a forbidden character inserted anywhere', () => {
    fc.assert(fc.property(subdomain, badChar, position, (value, ch, at) => dns1123Subdomain(insertAt(value, ch, at)) !== undefined));
  });

  test('refuses an empty part ("..", leading or trailing ".")', () => {
    fc.assert(fc.property(subdomain, position, (value, at) =>
      dns1123Subdomain(`.${value}`) !== undefined
      && dns1123Subdomain(`${value}.`) !== undefined
      && dns1123Subdomain(insertAt(value, '..', at)) !== undefined));
  });

  test('refuses more than 253 characters', () => {
    fc.assert(fc.property(fc.array(label(63), { minLength: 5, maxLength: 8 }), (parts) => {
      const value = parts.map((p) => p.padEnd(63, '0')).join('.');
      return value.length > 253 && dns1123Subdomain(value) !== undefined;
    }));
  });

  test('refuses a part longer than 63 characters', () => {
    expect(dns1123Subdomain(`${'a'.repeat(64)}.example`)).toMatch(/DNS-1123 subdomain/);
  });
});

describe('dnsHostName (property-based)', () => {
  const host = fc.array(label(20), { minLength: 2, maxLength: 5 }).map((parts) => parts.join('.'));

  test('accepts host names of two or more labels, with or without a leading wildcard', () => {
    fc.assert(fc.property(host, (value) => dnsHostName(value) === undefined && dnsHostName(`*.${value}`) === undefined));
  });

  test('accepts a single label such as "rccremote" or "localhost" (valid DNS; the rule used to refuse it)', () => {
    fc.assert(fc.property(label(), (value) => dnsHostName(value) === undefined && dnsHostName(`*.${value}`) === undefined));
    expect(dnsHostName('rccremote')).toBeUndefined();
    expect(dnsHostName('localhost')).toBeUndefined();
  });

  test('refuses a forbidden character or a wildcard that is not the first label', () => {
    fc.assert(fc.property(host, badChar, position, (value, ch, at) => dnsHostName(insertAt(value, ch, at)) !== undefined));
    fc.assert(fc.property(host, (value) => dnsHostName(`www.*.${value}`) !== undefined));
  });

  test('refuses a URL or a trailing dot', () => {
    expect(dnsHostName('https://app.example.com')).toMatch(/DNS host name/);
    expect(dnsHostName('app.example.com.')).toMatch(/DNS host name/);
  });
});

describe('label keys and values (property-based)', () => {
  const LABEL_CHARS = 'abcXYZ019-_.'.split('');
  const labelText = fc.tuple(fc.constantFrom('a', 'Z', '0'), fc.stringOf(fc.constantFrom(...LABEL_CHARS), { maxLength: 61 }), fc.constantFrom('b', 'Y', '9'))
    .map(([a, mid, b]) => a + mid + b);

  test('labelValue accepts valid values and the empty value', () => {
    fc.assert(fc.property(labelText, (value) => labelValue(value) === undefined));
    expect(labelValue('')).toBeUndefined();
  });

  test('labelValue refuses a space, "/" or ":" anywhere, and more than 63 characters', () => {
    fc.assert(fc.property(labelText, fc.constantFrom(' ', '/', ':', '!'), position, (value, ch, at) => labelValue(insertAt(value, ch, at)) !== undefined));
    expect(labelValue('a'.repeat(64))).toMatch(/at most 63/);
  });

  test('labelKey accepts a name with an optional DNS prefix', () => {
    fc.assert(fc.property(fc.option(subdomain, { nil: undefined }), labelText, (prefix, name) =>
      labelKey(prefix === undefined ? name : `${prefix}/${name}`) === undefined));
  });

  test('labelKey refuses an uppercase prefix or an empty name', () => {
    fc.assert(fc.property(subdomain, labelText, (prefix, name) =>
      labelKey(`${prefix.toUpperCase()}X/${name}`) !== undefined && labelKey(`${prefix}/`) !== undefined));
  });
});

describe('other name rules (examples)', () => {
  test('portName', () => {
    for (const ok of ['http', 'metrics', 'h2c', 'grpc-web', 'a1']) expect(portName(ok)).toBeUndefined();
    for (const bad of ['', '8080', 'HTTP', 'http--alt', '-http', 'http-', 'averyveryverylongname']) {
      expect(portName(bad)).toMatch(/a port name: at most 15 lowercase/);
    }
  });

  test('envVarName', () => {
    for (const ok of ['PORT', 'DATABASE_URL', '_private', 'my.var', 'my-var']) expect(envVarName(ok)).toBeUndefined();
    for (const bad of ['', '1ST', 'A B', 'A=B']) expect(envVarName(bad)).toMatch(/environment variable name/);
  });

  test('dataKey', () => {
    for (const ok of ['PORT', 'tls.crt', 'app-config.yaml', '.env']) expect(dataKey(ok)).toBeUndefined();
    for (const bad of ['', 'a/b', 'a b', 'x'.repeat(254)]) expect(dataKey(bad)).toMatch(/data key/);
  });
});
