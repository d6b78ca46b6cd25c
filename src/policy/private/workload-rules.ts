/**
 * Internal to `ManifestPolicy`: the rules over how many pods a Deployment or StatefulSet runs and
 * what keeps them available: replicas, autoscalers, disruption budgets, anti-affinity, the rollout
 * strategy. As kube-score, a workload is exempt from needing a PodDisruptionBudget and host
 * anti-affinity only when `spec.replicas` is set below `minReplicas` (and no autoscaler may scale it
 * up to that): an unset `replicas` may be scaled.
 */
import { family, intOrUndefined, list, percentOrUndefined, RuleFamily, RuleScope, show } from './rule-kit';
import { runsAsSidecar } from './schema/pod-validation';
import { featureGates } from './schema/versions';
import { ContainerRef, labelSelectorMatches, ObjectRef, PodTemplateRef } from '../../manifests';
import { PolicyLevel } from '../policy-types';

const REPLICATED_KINDS = ['Deployment', 'StatefulSet'];
const HOSTNAME = 'kubernetes.io/hostname';

/**
 * The pod template of a Deployment or StatefulSet that may run `minReplicas` or more pods, and how
 * it may (undefined when it runs fewer).
 */
function mayRunSeveral(obj: ObjectRef, at: RuleScope): { pod: PodTemplateRef; scale: string } | undefined {
  const replicas = at.index.replicas(obj);
  const most = replicas.autoscaler ? replicas.max : replicas.explicit;
  const pod = at.index.podOf(obj);
  if (!pod || (most !== undefined && most < at.tuning.minReplicas)) return undefined;
  return { pod, scale: most === undefined ? 'whose spec.replicas is unset, so it may be scaled' : `which runs up to ${most} replicas` };
}

/**
 * Whether every pod of the template lands on one node: `nodeName`, a `kubernetes.io/hostname` node
 * selector, required node affinity naming one host, or required pod affinity on the hostname with
 * the pod's own labels. A ReadWriteOnce volume attaches to one node, not one pod, so such pods share it.
 */
