/**
 * Seed rules the library deliberately relaxes (docs/seed-coverage.md, "Seed rules deliberately
 * relaxed"): each is accepted as documented, beside the rule that still holds, so the relaxation
 * cannot widen or vanish unnoticed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  CertificateBundle, CertificateType, ContainerImage, DeploymentManifest, DeploymentManifestProps, Environment,
  HealthEndpoint, HelmChart, ProbeKind, SecurityProfile, ServiceConfiguration,
} from '../../src';
import { findObject, objectsOfKind, synthError, synthManifests } from '../util/manifests';

let storeDir: string;
beforeEach(() => {
  storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-relaxed-'));
});
afterEach(() => fs.rmSync(storeDir, { recursive: true, force: true }));

function chartIn(namespace: string): Chart {
  const chart = Testing.chart();
  (chart as { namespace?: string }).namespace = namespace;
  return chart;
}

function server(chart: Chart, name: string, props: Partial<DeploymentManifestProps> = {}): DeploymentManifest {
  return new DeploymentManifest(chart, name, {
    environment: Environment.DEVELOPMENT,
    image: new ContainerImage(chart, `${name}-image`, { repository: `acme/${name}`, tag: '1.0.0' }),
    ports: [{ name: 'http', containerPort: 8080 }],
    ...props,
  });
}

function sharedBundle(chart: Chart): CertificateBundle {
  return new CertificateBundle(chart, 'shared-cert', {
    serverName: 'web.example.com',
    sanNames: ['web.example.com', 'api.example.com'],
    certType: CertificateType.AUTO_GENERATED_SELFSIGNED,
    environment: Environment.DEVELOPMENT,
    store: { directory: storeDir },
  });
}

test('seed 000 one-to-one: two manifests share one CertificateBundle and one SecurityProfile', () => {
  const chart = chartIn('shop');
  const bundle = sharedBundle(chart);
  const profile = new SecurityProfile(chart, 'shared-profile', { runAsUser: 2000, runAsGroup: 2000 });
  server(chart, 'web', { serverName: 'web.example.com', certificateBundle: bundle, securityProfile: profile });
  server(chart, 'api', { serverName: 'api.example.com', certificateBundle: bundle, securityProfile: profile });
  const objects = synthManifests(chart);

  expect(objectsOfKind(objects, 'Secret').map((s) => s.metadata.name)).toEqual([bundle.secretName]);
  for (const name of ['web', 'api']) {
    const pod = findObject(objects, 'Deployment', name).spec.template.spec;
    expect(pod.volumes).toContainEqual(expect.objectContaining({ secret: expect.objectContaining({ secretName: bundle.secretName }) }));
    expect(pod.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, runAsNonRoot: true });
  }
});

test('the bundle still has to name each server it serves (SANs include the serverName)', () => {
  const chart = chartIn('shop');
  server(chart, 'admin', { serverName: 'admin.example.com', certificateBundle: sharedBundle(chart) });
  expect(synthError(chart)).toContain('certificateBundle.sanNames: got ["web.example.com","api.example.com"]; expected a list of names that includes the server name "admin.example.com"');
});

test('seed 000 health endpoint paths: any absolute path, not only /health/live, /health/ready, /health/startup', () => {
  const chart = chartIn('shop');
  server(chart, 'web', {
    healthEndpoints: [
      new HealthEndpoint(chart, 'live', { kind: ProbeKind.LIVENESS, endpointPath: '/livez' }),
      new HealthEndpoint(chart, 'ready', { kind: ProbeKind.READINESS, endpointPath: '/api/v1/ready' }),
    ],
  });
  const container = findObject(synthManifests(chart), 'Deployment', 'web').spec.template.spec.containers[0];
  expect(container.livenessProbe.httpGet.path).toBe('/livez');
  expect(container.readinessProbe.httpGet.path).toBe('/api/v1/ready');

  const bad = chartIn('shop');
  server(bad, 'web', { healthEndpoints: [new HealthEndpoint(bad, 'live', { kind: ProbeKind.LIVENESS, endpointPath: 'livez' })] });
  expect(synthError(bad)).toContain('endpointPath: got "livez"; expected a path starting with "/"');
});

test('seed 002 "Service ports must be unique within namespace": two Services on port 80 in one namespace', () => {
  const chart = chartIn('shop');
  for (const name of ['web', 'api']) {
    new ServiceConfiguration(chart, name, { serviceName: name, selectorLabels: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  }
  const services = objectsOfKind(synthManifests(chart), 'Service');
  expect(services.map((s) => [s.metadata.namespace, s.metadata.name, s.spec.ports[0].port])).toEqual([['shop', 'web', 80], ['shop', 'api', 80]]);

  const bad = chartIn('shop');
  new ServiceConfiguration(bad, 'web', {
    serviceName: 'web',
    selectorLabels: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'alt', port: 80, targetPort: 8081 }],
  });
  expect(synthError(bad)).toContain('ports: got "80/TCP"; expected unique port numbers per protocol');
});

test('seed 002 "Dependencies must be available in repositories": the form is checked, the repository is never contacted', () => {
  const helmChart = (repository: string) => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(storeDir, 'app-')) });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    server(chart, 'web');
    return {
      app,
      helm: new HelmChart(app, 'helm', {
        chartName: 'shop',
        chartVersion: '1.0.0',
        chart,
        dependencies: [{ name: 'postgresql', version: '^15.5.0', repository }],
      }),
    };
  };
  // .invalid never resolves (RFC 2606): the chart is made all the same.
  const unreachable = helmChart('https://charts.example.invalid/stable');
  unreachable.app.synth();
  expect(YAML.parse(unreachable.helm.synthesizeFiles()['Chart.yaml']).dependencies)
    .toEqual([{ name: 'postgresql', version: '^15.5.0', repository: 'https://charts.example.invalid/stable' }]);

  const malformed = helmChart('ftp://charts.example.com');
  expect(() => malformed.app.synth()).toThrow(/dependencies\[0\]\.repository: got "ftp:\/\/charts\.example\.com"; expected a chart repository/);
});
