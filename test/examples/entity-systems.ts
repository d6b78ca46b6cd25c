/**
 * Five more systems new users build from the entities alone (no blueprint), each as the README and
 * API.md teach them, beside the shop and the notes app of entity-apps.ts:
 *
 * - arena: a game server with UDP and TCP ports behind a LoadBalancer Service (client-IP session
 *   affinity, externalTrafficPolicy Local) and an admin NodePort Service;
 * - tooling: an internal tooling platform in development, staging and production, a TargetCluster
 *   per environment (RBAC for a console that reads the cluster, the add-ons it has), metrics with the
 *   Prometheus operator (staging, production) and without it (development), an Ingress certificate
 *   from cert-manager and a server certificate the synth generates;
 * - pipeline: a data pipeline: a PostgreSQL StatefulSet that also mounts a shared landing volume,
 *   with an init container and a metrics sidecar; a worker Deployment without ports with an init
 *   container and a log-shipping sidecar; a nightly backup of the landing volume; Secrets sealed and
 *   from an external store;
 * - agents: MCP servers (streamable HTTP and stdio) of an internal registry, their instances, an
 *   agent that calls them, metrics;
 * - recipes: a home-lab recipe manager and its database as a docker-compose project (storage,
 *   configuration, secret environment variables and a secret file).
 */
import { App, Chart } from 'cdk8s';
import {
  AccessMode, CertificateBundle, CertificateProvider, CertificateType, ClusterAccessLevel, ComposeFile, ConfigMapConfiguration, ContainerImage,
  DeploymentManifest, Environment, ExternalTrafficPolicy, HealthEndpoint, HelmChart, IngressConfiguration, ManifestType, McpRegistry, McpServer,
  McpServerInstance, McpTransport, MonitoringMetrics, Namespace, PersistentStorage, ProbeKind, ProbeScheme, Protocol, ResourceLimits, ScheduledBackup,
  SecretConfiguration, SecretDelivery, SecretDeliveryMode, SecretStoreKind, SecurityProfile, ServiceConfiguration, ServiceType, SessionAffinity,
  StatefulManifest, TargetCluster, Waivers,
} from '../../src';

/** The sealed-secrets controller certificate of the examples (public: committed on purpose). */
const CONTROLLER_CERTIFICATE = 'examples/sealing/controller.crt';

export interface SystemOptions {
  /** Where cdk8s writes the YAML. */
  readonly outdir: string;
  /** Where the synth keeps generated certificates and sealed values (.deploykit in a real project). */
  readonly stateDir: string;
}

/** A Kubernetes system: its charts by environment, the Helm chart made of them, what a test checks. */
export interface KubernetesSystem {
  readonly app: App;
  readonly namespace: string;
  /** The chart of each environment, the default (production) first. */
  readonly charts: ReadonlyArray<readonly [string, Chart]>;
  readonly helm: HelmChart;
  /** The Service DNS names the system hands to its pods. */
  readonly dnsNames: readonly string[];
  /** Secrets the chart does not make: the user's (out of band, a generated key pair), or the controllers' (sealed, external). */
  readonly external: readonly string[];
}

function helmOf(app: App, name: string, charts: ReadonlyArray<readonly [string, Chart]>): HelmChart {
  const [[defaultName, chart], ...others] = charts;
  return new HelmChart(app, 'helm', {
    chartName: name,
    chartVersion: '1.0.0',
    appVersion: '1.0.0',
    chart,
    defaultEnvironmentName: defaultName,
    environments: others.map(([envName, envChart]) => ({ name: envName, chart: envChart })),
  });
}

