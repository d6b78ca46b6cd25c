import { Protocol } from '../core/protocol';
import { ExternalTrafficPolicy, ServicePortSpec, ServiceType, SessionAffinity } from '../networking/service-configuration';
import { ContainerImage } from '../pod/container-image';
import { HealthEndpoint } from '../pod/health-endpoint';
import { ResourceLimits } from '../pod/resource-limits';

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
   * @default "http" for the first port when it is TCP (a UDP or SCTP port is no HTTP port: service
   * meshes read the name as the protocol), else none
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

/**
 * A sidecar: a further regular container of the workload's pods (Kubernetes 1.28 has native
 * sidecars, init containers with `restartPolicy: Always`, only behind the alpha feature gate
 * SidecarContainers, off by default; so a sidecar is a regular container and starts alongside the
 * main one). It runs with the workload's security profile (restricted), mounts the pod's volumes as
 * every container does, takes no environment from the workload's config maps and secrets (only its
 * own `env`), and gets resources and probes like the main container. Its ports join the pod's: the
 * Service and the NetworkPolicy expose them too.
 */
export interface SidecarSpec {
  /** Container name (DNS-1123 label), unique in the pod. */
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
  /**
   * Literal environment variables (nothing secret).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Container ports, unique in the pod.
   * @default - none
   */
  readonly ports?: ContainerPortSpec[];
  /**
   * Health endpoints on its ports, at most one per kind.
   * @default - liveness /health/live and readiness /health/ready on its first port, when it has one
   *   and `tcpHealthCheck` is not set
   */
  readonly healthEndpoints?: HealthEndpoint[];
  /**
   * Probe its first port with TCP connects for every probe kind no health endpoint covers.
   * @default false
   */
  readonly tcpHealthCheck?: boolean;
  /**
   * Requests and limits.
   * @default - the main container's
   */
  readonly resourceLimits?: ResourceLimits;
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
