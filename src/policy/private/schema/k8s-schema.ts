/**
 * Internal to `policy`: validates Kubernetes objects against the Kubernetes 1.28 API schema
 * (`schemas/k8s-v1.28.0-definitions.json`, shipped in the package) with ajv, stricter than the raw
 * definitions in the way the API server's strict field validation / kubeconform `-strict` are:
 *
 * - unknown fields are errors (`additionalProperties: false` is added, in a deep copy at load time, to
 *   every schema object that lists `properties` and says nothing about `additionalProperties`);
 * - `Quantity` must be a number or a string in the Kubernetes quantity grammar (`cpu: lots` fails);
 *   `IntOrString` must be an integer or a string; `Time` may be `null` (as `kubectl create -o yaml` emits);
 * - `metadata.name` (or `generateName`) must be set and be a DNS-1123 subdomain (label for Service and
 *   Namespace, path segment for RBAC kinds); `metadata.namespace` must be a DNS-1123 label; label keys
 *   and values must be well-formed.
 *
 * Custom resources are validated against the CRDs the library ships (`crd-registry.ts`) and any
 * registered with `registerCrd`. The definitions are read on first use, each kind's validator is
 * compiled on first use and cached, and the shipped CRDs are read only when a custom resource is met.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { shippedCrdTexts } from './crd-registry';
import { metadataProblems, requiredByValidation, SchemaProblem, show } from './metadata';
import { withoutNulls } from '../../../manifests';

/** The package root (this file is `src|lib/policy/private/schema/k8s-schema.*`). */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SCHEMA_FILE = path.join(PACKAGE_ROOT, 'schemas', 'k8s-v1.28.0-definitions.json');
const DOC_ID = 'k8s-v1.28.0';
const DEF = 'io.k8s.apimachinery.pkg';
const OBJECT_META_REF = `${DOC_ID}#/definitions/${DEF}.apis.meta.v1.ObjectMeta`;
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

let ajv: Ajv | undefined;
const entries = new Map<string, Entry>();
const kindsServedAs = new Map<string, string[]>();
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

function addEntry(apiVersion: string, kind: string, ref: string): void {
  entries.set(`${apiVersion}|${kind}`, { ref });
  const served = kindsServedAs.get(kind) ?? [];
  if (!served.includes(apiVersion)) served.push(apiVersion);
  kindsServedAs.set(kind, served);
}

function load(): Ajv {
  if (ajv) return ajv;
  const doc = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  const defs: Record<string, any> = doc.definitions;
  for (const def of Object.values(defs)) tighten(def, false);
  defs[`${DEF}.api.resource.Quantity`] = {
    'x-expected': 'a number or a Kubernetes quantity string such as 500m, 1.5, 128Mi or 1e3',
    'anyOf': [{ type: 'number' }, { type: 'string', pattern: QUANTITY_PATTERN }],
  };
  defs[`${DEF}.util.intstr.IntOrString`] = {
    'x-expected': 'an integer or a string',
    'anyOf': [{ type: 'integer' }, { type: 'string' }],
  };
  for (const t of ['Time', 'MicroTime']) {
    const k = `${DEF}.apis.meta.v1.${t}`;
    if (defs[k]) defs[k] = { ...defs[k], type: ['string', 'null'] };
  }
  const a = new Ajv({ strict: false, allErrors: true, verbose: true, validateFormats: false, validateSchema: false });
  a.addSchema({ $id: DOC_ID, definitions: defs });
  for (const [name, def] of Object.entries(defs)) {
    const gvks: any[] = def['x-kubernetes-group-version-kind'] ?? [];
    // Definitions shared by many groups (DeleteOptions, WatchEvent, ...) are not top-level resources.
    if (gvks.length !== 1) continue;
    const { group, version, kind } = gvks[0];
    addEntry(group ? `${group}/${version}` : version, kind, `${DOC_ID}#/definitions/${name}`);
  }
  ajv = a;
  return a;
}

/** Adds every served version of a CustomResourceDefinition (YAML text, one or more documents). */
export function registerCrd(crdYamlText: string): void {
  const a = load();
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
      schema.properties.metadata = { $ref: OBJECT_META_REF };
      tighten(schema, true);
      const id = `crd-${++crdCounter}-${group}-${v.name}-${names.kind}`;
      a.addSchema({ ...schema, $id: id });
      addEntry(`${group}/${v.name}`, names.kind, id);
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

function describe(errors: ErrorObject[], nulls: ReadonlySet<string>): SchemaProblem[] {
  // An anyOf/oneOf failure reports its branches too; keep only the combined message for that place.
  const combined = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const out = new Map<string, SchemaProblem>();
  const add = (p: SchemaProblem) => out.set(`${p.path}: ${p.message}`, p);
  for (const e of errors) {
    if (combined.some((c) => c !== e && e.instancePath === c.instancePath && e.schemaPath.startsWith(`${c.schemaPath}/`))) continue;
    const at = jsonPath(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const f = (e.params as any).additionalProperty;
      add({ path: join(at, f), message: `unknown field "${f}"` });
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

/** True for an apiVersion of Kubernetes' own API groups (core, `apps`, `*.k8s.io`, ...). */
function builtInGroup(apiVersion: string): boolean {
  if (!apiVersion.includes('/')) return true;
  const group = apiVersion.slice(0, apiVersion.lastIndexOf('/'));
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * Validates one object (as given, nulls included) against the 1.28 schema and the known CRDs. As the
 * API server does, a field set to null is unset: fine where the field is optional, an error where a
 * value is required. An object of a kind no schema knows is an error in a built-in API group (or
 * when its kind is served under another apiVersion), and skipped otherwise.
 */
export function checkSchema(given: any): SchemaResult {
  const a = load();
  if (!given || typeof given !== 'object' || Array.isArray(given)) {
    return { known: false, skipped: false, problems: [{ path: '(object)', message: `got ${show(given)}; expected a Kubernetes object` }] };
  }
  const obj = withoutNulls(given);
  const nulls = nullFields(given);
  const kind = obj.kind;
  const apiVersion = obj.apiVersion;
  let entry = entries.get(`${apiVersion}|${kind}`);
  if (!entry && typeof apiVersion === 'string' && !builtInGroup(apiVersion)) {
    loadShippedCrds();
    entry = entries.get(`${apiVersion}|${kind}`);
  }
  if (!entry) {
    const served = kindsServedAs.get(kind) ?? [];
    const skipped = typeof apiVersion === 'string' && typeof kind === 'string' && !builtInGroup(apiVersion) && served.length === 0;
    const hint = served.length ? `; ${kind} is served as ${served.join(', ')}` : '; unknown kind (no schema or shipped CRD knows it)';
    return {
      known: false,
      skipped,
      problems: [{ path: 'apiVersion', message: `${show(apiVersion)} ${show(kind)} is not a Kubernetes 1.28 kind${hint}` }],
    };
  }
  if (!entry.validate) entry.validate = a.compile({ $ref: entry.ref });
  const problems = entry.validate(obj) ? [] : describe(entry.validate.errors ?? [], nulls);
  problems.push(...metadataProblems(kind, obj.metadata), ...requiredByValidation(obj, nulls));
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
