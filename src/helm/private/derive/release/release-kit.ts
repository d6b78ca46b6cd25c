/**
 * The pieces release-awareness is made of (`release-slots.ts`): a name that follows the release, an
 * instance label that follows it (or that a release other than the plain one adds), and the pods of
 * the chart a selector selects.
 */
import { PodTemplateRef, Selector, StringMap } from '../../../../manifests';
import { Slot } from '../../model/template-model';
import { valuesRef } from '../../model/values-paths';
import { INSTANCE_LABEL } from '../../release-names';
import { ReleaseContext } from '../deriver';

/** The label that holds a Namespace's name (what a namespaceSelector names it by). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A slot that prints `expr` in place of the field at `pointer`. */
export function inline(pointer: string[], expr: string): Slot {
  return { pointer, render: { mode: 'inline', expr } };
}

/** The name slot of a reference to `name` (of `kind`) at `pointer`, if the release makes that object. */
export function nameRef(ctx: ReleaseContext, pointer: string[], name: unknown, kind?: string): Slot[] {
  return typeof name === 'string' && ctx.release.has(name, kind) ? [inline(pointer, ctx.release.text(name, kind))] : [];
}

/**
 * Go expression of a value that names an object (`tls.secretName`): when the release makes the
 * object `plain` names, the value's default follows the release; any other name is used as written.
 */
export function nameValueExpr(ctx: ReleaseContext, path: string[], plain: string, kind?: string): string {
  const ref = valuesRef(path);
  if (!ctx.release.has(plain, kind)) return ref;
  return `ternary (${ctx.release.expr(plain, kind)}) ${ref} (eq ${ref} ${JSON.stringify(plain)})`;
}

/** The instance label of selected pods (if they carry one). */
function podsInstance(pods: readonly PodTemplateRef[]): string | undefined {
  return pods.map((p) => p.labels[INSTANCE_LABEL]).find((v) => v !== undefined);
}

function addedInstance(ctx: ReleaseContext, pointer: string[], expr?: string): Slot {
  return {
    pointer,
    placement: 'last',
    render: {
      mode: 'line',
      wrap: (indent) => (expr === undefined ? ctx.release.addedInstanceLine(indent)
        : `${indent}{{- if not $plain }}\n${indent}${INSTANCE_LABEL}: {{ ${expr} | quote }}\n${indent}{{- end }}`),
    },
  };
}

/** The entries of a label or selector map that a release other than the plain one prints from its name (`isolated-labels.ts`). */
function isolatedSlots(ctx: ReleaseContext, map: Selector | StringMap, pointer: string[]): Slot[] {
  const slots: Slot[] = [];
  for (const [key, value] of Object.entries(map)) {
    const text = ctx.release.isolatedLabelText(key, value);
    if (text !== undefined) slots.push(inline([...pointer, key], text));
  }
  return slots;
}

/**
 * A selector map (`matchLabels`, a Service's `selector`) at `pointer` that selects `pods`: its
 * instance label follows the release, or a release other than the plain one adds one; the entries
 * the plain release selects by alone follow the release name.
 */
export function selectorSlots(
  ctx: ReleaseContext, map: Selector | StringMap | undefined, pointer: string[], pods: readonly PodTemplateRef[],
): Slot[] {
  if (!map || typeof map !== 'object' || Object.keys(map).length === 0 || pods.length === 0) return [];
  const isolated = isolatedSlots(ctx, map, pointer);
  const own = map[INSTANCE_LABEL];
  if (typeof own === 'string') return [inline([...pointer, INSTANCE_LABEL], ctx.release.instanceText(own)), ...isolated];
  const value = podsInstance(pods);
  const expr = value !== undefined ? ctx.release.instanceExpr(value) : undefined;
  return [addedInstance(ctx, [...pointer, INSTANCE_LABEL], expr), ...isolated];
}

/**
 * The instance label of a label map at `pointer`: it follows the release; `add`: a release other than
 * the plain one adds it. The labels the plain release selects by alone follow the release name.
 */
export function labelMapSlots(ctx: ReleaseContext, labels: StringMap | undefined, pointer: string[], add: boolean): Slot[] {
  if (!labels || typeof labels !== 'object') return [];
  const isolated = isolatedSlots(ctx, labels, pointer);
  const own = labels[INSTANCE_LABEL];
  if (typeof own === 'string') return [inline([...pointer, INSTANCE_LABEL], ctx.release.instanceText(own)), ...isolated];
  return add ? [addedInstance(ctx, [...pointer, INSTANCE_LABEL]), ...isolated] : isolated;
}

/** Pods of the chart in the object's namespace a LabelSelector's matchLabels select. */
export function podsOf(ctx: ReleaseContext, selector: Selector | undefined, namespace: string): PodTemplateRef[] {
  const ml = selector?.matchLabels;
  if (!ml || Object.keys(ml).length === 0) return [];
  return ctx.layout.set.podsMatching(selector, namespace);
}

/** Where a peer's or term's pods are: `namespaces` or a `namespaceSelector` (none: the object's own namespace). */
interface NamespacedHolder {
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: Selector;
}

/** A peer's or term's pods are in the object's own namespace (no namespaceSelector, or one naming it). */
export function ownNamespace(ctx: ReleaseContext, holder: NamespacedHolder | undefined): boolean {
  if (Array.isArray(holder?.namespaces) && holder.namespaces.length > 0) return holder.namespaces.every((n) => ctx.layout.namespaces.has(n));
  const sel = holder?.namespaceSelector;
  if (sel === undefined) return true;
  const name = sel?.matchLabels?.[NAMESPACE_NAME_LABEL];
  return typeof name === 'string' && ctx.layout.namespaces.has(name);
}
