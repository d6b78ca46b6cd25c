/**
 * Turns a synthesized object plus its slots into template text.
 *
 * Template expressions must come out UNQUOTED (`replicas: "{{ ... }}"` passes helm lint but is not a
 * valid Deployment), and typed L1 objects rewrite JSON patches, so the expressions go into the plain
 * JSON from `toJson()`: each slot's field gets a marker (in a copy of the containers on its path, the
 * object itself is never changed), and the YAML writer (`yaml-text.ts`) writes each marker as its
 * expression while it writes the object. A literal "{{" in the object prints as itself.
 *
 * The merge of the environments renders each object's body once (to compare the environments and
 * to write its file, `files/template-files.ts`).
 */
import { DocPlan, Slot } from './model/template-model';
import { EmitHooks, emitYaml } from './model/yaml-text';
import { describeValue, reportLine, ValidationError } from '../../core/report';

/** A field replaced by a slot; `original` is what the plain object holds there, if anything. */
class Marker {
  constructor(public readonly slot: Slot, public readonly original: { value: unknown } | undefined) {}
}

const HOOKS: EmitHooks = {
  isMarker: (v) => v instanceof Marker,
  lineMode: (v) => v instanceof Marker && (v.slot.render.mode === 'line' || v.slot.render.mode === 'wrap'),
  originalOf: (v) => (v instanceof Marker ? v.original : undefined),
  marker: (v, indent, prefix, original) => {
    const render = (v as Marker).slot.render;
    switch (render.mode) {
      case 'inline':
        return `${indent}${prefix}${render.expr}`;
      case 'block': {
        // Content indentation: the key's column + 2 (a "- " before the key moves the key right by 2).
        const dash = /^(- )+/.exec(prefix)?.[0].length ?? 0;
        const keyed = prefix.slice(dash).length > 0;
        const n = indent.length + dash + (keyed ? 2 : 0);
        return `${indent}${prefix.replace(/ $/, '')} {{- toYaml ${render.ref} | nindent ${n} }}`;
      }
      case 'line':
        return render.wrap(indent, prefix);
      case 'wrap':
        return render.wrap(indent, prefix, original ? original() : '');
    }
  },
};

/** A map or list of the copy (a list is indexed by the string of its index, as JSON pointers do). */
type Container = Record<string, unknown>;

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === 'object';
}

/**
 * Puts a marker for each slot into a copy-on-write view of `doc`: only the containers on a slot's
 * path are copied. A slot whose last segment names a field the object lacks adds it (`placement`).
 */
function markedCopy(plan: DocPlan): unknown {
  const copied = new Set<unknown>();
  const root: Container = { doc: plan.doc };
  copied.add(root);
  const own = (parent: Container, key: string): unknown => {
    const child = parent[key];
    if (child === null || typeof child !== 'object' || copied.has(child)) return child;
    // A list's copy is indexed by the strings of its indexes, as JSON pointers name them.
    const copy = (Array.isArray(child) ? [...child] : { ...child }) as Container;
    parent[key] = copy;
    copied.add(copy);
    return copy;
  };
  for (const slot of plan.slots) {
    let parent = own(root, 'doc');
    const last = slot.pointer.length - 1;
    for (let i = 0; i < last && isContainer(parent); i++) parent = own(parent, slot.pointer[i]);
    if (!isContainer(parent) || parent instanceof Marker) {
      // A field on the slot's way holds no map or list: the object is not of its kind's form.
      const at = slot.pointer.slice(0, -1).join('.');
      throw new ValidationError([reportLine(plan.key, { field: at, value: describeValue(parent), expected: `a map the chart can template /${slot.pointer.join('/')} in` })]);
    }
    const key = slot.pointer[last];
    const has = Object.prototype.hasOwnProperty.call(parent, key);
    const marker = new Marker(slot, has ? { value: parent[key] } : undefined);
    if (Array.isArray(parent)) {
      parent[Number(key)] = marker;
    } else if (!has && slot.placement === 'first') {
      const rest = { ...parent };
      for (const k of Object.keys(parent)) delete parent[k];
      parent[key] = marker;
      Object.assign(parent, rest);
    } else if (has && slot.placement) {
      delete parent[key];
      if (slot.placement === 'first') {
        const rest = { ...parent };
        for (const k of Object.keys(parent)) delete parent[k];
        parent[key] = marker;
        Object.assign(parent, rest);
      } else {
        parent[key] = marker;
      }
    } else {
      parent[key] = marker;
    }
  }
  return root.doc;
}

/** The template text of one object (without the condition around the file or the header). */
export function renderTemplateBody(plan: DocPlan): string {
  return emitYaml(markedCopy(plan), HOOKS, true);
}
