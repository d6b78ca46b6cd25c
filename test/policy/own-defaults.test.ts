/**
 * The library's defaults pass the library's own checks: every public construct of the package root
 * (found from its exports, so a new one is covered or this test fails), built alone with minimal
 * props, in development, staging and production, gives `PolicyCheck` (the engine of `deploykit
 * check`) no error and no warning, and records no construct warning either.
 *
 * "Minimal props" are the required props and nothing else, except what the construct itself asks
 * for when it is missing (a DeploymentManifest without ports warns that it gets no Service and no
 * probes); entities that live inside a workload (an image, resources, a health endpoint, a security
 * profile) are checked inside the smallest DeploymentManifest, and constructs that point at another
 * (a Service, an Ingress, monitoring) next to the smallest one they point at. What a construct
 * chooses on purpose, such as development's IfNotPresent pull policy, it waives itself with the
 * reason; a waiver that waives nothing here is one of development's image defaults, which every
 * environment carries so that one Helm template serves them all (src/workloads/own-waivers.ts), and
 * which the "untagged" case below shows waiving in development.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { CLASSES } from '../../src/core/private/prop-types.generated';
import { tempDir } from '../helm/fixtures';
import { baselines, lib } from '../runtime-checks/js-callers';
import { runHelm } from '../util/tools';

const ENVIRONMENTS = ['development', 'staging', 'production'];

/** The public, constructible Construct classes of the package root. */
const CONSTRUCTS = Object.keys(lib)
  .filter((name) => typeof lib[name] === 'function' && lib[name].prototype instanceof Construct && CLASSES[name]?.params.new)
  .sort();

/** Constructs whose output Kubernetes never sees, with the reason. */
const NOT_FOR_KUBERNETES: Record<string, string> = {
  ComposeFile: 'writes docker-compose.yaml from a chart of docker-compose manifests, which are never applied to a cluster',
};

/** The waivers of development's image defaults, carried by every environment. */
const DEVELOPMENT_IMAGE_WAIVERS = ['image-pull-policy-always', 'image-pinned-tag'];
/** Blueprints: their own waivers are the same in every environment (see src/blueprints/policy.ts). */
const BLUEPRINTS = ['RccRemote', 'Rescan', 'TodoChatbot', 'ToolHiveRegistry'];

type Builder = (chart: Chart, environment: string) => Construct;

const image = (c: Construct, id = 'image', props: object = {}) => new lib.ContainerImage(c, id, { repository: 'acme/api', tag: '1.0.0', ...props });
/** The smallest workload that serves: an image and the port it listens on. */
const workload = (c: Construct, environment: string, props: object = {}) => new lib.DeploymentManifest(c, 'api', {
  image: image(c), ports: [{ containerPort: 8080 }], environment, ...props,
});
const registry = (c: Construct) => new lib.McpRegistry(c, 'registry', { name: 'official', url: 'https://registry.example.com/v0/servers' });
const mcpServer = (c: Construct, transport: string, props: object = {}) => new lib.McpServer(c, 'server', {
  registry: registry(c), name: 'fetch', version: '1.0.0', image: 'ghcr.io/acme/mcp-fetch:1.0.0', transport, ...props,
});
const clusterProps = { name: 'Production', endpoint: 'https://api.example.com:6443', context: 'deployer@prod', version: '1.28' };
const certificateStore = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-own-defaults-certs-'));
const sealedStore = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-own-defaults-sealed-'));