function pinnedToOneNode(pod: PodTemplateRef): boolean {
  const spec = pod.spec;
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') return true;
  if (typeof spec.nodeSelector?.[HOSTNAME] === 'string') return true;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const hosts = new Set<string>();
  const namesOneHost = (term: any) => [...list(term?.matchExpressions).filter((e: any) => e?.key === HOSTNAME),
    ...list(term?.matchFields).filter((e: any) => e?.key === 'metadata.name')]
    .some((e: any) => e?.operator === 'In' && list(e.values).length === 1 && hosts.add(String(e.values[0])));
  if (Array.isArray(terms) && terms.length > 0 && terms.every(namesOneHost) && hosts.size === 1) return true;
  const together = list(spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  return together.some((t: any) => t?.topologyKey === HOSTNAME && labelSelectorMatches(t.labelSelector, pod.labels));
}

/** A required or preferred podAntiAffinity term on the hostname topology whose selector matches `labels`. */
function hasHostAntiAffinity(anti: any, labels: { [key: string]: string }): boolean {
  const terms: any[] = [
    ...(Array.isArray(anti?.requiredDuringSchedulingIgnoredDuringExecution) ? anti.requiredDuringSchedulingIgnoredDuringExecution : []),
    ...(Array.isArray(anti?.preferredDuringSchedulingIgnoredDuringExecution)
      ? anti.preferredDuringSchedulingIgnoredDuringExecution.map((w: any) => w?.podAffinityTerm) : []),
  ];
  return terms.some((t) => t?.topologyKey === HOSTNAME && labelSelectorMatches(t.labelSelector, labels));
}

/** A topology spread constraint over nodes (kubernetes.io/hostname) for the pod's own labels: it spreads the replicas as anti-affinity does. */
function hasHostSpread(constraints: any, labels: { [key: string]: string }): boolean {
  return Array.isArray(constraints) && constraints.some((t) => t?.topologyKey === HOSTNAME && labelSelectorMatches(t.labelSelector, labels));
}

/** A metric whose target is a utilization: the resource, the container it is about ('' for the whole pod) and where it is. */
interface UtilizationMetric {
  readonly resource: string;
  readonly container: string;
  readonly path: string;
  readonly what: string;
  /** What else the user may do than add the requests. */
  readonly instead: string;
}

/**
 * The metrics of an autoscaler that are a utilization, a percentage of the pods' requests: Resource
 * and ContainerResource metrics of target type Utilization (autoscaling/v2), v1's
 * targetCPUUtilizationPercentage, and, where neither version names a metric, the API server's
 * default of 80% cpu utilization.
 */
function utilizationMetrics(hpa: ObjectRef): UtilizationMetric[] {
  const spec = hpa.raw.spec ?? {};
  if (hpa.apiVersion === 'autoscaling/v1') {
    const given = spec.targetCPUUtilizationPercentage;
    return [{
      resource: 'cpu',
      container: '',
      path: given === undefined ? 'spec' : 'spec.targetCPUUtilizationPercentage',
      what: given === undefined ? 'the default cpu utilization target (80%, targetCPUUtilizationPercentage unset)' : `targetCPUUtilizationPercentage ${show(given)}`,
      instead: 'or use autoscaling/v2 with an AverageValue target',
    }];
  }
  const metrics = spec.metrics;
  if (metrics === undefined || (Array.isArray(metrics) && metrics.length === 0)) {
    return [{ resource: 'cpu', container: '', path: 'spec.metrics', what: 'the default metric, 80% cpu utilization (metrics unset)', instead: 'or name a metric with target type AverageValue' }];
  }
  const out: UtilizationMetric[] = [];
  list(metrics).forEach((m: any, i) => {
    const source = m?.type === 'Resource' ? m.resource : m?.type === 'ContainerResource' ? m.containerResource : undefined;
    if (!source || source.target?.type !== 'Utilization' || typeof source.name !== 'string') return;
    const container = m.type === 'ContainerResource' && typeof source.container === 'string' ? source.container : '';
    if (m.type === 'ContainerResource' && container === '') return; // the schema reports a metric without its container
    out.push({
      resource: source.name,
      container,
      path: `spec.metrics[${i}]`,
      what: `${m.type} metric ${source.name}${container ? ` of container ${show(container)}` : ''} with target type Utilization`,
      instead: 'or use target type AverageValue',
    });
  });
  return out;
}

/** Whether a container asks for `resource`: a request, or a limit (the API server copies a limit into an unset request). */
function requests(container: ContainerRef, resource: string): boolean {
  const r = container.c.resources;
  return r?.requests?.[resource] !== undefined || r?.limits?.[resource] !== undefined;
}

/** Whether a LimitRange of the namespace gives containers a default request (or limit) of `resource`. */
function defaultedByLimitRange(at: RuleScope, namespace: string | undefined, resource: string): boolean {
  return at.index.ofKind('LimitRange', namespace).some((range) => list(range.raw.spec?.limits)
    .some((l: any) => (l?.type ?? 'Container') === 'Container' && (l?.defaultRequest?.[resource] !== undefined || l?.default?.[resource] !== undefined)));
}

/** The API groups of Kubernetes' own workload kinds ("" is the core group), and those of their kinds with a scale subresource. */
const BUILT_IN_GROUPS = ['', 'apps', 'batch', 'extensions'];
const SCALABLE_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

export const WORKLOAD_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'pdb-present',
    level: PolicyLevel.WARNING,
    description: 'a Deployment or StatefulSet that may run minReplicas or more pods (replicas unset counts) has a PodDisruptionBudget',
    kinds: REPLICATED_KINDS,
    object: (obj, at) => {
      const several = mayRunSeveral(obj, at);
      if (several && !at.index.disruptionBudgetsSelecting(several.pod).length) {
        at.report(`${several.pod.metaPath}.labels`, `no PodDisruptionBudget selects the pods of this ${obj.kind}, ${several.scale}`);
      }
    },
  },
  {
    id: 'pdb-has-policy',
    level: PolicyLevel.WARNING,
    description: 'a PodDisruptionBudget sets minAvailable or maxUnavailable',
    kinds: ['PodDisruptionBudget'],
    object: (obj, at) => {
      const spec = obj.raw.spec ?? {};
      if (spec.minAvailable === undefined && spec.maxUnavailable === undefined) at.report('spec', 'sets neither minAvailable nor maxUnavailable');
    },
  },
  {
    id: 'pdb-allows-eviction',
    level: PolicyLevel.WARNING,
    description: 'a PodDisruptionBudget lets at least one pod be evicted',
    kinds: ['PodDisruptionBudget'],
    object: (obj, at) => {
      const spec = obj.raw.spec ?? {};
      if (spec.maxUnavailable !== undefined && (intOrUndefined(spec.maxUnavailable) === 0 || percentOrUndefined(spec.maxUnavailable) === 0)) {
        at.report('spec.maxUnavailable', `maxUnavailable is ${show(spec.maxUnavailable)}; no pod can ever be evicted`);
      }
      if (spec.minAvailable === undefined) return;
      const percent = percentOrUndefined(spec.minAvailable);
      if (percent !== undefined && percent >= 100) at.report('spec.minAvailable', `minAvailable is ${show(spec.minAvailable)}; no pod can ever be evicted`);
      const count = intOrUndefined(spec.minAvailable);
      if (count === undefined) return;
      for (const workload of REPLICATED_KINDS.flatMap((kind) => at.index.ofKind(kind, obj.namespace))) {
        const pod = at.index.podOf(workload);
        if (!pod || !labelSelectorMatches(spec.selector, pod.labels)) continue;
        const hpa = at.index.autoscalerOf(workload);
        const replicas = hpa ? Number(hpa.raw.spec?.minReplicas ?? 1) : at.index.replicas(workload).explicit ?? 1;
        if (count >= replicas) {
          at.report('spec.minAvailable',
            `minAvailable ${count} is not below the ${replicas} replica(s) of ${workload.kind} ${workload.name}${hpa ? ` (HorizontalPodAutoscaler ${hpa.name} minReplicas)` : ''}; no pod can be evicted`);
        }
      }
    },
  },
  {
    id: 'pdb-unhealthy-eviction-policy',
    level: PolicyLevel.WARNING,
    description: 'a PodDisruptionBudget sets unhealthyPodEvictionPolicy',
    kinds: ['PodDisruptionBudget'],
    object: (obj, at) => {
      if (obj.raw.spec?.unhealthyPodEvictionPolicy === undefined) {
        at.report('spec.unhealthyPodEvictionPolicy', 'unhealthyPodEvictionPolicy is unset; set AlwaysAllow so crash-looping pods do not block node drains');
      }
    },
  },
  {
    id: 'replicas-min-two',
    level: PolicyLevel.WARNING,
    description: 'a Deployment not managed by an autoscaler runs at least minReplicas replicas (unset is 1)',
    kinds: ['Deployment'],
    object: (obj, at) => {
      const replicas = at.index.replicas(obj);
      const least = at.tuning.minReplicas;
      if (!replicas.autoscaler && (replicas.explicit ?? 1) < least) {
        const given = replicas.explicit === undefined ? 'unset (1 replica)' : show(obj.raw.spec?.replicas);
        at.report('spec.replicas', `spec.replicas is ${given}; run at least ${least} for availability`);
      }
    },
  },
  {
    id: 'hpa-no-static-replicas',
    level: PolicyLevel.WARNING,
    description: 'a workload scaled by a HorizontalPodAutoscaler leaves spec.replicas unset',
    kinds: REPLICATED_KINDS,
    object: (obj, at) => {
      const replicas = at.index.replicas(obj);
      if (replicas.autoscaler && replicas.explicit !== undefined) {
        at.report('spec.replicas',
          `spec.replicas is ${show(obj.raw.spec?.replicas)} though HorizontalPodAutoscaler ${replicas.autoscaler.name} scales it; leave it unset so each apply does not reset the scale`);
      }
    },
  },
  {
    id: 'hpa-target-exists',
    level: PolicyLevel.WARNING,
    description: 'a HorizontalPodAutoscaler\'s scaleTargetRef names a synthesized object',
    kinds: ['HorizontalPodAutoscaler'],
    object: (obj, at) => {
      if (!at.index.scaleTargetOf(obj)) {
        at.report('spec.scaleTargetRef', `scaleTargetRef ${JSON.stringify(obj.raw.spec?.scaleTargetRef ?? null)} names no synthesized object of namespace ${show(obj.namespace)}`);
      }
    },
  },
  {
    id: 'hpa-can-act',
    level: PolicyLevel.ERROR,
    description: 'a HorizontalPodAutoscaler targets a kind Kubernetes can scale (Deployment, StatefulSet, ReplicaSet, ReplicationController; other groups\' kinds are trusted to have a scale subresource) and is the only autoscaler of its target (two on one workload both stop scaling: AmbiguousSelector)',
    kinds: ['HorizontalPodAutoscaler'],
    object: (obj, at) => {
      const ref = obj.raw.spec?.scaleTargetRef;
      if (!ref || typeof ref.kind !== 'string') return;
      const group = typeof ref.apiVersion === 'string' && ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
      if (BUILT_IN_GROUPS.includes(group) && !SCALABLE_KINDS.includes(ref.kind)) {
        at.report('spec.scaleTargetRef.kind', `got ${show(ref.kind)}; a ${ref.kind} has no scale subresource, so the autoscaler cannot act: target a ${SCALABLE_KINDS.slice(0, 2).join(' or ')}`);
        return;
      }
      const target = at.index.scaleTargetOf(obj);
      const first = target && at.index.autoscalerOf(target);
      if (target && first && first !== obj) {
        at.report('spec.scaleTargetRef', `${target.kind} ${target.name} is also the target of HorizontalPodAutoscaler ${first.name}; with two autoscalers on one workload the controller scales neither (AmbiguousSelector): keep one, with all the metrics`);
      }
    },
  },
  {
    id: 'hpa-utilization-requests',
    level: PolicyLevel.ERROR,
    description: 'a HorizontalPodAutoscaler scaling on a utilization (a Resource or ContainerResource metric of target type Utilization, v1\'s targetCPUUtilizationPercentage, or the default cpu metric) targets pods whose containers request that resource: every regular container and native sidecar for a Resource metric, the named container for a ContainerResource one (else the autoscaler cannot compute the utilization and does not scale); a request may come from a limit, a pod-level request or a LimitRange default of the input; checked when the target is in the input',
    kinds: ['HorizontalPodAutoscaler'],
    object: (obj, at) => {
      const target = at.index.scaleTargetOf(obj);
      const pod = target && at.index.podOf(target);
      if (!target || !pod) return; // hpa-target-exists reports a target that is not in the input
      const gates = featureGates(at.tuning.kubernetesVersion);
      const running = pod.containers.filter((c) => c.list === 'containers' || runsAsSidecar(c, gates));
      for (const metric of utilizationMetrics(obj)) {
        if (defaultedByLimitRange(at, obj.namespace, metric.resource)) continue;
        const workload = `${target.kind} ${target.name}`;
        const why = 'so the autoscaler cannot compute the utilization (a percentage of the requests) and does not scale';
        if (metric.container) {
          const named = running.find((c) => c.c.name === metric.container);
          if (!named) {
            at.report(metric.path, `${metric.what}: the pods of ${workload} have no container ${show(metric.container)} (they run ${running.map((c) => show(c.c.name)).join(', ') || 'none'}), ${why}; name one of them`);
          } else if (!requests(named, metric.resource)) {
            at.report(metric.path, `${metric.what}: container ${show(metric.container)} of ${workload} (${named.path}.resources) sets neither requests.${metric.resource} nor limits.${metric.resource}, ${why}; set requests.${metric.resource}, ${metric.instead}`);
          }
          continue;
        }
        // With pod-level resources (Kubernetes 1.32 and later) the autoscaler reads the pod's request.
        const podLevel = pod.spec.resources;
        if (podLevel?.requests?.[metric.resource] !== undefined || podLevel?.limits?.[metric.resource] !== undefined) continue;
        const missing = running.filter((c) => !requests(c, metric.resource));
        if (missing.length) {
          const names = missing.map((c) => `${show(c.c.name)} (${c.path}.resources)`).join(', ');
          at.report(metric.path, `${metric.what}: ${missing.length === 1 ? 'container' : 'containers'} ${names} of ${workload} ${missing.length === 1 ? 'sets' : 'set'} neither requests.${metric.resource} nor limits.${metric.resource}, ${why}; set requests.${metric.resource} in every container${running.some((c) => c.sidecar) ? ' and native sidecar' : ''}, ${metric.instead}`);
        }
      }
    },
  },
  {
    id: 'hpa-replica-range',
    level: PolicyLevel.ERROR,
    description: 'a HorizontalPodAutoscaler\'s minReplicas (1 when unset) is at least 1 and at most maxReplicas (else the API server refuses it)',
    kinds: ['HorizontalPodAutoscaler'],
    object: (obj, at) => {
      const spec = obj.raw.spec ?? {};
      const min = spec.minReplicas ?? 1;
      const max = spec.maxReplicas;
      if (typeof min === 'number' && min < 1) at.report('spec.minReplicas', `minReplicas is ${show(min)}; the API server refuses less than 1`);
      if (typeof min === 'number' && typeof max === 'number' && min > max) {
        at.report('spec.maxReplicas', `maxReplicas ${show(max)} is below minReplicas ${show(min)}; the API server refuses the autoscaler`);
      }
    },
  },
  {
    id: 'hpa-min-replicas',
    level: PolicyLevel.WARNING,
    description: 'a HorizontalPodAutoscaler has minReplicas >= minReplicas and maxReplicas > minReplicas',
    kinds: ['HorizontalPodAutoscaler'],
    object: (obj, at) => {
      const spec = obj.raw.spec ?? {};
      const min = spec.minReplicas ?? 1;
      if (typeof min !== 'number') return; // k8s-schema reports a minReplicas that is no number
      const least = at.tuning.minReplicas;
      if (min < least) {
        const given = spec.minReplicas === undefined ? 'unset, so 1' : show(spec.minReplicas);
        at.report('spec.minReplicas', `minReplicas is ${given}; use at least ${least}`);
      }
      // Below minReplicas is hpa-replica-range's error; equal means the autoscaler cannot scale.
      if (Number(spec.maxReplicas) === Number(min)) {
        at.report('spec.maxReplicas', `maxReplicas ${show(spec.maxReplicas)} is not greater than minReplicas ${min}; the autoscaler cannot scale`);
      }
    },
  },
  {
    id: 'single-writer-claim-replicas',
    level: PolicyLevel.ERROR,
    description: 'a Deployment or StatefulSet that may run several pods (replicas above 1, an autoscaler above 1) mounts no ReadWriteOnce or ReadWriteOncePod claim of the input (a second pod on another node cannot attach it); replicas unset without an autoscaler is one pod, and pods pinned to one node share a ReadWriteOnce claim',
    kinds: REPLICATED_KINDS,
    object: (obj, at) => {
      const replicas = at.index.replicas(obj);
      const most = replicas.autoscaler ? replicas.max : replicas.explicit ?? 1;
      if (most <= 1) return;
      const single = at.index.singleWriterClaimOf(obj);
      if (!single) return;
      const pod = at.index.podOf(obj)!;
      if (single.mode === 'ReadWriteOnce' && pinnedToOneNode(pod)) return; // one node attaches it for all
      const i = list(pod.spec.volumes).findIndex((v: any) => v?.persistentVolumeClaim?.claimName === single.claim.name);
      const scale = replicas.autoscaler ? `HorizontalPodAutoscaler ${replicas.autoscaler.name} may run ${most} pods` : `spec.replicas is ${most}`;
      at.report(`${pod.specPath}.volumes[${i}].persistentVolumeClaim.claimName`,
        `mounts PersistentVolumeClaim ${single.claim.name} (${single.mode}) though ${scale}: a pod on a second node cannot attach the volume (Multi-Attach error) and stays ContainerCreating; run one replica, or use a ReadWriteMany claim or volumeClaimTemplates`);
    },
  },
  {
    id: 'pod-anti-affinity',
    level: PolicyLevel.WARNING,
    description: 'a Deployment or StatefulSet that may run minReplicas or more pods (replicas unset counts) spreads its own pods over nodes: podAntiAffinity or a topologySpreadConstraint on kubernetes.io/hostname',
    kinds: REPLICATED_KINDS,
    object: (obj, at) => {
      const several = mayRunSeveral(obj, at);
      if (several && !hasHostAntiAffinity(several.pod.spec.affinity?.podAntiAffinity, several.pod.labels)
        && !hasHostSpread(several.pod.spec.topologySpreadConstraints, several.pod.labels)) {
        at.report(`${several.pod.specPath}.affinity.podAntiAffinity`,
          `no podAntiAffinity term or topologySpreadConstraint on ${HOSTNAME} selects the pod's own labels, so all replicas may land on one node (this ${obj.kind} is one ${several.scale})`);
      }
    },
  },
  {
    id: 'deployment-rolling-update',
    level: PolicyLevel.WARNING,
    description: 'a Deployment\'s strategy is unset or RollingUpdate',
    kinds: ['Deployment'],
    object: (obj, at) => {
      const type = obj.raw.spec?.strategy?.type;
      if (type !== undefined && type !== 'RollingUpdate') at.report('spec.strategy.type', `strategy is ${show(type)}; use RollingUpdate to avoid downtime`);
    },
  },
]);
