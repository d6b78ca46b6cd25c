/**
 * Where the NetworkPolicies admit Prometheus: the peer of an ingress rule that names pods in a
 * namespace outside the chart (a namespaceSelector by name and a podSelector together) and admits
 * them on a port the objects declare scraped (a ServiceMonitor or PodMonitor target, the
 * `prometheus.io/port` annotation). Its namespace and pod labels are the chart's values
 * `networkPolicy.prometheusNamespace` and `networkPolicy.prometheusPodLabels`, as the ingress
 * controller's namespace is `networkPolicy.ingressControllerNamespace`. When the policies admit
 * several such peers (two Prometheus), none is named so: each namespace stays a value of its own.
 */
import { NAMESPACE_NAME_LABEL } from './release-kit';
import { KubeObject, ManifestSet, ObjectRef, StringMap, declaredFlows, labelSelectorMatches, portsAdmit } from '../../../../manifests';
import { jsonEqual } from '../../model/json-pointers';

/** Prometheus's pods as the NetworkPolicies name them. */
export interface PrometheusPeer {
  readonly namespace: string;
  readonly labels: StringMap;
}

const FOUND = new WeakMap<ManifestSet, PrometheusPeer | null>();

/** The one Prometheus the objects' NetworkPolicies admit on their scraped ports (`namespaces`: the chart's own), if any. */
export function prometheusPeer(set: ManifestSet, namespaces: ReadonlySet<string>): PrometheusPeer | undefined {
  let found = FOUND.get(set);
  if (found === undefined) {
    FOUND.set(set, found = findPeer(set, namespaces) ?? null);
  }
  return found ?? undefined;
}

/** Whether a NetworkPolicy peer names the Prometheus pods. */
export function isPrometheus(peer: PrometheusPeer | undefined, namespace: string, labels: StringMap | undefined): boolean {
  return peer !== undefined && peer.namespace === namespace && jsonEqual(peer.labels, labels ?? {});
}

function findPeer(set: ManifestSet, namespaces: ReadonlySet<string>): PrometheusPeer | undefined {
  // The peers that could be Prometheus first (pods in another namespace): the flows only when there are any.
  const candidates: { policy: ObjectRef; ports: unknown; peer: PrometheusPeer }[] = [];
  for (const policy of set.ofKind('NetworkPolicy')) {
    for (const rule of (policy.raw as KubeObject).spec?.ingress ?? []) {
      for (const peer of rule?.from ?? []) {
        const namespace = peer?.namespaceSelector?.matchLabels?.[NAMESPACE_NAME_LABEL];
        const labels = peer?.podSelector?.matchLabels;
        if (typeof namespace !== 'string' || namespaces.has(namespace) || !labels || Object.keys(labels).length === 0) continue;
        candidates.push({ policy, ports: rule?.ports, peer: { namespace, labels } });
      }
    }
  }
  if (candidates.length === 0) return undefined;
  const scrapes = declaredFlows(set).filter((f) => f.kind === 'metrics' && f.to.pods !== undefined);
  const found: PrometheusPeer[] = [];
  for (const c of candidates) {
    const selector = (c.policy.raw as KubeObject).spec?.podSelector;
    const admitted = scrapes.some((f) => f.to.pods!.namespace === c.policy.namespace && labelSelectorMatches(selector, f.to.pods!.labels)
      && portsAdmit(c.ports, f.port, f.protocol, f.to.pods!.ports));
    if (admitted && !found.some((p) => isPrometheus(p, c.peer.namespace, c.peer.labels))) found.push(c.peer);
  }
  return found.length === 1 ? found[0] : undefined;
}
