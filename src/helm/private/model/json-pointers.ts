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
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
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
