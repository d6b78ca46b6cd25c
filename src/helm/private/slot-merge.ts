/**
 * The slots of one object come from five sources, in this order of precedence: the user's
 * ValueParameter bindings, the standard values of its kind (its deriver), the labels that follow
 * values (`derive/labels.ts`), release-awareness (names, references, instance labels, namespaces,
 * DNS names) and the chart's own labels. A standard slot marked `soft` gives way to a binding at or
 * inside its field (with its values); any other clash with a binding is reported. A release slot
 * inside a field another source templates is dropped, except inside a field that is wrapped (its
 * plain text kept as the fallback).
 */
import { ObjectBinding, ParameterRecord } from './construct-metadata';
import { describeValue } from '../../core/report';
import { KubeObject } from '../../manifests';
import { describeKey, getAt, parsePointer } from './model/json-pointers';
import { ChartProblem, Slot } from './model/template-model';
import { valueSlot } from './model/values-paths';

/** A slot of a user's binding, with the binding (where a problem with it is reported). */
export interface UserSlot {
  readonly slot: Slot;
  readonly binding: ObjectBinding;
}

/** The slots of the bindings of one object (`doc`, with every field the plain object has). */
export function userSlots(
  parameters: readonly ParameterRecord[], bindings: readonly ObjectBinding[], doc: KubeObject, problems: ChartProblem[],
): UserSlot[] {
  const slots: UserSlot[] = [];
  for (const b of bindings) {
    const param = parameters.find((p) => p.parameterName === b.parameterName);
    const pointer = parsePointer(b.jsonPointer);
    if (!param || !pointer) continue; // ValueParameter's own validation reports these.
    const parent = getAt(doc, pointer.slice(0, -1));
    if (parent === null || typeof parent !== 'object') {
      problems.push({
        path: b.constructPath,
        field: 'bind(jsonPointer)',
        value: describeValue(b.jsonPointer),
        expected: `a field of ${describeKey(b.objectKey)} whose parent exists in every environment`,
      });
      continue;
    }
    slots.push({ slot: valueSlot(pointer, param.parameterName.split('.'), param.parameterType), binding: b });
  }
  return slots;
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `inner` lies strictly inside `outer`'s field. */
function inside(inner: readonly string[], outer: readonly string[]): boolean {
  return inner.length > outer.length && overlaps(inner, outer);
}

/** The slots of one object, by source (see the file comment). */
export interface SlotSources {
  readonly user: readonly UserSlot[];
  readonly derived: readonly Slot[];
  readonly links: readonly Slot[];
  readonly release: readonly Slot[];
  readonly common: readonly Slot[];
}

/** The merged slots, and the (dotted) values of soft slots that gave way to a binding. */
export interface MergedSlots {
  readonly slots: Slot[];
  readonly dropped: ReadonlySet<string>;
}

/** Merges the slot sources by precedence (see the file comment); wrapped fields come last, after the slots inside them. */
export function mergeSlots(src: SlotSources, problems: ChartProblem[]): MergedSlots {
  const dropped = new Set<string>();
  const derived: Slot[] = [];
  for (const d of src.derived) {
    const clash = src.user.find((u) => overlaps(u.slot.pointer, d.pointer));
    if (clash && d.soft) d.soft.params.forEach((p) => dropped.add(p));
    else derived.push(d);
  }
  const kept: Slot[] = [];
  for (const { slot: u, binding } of src.user) {
    const clash = derived.find((s) => overlaps(s.pointer, u.pointer));
    const twice = kept.find((s) => overlaps(s.pointer, u.pointer));
    const at = { path: binding.constructPath, field: 'bind(jsonPointer)', value: describeValue(binding.jsonPointer) };
    if (clash) {
      problems.push({ ...at, expected: `a field of ${describeKey(binding.objectKey)} the chart does not template: /${clash.pointer.join('/')} is a standard value of the chart; bind another field` });
    } else if (twice) {
      problems.push({ ...at, expected: `a field no other parameter is bound to: it overlaps /${twice.pointer.join('/')} of ${describeKey(binding.objectKey)}` });
    } else {
      kept.push(u);
    }
  }
  const taken = [...kept, ...derived];
  // A label the user bound stays theirs: its link to a standard value is dropped.
  const links = src.links.filter((l) => !kept.some((u) => overlaps(u.pointer, l.pointer)));
  taken.push(...links);
  const free = (s: Slot) => !taken.some((t) => overlaps(t.pointer, s.pointer) && !(t.render.mode === 'wrap' && inside(s.pointer, t.pointer)));
  const seen = new Set<string>();
  for (const s of [...src.release, ...src.common]) {
    const id = s.pointer.join('\u0001');
    if (seen.has(id) || !free(s)) continue;
    seen.add(id);
    taken.push(s);
  }
  const ordered = [...taken.filter((s) => s.render.mode !== 'wrap'), ...taken.filter((s) => s.render.mode === 'wrap').sort((a, b) => b.pointer.length - a.pointer.length)];
  return { slots: ordered, dropped };
}
