/**
 * Property-based: arbitrary JSON values in the props of every public construct (found from the
 * package root's exports, so a new construct is covered without touching this file) never make a
 * synth throw anything but the collected validation error, and every line of that error names the
 * construct path, the field, the value and the expected form. A synth that succeeds must yield
 * objects that pass the Kubernetes 1.28 schema and the restricted profile (Testing.synth checks).
 */
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { baselines, catalogBaseline, image, lib, service, storage } from './js-callers';
import { CLASSES, ENUMS, STRUCTS } from '../../src/core/private/prop-types.generated';

/** The public, constructible Construct classes of the package root, with their props interface. */
const CONSTRUCTS: Array<[string, string]> = Object.keys(lib)
  .filter((name) => typeof lib[name] === 'function' && lib[name].prototype instanceof Construct && CLASSES[name]?.params.new)
  .map((name) => {
    const props = CLASSES[name].params.new.find((p) => p.startsWith('props:'));
    return [name, props ? props.replace(/^props:struct:/, '').replace(/\?$/, '') : ''] as [string, string];
  })
  .filter(([, props]) => props !== '')
  .sort();

/** Entities a schema-made baseline can hold (for constructs without a hand-written baseline). */
const ENTITIES: { [className: string]: (chart: any) => unknown } = {
  ContainerImage: (c) => image(c, 'entity-image'),
  PersistentStorage: (c) => storage(c, 'entity-storage', 'entity-data', '/entity-data'),
  ServiceConfiguration: (c) => service(c),
  Chart: (c) => Chart.of(c),
  Construct: (c) => c,
};

/** Props with every required property set to a value of its kind (for a construct nobody wrote a baseline for). */
function schemaBaseline(structName: string, chart: any): any {
  const out: any = {};
  for (const [prop, spec] of Object.entries(STRUCTS[structName] ?? {})) {
    if (spec.endsWith('?')) continue;
    out[prop] = valueOfKind(spec, chart);
  }
  return out;
}

function valueOfKind(spec: string, chart: any): unknown {
  if (spec.endsWith('[]')) return [];
  if (spec.startsWith('{')) return {};
  if (spec === 'string') return 'example';
  if (spec === 'number') return 1;
  if (spec === 'boolean') return false;
  if (spec.startsWith('enum:')) return ENUMS[spec.slice(5)][0];
  if (spec.startsWith('struct:')) return schemaBaseline(spec.slice(7), chart);
  if (spec.startsWith('class:')) return ENTITIES[spec.slice(6)]?.(chart);
  return undefined;
}

/** Paths (property names and indexes) of the plain data in `props`; entities are leaves. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push([...prefix, i], ...pathsOf(v, [...prefix, i])));
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  }
  return out;
}

/** Sets `value` at `path` as an own property (so a key "__proto__" is a key, as JSON.parse makes it). */
function setAt(target: any, path: Array<string | number>, value: unknown): void {
  let at = target;
  for (const key of path.slice(0, -1)) {
    if (at === null || typeof at !== 'object' || !Object.prototype.hasOwnProperty.call(at, key)) return;
    at = at[key];
  }
  if (at !== null && typeof at === 'object') Object.defineProperty(at, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true });
}

/** Paths of the plain objects in `props` (the props themselves included): where a key can be added. */
function objectPathsOf(props: unknown): Array<Array<string | number>> {
  const at = (path: Array<string | number>) => path.reduce((v: any, k) => v[k], props);
  return [[], ...pathsOf(props)].filter((path) => {
    const v = at(path);
    return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
  });
}

const FINDING_LINE = /^\[[^\]]+\] \S[^]*?: got [^]+; expected [^]+$/;

/** Synthesizes; a failure must be the collected validation error, each finding in its form. */
function synthOnlyFailsWithFindings(chart: any, subject?: any): void {
  try {
    Testing.synth(chart);
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).constructor).toBe(Error);
    const [header, ...lines] = (e as Error).message.split('\n');
    expect(header).toBe('Validation failed with the following errors:');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.trim()).toMatch(FINDING_LINE);
    // No value printed as "[object Object]", and the baselines' secret values never echoed.
    expect((e as Error).message).not.toContain('[object ');
    expect((e as Error).message).not.toContain('not-a-real-key');
    return;
  }
  // The file synthesizers are entry points too: they throw their findings, or another Error, never a TypeError.
  for (const method of ['synthesizeFiles', 'synthesizeFile']) {
    if (typeof subject?.[method] !== 'function') continue;
    try {
      subject[method]();
    } catch (e) {
      expect((e as Error).constructor).toBe(Error);
    }
  }
}

/**
 * Names of Object.prototype's members: as keys of a user's map they are found through the prototype
 * by `key in map` and `map[key]` (a pod label "toString" is no selector label), and cdk8s cannot
 * write a map with a "constructor" or "__proto__" key.
 */
