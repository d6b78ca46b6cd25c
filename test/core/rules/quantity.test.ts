import * as fc from 'fast-check';
import { byteQuantity, compareQuantities, cpuQuantity, parseQuantity } from '../../../src/core/rules/quantity';

const BINARY = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 } as const;
const DECIMAL = { '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12 } as const;
const binarySuffix = fc.constantFrom(...(Object.keys(BINARY) as Array<keyof typeof BINARY>));
const decimalSuffix = fc.constantFrom(...(Object.keys(DECIMAL) as Array<keyof typeof DECIMAL>));
const count = fc.integer({ min: 1, max: 1_000_000 });

describe('byteQuantity (property-based)', () => {
  test('accepts a positive whole number with a binary or decimal suffix', () => {
    fc.assert(fc.property(count, fc.oneof(binarySuffix, decimalSuffix), (n, suffix) => byteQuantity(`${n}${suffix}`) === undefined));
  });

  test('accepts decimals such as "1.5Gi"', () => {
    fc.assert(fc.property(count, fc.integer({ min: 0, max: 99 }), binarySuffix, (n, frac, suffix) => byteQuantity(`${n}.${frac}${suffix}`) === undefined));
  });

  test('parses to number times the suffix multiplier', () => {
    fc.assert(fc.property(count, binarySuffix, (n, suffix) => parseQuantity(`${n}${suffix}`) === n * BINARY[suffix]));
    fc.assert(fc.property(count, decimalSuffix, (n, suffix) => parseQuantity(`${n}${suffix}`) === n * DECIMAL[suffix]));
  });

  test('refuses a sign, a lowercase or unknown suffix, milli units, spaces or zero', () => {
    fc.assert(fc.property(count, binarySuffix, (n, suffix) => {
      const valid = `${n}${suffix}`;
      return byteQuantity(`-${valid}`) !== undefined
        && byteQuantity(`${n}${suffix.toLowerCase()}`) !== undefined
        && byteQuantity(`${n}${suffix}B`) !== undefined
        && byteQuantity(`${n}m`) !== undefined
        && byteQuantity(` ${valid}`) !== undefined
        && byteQuantity(`${n} ${suffix}`) !== undefined
        && byteQuantity(`0${suffix}`) !== undefined;
    }));
  });

  test('refuses any text with a letter that is not a suffix', () => {
    fc.assert(fc.property(count, fc.constantFrom('x', 'GB', 'MB', 'gib', 'iB'), (n, junk) => byteQuantity(`${n}${junk}`) !== undefined));
  });

  test('the expected form names examples', () => {
    expect(byteQuantity('1GB')).toMatch(/a byte quantity such as "128Mi", "1Gi"/);
  });
});

describe('cpuQuantity (property-based)', () => {
  test('accepts millicores and cores', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 64_000 }), (n) => cpuQuantity(`${n}m`) === undefined));
    fc.assert(fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 999 }), (n, frac) =>
      cpuQuantity(`${n}`) === undefined && cpuQuantity(`${n}.${frac}`) === undefined));
  });

  test('refuses zero, signs, byte suffixes and fractional millicores', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 64_000 }), fc.constantFrom('Mi', 'Gi', 'k', 'M'), (n, suffix) =>
      cpuQuantity(`-${n}m`) !== undefined
      && cpuQuantity(`${n}${suffix}`) !== undefined
      && cpuQuantity(`${n}.5m`) !== undefined));
    expect(cpuQuantity('0')).toMatch(/a CPU quantity such as "100m"/);
    expect(cpuQuantity('0m')).toMatch(/greater than 0/);
  });
});

describe('compareQuantities (property-based)', () => {
  test('equal amounts in different units compare equal', () => {
    fc.assert(fc.property(count, (n) =>
      compareQuantities(`${n}Ki`, `${n * 1024}`) === 0
      && compareQuantities(`${n}Mi`, `${n * 1024}Ki`) === 0
      && compareQuantities(`${n}k`, `${n * 1000}`) === 0));
    expect(compareQuantities('0.5', '500m')).toBe(0);
  });

  test('is antisymmetric and orders by value', () => {
    fc.assert(fc.property(count, count, binarySuffix, (a, b, suffix) => {
      const x = `${a}${suffix}`;
      const y = `${b}${suffix}`;
      return compareQuantities(x, y) === -compareQuantities(y, x) && compareQuantities(x, y) === Math.sign(a - b);
    }));
  });

  test('throws on something that is not a quantity (an internal helper, not user input)', () => {
    expect(() => compareQuantities('1Gi', 'lots')).toThrow(/not a quantity: lots/);
  });
});
