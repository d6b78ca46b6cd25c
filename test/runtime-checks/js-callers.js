/*
 * Plain JavaScript, as a user of the library writes it without TypeScript: nothing here is type
 * checked (tsc never reads this file; js-callers.d.ts only names its exports). The tests feed these
 * props to the constructs and assert on the findings.
 *
 * `baselines` holds valid props for every public construct, keyed by class name: the per-case tests
 * break one prop of them, and the property-based test replaces props with arbitrary JSON values.
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const AdmZip = require('adm-zip');
const { Chart, Testing } = require('cdk8s');
const lib = require('../../src');

/** A folder with a real catalog ZIP file for SampleCatalog, made once per test process. */
let catalogDir;
function catalogFile() {
  if (!catalogDir) {
    catalogDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-js-catalog-'));
    const zip = new AdmZip();
    zip.addFile('catalog/python311.yaml', Buffer.from('python: 3.11.5\n'));
    fs.writeFileSync(path.join(catalogDir, 'python311.zip'), zip.toBuffer());
  }
  const data = fs.readFileSync(path.join(catalogDir, 'python311.zip'));
  return { baseDirectory: catalogDir, size: data.length, sha256: crypto.createHash('sha256').update(data).digest('hex') };
}

const image = (scope, id = 'image') => new lib.ContainerImage(scope, id, { repository: 'acme/api', tag: '1.0.0' });
const storage = (scope, id, name, mountPath) => new lib.PersistentStorage(scope, id, { name, size: '1Gi', mountPath });
const mcpRegistry = (scope) => new lib.McpRegistry(scope, 'mcp-registry', { name: 'official', url: 'https://registry.example.com/v0' });
const mcpServer = (scope) => new lib.McpServer(scope, 'mcp-server', {
  registry: mcpRegistry(scope), name: 'github', version: '0.5.0', image: 'registry.example.com/mcp/github:0.5.0', transport: 'stdio', command: ['server', 'stdio'],
});
const service = (scope) => new lib.ServiceConfiguration(scope, 'svc', {
  serviceName: 'api', ports: [{ name: 'http', port: 80, targetPort: 8080 }], selectorLabels: { app: 'api' },
});

