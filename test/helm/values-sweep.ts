/**
 * A property check of a chart HelmChart wrote: every value documented in its values.yaml does what
 * its comment says and keeps the render valid. The values are walked from the file (not from a
 * list): each leaf gets a plausible different value of the same kind (values.schema.json gives the
 * enums, patterns and bounds; the comment gives list items such as `{name: ...}` and the values a
 * value only applies under), and the real helm renders it. For each change:
 *
 * - helm succeeds, or, where the schema refuses every other value (a `const`, a maximum the
 *   value already has), fails naming the value;
 * - the output parses, every object passes the Kubernetes schema, and `PolicyCheck` (what
 *   `deploykit check` runs) finds no error the default render does not have;
 * - the render differs from the default one (from the render with the value's prerequisites when
 *   its comment names one, such as a node port while the Service type is NodePort).
 *
 * To stay affordable most changes share one `-f` file per chart: each of them carries a marker (a
 * string that appears nowhere in the default render), and the marker must turn up among the leaves
 * the batch changed. A change without a unique marker (a boolean, an enum, a number the render
 * already holds), with a prerequisite, or whose batch fails, renders alone. The batch renders a
 * second time as another release in another namespace.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { namespaceLeftovers } from './acceptance';
import { tempDir } from './fixtures';
import { PolicyCheck, PolicyCheckOptions } from '../../src/policy';
import { validateObject } from '../util/k8s-schema';
import { runHelm } from '../util/tools';

type Path = readonly string[];

/** One leaf of values.yaml: a scalar, an empty map or a list. */
export interface Leaf {
  readonly path: Path;
  readonly value: unknown;
  /** The `# --` comment of the key (or its schema description). */
  readonly comment: string;
  readonly schema: any;
}

/** A value to set, the values it needs to act, and what helm should say. */
export interface Change {
  /** The leaf, dotted (keys with dots in brackets). */
  readonly id: string;
  readonly sets: ReadonlyArray<readonly [Path, unknown]>;
  /** Values the change only acts under (from its comment); its baseline renders with them. */
  readonly prerequisites: ReadonlyArray<readonly [Path, unknown]>;
  /** A string that must appear among the changed leaves of the render (when unique, the change can share a batch). */
  readonly marker?: string;
  /** The schema refuses every other value: helm must fail naming the leaf. */
  readonly refused?: string;
}

export interface SweepOptions {
  /** The chart's namespace (the plain one). */
  readonly namespace: string;
  /** Release and namespace of the second batch render. */
  readonly otherRelease?: string;
  readonly otherNamespace?: string;
  /**
   * How `deploykit check` is told about the cluster the values describe (where the cluster DNS, the
   * ingress controller and Prometheus run), as a user who changes them would: the merged values → options.
   */
  readonly checkOptions?: (values: any) => PolicyCheckOptions;
}

export interface SweepResult {
  readonly leaves: number;
  /** Changes checked in the batch (their markers found), in groups, alone, and refused as the schema says. */
  readonly batched: string[];
  /** Changes told apart in a group of the same value of several sections. */
  readonly grouped: string[];
  readonly alone: string[];
  readonly refused: string[];
  /** One line per value that does not do what its comment says. */
  readonly problems: string[];
  readonly helmRuns: number;
}

const idOf = (p: Path) => p.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : `[${k}]`)).join('.');

function resolve(root: any, s: any): any {
  let out = s;
  for (let i = 0; out?.$ref && i < 10; i++) out = out.$ref.replace(/^#\//, '').split('/').reduce((o: any, k: string) => o?.[k], root);
  return out;
}

/** The schema of the value at `p` (properties, then additionalProperties), or undefined. */
export function schemaAt(root: any, p: Path): any {
  let s = resolve(root, root);
  for (const k of p) {
    if (!s) return undefined;
    const next = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    s = resolve(root, next);
  }
  return s;
}

/** The leaves of values.yaml with their comments, in file order. */
export function leavesOf(valuesText: string, schema: any): Leaf[] {
  const doc = YAML.parseDocument(valuesText);
  const out: Leaf[] = [];
  const commentOf = (pair: any, i: number, p: Path) => {
    const raw = pair.key?.commentBefore ?? (i === 0 && p.length === 1 ? doc.commentBefore : undefined) ?? '';
    const doc_ = raw.split('\n').map((l: string) => l.trim()).filter((l: string) => l.startsWith('-- ')).map((l: string) => l.slice(3));
    return doc_.length ? doc_[doc_.length - 1] : (schemaAt(schema, p)?.description ?? '');
  };
  const walk = (node: any, p: Path) => {
    node.items.forEach((pair: any, i: number) => {
      const key = String(pair.key?.value ?? pair.key);
      const at = [...p, key];
      const v = pair.value;
      if (YAML.isMap(v) && v.items.length > 0) walk(v, at);
      else out.push({ path: at, value: v?.toJSON ? v.toJSON() : v, comment: commentOf(pair, i, at), schema: schemaAt(schema, at) });
    });
  };
  walk(doc.contents, []);
  return out;
}

function getIn(obj: any, p: Path): unknown {
  return p.reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);
}