/** The game server: UDP game and query ports to players, TCP RCON and HTTP to the admins. */
export function arena(o: SystemOptions): KubernetesSystem {
  const app = new App({ outdir: o.outdir });
  const namespace = 'arena';
  const chart = new Chart(app, 'arena', { namespace });
  new Namespace(chart, 'namespace', { name: namespace, environment: Environment.PRODUCTION });
  const server = new DeploymentManifest(chart, 'server', {
    name: 'arena-server',
    image: new ContainerImage(chart, 'server-image', { registry: 'ghcr.io', repository: 'acme/arena-server', tag: '3.1.0' }),
    ports: [
      { name: 'game', containerPort: 7777, protocol: Protocol.UDP },
      { name: 'query', containerPort: 27015, protocol: Protocol.UDP },
      { name: 'rcon', containerPort: 27015, protocol: Protocol.TCP },
      { name: 'http', containerPort: 8080 },
    ],
    healthEndpoints: [
      new HealthEndpoint(chart, 'live', { kind: ProbeKind.LIVENESS, endpointPath: '/healthz', port: 8080 }),
      new HealthEndpoint(chart, 'ready', { kind: ProbeKind.READINESS, endpointPath: '/ready', port: 8080 }),
    ],
    replicaCount: 3,
    resourceLimits: new ResourceLimits(chart, 'server-resources', { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } }),
    // Players keep their pod (a match lives in it), and the pod sees their address.
    service: {
      serviceType: ServiceType.LOAD_BALANCER,
      sessionAffinity: SessionAffinity.CLIENT_IP,
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      ports: [
        { name: 'game', port: 7777, targetPort: 7777, protocol: Protocol.UDP },
        { name: 'query', port: 27015, targetPort: 27015, protocol: Protocol.UDP },
      ],
    },
  });
  const admin = new ServiceConfiguration(chart, 'admin', {
    serviceName: 'arena-admin',
    serviceType: ServiceType.NODE_PORT,
    externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
    ports: [{ name: 'rcon', port: 27015, targetPort: 27015 }, { name: 'http', port: 80, targetPort: 8080 }],
    selectorLabels: server.selectorLabels,
  });
  // A careful user keeps the NodePort on purpose, and says why.
  Waivers.add(admin.apiObject, 'service-not-nodeport', 'the admins reach RCON on the nodes from the office network; the nodes take no traffic from the internet');
  const charts = [['production', chart]] as const;
  return { app, namespace, charts, helm: helmOf(app, 'arena', charts), dnsNames: [server.dnsName!, admin.dnsName], external: [] };
}

const TOOLING_ENVIRONMENTS: ReadonlyArray<readonly [string, Environment]> = [
  ['production', Environment.PRODUCTION], ['staging', Environment.STAGING], ['development', Environment.DEVELOPMENT],
];

