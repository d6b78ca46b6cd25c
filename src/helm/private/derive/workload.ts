/**
 * Standard values of workloads (Deployment, StatefulSet) and their HorizontalPodAutoscalers,
 * derived from the synthesized objects.
 *
 * Not every workload may scale by a values switch (`fixedScale`): a Deployment that mounts a
 * ReadWriteOnce or ReadWriteOncePod claim has one writer (`replicaCount` at most 1), and a
 * StatefulSet (a database with one primary) is not autoscaled. Neither gets autoscaling values or
 * an HPA template.
 */
import { Derived, ReleaseContext } from './deriver';
import { containerValues } from './images';
import { podValues } from './pod-values';
import { nameRef } from './references';
import { ManifestSet, objectRef, podTemplateOf } from '../../../manifests';
import { ParamSpec, Slot, pointerOf, valuesRef, valueSlot } from '../template-model';
import { Layout, PRIMARY_KINDS } from '../value-sections';

/** The default values of an HPA made for a workload whose plain YAML has none. */
export const STAND_IN_HPA = { maxReplicasFactor: 3, targetCPUUtilizationPercentage: 80 };

/** Why a workload's scale is not a values switch, and the most replicas the chart admits. */
export interface FixedScale {
  /** The reason, as the end of a sentence ("it mounts ..."), for descriptions and messages. */
  readonly reason: string;
  /** Most replicas (1 for a single writer); undefined when replicaCount has no upper bound. */
  readonly maxReplicas?: number;
  /** The single-writer claim, for messages. */
  readonly claim?: string;
}

/**
 * The scale of a workload that must not be autoscaled: a Deployment mounting a ReadWriteOnce or
 * ReadWriteOncePod claim of the same objects (one writer), or any StatefulSet. Undefined otherwise.
 */
export function fixedScale(workload: any, set: ManifestSet): FixedScale | undefined {
  if (workload.kind === 'StatefulSet') {
    return { reason: 'each pod of a StatefulSet has its own identity and volume, and scaling a single-primary database is not a values switch' };
  }
  if (workload.kind !== 'Deployment') return undefined;
  const single = set.singleWriterClaimOf(set.refOf(workload)!);
  if (!single) return undefined;
  return {
    maxReplicas: 1,
    claim: single.claim.name,
    reason: `it mounts the ${single.mode} PersistentVolumeClaim ${single.claim.name}, which only one pod can write (such as a SQLite file)`,
  };
}

/**
 * replicaCount (Deployments and StatefulSets), the images and resources of every container,
 * autoscaling.enabled, a CronJob's schedule, the standard pod values, and the references to the
 * Secrets and claims the pods read (`existingSecret`, `persistence.existingClaim`).
 * With `fixed` there is no autoscaling.enabled, and replicaCount is bounded by `fixed.maxReplicas`.
 */
export function deriveWorkload(ctx: ReleaseContext, doc: any, hasHpa: boolean, fixed?: FixedScale): Derived {
  const layout = ctx.layout;
  const p = layout.prefix(doc);
  const what = `the ${doc.metadata?.name} ${doc.kind}`;
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const primary = PRIMARY_KINDS.includes(doc.kind);
  if (primary) replicaValues(doc, p, what, hasHpa, fixed, slots, params);
  if (doc.kind === 'CronJob' && typeof doc.spec?.schedule === 'string') {
    params.push({ path: [...p, 'schedule'], type: 'string', value: doc.spec.schedule, pattern: '^(@[a-z]+|\\S+( \\S+){4})$', description: `Schedule of ${what} (cron syntax, in the cluster's time zone unless spec.timeZone says otherwise)` });
    slots.push(valueSlot(['spec', 'schedule'], [...p, 'schedule'], 'string'));
  }
  const pod = podTemplateOf(objectRef(doc)!);
  if (pod) {
    const c = containerValues(pod.spec, pointerOf(pod.specPath), p);
    slots.push(...c.slots);
    params.push(...c.params);
    const standard = podValues(ctx, doc, pod, p);
    slots.push(...standard.slots);
    params.push(...standard.params);
    slots.push(...podReferenceSlots(ctx, pod.spec, pointerOf(pod.specPath), pod.obj.namespace));
  }
  const claim = claimTemplateValues(doc, layout);
  slots.push(...claim.slots);
  params.push(...claim.params);
  return { slots, params };
}

