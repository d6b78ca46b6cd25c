/**
 * Internal to `policy`: validates Kubernetes objects against the API schema of a Kubernetes version
 * (1.28, the default and what the constructs emit: `schemas/k8s-v1.28.0-definitions.json`; 1.34:
 * `schemas/k8s-v1.34-definitions.json`; both shipped in the package) with ajv, stricter than the raw
 * definitions in the way the API server's strict field validation / kubeconform `-strict` are:
 *
 * - unknown fields are errors (`additionalProperties: false` is added, in a deep copy at load time, to
 *   every schema object that lists `properties` and says nothing about `additionalProperties`);
 * - `Quantity` must be a number or a string in the Kubernetes quantity grammar (`cpu: lots` fails);
 *   `IntOrString` must be an integer or a string; `Time` may be `null` (as `kubectl create -o yaml` emits);
 * - fields the 1.28 definitions mark required though the API server accepts them absent
 *   (`OPTIONAL_DESPITE_OPENAPI`: a StatefulSet's `serviceName`, a RoleRef's `apiGroup`...) are optional,
 *   and `""` is valid for the enum fields whose empty value the API server defaults (`EMPTY_IS_DEFAULT`);
 * - `metadata.name` (or `generateName`) must be set and be a DNS-1123 subdomain (label for Service and
 *   Namespace, path segment for RBAC kinds); `metadata.namespace` must be a DNS-1123 label; label keys
 *   and values must be well-formed.
 *
 * Custom resources are validated against the CRDs the library ships (`crd-registry.ts`) and any
 * registered with `registerCrd`, whatever the version. A version's definitions are read on its first
 * use, each kind's validator is compiled on first use and cached, and the shipped CRDs are read only
 * when a custom resource is met.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { shippedCrdTexts } from './crd-registry';
import { EMPTY_IS_DEFAULT, metadataProblems, OPTIONAL_DESPITE_OPENAPI, SchemaProblem, show } from './metadata';
import { objectValidationProblems } from './object-validation';
import { podValidationProblems } from './pod-validation';
import { DEFAULT_KUBERNETES_VERSION, schemaFile } from './versions';
import { withoutNulls } from '../../../manifests';

export { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, knownKubernetesVersion } from './versions';

/** The package root (this file is `src|lib/policy/private/schema/k8s-schema.*`). */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const DEF = 'io.k8s.apimachinery.pkg';
const QUANTITY_PATTERN = '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?$';

interface Entry { readonly ref: string; validate?: ValidateFunction }

/** The outcome of validating one object. */
export interface SchemaResult {
  /** False when no schema knows the object's apiVersion and kind (see `problems` for why). */
  readonly known: boolean;
  /**
   * True for an unknown kind of an API group that is not Kubernetes' own (a custom resource whose
   * CRD is not shipped): not an error, the object is skipped.
   */
  readonly skipped: boolean;
  /** Every problem, each with its path in the object (empty when valid). */
  readonly problems: SchemaProblem[];
}

/** One version's validator: its ajv, the schema of each apiVersion and kind, and where each kind is served. */
interface SchemaSet {
  readonly version: string;
  readonly ajv: Ajv;
  readonly entries: Map<string, Entry>;
  readonly kindsServedAs: Map<string, string[]>;
  /** The API groups of Kubernetes' own kinds in this version (`''` the core group). */
  readonly groups: Set<string>;
  /** How many registered CRD texts this set holds. */
  crds: number;
}

const sets = new Map<string, SchemaSet>();
/** Every CRD text registered (the shipped ones once a custom resource is met), added to each version's set. */
const crdTexts: string[] = [];
let crdCounter = 0;
let shippedLoaded = false;

/**
 * A CRD pattern (Go RE2 syntax) as a JavaScript pattern: RE2's case-insensitive flag `(?i)` (in the
 * prometheus-operator CRDs) becomes `[aA]` classes for the letters outside character classes.
 */
function goPattern(pattern: string): string {
  if (!pattern.includes('(?i)')) return pattern;
  let out = '';
  let inClass = false;
  const p = pattern.replace(/\(\?i\)/g, '');
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[++i] ?? '');
      continue;
    }
    if (c === '[') inClass = true;
    if (c === ']') inClass = false;
    out += !inClass && /[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
  }
  return out;
}

