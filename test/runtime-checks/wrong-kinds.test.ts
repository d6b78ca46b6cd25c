/**
 * Table-driven, beside the property-based arbitrary-props.test.ts: every prop of every entity
 * construct of the package root (from the generated prop types, so a new prop is covered without
 * touching this file), at the top level and inside the structs and lists of the plain-JavaScript
 * baselines (js-callers.js), gets each mistake a JavaScript caller makes with a value of its kind:
 * nothing where one is required, null, a number for a string, a string for a number, a list or an
 * entity, a plain object where an entity is expected, a list for an object and back, NaN, -1, '',
 * wrong items in lists and maps. Each case either synthesizes valid objects (the value is
 * acceptable) or fails with the validation report whose lines name the construct path, the field and
 * the value given, never a TypeError, never "[object Object]", never a pasted private key.
 */
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { baselines, build, image, lib, synthError } from './js-callers';
import { CLASSES, ENUMS, STRUCTS } from '../../src/core/private/prop-types.generated';
import { describeValue, REPORT_HEADER } from '../../src/core/report';
import { assertValidManifests } from '../util/manifests';

/** The blueprints are apps made of entities, not entities: arbitrary-props.test.ts covers them. */
const BLUEPRINTS = ['Rescan', 'TodoChatbot', 'RccRemote', 'ToolHiveRegistry'];
const ENTITIES = Object.keys(baselines).filter((name) => !BLUEPRINTS.includes(name)).sort();

