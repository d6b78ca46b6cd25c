/**
 * values.schema.json: JSON Schema draft-07 (the newest draft Helm 3.16 understands) from the parameters.
 *
 * Helm checks it on lint, template, install and upgrade against the merged values (values.yaml,
 * `-f` files and `--set`). Every map the chart defines refuses unknown keys, so a typo such as
 * `--set replicaCont=3` fails instead of being ignored; values of type object (resources) stay open.
 */
import { ParamSpec } from '../model/template-model';
import { dottedPath } from '../model/values-paths';

/** A JSON Schema as the chart writes it: a value's keywords, or a group's `properties` of more schemas. */
interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  [keyword: string]: unknown;
}

function isNode(v: unknown): v is SchemaNode {
  return v !== null && typeof v === 'object';
}

/** Extra top-level keys Helm or the chart's dependencies may carry. */
export interface SchemaOptions {
  /** Names (or aliases) of dependency charts: their values are maps the subchart checks. */
  readonly dependencyKeys: string[];
}

/** The schema object. */
export function valuesSchema(chartName: string, params: ParamSpec[], options: SchemaOptions): Record<string, unknown> {
  const root = group();
  for (const p of params) {
    let node = root;
    p.path.slice(0, -1).forEach((seg) => {
      let child = node.properties[seg];
      if (!child || !isGroup(child)) node.properties[seg] = child = group();
      // A parent is required when any value inside it is.
      if (p.required !== false) node.required.add(seg);
      node = child;
    });
    const leaf = p.path[p.path.length - 1];
    node.properties[leaf] = leafSchema(p);
    if (p.required !== false) node.required.add(leaf);
  }
  for (const key of options.dependencyKeys) {
    if (!root.properties[key]) root.properties[key] = { type: 'object', description: `Values of the ${key} dependency chart` };
  }
  // Dependency charts share `global`: keys the chart does not know stay allowed there.
  if (!root.properties.global) root.properties.global = { type: 'object', description: 'Values shared with dependency charts' };
  else root.properties.global.open = true;
  const body = finish(root);
  const definitions: Record<string, unknown> = {};
  shareSections(body, definitions);
  Object.assign(definitions, shareRepeated(body, definitions));
  inlineSingleUse(body, definitions);
  const schema: Record<string, unknown> = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Values of the ${chartName} chart`,
    ...body,
  };
  if (Object.keys(definitions).length > 0) schema.definitions = definitions;
  const tags = params.filter((p) => p.imageTag);
  if (root.properties.environment && tags.length > 0) {
    schema.if = { properties: { environment: { const: 'production' } }, required: ['environment'] };
    schema.then = pinnedImages(tags, params);
  }
  return schema;
}

/**
 * The schema that refuses unpinned images at each image tag path (draft-07 `then` of environment
 * production): the tag "latest", and an empty tag without a digest (which pulls latest). The
 * latter only where the defaults pin the image: the chart never refuses its own defaults.
 */
function pinnedImages(tags: readonly ParamSpec[], params: readonly ParamSpec[]): SchemaNode {
  const root: SchemaNode = {};
  const description = 'A production release pins its images: a version tag or a digest, never "latest" or no tag at all';
  for (const tag of tags) {
    const path = tag.path;
    const leaf = path[path.length - 1];
    let node = root;
    for (const seg of path.slice(0, -1)) node = (node.properties ??= {})[seg] ??= {};
    (node.properties ??= {})[leaf] = { not: { const: 'latest' }, description };
    const digestPath = dottedPath([...path.slice(0, -1), 'digest']);
    const digest = params.find((p) => dottedPath(p.path) === digestPath);
    if (!digest || (tag.value === '' && digest.value === '')) continue;
    // Helm's validator names the field and the length: "image.tag: String length must be greater than or equal to 1".
    node.if = { properties: { digest: { const: '' } } };
    node.then = { properties: { [leaf]: { minLength: 1, description } }, required: [leaf] };
  }
  return root;
}

/** Schemas this large or larger that repeat (each workload section's `image`, `nodeSelector`...) are shared. */
const SHARE_MIN_CHARS = 100;

/**
 * Moves every value or group schema that occurs more than once into `definitions` and refers to it
 * with `$ref`, so the schema of a chart with many workloads stays small and Helm compiles each once.
 */
function shareRepeated(root: SchemaNode, taken: Record<string, unknown>): Record<string, unknown> {
  // Hash-consing: every schema gets the id of its structure (built from its children's ids, so each
  // node is read once) and a size; equal structures get equal ids.
  const ids = new Map<string, number>();
  const idOf = new Map<SchemaNode, number>();
  const sizeOf = new Map<SchemaNode, number>();
  const counts = new Map<number, number>();
  const register = (v: SchemaNode, key: string, size: number): [string, number] => {
    let id = ids.get(key);
    if (id === undefined) ids.set(key, id = ids.size);
    idOf.set(v, id);
    sizeOf.set(v, size);
    return [`#${id}`, size];
  };
  const visit = (v: SchemaNode): [string, number] => {
    const properties = v.properties;
    if (!properties || typeof properties !== 'object') {
      // A value schema (no properties of its own): its JSON is its structure.
      const text = JSON.stringify(v);
      return register(v, text, text.length);
    }
    let key = '{';
    let size = 2;
    // Keys, not entries: this reads every node of the schema (thousands of values in a large chart).
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (k === 'properties') {
        key += 'properties:{';
        for (const pk of Object.keys(properties)) {
          const px = properties[pk];
          const [childKey, childSize] = isNode(px) ? visit(px) : [JSON.stringify(px), 4];
          key += `${JSON.stringify(pk)}:${childKey},`;
          size += pk.length + childSize + 4;
        }
        key += '},';
      } else {
        const text = JSON.stringify(x);
        key += `${k}:${text},`;
        size += k.length + text.length + 2;
      }
    }
    return register(v, key, size);
  };
  const count = (node: SchemaNode): void => {
    for (const child of Object.values(node.properties ?? {})) {
      if (!isNode(child)) continue;
      if (sizeOf.get(child)! >= SHARE_MIN_CHARS) counts.set(idOf.get(child)!, (counts.get(idOf.get(child)!) ?? 0) + 1);
      count(child);
    }
  };
  visit(root);
  count(root);
  const definitions: Record<string, unknown> = {};
  const names = new Map<number, string>();
  const share = (node: SchemaNode): void => {
    const properties = node.properties ?? {};
    for (const [key, child] of Object.entries(properties)) {
      if (!isNode(child)) continue;
      const id = idOf.get(child)!;
      if ((counts.get(id) ?? 0) < 2) {
        share(child);
        continue;
      }
      let name = names.get(id);
      if (!name) {
        // Whole top-level sections that are equal (workloads with the same values) share one `section`.
        const base = node === root ? 'section' : key;
        name = base;
        for (let i = 2; definitions[name] !== undefined || taken[name] !== undefined; i++) name = `${base}${i}`;
        names.set(id, name);
        definitions[name] = child;
        share(child);
      }
      properties[key] = { $ref: `#/definitions/${name}` };
    }
  };
  share(root);
  return definitions;
}

