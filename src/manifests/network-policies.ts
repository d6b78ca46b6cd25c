/**
 * NetworkPolicies read with Kubernetes' semantics (networking.k8s.io/v1), to tell whether one
 * connection may pass:
 * - a pod is isolated for a direction when any NetworkPolicy of its namespace selects it
 *   (`podSelector`, `{}` selects all) and has that direction among its `policyTypes`; unset
 *   `policyTypes` mean Ingress, plus Egress when the policy has egress rules;
 * - an isolated pod admits what any rule of any such policy admits (the union); `ingress: []` or
 *   no rules admit nothing, a rule without `from`/`to` (or with an empty list) admits every peer,
 *   without `ports` (or with an empty list) every port;
 * - a peer's `podSelector` alone means pods of the policy's namespace, `namespaceSelector` alone
 *   every pod of the namespaces it selects (by their labels, `kubernetes.io/metadata.name` among
 *   them; of a namespace whose Namespace is not among the objects only that label is known), both
 *   in one peer pods with those labels in those namespaces; `ipBlock` is a CIDR less its `except`
 *   blocks;
 * - a port is a number (with `endPort`, a range) or a name, resolved against the destination pod's
 *   container ports; the protocol defaults to TCP;
 * - a connection passes when the source's egress and the destination's ingress both admit it.
 *
 * Where the objects cannot tell (the IP address of a pod, the labels of a namespace they do not
 * hold, the namespace of objects without one), a connection counts as admitted: only what surely
 * breaks is reported.
 */
import { ManifestSet } from './manifest-set';
import { isKubernetesNetworkPolicy, ObjectRef } from './objects';
import { AddressRange, blockRanges, covers } from './private/address-blocks';
import { labelSelectorMatches } from './selectors';

/** The label the API server sets on every namespace: its name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A port a container declares: number, protocol, and the name a policy or Service may use. */
export interface NamedPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
}

/** Pods as NetworkPolicies see them: their namespace, labels and container ports. */
export interface PodPeer {
  /** `''` for objects without a namespace. */
  readonly namespace: string;
  readonly labels: { [key: string]: string };
  /** The ports the pods' containers declare (for named ports of policies). */
  readonly ports: readonly NamedPort[];
  /**
   * The pods run outside the objects: `labels` are labels they are known to carry, others are
   * unknown, so a selector requirement on another label may hold.
   * @default false
   */
  readonly outside?: boolean;
}

/** Addresses outside the cluster: a block in CIDR notation less its exceptions. */
export interface AddressBlock {
  readonly cidr: string;
  readonly except: readonly string[];
}

/** One connection: from pods to pods or to addresses, on a port. */
export interface Connection {
  readonly source: PodPeer;
  /** The destination pods, unless `addresses` is given. */
  readonly destination?: PodPeer;
  /** The destination addresses (outside the cluster). */
  readonly addresses?: AddressBlock;
  readonly port: number;
  /** TCP, UDP or SCTP. */
  readonly protocol: string;
}

/** What stops a connection: the policies isolating each end that admit none of it (empty: that end lets it pass). */
export interface Verdict {
  /** The source's egress policies, when none admits the connection. */
  readonly egressBlockedBy: ObjectRef[];
  /** The destination's ingress policies, when none admits the connection. */
  readonly ingressBlockedBy: ObjectRef[];
}

/** The directions a NetworkPolicy isolates: `policyTypes`, or Ingress plus Egress when it has egress rules. */
export function policyTypes(policy: any): { readonly ingress: boolean; readonly egress: boolean } {
  const spec = policy?.spec ?? {};
  const types = Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0 ? spec.policyTypes : undefined;
  if (types) return { ingress: types.includes('Ingress'), egress: types.includes('Egress') };
  return { ingress: true, egress: Array.isArray(spec.egress) && spec.egress.length > 0 };
}

/** Whether the connection passes the NetworkPolicies of `set`, and if not, which policies stop it. */
export function evaluateConnection(set: ManifestSet, c: Connection): Verdict {
  const egressPolicies = isolating(set, c.source, 'egress');
  const ingressPolicies = c.destination ? isolating(set, c.destination, 'ingress') : [];
  const egressAdmits = egressPolicies.length === 0 || (c.destination
    ? egressPolicies.some((p) => rulesOf(p, 'egress').some((rule) => ruleAdmitsPods(set, p, rule, 'to', c.destination!, c)))
    : egressAdmitsAddresses(egressPolicies, c));
  const ingressAdmits = ingressPolicies.length === 0
    || ingressPolicies.some((p) => rulesOf(p, 'ingress').some((rule) => ruleAdmitsPods(set, p, rule, 'from', c.source, c)));
  return { egressBlockedBy: egressAdmits ? [] : egressPolicies, ingressBlockedBy: ingressAdmits ? [] : ingressPolicies };
}

/** The NetworkPolicies (networking.k8s.io, not another engine's kind of that name) that isolate these pods for a direction. */
export function isolating(set: ManifestSet, pods: PodPeer, direction: 'ingress' | 'egress'): ObjectRef[] {
  return set.networkPoliciesFor(pods.namespace, pods.labels).filter((p) => policyTypes(p.raw)[direction]);
}


/**
 * Policy objects of other engines (Cilium, Calico, the policy.networking.k8s.io admin policies):
 * they admit or deny traffic too, by rules this evaluator does not read.
 */
