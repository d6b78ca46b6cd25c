/**
 * Bitnami's `commonLabels` and `commonAnnotations` (top-level values, `{}` by default, so the default
 * render is the plain YAML): added to the metadata of every object the chart renders, and
 * `commonLabels` to the labels of the pod templates, a CronJob's job template and a StatefulSet's
 * claim templates too, never to selectors (Kubernetes refuses changing a workload's selector).
 * Kubernetes refuses changing the claim templates of an existing StatefulSet as well, so changed
 * commonLabels fail `helm upgrade` of a release with a StatefulSet that has claim templates: like
 * `persistence.size`, they are for the first install (the value's description and README say so).
 *
 * A key the object (or its pod template) has keeps the object's value, so no map ever gets a key
 * twice. The schema refuses in `commonLabels` the keys selectors use: a pod given such a label could
 * be selected by another workload's selector, and every selector keeps matching exactly the pods it
 * matched. The annotations an object's kind adds (`ingress.annotations`, `service.annotations`,
 * `serviceAccount.annotations`, a claim's `helm.sh/resource-policy`) are written in the same slot,
 * and win over `commonAnnotations`.
 */
import { AnnotationAdditions } from './deriver';
import { STRING_MAP, entriesOf, keyedWith, mapAdd, param } from './slot-kit';
import { KubeObject } from '../../../manifests';
import { ParamSpec, Slot } from '../model/template-model';
import { dottedPath, valuesRef } from '../model/values-paths';
import { INSTANCE_LABEL } from '../release-names';

export const COMMON_LABELS = ['commonLabels'];
export const COMMON_ANNOTATIONS = ['commonAnnotations'];
/** The labels the chart gives every object (`template-plans.ts`) besides the instance label. */
export const CHART_LABEL_KEYS = ['helm.sh/chart', 'app.kubernetes.io/managed-by'];

/** The chart-wide values; `selectorKeys`: the label keys the objects' selectors use (refused in commonLabels). */
export function commonMetadataParams(selectorKeys: Iterable<string>): ParamSpec[] {
  const refused = [...new Set([...selectorKeys, INSTANCE_LABEL])].sort();
  return [
    param(COMMON_LABELS, 'object', {},
      'Labels added to every object of the chart and to its pods (never to selectors); a label an object has keeps its value. Keys a selector uses are refused. '
      + 'They go on StatefulSet volumeClaimTemplates too, which Kubernetes refuses to change: set them at the first install (or delete the StatefulSet with --cascade=orphan before the upgrade)',
      { ...STRING_MAP, propertyNames: { not: { enum: refused } } }),
    param(COMMON_ANNOTATIONS, 'object', {}, 'Annotations added to every object of the chart; an annotation an object has keeps its value', STRING_MAP),
  ];
}

/** `expr` without `keys` (as a Go template expression in parentheses). */
function omitting(expr: string, keys: Iterable<string>): string {
  const list = [...new Set(keys)];
  return list.length === 0 ? expr : `(omit ${expr} ${list.map((k) => JSON.stringify(k)).join(' ')})`;
}

/** The labels a pod template gets besides its plain ones: commonLabels, then its section's `podLabels` (which win). */
export function podLabelAdditions(podLabels: string): string {
  return `(mergeOverwrite (dict) ${valuesRef(COMMON_LABELS)} ${podLabels})`;
}

/** commonLabels lines for a label map (indented by `i`) that has `present` keys: for templates written as text (the helm test pod). */
export function commonLabelLines(i: string, present: readonly string[]): string {
  return entriesOf(i, omitting(valuesRef(COMMON_LABELS), present));
}

/** commonAnnotations lines for an annotation map (indented by `i`) that has `present` keys: for templates written as text. */
export function commonAnnotationLines(i: string, present: readonly string[]): string {
  return entriesOf(i, omitting(valuesRef(COMMON_ANNOTATIONS), present));
}

function keysOf(map: unknown): string[] | undefined {
  return map && typeof map === 'object' && !Array.isArray(map) ? Object.keys(map) : undefined;
}