/**
 * The top-level sections of one shape (the same keys, each workload's standard values) become one
 * definition: each section refers to it, plus an `allOf` branch with only the values that differ
 * (a ConfigMap's entries, a description naming the object), so Helm reads and compiles the standard
 * values' schema once however many workloads the chart has. The shared definition still lists every
 * key, so unknown keys stay refused.
 */
function shareSections(root: SchemaNode, definitions: Record<string, unknown>): void {
  const classes = new Map<string, string[]>();
  const properties = root.properties ?? {};
  for (const [key, node] of Object.entries(properties)) {
    if (!isNode(node) || !isNode(node.properties) || node.type !== 'object') continue;
    const shape = JSON.stringify([Object.keys(node), Object.keys(node.properties), node.additionalProperties, node.required]);
    classes.get(shape)?.push(key) ?? classes.set(shape, [key]);
  }
  for (const keys of classes.values()) {
    if (keys.length < 2) continue;
    const nodes = keys.map((k) => properties[k]);
    const first = nodes[0];
    const texts = nodes.map((n) => Object.values(n.properties!).map((x) => JSON.stringify(x)));
    const names = Object.keys(first.properties!);
    const differs = names.map((_, i) => texts.some((t) => t[i] !== texts[0][i]));
    if (differs.every((d) => d)) continue;
    const shared: SchemaNode = { ...first, properties: {} };
    names.forEach((name, i) => {
      // A value that differs between sections is checked in each section's own branch; here only its
      // type when they agree on one (what an editor shows for the shared definition).
      const types = new Set(nodes.map((n) => JSON.stringify((n.properties![name] as SchemaNode).type)));
      const type = (first.properties![name] as SchemaNode).type;
      shared.properties![name] = !differs[i] ? first.properties![name] : types.size === 1 && type !== undefined ? { type } : {};
    });
    let name = 'section';
    for (let i = 2; definitions[name] !== undefined; i++) name = `section${i}`;
    definitions[name] = shared;
    const ref = { $ref: `#/definitions/${name}` };
    keys.forEach((key, k) => {
      const own: Record<string, unknown> = {};
      names.forEach((n, i) => { if (differs[i]) own[n] = nodes[k].properties![n]; });
      properties[key] = Object.keys(own).length === 0 ? { ...ref } : { allOf: [{ ...ref }, { properties: own }] };
    });
  }
}

