/**
 * Validates Kubernetes objects against the Kubernetes 1.28 API schema (`test/schemas/k8s-v1.28.0-definitions.json`,
 * a copy of the upstream swagger definitions) with ajv, stricter than the raw definitions in the way the API
 * server's strict field validation / kubeconform `-strict` are:
 *
 * - an unknown `apiVersion` + `kind` is an error;
 * - unknown fields are errors (`additionalProperties: false` is added, in a deep copy at load time, to every
 *   schema object that lists `properties` and says nothing about `additionalProperties`);
 * - `Quantity` must be a number or a string in the Kubernetes quantity grammar (`cpu: lots` fails);
 *   `IntOrString` must be an integer or a string; `Time` may be `null` (as `kubectl create -o yaml` emits);
 * - `metadata.name` (or `generateName`) must be set and be a DNS-1123 subdomain (label for Service and
 *   Namespace, path segment for RBAC kinds); `metadata.namespace` must be a DNS-1123 label; label keys and
 *   values must be well-formed.
 *
 * Custom resources: `registerCrd(yaml)` adds every served version's `openAPIV3Schema` of a
 * CustomResourceDefinition, keyed by group/version + kind. Validators are compiled lazily and cached per kind.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

const SCHEMA_FILE = path.resolve(__dirname, '..', 'schemas', 'k8s-v1.28.0-definitions.json');
const DOC_ID = 'k8s-v1.28.0';
const DEF = 'io.k8s.apimachinery.pkg';
const OBJECT_META_REF = `${DOC_ID}#/definitions/${DEF}.apis.meta.v1.ObjectMeta`;
const QUANTITY_PATTERN = '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?$';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAMES = new Set(['Service', 'Namespace']);
const PATH_SEGMENT_NAMES = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

interface Entry { readonly ref: string; validate?: ValidateFunction }

let ajv: Ajv | undefined;
const entries = new Map<string, Entry>();
let crdCounter = 0;

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
    const apiVersion = group ? `${group}/${version}` : version;
    entries.set(`${apiVersion}|${kind}`, { ref: `${DOC_ID}#/definitions/${name}` });
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
      entries.set(`${group}/${v.name}|${names.kind}`, { ref: id });
    }
  }
}

function jsonPath(instancePath: string): string {
  if (!instancePath) return '(root)';
  return instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function describe(errors: ErrorObject[]): string[] {
  // An anyOf/oneOf failure reports its branches too; keep only the combined message for that place.
  const combined = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const out: string[] = [];
  for (const e of errors) {
    if (combined.some((c) => c !== e && e.instancePath === c.instancePath && e.schemaPath.startsWith(`${c.schemaPath}/`))) continue;
    const at = jsonPath(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const f = (e.params as any).additionalProperty;
      out.push(`${at === '(root)' ? f : `${at}.${f}`}: unknown field "${f}"`);
    } else if (e.keyword === 'required') {
      const f = (e.params as any).missingProperty;
      out.push(`${at === '(root)' ? f : `${at}.${f}`}: required field is missing`);
    } else if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const expected = (e.parentSchema as any)?.['x-expected'] ?? `one of the allowed forms (${e.message})`;
      out.push(`${at}: got ${show(e.data)}; expected ${expected}`);
    } else if (e.keyword === 'enum') {
      out.push(`${at}: got ${show(e.data)}; expected one of ${show((e.params as any).allowedValues)}`);
    } else {
      out.push(`${at}: got ${show(e.data)}; ${e.message}`);
    }
  }
  return [...new Set(out)];
}

function checkMetadata(kind: string, meta: any): string[] {
  const out: string[] = [];
  if (!meta || typeof meta !== 'object') return ['metadata: required field is missing'];
  const name = meta.name;
  if (name === undefined || name === '') {
    if (!meta.generateName) out.push('metadata.name: required field is missing (set name or generateName)');
  } else if (typeof name === 'string') {
    if (PATH_SEGMENT_NAMES.has(kind)) {
      if (name === '.' || name === '..' || /[/%]/.test(name)) out.push(`metadata.name: got ${show(name)}; expected a path segment name (no "/" or "%", not "." or "..")`);
    } else if (LABEL_NAMES.has(kind)) {
      if (name.length > 63 || !DNS1123_LABEL.test(name)) out.push(`metadata.name: got ${show(name)}; expected a DNS-1123 label (lower-case alphanumerics and "-", at most 63 characters)`);
    } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
      out.push(`metadata.name: got ${show(name)}; expected a DNS-1123 subdomain (lower-case alphanumerics, "-" and ".", at most 253 characters)`);
    }
  }
  if (typeof meta.namespace === 'string' && (meta.namespace.length > 63 || !DNS1123_LABEL.test(meta.namespace))) {
    out.push(`metadata.namespace: got ${show(meta.namespace)}; expected a DNS-1123 label`);
  }
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    const slash = k.lastIndexOf('/');
    const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
    const n = slash >= 0 ? k.slice(slash + 1) : k;
    if ((prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) || n.length > 63 || !LABEL_NAME.test(n)) {
      out.push(`metadata.labels.${k}: invalid label key; expected [prefix/]name, name at most 63 characters of alphanumerics, "-", "_", "."`);
    }
    if (typeof v === 'string' && (v.length > 63 || !LABEL_VALUE.test(v))) {
      out.push(`metadata.labels.${k}: got ${show(v)}; expected a label value (at most 63 alphanumerics, "-", "_", ".", alphanumeric at both ends)`);
    }
  }
  return out;
}

/** Validates one object; returns one message per problem (empty when valid). */
export function validateObject(obj: any): string[] {
  const a = load();
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return [`(object): got ${show(obj)}; expected a Kubernetes object`];
  const kind = obj.kind;
  const who = `${kind ?? '<no kind>'}/${obj.metadata?.name ?? obj.metadata?.generateName ?? '<no name>'}`;
  const entry = entries.get(`${obj.apiVersion}|${kind}`);
  if (!entry) {
    const known = [...entries.keys()].filter((k) => k.endsWith(`|${kind}`)).map((k) => k.split('|')[0]);
    const hint = known.length ? `; ${kind} is served as ${known.join(', ')}` : '; unknown kind (register its CRD with registerCrd)';
    return [`${who}: apiVersion/kind: ${show(obj.apiVersion)} ${show(kind)} is not a Kubernetes 1.28 kind${hint}`];
  }
  if (!entry.validate) entry.validate = a.compile({ $ref: entry.ref });
  const problems = entry.validate(obj) ? [] : describe(entry.validate.errors ?? []);
  problems.push(...checkMetadata(kind, obj.metadata));
  return problems.map((p) => `${who}: ${p}`);
}
