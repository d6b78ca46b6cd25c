import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OUTSIDE_PODS } from '../../core/conventions';
import { Findings } from '../../core/findings';
import { labelProblems } from '../../core/labels';
import { Protocol } from '../../core/protocol';
import { cidr, cidrStrictlyInside } from '../../core/rules/network';
import { integerBetween, portNumber } from '../../core/rules/numbers';
import { EgressRule, NetworkPeer, NetworkPolicyOptions } from '../../networking/network-policy-options';
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

/** The cluster DNS pods restricted egress may reach unless `dnsServer` says otherwise. @internal */
export const KUBE_DNS: NetworkPeer = {
  namespaceLabels: { 'kubernetes.io/metadata.name': OUTSIDE_PODS.clusterDns.namespace },
  podLabels: { ...OUTSIDE_PODS.clusterDns.labels },
};

const PROTOCOLS: string[] = Object.values(Protocol);

/** The ingress rules of each NetworkPolicy this room made: rendered at synth, so a rule added later is kept. */
const INGRESS_RULES = new WeakMap<k8s.KubeNetworkPolicy, k8s.NetworkPolicyIngressRule[]>();

function peers(list: NetworkPeer[]): k8s.NetworkPolicyPeer[] {
  return list.map((p) => ({
    podSelector: p.podLabels ? { matchLabels: p.podLabels } : (p.namespaceLabels ? undefined : {}),
    namespaceSelector: p.namespaceLabels ? { matchLabels: p.namespaceLabels } : undefined,
  }));
}

/** Records every broken rule of the NetworkPolicy options (peers' labels, CIDRs, ports). */
function checkOptions(findings: Findings, options: NetworkPolicyOptions): void {
  const checkPeer = (field: string, p: NetworkPeer) => {
    for (const [f, v, e] of labelProblems(`${field}.podLabels`, p.podLabels)) findings.add(f, v, e);
    for (const [f, v, e] of labelProblems(`${field}.namespaceLabels`, p.namespaceLabels)) findings.add(f, v, e);
  };
  const checkPeers = (field: string, list: NetworkPeer[] | undefined) => (list ?? []).forEach((p, i) => checkPeer(`${field}[${i}]`, p));
  checkPeers('networkPolicy.ingressFrom', options.ingressFrom);
  checkPeers('networkPolicy.egressTo', options.egressTo);
  if (options.dnsServer) checkPeer('networkPolicy.dnsServer', options.dnsServer);
  (options.egressRules ?? []).forEach((rule, i) => {
    const at = `networkPolicy.egressRules[${i}]`;
    checkPeers(`${at}.peers`, rule.peers);
    (rule.ipBlocks ?? []).forEach((block, j) => {
      if (!findings.check(`${at}.ipBlocks[${j}].cidr`, block.cidr, cidr)) return;
      (block.except ?? []).forEach((e, k) => {
        if (findings.check(`${at}.ipBlocks[${j}].except[${k}]`, e, cidr)) findings.check(`${at}.ipBlocks[${j}].except[${k}]`, e, cidrStrictlyInside(block.cidr));
      });
    });
    (rule.ports ?? []).forEach((p, j) => {
      findings.check(`${at}.ports[${j}].port`, p.port, portNumber);
      if (p.endPort !== undefined) findings.check(`${at}.ports[${j}].endPort`, p.endPort, integerBetween(Math.max(1, p.port), 65535));
      if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) findings.add(`${at}.ports[${j}].protocol`, p.protocol, `one of ${PROTOCOLS.join(', ')}`);
    });
  });
}

function egressRule(rule: EgressRule): k8s.NetworkPolicyEgressRule {
  const to = [
    ...(rule.ipBlocks ?? []).map((b) => ({ ipBlock: { cidr: b.cidr, except: b.except && b.except.length > 0 ? [...b.except] : undefined } })),
    ...peers(rule.peers ?? []),
  ];
  return {
    to: to.length > 0 ? to : undefined,
    ports: rule.ports && rule.ports.length > 0
      ? rule.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), endPort: p.endPort, protocol: p.protocol ?? Protocol.TCP }))
      : undefined,
  };
}

/**
 * A NetworkPolicy admitting only the declared ports (from `ingressFrom` when given). Egress is open
 * unless `egressTo` or `egressRules` is set; then it is DNS to the cluster DNS pods (unless
 * `allowDns` is false) plus exactly those destinations.
 * @internal
 */
export function addNetworkPolicy(
  scope: Construct,
  findings: Findings,
  target: GuardTarget,
  options: NetworkPolicyOptions = {},
): k8s.KubeNetworkPolicy {
  checkOptions(findings, options);
  const ingressFrom = options.ingressFrom;
  const ingress: k8s.NetworkPolicyIngressRule[] = target.ports.length === 0 ? [] : [{
    from: ingressFrom && ingressFrom.length > 0 ? peers(ingressFrom) : undefined,
    ports: target.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })),
  }];
  const restricted = options.egressTo !== undefined || options.egressRules !== undefined;
  // (INGRESS_RULES below keeps `ingress` for admitIngress.)
  const dns: k8s.NetworkPolicyEgressRule = {
    to: peers([options.dnsServer ?? KUBE_DNS]),
    ports: [
      { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
      { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
    ],
  };
  const egress: k8s.NetworkPolicyEgressRule[] = !restricted ? [{}] : [
    ...(options.allowDns ?? true ? [dns] : []),
    ...(options.egressTo && options.egressTo.length > 0 ? [{ to: peers(options.egressTo) }] : []),
    ...(options.egressRules ?? []).map(egressRule),
  ];
  const policy = new k8s.KubeNetworkPolicy(scope, 'NetworkPolicy', {
    metadata: { name: target.name, namespace: target.namespace, labels: target.labels },
    spec: {
      podSelector: { matchLabels: target.selectorLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress,
    },
  });
  INGRESS_RULES.set(policy, ingress);
  return policy;
}

/**
 * Adds an ingress rule admitting `peer` to `port` (TCP) to a NetworkPolicy of `addNetworkPolicy`,
 * unless a rule admits every source on that port already, or the same rule is there.
 * @internal
 */
export function admitIngress(policy: k8s.KubeNetworkPolicy, peer: NetworkPeer, port: number): void {
  const rules = INGRESS_RULES.get(policy);
  if (!rules) return;
  const onPort = (rule: k8s.NetworkPolicyIngressRule) => !rule.ports || rule.ports.some((p) => p.port?.value === port && (p.protocol ?? 'TCP') === 'TCP');
  if (rules.some((rule) => (!rule.from || rule.from.length === 0) && onPort(rule))) return;
  const rule: k8s.NetworkPolicyIngressRule = { from: peers([peer]), ports: [{ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' }] };
  if (rules.some((r) => JSON.stringify(r) === JSON.stringify(rule))) return;
  rules.push(rule);
}
