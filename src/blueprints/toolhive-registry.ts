import { Construct } from 'constructs';
import { ToolHiveCaching, ToolHiveImageOptions, ToolHiveRegistryProps, ToolHiveRetention, ToolHiveServerOptions } from './toolhive-options';
import { ClusterAccessLevel, TargetCluster } from '../clusters/target-cluster';
import { ConfigMapConfiguration } from '../config/config-map-configuration';
import { SecretConfiguration } from '../config/secret-configuration';
import { duplicates } from '../core/collections';
import { OUTSIDE_PODS } from '../core/conventions';
import { Environment } from '../core/environment';
import { Findings } from '../core/findings';
import { nonNegativeInteger } from '../core/rules/numbers';
import { checkProps } from '../core/validation';
import { McpRegistry, McpRegistryProps } from '../mcp/mcp-registry';
import { McpServer, McpTransport } from '../mcp/mcp-server';
import { McpServerInstance } from '../mcp/mcp-server-instance';
import { MonitoringMetrics } from '../monitoring/monitoring-metrics';
import { IngressConfiguration } from '../networking/ingress-configuration';
import { Namespace } from '../networking/namespace';
import { ContainerImage } from '../pod/container-image';
import { HealthEndpoint, ProbeKind } from '../pod/health-endpoint';
import { ResourceLimits } from '../pod/resource-limits';
import { PolicyCheck } from '../policy/policy-check';
import { DeploymentManifest } from '../workloads/deployment-manifest';

const INSTANCE = 'toolhive';
const API = 'toolhive-api';
const UI = 'toolhive-ui';
const CATALOG_DIR = '/etc/toolhive/catalog';
const CREDENTIALS_DIR = '/etc/toolhive/registry-auth';

/**
 * The ToolHive registry management application on Kubernetes (seed 004): namespace `toolhive`; the
 * API (`toolhive-api`, port 8080) and UI (`toolhive-ui`, port 3000) as Deployments with Services,
 * probes, restricted security, resources and disruption budgets behind an Ingress with TLS (`/` to
 * the UI, `/api` to the API); its configuration (`toolhive-api-config`: the seed's cache lifetimes
 * and retention periods) and catalog (`toolhive-catalog`: the registries and the deployed
 * instances with their URLs); registry credentials mounted from existing Secrets; the API's
 * ServiceAccount with a least-privilege Role for its access level (from the TargetCluster); one
 * McpServerInstance per server (a stdio server with its HTTP proxy container), each admitting only
 * the API and reaching only DNS and its network permissions; and monitoring: a ServiceMonitor and
 * PrometheusRule per workload that serves metrics when the cluster has the Prometheus operator,
 * else scrape annotations.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ClusterAccessLevel, McpTransport, ToolHiveRegistry } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'toolhive');
 * new ToolHiveRegistry(chart, 'toolhive', {
 *   cluster: {
 *     name: 'Production', endpoint: 'https://api.prod.example.com:6443', context: 'admin@prod', version: '1.28',
 *     accessLevel: ClusterAccessLevel.ADMIN, capabilities: ['prometheus-operator'],
 *   },
 *   registries: [{ name: 'toolhive-official', url: 'https://registry.example.com/v0/servers' }],
 *   servers: [{
 *     registry: 'toolhive-official', name: 'fetch', version: '1.0.0', image: 'ghcr.io/acme/mcp-fetch:1.0.0',
 *     transport: McpTransport.HTTP, healthCheckPath: '/healthz',
 *   }],
 * });
 * app.synth();
 */
export class ToolHiveRegistry extends Construct {
  /** The namespace name. */
  public readonly namespaceName: string;
  /** The Namespace. */
  public readonly namespace: Namespace;
  /** The cluster, which emits the API's ServiceAccount, Role and RoleBinding. */
  public readonly cluster: TargetCluster;
  /** The API. */
  public readonly api: DeploymentManifest;
  /** The UI. */
  public readonly ui: DeploymentManifest;
  /** The Ingress. */
  public readonly ingress: IngressConfiguration;
  /** The registries. */
  public readonly registries: McpRegistry[];
  /** The server definitions. */
  public readonly servers: McpServer[];
  /** The deployed instances, one per server. */
  public readonly instances: McpServerInstance[];
  /** Monitoring of the API and of every instance that serves metrics. */
  public readonly monitoring: MonitoringMetrics[];
  /** The API's configuration (cache lifetimes, retention, namespaces). */
  public readonly configuration: ConfigMapConfiguration;
  /** The catalog: registries and instances, mounted into the API. */
  public readonly catalog: ConfigMapConfiguration;