/** The tooling platform of one environment: an ops console that reads the cluster, a wiki serving HTTPS itself. */
function toolingChart(app: App, envName: string, environment: Environment, o: SystemOptions): { chart: Chart; dnsNames: string[] } {
  const namespace = 'tooling';
  const development = environment === Environment.DEVELOPMENT;
  // The platform team creates the namespace: a deploy context creates no cluster-scoped object.
  new Namespace(new Chart(app, `tooling-namespace-${envName}`), 'namespace', { name: namespace, environment });
  const chart = new Chart(app, envName === 'production' ? 'tooling' : `tooling-${envName}`, { namespace });
  const cluster = new TargetCluster(chart, 'cluster', {
    name: `Tooling ${envName}`,
    endpoint: `https://api.${envName}.k8s.example.com:6443`,
    context: `tooling-deployer@${envName}`,
    version: '1.28',
    accessLevel: ClusterAccessLevel.DEPLOY,
    // Development's cluster has no Prometheus operator: its pods get scrape annotations.
    capabilities: development ? ['cert-manager'] : ['cert-manager', 'prometheus-operator'],
    rbac: { serviceAccountName: 'ops-console', accessLevel: ClusterAccessLevel.READ_ONLY },
  });
  const image = (id: string, repository: string) => new ContainerImage(chart, id, { registry: 'registry.example.com', repository, tag: '2.3.0', environment });
  const wikiTls = new CertificateBundle(chart, 'wiki-tls', {
    name: 'wiki-tls',
    serverName: 'wiki.tooling.svc.cluster.local',
    sanNames: ['wiki.tooling.svc.cluster.local', 'wiki.tooling.svc', 'wiki'],
    certType: CertificateType.AUTO_GENERATED_CA,
    environment,
    store: { directory: `${o.stateDir}/certs` },
  });
  const wiki = new DeploymentManifest(chart, 'wiki', {
    name: 'wiki',
    environment,
    image: image('wiki-image', 'platform/wiki'),
    ports: [{ name: 'https', containerPort: 8443 }],
    certificateBundle: wikiTls,
    healthEndpoints: [
      new HealthEndpoint(chart, 'wiki-live', { kind: ProbeKind.LIVENESS, endpointPath: '/healthz', scheme: ProbeScheme.HTTPS }),
      new HealthEndpoint(chart, 'wiki-ready', { kind: ProbeKind.READINESS, endpointPath: '/ready', scheme: ProbeScheme.HTTPS }),
    ],
    replicaCount: development ? 1 : 2,
  });
  const config = new ConfigMapConfiguration(chart, 'console-config', {
    name: 'ops-console-config',
    configData: { LOG_LEVEL: development ? 'debug' : 'info', WIKI_URL: `https://${wiki.dnsName}:8443` },
    consumeAsEnv: true,
  });
  const console = new DeploymentManifest(chart, 'console', {
    name: 'ops-console',
    environment,
    image: image('console-image', 'platform/ops-console'),
    ports: [{ name: 'http', containerPort: 8080 }],
    configMaps: [config],
    serviceAccountName: cluster.serviceAccount!.name,
    automountServiceAccountToken: true,
    healthEndpoints: [
      new HealthEndpoint(chart, 'console-live', { kind: ProbeKind.LIVENESS, endpointPath: '/livez' }),
      new HealthEndpoint(chart, 'console-ready', { kind: ProbeKind.READINESS, endpointPath: '/readyz' }),
    ],
    replicaCount: development ? 1 : 2,
  });
  const hostname = `console.${envName}.tools.example.com`;
  const ingressTls = new CertificateBundle(chart, 'console-certificate', {
    name: 'console-tls',
    serverName: hostname,
    certType: CertificateType.AUTO_GENERATED_CA,
    provider: CertificateProvider.CERT_MANAGER,
    environment,
  });
  new IngressConfiguration(chart, 'ingress', {
    name: 'ops-console',
    hostname,
    pathPrefixes: [{ pathPrefix: '/', service: console.service! }],
    tlsConfiguration: { secretName: ingressTls.secretName },
  });
  new MonitoringMetrics(chart, 'console-metrics', { workload: console, cluster });
  new MonitoringMetrics(chart, 'wiki-metrics', { workload: wiki, cluster, port: 8443 });
  return { chart, dnsNames: [wiki.dnsName!, console.dnsName!] };
}

/** The tooling platform in development, staging and production, one Helm chart. */
export function tooling(o: SystemOptions): KubernetesSystem {
  const app = new App({ outdir: o.outdir });
  const built = TOOLING_ENVIRONMENTS.map(([name, environment]) => [name, toolingChart(app, name, environment, o)] as const);
  const charts = built.map(([name, b]) => [name, b.chart] as const);
  return { app, namespace: 'tooling', charts, helm: helmOf(app, 'tooling', charts), dnsNames: built[0][1].dnsNames, external: ['wiki-tls'] };
}

