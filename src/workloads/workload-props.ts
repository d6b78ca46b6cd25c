import { InitContainerSpec, SidecarSpec } from './workload-options';
import { ConfigMapConfiguration } from '../config/config-map-configuration';
import { SecretConfiguration } from '../config/secret-configuration';
import { Environment } from '../core/environment';
import { NetworkPolicyOptions } from '../networking/network-policy-options';
import { ContainerImage } from '../pod/container-image';
import { ResourceLimits } from '../pod/resource-limits';
import { TolerationSpec } from '../pod/scheduling';
import { SecurityProfile } from '../pod/security-profile';
import { WorkloadVolume } from '../pod/workload-volume';

/**
 * What DeploymentManifest and StatefulManifest share: the container, its configuration, its
 * security and resources, and the labels of the objects.
 */
export interface WorkloadProps {
  /**
   * Namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Target environment: decides the image pull policy and whether "latest" is allowed.
   * @default Environment.PRODUCTION
   */
  readonly environment?: Environment;
  /**
   * Value of `app.kubernetes.io/instance` (the system or release this belongs to).
   * @default - the name
   */
  readonly instance?: string;
  /**
   * Value of `app.kubernetes.io/part-of`.
   * @default - none
   */
  readonly partOf?: string;
  /**
   * Value of `app.kubernetes.io/version`.
   * @default - the image tag
   */
  readonly version?: string;
  /** The container image. */
  readonly image: ContainerImage;
  /**
   * Container name.
   * @default - the name
   */
  readonly containerName?: string;
  /**
   * Entrypoint.
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Literal environment variables (nothing secret: use `secrets`).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Requests and limits.
   * @default - ResourceLimits.DEFAULT_REQUESTS and DEFAULT_LIMITS
   */
  readonly resourceLimits?: ResourceLimits;
  /**
   * Security profile.
   * @default - a SecurityProfile with its defaults (restricted profile)
   */
  readonly securityProfile?: SecurityProfile;
  /**
   * Config maps, consumed as environment variables or mounted files.
   * @default - none
   */
  readonly configMaps?: ConfigMapConfiguration[];
  /**
   * Secrets, consumed as environment variables or mounted files.
   * @default - none
   */
  readonly secrets?: SecretConfiguration[];
  /**
   * The NetworkPolicy: ingress to the declared ports, egress rules (CIDRs, pods, namespaces, ports).
   * @default - admit the declared ports from anywhere, allow all egress
   */
  readonly networkPolicy?: NetworkPolicyOptions;
  /**
   * Labels the workload and its Service select pods by. They never change across versions.
   * @default - app.kubernetes.io/name and app.kubernetes.io/instance
   */
  readonly selectorLabels?: { [key: string]: string };
  /**
   * Extra pod labels; they may not change a selector label.
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Further volumes (for example a CertificateBundle's `volume()`).
   * @default - none
   */
  readonly volumes?: WorkloadVolume[];
  /**
   * Init containers.
   * @default - none
   */
  readonly initContainers?: InitContainerSpec[];
  /**
   * Sidecars: further regular containers of the pods, with the workload's security profile and
   * volumes, and resources and probes like the main container (see `SidecarSpec`).
   * @default - none
   */
  readonly sidecars?: SidecarSpec[];
  /**
   * Probe the first port with TCP connects (startup, readiness, liveness) for every probe kind that
   * no health endpoint covers: for servers that speak no HTTP. Liveness and readiness then check
   * the same thing, which the workload waives (`probe-not-identical`) with the reason.
   * @default - true for a StatefulManifest without `healthEndpoints`; false otherwise (a
   * DeploymentManifest probes HTTP health endpoints on its first port)
   */
  readonly tcpHealthCheck?: boolean;
  /**
   * Annotations of the pods (for example Prometheus scrape annotations).
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Node selector.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations.
   * @default - none
   */
  readonly tolerations?: TolerationSpec[];
  /**
   * Give the main container the ServiceAccount's token, for an app that calls the Kubernetes API:
   * a projected volume at /var/run/secrets/kubernetes.io/serviceaccount (a bound token the kubelet
   * rotates, `ca.crt` and `namespace`, where in-cluster clients read them). The pod itself keeps
   * `automountServiceAccountToken: false`, so init containers and sidecars get no token.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Service account to run as.
   * @default - the namespace's default account
   */
  readonly serviceAccountName?: string;
}
