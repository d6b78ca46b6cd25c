/**
 * How a workload scales: its HorizontalPodAutoscaler (`autoscaling.*`), a stand-in one for a
 * workload whose plain YAML has none (rendered only while `autoscaling.enabled`), and the workloads
 * whose scale is not a values switch (`fixedScale`): a Deployment that mounts a ReadWriteOnce or
 * ReadWriteOncePod claim has one writer (`replicaCount` at most 1), and a StatefulSet (a database
 * with one primary) is not autoscaled. Neither gets autoscaling values or an HPA template.
 */
import { containerPrefixes } from './images';
import { KubeObject, ManifestSet, ObjectMeta, objectRef, podTemplateOf } from '../../../../manifests';
import { docKey } from '../../model/json-pointers';
import { ParamSpec, Slot } from '../../model/template-model';
import { dottedPath, scalarExpr, valuesRef, valueSlot } from '../../model/values-paths';
import { PRIMARY_KINDS } from '../../value-sections';
import { Derivation, Deriver, ObjectProblem, nothing } from '../deriver';

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
export function fixedScale(workload: KubeObject, set: ManifestSet): FixedScale | undefined {
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

/** A workload whose scale is fixed may have neither an autoscaler nor more replicas than allowed. */
export function fixedScaleProblems(workload: KubeObject, hpa: KubeObject | undefined, fixed: FixedScale): ObjectProblem[] {
  const problems: ObjectProblem[] = [];
  const target = `${workload.kind} ${describe(workload)}`;
  if (hpa) {
    problems.push({
      object: hpa,
      field: 'spec.scaleTargetRef',
      value: target,
      expected: `no HorizontalPodAutoscaler for it: ${fixed.reason}, so the chart has no autoscaling for it; remove the HorizontalPodAutoscaler${fixed.claim ? ', or use a ReadWriteMany claim' : ''}`,
    });
  }
  const replicas = workload.spec?.replicas;
  if (fixed.maxReplicas !== undefined && typeof replicas === 'number' && replicas > fixed.maxReplicas) {
    problems.push({
      field: 'spec.replicas',
      value: String(replicas),
      expected: `at most ${fixed.maxReplicas} replica: ${fixed.reason}; use ${fixed.maxReplicas} replica, a ReadWriteMany claim, or a StatefulSet`,
    });
  }
  return problems;
}

/** `namespace/name` of an object, for messages. */
function describe(doc: KubeObject): string {
  return `${doc.metadata?.namespace ? `${doc.metadata.namespace}/` : ''}${doc.metadata?.name}`;
}

/** The HPA of a workload, if the objects hold one. */
export function hpaFor(workload: KubeObject, set: ManifestSet): KubeObject | undefined {
  return set.autoscalerOf(set.refOf(workload)!)?.raw;
}

/** HPAs are matched across environments by the workload they scale, not by their own name. */
export function hpaKey(workload: KubeObject): string {
  return `HorizontalPodAutoscaler for ${docKey(workload)}`;
}

/** An autoscaling/v2 HPA for a workload whose plain YAML has none, named like the workload. */
export function standInHpa(workload: KubeObject): KubeObject {
  const min = Math.max(1, workload.spec?.replicas ?? 1);
  const m = workload.metadata;
  const metadata: ObjectMeta = {
    name: m?.name,
    ...(m?.namespace ? { namespace: m.namespace } : {}),
    ...(m?.labels ? { labels: { ...m.labels } } : {}),
  };
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: workload.apiVersion, kind: workload.kind, name: m?.name },
      minReplicas: min,
      maxReplicas: min * STAND_IN_HPA.maxReplicasFactor,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: STAND_IN_HPA.targetCPUUtilizationPercentage } } }],
    },
  };
}

/**
 * maxReplicas, refusing a minReplicas above it (the API server refuses such an HPA, and a values
 * schema cannot compare two values) with a message naming both values.
 */
function boundedMaxSlot(ap: string[]): Slot {
  const [min, max] = [[...ap, 'minReplicas'], [...ap, 'maxReplicas']];
  const [minRef, maxRef] = [valuesRef(min), valuesRef(max)];
  const message = `${dottedPath(min)} (%d) is more than ${dottedPath(max)} (%d): the autoscaler needs minReplicas <= maxReplicas`;
  const guard = `{{ if gt (${minRef} | int64) (${maxRef} | int64) }}{{ fail (printf ${JSON.stringify(message)} (${minRef} | int64) (${maxRef} | int64)) }}{{ end }}`;
  return { pointer: ['spec', 'maxReplicas'], render: { mode: 'inline', expr: `${guard}${scalarExpr(maxRef, 'integer')}` } };
}