/** The data pipeline: warehouse, ingest worker, landing volume and its backup, sealed and external Secrets. */
export function pipeline(o: SystemOptions): KubernetesSystem {
  const app = new App({ outdir: o.outdir });
  const namespace = 'pipeline';
  const chart = new Chart(app, 'pipeline', { namespace });
  const environment = Environment.PRODUCTION;
  new Namespace(chart, 'namespace', { name: namespace, environment });
  new SecretDelivery(chart, 'secret-delivery', {
    mode: SecretDeliveryMode.SEALED,
    sealing: { certificateFile: CONTROLLER_CERTIFICATE, storeDirectory: `${o.stateDir}/sealed` },
  });
  const image = (id: string, repository: string, tag: string) => new ContainerImage(chart, id, { registry: 'registry.example.com', repository, tag, environment });
  const warehouseCredentials = new SecretConfiguration(chart, 'warehouse-credentials', {
    name: 'warehouse-credentials',
    secretData: { POSTGRES_USER: 'pipeline', POSTGRES_PASSWORD: 'not-a-real-password-3c9d' },
  });
  const objectStore = new SecretConfiguration(chart, 'object-store', {
    name: 'object-store-credentials',
    requiredKeys: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    delivery: { mode: SecretDeliveryMode.EXTERNAL, external: { storeName: 'vault', storeKind: SecretStoreKind.CLUSTER_SECRET_STORE, remoteKey: 'pipeline/object-store' } },
  });
  const landing = new PersistentStorage(chart, 'landing', {
    name: 'landing', size: '50Gi', mountPath: '/data/landing', accessMode: AccessMode.READ_WRITE_MANY, storageClass: 'nfs',
  });
  const warehouse = new StatefulManifest(chart, 'warehouse', {
    name: 'warehouse',
    environment,
    replicaCount: 3,
    image: image('warehouse-image', 'library/postgres', '16.2.0'),
    ports: [{ name: 'postgresql', containerPort: 5432 }],
    env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
    secrets: [warehouseCredentials],
    securityProfile: new SecurityProfile(chart, 'warehouse-security', { writablePaths: ['/tmp', '/var/run/postgresql'] }),
    volumeClaim: { name: 'data', mountPath: '/var/lib/postgresql/data', size: '100Gi', storageClass: 'fast-ssd' },
    volumes: [landing.volume()],
    initContainers: [{ name: 'init-pgdata', image: image('init-image', 'library/busybox', '1.36.1'), command: ['sh', '-c', 'mkdir -p /var/lib/postgresql/data/pgdata'] }],
    sidecars: [{
      name: 'exporter',
      image: image('exporter-image', 'prometheuscommunity/postgres-exporter', '0.15.0'),
      ports: [{ name: 'metrics', containerPort: 9187 }],
      env: { DATA_SOURCE_URI: 'localhost:5432/postgres?sslmode=disable' },
      healthEndpoints: [
        new HealthEndpoint(chart, 'exporter-live', { kind: ProbeKind.LIVENESS, endpointPath: '/', port: 9187 }),
        new HealthEndpoint(chart, 'exporter-ready', { kind: ProbeKind.READINESS, endpointPath: '/metrics', port: 9187 }),
      ],
      resourceLimits: new ResourceLimits(chart, 'exporter-resources', { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } }),
    }],
  });
  // The worker serves nothing: no port, so no Service and no probes (the synth and the check warn).
  new DeploymentManifest(chart, 'worker', {
    name: 'ingest-worker',
    environment,
    image: image('worker-image', 'data/ingest-worker', '0.9.4'),
    command: ['ingest', '--watch', '/data/landing'],
    env: { WAREHOUSE_HOST: warehouse.dnsName, WAREHOUSE_PORT: '5432' },
    secrets: [warehouseCredentials, objectStore],
    storage: [landing],
    replicaCount: 2,
    initContainers: [{
      name: 'wait-for-warehouse',
      image: image('wait-image', 'library/busybox', '1.36.1'),
      command: ['sh', '-c', `until nc -z ${warehouse.dnsName} 5432; do sleep 2; done`],
    }],
    sidecars: [{ name: 'log-shipper', image: image('shipper-image', 'fluent/fluent-bit', '3.0.4'), args: ['-i', 'tail', '-p', 'path=/data/landing/*.log', '-o', 'stdout'] }],
    networkPolicy: {
      egressRules: [
        { peers: [{ podLabels: warehouse.selectorLabels }], ports: [{ port: 5432 }] },
        { ipBlocks: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }], ports: [{ port: 443 }] },
      ],
    },
  });
  new ScheduledBackup(chart, 'backup', {
    name: 'landing-backup',
    environment,
    schedule: '30 2 * * *',
    image: image('backup-image', 'library/busybox', '1.36.1'),
    command: ['sh', '-c', 'tar czf /backup/landing-$(date +%F).tgz -C /data/landing .'],
    source: landing,
    target: new PersistentStorage(chart, 'landing-backups', { name: 'landing-backups', size: '200Gi', mountPath: '/backup' }),
    partOf: 'pipeline',
  });
  const charts = [['production', chart]] as const;
  // The sealed and the external Secret keep their names under any release (the controllers make them).
  const external = [warehouseCredentials.secretName, objectStore.secretName];
  return { app, namespace, charts, helm: helmOf(app, 'pipeline', charts), dnsNames: [warehouse.dnsName], external };
}