function setIn(obj: any, p: Path, value: unknown): void {
  let o = obj;
  p.slice(0, -1).forEach((k) => { o = (o[k] ??= {}); });
  o[p[p.length - 1]] = value;
}

const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase().replace(/^-|-$/g, '');

/**
 * The prerequisites a comment names: "... while the type is NodePort or LoadBalancer" (set it),
 * "not rendered while autoscaling.enabled is true" (set the opposite). The key is looked up beside
 * the leaf, then further out.
 */
function prerequisitesOf(leaf: Leaf, values: any): Array<[Path, unknown]> {
  const find = (ref: string): Path | undefined => {
    const parts = ref.split('.');
    for (let n = leaf.path.length - 1; n >= 0; n--) {
      const candidate = [...leaf.path.slice(0, n), ...parts];
      if (getIn(values, candidate) !== undefined) return candidate;
    }
    return undefined;
  };
  const out: Array<[Path, unknown]> = [];
  const not = /\bnot rendered while ([\w.]+)(?: \(beside it\))? is (true|false)\b/.exec(leaf.comment);
  if (not) {
    const p = find(not[1]);
    if (p && getIn(values, p) === (not[2] === 'true')) out.push([p, not[2] !== 'true']);
  }
  const when = /\bwhile (?:the )?([\w.]+) is (\w+)(?: or \w+)?(?=[;,) ]|$)/.exec(leaf.comment);
  if (when && !not) {
    const p = find(when[1]);
    const want = when[2] === 'true' ? true : when[2] === 'false' ? false : when[2];
    if (p && getIn(values, p) !== want) out.push([p, want]);
  }
  return out;
}

/** Item keys a comment names in braces: "({name, value} or {name, valueFrom})" → [name, value]. */
function braceKeys(comment: string): string[] | undefined {
  const m = /\{([a-zA-Z, .:]+)\}/.exec(comment);
  return m ? m[1].split(',').map((k) => k.replace(/[.:]+/g, '').trim()).filter(Boolean) : undefined;
}

/** A plausible item of an empty list, by its key (or the fields its comment names); also a sibling it needs. */
function listItem(leaf: Leaf, k: number): { item: any; marker: string; sibling?: [string, any] } | undefined {
  const key = leaf.path[leaf.path.length - 1];
  const name = `extra-${k}`;
  switch (key) {
    case 'tolerations':
      return { item: { key: `dedicated-${k}`, operator: 'Equal', value: 'web', effect: 'NoSchedule' }, marker: `dedicated-${k}` };
    case 'topologySpreadConstraints':
      return {
        item: { maxSkew: 1, topologyKey: `topology.example.com/zone-${k}`, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { tier: 'web' } } },
        marker: `zone-${k}`,
      };
    case 'extraVolumes':
      return { item: { name, emptyDir: {} }, marker: name, sibling: ['extraVolumeMounts', { name, mountPath: `/mnt/${name}` }] };
    case 'extraVolumeMounts':
      return { item: { name, mountPath: `/mnt/${name}` }, marker: `/mnt/${name}`, sibling: ['extraVolumes', { name, emptyDir: {} }] };
    case 'extraIngress':
      return { item: { from: [{ podSelector: { matchLabels: { role: `client-${k}` } } }] }, marker: `client-${k}` };
    case 'extraEgress':
      return { item: { to: [{ ipBlock: { cidr: `10.${k % 250}.0.0/16` } }], ports: [{ port: 443, protocol: 'TCP' }] }, marker: `10.${k % 250}.0.0/16` };
    case 'extraEnvVars':
      return { item: { name: `EXTRA_${k}`, value: 'on' }, marker: `EXTRA_${k}` };
    default:
  }
  const keys = braceKeys(leaf.comment);
  if (!keys) return undefined;
  const host = `extra-${k}.example.com`;
  const field: Record<string, unknown> = { name: key === 'extraHosts' ? host : name, value: 'on', path: '/', pathType: 'Prefix', hosts: [host], secretName: `extra-tls-${k}` };
  if (keys.some((f) => !(f in field))) return undefined;
  return { item: Object.fromEntries(keys.map((f) => [f, field[f]])), marker: key === 'extraTls' ? `extra-tls-${k}` : key === 'extraHosts' ? host : name };
}

