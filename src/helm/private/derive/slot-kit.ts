/**
 * Slots for the standard values that add to what the plain object holds, all with empty defaults
 * (so the default render is the plain object): a list value is appended to the plain list, a map
 * value adds the keys the plain map lacks, a whole-field value replaces the plain field only when set.
 * Each is `soft`: a ValueParameter the user binds at or inside the field takes precedence.
 */
import { ParamSpec, Slot } from '../model/template-model';

/** Schema of a map of strings (labels, annotations, nodeSelector). */
export const STRING_MAP = { additionalProperties: { type: 'string' } };
/** Schema of the items of a list of objects. */
export const OBJECT_ITEMS = { type: 'object' };

/** A value with its description and further schema keywords. */
export function param(path: string[], type: ParamSpec['type'], value: unknown, description: string, schema?: Record<string, unknown>): ParamSpec {
  return { path, type, value, description, schema };
}

/** A plain field of the object that a slot reads (a list, a map, any value), whatever the object's kind. */
type Parent = { readonly [key: string]: unknown } | undefined;

function soft(params: readonly string[]): Slot['soft'] {
  return { params };
}

/** The entries (or items) of `expr`, indented by `i`, added to a map (or list) the plain object has, while `expr` is not empty. */
export function entriesOf(i: string, expr: string): string {
  return `${i}{{- with ${expr} }}\n${i}{{- toYaml . | nindent ${i.length} }}\n${i}{{- end }}`;
}

/** `<key>: <toYaml of expr>` while `expr` is not empty, as the lines of a field the plain object lacks. */
export function keyedWith(expr: string): (indent: string, prefix: string) => string {
  return (i, prefix) => `${i}{{- with ${expr} }}\n${i}${prefix.trimEnd()} {{- toYaml . | nindent ${i.length + 2 + (prefix.startsWith('- ') ? 2 : 0)} }}\n${i}{{- end }}`;
}

/**
 * The list `parent[key]` (at `parentPtr`) followed by the items of `listExpr`; the field appears when
 * the plain object lacks it and the value has items.
 */
export function listAppend(parent: Parent, parentPtr: string[], key: string, listExpr: string, params: readonly string[]): Slot {
  const list = parent?.[key];
  if (Array.isArray(list) && list.length > 0) {
    return {
      pointer: [...parentPtr, key, String(list.length)],
      soft: soft(params),
      render: { mode: 'line', wrap: (i) => entriesOf(i, listExpr) },
    };
  }
  if (Array.isArray(list)) {
    return {
      pointer: [...parentPtr, key],
      soft: soft(params),
      render: { mode: 'wrap', wrap: (i, prefix, original) => `${keyedWith(listExpr)(i, prefix).replace(/\n([^\n]*)$/, `\n${i}{{- else }}\n${original}\n$1`)}` },
    };
  }
  return { pointer: [...parentPtr, key], placement: 'last', soft: soft(params), render: { mode: 'line', wrap: keyedWith(listExpr) } };
}

/**
 * The map `parent[key]` plus the keys of `mapExpr` it lacks (a plain key keeps its plain value); the
 * field appears when the plain object lacks it and the value has keys. `extra` lines (already
 * indented by the caller's indent + 2) come first among the added keys.
 */
export function mapAdd(
  parent: Parent, parentPtr: string[], key: string, mapExpr: string, params: readonly string[], extra?: (inner: string) => string,
): Slot {
  const map = parent?.[key];
  const present = map && typeof map === 'object' && !Array.isArray(map) ? Object.keys(map) : undefined;
  if (present && present.length > 0) {
    const omit = `omit ${mapExpr} ${present.map((k) => JSON.stringify(k)).join(' ')}`;
    return {
      pointer: [...parentPtr, key, `\u0000add ${mapExpr}`],
      placement: 'last',
      soft: soft(params),
      render: {
        mode: 'line',
        wrap: (i) => `${extra ? `${extra(i)}\n` : ''}${entriesOf(i, omit)}`,
      },
    };
  }
  const withKeys = keyedWith(mapExpr);
  const render = (i: string, prefix: string) => {
    if (!extra) return withKeys(i, prefix);
    const inner = `${i}  `;
    return `${i}${prefix.trimEnd()}\n${extra(inner)}\n${entriesOf(inner, mapExpr)}`;
  };
  if (present) {
    return {
      pointer: [...parentPtr, key],
      soft: soft(params),
      render: { mode: 'wrap', wrap: (i, prefix, original) => (extra ? render(i, prefix) : `${withKeys(i, prefix).replace(/\n([^\n]*)$/, `\n${i}{{- else }}\n${original}\n$1`)}`) },
    };
  }
  return { pointer: [...parentPtr, key], placement: 'last', soft: soft(params), render: { mode: 'line', wrap: render } };
}

/** The field `parent[key]` replaced by the value `expr` while it is set (not empty); else the plain field, if any. */
export function replaceWhenSet(parent: Parent, parentPtr: string[], key: string, expr: string, params: readonly string[], scalar = false): Slot {
  const value = (i: string, prefix: string) => (scalar
    ? `${i}${prefix}{{ . | quote }}`
    : `${i}${prefix.trimEnd()} {{- toYaml . | nindent ${i.length + 2} }}`);
  if (parent && Object.prototype.hasOwnProperty.call(parent, key)) {
    return {
      pointer: [...parentPtr, key],
      soft: soft(params),
      render: { mode: 'wrap', wrap: (i, prefix, original) => `${i}{{- with ${expr} }}\n${value(i, prefix)}\n${i}{{- else }}\n${original}\n${i}{{- end }}` },
    };
  }
  return {
    pointer: [...parentPtr, key],
    placement: 'last',
    soft: soft(params),
    render: { mode: 'line', wrap: (i, prefix) => `${i}{{- with ${expr} }}\n${value(i, prefix)}\n${i}{{- end }}` },
  };
}
