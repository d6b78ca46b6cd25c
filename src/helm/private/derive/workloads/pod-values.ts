/**
 * The standard values of a workload's pods (`helm create` and Bitnami), per workload section, all
 * empty by default so the default render is the plain YAML:
 * `nodeSelector`, `tolerations`, `affinity` (and `podAntiAffinityPreset`, `affinity.ts`), `topologySpreadConstraints`, `podAnnotations`, `podLabels`,
 * `imagePullSecrets` (with `global.imagePullSecrets`), `priorityClassName`, `serviceAccount.*`,
 * `extraEnvVars`, `extraVolumes` and `extraVolumeMounts` (the first container), and the
 * `checksum/config` annotation of the ConfigMaps the pods read, so a changed value rolls the pods.
 */
import { createHash } from 'crypto';
import { affinityValues } from './affinity';
import { serviceAccountValues } from './service-account';
import { ContainerShape, KubeObject, ObjectMeta, PodSpecShape, PodTemplateRef, referencedNames } from '../../../../manifests';
import { getAt, pointerOf } from '../../model/json-pointers';
import { ParamSpec, Slot } from '../../model/template-model';
import { dottedPath, valuesRef } from '../../model/values-paths';
import { INSTANCE_LABEL } from '../../release-names';
import { podLabelAdditions } from '../common-metadata';
import { Derivation, ReleaseContext } from '../deriver';
import { OBJECT_ITEMS, STRING_MAP, listAppend, mapAdd, param, replaceWhenSet } from '../slot-kit';

/** Name of the checksum annotation (as Helm's docs name it). */
export const CHECKSUM_ANNOTATION = 'checksum/config';

/** The checksum expression of the chart's ConfigMaps a pod reads: their static text and their values. */
function checksumExpr(ctx: ReleaseContext, pod: PodTemplateRef): string | undefined {
  const names = referencedNames(pod.spec, 'ConfigMap');
  const maps = ctx.layout.set.named('ConfigMap', names, pod.obj.namespace).filter((c) => ctx.release.has(c.name, 'ConfigMap'));
  if (maps.length === 0) return undefined;
  // What is not a value: the entry names and the binary data (the same in every environment).
  const docs = maps.map((m) => m.raw as KubeObject);
  const fixed = createHash('sha256').update(JSON.stringify(docs.map((m) => [m.metadata?.name, Object.keys(m.data ?? {}), m.binaryData ?? {}]))).digest('hex');
  const refs = docs.filter((m) => Object.values(m.data ?? {}).some((v) => typeof v === 'string')).map((m) => valuesRef(ctx.layout.valuesOf(m).prefix));
  return refs.length === 0 ? JSON.stringify(fixed) : `print ${JSON.stringify(fixed)} (toJson (list ${refs.join(' ')})) | sha256sum`;
}

