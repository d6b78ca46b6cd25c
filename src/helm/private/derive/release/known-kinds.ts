/**
 * Release-awareness of the kinds whose reference fields Kubernetes defines: pod templates (volumes,
 * env, envFrom, affinity terms, spread constraints), a workload's selector and a StatefulSet's
 * `serviceName`, a Service's selector, Ingress backends, an HPA's `scaleTargetRef`, a PDB's selector
 * and a NetworkPolicy's pod selectors and peers' namespaces.
 */
import { PrometheusPeer, isPrometheus, prometheusPeer } from './prometheus';
import { NAMESPACE_NAME_LABEL, inline, labelMapSlots, nameRef, ownNamespace, podsOf, selectorSlots } from './release-kit';
import {
  KubeObject, PodSpecShape, ingressBackends, labelSelectorMatches, objectRef, podTemplateOf,
} from '../../../../manifests';
import { pointerOf } from '../../model/json-pointers';
import { ParamSpec, Slot } from '../../model/template-model';
import { camelCase, valuesRef, valueSlot } from '../../model/values-paths';
import { ReleaseContext } from '../deriver';

/** Kinds whose reference fields are known; any other kind is read generically (`generic.ts`). */
export const KNOWN_KINDS = new Set([
  'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'Service', 'Ingress', 'ConfigMap', 'Secret',
  'PersistentVolumeClaim', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceAccount', 'Namespace',
]);

/** Release slots, and the values some of them read (the namespaces NetworkPolicies name). */
export interface ReleaseSlots {
  readonly slots: Slot[];
  readonly params: ParamSpec[];
}

/** Slots of a pod spec (at `base`): references to the release's objects and label selectors of affinity terms and spread constraints. */
function podSpecSlots(ctx: ReleaseContext, spec: PodSpecShape, base: string[], namespace: string): Slot[] {
  const slots: Slot[] = [];
  (spec.volumes ?? []).forEach((v, i) => {
    const vp = [...base, 'volumes', String(i)];
    slots.push(...nameRef(ctx, [...vp, 'configMap', 'name'], v?.configMap?.name, 'ConfigMap'));
    (v?.projected?.sources ?? []).forEach((s, j) => {
      slots.push(...nameRef(ctx, [...vp, 'projected', 'sources', String(j), 'configMap', 'name'], s?.configMap?.name, 'ConfigMap'));
    });
  });
  for (const group of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    (spec[group] ?? []).forEach((c, i) => {
      const cp = [...base, group, String(i)];
      (c?.env ?? []).forEach((e, j) => {
        slots.push(...nameRef(ctx, [...cp, 'env', String(j), 'valueFrom', 'configMapKeyRef', 'name'], e?.valueFrom?.configMapKeyRef?.name, 'ConfigMap'));
      });
      (c?.envFrom ?? []).forEach((e, j) => {
        slots.push(...nameRef(ctx, [...cp, 'envFrom', String(j), 'configMapRef', 'name'], e?.configMapRef?.name, 'ConfigMap'));
      });
    });
  }
  const affinity = spec.affinity;
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const a = affinity?.[kind];
    (a?.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      if (!ownNamespace(ctx, t)) return;
      const p = [...base, 'affinity', kind, 'requiredDuringSchedulingIgnoredDuringExecution', String(i), 'labelSelector', 'matchLabels'];
      slots.push(...selectorSlots(ctx, t?.labelSelector?.matchLabels, p, podsOf(ctx, t?.labelSelector, namespace)));
    });
    (a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((w, i) => {
      const t = w?.podAffinityTerm;
      if (!ownNamespace(ctx, t)) return;
      const p = [...base, 'affinity', kind, 'preferredDuringSchedulingIgnoredDuringExecution', String(i), 'podAffinityTerm', 'labelSelector', 'matchLabels'];
      slots.push(...selectorSlots(ctx, t?.labelSelector?.matchLabels, p, podsOf(ctx, t?.labelSelector, namespace)));
    });
  }
  (spec.topologySpreadConstraints ?? []).forEach((t, i) => {
    const p = [...base, 'topologySpreadConstraints', String(i), 'labelSelector', 'matchLabels'];
    slots.push(...selectorSlots(ctx, t?.labelSelector?.matchLabels, p, podsOf(ctx, t?.labelSelector, namespace)));
  });
  return slots;
}

/** Slots (and values) of the known reference fields of an object's kind. */
export function knownSlots(ctx: ReleaseContext, doc: KubeObject, namespace: string): ReleaseSlots {
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const pod = podTemplateOf(objectRef(doc)!);
  if (pod) {
    const spec: PodSpecShape = pod.spec;
    slots.push(...labelMapSlots(ctx, pod.meta.labels, [...pointerOf(pod.metaPath), 'labels'], true));
    slots.push(...podSpecSlots(ctx, spec, pointerOf(pod.specPath), namespace));
    if (doc.kind !== 'Pod' && doc.kind !== 'Job' && doc.kind !== 'CronJob') {
      slots.push(...selectorSlots(ctx, doc.spec?.selector?.matchLabels, ['spec', 'selector', 'matchLabels'], [pod]));
    }
    if (doc.kind === 'CronJob') slots.push(...labelMapSlots(ctx, doc.spec?.jobTemplate?.metadata?.labels, ['spec', 'jobTemplate', 'metadata', 'labels'], false));
  }
  switch (doc.kind) {
    case 'StatefulSet':
      slots.push(...nameRef(ctx, ['spec', 'serviceName'], doc.spec?.serviceName, 'Service'));
      (doc.spec?.volumeClaimTemplates ?? []).forEach((t, i) => {
        slots.push(...labelMapSlots(ctx, t?.metadata?.labels, ['spec', 'volumeClaimTemplates', String(i), 'metadata', 'labels'], false));
      });
      break;
    case 'Service':
      slots.push(...selectorSlots(ctx, doc.spec?.selector, ['spec', 'selector'],
        ctx.layout.set.podsSelectedByMap(doc.spec?.selector, namespace)));
      break;
    case 'Ingress':
      for (const b of ingressBackends(doc)) {
        if (!b.legacy) slots.push(...nameRef(ctx, [...pointerOf(b.path.replace(/\[(\d+)\]/g, '.$1')), 'service', 'name'], b.serviceName, 'Service'));
      }
      break;
    case 'HorizontalPodAutoscaler':
      slots.push(...nameRef(ctx, ['spec', 'scaleTargetRef', 'name'], doc.spec?.scaleTargetRef?.name, doc.spec?.scaleTargetRef?.kind));
      break;
    case 'PodDisruptionBudget':
      slots.push(...selectorSlots(ctx, doc.spec?.selector?.matchLabels, ['spec', 'selector', 'matchLabels'], podsOf(ctx, doc.spec?.selector, namespace)));
      break;
    case 'NetworkPolicy': {
      const policy = networkPolicySlots(ctx, doc, namespace);
      slots.push(...policy.slots);
      params.push(...policy.params);
      break;
    }
    default:
  }
  return { slots, params };
}

