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
import { KubeObject, ManifestSet, StringMap, declaredFlows, labelSelectorMatches, portsAdmit } from '../../../../manifests';
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
  const scrapes = declaredFlows(set).filter((f) => f.kind === 'metrics' && f.to.pods !== undefined);
  if (scrapes.length === 0) return undefined;
  const found: PrometheusPeer[] = [];
  for (const policy of set.ofKind('NetworkPolicy')) {
    const spec = (policy.raw as KubeObject).spec;
    const scraped = scrapes.filter((f) => f.to.pods!.namespace === policy.namespace && labelSelectorMatches(spec?.podSelector, f.to.pods!.labels));
    for (const rule of spec?.ingress ?? []) {
      if (!scraped.some((f) => portsAdmit(rule?.ports, f.port, f.protocol, f.to.pods!.ports))) continue;
      for (const peer of rule?.from ?? []) {
        const namespace = peer?.namespaceSelector?.matchLabels?.[NAMESPACE_NAME_LABEL];
        const labels = peer?.podSelector?.matchLabels;
        if (typeof namespace !== 'string' || namespaces.has(namespace) || !labels || Object.keys(labels).length === 0) continue;
        if (!found.some((p) => isPrometheus(p, namespace, labels))) found.push({ namespace, labels });
      }
    }
  }
  return found.length === 1 ? found[0] : undefined;
}
