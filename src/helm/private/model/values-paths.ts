/**
 * How templates name values: `.Values.a.b` references, the dotted form of `--set`, the expression
 * that prints a value of a type, and the camelCase keys values are made of.
 */
import { ParamType, Slot } from './template-model';

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