  constructor(scope: Construct, id: string, props: ToolHiveRegistryProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'ToolHiveRegistryProps', props);
    // Required lists a JavaScript caller left out are reported by checkProps; empty lists stand in.
    const registries = (props.registries ?? []).map((r) => r ?? {} as McpRegistryProps);
    const servers = (props.servers ?? []).map((s) => s ?? {} as ToolHiveServerOptions);
    const environment = props.environment ?? Environment.PRODUCTION;
    const namespace = this.namespaceName = props.namespace ?? 'toolhive';
    const common = { namespace, instance: INSTANCE, partOf: INSTANCE };
    const selector = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': INSTANCE });
    const fromIngressController = { namespaceLabels: { 'kubernetes.io/metadata.name': props.ingressControllerNamespace ?? OUTSIDE_PODS.ingressController.namespace } };
    const image = (id_: string, given: ToolHiveImageOptions | undefined, repository: string) => new ContainerImage(this, id_, {
      registry: given?.registry,
      repository: given?.repository ?? repository,
      tag: given ? given.tag : '1.0.0',
      digest: given?.digest,
      imagePullPolicy: given?.imagePullPolicy,
    });
    const probes = (prefix: string) => [
      new HealthEndpoint(this, `${prefix}-startup`, { kind: ProbeKind.STARTUP, periodSeconds: 10, failureThreshold: 10, timeoutSeconds: 5 }),
      new HealthEndpoint(this, `${prefix}-readiness`, { kind: ProbeKind.READINESS, periodSeconds: 10, timeoutSeconds: 5 }),
      new HealthEndpoint(this, `${prefix}-liveness`, { kind: ProbeKind.LIVENESS, periodSeconds: 10, timeoutSeconds: 5 }),
    ];

    if (props.registries !== undefined && registries.length === 0) findings.add('registries', [], 'at least one registry');
    for (const dup of duplicates(registries.map((r) => r.name))) findings.add('registries', dup, 'registry names used once');
    // Two instances of one name make the same objects: the chart's identity check reports them, with both construct paths.

    this.namespace = new Namespace(this, 'namespace', { name: namespace, appName: INSTANCE, instance: INSTANCE, partOf: INSTANCE, environment });
    const accessLevel = props.applicationAccessLevel ?? ClusterAccessLevel.DEPLOY;
    this.cluster = new TargetCluster(this, 'cluster', {
      ...props.cluster,
      rbac: { serviceAccountName: API, namespace, managedNamespaces: [namespace], accessLevel, appName: API, instance: INSTANCE, partOf: INSTANCE },
    });

    // --- registries and servers ------------------------------------------------------------------
    this.registries = registries.map((r, i) => new McpRegistry(this, `registry-${i}`, r));
    this.servers = servers.map((s, i) => {
      const registry = this.registries.find((r) => r.name === s.registry);
      if (!registry) findings.add(`servers[${i}].registry`, s.registry, `the name of one of the registries (${this.registries.map((r) => r.name).join(', ')})`);
      // Only the server's own attributes: the instance options (instanceName, replicas, ...) are the blueprint's.
      const { registry: _name, instanceName: _i, replicas: _r, configuration: _c, secretName: _s, secretKeys: _k, ...attributes } = s;
      return new McpServer(this, `server-${i}`, { ...attributes, registry: registry ?? this.registries[0] });
    });
    const proxyImage = this.servers.some((s) => s.transport === McpTransport.STDIO) && props.stdioProxyImage
      ? image('stdio-proxy-image', props.stdioProxyImage, 'mcp-stdio-proxy') : undefined;
    const apiPods = selector(API);
    this.instances = this.servers.map((server, i) => {
      const options = servers[i];
      const secrets = options.secretName === undefined ? undefined : [new SecretConfiguration(this, `server-${i}-secret`, {
        name: options.secretName,
        namespace,
        appName: options.instanceName ?? server.name,
        instance: INSTANCE,
        partOf: INSTANCE,
        existingSecret: true,
        requiredKeys: options.secretKeys,
      })];
      return new McpServerInstance(this, `instance-${i}`, {
        server,
        name: options.instanceName,
        namespace,
        environment,
        replicas: options.replicas,
        configuration: options.configuration,
        secrets,
        clients: [{ podLabels: apiPods }],
        proxyImage: server.transport === McpTransport.STDIO ? proxyImage : undefined,
        partOf: INSTANCE,
      });
    });