/** A plausible map entry for an empty map, by its key. */
function mapEntry(leaf: Leaf, k: number): { value: any; marker: string } | undefined {
  const key = leaf.path[leaf.path.length - 1];
  if (key === 'affinity') {
    const zone = `zone-${k}`;
    return {
      value: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }] } } },
      marker: zone,
    };
  }
  if (key === 'resources') return { value: { limits: { cpu: `${300 + k}m`, memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } }, marker: `${300 + k}m` };
  if (leaf.schema?.additionalProperties?.type === 'string' || /labels|annotations|nodeSelector/i.test(key)) {
    const entry = `sweep.example.com/k${k}`;
    return { value: { [entry]: `v${k}` }, marker: entry };
  }
  return undefined;
}

/** The first of v±1, v±2, ... (within the bounds) that is not `taken`, else v±1. */
function step(v: number, down: boolean, taken: (m: string) => boolean, min = -Infinity, max = Infinity, unit = ''): number | undefined {
  const candidates = Array.from({ length: 40 }, (_, i) => (down ? v - i - 1 : v + i + 1)).filter((n) => n >= min && n <= max);
  return candidates.find((n) => !taken(`${n}${unit}`)) ?? candidates[0];
}

/** "200m" → "201m" for a limit, "199m" for a request (a request above its limit is refused); "30s" → "31s". */
function quantityStep(v: string, down: boolean, taken: (m: string) => boolean): string | undefined {
  const m = /^(\d+)(m|Ki|Mi|Gi|Ti|k|M|G|s|d|h)?$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  return `${step(n, down && n > 1, taken, 1, Infinity, unit)}${unit}`;
}