/** Each case: a construct with minimal props (and what it needs beside it). */
const CASES: Array<[string, string, Builder]> = [
  ['CertificateBundle', 'generated, self-signed', (c, environment) => new lib.CertificateBundle(c, 'subject', {
    serverName: 'api.example.com', certType: 'auto-generated-selfsigned', environment, store: { directory: certificateStore },
  })],
  ['ConfigMapConfiguration', '', (c) => new lib.ConfigMapConfiguration(c, 'subject', { name: 'api-config', configData: { LOG_LEVEL: 'info' } })],
  ['ContainerImage', 'in the smallest DeploymentManifest', (c, environment) => workload(c, environment, { image: new lib.ContainerImage(c, 'subject', { repository: 'acme/api', tag: '1.0.0' }) })],
  ['ContainerImage', 'untagged (latest) in development only', (c, environment) => workload(c, environment, {
    image: new lib.ContainerImage(c, 'subject', environment === 'development' ? { repository: 'acme/api' } : { repository: 'acme/api', tag: '1.0.0' }),
  })],
  ['DeploymentManifest', 'an image and a port', (c, environment) => workload(c, environment)],
  ['DeploymentManifest', 'one writer of a ReadWriteOnce claim', (c, environment) => workload(c, environment, {
    replicaCount: 1, storage: [new lib.PersistentStorage(c, 'data', { name: 'data', size: '1Gi', mountPath: '/data' })],
  })],
  ['HealthEndpoint', 'liveness and readiness at their default paths', (c, environment) => workload(c, environment, {
    healthEndpoints: [new lib.HealthEndpoint(c, 'subject', { kind: 'liveness' }), new lib.HealthEndpoint(c, 'ready', { kind: 'readiness' })],
  })],
  ['HelmChart', 'of the smallest DeploymentManifest, rendered by helm template', (c, environment) => {
    workload(c, environment);
    return new lib.HelmChart(c.node.scope as Construct, 'subject', { chartName: 'shop', chartVersion: '1.0.0', chart: c });
  }],
  ['IngressConfiguration', 'in front of the smallest DeploymentManifest', (c, environment) => new lib.IngressConfiguration(c, 'subject', {
    name: 'api', hostname: 'api.example.com', pathPrefixes: [{ pathPrefix: '/', service: workload(c, environment).service }],
  })],
  ['McpRegistry', '', (c) => registry(c)],
  ['McpServer', '', (c) => mcpServer(c, 'http')],
  ['McpServerInstance', 'an http server', (c, environment) => new lib.McpServerInstance(c, 'subject', { server: mcpServer(c, 'http'), environment })],
  ['McpServerInstance', 'an sse server without a health path', (c, environment) => new lib.McpServerInstance(c, 'subject', { server: mcpServer(c, 'sse'), environment })],
  ['McpServerInstance', 'an sse server with a health path', (c, environment) => new lib.McpServerInstance(c, 'subject', {
    server: mcpServer(c, 'sse', { healthCheckPath: '/health' }), environment,
  })],
  ['McpServerInstance', 'a stdio server beside its proxy', (c, environment) => new lib.McpServerInstance(c, 'subject', {
    server: mcpServer(c, 'stdio', { command: ['mcp-fetch'] }), proxyImage: image(c, 'proxy-image', { repository: 'toolhive/proxy' }), environment,
  })],
  ['MinikubeCluster', '', (c) => new lib.MinikubeCluster(c, 'subject', { name: 'dev', cpus: 4, memory: 8192 })],
  ['MonitoringMetrics', 'of the smallest DeploymentManifest', (c, environment) => new lib.MonitoringMetrics(c, 'subject', { workload: workload(c, environment) })],
  ['Namespace', '', (c, environment) => new lib.Namespace(c, 'subject', { name: 'shop', environment })],
  ['PersistentStorage', '', (c) => new lib.PersistentStorage(c, 'subject', { name: 'data', size: '1Gi', mountPath: '/data' })],
  ['RccRemote', '', (c, environment) => new lib.RccRemote(c, 'subject', { serverName: 'rcc.example.com', environment, tls: { store: { directory: certificateStore } } })],
  ['Rescan', '', (c, environment) => new lib.Rescan(c, 'subject', { environment })],
  ['ResourceLimits', 'cpu and memory only, in the smallest DeploymentManifest', (c, environment) => workload(c, environment, {
    resourceLimits: new lib.ResourceLimits(c, 'subject', { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
  })],
  ['SampleCatalog', '', (c) => new lib.SampleCatalog(c, 'subject', baselines.SampleCatalog(c))],
  ['ScheduledBackup', '', (c, environment) => new lib.ScheduledBackup(c, 'subject', {
    name: 'backup',
    schedule: '0 3 * * *',
    image: image(c),
    command: ['sh', '-c', 'cp -r /data/. /backup/'],
    environment,
    source: new lib.PersistentStorage(c, 'source', { name: 'data', size: '1Gi', mountPath: '/data' }),
    target: new lib.PersistentStorage(c, 'target', { name: 'backups', size: '1Gi', mountPath: '/backup' }),
  })],
  ['SecretConfiguration', '', (c) => new lib.SecretConfiguration(c, 'subject', { name: 'api-secrets', secretData: { API_KEY: 'not-a-real-key' } })],
  ['SecurityProfile', 'in the smallest DeploymentManifest', (c, environment) => workload(c, environment, { securityProfile: new lib.SecurityProfile(c, 'subject') })],
  ['SecretDelivery', 'external, with a Secret it delivers', (c) => {
    const delivery = new lib.SecretDelivery(c, 'subject', { mode: 'external', external: { storeName: 'vault' } });
    new lib.SecretConfiguration(c, 'api-secrets', { name: 'api-secrets', requiredKeys: ['API_KEY'] });
    return delivery;
  }],
  ['SecretDelivery', 'sealed, with a Secret it delivers', (c) => {
    const delivery = new lib.SecretDelivery(c, 'subject', {
      mode: 'sealed', sealing: { certificateFile: path.join(__dirname, '..', '..', 'examples', 'sealing', 'controller.crt'), storeDirectory: sealedStore },
    });
    new lib.SecretConfiguration(c, 'api-secrets', { name: 'api-secrets', secretData: { API_KEY: 'not-a-real-key' } });
    return delivery;
  }],
  ['ServiceConfiguration', 'selecting the pods of the smallest DeploymentManifest', (c, environment) => new lib.ServiceConfiguration(c, 'subject', {
    serviceName: 'public', ports: [{ name: 'http', port: 80, targetPort: 8080 }], selectorLabels: workload(c, environment, { withoutService: true }).selectorLabels,
  })],
  ['StatefulManifest', '', (c, environment) => new lib.StatefulManifest(c, 'subject', {
    image: image(c), ports: [{ containerPort: 5432 }], volumeClaim: { name: 'data', mountPath: '/data', size: '1Gi' }, environment,
  })],
  ['TargetCluster', '', (c) => new lib.TargetCluster(c, 'subject', clusterProps)],
  ['TargetCluster', 'with rbac, and the application that calls the API as its ServiceAccount', (c, environment) => {
    workload(c, environment, { serviceAccountName: 'shop-api', automountServiceAccountToken: true });
    return new lib.TargetCluster(c, 'subject', { ...clusterProps, rbac: { serviceAccountName: 'shop-api' } });
  }],
  ['TodoChatbot', '', (c, environment) => new lib.TodoChatbot(c, 'subject', { environment })],
  ['ToolHiveRegistry', 'with an admin context, which its Namespace needs', (c, environment) => new lib.ToolHiveRegistry(c, 'subject', {
    environment,
    cluster: { ...clusterProps, accessLevel: 'admin' },
    registries: [{ name: 'official', url: 'https://registry.example.com/v0/servers' }],
    servers: [{ registry: 'official', name: 'fetch', version: '1.0.0', image: 'ghcr.io/acme/mcp-fetch:1.0.0', transport: 'sse' }],
  })],
  ['ValueParameter', 'with the default value it needs unbound', (c) => new lib.ValueParameter(c, 'subject', {
    parameterName: 'logLevel', parameterType: 'string', description: 'The log level.', defaultValue: 'info',
  })],
];

/** The objects Kubernetes gets from `subject`: the chart's, or `helm template` of a HelmChart. */
function kubernetesObjects(chart: Chart, subject: Construct): any[] {
  if (!(subject instanceof lib.HelmChart)) return chart.toJson();
  const dir = (subject as any).writeTo(tempDir('deploykit-own-defaults-helm-'));
  const rendered = runHelm(['template', 'shop', dir, '--namespace', 'shop']);
  expect(rendered.stderr).toBe('');
  return Yaml.load(writeTemp(rendered.stdout)).filter((o: any) => o);
}

function writeTemp(text: string): string {
  const file = path.join(tempDir('deploykit-own-defaults-yaml-'), 'rendered.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const PASSPHRASE = 'DEPLOYKIT_CERT_PASSPHRASE';
let savedPassphrase: string | undefined;
beforeAll(() => {
  // Production keeps generated keys only encrypted, as a user's shell would set it.
  savedPassphrase = process.env[PASSPHRASE];
  process.env[PASSPHRASE] = 'own-defaults-passphrase';
});
afterAll(() => {
  if (savedPassphrase === undefined) delete process.env[PASSPHRASE];
  else process.env[PASSPHRASE] = savedPassphrase;
  fs.rmSync(certificateStore, { recursive: true, force: true });
  fs.rmSync(sealedStore, { recursive: true, force: true });
});

test('every public construct of the package root has a case, or says why Kubernetes never sees its output', () => {
  const covered = new Set([...CASES.map(([name]) => name), ...Object.keys(NOT_FOR_KUBERNETES)]);
  expect(CONSTRUCTS.filter((name) => !covered.has(name))).toEqual([]);
  expect([...covered].filter((name) => !CONSTRUCTS.includes(name))).toEqual([]);
});

describe.each(CASES)('%s (%s)', (_name, _what, build) => {
  test.each(ENVIRONMENTS)('%s: no error, no warning, and no waiver without a finding but development\'s image defaults', (environment) => {
    const app = new App({ outdir: tempDir('deploykit-own-defaults-') });
    const chart = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
    const subject = build(chart, environment);
    const report = lib.PolicyCheck.run(kubernetesObjects(chart, subject));
    const line = (f: any) => `${f.level} ${f.rule} ${f.kind}/${f.name} ${f.path}: ${f.message}`;
    expect(report.findings.map(line)).toEqual([]);
    expect(lib.Warnings.of(app).map((w: any) => `${w.path}: ${w.message}`)).toEqual([]);
    // A waiver an entity adds is for a finding it raises here, but for development's image defaults,
    // carried whatever the environment and tag. (A blueprint's own waivers are the same in every environment too.)
    const idle = report.waivers.filter((w: any) => w.waivedCount === 0 && !DEVELOPMENT_IMAGE_WAIVERS.includes(w.rule));
    if (!BLUEPRINTS.includes(_name)) expect(idle.map((w: any) => `${w.kind}/${w.name} ${w.rule}`)).toEqual([]);
  });
});
