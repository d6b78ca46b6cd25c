import { positiveInteger } from '../../src/core/rules/numbers';
import { ingressPathPrefix, normalizePathPrefix } from '../../src/networking/private/ingress-rules';

describe('ingressPathPrefix', () => {
  test.each(['/', '/api', '/api/', '/api/v1', '/static/css.min', '/~user', '/a_b-c'])('accepts %s', (p) => {
    expect(ingressPathPrefix(p)).toBeUndefined();
  });

  test.each(['', 'api', '//', '/api//v1', '/./x', '/x/..', '/a b', '/api?x=1', '/api#top', '/ä', '/api/*'])('refuses %j', (p) => {
    expect(ingressPathPrefix(p)).toMatch(/a path prefix such as "\/" or "\/api": starts with "\/"/);
  });
});

describe('normalizePathPrefix', () => {
  test('drops trailing "/" except for the root', () => {
    expect(normalizePathPrefix('/')).toBe('/');
    expect(normalizePathPrefix('/api/')).toBe('/api');
    expect(normalizePathPrefix('/api')).toBe('/api');
  });
});

describe('positiveInteger', () => {
  test('accepts whole numbers above 0 only', () => {
    expect(positiveInteger(1)).toBeUndefined();
    expect(positiveInteger(1000)).toBeUndefined();
    for (const bad of [0, -1, 1.5, NaN, Infinity]) expect(positiveInteger(bad)).toBe('a positive whole number such as 10');
  });
});
