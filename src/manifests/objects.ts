/** One synthesized object with its identity, read from any plain Kubernetes object. */
export interface ObjectRef {
  /** The object as given (never changed). */
  readonly raw: any;
  readonly apiVersion: string;
  readonly kind: string;
  /** `metadata.name` (or `generateName`, or `<unnamed>`). */
  readonly name: string;
  /** `metadata.namespace`, `''` when unset (then it only matches other objects without a namespace). */
  readonly namespace: string;
  /** `metadata.labels` as strings. */
  readonly labels: { [key: string]: string };
}

/** Reads the identity of a plain object; undefined for anything that is not an object. */
export function objectRef(raw: unknown): ObjectRef | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const o = raw as any;
  return {
    raw: o,
    apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : '',
    kind: String(o.kind),
    name: String(o.metadata?.name ?? o.metadata?.generateName ?? '<unnamed>'),
    namespace: typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : '',
    labels: stringMap(o.metadata?.labels),
  };
}

/** "Kind namespace/name" of an object, for messages. */
export function describeObject(obj: any): string {
  const ns = obj?.metadata?.namespace;
  return `${obj?.kind} ${ns ? `${ns}/` : ''}${obj?.metadata?.name}`;
}

/** A label-like map with every value as a string; `{}` for anything that is not an object. */
export function stringMap(v: unknown): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

/** True when `ref` (`{ apiVersion?, kind, name }`, as in `scaleTargetRef`) names `obj`. */
export function refersTo(ref: any, obj: ObjectRef): boolean {
  if (!ref || ref.kind !== obj.kind || ref.name !== obj.name) return false;
  return ref.apiVersion === undefined || ref.apiVersion === obj.apiVersion;
}