/** Recursively tightens a schema: closes objects, normalises OpenAPI-only keywords. Mutates `s`. */
function tighten(s: any, crd: boolean): void {
  if (!s || typeof s !== 'object' || Array.isArray(s)) return;
  if (crd) {
    if (s.nullable === true && typeof s.type === 'string') s.type = [s.type, 'null'];
    delete s.nullable;
    if (typeof s.pattern === 'string') s.pattern = goPattern(s.pattern);
    if (s['x-kubernetes-int-or-string'] === true && !s.anyOf && !s.oneOf) {
      s.anyOf = [{ type: 'integer' }, { type: 'string' }];
      delete s.type;
    }
  }
  if (s.properties && typeof s.properties === 'object') {
    for (const v of Object.values(s.properties)) tighten(v, crd);
    if (s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) {
      s.additionalProperties = false;
    }
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') tighten(s.additionalProperties, crd);
  if (s.items) (Array.isArray(s.items) ? s.items : [s.items]).forEach((i: any) => tighten(i, crd));
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[k])) s[k].forEach((i: any) => tighten(i, crd));
  if (s.not) tighten(s.not, crd);
}

/**
 * A CRD schema's fields that take one of two forms, as the API server decodes them (the definitions
 * leave them open, or, derived from type declarations, closed): `default`, `enum` and `example` any
 * JSON; `additionalProperties` a schema or a boolean; `items` a schema or a list of schemas;
 * `dependencies` a schema or a list of names. `if` picks the form, so a mistake inside a schema is
 * still reported at its own path.
 */
function openApiSchemaForms(defs: Record<string, any>, group: string): void {
  const props = { $ref: `#/definitions/${group}.JSONSchemaProps` };
  if (!defs[`${group}.JSONSchemaProps`]) return;
  defs[`${group}.JSON`] = {};
  defs[`${group}.JSONSchemaPropsOrBool`] = { if: { type: 'boolean' }, else: props };
  defs[`${group}.JSONSchemaPropsOrArray`] = { if: { type: 'array' }, then: { items: props }, else: props };
  defs[`${group}.JSONSchemaPropsOrStringArray`] = { if: { type: 'array' }, then: { items: { type: 'string' } }, else: props };
}

function addEntry(set: SchemaSet, apiVersion: string, kind: string, ref: string): void {
  set.entries.set(`${apiVersion}|${kind}`, { ref });
  const served = set.kindsServedAs.get(kind) ?? [];
  if (!served.includes(apiVersion)) served.push(apiVersion);
  set.kindsServedAs.set(kind, served);
}

/** The validator of a version, its definitions read on first use, with every CRD registered so far. */
function load(version: string): SchemaSet {
  let set = sets.get(version);
  if (!set) {
    set = readDefinitions(version);
    sets.set(version, set);
  }
  while (set.crds < crdTexts.length) addCrd(set, crdTexts[set.crds++]);
  return set;
}

function readDefinitions(version: string): SchemaSet {
  const docId = `k8s-v${version}`;
  const doc = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'schemas', schemaFile(version)), 'utf8'));
  const defs: Record<string, any> = doc.definitions;
  for (const def of Object.values(defs)) tighten(def, false);
  for (const [name, fields] of Object.entries(OPTIONAL_DESPITE_OPENAPI)) {
    const def = defs[name];
    if (Array.isArray(def?.required)) def.required = def.required.filter((f: string) => !(f in fields));
  }
  for (const [name, fields] of Object.entries(EMPTY_IS_DEFAULT)) {
    for (const f of fields) {
      const values = defs[name]?.properties?.[f]?.enum;
      if (Array.isArray(values) && !values.includes('')) values.push('');
    }
  }
  defs[`${DEF}.api.resource.Quantity`] = {
    'x-expected': 'a number or a Kubernetes quantity string such as 500m, 1.5, 128Mi or 1e3',
    'anyOf': [{ type: 'number' }, { type: 'string', pattern: QUANTITY_PATTERN }],
  };
  defs[`${DEF}.util.intstr.IntOrString`] = {
    'x-expected': 'an integer or a string',
    'anyOf': [{ type: 'integer' }, { type: 'string' }],
  };
  for (const v of ['v1', 'v1beta1']) openApiSchemaForms(defs, `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${v}`);
  for (const t of ['Time', 'MicroTime']) {
    const k = `${DEF}.apis.meta.v1.${t}`;
    if (defs[k]) defs[k] = { ...defs[k], type: ['string', 'null'] };
  }
  const a = new Ajv({ strict: false, allErrors: true, verbose: true, validateFormats: false, validateSchema: false });
  a.addSchema({ $id: docId, definitions: defs });
  const set: SchemaSet = { version, ajv: a, entries: new Map(), kindsServedAs: new Map(), groups: new Set(), crds: 0 };
  for (const [name, def] of Object.entries(defs)) {
    const gvks: any[] = def['x-kubernetes-group-version-kind'] ?? [];
    // Definitions shared by many groups (DeleteOptions, WatchEvent, ...) are not top-level resources.
    if (gvks.length !== 1) continue;
    const { group, version: v, kind } = gvks[0];
    set.groups.add(group);
    addEntry(set, group ? `${group}/${v}` : v, kind, `${docId}#/definitions/${name}`);
  }
  return set;
}

