import { Protocol } from '../core/protocol';

/** Pods or namespaces a NetworkPolicy rule admits. Both set: pods with these labels in such namespaces. */
export interface NetworkPeer {
  /**
   * Labels of the admitted pods.
   * @default - any pod
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Labels of the admitted namespaces.
   * @default - the policy's own namespace
   */
  readonly namespaceLabels?: { [key: string]: string };
}

/** An IP address block a NetworkPolicy rule admits (`ipBlock`). */
export interface IpBlockSpec {
  /** The block in CIDR notation, such as "203.0.113.0/24". */
  readonly cidr: string;
  /**
   * Blocks strictly inside `cidr` to leave out, such as "203.0.113.128/25".
   * @default - none
   */
  readonly except?: string[];
}

/** A port (or range of ports) a NetworkPolicy rule allows. */
export interface NetworkPortSpec {
  /** Port number, 1-65535 (the first of the range when `endPort` is set). */
  readonly port: number;
  /**
   * Last port of a range (at least `port`).
   * @default - the single port
   */
  readonly endPort?: number;
  /**
   * Protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/**
 * One egress rule: connections to these destinations on these ports. Destinations are IP address
 * blocks and/or pods and namespaces; a host name cannot be expressed (NetworkPolicies match IP
 * addresses only): give the addresses it resolves to as CIDRs.
 */
export interface EgressRule {
  /**
   * IP address blocks.
   * @default - none (then `peers` decide; with neither, any destination)
   */
  readonly ipBlocks?: IpBlockSpec[];
  /**
   * Pods and namespaces.
   * @default - none (then `ipBlocks` decide; with neither, any destination)
   */
  readonly peers?: NetworkPeer[];
  /**
   * Ports and protocols.
   * @default - every port
   */
  readonly ports?: NetworkPortSpec[];
}

/** The NetworkPolicy a DeploymentManifest creates. */
export interface NetworkPolicyOptions {
  /**
   * Create the NetworkPolicy.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Who may connect to the declared container ports.
   * @default - anyone (still only on the declared ports)
   */
  readonly ingressFrom?: NetworkPeer[];
  /**
   * Pods and namespaces the pods may connect to (any port). Setting this or `egressRules`
   * restricts egress to DNS plus what they list.
   * @default - all egress allowed, unless `egressRules` is set
   */
  readonly egressTo?: NetworkPeer[];
  /**
   * Egress rules: IP address blocks (with `except`), pods and namespaces, each with ports and
   * protocols. Setting this or `egressTo` restricts egress to DNS plus what they list.
   * @default - all egress allowed, unless `egressTo` is set
   */
  readonly egressRules?: EgressRule[];
  /**
   * While egress is restricted, allow DNS (UDP and TCP 53) to `dnsServer`.
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * The cluster DNS pods that restricted egress may reach on port 53.
   * @default - pods labeled k8s-app=kube-dns in the kube-system namespace (CoreDNS and kube-dns)
   */
  readonly dnsServer?: NetworkPeer;
}