/** Valid props of every public construct, built in `chart` (entities it needs are made there too). */
const baselines = {
  ContainerImage: () => ({ registry: 'ghcr.io', repository: 'acme/api', tag: '1.0.0', imagePullPolicy: 'Always' }),
  HealthEndpoint: () => ({ kind: 'readiness', endpointPath: '/ready', port: 8080, timeoutSeconds: 5, failureThreshold: 3, periodSeconds: 10, initialDelaySeconds: 0 }),
  ResourceLimits: () => ({ limits: { cpu: '500m', memory: '256Mi', storage: '256Mi' }, requests: { cpu: '100m', memory: '128Mi', storage: '64Mi' } }),
  SecurityProfile: () => ({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, readOnlyRootFilesystem: true, seccompProfile: 'RuntimeDefault', writablePaths: ['/tmp'] }),
  DeploymentManifest: (chart) => ({
    name: 'api',
    image: image(chart),
    environment: 'production',
    replicaCount: 2,
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: { LOG_LEVEL: 'info' },
    scalingConfig: { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 70 },
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    revisionHistoryLimit: 10,
    service: { serviceType: 'ClusterIP', sessionAffinity: 'None' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'api', effect: 'NoSchedule' }],
  }),
  StatefulManifest: (chart) => ({
    name: 'db',
    image: image(chart),
    replicaCount: 1,
    ports: [{ name: 'postgresql', containerPort: 5432 }],
    tcpHealthCheck: true,
    volumeClaim: { name: 'data', mountPath: '/var/lib/data', size: '1Gi', minimumSize: '500Mi' },
  }),
  ScheduledBackup: (chart) => ({
    name: 'backup',
    schedule: '0 3 * * *',
    image: image(chart),
    command: ['sh', '-c', 'cp -r /data /backup'],
    source: storage(chart, 'source', 'data', '/data'),
    target: storage(chart, 'target', 'backups', '/backup'),
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
    backoffLimit: 2,
    activeDeadlineSeconds: 600,
    startingDeadlineSeconds: 300,
  }),
  ConfigMapConfiguration: () => ({ name: 'api-config', configData: { LOG_LEVEL: 'info' }, requiredKeys: ['LOG_LEVEL'], consumeAsEnv: true }),
  SecretConfiguration: () => ({ name: 'api-secrets', secretType: 'Opaque', secretData: { API_KEY: 'not-a-real-key' }, requiredKeys: ['API_KEY'] }),
  SecretDelivery: () => ({
    mode: 'sealed',
    sealing: {
      certificateFile: path.join(__dirname, '..', '..', 'examples', 'sealing', 'controller.crt'),
      scope: 'namespace-wide',
      storeDirectory: path.join(os.tmpdir(), 'deploykit-js-callers-sealed'),
      passphraseEnvVar: 'DEPLOYKIT_CERT_PASSPHRASE',
    },
    external: {
      storeName: 'vault', storeKind: 'ClusterSecretStore', remoteKey: 'shop/api', refreshInterval: '30m',
      keys: [{ secretKey: 'API_KEY', remoteKey: 'shop/keys', property: 'api' }],
    },
  }),
  PersistentStorage: () => ({ name: 'data', accessMode: 'ReadWriteOnce', size: '1Gi', minimumSize: '500Mi', mountPath: '/data' }),
  SampleCatalog: () => {
    const file = catalogFile();
    return {
      catalogName: 'python311',
      zipFilePath: 'python311.zip',
      baseDirectory: file.baseDirectory,
      pythonVersion: '3.11.5',
      condaDependencies: ['python=3.11.5'],
      robocorpHomePath: '/opt/robocorp',
      sizeBytes: file.size,
      checksumSha256: file.sha256,
    };
  },
  ServiceConfiguration: () => ({
    serviceName: 'api', serviceType: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    selectorLabels: { app: 'api' }, sessionAffinity: 'None',
  }),
  IngressConfiguration: (chart) => ({
    name: 'api', hostname: 'api.example.com', pathPrefixes: [{ pathPrefix: '/', service: service(chart), servicePort: 80 }],
    rateLimiting: { requestsPerSecond: 10, burstMultiplier: 5, connections: 20 },
  }),
  Namespace: () => ({ name: 'shop', environment: 'production', podSecurityLevel: 'restricted' }),
  CertificateBundle: () => ({
    serverName: 'api.example.com', certType: 'auto-generated-ca', provider: 'cert-manager', validityDays: 90, keySize: 2048,
    store: { directory: path.join(os.tmpdir(), 'deploykit-js-callers-certs'), renewalWindowDays: 30 },
  }),
  TargetCluster: () => ({ name: 'Production', endpoint: 'https://api.example.com:6443', context: 'prod', version: '1.28', accessLevel: 'admin' }),
  MinikubeCluster: () => ({ name: 'dev', cpus: 4, memory: 8192, diskSize: 20000 }),
  HelmChart: (chart) => ({ chartName: 'shop', chartVersion: '1.0.0', chart }),
  ValueParameter: () => ({ parameterName: 'logLevel', parameterType: 'string', defaultValue: 'info', description: 'The log level.' }),
  ComposeFile: (chart) => {
    new lib.DeploymentManifest(chart, 'compose-app', { type: 'docker-compose', image: image(chart, 'compose-image'), ports: [{ containerPort: 8080 }] });
    return { chart, projectName: 'shop' };
  },
  Rescan: () => ({ environment: 'staging', imageTag: '1.0.0', port: 3000, serviceType: 'ClusterIP' }),
  TodoChatbot: () => ({ environment: 'staging', hostname: 'todo.example.com' }),
  RccRemote: () => ({
    serverName: 'rcc.example.com', environment: 'staging', port: 4653,
    tls: { certType: 'auto-generated-ca', provider: 'cert-manager' },
  }),
  McpRegistry: () => ({
    name: 'toolhive-official', url: 'https://registry.example.com/v0/servers', description: 'Curated', status: 'active',
    metadata: { maintainer: 'platform' }, authConfig: { secretName: 'registry-credentials', secretKey: 'token', scheme: 'bearer' },
  }),
  McpServer: (chart) => ({
    registry: mcpRegistry(chart), name: 'fetch', version: '1.2.0', image: 'registry.example.com/mcp/fetch:1.2.0', transport: 'http',
    tier: 'community', status: 'available', category: ['web'], capabilities: ['fetch'], repositoryUrl: 'https://example.com/fetch',
    networkPermissions: [{ host: 'example.com', cidrs: ['93.184.0.0/16'], except: ['93.184.1.0/24'], ports: [443], protocol: 'TCP' }],
    deploymentRequirements: { limits: { cpu: '500m', memory: '256Mi', storage: '256Mi' }, requests: { cpu: '100m', memory: '128Mi', storage: '64Mi' } },
    port: 8080, healthCheckPath: '/health', metricsPath: '/metrics',
  }),
  McpServerInstance: (chart) => ({
    server: mcpServer(chart), name: 'github', namespace: 'shop', environment: 'production', replicas: 2,
    configuration: { LOG_LEVEL: 'info' }, clients: [{ podLabels: { app: 'api' } }],
    proxyImage: image(chart, 'proxy-image'), proxyPort: 8080,
  }),
  MonitoringMetrics: (chart) => ({
    workload: new lib.DeploymentManifest(chart, 'monitored', { image: image(chart, 'monitored-image'), ports: [{ containerPort: 8080 }] }),
    scrapeMethod: 'annotations', port: 8080, metricsPath: '/metrics', scrapeIntervalSeconds: 15,
    errorRatePercent: 5, responseTimeMs: 1000, healthCheckFailures: 3, requestsMetric: 'http_requests_total', durationMetric: 'http_request_duration_seconds',
  }),
  ToolHiveRegistry: () => ({
    environment: 'production',
    cluster: { name: 'Production', endpoint: 'https://api.example.com:6443', context: 'admin@prod', version: '1.28', accessLevel: 'admin' },
    applicationAccessLevel: 'deploy',
    registries: [{ name: 'toolhive-official', url: 'https://registry.example.com/v0/servers' }],
    servers: [{ registry: 'toolhive-official', name: 'fetch', version: '1.2.0', image: 'registry.example.com/mcp/fetch:1.2.0', transport: 'http' }],
    apiImage: { repository: 'toolhive/api', tag: '1.0.0' },
    uiImage: { repository: 'toolhive/ui', tag: '1.0.0' },
  }),
};