    // --- configuration and catalog ---------------------------------------------------------------
    this.configuration = new ConfigMapConfiguration(this, 'api-config', {
      ...common,
      name: `${API}-config`,
      appName: API,
      configData: {
        ...cacheConfig(findings, props.caching ?? {}),
        ...retentionConfig(findings, props.retention ?? {}),
        MANAGED_NAMESPACES: namespace,
        KUBERNETES_ACCESS_LEVEL: accessLevel,
        CATALOG_DIR,
      },
    });
    this.catalog = new ConfigMapConfiguration(this, 'catalog', {
      ...common,
      name: 'toolhive-catalog',
      appName: API,
      consumeAsEnv: false,
      mountPath: CATALOG_DIR,
      configData: {
        'registries.json': `${JSON.stringify(this.registries.map((r) => r.toConfig(CREDENTIALS_DIR)), undefined, 2)}\n`,
        'instances.json': `${JSON.stringify(this.instances.map((inst) => ({
          name: inst.name,
          server: inst.server.name,
          registry: inst.server.registry?.name,
          version: inst.server.version,
          transport: inst.server.transport,
          tier: inst.server.tier,
          status: inst.server.status,
          namespace,
          replicas: inst.replicas,
          url: inst.url,
        })), undefined, 2)}\n`,
      },
    });
    // Registry credentials: existing Secrets, mounted read-only (never literal tokens, never env).
    const credentialSecrets = [...new Set(this.registries.flatMap((r) => (r.authConfig ? [r.authConfig.secretName] : [])))].map((secretName) =>
      new SecretConfiguration(this, `registry-auth-${secretName}`, {
        name: secretName,
        namespace,
        appName: API,
        instance: INSTANCE,
        partOf: INSTANCE,
        existingSecret: true,
        requiredKeys: this.registries.filter((r) => r.authConfig?.secretName === secretName).map((r) => r.authConfig!.secretKey),
        consumeAsEnv: false,
        mountPath: `${CREDENTIALS_DIR}/${secretName}`,
      }));

    // --- API and UI ------------------------------------------------------------------------------
    const apiReplicas = props.apiReplicas ?? 2;
    this.api = new DeploymentManifest(this, 'api', {
      ...common,
      name: API,
      environment,
      image: image('api-image', props.apiImage, API),
      ports: [{ name: 'http', containerPort: 8080 }],
      healthEndpoints: probes('api'),
      replicaCount: apiReplicas,
      resourceLimits: new ResourceLimits(this, 'api-resources', {
        requests: { cpu: '250m', memory: '256Mi', storage: '64Mi' },
        limits: { cpu: '1', memory: '512Mi', storage: '256Mi' },
      }),
      configMaps: [this.configuration, this.catalog],
      secrets: credentialSecrets,
      selectorLabels: apiPods,
      // The application calls the Kubernetes API with its own ServiceAccount: the only pods that mount a token.
      serviceAccountName: API,
      automountServiceAccountToken: true,
      networkPolicy: {
        ingressFrom: [fromIngressController, { podLabels: selector(UI) }],
        egressRules: props.apiEgressRules === undefined ? undefined : [
          { peers: [{ podLabels: { 'app.kubernetes.io/part-of': INSTANCE } }] },
          ...props.apiEgressRules,
        ],
      },
    });
    this.ui = new DeploymentManifest(this, 'ui', {
      ...common,
      name: UI,
      environment,
      image: image('ui-image', props.uiImage, UI),
      ports: [{ name: 'http', containerPort: 3000 }],
      healthEndpoints: probes('ui'),
      replicaCount: props.uiReplicas ?? 2,
      resourceLimits: new ResourceLimits(this, 'ui-resources', {
        requests: { cpu: '100m', memory: '128Mi', storage: '64Mi' },
        limits: { cpu: '500m', memory: '256Mi', storage: '256Mi' },
      }),
      env: { API_URL: `http://${API}.${namespace}.svc.cluster.local:8080` },
      selectorLabels: selector(UI),
      networkPolicy: { ingressFrom: [fromIngressController], egressTo: [{ podLabels: apiPods }] },
    });