export function otherNetworkPolicies(set: ManifestSet): ObjectRef[] {
  let found = OTHER_POLICIES.get(set);
  if (!found) {
    found = set.objects.filter((o) => /NetworkPolicy$/.test(o.kind) && !isKubernetesNetworkPolicy(o));
    OTHER_POLICIES.set(set, found);
  }
  return found;
}
// Rules ask once per pod: the objects of a set never change, so one scan serves them all.
const OTHER_POLICIES = new WeakMap<ManifestSet, ObjectRef[]>();

function rulesOf(policy: ObjectRef, direction: 'ingress' | 'egress'): any[] {
  const rules = policy.raw.spec?.[direction];
  return Array.isArray(rules) ? rules.filter((r) => r && typeof r === 'object') : [];
}

/** A rule admits the other end (pods) when a peer matches it (or the rule names none) and a port matches. */
function ruleAdmitsPods(set: ManifestSet, policy: ObjectRef, rule: any, key: 'from' | 'to', other: PodPeer, c: Connection): boolean {
  if (!portsAdmit(rule.ports, c.port, c.protocol, c.destination?.ports)) return false;
  const peers = Array.isArray(rule[key]) ? rule[key] : [];
  return peers.length === 0 || peers.some((peer: any) => peerMatchesPods(set, policy, peer, other));
}

/** Whether a peer may select the pods: by pod and namespace labels, or by an address block (a pod's address is unknown). */
export function peerMatchesPods(set: ManifestSet, policy: ObjectRef, peer: any, pods: PodPeer): boolean {
  if (!peer || typeof peer !== 'object') return false;
  if (peer.ipBlock) return true;
  const hasPods = peer.podSelector !== undefined && peer.podSelector !== null;
  const hasNamespaces = peer.namespaceSelector !== undefined && peer.namespaceSelector !== null;
  if (!hasPods && !hasNamespaces) return false;
  if (hasNamespaces) {
    if (!namespaceMaySelect(set, peer.namespaceSelector, pods.namespace)) return false;
  } else if (pods.namespace !== policy.namespace) {
    return false;
  }
  if (!hasPods) return true;
  return pods.outside
    ? selectorMayMatch(peer.podSelector, pods.labels, (key) => Object.prototype.hasOwnProperty.call(pods.labels, key))
    : labelSelectorMatches(peer.podSelector, pods.labels);
}

/**
 * Whether a `namespaceSelector` may select a namespace: by its labels when its Namespace is among the
 * objects; for any other namespace only `kubernetes.io/metadata.name` is known (whoever made it may
 * have labeled it), so only the requirements on that label decide.
 */
function namespaceMaySelect(set: ManifestSet, selector: any, namespace: string): boolean {
  const labels = set.namespaceLabels(namespace);
  if (labels === undefined) return true;
  if (set.find('Namespace', namespace, '')) return labelSelectorMatches(selector, labels);
  return selectorMayMatch(selector, labels, (key) => key === NAMESPACE_NAME_LABEL);
}

/** Whether a `LabelSelector` may match labels of which only the `known` keys are known: the requirements on other keys may hold. */
function selectorMayMatch(selector: any, labels: { [key: string]: string }, known: (key: string) => boolean): boolean {
  if (!selector || typeof selector !== 'object') return false;
  return labelSelectorMatches({
    matchLabels: Object.fromEntries(Object.entries(selector.matchLabels ?? {}).filter(([k]) => known(k))),
    matchExpressions: (Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []).filter((e: any) => known(String(e?.key))),
  }, labels);
}

/**
 * Whether a rule's `ports` admit a port: none listed admits all; else one entry of the protocol
 * (TCP by default) whose number, range (`endPort`) or name (a port of the destination pods) holds it.
 */
export function portsAdmit(ports: unknown, port: number, protocol: string, destinationPorts: readonly NamedPort[] | undefined): boolean {
  if (!Array.isArray(ports) || ports.length === 0) return true;
  return ports.some((p: any) => {
    if (!p || typeof p !== 'object' || (p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined || p.port === null) return true;
    const number = typeof p.port === 'number' ? p.port : /^\d+$/.test(String(p.port)) ? Number(p.port) : undefined;
    if (number === undefined) {
      return (destinationPorts ?? []).some((d) => d.name === p.port && d.port === port && d.protocol === protocol);
    }
    const end = typeof p.endPort === 'number' ? p.endPort : number;
    return port >= number && port <= end;
  });
}

/** Egress to addresses: the admitted blocks of every rule whose ports match must hold the whole destination block. */
function egressAdmitsAddresses(policies: ObjectRef[], c: Connection): boolean {
  const needed = blockRanges(c.addresses?.cidr, c.addresses?.except);
  if (needed.length === 0) return true;
  const admitted: AddressRange[] = [];
  for (const policy of policies) {
    for (const rule of rulesOf(policy, 'egress')) {
      if (!portsAdmit(rule.ports, c.port, c.protocol, [])) continue;
      const peers = Array.isArray(rule.to) ? rule.to : [];
      if (peers.length === 0) return true;
      for (const peer of peers) {
        const block = peer?.ipBlock;
        if (block) admitted.push(...blockRanges(block.cidr, Array.isArray(block.except) ? block.except : []));
      }
    }
  }
  return covers(admitted, needed);
}