/**
 * Valid DeploymentManifest props with `catalogs` set (a SampleCatalog, its source image and the
 * holotree volume it is imported into): the catalog init path reads the image too.
 */
const catalogBaseline = (chart) => ({
  ...baselines.DeploymentManifest(chart),
  catalogs: [new lib.SampleCatalog(chart, 'catalog', baselines.SampleCatalog(chart))],
  catalogSource: lib.CatalogSource.fromImage(image(chart, 'catalog-image')),
  storage: [new lib.PersistentStorage(chart, 'holotree', { name: 'holotree', accessMode: 'ReadWriteMany', size: '1Gi', mountPath: '/opt/robocorp' })],
});

/** A fresh chart (namespace "shop") with `Class` built from `props(chart)`; returns the chart and the construct. */
function build(className, props) {
  const chart = Testing.chart();
  chart.namespace = 'shop';
  const Class = lib[className];
  const construct = new Class(chart, 'subject', typeof props === 'function' ? props(chart) : props);
  return { chart, construct };
}

/** The synth error of a chart, or undefined when it synthesizes. Anything but a validation error is rethrown. */
function synthError(chart) {
  try {
    chart.toJson();
    return undefined;
  } catch (e) {
    if (!(e instanceof Error) || e.constructor !== Error || !e.message.startsWith('Validation failed with the following errors:')) throw e;
    return e.message;
  }
}

/** The baseline of `className` with `change(props, chart)` applied, built and synthesized: the error message. */
function errorWith(className, change) {
  const { chart } = build(className, (c) => {
    const props = baselines[className](c);
    change(props, c);
    return props;
  });
  return synthError(chart);
}

module.exports = { lib, baselines, catalogBaseline, build, synthError, errorWith, Chart, image, storage, service };