/** Adds every served version of a CustomResourceDefinition (YAML text, one or more documents), for every Kubernetes version. */
export function registerCrd(crdYamlText: string): void {
  // Refuse a broken CRD now, not at the first custom resource.
  addCrd(load(DEFAULT_KUBERNETES_VERSION), crdYamlText);
  crdTexts.push(crdYamlText);
  sets.get(DEFAULT_KUBERNETES_VERSION)!.crds++;
}

function addCrd(set: SchemaSet, crdYamlText: string): void {
  const objectMetaRef = `k8s-v${set.version}#/definitions/${DEF}.apis.meta.v1.ObjectMeta`;
  for (const d of parseAllDocuments(crdYamlText)) {
    const crd = d.toJS();
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    const { group, names, versions } = crd.spec ?? {};
    if (!group || !names?.kind || !Array.isArray(versions)) {
      throw new Error(`registerCrd: ${crd.metadata?.name ?? '<unnamed>'} lacks spec.group, spec.names.kind or spec.versions`);
    }
    for (const v of versions) {
      if (v.served === false) continue;
      const schema = JSON.parse(JSON.stringify(v.schema?.openAPIV3Schema ?? { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true }));
      schema.properties = schema.properties ?? {};
      schema.properties.apiVersion = { type: 'string' };
      schema.properties.kind = { type: 'string', enum: [names.kind] };
      schema.properties.metadata = { $ref: objectMetaRef };
      tighten(schema, true);
      const id = `crd-${++crdCounter}-${group}-${v.name}-${names.kind}`;
      set.ajv.addSchema({ ...schema, $id: id });
      addEntry(set, `${group}/${v.name}`, names.kind, id);
    }
  }
}

/** Registers the CRDs the library ships, once. */
function loadShippedCrds(): void {
  if (shippedLoaded) return;
  shippedLoaded = true;
  for (const text of shippedCrdTexts(PACKAGE_ROOT)) registerCrd(text);
}

function jsonPath(instancePath: string): string {
  if (!instancePath) return '';
  return instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

const join = (at: string, field: string) => (at ? `${at}.${field}` : field);

/** The JSON pointers (ajv's `instancePath` form) of every field set to null, at any depth. */
function nullFields(value: unknown, at = '', out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v, i) => nullFields(v, `${at}/${i}`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (v === null) out.add(here); else nullFields(v, here, out);
    }
  }
  return out;
}

/** The message of a required field the object sets to null. */
export const REQUIRED_NULL = 'got null; a value is required here (null leaves the field unset)';

function describe(errors: ErrorObject[], nulls: ReadonlySet<string>, builtIn: string | undefined): SchemaProblem[] {
  // An anyOf/oneOf failure reports its branches too; keep only the combined message for that place.
  const combined = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const out = new Map<string, SchemaProblem>();
  const add = (p: SchemaProblem) => out.set(`${p.path}: ${p.message}`, p);
  for (const e of errors) {
    // A failed `if`/`else` (openApiSchemaForms) is reported by the branch's own errors.
    if (e.keyword === 'if') continue;
    if (combined.some((c) => c !== e && e.instancePath === c.instancePath && e.schemaPath.startsWith(`${c.schemaPath}/`))) continue;
    const at = jsonPath(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const f = (e.params as any).additionalProperty;
      add({ path: join(at, f), message: builtIn ? `unknown field "${f}" in Kubernetes ${builtIn}` : `unknown field "${f}"` });
    } else if (e.keyword === 'required') {
      const missing = (e.params as any).missingProperty;
      add({ path: join(at, missing), message: nulls.has(`${e.instancePath}/${missing}`) ? REQUIRED_NULL : 'required field is missing' });
    } else if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const expected = (e.parentSchema as any)?.['x-expected'] ?? `one of the allowed forms (${e.message})`;
      add({ path: at || '(root)', message: `got ${show(e.data)}; expected ${expected}` });
    } else if (e.keyword === 'enum') {
      add({ path: at || '(root)', message: `got ${show(e.data)}; expected one of ${show((e.params as any).allowedValues)}` });
    } else {
      add({ path: at || '(root)', message: `got ${show(e.data)}; ${e.message}` });
    }
  }
  return [...out.values()];
}

