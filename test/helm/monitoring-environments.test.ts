/**
 * One chart from environments whose clusters differ as real ones do: development has no Prometheus
 * operator (MonitoringMetrics gives the pods scrape annotations), production has it (a ServiceMonitor
 * and a PrometheusRule); each has its own Ingress host, served by a certificate cert-manager issues
 * from a CA of its own (named after the host). The pods' annotations are each environment's
 * `podAnnotations`, and the CA's common name follows `ingress.hostname` like the certificate's
 * names, so `helm template -f values-<env>.yaml` renders each environment's plain YAML (real helm).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { tempDir } from './fixtures';
import { expectSameObjects, namespaceObjects, render } from './harness';
import {
  CertificateBundle, CertificateProvider, CertificateType, ClusterAccessLevel, ContainerImage, DeploymentManifest, Environment, HelmChart,
  IngressConfiguration, MonitoringMetrics, Namespace, TargetCluster,
} from '../../src';
import { findObject } from '../util/manifests';

const NS = 'status';

function statusPage(app: App, name: string, environment: Environment, host: string): Chart {
  const chart = new Chart(app, name, { namespace: NS });
  const production = environment === Environment.PRODUCTION;
  new Namespace(chart, 'namespace', { name: NS, environment });
  const cluster = new TargetCluster(chart, 'cluster', {
    name: name,
    endpoint: `https://api.${name}.example.com:6443`,
    context: `deployer@${name}`,
    version: '1.28',
    accessLevel: ClusterAccessLevel.ADMIN,
    capabilities: production ? ['cert-manager', 'prometheus-operator'] : ['cert-manager'],
  });
  const web = new DeploymentManifest(chart, 'web', {
    name: 'status',
    environment,
    image: new ContainerImage(chart, 'image', { repository: 'acme/status', tag: '1.0.0', environment }),
    ports: [{ containerPort: 8080 }],
    replicaCount: 2,
  });
  const certificate = new CertificateBundle(chart, 'certificate', {
    name: 'status-tls', serverName: host, certType: CertificateType.AUTO_GENERATED_CA, provider: CertificateProvider.CERT_MANAGER, environment,
  });
  new IngressConfiguration(chart, 'ingress', {
    name: 'status', hostname: host, pathPrefixes: [{ pathPrefix: '/', service: web.service! }], tlsConfiguration: { secretName: certificate.secretName },
  });
  new MonitoringMetrics(chart, 'metrics', { workload: web, cluster });
  return chart;
}

let work: string;
let dir: string;
let production: Chart;
let development: Chart;
beforeAll(() => {
  work = tempDir('monitoring-environments');
  const app = new App({ outdir: path.join(work, 'plain') });
  production = statusPage(app, 'production', Environment.PRODUCTION, 'status.example.com');
  development = statusPage(app, 'development', Environment.DEVELOPMENT, 'status.dev.example.com');
  app.synth();
  new HelmChart(app, 'helm', {
    chartName: 'status',
    chartVersion: '1.0.0',
    chart: production,
    defaultEnvironmentName: 'production',
    environments: [{ name: 'development', chart: development }],
  }).writeTo(path.join(work, 'helm'));
  dir = path.join(work, 'helm', 'status');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('the environments differ in the pods\' scrape annotations and the CA\'s name, which no template holds', () => {
  const pod = (chart: Chart) => findObject(chart.toJson(), 'Deployment', 'status').spec.template.metadata;
  expect(pod(production).annotations).toBeUndefined();
  expect(pod(development).annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics' });
  expect(findObject(production.toJson(), 'Certificate', 'status-tls-ca').spec.commonName).toBe('status.example.com root CA');
  expect(findObject(development.toJson(), 'Certificate', 'status-tls-ca').spec.commonName).toBe('status.dev.example.com root CA');
  const values = (file: string) => YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  expect(values('values.yaml').podAnnotations).toEqual({});
  expect(values('values-development.yaml').podAnnotations).toEqual(pod(development).annotations);
  expect(fs.readFileSync(path.join(dir, 'templates', 'certificate-status-tls-ca.yaml'), 'utf8'))
    .toContain('commonName: {{ printf "%s root CA" .Values.ingress.hostname | trunc 64 | quote }}');
});

test('each values file renders its environment\'s plain YAML', () => {
  expectSameObjects(render(dir, NS), production.toJson(), namespaceObjects(dir, 'namespace-production.yaml'));
  expectSameObjects(render(dir, NS, ['-f', path.join(dir, 'values-development.yaml')]), development.toJson(), namespaceObjects(dir, 'namespace-development.yaml'));
});

test('another host moves the certificate and names its CA after it', () => {
  const host = 'status.other.example.com';
  const rendered = render(dir, NS, ['--set', `ingress.hostname=${host}`]);
  expect(findObject(rendered, 'Ingress', 'status').spec.rules[0].host).toBe(host);
  expect(findObject(rendered, 'Certificate', 'status-tls').spec.dnsNames).toEqual([host]);
  expect(findObject(rendered, 'Certificate', 'status-tls-ca').spec.commonName).toBe(`${host} root CA`);
});
