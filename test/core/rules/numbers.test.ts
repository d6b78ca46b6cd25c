import { integerBetween, nonRootId, portNumber } from '../../../src/core/rules/numbers';
import { duplicates } from '../../../src/core/text';

describe('portNumber', () => {
  test.each([1, 80, 443, 3000, 65535])('accepts %d', (p) => {
    expect(portNumber(p)).toBeUndefined();
  });

  test.each([0, -1, 65536, 80.5, NaN, Infinity])('refuses %d', (p) => {
    expect(portNumber(p)).toBe('an integer from 1 to 65535');
  });
});

describe('integerBetween', () => {
  test('accepts the bounds and refuses what lies outside', () => {
    const rule = integerBetween(1024, 65535);
    expect(rule(1024)).toBeUndefined();
    expect(rule(65535)).toBeUndefined();
    expect(rule(1023)).toBe('an integer from 1024 to 65535');
    expect(rule(3000.1)).toBe('an integer from 1024 to 65535');
  });
});

describe('nonRootId', () => {
  test('accepts non-zero ids and refuses root and non-integers', () => {
    expect(nonRootId(10001)).toBeUndefined();
    expect(nonRootId(1)).toBeUndefined();
    expect(nonRootId(2147483647)).toBeUndefined();
    for (const bad of [0, -5, 1.5, 2147483648]) expect(nonRootId(bad)).toMatch(/a non-root id: an integer greater than 0/);
  });
});

describe('duplicates', () => {
  test('returns repeated values once, in first-seen order', () => {
    expect(duplicates([80, 443, 80, 8080, 443, 80])).toEqual([80, 443]);
    expect(duplicates(['a', 'b'])).toEqual([]);
    expect(duplicates([])).toEqual([]);
  });
});
