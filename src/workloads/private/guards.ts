import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NetworkPeer } from '../../networking/network-policy-options';
import { ScalingConfig } from '../workload-options';

/** @internal */
export interface GuardTarget {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly selectorLabels: Record<string, string>;
  readonly ports: Array<{ port: number; protocol: string }>;
}

/** An autoscaling/v2 HorizontalPodAutoscaler on CPU utilization. @internal */
export function addAutoscaler(scope: Construct, target: GuardTarget, scaling: ScalingConfig): k8s.KubeHorizontalPodAutoscalerV2 {
  return new k8s.KubeHorizontalPodAutoscalerV2(scope, 'Autoscaler', {
    metadata: { name: target.name, namespace: target.namespace, labels: target.labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target.name },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      metrics: [{
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.targetCpuPercent } },
      }],
    },
  });
}

/** A PodDisruptionBudget that keeps all but one pod up during voluntary disruptions. @internal */
export function addDisruptionBudget(scope: Construct, target: GuardTarget): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
    metadata: { name: target.name, namespace: target.namespace, labels: target.labels },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: target.selectorLabels },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}

/**
 * A NetworkPolicy admitting only the declared ports (from `ingressFrom` when given), and egress to
 * DNS plus `egressTo` (or everywhere when `egressTo` is unset).
 * @internal
 */
export function addNetworkPolicy(
  scope: Construct,
  target: GuardTarget,
  ingressFrom: NetworkPeer[] | undefined,
  egressTo: NetworkPeer[] | undefined,
): k8s.KubeNetworkPolicy {
  const peers = (list: NetworkPeer[]) => list.map((p) => ({
    podSelector: p.podLabels ? { matchLabels: p.podLabels } : (p.namespaceLabels ? undefined : {}),
    namespaceSelector: p.namespaceLabels ? { matchLabels: p.namespaceLabels } : undefined,
  }));
  const ingress: k8s.NetworkPolicyIngressRule[] = target.ports.length === 0 ? [] : [{
    from: ingressFrom && ingressFrom.length > 0 ? peers(ingressFrom) : undefined,
    ports: target.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })),
  }];
  const dns: k8s.NetworkPolicyEgressRule = {
    ports: [
      { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
      { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
    ],
  };
  const egress: k8s.NetworkPolicyEgressRule[] = egressTo === undefined ? [{}] : [dns, ...(egressTo.length > 0 ? [{ to: peers(egressTo) }] : [])];
  return new k8s.KubeNetworkPolicy(scope, 'NetworkPolicy', {
    metadata: { name: target.name, namespace: target.namespace, labels: target.labels },
    spec: {
      podSelector: { matchLabels: target.selectorLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress,
    },
  });
}