/** The change a leaf gets (k makes its marker unique). */
export function changeOf(
  leaf: Leaf, values: any, k: number, taken: (marker: string) => boolean = () => false,
): Change | { id: string; unsupported: string } {
  const id = idOf(leaf.path);
  const key = leaf.path[leaf.path.length - 1];
  const s = leaf.schema ?? {};
  const v = leaf.value;
  const prerequisites = prerequisitesOf(leaf, values);
  const one = (value: unknown, marker?: string, extra: Array<[Path, unknown]> = []): Change => (
    { id, sets: [[leaf.path, value], ...extra], prerequisites, marker });
  const refuse = (value: unknown, why: string): Change => ({ id, sets: [[leaf.path, value]], prerequisites, refused: why });
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];

  if (typeof v === 'boolean') {
    if (s.const === v) return refuse(!v, `const ${v}`);
    return one(!v);
  }
  if (typeof v === 'number') {
    // A minimum stays at most its maximum beside it (minReplicas <= maxReplicas).
    const sibling = /^min[A-Z]/.test(key) ? getIn(values, [...leaf.path.slice(0, -1), `max${key.slice(3)}`]) : undefined;
    const max = Math.min(s.maximum ?? Infinity, typeof sibling === 'number' ? sibling : Infinity, v + 3);
    const n = step(v, false, taken, s.minimum, max) ?? step(v, true, taken, s.minimum, s.maximum);
    return n === undefined ? refuse(v + 1, `between ${s.minimum} and ${s.maximum}`) : one(n, String(n));
  }
  if (typeof v === 'string') {
    if (s.const !== undefined) return refuse(`${v}-other`, `const ${JSON.stringify(s.const)}`);
    if (s.enum) {
      const other = s.enum.find((e: unknown) => e !== v && e !== '') ?? s.enum.find((e: unknown) => e !== v);
      if (other === undefined) return refuse(`${v}-other`, `enum ${JSON.stringify(s.enum)}`);
      // A Localhost seccomp profile names its file.
      if (other === 'Localhost' && leaf.path[leaf.path.length - 2] === 'seccompProfile') return one(other, undefined, [[[...leaf.path.slice(0, -1), 'localhostProfile'], 'profiles/audit.json']]);
      return one(other);
    }
    if (v === '' && /node port/i.test(leaf.comment) && types.includes('integer')) return one(30000 + k, String(30000 + k));
    // A disruption budget: a count is an integer, a string a percentage.
    if (s.pattern === '^(0*(100|[1-9]?[0-9])%)?$') return one(v === '' ? '50%' : typeof v === 'number' ? v + 1 : `${Math.min(100, parseInt(v, 10) + 10)}%`);
    if (key === 'registry') return one(`mirror${k}.example.com`, `mirror${k}.example.com`);
    if (key === 'repository') return one(`${v}-alt${k}`, `${v}-alt${k}`);
    if (key === 'tag') return one(v ? `${v}-r${k}` : `1.0.${k}`, v ? `${v}-r${k}` : `1.0.${k}`);
    if (key === 'digest') {
      const digest = `sha256:${createHash('sha256').update(String(k)).digest('hex')}`;
      return one(digest, digest);
    }
    if (v.includes('\n')) return one(`${v}\n`);
    const quantity = quantityStep(v, leaf.path.includes('requests'), taken);
    if (quantity) return one(quantity, quantity);
    if (v === 'true' || v === 'false') return one(v === 'true' ? 'false' : 'true');
    if (v === '') return one(`${kebab(key)}-${k}`, `${kebab(key)}-${k}`);
    if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(v) && /host/i.test(key)) return one(`www${k}.${v}`, `www${k}.${v}`);
    // An address keeps its host (the chart may rewrite in-cluster names for another release): the marker is the added path.
    if (v.includes('://')) return one(`${v}/api-v${k}`, `/api-v${k}`);
    return one(`${v}-alt${k}`, `${v}-alt${k}`);
  }
  if (Array.isArray(v)) {
    if (v.length > 0) {
      if (v.every((e) => typeof e === 'string') && key === 'drop') return one([...v, 'NET_RAW']);
      return { id, unsupported: `a non-empty list ${JSON.stringify(v).slice(0, 60)}` };
    }
    const item = listItem(leaf, k);
    if (!item) return { id, unsupported: `an empty list without a known item (${leaf.comment})` };
    const extra: Array<[Path, unknown]> = item.sibling ? [[[...leaf.path.slice(0, -1), item.sibling[0]], [item.sibling[1]]]] : [];
    return one([item.item], item.marker, extra);
  }
  if (v && typeof v === 'object' && Object.keys(v).length === 0) {
    const entry = mapEntry(leaf, k);
    return entry ? one(entry.value, entry.marker) : { id, unsupported: `an empty map without a known entry (${leaf.comment})` };
  }
  return { id, unsupported: `a ${v === null ? 'null' : typeof v}` };
}

// ---------------------------------------------------------------------------------------------
// Rendering and comparing

interface Render {
  ok: boolean;
  error: string;
  objects: any[];
  /** The values it was rendered with. */
  sets: ReadonlyArray<readonly [Path, unknown]>;
}

/** `obj|path=value` for every leaf of every object (map keys are in the paths). */
function factsOf(objects: any[]): Set<string> {
  const out = new Set<string>();
  const walk = (x: any, at: string) => {
    if (x && typeof x === 'object') {
      const entries = Array.isArray(x) ? x.map((e, i) => [String(i), e]) : Object.entries(x);
      if (entries.length === 0) out.add(`${at}=${JSON.stringify(x)}`);
      for (const [k, e] of entries) walk(e, `${at}/${k}`);
    } else {
      out.add(`${at}=${typeof x === 'string' ? x : JSON.stringify(x)}`);
    }
  };
  for (const o of objects) walk(o, `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`);
  return out;
}

const errorKey = (f: { rule: string; kind: string; name: string; path: string }) => `${f.rule} ${f.kind}/${f.name} ${f.path}`;

function deepMerge(base: any, overlay: any): any {
  if (!overlay || typeof overlay !== 'object' || Array.isArray(overlay) || !base || typeof base !== 'object' || Array.isArray(base)) return overlay;
  const out = { ...base };
  for (const [k, v] of Object.entries(overlay)) out[k] = deepMerge(base[k], v);
  return out;
}