/**
 * The slots of an object's `metadata.labels` and `metadata.annotations` (`doc`: the planner's copy,
 * which always has labels): commonLabels, and commonAnnotations with the annotations its kind adds.
 */
export function commonMetadataSlots(doc: KubeObject, own: AnnotationAdditions | undefined): Slot[] {
  const labels = keysOf(doc.metadata?.labels) ?? [];
  const labelAdditions = omitting(valuesRef(COMMON_LABELS), [...labels, ...CHART_LABEL_KEYS, INSTANCE_LABEL]);
  const slots: Slot[] = [{ pointer: ['metadata', 'labels', '\u0000common'], placement: 'last', render: { mode: 'line', wrap: (i) => entriesOf(i, labelAdditions) } }];

  slots.push(...nestedLabelSlots(doc));

  const present = keysOf(doc.metadata?.annotations);
  const fixed = own?.fixed ?? [];
  const common = valuesRef(COMMON_ANNOTATIONS);
  const added = omitting(own?.map ? `(mergeOverwrite (dict) ${common} ${own.map})` : common, [...present ?? [], ...fixed.map((f) => f.key)]);
  const lines = (i: string) => [
    ...fixed.map((f) => `${i}{{- with ${f.expr} }}\n${i}${f.key}: {{ . | quote }}\n${i}{{- end }}`),
    entriesOf(i, added),
  ].join('\n');
  const soft = own && own.params.length > 0 ? { params: own.params } : undefined;
  if (present && present.length > 0) {
    slots.push({ pointer: ['metadata', 'annotations', '\u0000common'], placement: 'last', soft, render: { mode: 'line', wrap: lines } });
    return slots;
  }
  // No plain annotations: the field appears only when something goes in it.
  const field = (i: string, prefix: string) => (fixed.length === 0 ? keyedWith(added)(i, prefix) : [
    `${i}{{- if or ${[...fixed.map((f) => f.expr), added].join(' ')} }}`,
    `${i}${prefix.trimEnd()}`,
    lines(`${i}  `),
    `${i}{{- end }}`,
  ].join('\n'));
  slots.push(present
    // `annotations: {}`: the plain text when nothing is added.
    ? { pointer: ['metadata', 'annotations'], soft, render: { mode: 'wrap', wrap: (i, prefix, original) => field(i, prefix).replace(/\n([^\n]*)$/, `\n${i}{{- else }}\n${original}\n$1`) } }
    : { pointer: ['metadata', 'annotations'], placement: 'last', soft, render: { mode: 'line', wrap: (i) => field(i, 'annotations: ') } });
  return slots;
}

/**
 * commonLabels on the label maps of the objects an object holds besides its pods (`pod-values.ts`):
 * a CronJob's job template and a StatefulSet's claim templates. A job template without metadata
 * gets it only when commonLabels has keys.
 */
function nestedLabelSlots(doc: KubeObject): Slot[] {
  const metas: Array<{ ptr: string[]; meta: { readonly [key: string]: unknown } | undefined }> = [];
  if (doc.kind === 'CronJob' && doc.spec?.jobTemplate) metas.push({ ptr: ['spec', 'jobTemplate', 'metadata'], meta: doc.spec.jobTemplate.metadata });
  if (doc.kind === 'StatefulSet') {
    (doc.spec?.volumeClaimTemplates ?? []).forEach((t, i) => metas.push({ ptr: ['spec', 'volumeClaimTemplates', String(i), 'metadata'], meta: t?.metadata }));
  }
  const common = valuesRef(COMMON_LABELS);
  const params = [dottedPath(COMMON_LABELS)];
  return metas.map(({ ptr, meta }) => (meta && typeof meta === 'object' ? mapAdd(meta, ptr, 'labels', common, params) : {
    pointer: ptr,
    placement: 'first',
    soft: { params },
    render: { mode: 'line', wrap: (i: string) => `${i}{{- with ${common} }}\n${i}metadata:\n${i}  labels: {{- toYaml . | nindent ${i.length + 4} }}\n${i}{{- end }}` },
  }));
}
