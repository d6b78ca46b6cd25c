/** One synthesized object with its identity, read from any plain Kubernetes object. */
export interface ObjectRef {
  /**
   * The object as the API server reads it: as given, less every field set to null (JSON null for an
   * optional field is the field unset, to the API server and to `kubectl apply`, and charts write it
   * whenever a value is empty). The given object itself when it holds no null; never changed.
   */
  readonly raw: any;
  /** The object exactly as given, nulls included (the schema check tells a null where a value is required). */
  readonly given: any;
  readonly apiVersion: string;
  readonly kind: string;
  /** `metadata.name` (or `generateName`, or `<unnamed>`). */
  readonly name: string;
  /** `metadata.namespace`, `''` when unset (then it only matches other objects without a namespace). */
  readonly namespace: string;
  /** `metadata.labels` as strings. */
  readonly labels: { [key: string]: string };
}

/** What one pass of `readingUnchanged` remembers; plain maps: the pass holds the objects anyway, and drops them at its end. */
export interface ReadingPass {
  /** The reference of each object read. */
  readonly refs: Map<object, ObjectRef>;
  /** The pod template of each reference (null: none). */
  readonly pods: Map<ObjectRef, unknown>;
  /** Fields of objects found to hold no null. */
  readonly nullFree: Set<object>;
}

let pass: ReadingPass | undefined;

/**
 * Runs `read`, a pass that reads objects and changes none of them, with each object read once:
 * `objectRef` (and `podTemplateOf`) of an object already read gives the same reference. A chart
 * reads every object from many places; reading it again each time cost more than the chart itself.
 */
export function readingUnchanged<T>(read: () => T): T {
  if (pass) return read();
  pass = { refs: new Map(), pods: new Map(), nullFree: new Set() };
  try {
    return read();
  } finally {
    pass = undefined;
  }
}

/** The current pass of `readingUnchanged`, or undefined outside one. */
export function readingPass(): ReadingPass | undefined {
  return pass;
}

/** Reads the identity of a plain object; undefined for anything that is not an object. */
export function objectRef(raw: unknown): ObjectRef | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const known = pass?.refs.get(raw);
  if (known) return known;
  const ref = readObject(raw);
  pass?.refs.set(raw, ref);
  return ref;
}

function readObject(raw: object): ObjectRef {
  const given = raw as any;
  const o = withoutNulls(given);
  return {
    raw: o,
    given,
    apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : '',
    kind: asText(o.kind),
    name: asText(o.metadata?.name ?? o.metadata?.generateName ?? '<unnamed>'),
    namespace: typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : '',
    labels: stringMap(o.metadata?.labels),
  };
}

/**
 * `value` without the fields set to null, at any depth (a copy where one was dropped; `value` itself
 * when it holds none). Elements of lists stay where they are, null or not, so paths keep their indexes.
 */
export function withoutNulls<T>(value: T): T {
  // Most objects hold no null: finding that out allocates nothing (this runs for every object read).
  if (!holdsNull(value)) return value;
  return prune(value);
}

/** Whether a field at any depth is null (list elements do not count: they are kept). */
function holdsNull(value: unknown, depth = 0): boolean {
  if (!value || typeof value !== 'object') return false;
  // Copies of an object share its fields (spec, metadata): inside `readingUnchanged` a field found
  // without null stays so. Only those are remembered; remembering every part would cost more.
  const seen = depth === 1 ? pass?.nullFree : undefined;
  if (seen?.has(value)) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (v && typeof v === 'object' && holdsNull(v, depth + 1)) return true;
  } else {
    const fields = value as { [key: string]: unknown };
    // for...in with own keys: Object.keys' fields without making their list.
    for (const k in fields) {
      if (!Object.prototype.hasOwnProperty.call(fields, k)) continue;
      const v = fields[k];
      if (v === null || (typeof v === 'object' && holdsNull(v, depth + 1))) return true;
    }
  }
  seen?.add(value);
  return false;
}

function prune<T>(value: T): T {
  if (Array.isArray(value)) {
    let copy: any[] | undefined;
    value.forEach((v, i) => {
      const pruned = withoutNulls(v);
      if (pruned !== v) (copy ??= [...value])[i] = pruned;
    });
    return (copy ?? value) as T;
  }
  if (!value || typeof value !== 'object') return value;
  const fields = value as { [key: string]: unknown };
  let copy: { [key: string]: unknown } | undefined;
  for (const [k, v] of Object.entries(fields)) {
    if (v === null) {
      copy ??= { ...fields };
      delete copy[k];
      continue;
    }
    const pruned = withoutNulls(v);
    if (pruned !== v) (copy ??= { ...fields })[k] = pruned;
  }
  return (copy ?? value) as T;
}

/** "Kind namespace/name" of an object, for messages. */
/** A networking.k8s.io NetworkPolicy (Calico's projectcalico.org NetworkPolicy has the same kind, other semantics). */
export function isKubernetesNetworkPolicy(obj: ObjectRef): boolean {
  return obj.kind === 'NetworkPolicy' && /^(networking\.k8s\.io|extensions)\//.test(obj.apiVersion);
}

export function describeObject(obj: any): string {
  const ns = obj?.metadata?.namespace;
  return `${obj?.kind} ${ns ? `${ns}/` : ''}${obj?.metadata?.name}`;
}

/** A label-like map with every value as a string; `{}` for anything that is not an object. */
export function stringMap(v: unknown): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = asText(x);
  return out;
}

/** A value as text for names and messages: a string as written, anything else as JSON (never "[object Object]"). */
function asText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}

/** True when `ref` (`{ apiVersion?, kind, name }`, as in `scaleTargetRef`) names `obj`. */
export function refersTo(ref: any, obj: ObjectRef): boolean {
  if (!ref || ref.kind !== obj.kind || ref.name !== obj.name) return false;
  return ref.apiVersion === undefined || ref.apiVersion === obj.apiVersion;
}