/** MCP servers of an internal registry, outside the ToolHive blueprint, and an agent that calls them. */
export function agents(o: SystemOptions): KubernetesSystem {
  const app = new App({ outdir: o.outdir });
  const namespace = 'agents';
  const chart = new Chart(app, 'agents', { namespace });
  const environment = Environment.PRODUCTION;
  new Namespace(chart, 'namespace', { name: namespace, environment });
  const cluster = new TargetCluster(chart, 'cluster', {
    name: 'Agents production',
    endpoint: 'https://api.agents.example.com:6443',
    context: 'agents-admin@prod',
    version: '1.29',
    accessLevel: ClusterAccessLevel.ADMIN,
    capabilities: ['prometheus-operator'],
  });
  const registry = new McpRegistry(chart, 'registry', {
    name: 'internal',
    url: 'https://mcp-registry.example.com/v0/servers',
    authConfig: { secretName: 'registry-credentials', secretKey: 'token' },
  });
  const search = new McpServer(chart, 'search', {
    registry,
    name: 'docs-search',
    version: '1.3.0',
    image: 'registry.example.com/mcp/docs-search:1.3.0',
    transport: McpTransport.HTTP,
    port: 8000,
    healthCheckPath: '/healthz',
    metricsPath: '/metrics',
  });
  const jira = new McpServer(chart, 'jira', {
    registry,
    name: 'jira',
    version: '0.8.1',
    image: 'registry.example.com/mcp/jira:0.8.1',
    transport: McpTransport.STDIO,
    command: ['/app/jira-mcp', 'stdio'],
    networkPermissions: [{ host: 'acme.atlassian.net', cidrs: ['185.166.140.0/22'], ports: [443] }],
  });
  const jiraToken = new SecretConfiguration(chart, 'jira-token', {
    name: 'jira-token', requiredKeys: ['JIRA_API_TOKEN'], delivery: { mode: SecretDeliveryMode.OUT_OF_BAND },
  });
  const agentPods = { 'app.kubernetes.io/name': 'agent' };
  const searchInstance = new McpServerInstance(chart, 'search-instance', { server: search, environment, clients: [{ podLabels: agentPods }], replicas: 2 });
  const jiraInstance = new McpServerInstance(chart, 'jira-instance', {
    server: jira,
    environment,
    proxyImage: new ContainerImage(chart, 'proxy', { registry: 'registry.example.com', repository: 'mcp/stdio-proxy', tag: '1.2.0', environment }),
    secrets: [jiraToken],
    clients: [{ podLabels: agentPods }],
    configuration: { JIRA_URL: 'https://acme.atlassian.net' },
  });
  const agent = new DeploymentManifest(chart, 'agent', {
    name: 'agent',
    environment,
    image: new ContainerImage(chart, 'agent-image', { registry: 'registry.example.com', repository: 'ai/agent', tag: '0.4.0', environment }),
    ports: [{ name: 'http', containerPort: 8080 }],
    env: { MCP_SEARCH_URL: searchInstance.url, MCP_JIRA_URL: jiraInstance.url },
    healthEndpoints: [
      new HealthEndpoint(chart, 'agent-live', { kind: ProbeKind.LIVENESS, endpointPath: '/livez' }),
      new HealthEndpoint(chart, 'agent-ready', { kind: ProbeKind.READINESS, endpointPath: '/readyz' }),
    ],
    networkPolicy: {
      egressRules: [
        { peers: [{ podLabels: searchInstance.workload.selectorLabels }], ports: [{ port: 8000 }] },
        { peers: [{ podLabels: jiraInstance.workload.selectorLabels }], ports: [{ port: 8080 }] },
      ],
    },
  });
  new MonitoringMetrics(chart, 'search-metrics', { workload: searchInstance.workload, cluster });
  new MonitoringMetrics(chart, 'jira-metrics', { workload: jiraInstance.workload, cluster });
  new MonitoringMetrics(chart, 'agent-metrics', { workload: agent, cluster });
  const charts = [['production', chart]] as const;
  return {
    app,
    namespace,
    charts,
    helm: helmOf(app, 'agents', charts),
    dnsNames: [searchInstance.workload.dnsName!, jiraInstance.workload.dnsName!, agent.dnsName!],
    external: ['jira-token'],
  };
}