    const hostname = props.hostname ?? 'toolhive.local';
    this.ingress = new IngressConfiguration(this, 'ingress', {
      ...common,
      name: INSTANCE,
      appName: INSTANCE,
      hostname,
      pathPrefixes: [
        { pathPrefix: '/', service: this.ui.service! },
        { pathPrefix: '/api', service: this.api.service! },
      ],
      tlsConfiguration: { secretName: props.tlsSecretName ?? 'toolhive-tls' },
      rateLimiting: props.rateLimiting ?? { requestsPerSecond: 10, burstMultiplier: 5, connections: 20 },
    });

    // --- monitoring: the API, and every instance that serves metrics (a stdio proxy always does) -----
    const monitored = [
      { id: 'api', workload: this.api as DeploymentManifest, path: '/metrics' },
      ...this.instances.flatMap((inst, i) => {
        const path = inst.server.transport === McpTransport.STDIO ? '/metrics' : inst.server.metricsPath;
        return path === undefined ? [] : [{ id: `instance-${i}`, workload: inst.workload, path }];
      }),
    ];
    this.monitoring = monitored.map((m) => new MonitoringMetrics(this, `${m.id}-monitoring`, {
      workload: m.workload,
      cluster: this.cluster,
      metricsPath: m.path,
      labels: props.monitoringLabels,
      prometheusNamespace: props.prometheusNamespace,
      prometheusPodLabels: props.prometheusPodLabels,
    }));

    // The policy runs in app.synth(). The entities waive what they do on purpose themselves:
    // development's image defaults, the TCP probes of a server without a health path.
    if (props.policyCheck ?? true) PolicyCheck.enable(this);
  }

  /** `toolhive-api.<namespace>.svc.cluster.local`. */
  public get apiDnsName(): string {
    return this.api.dnsName!;
  }
}

function cacheConfig(findings: Findings, c: ToolHiveCaching): Record<string, string> {
  const entries: Array<[string, string, number | undefined, number]> = [
    ['CACHE_REGISTRY_SERVERS_TTL', 'caching.registryServersSeconds', c.registryServersSeconds, 300],
    ['CACHE_INSTANCE_STATUS_TTL', 'caching.instanceStatusSeconds', c.instanceStatusSeconds, 30],
    ['CACHE_MONITORING_METRICS_TTL', 'caching.monitoringMetricsSeconds', c.monitoringMetricsSeconds, 15],
    ['CACHE_DEPLOYMENT_LOGS_TTL', 'caching.deploymentLogsSeconds', c.deploymentLogsSeconds, 120],
  ];
  return Object.fromEntries(entries.map(([key, field, value, fallback]) => {
    findings.check(field, value, nonNegativeInteger);
    return [key, `${value ?? fallback}s`];
  }));
}

function retentionConfig(findings: Findings, r: ToolHiveRetention): Record<string, string> {
  const entries: Array<[string, string, number | undefined, number]> = [
    ['RETENTION_DEPLOYMENT_LOGS', 'retention.deploymentLogsDays', r.deploymentLogsDays, 30],
    ['RETENTION_METRICS_DETAILED', 'retention.detailedMetricsDays', r.detailedMetricsDays, 7],
    ['RETENTION_METRICS_AGGREGATED', 'retention.aggregatedMetricsDays', r.aggregatedMetricsDays, 90],
    ['RETENTION_AUDIT_LOGS', 'retention.auditLogDays', r.auditLogDays, 365],
    ['RETENTION_CONFIGURATION_HISTORY', 'retention.configurationHistoryDays', r.configurationHistoryDays, 0],
  ];
  return Object.fromEntries(entries.map(([key, field, value, fallback]) => {
    findings.check(field, value, nonNegativeInteger);
    const days = value ?? fallback;
    return [key, days === 0 && key === 'RETENTION_CONFIGURATION_HISTORY' ? 'indefinite' : `${days}d`];
  }));
}
