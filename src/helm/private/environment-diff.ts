/**
 * Why one object cannot be one template for two environments, said as the user's fields: the JSON
 * pointers where the environments' objects differ outside the chart's values, with both values.
 *
 * A field is a value when a slot of both environments' plans prints a value there (`.Values` in its
 * text). A field whose slot keeps the plain text around the value (a list the values append to, a
 * field the values replace only when set) is compared inside, as are the names release-awareness
 * prints: the environments must agree on them.
 */
import { docKey, getAt } from './model/json-pointers';
import { DocPlan, Slot } from './model/template-model';
import { KubeObject } from '../../manifests';

/** A field where two environments' objects differ: its JSON pointer (RFC 6901) and both values (undefined: the object lacks it). */
export interface FieldDifference {
  readonly pointer: string;
  readonly ours: unknown;
  readonly theirs: unknown;
}

/** The text a slot prints, to tell a value's slot from release-awareness (which prints names, never values). */
function slotText(slot: Slot): string {
  switch (slot.render.mode) {
    case 'inline': return slot.render.expr;
    case 'block': return slot.render.ref;
    case 'line': return slot.render.wrap('', '');
    case 'wrap': return '';
  }
}

/** The pointers (joined by "/") a plan's slots print a value at, in place of the plain field. */
function valuePointers(plan: DocPlan): Set<string> {
  return new Set(plan.slots.filter((s) => slotText(s).includes('.Values')).map((s) => s.pointer.join('/')));
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The fields where the objects of two plans differ and no slot of both prints a value: maps are
 * compared key by key, lists of one length item by item, anything else (a list of another length, a
 * field one lacks) as a whole.
 */
export function fieldDifferences(ours: DocPlan, theirs: DocPlan): FieldDifference[] {
  const a = valuePointers(ours);
  const b = valuePointers(theirs);
  const covered = (path: string[]) => {
    for (let n = 1; n <= path.length; n++) {
      const at = path.slice(0, n).join('/');
      if (a.has(at) && b.has(at)) return true;
    }
    return false;
  };
  return differences(ours.doc, theirs.doc, covered);
}

/** The fields where two objects differ (JSON pointers), `skip` left out. */
function differences(ours: unknown, theirs: unknown, skip: (path: string[]) => boolean): FieldDifference[] {
  const out: FieldDifference[] = [];
  const walk = (x: unknown, y: unknown, path: string[]) => {
    if (path.length > 0 && skip(path)) return;
    if (isMap(x) && isMap(y)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk(x[k], y[k], [...path, k]);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
      x.forEach((item, i) => walk(item, y[i], [...path, String(i)]));
      return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ pointer: pointerText(path), ours: x, theirs: y });
  };
  walk(ours, theirs, []);
  return out;
}

/**
 * The fields (JSON pointers) where the environments' versions of each object differ, by
 * `Kind/namespace/name`: what a value must hold for one template to render each of them.
 */
export class EnvironmentDifferences {
  private readonly byKey = new Map<string, string[]>();
  /** Every environment's version of each object. */
  private readonly versions = new Map<string, KubeObject[]>();

  constructor(environments: readonly (readonly KubeObject[])[]) {
    const first = new Map<string, KubeObject>();
    for (const docs of environments) {
      for (const d of docs) {
        const key = docKey(d);
        this.versions.set(key, [...this.versions.get(key) ?? [], d]);
        const seen = first.get(key);
        if (!seen) {
          first.set(key, d);
          continue;
        }
        const found = differences(seen, d, () => false).map((x) => x.pointer);
        if (found.length > 0) this.byKey.set(key, [...this.byKey.get(key) ?? [], ...found]);
      }
    }
  }

  /** Whether the environments' versions of `doc` differ at `pointer` or inside it (or in a field that holds it). */
  public varies(doc: KubeObject, pointer: readonly string[]): boolean {
    const at = pointerText(pointer);
    return (this.byKey.get(docKey(doc)) ?? []).some((p) => p === at || p.startsWith(`${at}/`) || at.startsWith(`${p}/`));
  }

  /** Whether every environment's version of `doc` holds equal values at two fields (both lacking them counts as equal). */
  public agree(doc: KubeObject, a: readonly string[], b: readonly string[]): boolean {
    return (this.versions.get(docKey(doc)) ?? [doc]).every((d) => JSON.stringify(getAt(d, [...a])) === JSON.stringify(getAt(d, [...b])));
  }
}

/** The text every kind of slot prints, the plain text around it left out. */
function fullText(slot: Slot): string {
  return slot.render.mode === 'wrap' ? slot.render.wrap('', '', '') : slotText(slot);
}

function pointerText(path: readonly string[]): string {
  return `/${path.map(escape).join('/')}`;
}

/**
 * The fields two plans template differently though their objects agree there (a name one
 * environment's release makes and the other's does not, a field one makes a value of): their JSON
 * pointers, in the order of the first plan's slots.
 */
export function templatedDifferently(ours: DocPlan, theirs: DocPlan): string[] {
  const texts = (plan: DocPlan) => new Map(plan.slots.map((s) => [pointerText(s.pointer), fullText(s)]));
  const a = texts(ours);
  const b = texts(theirs);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
}

/** The value at a JSON pointer of `fieldDifferences` in a plain object. */
export function valueAtPointer(doc: unknown, pointer: string): unknown {
  const segments = pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  return getAt(doc, segments);
}