function replicaValues(
  doc: any, p: string[], what: string, hasHpa: boolean, fixed: FixedScale | undefined, slots: Slot[], params: ParamSpec[],
): void {
  const autoscalingEnabled = [...p, 'autoscaling', 'enabled'];
  const replicas = doc.spec?.replicas;
  const replicaPath = [...p, 'replicaCount'];
  const ref = valuesRef(replicaPath);
  if (fixed) {
    const bound = fixed.maxReplicas !== undefined ? `at most ${fixed.maxReplicas}, and no autoscaling` : 'no autoscaling';
    params.push({
      path: replicaPath,
      type: 'integer',
      value: replicas ?? 1,
      minimum: Math.min(1, replicas ?? 1),
      maximum: fixed.maxReplicas,
      fallback: replicas === undefined,
      description: `Number of pods of ${what}; ${bound}: ${fixed.reason}`,
    });
    slots.push(replicas !== undefined ? valueSlot(['spec', 'replicas'], replicaPath, 'integer') : {
      // The plain object leaves replicas to Kubernetes' default (1): print it only when it differs.
      pointer: ['spec', 'replicas'],
      placement: 'first',
      render: { mode: 'line', wrap: (indent, prefix) => `${indent}{{- if ne (${ref} | int64) 1 }}\n${indent}${prefix}{{ ${ref} | int64 }}\n${indent}{{- end }}` },
    });
    return;
  }
  params.push({
    path: replicaPath,
    type: 'integer',
    value: replicas ?? 1,
    minimum: Math.min(1, replicas ?? 1),
    fallback: replicas === undefined,
    description: `Number of pods of ${what}; not rendered while ${autoscalingEnabled.join('.')} is true`,
  });
  slots.push({
    pointer: ['spec', 'replicas'],
    placement: 'first',
    render: {
      mode: 'line',
      wrap: (indent, prefix) =>
        `${indent}{{- if not ${valuesRef(autoscalingEnabled)} }}\n${indent}${prefix}{{ ${ref} | int64 }}\n${indent}{{- end }}`,
    },
  });
  params.push({
    path: autoscalingEnabled,
    type: 'boolean',
    value: hasHpa,
    description: 'Scale with a HorizontalPodAutoscaler instead of a fixed replicaCount',
  });
}

/** Quantity pattern of a claim size, such as 1Gi. */
export const STORAGE_SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?([KMGTPE]i?|k)?$';

/**
 * `persistence.size` / `persistence.storageClass` of a StatefulSet's first volumeClaimTemplate.
 * Kubernetes refuses changes to the volumeClaimTemplates of an existing StatefulSet, so they take
 * effect on new installs (or after the StatefulSet is deleted with `--cascade=orphan`).
 */
function claimTemplateValues(doc: any, layout: Layout): { slots: Slot[]; params: ParamSpec[] } {
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const prefix = layout.claimTemplatePrefix(doc);
  const template = doc.spec?.volumeClaimTemplates?.[0];
  if (!prefix || !template?.spec) return { slots, params };
  const ptr = ['spec', 'volumeClaimTemplates', '0', 'spec'];
  const what = `the claim template ${template.metadata?.name} of the ${doc.metadata?.name} StatefulSet`;
  const immutable = 'Kubernetes refuses changing the volumeClaimTemplates of an existing StatefulSet: it applies to new installs'
    + ' (an installed release keeps its claims; grow them by editing each PersistentVolumeClaim)';
  const size = template.spec.resources?.requests?.storage;
  if (typeof size === 'string') {
    params.push({ path: [...prefix, 'size'], type: 'string', value: size, pattern: STORAGE_SIZE_PATTERN, description: `Storage requested by ${what}, such as 1Gi. ${immutable}` });
    slots.push(valueSlot([...ptr, 'resources', 'requests', 'storage'], [...prefix, 'size'], 'string'));
  }
  const sc = template.spec.storageClassName;
  if (sc === undefined || (typeof sc === 'string' && sc !== '')) {
    const scPath = [...prefix, 'storageClass'];
    params.push({ path: scPath, type: 'string', value: sc ?? '', description: `StorageClass of ${what}; empty for the cluster default. ${immutable}` });
    slots.push({
      pointer: [...ptr, 'storageClassName'],
      placement: 'last',
      render: { mode: 'line', wrap: (i, pfx) => `${i}{{- with ${valuesRef(scPath)} }}\n${i}${pfx}{{ . | quote }}\n${i}{{- end }}` },
    });
  }
  return { slots, params };
}

/**
 * The pod's references to Secrets and claims: a Secret with values follows its `existingSecret`
 * (default: the release's name for a Secret the release makes, else the plain name), a claim of
 * the chart follows `persistence.existingClaim` (default: the release's name for it), and any other
 * Secret the release makes (a cert-manager Certificate's) follows the release.
 */
