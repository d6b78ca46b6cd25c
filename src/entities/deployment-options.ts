import { ContainerImage } from './container-image';
import { Protocol } from './environment';
import { ExternalTrafficPolicy, ServicePortSpec, ServiceType, SessionAffinity } from './service-configuration';

/** What a deployment manifest is synthesized to (seed 000 Deployment Manifest `type`). */
export enum ManifestType {
  /** Kubernetes objects (and a Helm chart). */
  KUBERNETES = 'kubernetes',
  /** A docker-compose service. */
  DOCKER_COMPOSE = 'docker-compose',
}

/** A port the container listens on. */
export interface ContainerPortSpec {
  /**
   * Port name (IANA service name, at most 15 characters).
   * @default "http" for the first port, else none
   */
  readonly name?: string;
  /** Port number, 1-65535. */
  readonly containerPort: number;
  /**
   * Protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/** Horizontal autoscaling (seed 000 `scaling_config`). */
export interface ScalingConfig {
  /** Fewest replicas, at least 1. */
  readonly minReplicas: number;
  /** Most replicas, at least minReplicas. */
  readonly maxReplicas: number;
  /** Average CPU utilization to aim for, 1-100 percent of the request. */
  readonly targetCpuPercent: number;
}

/** Rolling update limits (seed 003: maxSurge 1, maxUnavailable 0). */
export interface RollingUpdateConfig {
  /**
   * Extra pods allowed during an update.
   * @default 1
   */
  readonly maxSurge?: number;
  /**
   * Pods allowed to be unavailable during an update.
   * @default 0
   */
  readonly maxUnavailable?: number;
}

/** An init container (seed 002 `init_containers`); it runs with the workload's security profile and resources. */
export interface InitContainerSpec {
  /** Container name (DNS-1123 label). */
  readonly name: string;
  /** Image to run. */
  readonly image: ContainerImage;
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
}

/** How a toleration matches a taint. */
export enum TolerationOperator {
  /** The taint's value must equal the toleration's. */
  EQUAL = 'Equal',
  /** Any value of the key. */
  EXISTS = 'Exists',
}

/** What a taint does to pods that do not tolerate it. */
export enum TaintEffect {
  /** Not scheduled on the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** Scheduled on the node only when nowhere else fits. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Not scheduled, and evicted when running. */
  NO_EXECUTE = 'NoExecute',
}

/** A node taint the pods tolerate (seed 002 `tolerations`). */
export interface TolerationSpec {
  /** Taint key. */
  readonly key: string;
  /**
   * How the value is matched.
   * @default TolerationOperator.EQUAL
   */
  readonly operator?: TolerationOperator;
  /**
   * Taint value (with Equal).
   * @default - none
   */
  readonly value?: string;
  /**
   * The taint effect tolerated.
   * @default - all effects
   */
  readonly effect?: TaintEffect;
}

/** The Service a DeploymentManifest creates for its ports. */
export interface DeploymentServiceOptions {
  /**
   * Service name (DNS-1123 label).
   * @default - the deployment's name
   */
  readonly serviceName?: string;
  /**
   * Service type.
   * @default ServiceType.CLUSTER_IP
   */
  readonly serviceType?: ServiceType;
  /**
   * Ports; each targetPort must be a container port.
   * @default - one per container port, same number and name
   */
  readonly ports?: ServicePortSpec[];
  /**
   * Session affinity.
   * @default SessionAffinity.NONE
   */
  readonly sessionAffinity?: SessionAffinity;
  /**
   * External traffic policy (NodePort and LoadBalancer only).
   * @default - Kubernetes' default
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /**
   * A headless Service (clusterIP None).
   * @default false
   */
  readonly headless?: boolean;
}

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