/** The home-lab recipe manager: the compose project and the names a test checks. */
export interface ComposeSystem {
  readonly app: App;
  readonly chart: Chart;
  readonly compose: ComposeFile;
  /** The database's Service DNS name, which the web app's configuration holds. */
  readonly databaseHost: string;
  /** The secret values: none may appear in the compose file. */
  readonly secretValues: readonly string[];
}

/** A recipe manager and its PostgreSQL as a docker-compose project, in an App of its own (never synthesized for Kubernetes). */
export function recipes(): ComposeSystem {
  const app = new App();
  const chart = new Chart(app, 'homelab', { namespace: 'homelab' });
  const environment = Environment.PRODUCTION;
  const type = ManifestType.DOCKER_COMPOSE;
  const secretValues = { db: 'not-a-real-password-88e1', key: 'not-a-real-django-key-f00dcafe1234', oidc: '{"client_id":"recipes","client_secret":"not-real-0f1e2d3c"}' };
  const dbSecret = new SecretConfiguration(chart, 'db-secret', { name: 'db-secret', secretData: { POSTGRES_PASSWORD: secretValues.db } });
  const db = new DeploymentManifest(chart, 'db', {
    name: 'recipes-db',
    type,
    environment,
    image: new ContainerImage(chart, 'db-image', { repository: 'library/postgres', tag: '16.2.0', environment }),
    ports: [{ name: 'postgresql', containerPort: 5432 }],
    env: { PGDATA: '/var/lib/postgresql/data/pgdata', POSTGRES_USER: 'recipes' },
    secrets: [dbSecret],
    storage: [new PersistentStorage(chart, 'db-data', { name: 'db-data', size: '10Gi', mountPath: '/var/lib/postgresql/data' })],
    securityProfile: new SecurityProfile(chart, 'db-security', { writablePaths: ['/tmp', '/var/run/postgresql'] }),
    tcpHealthCheck: true,
  });
  const config = new ConfigMapConfiguration(chart, 'config', {
    name: 'recipes-config',
    configData: { DB_HOST: db.dnsName!, DB_PORT: '5432', TZ: 'Europe/Berlin', ALLOWED_HOSTS: 'recipes.home.arpa' },
    consumeAsEnv: true,
  });
  new DeploymentManifest(chart, 'web', {
    name: 'recipes',
    type,
    environment,
    image: new ContainerImage(chart, 'web-image', { registry: 'ghcr.io', repository: 'tandoorrecipes/recipes', tag: '1.5.17', environment }),
    ports: [{ name: 'http', containerPort: 8080 }],
    configMaps: [config],
    secrets: [
      new SecretConfiguration(chart, 'app-secret', { name: 'recipes-secret', secretData: { SECRET_KEY: secretValues.key } }),
      dbSecret,
      new SecretConfiguration(chart, 'oidc', { name: 'recipes-oidc', secretData: { 'client.json': secretValues.oidc }, consumeAsEnv: false, mountPath: '/run/secrets/oidc' }),
    ],
    storage: [new PersistentStorage(chart, 'media', { name: 'recipes-media', size: '20Gi', mountPath: '/opt/recipes/mediafiles' })],
    healthEndpoints: [
      new HealthEndpoint(chart, 'web-live', { kind: ProbeKind.LIVENESS, endpointPath: '/accounts/login/' }),
      new HealthEndpoint(chart, 'web-ready', { kind: ProbeKind.READINESS, endpointPath: '/accounts/login/' }),
    ],
    composeHealthcheckCommand: ['wget', '-q', '-O', '/dev/null'],
    // The household's browsers reach the web app; the database stays inside (ClusterIP).
    service: { serviceType: ServiceType.LOAD_BALANCER },
    resourceLimits: new ResourceLimits(chart, 'web-resources', { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } }),
    securityProfile: new SecurityProfile(chart, 'web-security', { writablePaths: ['/tmp', '/opt/recipes/staticfiles'] }),
  });
  const compose = new ComposeFile(app, 'compose', { chart, projectName: 'recipes' });
  return { app, chart, compose, databaseHost: db.dnsName!, secretValues: Object.values(secretValues) };
}
