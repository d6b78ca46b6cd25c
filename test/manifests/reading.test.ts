import { jsonEqual } from '../../src/helm/private/model/json-pointers';
import { ManifestSet, objectRef, podTemplateOf, readingUnchanged, withoutNulls } from '../../src/manifests';

const deployment = (name: string, configMaps: string[] = []) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name, envFrom: configMaps.map((c) => ({ configMapRef: { name: c } })) }] },
    },
  },
});
const configMap = (name: string, namespace = 'shop') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } });

describe('reading objects once (readingUnchanged)', () => {
  test('inside a pass an object is read once; outside, each read is fresh', () => {
    const doc = deployment('web');
    expect(objectRef(doc)).not.toBe(objectRef(doc));
    readingUnchanged(() => {
      const ref = objectRef(doc)!;
      expect(objectRef(doc)).toBe(ref);
      expect(podTemplateOf(ref)).toBe(podTemplateOf(ref));
      expect(podTemplateOf(ref)?.containers.map((c) => c.path)).toEqual(['spec.template.spec.containers[0]']);
    });
    const after = objectRef(doc)!;
    expect(podTemplateOf(after)).not.toBe(podTemplateOf(after));
  });

  test('a later pass reads again what an earlier one read (objects may change between passes)', () => {
    const doc: any = deployment('web');
    const first = readingUnchanged(() => objectRef(doc)!);
    doc.metadata.name = 'api';
    readingUnchanged(() => {
      expect(objectRef(doc)).not.toBe(first);
      expect(objectRef(doc)!.name).toBe('api');
    });
  });

  test('nulls are dropped at any depth, inside a pass and outside, and list elements stay', () => {
    const doc = { kind: 'ConfigMap', metadata: { name: 'a', labels: null }, data: { x: 'y' }, list: [null, { z: null }] };
    const expected = { kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: 'y' }, list: [null, {}] };
    expect(withoutNulls(doc)).toEqual(expected);
    readingUnchanged(() => {
      // A copy sharing the data field, read after the original: both are pruned all the same.
      expect(withoutNulls(doc)).toEqual(expected);
      expect(withoutNulls({ ...doc })).toEqual(expected);
      expect(objectRef({ ...doc, metadata: { name: 'b', labels: null } })!.raw.metadata).toEqual({ name: 'b' });
    });
    const clean = { kind: 'ConfigMap', metadata: { name: 'a' }, list: [null] };
    expect(withoutNulls(clean)).toBe(clean);
  });
});

describe('ManifestSet.named', () => {
  test('the objects of a kind and namespace with one of the names, in the given order', () => {
    const set = new ManifestSet([configMap('b'), configMap('a'), configMap('a', 'other'), configMap('c'), configMap('b')]);
    const named = set.named('ConfigMap', new Set(['a', 'b', 'missing']), 'shop');
    expect(named.map((o) => `${o.namespace}/${o.name}@${set.positionOf(o)}`)).toEqual(['shop/b@0', 'shop/a@1', 'shop/b@4']);
  });

  test('referencedObjects finds the ConfigMaps a workload reads, in the given order', () => {
    const set = new ManifestSet([configMap('z'), configMap('a'), configMap('unused'), deployment('web', ['a', 'z'])]);
    expect(set.referencedObjects(set.ofKind('Deployment')[0], 'ConfigMap').map((o) => o.name)).toEqual(['z', 'a']);
  });
});

describe('jsonEqual', () => {
  /** The definition: equal canonical JSON text (keys sorted). */
  const canonical = (v: any): any => (Array.isArray(v) ? v.map(canonical)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v);
  const byText = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

  test.each([
    [{ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }],
    [{ a: 1 }, { a: '1' }],
    [{ a: 1 }, { a: 1, b: 2 }],
    [[1, 2], [2, 1]],
    [[], {}],
    [null, {}],
    [{ a: undefined }, {}],
    [[undefined], [null]],
    [{ a: NaN }, { a: null }],
    [{ a: new Date(0) }, { a: '1970-01-01T00:00:00.000Z' }],
    [0, -0],
    [undefined, undefined],
    [undefined, null],
    [{ a: { b: undefined } }, { a: {}, c: 1 }],
  ])('case %#: equal exactly when their JSON text is', (a, b) => {
    expect(jsonEqual(a, b)).toBe(byText(a, b));
    expect(jsonEqual(b, a)).toBe(byText(b, a));
  });
});