/**
 * Template guards refusing, while autoscaling is enabled, a `resources` value (of a container of the
 * workload that runs for the pod's life) without a request or limit of `resource`: the autoscaler
 * scales on its utilization, a percentage of the requests, and could not act. A container whose
 * plain resources lack it is guarded only when the HPA does not render by default (`standIn`): the
 * default render is the plain YAML.
 */
function requestGuards(workload: KubeObject | undefined, section: string[], resource: string, standIn: boolean): string {
  const pod = workload && objectRef(workload) ? podTemplateOf(objectRef(workload)!) : undefined;
  if (!pod) return '';
  const guards: string[] = [];
  for (const [ref, cp] of containerPrefixes(pod.containers, section)) {
    if (ref.list !== 'containers' && !ref.sidecar) continue;
    const plain = ref.c.resources;
    if (!plain || typeof plain !== 'object') continue; // no resources value to set
    if (!standIn && plain.requests?.[resource] === undefined && plain.limits?.[resource] === undefined) continue;
    const path = [...cp, 'resources'];
    const r = `(${valuesRef(path)} | default dict)`;
    const has = (group: string) => `(hasKey (get ${r} "${group}" | default dict) "${resource}")`;
    const message = `${dottedPath(path)} sets neither requests.${resource} nor limits.${resource} while ${dottedPath([...section, 'autoscaling', 'enabled'])} is true: `
      + `the HorizontalPodAutoscaler scales on ${resource} utilization, a percentage of the requests, and could not act; set ${dottedPath([...path, 'requests', resource])}`;
    guards.push(`{{ if not (or ${has('requests')} ${has('limits')}) }}{{ fail ${JSON.stringify(message)} }}{{ end }}`);
  }
  return guards.join('');
}

/**
 * minReplicas, maxReplicas and target utilizations of an HPA (values under `<section>.autoscaling`);
 * it renders only while autoscaling is enabled. `workload` is the workload it scales: a utilization
 * target refuses resources values without the request it is a percentage of.
 */
export function hpaValues(doc: KubeObject, section: string[], workload?: KubeObject, standIn = false): Derivation {
  const ap = [...section, 'autoscaling'];
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const spec = doc.spec ?? {};
  if (Number.isInteger(spec.minReplicas)) {
    params.push({ path: [...ap, 'minReplicas'], type: 'integer', value: spec.minReplicas, minimum: 1, description: 'Fewest pods the autoscaler keeps (while autoscaling.enabled is true)' });
    slots.push(valueSlot(['spec', 'minReplicas'], [...ap, 'minReplicas'], 'integer'));
  }
  if (Number.isInteger(spec.maxReplicas)) {
    params.push({ path: [...ap, 'maxReplicas'], type: 'integer', value: spec.maxReplicas, minimum: 1, description: 'Most pods the autoscaler starts (while autoscaling.enabled is true)' });
    slots.push(Number.isInteger(spec.minReplicas) ? boundedMaxSlot(ap) : valueSlot(['spec', 'maxReplicas'], [...ap, 'maxReplicas'], 'integer'));
  }
  (spec.metrics ?? []).forEach((m, i) => {
    const name = m?.resource?.name;
    const utilization = m?.resource?.target?.averageUtilization;
    if (m?.type !== 'Resource' || m.resource?.target?.type !== 'Utilization' || !Number.isInteger(utilization)) return;
    if (name !== 'cpu' && name !== 'memory') return;
    const key = name === 'cpu' ? 'targetCPUUtilizationPercentage' : 'targetMemoryUtilizationPercentage';
    params.push({
      path: [...ap, key],
      type: 'integer',
      value: utilization,
      minimum: 1,
      description: `Average ${name} utilization (percent of requests) the autoscaler aims for (while autoscaling.enabled is true)`,
    });
    const guard = requestGuards(workload, section, name, standIn);
    slots.push({
      pointer: ['spec', 'metrics', String(i), 'resource', 'target', 'averageUtilization'],
      render: { mode: 'inline', expr: `${guard}${scalarExpr(valuesRef([...ap, key]), 'integer')}` },
    });
  });
  return { slots, params, condition: valuesRef([...ap, 'enabled']) };
}

/**
 * An HPA of the objects: its values live in the section of the workload it scales, and it goes
 * into that workload's file. The HPA of a workload whose scale is fixed gets no template (the
 * workload reports it); one that scales no primary workload keeps its plain text.
 */
export const deriveHpa: Deriver = ({ doc, ctx, values }) => {
  const owner = values.owner;
  const scalable = owner !== undefined && PRIMARY_KINDS.includes(owner.kind);
  if (scalable && fixedScale(owner, ctx.layout.set)) return undefined;
  if (!scalable) return { ...nothing(), companionOf: owner };
  return { ...hpaValues(doc, values.section, owner), key: hpaKey(owner), companionOf: owner };
};
