/**
 * Release-awareness of any object by reading it generically: the kinds the chart does not know
 * (CRDs such as cert-manager's, ServiceMonitors, RBAC) and the text of every object.
 *
 * - Every `name`, `*Name` and `*Names` field outside `metadata` that holds the name of an object the
 *   release makes follows the release; every `matchLabels` that selects the chart's pods (or the
 *   Services that select them) gets the instance label; every `namespace`, `namespaces` or
 *   `matchNames` field that holds the objects' namespace becomes the release namespace.
 * - Every string of any object (outside its name, namespace and labels) that names a Service of the
 *   chart by its in-cluster DNS name follows the release name and namespace (`dns.ts`).
 */
import { inline, labelMapSlots, podsOf, selectorSlots } from './release-kit';
import { JsonObject, KubeObject, PodTemplateRef, StringMap, labelSelectorMatches } from '../../../../manifests';
import { Slot } from '../../model/template-model';
import { ReleaseContext } from '../deriver';

function isRecord(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Pods of the chart a generic `matchLabels` selects, or the pods of the Services it selects (a ServiceMonitor). */
function selectedThings(ctx: ReleaseContext, matchLabels: StringMap, namespace: string): PodTemplateRef[] {
  const selector = { matchLabels };
  const pods = podsOf(ctx, selector, namespace);
  if (pods.length > 0) return pods;
  for (const svc of ctx.layout.set.ofKind('Service')) {
    if (Object.keys(matchLabels).length > 0 && labelSelectorMatches(selector, svc.labels)) {
      const selected = ctx.layout.set.podsSelectedByMap((svc.raw as KubeObject).spec?.selector, svc.namespace);
      if (selected.length > 0) return selected;
    }
  }
  return [];
}

/** The generic reading of an object of a kind the chart does not know (see the file comment). */
export function genericSlots(ctx: ReleaseContext, doc: KubeObject, namespace: string): Slot[] {
  const slots: Slot[] = [];
  const walk = (v: unknown, pointer: string[], key: string): void => {
    if (Array.isArray(v)) {
      v.forEach((x: unknown, i) => {
        const p = [...pointer, String(i)];
        if (typeof x === 'string') {
          // Namespace lists first: `matchNames` also ends in "Names", and a namespace may share an object's name.
          if (key === 'namespaces' || key === 'matchNames') {
            if (ctx.layout.namespaces.has(x)) slots.push(inline(p, '{{ $.Release.Namespace }}'));
          } else if (/Names$/.test(key) && ctx.release.has(x)) {
            slots.push(inline(p, ctx.release.text(x)));
          }
        } else {
          walk(x, p, key);
        }
      });
      return;
    }
    if (!isRecord(v)) return;
    for (const [k, x] of Object.entries(v)) {
      const p = [...pointer, k];
      if (typeof x === 'string') {
        if ((k === 'name' || /Name$/.test(k)) && ctx.release.has(x)) slots.push(inline(p, ctx.release.text(x)));
        else if (k === 'namespace' && ctx.layout.namespaces.has(x)) slots.push(inline(p, '{{ $.Release.Namespace }}'));
      } else if (k === 'matchLabels' && isRecord(x)) {
        const labels = x as StringMap;
        slots.push(...selectorSlots(ctx, labels, p, selectedThings(ctx, labels, namespace)));
      } else if (k === 'metadata') {
        // The object's own metadata is read by releaseSlots; a nested one (a template) has labels.
        const labels = isRecord(x) && isRecord(x.labels) ? x.labels as StringMap : undefined;
        if (pointer.length > 0) slots.push(...labelMapSlots(ctx, labels, [...p, 'labels'], false));
      } else {
        walk(x, p, k);
      }
    }
  };
  walk(doc, [], '');
  return slots;
}

/** Every string of the object (outside its name, namespace and labels) that names a Service of the chart. */
export function dnsSlots(ctx: ReleaseContext, doc: KubeObject): Slot[] {
  const slots: Slot[] = [];
  if (ctx.dns.empty) return slots;
  // One pointer, grown and shrunk on the way, copied only for a slot: this walks every field of every object.
  const pointer: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const parts = v.length > 3 && ctx.dns.scan(v);
      if (parts) slots.push(inline([...pointer], `{{ ${ctx.dns.expr(parts)} | quote }}`));
      return;
    }
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((x: unknown, i) => {
        pointer.push(String(i));
        walk(x);
        pointer.pop();
      });
      return;
    }
    const fields = v as { [key: string]: unknown };
    for (const k of Object.keys(fields)) {
      if (pointer.length === 1 && pointer[0] === 'metadata' && k !== 'annotations') continue;
      if (k === 'labels' || k === 'matchLabels' || k === 'selector') continue;
      pointer.push(k);
      walk(fields[k]);
      pointer.pop();
    }
  };
  walk(doc);
  return slots;
}
