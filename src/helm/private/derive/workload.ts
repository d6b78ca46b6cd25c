/**
 * Standard values of workloads (Deployment, StatefulSet) and their HorizontalPodAutoscalers,
 * derived from the synthesized objects.
 *
 * Not every workload may scale by a values switch (`fixedScale`): a Deployment that mounts a
 * ReadWriteOnce or ReadWriteOncePod claim has one writer (`replicaCount` at most 1), and a
 * StatefulSet (a database with one primary) is not autoscaled. Neither gets autoscaling values or
 * an HPA template.
 */
import { parseImageReference } from '../../../core/rules/image-reference';
import { ManifestSet, podSpecOf } from '../../../manifests';
import { ParamSpec, Slot, valuesRef, valueSlot } from '../template-model';
import { Layout } from '../value-sections';

/** What a plan-building step produces for one object. */
export interface Derived {
  readonly slots: Slot[];
  readonly params: ParamSpec[];
  readonly condition?: string;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

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
 * replicaCount, image, pullPolicy, resources, autoscaling.enabled and existing-Secret references.
 * With `fixed` there is no autoscaling.enabled, and replicaCount is bounded by `fixed.maxReplicas`.
 */
export function deriveWorkload(doc: any, layout: Layout, hasHpa: boolean, fixed?: FixedScale): Derived {
  const p = layout.prefix(doc);
  const what = `the ${doc.metadata?.name} ${doc.kind}`;
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
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
  } else {
    params.push({
      path: replicaPath,
      type: 'integer',
      value: replicas ?? 1,
      minimum: Math.min(1, replicas ?? 1),
      fallback: replicas === undefined,
      description: `Number of pods of ${what}; not rendered while ${[...p, 'autoscaling', 'enabled'].join('.')} is true`,
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
  }

  const container = podSpecOf(doc)?.containers?.[0];
  const cPtr = ['spec', 'template', 'spec', 'containers', '0'];
  const image = typeof container?.image === 'string' ? parseImageReference(container.image) : undefined;
  if (image) {
    const ip = [...p, 'image'];
    const repository = image.registry ? `${image.registry}/${image.repository}` : image.repository;
    params.push(
      { path: [...ip, 'repository'], type: 'string', value: repository, description: `Image repository (with registry) of ${what}'s container ${container.name}` },
      { path: [...ip, 'tag'], type: 'string', value: image.tag ?? '', description: 'Image tag; empty for none' },
      {
        path: [...ip, 'digest'],
        type: 'string',
        value: image.digest ?? '',
        pattern: '^([A-Za-z][A-Za-z0-9]*:[0-9a-fA-F]{32,})?$',
        description: 'Image digest such as sha256:...; when set it pins the image (added after the tag)',
      },
    );
    const r = (k: string) => valuesRef([...ip, k]);
    slots.push({
      pointer: [...cPtr, 'image'],
      render: { mode: 'inline', expr: `"{{ ${r('repository')} }}{{ with ${r('tag')} }}:{{ . }}{{ end }}{{ with ${r('digest')} }}@{{ . }}{{ end }}"` },
    });
    if (typeof container.imagePullPolicy === 'string') {
      params.push({ path: [...ip, 'pullPolicy'], type: 'string', value: container.imagePullPolicy, enum: PULL_POLICIES, description: 'Image pull policy' });
      slots.push(valueSlot([...cPtr, 'imagePullPolicy'], [...ip, 'pullPolicy'], 'string'));
    }
  }
  if (container?.resources && typeof container.resources === 'object') {
    params.push({ path: [...p, 'resources'], type: 'object', value: container.resources, description: `CPU/memory requests and limits of ${what}'s container ${container.name}` });
    slots.push(valueSlot([...cPtr, 'resources'], [...p, 'resources'], 'object'));
  }
  if (!fixed) {
    params.push({
      path: autoscalingEnabled,
      type: 'boolean',
      value: hasHpa,
      description: `Scale ${what} with a HorizontalPodAutoscaler instead of a fixed replicaCount`,
    });
  }
  const claim = claimTemplateValues(doc, layout);
  slots.push(...claim.slots, ...secretReferenceSlots(doc, layout));
  params.push(...claim.params);
  return { slots, params };
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

/** References to chart-rendered Secrets: they follow `existingSecret` when it is set. */
function secretReferenceSlots(doc: any, layout: Layout): Slot[] {
  const slots: Slot[] = [];
  const spec = podSpecOf(doc);
  const base = ['spec', 'template', 'spec'];
  const ref = (name: string, pointer: string[]) => {
    const prefix = layout.secretPrefix(name);
    if (!prefix) return;
    const existing = valuesRef([...prefix, 'existingSecret']);
    slots.push({ pointer, render: { mode: 'inline', expr: `{{ ${existing} | default ${JSON.stringify(name)} | quote }}` } });
  };
  (spec?.volumes ?? []).forEach((v: any, i: number) => {
    if (v.secret?.secretName) ref(v.secret.secretName, [...base, 'volumes', String(i), 'secret', 'secretName']);
    (v.projected?.sources ?? []).forEach((s: any, j: number) => {
      if (s.secret?.name) ref(s.secret.name, [...base, 'volumes', String(i), 'projected', 'sources', String(j), 'secret', 'name']);
    });
  });
  for (const group of ['initContainers', 'containers']) {
    (spec?.[group] ?? []).forEach((c: any, i: number) => {
      const cp = [...base, group, String(i)];
      (c.env ?? []).forEach((e: any, j: number) => {
        const n = e.valueFrom?.secretKeyRef?.name;
        if (n) ref(n, [...cp, 'env', String(j), 'valueFrom', 'secretKeyRef', 'name']);
      });
      (c.envFrom ?? []).forEach((e: any, j: number) => {
        if (e.secretRef?.name) ref(e.secretRef.name, [...cp, 'envFrom', String(j), 'secretRef', 'name']);
      });
    });
  }
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
  const what = `the ${workload.metadata?.name} ${workload.kind}`;
  if (Number.isInteger(doc.spec?.minReplicas)) {
    params.push({ path: [...ap, 'minReplicas'], type: 'integer', value: doc.spec.minReplicas, minimum: 1, description: `Fewest pods the autoscaler keeps for ${what}` });
    slots.push(valueSlot(['spec', 'minReplicas'], [...ap, 'minReplicas'], 'integer'));
  }
  if (Number.isInteger(doc.spec?.maxReplicas)) {
    params.push({ path: [...ap, 'maxReplicas'], type: 'integer', value: doc.spec.maxReplicas, minimum: 1, description: `Most pods the autoscaler starts for ${what}` });
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