/** The Prometheus peer's namespace and pod labels as the values `networkPolicy.prometheusNamespace` and `prometheusPodLabels`. */
function prometheusValues(peer: PrometheusPeer, namespaceAt: string[], labelsAt: string[]): ReleaseSlots {
  const namespacePath = ['networkPolicy', 'prometheusNamespace'];
  const labelsPath = ['networkPolicy', 'prometheusPodLabels'];
  return {
    slots: [inline(namespaceAt, `{{ ${valuesRef(namespacePath)} | quote }}`), valueSlot(labelsAt, labelsPath, 'object')],
    params: [
      {
        path: namespacePath,
        type: 'string',
        value: peer.namespace,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        description: `Namespace of the Prometheus the NetworkPolicies admit on the scraped ports (${peer.namespace} in the plain YAML)`,
      },
      {
        path: labelsPath,
        type: 'object',
        value: peer.labels,
        schema: { additionalProperties: { type: 'string' } },
        description: 'Labels of the Prometheus pods the NetworkPolicies admit on the scraped ports',
      },
    ],
  };
}

/** The values of the namespaces NetworkPolicies name besides their own. */
function foreignNamespacePath(ctx: ReleaseContext, doc: KubeObject, namespace: string): string[] {
  // The ingress controller: the namespace a policy admits traffic from to pods an Ingress routes to.
  const set = ctx.layout.set;
  const routed = set.ofKind('Ingress').some((ing) => ingressBackends(ing.raw).some((b) => {
    const svc = b.serviceName ? set.find('Service', b.serviceName, ing.namespace)?.raw as KubeObject | undefined : undefined;
    return svc && set.podsSelectedByMap(svc.spec?.selector, ing.namespace)
      .some((p) => labelSelectorMatches(doc.spec?.podSelector ?? {}, p.labels));
  }));
  return routed ? ['networkPolicy', 'ingressControllerNamespace'] : ['networkPolicy', 'namespaces', camelCase(namespace)];
}

function networkPolicySlots(ctx: ReleaseContext, doc: KubeObject, namespace: string): ReleaseSlots {
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const spec = doc.spec ?? {};
  const prometheus = prometheusPeer(ctx.layout.set, ctx.layout.namespaces);
  slots.push(...selectorSlots(ctx, spec.podSelector?.matchLabels, ['spec', 'podSelector', 'matchLabels'], podsOf(ctx, spec.podSelector, namespace)));
  for (const [dir, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
    (spec[dir] ?? []).forEach((rule, i) => {
      (rule?.[peersKey] ?? []).forEach((peer, j) => {
        const pp = ['spec', dir, String(i), peersKey, String(j)];
        const nsName = peer?.namespaceSelector?.matchLabels?.[NAMESPACE_NAME_LABEL];
        if (typeof nsName === 'string') {
          const at = [...pp, 'namespaceSelector', 'matchLabels', NAMESPACE_NAME_LABEL];
          if (ctx.layout.namespaces.has(nsName)) {
            slots.push(inline(at, '{{ $.Release.Namespace }}'));
          } else if (dir === 'ingress' && isPrometheus(prometheus, nsName, peer.podSelector?.matchLabels)) {
            const prom = prometheusValues(prometheus!, at, [...pp, 'podSelector', 'matchLabels']);
            slots.push(...prom.slots);
            params.push(...prom.params);
          } else {
            // The ingress controller is admitted by namespace alone; a peer naming pods there too (Prometheus) is another namespace value.
            const path = dir === 'ingress' && !peer.podSelector ? foreignNamespacePath(ctx, doc, nsName) : ['networkPolicy', 'namespaces', camelCase(nsName)];
            const role = path[1] === 'ingressControllerNamespace' ? 'the ingress controller\'s namespace, ' : '';
            params.push({
              path,
              type: 'string',
              value: nsName,
              pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
              description: `Namespace the NetworkPolicies name (${role}${nsName} in the plain YAML)`,
            });
            slots.push(inline(at, `{{ ${valuesRef(path)} | quote }}`));
          }
        }
        if (peer?.podSelector && ownNamespace(ctx, peer)) {
          slots.push(...selectorSlots(ctx, peer.podSelector.matchLabels, [...pp, 'podSelector', 'matchLabels'], podsOf(ctx, peer.podSelector, namespace)));
        }
      });
    });
  }
  return { slots, params };
}