/** The pod values of a workload (section `p`) and their slots. */
export function podValues(ctx: ReleaseContext, doc: KubeObject, pod: PodTemplateRef, p: string[]): Derivation {
  const spec: PodSpecShape = pod.spec;
  const meta: ObjectMeta = pod.meta;
  const specPtr = pointerOf(pod.specPath);
  const metaPtr = pointerOf(pod.metaPath);
  const v = (k: string) => valuesRef([...p, k]);
  const d = (k: string) => dottedPath([...p, k]);
  const affinity = affinityValues(ctx, doc, spec, specPtr, p);
  // Pod annotations that differ between environments (scrape annotations where a cluster has no
  // Prometheus operator) are each environment's `podAnnotations`: the template holds none of them.
  const annotationsPtr = [...metaPtr, 'annotations'];
  const annotationsVary = getAt(doc, metaPtr) !== undefined && ctx.varies(doc, annotationsPtr);
  const params: ParamSpec[] = [
    param([...p, 'nodeSelector'], 'object', {}, 'Node labels the pods must run on, added to the plain ones', STRING_MAP),
    param([...p, 'tolerations'], 'array', [], 'Tolerations of the pods, after the plain ones', { items: OBJECT_ITEMS }),
    ...affinity.params,
    param([...p, 'topologySpreadConstraints'], 'array', [], 'Topology spread constraints of the pods, after the plain ones', { items: OBJECT_ITEMS }),
    annotationsVary
      ? param([...p, 'podAnnotations'], 'object', { ...meta.annotations }, 'Annotations of the pods (each values file holds its environment\'s)', STRING_MAP)
      : param([...p, 'podAnnotations'], 'object', {}, 'Annotations of the pods, added to the plain ones', STRING_MAP),
    param([...p, 'podLabels'], 'object', {}, 'Labels of the pods, added to the plain ones (which keep their values: selectors use them)', STRING_MAP),
    param([...p, 'imagePullSecrets'], 'array', [], 'Secrets ({name: ...}) the pods pull images with, after the plain ones and global.imagePullSecrets', { items: pullSecretItem() }),
    param([...p, 'priorityClassName'], 'string', '', 'PriorityClass of the pods; empty: the plain one'),
  ];
  const slots: Slot[] = [
    mapAdd(spec, specPtr, 'nodeSelector', v('nodeSelector'), [d('nodeSelector')]),
    listAppend(spec, specPtr, 'tolerations', v('tolerations'), [d('tolerations')]),
    ...affinity.slots,
    listAppend(spec, specPtr, 'topologySpreadConstraints', v('topologySpreadConstraints'), [d('topologySpreadConstraints')]),
    listAppend(spec, specPtr, 'imagePullSecrets', `concat .Values.global.imagePullSecrets ${v('imagePullSecrets')}`, [d('imagePullSecrets')]),
    replaceWhenSet(spec, specPtr, 'priorityClassName', v('priorityClassName'), [d('priorityClassName')], true),
  ];
  const checksum = checksumExpr(ctx, pod);
  const checksumLine = checksum ? (i: string) => `${i}${CHECKSUM_ANNOTATION}: {{ ${checksum} }}` : undefined;
  // commonLabels too (Bitnami), podLabels winning: one expression, so no key is written twice.
  const podLabels = `(omit ${podLabelAdditions(v('podLabels'))} ${JSON.stringify(INSTANCE_LABEL)})`;
  const podAnnotations = `(omit ${v('podAnnotations')} ${JSON.stringify(CHECKSUM_ANNOTATION)})`;
  if (getAt(doc, metaPtr) === undefined) {
    // A pod template without metadata (a Job's): the whole block appears only when something goes in it.
    slots.push(podMetadataSlot(ctx, metaPtr, podLabels, podAnnotations, checksumLine, [d('podLabels'), d('podAnnotations')]));
  } else {
    slots.push(
      mapAdd(meta, metaPtr, 'labels', podLabels, [d('podLabels')]),
      mapAdd(annotationsVary ? { ...meta, annotations: undefined } : meta, metaPtr, 'annotations', podAnnotations, [d('podAnnotations')], checksumLine),
    );
  }

  const container: ContainerShape | undefined = spec.containers?.[0];
  if (container && typeof container === 'object') {
    const cPtr = [...specPtr, 'containers', '0'];
    params.push(
      param([...p, 'extraEnvVars'], 'array', [], 'Environment variables ({name, value} or {name, valueFrom}) of the first container, after the plain ones',
        { items: { type: 'object', required: ['name'] } }),
      param([...p, 'extraVolumeMounts'], 'array', [], 'Volume mounts of the first container, after the plain ones', { items: OBJECT_ITEMS }),
    );
    slots.push(
      listAppend(container, cPtr, 'env', v('extraEnvVars'), [d('extraEnvVars')]),
      listAppend(container, cPtr, 'volumeMounts', v('extraVolumeMounts'), [d('extraVolumeMounts')]),
    );
  }
  params.push(param([...p, 'extraVolumes'], 'array', [], 'Volumes of the pods, after the plain ones (for extraVolumeMounts)', { items: OBJECT_ITEMS }));
  slots.push(listAppend(spec, specPtr, 'volumes', v('extraVolumes'), [d('extraVolumes')]));
  const sa = serviceAccountValues(ctx, doc, pod, p);
  const fields = [...affinity.fields ?? [], ...annotationsVary ? [{ pointer: annotationsPtr, value: undefined }] : []];
  return { slots: [...slots, ...sa.slots], params: [...params, ...sa.params], fields };
}

/** The `metadata` of a pod template the plain object lacks: labels (the release's instance, podLabels) and annotations (checksum, podAnnotations). */
function podMetadataSlot(
  ctx: ReleaseContext, metaPtr: string[], labels: string, annotations: string, checksum: ((i: string) => string) | undefined, params: string[],
): Slot {
  const wrap = (i: string) => {
    const j = `${i}  `;
    const k = `${i}    `;
    const anyAnnotations = checksum ? 'true' : annotations;
    return [
      `${i}{{- if or (not $plain) ${labels} ${anyAnnotations} }}`,
      `${i}metadata:`,
      `${j}{{- if or (not $plain) ${labels} }}`,
      `${j}labels:`,
      `${k}{{- if not $plain }}`,
      `${k}${INSTANCE_LABEL}: {{ ${ctx.release.releaseInstanceExpr()} | quote }}`,
      `${k}{{- end }}`,
      `${k}{{- with ${labels} }}`,
      `${k}{{- toYaml . | nindent ${k.length} }}`,
      `${k}{{- end }}`,
      `${j}{{- end }}`,
      `${j}{{- if ${anyAnnotations} }}`,
      `${j}annotations:`,
      ...(checksum ? [checksum(k)] : []),
      `${k}{{- with ${annotations} }}`,
      `${k}{{- toYaml . | nindent ${k.length} }}`,
      `${k}{{- end }}`,
      `${j}{{- end }}`,
      `${i}{{- end }}`,
    ].join('\n');
  };
  return { pointer: metaPtr, placement: 'first', soft: { params }, render: { mode: 'line', wrap } };
}

/** `{name: <Secret>}` entries of imagePullSecrets. */
export function pullSecretItem(): Record<string, unknown> {
  return { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
}