function podReferenceSlots(ctx: ReleaseContext, spec: any, base: string[], namespace: string): Slot[] {
  const slots: Slot[] = [];
  const layout = ctx.layout;
  const secret = (name: unknown, pointer: string[]) => {
    if (typeof name !== 'string') return;
    const prefix = layout.secretPrefix(name);
    if (!prefix) {
      slots.push(...nameRef(ctx, pointer, name, 'Secret'));
      return;
    }
    const fallback = ctx.release.has(name, 'Secret') ? `(${ctx.release.expr(name, 'Secret')})` : JSON.stringify(name);
    slots.push({ pointer, render: { mode: 'inline', expr: `{{ ${valuesRef([...prefix, 'existingSecret'])} | default ${fallback} | quote }}` } });
  };
  (spec?.volumes ?? []).forEach((v: any, i: number) => {
    const vp = [...base, 'volumes', String(i)];
    secret(v?.secret?.secretName, [...vp, 'secret', 'secretName']);
    (v?.projected?.sources ?? []).forEach((s: any, j: number) => secret(s?.secret?.name, [...vp, 'projected', 'sources', String(j), 'secret', 'name']));
    const claim = v?.persistentVolumeClaim?.claimName;
    const pvc = typeof claim === 'string' ? layout.find('PersistentVolumeClaim', claim, namespace) : undefined;
    if (pvc && ctx.release.has(claim, 'PersistentVolumeClaim')) {
      const existing = valuesRef([...layout.prefix(pvc), 'existingClaim']);
      slots.push({
        pointer: [...vp, 'persistentVolumeClaim', 'claimName'],
        render: { mode: 'inline', expr: `{{ ${existing} | default (${ctx.release.expr(claim, 'PersistentVolumeClaim')}) | quote }}` },
      });
    }
  });
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    (spec?.[group] ?? []).forEach((c: any, i: number) => {
      const cp = [...base, group, String(i)];
      (c?.env ?? []).forEach((e: any, j: number) => secret(e?.valueFrom?.secretKeyRef?.name, [...cp, 'env', String(j), 'valueFrom', 'secretKeyRef', 'name']));
      (c?.envFrom ?? []).forEach((e: any, j: number) => secret(e?.secretRef?.name, [...cp, 'envFrom', String(j), 'secretRef', 'name']));
    });
  }
  (spec?.imagePullSecrets ?? []).forEach((s: any, i: number) => slots.push(...nameRef(ctx, [...base, 'imagePullSecrets', String(i), 'name'], s?.name, 'Secret')));
  return slots;
}

/** The HPA of a workload, if the objects hold one. */
export function hpaFor(workload: any, set: ManifestSet): any {
  return set.autoscalerOf(set.refOf(workload)!)?.raw;
}

/** An autoscaling/v2 HPA for a workload whose plain YAML has none, named like the workload. */
export function standInHpa(workload: any): any {
  const min = Math.max(1, workload.spec?.replicas ?? 1);
  const metadata: any = { name: workload.metadata?.name };
  if (workload.metadata?.namespace) metadata.namespace = workload.metadata.namespace;
  if (workload.metadata?.labels) metadata.labels = { ...workload.metadata.labels };
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.metadata?.name },
      minReplicas: min,
      maxReplicas: min * STAND_IN_HPA.maxReplicasFactor,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: STAND_IN_HPA.targetCPUUtilizationPercentage } } }],
    },
  };
}

/** minReplicas, maxReplicas and target utilizations of an HPA; the file renders only while autoscaling is enabled. */
export function deriveHpa(doc: any, workload: any, layout: Layout): Derived {
  const ap = [...layout.prefix(workload), 'autoscaling'];
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  if (Number.isInteger(doc.spec?.minReplicas)) {
    params.push({ path: [...ap, 'minReplicas'], type: 'integer', value: doc.spec.minReplicas, minimum: 1, description: 'Fewest pods the autoscaler keeps' });
    slots.push(valueSlot(['spec', 'minReplicas'], [...ap, 'minReplicas'], 'integer'));
  }
  if (Number.isInteger(doc.spec?.maxReplicas)) {
    params.push({ path: [...ap, 'maxReplicas'], type: 'integer', value: doc.spec.maxReplicas, minimum: 1, description: 'Most pods the autoscaler starts' });
    slots.push(valueSlot(['spec', 'maxReplicas'], [...ap, 'maxReplicas'], 'integer'));
  }
  (doc.spec?.metrics ?? []).forEach((m: any, i: number) => {
    const name = m?.resource?.name;
    if (m?.type !== 'Resource' || m.resource?.target?.type !== 'Utilization' || !Number.isInteger(m.resource.target.averageUtilization)) return;
    if (name !== 'cpu' && name !== 'memory') return;
    const key = name === 'cpu' ? 'targetCPUUtilizationPercentage' : 'targetMemoryUtilizationPercentage';
    params.push({
      path: [...ap, key],
      type: 'integer',
      value: m.resource.target.averageUtilization,
      minimum: 1,
      description: `Average ${name} utilization (percent of requests) the autoscaler aims for`,
    });
    slots.push(valueSlot(['spec', 'metrics', String(i), 'resource', 'target', 'averageUtilization'], [...ap, key], 'integer'));
  });
  return { slots, params, condition: valuesRef([...ap, 'enabled']) };
}
