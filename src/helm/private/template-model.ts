/**
 * Internal model of the Helm chart synthesizer (not part of the public API).
 *
 * The synthesizer reads the objects of `chart.toJson()` and turns each into a `DocPlan`: the object,
 * the template file it becomes, an optional condition around the whole file, the `slots` (fields of
 * the object replaced by template expressions) and the `params` (values the slots read).
 */

/** JSON Schema type of a value. */
export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

/** One value of values.yaml, with what the schema and the README say about it. */
export interface ParamSpec {
  /** Path in `.Values`, e.g. ['backend', 'image', 'tag']. */
  readonly path: string[];
  readonly type: ParamType;
  readonly description: string;
  /** The value read from this environment's objects (or the parameter's default). */
  readonly value: unknown;
  /** Listed in the schema's `required` (default true: every derived value has a default). */
  readonly required?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: unknown[];
  readonly pattern?: string;
  /** A switch that turns an optional object on or off (set to "off" when an environment lacks it). */
  readonly toggleOff?: unknown;
  /** Text that also accepts numbers and booleans from `--set` (the template quotes them). */
  readonly anyScalar?: boolean;
  /** The object does not hold this value (e.g. no replicas under an HPA): other environments keep the default's value. */
  readonly fallback?: boolean;
  /** Declared by the user with ValueParameter (not derived). */
  readonly user?: boolean;
  /** Carried by a label link (see `Slot.link`): kept only while that link is. */
  readonly link?: string;
  /** Further JSON Schema keywords of the value (items, properties, a type list...), merged into its schema. */
  readonly schema?: Record<string, unknown>;
  /** The tag of an image: the schema refuses "latest" while `environment` is production. */
  readonly imageTag?: boolean;
}

/** How a slot's token is turned into template text. */
export type SlotRender =
  /** The token (and quotes around it) becomes `expr`. */
  | { readonly mode: 'inline'; readonly expr: string }
  /** The token becomes `{{- toYaml <ref> | nindent N }}`. */
  | { readonly mode: 'block'; readonly ref: string }
  /** The whole line holding the token is replaced: `wrap(indent, prefix)` where prefix is the line up to the token. */
  | { readonly mode: 'line'; readonly wrap: (indent: string, prefix: string) => string }
  /**
   * The field's lines as the plain object has them are wrapped: `wrap(indent, prefix, original)`, where
   * `original` is the text the field would have without this slot (for "the user's value, else the plain one").
   */
  | { readonly mode: 'wrap'; readonly wrap: (indent: string, prefix: string, original: string) => string };

/** A field of an object that becomes a template expression. */
export interface Slot {
  /** JSON pointer segments into the object; the last segment may name a field the object lacks. */
  readonly pointer: string[];
  readonly render: SlotRender;
  /**
   * Move the field first or last in its map, so the template text is the same whether or not the
   * plain object has the field (for fields a slot may add).
   */
  readonly placement?: 'first' | 'last';
  /**
   * A label that follows a value (`derive-labels.ts`), e.g. "metadata/labels/environment=environment".
   * The chart keeps the link only when every environment holding the object links the label the same way.
   */
  readonly link?: string;
  /**
   * A standard slot that gives way to a user's ValueParameter bound at or inside its field (instead
   * of refusing the binding); the values listed here go with it.
   */
  readonly soft?: { readonly params: readonly string[] };
}

/** An object of the chart, ready to become one template file. */
export interface DocPlan {
  /** `Kind/namespace/name`, stable across environments. */
  readonly key: string;
  readonly doc: any;
  /** File name under templates/. */
  readonly file: string;
  /** Go template condition around the whole file, e.g. `.Values.ingress.enabled`. */
  readonly condition?: string;
  readonly slots: Slot[];
  readonly params: ParamSpec[];
  /** Optional objects may be absent in some environments (Ingress, HPA, NetworkPolicy, PDB). */
  readonly optional: boolean;
  /**
   * The key of the workload whose template file also holds this object (its HPA, created
   * ServiceAccount, PodDisruptionBudget and NetworkPolicies): fewer files and one header of names
   * for all of them keep `helm template` fast. Undefined: the object has a file of its own.
   */
  readonly companionOf?: string;
  /**
   * A Secret the chart does not template (the plain YAML carries its data, and a chart never carries
   * secret values): `doc` is a stub with its type and key names only, no file is written, and
   * NOTES.txt / README.md say how to create it.
   */
  readonly external?: ExternalSecret;
}

