/**
 * Reading plain JSON: fields by pointer, equality of values, and the key that names an object across
 * environments.
 */
import { KubeObject } from '../../../manifests';

/** Reads the value at a pointer, or undefined. */
export function getAt(doc: unknown, pointer: readonly string[]): unknown {
  let cur = doc;
  for (const seg of pointer) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/**
 * A copy of `doc` with `value` at `pointer`: only the maps and lists on the way are copied (the
 * object itself is never changed); a missing map on the way is made.
 */
export function withFieldAt<T>(doc: T, pointer: readonly string[], value: unknown): T {
  if (pointer.length === 0) return value as T;
  const [head, ...rest] = pointer;
  const holder = doc !== null && typeof doc === 'object' ? doc as unknown as Record<string, unknown> : {};
  const copy: Record<string, unknown> = Array.isArray(holder) ? [...holder] as unknown as Record<string, unknown> : { ...holder };
  copy[head] = withFieldAt(holder[head], rest, value);
  return copy as unknown as T;
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
  // Plain data compares field by field; anything else (undefined, NaN, class instances) as JSON text.
  return plainEqual(a, b) ?? JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Equality of plain JSON data (strings, finite numbers, booleans, null, arrays, plain objects),
 * as their canonical JSON text would tell; undefined when either holds anything else.
 */
function plainEqual(a: unknown, b: unknown): boolean | undefined {
  const kind = plainKind(a);
  if (kind === undefined || plainKind(b) === undefined) return undefined;
  if (kind !== plainKind(b)) return false;
  if (kind === 'array') {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return plainItems(x) && plainItems(y) ? false : undefined;
    let equal = true;
    for (let i = 0; i < x.length; i++) {
      const e = plainEqual(x[i], y[i]);
      if (e === undefined) return undefined;
      equal &&= e;
    }
    return equal;
  }
  if (kind === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const keys = Object.keys(x);
    let equal = keys.length === Object.keys(y).length;
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(y, k)) {
        equal = false;
        if (plainEqual(x[k], x[k]) === undefined) return undefined;
        continue;
      }
      const e = plainEqual(x[k], y[k]);
      if (e === undefined) return undefined;
      equal &&= e;
    }
    if (!equal) for (const k of Object.keys(y)) if (plainEqual(y[k], y[k]) === undefined) return undefined;
    return equal;
  }
  return a === b;
}

function plainItems(list: unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (plainEqual(list[i], list[i]) === undefined) return false;
  return true;
}

/** The kind of a plain JSON value, undefined for anything else. */
function plainKind(v: unknown): 'array' | 'object' | 'string' | 'number' | 'boolean' | 'null' | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    case 'number': return Number.isFinite(v) ? 'number' : undefined;
    case 'object': {
      if (Array.isArray(v)) return 'array';
      const proto = Object.getPrototypeOf(v);
      return proto === Object.prototype || proto === null ? 'object' : undefined;
    }
    default: return undefined;
  }
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const map = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(map).sort().map((k) => [k, canonical(map[k])]));
  }
  return v;
}

/** "Kind namespace/name" of a `Kind/namespace/name` key, for messages. */
export function describeKey(key: string): string {
  const [kind, namespace, ...name] = key.split('/');
  return `${kind} ${namespace ? `${namespace}/` : ''}${name.join('/')}`;
}

/** `Kind/namespace/name` of an object: how the environments find the same object. */
export function docKey(doc: KubeObject | undefined): string {
  return `${doc?.kind}/${doc?.metadata?.namespace ?? ''}/${doc?.metadata?.name}`;
}