/** The object a fact belongs to. */
const objectOf = (fact: string) => fact.slice(0, fact.indexOf('/', fact.indexOf('/', fact.indexOf('/') + 1) + 1));
/** Kind/namespace/name → name. */
const nameOf = (obj: string) => obj.slice(obj.lastIndexOf('/') + 1);

export function sweepChart(dir: string, options: SweepOptions): SweepResult {
  const chart = path.basename(dir);
  const valuesText = fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8');
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'values.schema.json'), 'utf8'));
  const values = YAML.parse(valuesText);
  const leaves = leavesOf(valuesText, schema);
  const work = tempDir('values-sweep');
  const problems: string[] = [];
  let helmRuns = 0;
  let fileNo = 0;
  type Sets = ReadonlyArray<readonly [Path, unknown]>;

  const renderWith = (sets: Sets, release = chart, namespace = options.namespace): Render => {
    const overlay = {};
    for (const [p, value] of sets) {
      // Two changes that add to one list (extraVolumes with its mount, extraVolumeMounts with its volume) both keep their items.
      const held = getIn(overlay, p);
      const fresh = (v: unknown) => !(held as unknown[]).some((h) => JSON.stringify(h) === JSON.stringify(v));
      setIn(overlay, p, Array.isArray(held) && Array.isArray(value) ? [...held, ...value.filter(fresh)] : value);
    }
    const file = path.join(work, `values-${fileNo++}.json`);
    fs.writeFileSync(file, JSON.stringify(overlay));
    helmRuns++;
    const r = runHelm(['template', release, dir, '--namespace', namespace, '-f', file]);
    if (r.status !== 0) return { ok: false, error: r.stderr.trim(), objects: [], sets };
    const docs = YAML.parseAllDocuments(r.stdout);
    const bad = docs.find((d) => d.errors.length > 0);
    if (bad) return { ok: false, error: `the output does not parse: ${bad.errors[0].message.split('\n')[0]}`, objects: [], sets };
    return { ok: true, error: '', objects: docs.map((d) => d.toJS()).filter((o) => o && typeof o === 'object'), sets };
  };

  const errorsOf = (r: Render) => {
    const merged: any = {};
    for (const [p, v] of r.sets) setIn(merged, p, v);
    return new Set(PolicyCheck.run(r.objects, options.checkOptions?.(deepMerge(values, merged)) ?? {}).errors.map(errorKey));
  };
  interface Base { render: Render; facts: Set<string>; errors: Set<string> }
  const baselines = new Map<string, Base>();
  const baseline = (prereq: Sets, release = chart, namespace = options.namespace): Base => {
    const key = JSON.stringify([prereq, release, namespace]);
    let b = baselines.get(key);
    if (!b) {
      const render = renderWith(prereq, release, namespace);
      if (!render.ok) throw new Error(`${chart}: the render with ${JSON.stringify(prereq)} fails: ${render.error}`);
      b = { render, facts: factsOf(render.objects), errors: errorsOf(render) };
      baselines.set(key, b);
    }
    return b;
  };

  interface Judged { problems: string[]; missing: Change[]; added: string[]; removed: string[] }
  /** Problems of a render against `base` (helm, schema, new errors), the markers not found, the facts added and removed. */
  const judge = (changes: Change[], r: Render, base: Base): Judged => {
    if (!r.ok) return { problems: [`helm fails: ${r.error.split('\n').slice(0, 3).join(' | ')}`], missing: [], added: [], removed: [] };
    const out: string[] = [];
    for (const o of r.objects) for (const p of validateObject(o)) out.push(`schema: ${o.kind}/${o.metadata?.name}: ${p}`);
    for (const e of errorsOf(r)) if (!base.errors.has(e)) out.push(`new deploykit check error: ${e}`);
    const facts = factsOf(r.objects);
    const added = [...facts].filter((f) => !base.facts.has(f));
    const removed = [...base.facts].filter((f) => !facts.has(f));
    const found = (m: string) => (/^\d+$/.test(m) ? added.some((f) => f.endsWith(`=${m}`)) : added.some((f) => f.includes(m)));
    const missing = changes.filter((c) => c.marker !== undefined && !found(c.marker));
    return { problems: out, missing, added, removed };
  };
  const label = (c: Change) => `${c.id}=${JSON.stringify(c.sets[0][1]).slice(0, 80)}`;
  const prereqText = (c: Change) => c.prerequisites.map(([p, v]) => `${idOf(p)}=${JSON.stringify(v)}`).join(', ');

  // The default render, and markers it does not hold.
  const defaults = baseline([]);
  const defaultText = [...defaults.facts].join('\n');
  const defaultNumbers = new Set([...defaults.facts].map((f) => f.slice(f.lastIndexOf('=') + 1)));
  const used = new Set<string>();
  const taken = (m: string) => used.has(m) || (/^\d+$/.test(m) ? defaultNumbers.has(m) : defaultText.includes(m));
  const changes: Change[] = [];
  leaves.forEach((leaf, i) => {
    const c = changeOf(leaf, values, i + 1, taken);
    if ('unsupported' in c) problems.push(`${c.id}: the sweep has no plausible other value for ${c.unsupported}`);
    else changes.push(c);
    if (!('unsupported' in c) && c.marker !== undefined) used.add(c.marker);
  });

  // 1. The changes the schema refuses, in one render: helm must fail naming each.
  const refused = changes.filter((c) => c.refused !== undefined);
  if (refused.length) {
    const r = renderWith(refused.flatMap((c) => c.sets));
    for (const c of refused) {
      const slash = `/${c.sets[0][0].join('/')}`;
      if (r.ok) problems.push(`${label(c)}: the schema says ${c.refused}, but helm renders it`);
      else if (!r.error.includes(slash) && !r.error.includes(c.id)) problems.push(`${label(c)}: helm fails without naming the value: ${r.error.split('\n').slice(0, 2).join(' | ')}`);
    }
  }

  // 2. The batch: each change has a marker no default fact holds.
  const markers = changes.map((c) => c.marker).filter((m): m is string => m !== undefined);
  const unique = (m: string) => (/^\d+$/.test(m)
    ? !defaultNumbers.has(m) && markers.filter((x) => x === m).length === 1
    : m.length >= 4 && !defaultText.includes(m) && markers.filter((x) => x.includes(m)).length === 1);
  // A value that renames every object (the release's full name) would hide where the others land.
  const renames = (c: Change) => /full name/.test(leaves.find((l) => idOf(l.path) === c.id)?.comment ?? '');
  const batch = changes.filter((c) => c.marker !== undefined && c.refused === undefined && c.prerequisites.length === 0
    && unique(c.marker) && !renames(c));
  const rest = changes.filter((c) => c.refused === undefined && !batch.includes(c));
  const batchRender = renderWith(batch.flatMap((c) => c.sets));
  const first = judge(batch, batchRender, defaults);
  const alone: Change[] = [];
  rest.push(...first.missing);
  if (first.problems.length) {
    const single = batch.map((c) => [c, runAlone(c)] as const);
    for (const [, p] of single) problems.push(...p);
    if (single.every(([, p]) => p.length === 0)) problems.push(`${chart}: the batch of ${batch.length} values fails together though each works alone: ${first.problems.join('; ')}`);
  }
  // The objects each top-level key's values reach (from where the batch's markers landed).
  const owned = new Map<string, Set<string>>();
  if (!first.problems.length) {
    for (const c of batch) {
      if (first.missing.includes(c)) continue;
      const set = owned.get(c.sets[0][0][0]) ?? new Set<string>();
      for (const f of first.added) if (f.includes(c.marker!)) set.add(objectOf(f));
      owned.set(c.sets[0][0][0], set);
    }
  }

  // 3. The batch again as another release in another namespace.
  if (options.otherRelease && options.otherNamespace && !first.problems.length) {
    const where = `as release ${options.otherRelease} in ${options.otherNamespace}`;
    const otherBase = baseline([], options.otherRelease, options.otherNamespace);
    const other = renderWith(batch.flatMap((c) => c.sets), options.otherRelease, options.otherNamespace);
    const j = judge(batch, other, otherBase);
    for (const p of j.problems) problems.push(`${chart} ${where}, batch: ${p}`);
    for (const c of j.missing) if (!first.missing.includes(c)) problems.push(`${label(c)}: its value appears nowhere in the render ${where}`);
    for (const l of namespaceLeftovers(other.objects, options.namespace)) problems.push(`${chart} ${where}: ${l} keeps the namespace ${options.namespace}`);
  }

  // 4. The rest in groups: changes at the same place of different top-level sections, each section
  // reaching objects no other member reaches; a member whose effect cannot be told apart renders alone.
  const groups = new Map<string, Change[]>();
  for (const c of rest) {
    const p = c.sets[0][0];
    if (p.length < 2 || !owned.get(p[0])?.size) { alone.push(c); continue; }
    const key = p.slice(1).join('\u0000');
    const g = groups.get(key) ?? [];
    if (g.some((x) => x.sets[0][0][0] === p[0])) alone.push(c);
    else groups.set(key, [...g, c]);
  }
  /** The objects of a member's section no other member's section reaches. */
  const exclusive = (c: Change, g: Change[]) => {
    const others = new Set(g.filter((x) => x !== c).flatMap((x) => [...owned.get(x.sets[0][0][0])!]));
    return new Set([...owned.get(c.sets[0][0][0])!].filter((o) => !others.has(o)));
  };
  const grouped: Change[] = [];
  for (const g of groups.values()) {
    if (g.length === 1) { alone.push(g[0]); continue; }
    const prereq = g.flatMap((c) => c.prerequisites);
    const base = baseline(prereq);
    const r = renderWith([...prereq, ...g.flatMap((c) => c.sets)]);
    const j = judge(g, r, base);
    if (j.problems.length) { alone.push(...g); continue; }
    const touched = [...j.added, ...j.removed].map(objectOf);
    for (const c of g) {
      const mine = exclusive(c, g);
      const names = new Set([...mine].map(nameOf));
      const reached = touched.some((o) => mine.has(o) || names.has(nameOf(o)));
      if (!reached || j.missing.includes(c)) alone.push(c);
      else grouped.push(c);
    }
  }

  // 5. Alone.
  function runAlone(c: Change): string[] {
    const base = baseline(c.prerequisites);
    const r = renderWith([...c.prerequisites, ...c.sets]);
    const j = judge([c], r, base);
    const out = [...j.problems];
    if (r.ok && j.added.length === 0 && j.removed.length === 0) {
      const restriction = environmentRestriction(c);
      if (restriction === undefined) out.push(`no effect: the render equals the one ${c.prerequisites.length ? `with ${prereqText(c)}` : 'with the default values'}`);
      else out.push(...restriction);
    } else if (r.ok && j.missing.length) {
      out.push(`its value ${JSON.stringify(c.marker)} appears nowhere in the render`);
    }
    return out.map((p) => `${label(c)}: ${p}`);
  }
  /**
   * A value whose comment says production refuses the image tag "latest" (and nothing else): every
   * image tag "latest" fails as production and renders as the other environment.
   */
  function environmentRestriction(c: Change): string[] | undefined {
    const leaf = leaves.find((l) => idOf(l.path) === c.id)!;
    if (!/: production refuses the image tag "latest"$/.test(leaf.comment)) return undefined;
    const latest = leaves.filter((l) => l.path[l.path.length - 1] === 'tag' && l.path[l.path.length - 2] === 'image').map((l) => [l.path, 'latest'] as const);
    const other = c.sets[0][1] === 'production' ? 'development' : c.sets[0][1];
    const out: string[] = [];
    const asProduction = renderWith([[leaf.path, 'production'], ...latest]);
    if (asProduction.ok) out.push('production renders the image tag "latest"');
    else if (!/\btag\b/.test(asProduction.error)) out.push(`production fails without naming an image tag: ${asProduction.error.split('\n').slice(0, 3).join(' | ')}`);
    const asOther = renderWith([[leaf.path, other], ...latest]);
    if (!asOther.ok) out.push(`${other} refuses the image tag "latest": ${asOther.error.split('\n')[0]}`);
    return out;
  }
  for (const c of alone) problems.push(...runAlone(c));
  fs.rmSync(work, { recursive: true, force: true });
  return {
    leaves: leaves.length,
    batched: batch.filter((c) => !alone.includes(c) && !grouped.includes(c)).map((c) => c.id),
    grouped: grouped.map((c) => c.id),
    alone: alone.map((c) => c.id),
    refused: refused.map((c) => c.id),
    problems,
    helmRuns,
  };
}
