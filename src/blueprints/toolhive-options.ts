import { ClusterAccessLevel, TargetClusterProps } from '../clusters/target-cluster';
import { Environment } from '../core/environment';
import { McpRegistryProps } from '../mcp/mcp-registry';
import { McpServerAttributes } from '../mcp/mcp-server';
import { RateLimiting } from '../networking/ingress-configuration';
import { EgressRule } from '../networking/network-policy-options';
import { ImagePullPolicy } from '../pod/container-image';

/** Where an image of the ToolHive registry application comes from. */
export interface ToolHiveImageOptions {
  /**
   * Registry host, such as "ghcr.io".
   * @default - Docker Hub (or the node's own images)
   */
  readonly registry?: string;
  /** Repository, such as "toolhive-api". */
  readonly repository: string;
  /**
   * Tag: a semantic version, or "latest" in development only.
   * @default - none when a digest is given
   */
  readonly tag?: string;
  /**
   * Digest ("sha256:...") pinning the image.
   * @default - none
   */
  readonly digest?: string;
  /**
   * Pull policy.
   * @default - IfNotPresent in development, Always elsewhere
   */
  readonly imagePullPolicy?: ImagePullPolicy;
}

/** An MCP server of a registry, deployed as one instance (seed 004 Server and Instance). */
export interface ToolHiveServerOptions extends McpServerAttributes {
  /** Name of the registry (among `registries`) the server definition comes from. */
  readonly registry: string;
  /**
   * Name of the instance (its Deployment and Service).
   * @default - the server's name
   */
  readonly instanceName?: string;
  /**
   * Desired replicas (0 = deployed, scaled to zero).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Deployment parameters: environment variables of the server (nothing secret).
   * @default - none
   */
  readonly configuration?: { [name: string]: string };
  /**
   * An existing Secret whose keys the server gets as environment variables (for example an API token).
   * @default - none
   */
  readonly secretName?: string;
  /**
   * Keys the Secret must hold (listed in the chart's notes).
   * @default - none
   */
  readonly secretKeys?: string[];
}

/** How long the registry application caches what it reads (the seed's caching strategy), in seconds. */
export interface ToolHiveCaching {
  /**
   * Registry server lists.
   * @default 300
   */
  readonly registryServersSeconds?: number;
  /**
   * Instance status.
   * @default 30
   */
  readonly instanceStatusSeconds?: number;
  /**
   * Monitoring metrics.
   * @default 15
   */
  readonly monitoringMetricsSeconds?: number;
  /**
   * Deployment logs.
   * @default 120
   */
  readonly deploymentLogsSeconds?: number;
}

/** How long the registry application keeps its records (the seed's data retention), in days. */
export interface ToolHiveRetention {
  /**
   * Deployment logs.
   * @default 30
   */
  readonly deploymentLogsDays?: number;
  /**
   * Detailed monitoring metrics.
   * @default 7
   */
  readonly detailedMetricsDays?: number;
  /**
   * Aggregated monitoring metrics.
   * @default 90
   */
  readonly aggregatedMetricsDays?: number;
  /**
   * Audit logs.
   * @default 365
   */
  readonly auditLogDays?: number;
  /**
   * Configuration history; 0 keeps it indefinitely.
   * @default 0
   */
  readonly configurationHistoryDays?: number;
}

/** Props of the ToolHiveRegistry blueprint (seed 004). */
export interface ToolHiveRegistryProps {
  /**
   * Target environment.
   * @default Environment.PRODUCTION
   */
  readonly environment?: Environment;
  /**
   * Run `PolicyCheck` (schema, Pod Security Standards restricted, `ManifestPolicy`) on the chart in
   * `app.synth()`: an error fails the synth, a warning is printed.
   * @default true
   */
  readonly policyCheck?: boolean;
  /**
   * Namespace of the application and its MCP server instances.
   * @default "toolhive"
   */
  readonly namespace?: string;
  /** The cluster (seed Cluster): its access level is the deploying context's; it must allow the Namespace (admin). */
  readonly cluster: TargetClusterProps;
  /**
   * What the application's ServiceAccount may do in its namespace (Role and RoleBinding).
   * @default ClusterAccessLevel.DEPLOY
   */
  readonly applicationAccessLevel?: ClusterAccessLevel;
  /** The registries (seed Registry); at least one. */
  readonly registries: McpRegistryProps[];
  /** The MCP servers to deploy, one instance each (seed Server and Instance). */
  readonly servers: ToolHiveServerOptions[];
  /**
   * The HTTP proxy image stdio servers run beside (required when a server is stdio; see docs/mcp.md).
   * @default - none
   */
  readonly stdioProxyImage?: ToolHiveImageOptions;
  /**
   * The API image (port 8080, /health/live and /health/ready, /metrics).
   * @default - toolhive-api:1.0.0
   */
  readonly apiImage?: ToolHiveImageOptions;
  /**
   * The UI image (port 3000, /health/live and /health/ready).
   * @default - toolhive-ui:1.0.0
   */
  readonly uiImage?: ToolHiveImageOptions;
  /**
   * API replicas.
   * @default 2
   */
  readonly apiReplicas?: number;
  /**
   * UI replicas.
   * @default 2
   */
  readonly uiReplicas?: number;
  /**
   * Where the API may connect to besides DNS and the MCP instances (the Kubernetes API server and
   * the registries, as CIDRs: NetworkPolicies cannot match host names).
   * @default - all egress allowed: their addresses are not known at synth
   */
  readonly apiEgressRules?: EgressRule[];
  /**
   * Cache lifetimes.
   * @default - the seed's: 300, 30, 15 and 120 seconds
   */
  readonly caching?: ToolHiveCaching;
  /**
   * Retention periods.
   * @default - the seed's: 30, 7, 90 and 365 days, configuration history indefinitely
   */
  readonly retention?: ToolHiveRetention;
  /**
   * Host name of the Ingress.
   * @default "toolhive.local"
   */
  readonly hostname?: string;
  /**
   * The existing `kubernetes.io/tls` Secret with the certificate for the host name.
   * @default "toolhive-tls"
   */
  readonly tlsSecretName?: string;
  /**
   * Per-client rate limits of the Ingress.
   * @default - 10 requests per second, burst multiplier 5, 20 connections
   */
  readonly rateLimiting?: RateLimiting;
  /**
   * Namespace of the ingress controller, the only one admitted to the UI and API from outside.
   * @default "ingress-nginx"
   */
  readonly ingressControllerNamespace?: string;
  /**
   * Labels the Prometheus operator selects ServiceMonitors and PrometheusRules by, such as
   * `{ release: "kube-prometheus-stack" }`.
   * @default - none
   */
  readonly monitoringLabels?: { [key: string]: string };
  /**
   * Namespace of the Prometheus pods: the NetworkPolicies of the API and of every monitored
   * instance admit them on the metrics port.
   * @default "monitoring"
   */
  readonly prometheusNamespace?: string;
  /**
   * Labels of the Prometheus pods the NetworkPolicies admit.
   * @default - { "app.kubernetes.io/name": "prometheus" }
   */
  readonly prometheusPodLabels?: { [key: string]: string };
}
