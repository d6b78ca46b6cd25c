/**
 * Two small systems a new user builds from the entities alone, the way the README teaches them (no
 * blueprint): a shop (an API, a worker on a volume of its own, PostgreSQL as a StatefulSet, their
 * configuration and credentials, an Ingress with TLS, metrics) and a notes app (a web front end, an
 * API on a volume with a nightly backup, an internal Service, an Ingress, metrics), each in a
 * development and a production environment.
 */
import { App, Chart } from 'cdk8s';
import {
  AccessMode, CertificateBundle, CertificateProvider, CertificateType, ConfigMapConfiguration, ContainerImage, DeploymentManifest,
  Environment, HealthEndpoint, IngressConfiguration, MonitoringMetrics, Namespace, PersistentStorage, ProbeKind, ResourceLimits,
  ScheduledBackup, ScrapeMethod, SecretConfiguration, SecretDelivery, SecretDeliveryMode, SecurityProfile, ServiceConfiguration,
  StatefulManifest,
} from '../../src';

/** What a test reads of a system: its chart, and the entities whose names and DNS names it checks. */
export interface EntityApp {
  readonly app: App;
  readonly chart: Chart;
  readonly namespace: string;
  /** The Service DNS names the system hands to its pods, by what they point to. */
  readonly dnsNames: { readonly [what: string]: string | undefined };
}

/** The sealed-secrets controller certificate of the examples (public: committed on purpose). */
const CONTROLLER_CERTIFICATE = 'examples/sealing/controller.crt';

export interface EntityAppOptions {
  readonly environment: Environment;
  /** Where cdk8s writes the YAML. */
  readonly outdir: string;
  /** Where the synth keeps generated certificates and sealed values (.deploykit in a real project). */
  readonly stateDir: string;
}

/** The shop: API + worker + PostgreSQL, a ConfigMap and a Secret, an Ingress with a certificate, metrics. */
export function shop(o: EntityAppOptions): EntityApp {
  const production = o.environment === Environment.PRODUCTION;
  const app = new App({ outdir: o.outdir });
  const namespace = 'shop';
  const chart = new Chart(app, 'shop', { namespace });
  new Namespace(chart, 'namespace', { name: namespace, environment: o.environment });
  // Production commits its output: the Secrets are sealed to the cluster's controller.
  if (production) {
    new SecretDelivery(chart, 'secret-delivery', {
      mode: SecretDeliveryMode.SEALED,
      sealing: { certificateFile: CONTROLLER_CERTIFICATE, storeDirectory: `${o.stateDir}/sealed` },
    });
  }

  const dbCredentials = new SecretConfiguration(chart, 'db-credentials', {
    name: 'db-credentials',
    secretData: { POSTGRES_PASSWORD: 'not-a-real-password-7f3a' },
  });
  const db = new StatefulManifest(chart, 'postgres', {
    name: 'postgres',
    environment: o.environment,
    image: new ContainerImage(chart, 'postgres-image', { repository: 'library/postgres', tag: '16.2.0', environment: o.environment }),
    ports: [{ name: 'postgresql', containerPort: 5432 }],
    env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
    secrets: [dbCredentials],
    securityProfile: new SecurityProfile(chart, 'postgres-security', { writablePaths: ['/tmp', '/var/run/postgresql'] }),
    volumeClaim: { name: 'data', mountPath: '/var/lib/postgresql/data', size: production ? '20Gi' : '1Gi' },
  });

  const apiConfig = new ConfigMapConfiguration(chart, 'api-config', {
    name: 'api-config',
    configData: { LOG_LEVEL: production ? 'info' : 'debug', DATABASE_HOST: db.dnsName, DATABASE_PORT: '5432' },
    consumeAsEnv: true,
  });
  const api = new DeploymentManifest(chart, 'api', {
    name: 'api',
    environment: o.environment,
    image: new ContainerImage(chart, 'api-image', { registry: 'ghcr.io', repository: 'acme/shop-api', tag: '1.4.2', environment: o.environment }),
    ports: [{ name: 'http', containerPort: 8080 }],
    configMaps: [apiConfig],
    secrets: [dbCredentials],
    healthEndpoints: [
      new HealthEndpoint(chart, 'api-live', { kind: ProbeKind.LIVENESS, endpointPath: '/healthz' }),
      new HealthEndpoint(chart, 'api-ready', { kind: ProbeKind.READINESS, endpointPath: '/ready' }),
    ],
    resourceLimits: new ResourceLimits(chart, 'api-resources', {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    }),
    ...(production ? { scalingConfig: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 } } : { replicaCount: 2 }),
    networkPolicy: { egressRules: [{ peers: [{ podLabels: db.selectorLabels }], ports: [{ port: 5432 }] }] },
  });
  // The worker processes uploads on a volume only it writes: one pod (a ReadWriteOnce claim).
  const uploads = new PersistentStorage(chart, 'uploads', { name: 'uploads', size: '5Gi', mountPath: '/data/uploads', accessMode: AccessMode.READ_WRITE_ONCE });
  new DeploymentManifest(chart, 'worker', {
    name: 'worker',
    environment: o.environment,
    image: new ContainerImage(chart, 'worker-image', { registry: 'ghcr.io', repository: 'acme/shop-worker', tag: '1.4.2', environment: o.environment }),
    command: ['shop-worker', '--queue', 'uploads'],
    ports: [{ name: 'metrics', containerPort: 9090 }],
    healthEndpoints: [
      new HealthEndpoint(chart, 'worker-live', { kind: ProbeKind.LIVENESS, endpointPath: '/healthz', port: 9090 }),
      new HealthEndpoint(chart, 'worker-ready', { kind: ProbeKind.READINESS, endpointPath: '/ready', port: 9090 }),
    ],
    replicaCount: 1,
    storage: [uploads],
    configMaps: [apiConfig],
    secrets: [dbCredentials],
  });

  const certificate = new CertificateBundle(chart, 'shop-certificate', {
    name: 'shop-tls',
    serverName: 'shop.example.com',
    certType: production ? CertificateType.AUTO_GENERATED_CA : CertificateType.AUTO_GENERATED_SELFSIGNED,
    // Production lets cert-manager issue it in the cluster; development generates it at synth.
    provider: production ? CertificateProvider.CERT_MANAGER : CertificateProvider.GENERATED_AT_SYNTH,
    store: { directory: `${o.stateDir}/certs` },
  });
  new IngressConfiguration(chart, 'ingress', {
    name: 'shop',
    hostname: 'shop.example.com',
    pathPrefixes: [{ pathPrefix: '/', service: api.service! }],
    tlsConfiguration: { secretName: certificate.secretName },
  });
  new MonitoringMetrics(chart, 'api-metrics', {
    workload: api,
    port: 8080,
    scrapeMethod: production ? ScrapeMethod.SERVICE_MONITOR : ScrapeMethod.ANNOTATIONS,
  });
  return { app, chart, namespace, dnsNames: { postgres: db.dnsName, api: api.dnsName } };
}