/** The API group of an apiVersion (`''` for the core group's `v1`). */
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

/**
 * True for an apiVersion of Kubernetes' own API groups: one the version serves (core, `apps`,
 * `networking.k8s.io`...), or any group without a dot (a CRD's group must have one). Other groups,
 * `*.k8s.io` ones included (Gateway API, VerticalPodAutoscaler, volume snapshots), are CRDs'.
 */
function builtInGroup(set: SchemaSet, apiVersion: string): boolean {
  const group = groupOf(apiVersion);
  return !group.includes('.') || set.groups.has(group);
}

/**
 * Validates one object (as given, nulls included) against the 1.28 schema and the known CRDs. As the
 * API server does, a field set to null is unset: fine where the field is optional, an error where a
 * value is required. An object of a kind no schema knows is an error in a built-in API group (or
 * when its kind is served under another apiVersion), and skipped otherwise.
 */
export function checkSchema(given: any, version: string = DEFAULT_KUBERNETES_VERSION): SchemaResult {
  const set = load(version);
  if (!given || typeof given !== 'object' || Array.isArray(given)) {
    return { known: false, skipped: false, problems: [{ path: '(object)', message: `got ${show(given)}; expected a Kubernetes object` }] };
  }
  const obj = withoutNulls(given);
  const nulls = nullFields(given);
  const kind = obj.kind;
  const apiVersion = obj.apiVersion;
  let entry = set.entries.get(`${apiVersion}|${kind}`);
  if (!entry && typeof apiVersion === 'string' && !builtInGroup(set, apiVersion)) {
    loadShippedCrds();
    entry = load(version).entries.get(`${apiVersion}|${kind}`);
  }
  if (!entry) {
    const served = set.kindsServedAs.get(kind) ?? [];
    // A custom resource is skipped unless a version of its own group serves the kind (then its
    // apiVersion is wrong); a kind of the same name in another group (Knative's Service) is another kind.
    const skipped = typeof apiVersion === 'string' && typeof kind === 'string' && !builtInGroup(set, apiVersion)
      && !served.some((v) => groupOf(v) === groupOf(apiVersion));
    const hint = served.length ? `; ${kind} is served as ${served.join(', ')}` : '; unknown kind (no schema or shipped CRD knows it)';
    return {
      known: false,
      skipped,
      problems: [{ path: 'apiVersion', message: `${show(apiVersion)} ${show(kind)} is not a Kubernetes ${version} kind${hint}` }],
    };
  }
  if (!entry.validate) entry.validate = set.ajv.compile({ $ref: entry.ref });
  const ownVersion = builtInGroup(set, String(apiVersion)) ? version : undefined;
  const schemaProblems = entry.validate(obj) ? [] : describe(entry.validate.errors ?? [], nulls, ownVersion);
  // What the API server's validation refuses though the schema allows it, for Kubernetes' own kinds.
  // Where a version's definitions carry an enum that another's lack (1.34's failurePolicy, 1.28's
  // none), both report the same place: the API server's own words are kept, once.
  const refused = ownVersion ? [...podValidationProblems(obj, nulls, version), ...objectValidationProblems(obj)] : [];
  const refusedAt = new Set(refused.map((p) => p.path));
  const problems = [...schemaProblems.filter((p) => !refusedAt.has(p.path)), ...metadataProblems(kind, obj.metadata), ...refused];
  return { known: true, skipped: false, problems };
}

/**
 * Validates one object; returns one message `<Kind>/<name>: <path>: <problem>` per problem (empty
 * when valid). Strict: a kind no schema knows is an error, whatever its group.
 */
export function validateObject(obj: any): string[] {
  const result = checkSchema(obj);
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return result.problems.map((p) => `${p.path}: ${p.message}`);
  const who = `${obj.kind ?? '<no kind>'}/${obj.metadata?.name ?? obj.metadata?.generateName ?? '<no name>'}`;
  return result.problems.map((p) => `${who}: ${p.path === 'apiVersion' && !result.known ? 'apiVersion/kind' : p.path}: ${p.message}`);
}
