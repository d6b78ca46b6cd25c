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
   * Where the pods may connect to, besides DNS. Leave unset to allow all egress.
   * @default - all egress allowed
   */
  readonly egressTo?: NetworkPeer[];
}