const MEMBER_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

/** A marker the builders turn into an entity of the chart: entities in the wrong place are bad input too. */
const ENTITY = Symbol('entity');
/** A marker the builders turn into an object without prototype (Object.create(null)) holding the marked value's keys. */
const NO_PROTOTYPE = Symbol('no-prototype');
/** Strings the props hold, or ones a reader may take for numbers or members. */
const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...MEMBER_NAMES, '1.5', '-1', '0', ''));
/** Maps whose keys are often member names. */
const memberKeyed = fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...MEMBER_NAMES)), text, { maxKeys: 3 });
const json = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: fc.oneof(text, memberKeyed, fc.array(memberKeyed, { maxLength: 2 })) },
  { weight: 1, arbitrary: memberKeyed.map((keys) => ({ [NO_PROTOTYPE]: keys })) },
  { weight: 1, arbitrary: fc.constantFrom(...Object.keys(ENTITIES)).map((kind) => ({ [ENTITY]: kind })) },
);

/** `value` with every entity marker replaced by a new entity of `chart`. */
function materialize(value: unknown, chart: any): unknown {
  if (Array.isArray(value)) return value.map((v) => materialize(v, chart));
  if (value === null || typeof value !== 'object') return value;
  const kind = (value as any)[ENTITY];
  if (kind !== undefined) {
    materialized += 1;
    return ENTITIES[kind](new Construct(chart, `entity-${materialized}`));
  }
  if ((value as any)[NO_PROTOTYPE] !== undefined) return Object.assign(Object.create(null), (value as any)[NO_PROTOTYPE]);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v, chart)]));
}
let materialized = 0;

test('every public construct of the package root is covered', () => {
  expect(CONSTRUCTS.map(([name]) => name)).toEqual(expect.arrayContaining(Object.keys(baselines)));
  expect(CONSTRUCTS.length).toBeGreaterThanOrEqual(Object.keys(baselines).length);
});

/** Every construct with its baseline, and the variants of a baseline that reach more code (DeploymentManifest with catalogs: the catalog init path). */
const SUBJECTS: Array<[string, string, string, (chart: any) => any]> = [
  ...CONSTRUCTS.map(([name, propsType]): [string, string, string, (chart: any) => any] =>
    [name, name, propsType, (chart) => (baselines[name] ? baselines[name](chart) : schemaBaseline(propsType, chart))]),
  ['DeploymentManifest with catalogs', 'DeploymentManifest', 'DeploymentManifestProps', catalogBaseline],
];

describe.each(SUBJECTS)('%s (%s, %s)', (_subject, name, propsType, baseline) => {
  const known = Object.keys(STRUCTS[propsType] ?? {});

  const build = (props: (chart: any) => unknown) => {
    const chart = Testing.chart();
    (chart as any).namespace = 'shop';
    const subject = new lib[name](chart, 'subject', props(chart));
    return { chart, subject };
  };

  test('arbitrary JSON values at any place of valid props, and keys named like Object members added to its objects', () => {
    // A change replaces the value at a place, or (with a member name) adds that key with a string to an object of the props.
    const member = fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...MEMBER_NAMES) });
    const change = fc.tuple(fc.nat(), json, member);
    fc.assert(fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
      const { chart, subject } = build((c) => {
        const props = baseline(c);
        for (const [pick, value, key] of changes) {
          if (key !== null) {
            const objects = objectPathsOf(props);
            setAt(props, [...objects[pick % objects.length], key], typeof value === 'string' ? value : key);
            continue;
          }
          const paths = pathsOf(props);
          if (paths.length > 0) setAt(props, paths[pick % paths.length], materialize(value, c));
        }
        return props;
      });
      synthOnlyFailsWithFindings(chart, subject);
    }), { numRuns: 40 });
  });

  test('arbitrary JSON values for its properties, known and unknown, with or without the others', () => {
    const keys = fc.constantFrom(...known, 'replica', 'nmae', ...MEMBER_NAMES);
    fc.assert(fc.property(fc.dictionary(keys, json, { maxKeys: 4 }), fc.boolean(), (given, fromBaseline) => {
      const { chart, subject } = build((c) => ({ ...(fromBaseline ? baseline(c) : {}), ...(materialize(given, c) as object) }));
      synthOnlyFailsWithFindings(chart, subject);
    }), { numRuns: 40 });
  });

  test('props that are an arbitrary JSON value, undefined or null', () => {
    fc.assert(fc.property(fc.oneof(json, fc.constant(undefined), fc.constant(null)), (props) => {
      const { chart, subject } = build((c) => materialize(props, c));
      synthOnlyFailsWithFindings(chart, subject);
    }), { numRuns: 25 });
  });
});
