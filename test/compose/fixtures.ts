/**
 * A Rescan-like system (seed 003) as a docker-compose deployment manifest: Namespace, ConfigMap,
 * Secret (values only in this file), PVC for SQLite, emptyDir scratch paths, one Deployment with
 * its Service.
 */
import { App, Chart, Testing } from 'cdk8s';
import {
  AccessMode, ConfigMapConfiguration, ContainerImage, DeploymentManifest, Environment, HealthEndpoint,
  ManifestType, Namespace, PersistentStorage, ProbeKind, ResourceLimits, SecretConfiguration, SecurityProfile,
} from '../../src';
import { ComposeFile, ComposeFileProps } from '../../src/compose/compose-file';

/** Secret values the fixture puts into its Secrets: none may appear in a compose file. */
export const SECRET_VALUES = {
  'AZURE_OPENAI_API_KEY': 'sk-test-3f9a1c0d7e5b4a2f8c6d0e1f2a3b4c5d',
  'AZURE_OPENAI_ENDPOINT': 'https://rescan-test.openai.azure.com/',
  'AZURE_OPENAI_MODEL_DEPLOYMENT': 'gpt-4o-test-deployment',
  'credentials.json': '{"client_secret":"cs-test-77aa66bb55cc44dd"}',
};

export interface RescanLikeOptions {
  readonly replicaCount?: number;
  readonly type?: ManifestType;
  readonly scaling?: boolean;
  readonly withStorage?: boolean;
}

export interface RescanLike {
  readonly app: App;
  readonly chart: Chart;
  readonly manifest: DeploymentManifest;
}

/** Builds the system into a fresh app; `compose` props, when given, add a ComposeFile to the app. */
export function rescanLike(options: RescanLikeOptions = {}): RescanLike {
  const app = Testing.app();
  const chart = new Chart(app, 'rescan', { namespace: 'rescan' });
  const common = { namespace: 'rescan', instance: 'rescan', partOf: 'rescan', appName: 'rescan' };

  new Namespace(chart, 'namespace', { name: 'rescan', appName: 'rescan', instance: 'rescan', environment: Environment.PRODUCTION });
  const config = new ConfigMapConfiguration(chart, 'config', {
    ...common,
    name: 'rescan-config',
    configData: {
      PORT: '3000',
      NODE_ENV: 'production',
      EDUCATIONAL_MODE: 'true',
      DATABASE_URL: 'sqlite:./data/rescan.db',
      MAX_FILE_SIZE: '5242880',
    },
  });
  const secrets = new SecretConfiguration(chart, 'secrets', {
    ...common,
    name: 'rescan-secrets',
    secretData: {
      AZURE_OPENAI_API_KEY: SECRET_VALUES.AZURE_OPENAI_API_KEY,
      AZURE_OPENAI_ENDPOINT: SECRET_VALUES.AZURE_OPENAI_ENDPOINT,
      AZURE_OPENAI_MODEL_DEPLOYMENT: SECRET_VALUES.AZURE_OPENAI_MODEL_DEPLOYMENT,
    },
  });
  const credentials = new SecretConfiguration(chart, 'credentials', {
    ...common,
    name: 'rescan-credentials',
    consumeAsEnv: false,
    mountPath: '/etc/rescan',
    secretData: { 'credentials.json': SECRET_VALUES['credentials.json'] },
  });
  const withStorage = options.withStorage ?? true;
  const data = withStorage ? new PersistentStorage(chart, 'data', {
    ...common,
    name: 'rescan-data-pvc',
    accessMode: AccessMode.READ_WRITE_ONCE,
    size: '1Gi',
    mountPath: '/app/data',
  }) : undefined;

  const manifest = new DeploymentManifest(chart, 'app', {
    namespace: 'rescan',
    instance: 'rescan',
    partOf: 'rescan',
    name: 'rescan-app',
    containerName: 'rescan',
    type: options.type ?? ManifestType.DOCKER_COMPOSE,
    environment: Environment.PRODUCTION,
    replicaCount: options.replicaCount,
    scalingConfig: options.scaling ? { minReplicas: 1, maxReplicas: 3, targetCpuPercent: 70 } : undefined,
    image: new ContainerImage(chart, 'image', { registry: 'ghcr.io', repository: 'acme/rescan', tag: '1.0.0' }),
    ports: [{ name: 'http', containerPort: 3000 }],
    env: { LOG_LEVEL: 'info', PRICE_FORMAT: '$0.00' },
    selectorLabels: { app: 'rescan' },
    resourceLimits: new ResourceLimits(chart, 'resources', {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '200m', memory: '200Mi' },
    }),
    healthEndpoints: [
      new HealthEndpoint(chart, 'liveness', { kind: ProbeKind.LIVENESS, endpointPath: '/health', timeoutSeconds: 5, initialDelaySeconds: 10 }),
      new HealthEndpoint(chart, 'readiness', { kind: ProbeKind.READINESS, endpointPath: '/ready', timeoutSeconds: 5, initialDelaySeconds: 5 }),
    ],
    securityProfile: new SecurityProfile(chart, 'security', { writablePaths: ['/tmp', '/app/backend/public/uploads'] }),
    configMaps: [config],
    secrets: [secrets, credentials],
    storage: data ? [data] : undefined,
    service: { serviceName: 'rescan-service', ports: [{ name: 'http', port: 80, targetPort: 3000 }] },
  });
  return { app, chart, manifest };
}

/** Adds a ComposeFile for the system to its app. */
export function composeFor(system: RescanLike, props: Partial<ComposeFileProps> = {}): ComposeFile {
  return new ComposeFile(system.app, 'compose', {
    chart: system.chart,
    projectName: 'rescan',
    environment: Environment.PRODUCTION,
    ...props,
  });
}