/** A Secret the user creates before installing: name, type and key names (never values). */
export interface ExternalSecret {
  readonly name: string;
  /** Secret type, such as Opaque or kubernetes.io/tls. */
  readonly type: string;
  readonly keys: string[];
  /** The value naming the Secret the objects read (`existingSecret`, or the Ingress `tls.secretName`), if any. */
  readonly nameValue?: string[];
  /** Go template condition under which the Secret is needed (the Ingress TLS switches), if any. */
  readonly condition?: string;
  /**
   * The objects only reference the Secret by name (it is not in the plain YAML): `keys` are those the
   * workloads name, the type is unknown (Opaque assumed).
   */
  readonly referenced?: boolean;
  /** The workloads read keys the objects do not name (envFrom, or a whole-Secret volume). */
  readonly keysIncomplete?: boolean;
}

/** A DNS-1123 subdomain (the name of a Secret). */
export const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** Thrown for inputs the synthesizer cannot turn into a chart; the message says what to change. */
export class HelmSynthError extends Error {
  constructor(problems: string[]) {
    super(`Helm chart synthesis failed:\n  ${problems.join('\n  ')}`);
    this.name = 'HelmSynthError';
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A Go template reference to a value: `.Values.a.b`, or `(index .Values "a" "b-c")` when a key is not an identifier. */
export function valuesRef(path: readonly string[]): string {
  if (path.every((p) => IDENT.test(p))) return `.Values.${path.join('.')}`;
  return `(index .Values ${path.map((p) => JSON.stringify(p)).join(' ')})`;
}

/** `valuesRef` from the root context (`$.Values...`): usable inside `range` and `with`, where `.` moves. */
export function rootRef(path: readonly string[]): string {
  const ref = valuesRef(path);
  return ref.startsWith('.Values') ? `$${ref}` : ref.replace('(index .Values', '(index $.Values');
}

/** The dotted form used with `--set` and in docs; dots inside a key are escaped. */
export function dottedPath(path: readonly string[]): string {
  for (const p of path) if (p.includes('.')) return path.map((x) => x.replace(/\./g, '\\.')).join('.');
  return path.join('.');
}

/** The template expression that prints a value of this type unquoted-but-correct. */
export function scalarExpr(ref: string, type: ParamType): string {
  switch (type) {
    case 'string': return `{{ ${ref} | quote }}`;
    case 'integer': return `{{ ${ref} | int64 }}`;
    default: return `{{ ${ref} }}`;
  }
}

/** A slot that prints the value at `path` in the form its type needs. */
export function valueSlot(pointer: string[], path: readonly string[], type: ParamType): Slot {
  const ref = valuesRef(path);
  if (type === 'object' || type === 'array') return { pointer, render: { mode: 'block', ref } };
  return { pointer, render: { mode: 'inline', expr: scalarExpr(ref, type) } };
}

/** camelCase of a name such as "todo-backend" → "todoBackend". */
export function camelCase(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter((p) => p.length > 0);
  const out = parts
    .map((p, i) => (i === 0 ? p.charAt(0).toLowerCase() + p.slice(1) : p.charAt(0).toUpperCase() + p.slice(1)))
    .join('');
  return /^[0-9]/.test(out) ? `x${out}` : out || 'x';
}

/** PascalCase of a name. */
export function pascalCase(name: string): string {
  const c = camelCase(name);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** Reads the value at a pointer, or undefined. */
export function getAt(doc: any, pointer: readonly string[]): any {
  let cur = doc;
  for (const seg of pointer) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** Sets the value at a pointer; the parent must exist. Returns false when it does not. */
export function setAt(doc: any, pointer: readonly string[], value: unknown, placement?: 'first' | 'last'): boolean {
  const parent = getAt(doc, pointer.slice(0, -1));
  if (parent === null || typeof parent !== 'object') return false;
  const key = pointer[pointer.length - 1];
  if (placement && !Array.isArray(parent)) {
    const rest = Object.entries(parent).filter(([k]) => k !== key);
    for (const k of Object.keys(parent)) delete parent[k];
    const entries = placement === 'first' ? [[key, value], ...rest] : [...rest, [key, value]];
    for (const [k, v] of entries) parent[k as string] = v;
    return true;
  }
  parent[key] = value;
  return true;
}

/** A JSON pointer of a dotted path such as `spec.template.spec`. */
export function pointerOf(path: string): string[] {
  return path.split('.');
}

/** Parses an RFC 6901 JSON pointer into segments, or undefined when malformed. */
export function parsePointer(pointer: string): string[] | undefined {
  if (!/^(\/([^/~]|~[01])*)+$/.test(pointer)) return undefined;
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Deep equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as any)[k])]));
  }
  return v;
}

/** The JSON Schema type a value has. */
export function typeOfValue(v: unknown): ParamType | undefined {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (Array.isArray(v)) return 'array';
  if (v && typeof v === 'object') return 'object';
  return undefined;
}

/** `Kind/namespace/name` of an object. */
export function docKey(doc: any): string {
  return `${doc?.kind}/${doc?.metadata?.namespace ?? ''}/${doc?.metadata?.name}`;
}