const PRIVATE_KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';
const PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----\n${PRIVATE_KEY_BODY}\n-----END PRIVATE KEY-----\n`;

/** A mistake: what it is, the value (made in the chart, for entities) and whether a synth must refuse it. */
interface Mistake {
  readonly label: string;
  readonly value: (chart: Construct) => unknown;
  /** False when the value may be acceptable for some props ('' for a description, -1 for a nice level). */
  readonly refused: boolean;
}

const refused = (label: string, value: unknown): Mistake => ({ label, value: () => value, refused: true });
const maybe = (label: string, value: unknown): Mistake => ({ label, value: () => value, refused: false });
let others = 0;
const anotherConstruct: Mistake = { label: 'another construct', value: (chart) => new Construct(chart, `other-${++others}`), refused: true };

/** A value of the wrong kind where an item of `spec` is expected. */
function wrongItem(spec: string): unknown {
  if (spec === 'number') return '80';
  if (spec === 'any') return undefined;
  return 42;
}

/** The mistakes for a prop of the generated type `spec` (without its "?"), beside null and nothing. */
function mistakesFor(spec: string): Mistake[] {
  if (spec.endsWith('[]')) {
    const item = spec.slice(0, -2);
    return [
      refused('a string for a list', 'x'),
      refused('an object for a list', { 0: 'x' }),
      refused('a null item', [null]),
      ...(item === 'any' ? [] : [refused('an item of the wrong kind', [wrongItem(item)])]),
    ];
  }
  if (spec.startsWith('{')) {
    const value = spec.slice(1, -1);
    return [
      refused('a list for an object', ['x']),
      refused('a string for an object', 'x'),
      ...(value === 'any' ? [] : [refused('a value of the wrong kind', { A: wrongItem(value) }), refused('a nested object as a value', { A: { B: 'x' } })]),
      ...(value === 'string' ? [maybe('a private key as a value', { A: PRIVATE_KEY })] : []),
    ];
  }
  if (spec.startsWith('enum:')) {
    const first = ENUMS[spec.slice(5)][0];
    const otherCase = first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase();
    return [refused('an unknown value', 'Bogus'), refused('a number', 1), refused('another case', otherCase)];
  }
  if (spec.startsWith('class:') || spec.startsWith('iface:')) {
    return [refused('a plain object', { name: 'x' }), refused('a string', 'x'), refused('a list', []), ...(spec === 'class:Construct' ? [] : [anotherConstruct])];
  }
  if (spec.startsWith('struct:')) return [refused('a string for an object', 'x'), refused('a list for an object', [{}]), refused('a number for an object', 1)];
  switch (spec) {
    case 'string': return [refused('a number', 42), refused('a list', ['x']), refused('an object', { value: 'x' }), maybe('an empty string', ''), maybe('a private key', PRIVATE_KEY)];
    case 'number': return [refused('a numeric string', '80'), refused('NaN', NaN), refused('an object', {}), maybe('-1', -1), maybe('a fraction', 0.5)];
    case 'boolean': return [refused('a string', 'true'), refused('a number', 1)];
    case 'fn': return [refused('a string', 'x')];
    default: return [];
  }
}

/** One prop to break: its place in the props (names and list indexes) and its generated type. */
interface Place {
  readonly path: Array<string | number>;
  readonly spec: string;
  readonly optional: boolean;
}

/** The field as findings name it: `ports[0].containerPort`. */
function fieldOf(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Every prop of the struct `structName`, and inside it, every prop of the structs (and of the first
 * item of the lists of structs) the baseline `value` holds.
 */
function placesOf(structName: string, value: any, prefix: Array<string | number> = []): Place[] {
  const out: Place[] = [];
  for (const [prop, raw] of Object.entries(STRUCTS[structName] ?? {})) {
    const spec = raw.replace(/\?$/, '');
    const path = [...prefix, prop];
    out.push({ path, spec, optional: raw.endsWith('?') });
    const held = value?.[prop];
    if (spec.startsWith('struct:') && !spec.endsWith('[]') && held !== undefined) out.push(...placesOf(spec.slice(7), held, path));
    if (spec.startsWith('struct:') && spec.endsWith('[]') && held?.[0] !== undefined) out.push(...placesOf(spec.slice(7, -2), held[0], [...path, 0]));
  }
  return out;
}

function setAt(target: any, path: Array<string | number>, value: unknown): void {
  const parent = path.slice(0, -1).reduce((at, key) => at[key], target);
  parent[path[path.length - 1]] = value;
}

const FINDING_LINE = /^ {2}\[([^\]]+)\] (\S+?): got ([^]+?); expected ([^]+)$/;

/**
 * Whether a finding at construct `path` about `reported` names `field` of test/subject: the field
 * or one inside it, at test/subject; or its tail at a construct the subject made from it
 * (`service.serviceName` as `serviceName` of test/subject/service).
 */
function namesTheField(path: string, reported: string, field: string): boolean {
  const inside = (f: string) => reported === f || reported.startsWith(`${f}.`) || reported.startsWith(`${f}[`);
  if (path === 'test/subject') return inside(field);
  return path.startsWith('test/subject/') && (inside(field) || field.endsWith(`.${reported}`) || field.split('.').some((_, i, parts) => inside(parts.slice(i).join('.'))));
}

/**
 * What is wrong with the outcome of `mistake` at `place` (empty when nothing is): `error` is the
 * report of the synth, or undefined when it synthesized `objects`.
 */
function problemsOf(place: Place, mistake: Mistake, given: unknown, error: string | undefined, objects: () => unknown[]): string[] {
  const field = fieldOf(place.path);
  if (error === undefined) {
    if (mistake.refused) return ['synthesized, but the value must be refused'];
    try {
      assertValidManifests(objects());
    } catch (e) {
      return [`synthesized invalid objects: ${(e as Error).message.split('\n').slice(0, 3).join(' | ')}`];
    }
    return [];
  }
  const problems: string[] = [];
  const [header, ...lines] = error.split('\n');
  if (header !== REPORT_HEADER) problems.push(`not the validation report: ${header}`);
  if (error.includes('[object Object]')) problems.push('shows [object Object]');
  if (error.includes(PRIVATE_KEY_BODY)) problems.push('shows the private key');
  const findings = lines.map((line) => FINDING_LINE.exec(line)).filter((m): m is RegExpExecArray => m !== null);
  if (findings.length !== lines.length) problems.push(`lines not of the form "[path] field: got value; expected form": ${lines.filter((l) => !FINDING_LINE.test(l)).join(' | ')}`);
  // Leaving out an optional prop is no mistake: a finding then is about the rest of the props.
  if (given === undefined || (given === null && place.optional)) return problems;
  const name = String(place.path[place.path.length - 1]);
  const about = findings.filter(([, path, f, , expected]) => namesTheField(path, f, field) || (path.startsWith('test/subject') && expected.includes(name)));
  if (about.length === 0) {
    problems.push(`no finding names ${field} at test/subject: ${lines.join(' | ')}`);
  } else if (about.every(([, , , value]) => value === 'nothing' || value === 'undefined')) {
    problems.push(`shows the value as nothing or undefined: ${about[0][0].trim()}`);
  } else if (mistake.refused && !about.some(([, , , value]) => shownValues(given).has(value) || value === '<redacted>')) {
    problems.push(`does not show the value given (${describeValue(given)}): ${about[0][0].trim()}`);
  }
  return problems;
}

/** How a finding may show `given`, or a part of it (the item `ports[0]` of a list given as `ports`). */
function shownValues(given: unknown): Set<string> {
  const out = new Set([describeValue(given)]);
  if (given !== null && typeof given === 'object' && !Construct.isConstruct(given)) {
    for (const part of Object.values(given)) shownValues(part).forEach((v) => out.add(v));
  }
  return out;
}

/** The outcome of the baseline of `className` with `mistake` at `place`: every problem with it. */
function tryMistake(className: string, baseline: (chart: any) => any, place: Place, mistake: Mistake): string[] {
  let given: unknown;
  let built: { chart: any } | undefined;
  try {
    built = build(className, (chart: any) => {
      const props = baseline(chart);
      given = mistake.value(chart);
      setAt(props, place.path, given);
      return props;
    });
    const error = synthError(built.chart);
    return problemsOf(place, mistake, given, error, () => built!.chart.toJson());
  } catch (e) {
    return [`threw ${(e as Error)?.constructor?.name}: ${String((e as Error)?.message ?? e).split('\n')[0]}`];
  }
}

/**
 * Props that the plain baselines leave out, with nested props of their own (a pod's volumes,
 * sidecars and network policy; an Ingress's TLS; a cluster's RBAC; a chart's dependencies): added to
 * the baseline, each of their props gets the mistakes too.
 */
const EXTRAS: { [label: string]: [string, (chart: any) => any] } = {
  'DeploymentManifest with the pod extras': ['DeploymentManifest', (chart) => ({
    volumes: [{ name: 'cache', mountPath: '/cache', emptyDir: true, sizeLimit: '1Gi' }],
    initContainers: [{ name: 'migrate', image: image(chart, 'init-image'), command: ['migrate'], args: ['--up'] }],
    sidecars: [{ name: 'proxy', image: image(chart, 'sidecar-image'), ports: [{ name: 'proxy', containerPort: 9090 }], env: { MODE: 'proxy' } }],
    networkPolicy: {
      ingressFrom: [{ podLabels: { app: 'web' } }],
      egressRules: [{ ipBlocks: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }], ports: [{ port: 5432, protocol: 'TCP' }] }],
      dnsServer: { namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' }, podLabels: { 'k8s-app': 'kube-dns' } },
    },
  })],
  'IngressConfiguration with TLS': ['IngressConfiguration', () => ({ tlsConfiguration: { secretName: 'api-tls' } })],
  'TargetCluster with RBAC and a quota': ['TargetCluster', () => ({
    rbac: { serviceAccountName: 'deployer', namespace: 'shop', managedNamespaces: ['shop'], accessLevel: 'deploy' },
    resourceQuota: { cpu: '4', memory: '8Gi', storage: '20Gi' },
  })],
  'HelmChart with dependencies and maintainers': ['HelmChart', () => ({
    dependencies: [{ name: 'postgresql', version: '15.0.0', repository: 'https://charts.example.com' }],
    maintainers: [{ name: 'Platform', email: 'platform@example.com' }],
  })],
};

/** [subject, className, baseline, the top-level props to break (all when undefined)] of every construct to break. */
const SUBJECTS: Array<[string, string, (chart: any) => any, string[] | undefined]> = [
  ...ENTITIES.map((name): [string, string, (chart: any) => any, undefined] => [name, name, baselines[name], undefined]),
  ...Object.entries(EXTRAS).map(([label, [name, extra]]): [string, string, (chart: any) => any, string[]] =>
    [label, name, (chart) => ({ ...baselines[name](chart), ...extra(chart) }), Object.keys(extra(Testing.chart()))]),
];

/** [subject, field, place] of every prop to break. */
const PLACES: Array<[string, string, Place]> = SUBJECTS.flatMap(([subject, className, baseline, props]) => {
  const propsType = CLASSES[className].params.new.find((p) => p.startsWith('props:'))!.replace(/^props:struct:/, '').replace(/\?$/, '');
  return placesOf(propsType, baseline(Testing.chart()))
    .filter((place) => props === undefined || props.includes(String(place.path[0])))
    .map((place): [string, string, Place] => [subject, fieldOf(place.path), place]);
});

test('the table covers every entity construct and the props nested in their baselines', () => {
  expect(ENTITIES).toEqual(expect.arrayContaining(['DeploymentManifest', 'StatefulManifest', 'IngressConfiguration', 'CertificateBundle', 'MonitoringMetrics', 'HelmChart', 'ComposeFile']));
  expect(PLACES.map(([c, f]) => `${c}.${f}`)).toEqual(expect.arrayContaining(['DeploymentManifest.ports[0].containerPort', 'DeploymentManifest.env', 'IngressConfiguration.pathPrefixes[0].service']));
  expect(PLACES.length).toBeGreaterThan(300);
});

describe.each(SUBJECTS)('%s', (subject, className, baseline) => {
  test.each(PLACES.filter(([s]) => s === subject).map(([, field, place]) => [field, place] as [string, Place]))('%s', (_field, place) => {
    const mistakes = [
      ...(place.optional ? [maybe('null', null), maybe('nothing', undefined)] : [refused('null', null), refused('nothing', undefined)]),
      ...mistakesFor(place.spec),
    ];
    const problems = mistakes.flatMap((m) => tryMistake(className, baseline, place, m).map((p) => `${m.label}: ${p}`));
    expect(problems).toEqual([]);
  });
});

test('after a first mistake the others of the app are still reported, all at once', () => {
  const chart = Testing.chart();
  (chart as any).namespace = 'shop';
  const api = new lib.DeploymentManifest(chart, 'api', {
    image: 'ghcr.io/acme/api:1.0.0',
    ports: [{ containerPort: '8080' }],
    env: { WORKERS: 4 },
    replicaCount: NaN,
  });
  const svc = new lib.ServiceConfiguration(chart, 'svc', { serviceName: 'api-public', ports: 'http', selectorLabels: { app: 'api' } });
  new lib.IngressConfiguration(chart, 'ingress', { name: 'api', hostname: 42, pathPrefixes: [{ pathPrefix: '/', service: svc, servicePort: '80' }] });
  new lib.ConfigMapConfiguration(chart, 'config', { name: 'api-config', configData: [['LOG_LEVEL', 'info']] });
  new lib.PersistentStorage(chart, 'data', { name: 'data', size: 5, mountPath: '/data' });
  new lib.MonitoringMetrics(chart, 'metrics', { workload: api, port: '9090' });
  new lib.CertificateBundle(chart, 'tls', { serverName: null, certType: 'auto-generated-ca', provider: 'cert-manager' });
  const error = synthError(chart);
  expect(error?.split('\n').slice(1).sort()).toEqual([
    '  [test/api] env.WORKERS: got 4; expected a string',
    '  [test/api] image: got "ghcr.io/acme/api:1.0.0"; expected a ContainerImage (made with new ContainerImage(...))',
    '  [test/api] ports[0].containerPort: got "8080"; expected a finite number',
    '  [test/api] replicaCount: got NaN; expected a finite number',
    '  [test/config] configData: got [["LOG_LEVEL","info"]]; expected an object whose values are each a string',
    '  [test/data] size: got 5; expected a string',
    '  [test/ingress] hostname: got 42; expected a string',
    '  [test/ingress] pathPrefixes[0].servicePort: got "80"; expected a finite number',
    '  [test/metrics] port: got "9090"; expected a finite number',
    '  [test/svc] ports: got "http"; expected a list, each item an object (ServicePortSpec) with name, port',
    '  [test/tls] serverName: got null; expected a string',
  ]);
});