/** The notes app: a web front end calling an API on a volume with a nightly backup, an internal Service, an Ingress, metrics. */
export function notes(o: EntityAppOptions): EntityApp {
  const production = o.environment === Environment.PRODUCTION;
  const app = new App({ outdir: o.outdir });
  const namespace = 'notes';
  const chart = new Chart(app, 'notes', { namespace });
  new Namespace(chart, 'namespace', { name: namespace, environment: o.environment });

  const data = new PersistentStorage(chart, 'notes-data', { name: 'notes-data', size: '2Gi', mountPath: '/var/lib/notes' });
  const api = new DeploymentManifest(chart, 'api', {
    name: 'notes-api',
    environment: o.environment,
    image: new ContainerImage(chart, 'api-image', { repository: 'acme/notes-api', tag: '2.0.1', environment: o.environment }),
    ports: [{ name: 'http', containerPort: 3000 }],
    healthEndpoints: [
      new HealthEndpoint(chart, 'api-live', { kind: ProbeKind.LIVENESS, endpointPath: '/livez' }),
      new HealthEndpoint(chart, 'api-ready', { kind: ProbeKind.READINESS, endpointPath: '/health' }),
    ],
    replicaCount: 1,
    storage: [data],
    env: { NOTES_DIR: '/var/lib/notes' },
  });
  // The front end reaches the API through a Service of its own (port 80), by its cluster DNS name.
  const internal = new ServiceConfiguration(chart, 'api-internal', {
    serviceName: 'notes-api-internal',
    ports: [{ name: 'http', port: 80, targetPort: 3000 }],
    selectorLabels: api.selectorLabels,
  });
  const web = new DeploymentManifest(chart, 'web', {
    name: 'notes-web',
    environment: o.environment,
    image: new ContainerImage(chart, 'web-image', { repository: 'acme/notes-web', tag: '2.0.1', environment: o.environment }),
    ports: [{ name: 'http', containerPort: 8080 }],
    healthEndpoints: [
      new HealthEndpoint(chart, 'web-live', { kind: ProbeKind.LIVENESS, endpointPath: '/livez' }),
      new HealthEndpoint(chart, 'web-ready', { kind: ProbeKind.READINESS, endpointPath: '/' }),
    ],
    env: { API_URL: `http://${internal.dnsName}:80` },
    replicaCount: production ? 3 : 2,
    securityProfile: new SecurityProfile(chart, 'web-security', { writablePaths: ['/tmp', '/var/cache/nginx'] }),
  });
  new ScheduledBackup(chart, 'backup', {
    name: 'notes-backup',
    environment: o.environment,
    schedule: '0 3 * * *',
    image: new ContainerImage(chart, 'backup-image', { repository: 'library/busybox', tag: '1.36.1', environment: o.environment }),
    command: ['sh', '-c', 'cp -a /var/lib/notes/. /backup/'],
    source: data,
    target: new PersistentStorage(chart, 'notes-backups', { name: 'notes-backups', size: '10Gi', mountPath: '/backup' }),
    affinityToPodLabels: api.selectorLabels,
  });
  const certificate = new CertificateBundle(chart, 'notes-certificate', {
    serverName: 'notes.example.com',
    certType: CertificateType.AUTO_GENERATED_CA,
    provider: CertificateProvider.CERT_MANAGER,
  });
  new IngressConfiguration(chart, 'ingress', {
    name: 'notes',
    hostname: 'notes.example.com',
    pathPrefixes: [{ pathPrefix: '/', service: web.service! }],
    tlsConfiguration: { secretName: certificate.secretName },
  });
  new MonitoringMetrics(chart, 'web-metrics', { workload: web, port: 8080, scrapeMethod: ScrapeMethod.POD_MONITOR });
  return { app, chart, namespace, dnsNames: { api: internal.dnsName, web: web.dnsName } };
}