/**
 * A definition referred to once (a part of sections that became one shared definition) goes back in
 * place: a `$ref` only pays where the schema repeats.
 */
function inlineSingleUse(root: SchemaNode, definitions: Record<string, unknown>): void {
  const uses = new Map<string, number>();
  const walk = (v: unknown, fn: (node: SchemaNode) => void): void => {
    if (!isNode(v)) return;
    if (!Array.isArray(v)) fn(v);
    for (const x of Object.values(v)) walk(x, fn);
  };
  const prefix = '#/definitions/';
  const nameOf = (node: SchemaNode) => (typeof node.$ref === 'string' && node.$ref.startsWith(prefix) ? node.$ref.slice(prefix.length) : undefined);
  walk([root, definitions], (node) => {
    const name = nameOf(node);
    if (name !== undefined) uses.set(name, (uses.get(name) ?? 0) + 1);
  });
  const replace = (v: unknown): void => walk(v, (node) => {
    for (const [k, x] of Object.entries(node)) {
      const name = isNode(x) ? nameOf(x) : undefined;
      if (name !== undefined && uses.get(name) === 1 && definitions[name] !== undefined) {
        node[k] = definitions[name];
        delete definitions[name];
      }
    }
  });
  // Only `properties` values refer to definitions (shareRepeated) besides the sections' allOf.
  replace(root);
  replace(definitions);
}

interface Group {
  properties: Record<string, Group | SchemaNode>;
  required: Set<string>;
  open?: boolean;
}

function group(): Group {
  return { properties: {}, required: new Set() };
}

function finish(g: Group): SchemaNode {
  const properties: Record<string, SchemaNode> = {};
  for (const [k, v] of Object.entries(g.properties)) properties[k] = isGroup(v) ? finish(v) : v;
  const out: SchemaNode = { type: 'object', additionalProperties: g.open === true, properties };
  if (g.required.size > 0) out.required = [...g.required];
  return out;
}

function isGroup(v: Group | SchemaNode): v is Group {
  return v.required instanceof Set;
}

function leafSchema(p: ParamSpec): SchemaNode {
  const s: Record<string, unknown> = { type: p.anyScalar ? ['string', 'number', 'boolean'] : p.type, description: p.schemaDescription ?? p.description };
  if (p.minimum !== undefined) s.minimum = p.minimum;
  if (p.maximum !== undefined) s.maximum = p.maximum;
  if (p.enum !== undefined) s.enum = p.enum;
  if (p.pattern !== undefined) s.pattern = p.pattern;
  // A copy: sharing (`shareRepeated`) rewrites nested schemas in place, and derivers share theirs between values.
  return p.schema ? { ...s, ...jsonCopy(p.schema) as object } : s;
}

/**
 * A deep copy of JSON data, as `JSON.parse(JSON.stringify(v))` makes it (a field holding undefined
 * is left out, undefined in a list becomes null) without the text in between: it runs for every value.
 */
function jsonCopy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : jsonCopy(x)));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = jsonCopy(x);
  }
  return out;
}
