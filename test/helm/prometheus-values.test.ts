/**
 * Where the chart's NetworkPolicies admit Prometheus is a pair of values, as the ingress controller's
 * namespace is one: `networkPolicy.prometheusNamespace` and `networkPolicy.prometheusPodLabels`,
 * defaulting to what the objects carry. The rendered NetworkPolicy follows them, and the declared
 * scrapes pass the policies for a Prometheus placed there (the flow evaluator of `manifests`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { tempDir } from './fixtures';
import { expectSameObjects, render } from './harness';
import { Environment } from '../../src/core/environment';
import { HelmChart } from '../../src/helm/helm-chart';
import { DEFAULT_FLOW_WORLD, ManifestSet, blockedFlows, describeBlockedFlow } from '../../src/manifests';
import { MonitoringMetrics, ScrapeMethod } from '../../src/monitoring/monitoring-metrics';
import { ContainerImage } from '../../src/pod/container-image';
import { DeploymentManifest } from '../../src/workloads/deployment-manifest';
import { findObject } from '../util/manifests';

let work: string;
let dir: string;
let plain: any[];
beforeAll(() => {
  work = tempDir('helm-prometheus');
  const app = new App({ outdir: work });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new DeploymentManifest(chart, 'api', {
    environment: Environment.PRODUCTION,
    namespace: 'shop',
    image: new ContainerImage(chart, 'image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }),
    ports: [{ containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }],
    // Only the shop's frontend may connect: Prometheus needs a rule of its own.
    networkPolicy: { ingressFrom: [{ podLabels: { app: 'frontend' } }] },
  });
  new MonitoringMetrics(chart, 'metrics', { workload: api, scrapeMethod: ScrapeMethod.ANNOTATIONS, port: 9090 });
  // Another outside peer, on the serving port: not Prometheus, so it keeps the generic namespace value.
  api.admitIngress({ namespaceLabels: { 'kubernetes.io/metadata.name': 'reports' }, podLabels: { app: 'reporter' } }, 8080);
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
  app.synth();
  plain = chart.toJson();
  dir = helm.writeTo(work);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const policyOf = (objects: any[]) => findObject(objects, 'NetworkPolicy', 'api');
/** The peers of a policy's ingress rules that name pods in another namespace. */
const outsidePeers = (policy: any) => policy.spec.ingress.flatMap((r: any) => (r.from ?? []).filter((p: any) => p.namespaceSelector)
  .map((p: any) => ({ ...p, ports: r.ports.map((x: any) => x.port) })));

test('the values default to the namespace and pod labels the objects carry, described in the schema and the README', () => {
  const values = YAML.parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8'));
  expect(values.networkPolicy.prometheusNamespace).toBe('monitoring');
  expect(values.networkPolicy.prometheusPodLabels).toEqual({ 'app.kubernetes.io/name': 'prometheus' });
  // The other outside peer keeps its generic value; Prometheus's namespace is no longer one of them.
  expect(values.networkPolicy.namespaces).toEqual({ reports: 'reports' });
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'values.schema.json'), 'utf8'));
  const np = schema.properties.networkPolicy.properties;
  expect(np.prometheusNamespace).toMatchObject({ type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' });
  expect(np.prometheusPodLabels).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  expect(readme).toContain('| `networkPolicy.prometheusNamespace` | string | `"monitoring"` | Namespace of the Prometheus the NetworkPolicies admit on the scraped ports');
  expect(readme).toContain('| `networkPolicy.prometheusPodLabels` | object | `{"app.kubernetes.io/name":"prometheus"}` |');
});

test('the default render is the plain YAML, and its scrapes pass for the default Prometheus', () => {
  const rendered = render(dir, 'shop');
  expectSameObjects(rendered, plain);
  expect(blockedFlows(new ManifestSet(rendered)).map(describeBlockedFlow)).toEqual([]);
});

test('with --set the NetworkPolicy admits a Prometheus elsewhere, and the scrapes pass for it (and only for it)', () => {
  const rendered = render(dir, 'shop', [
    '--set', 'networkPolicy.prometheusNamespace=observability',
    // Helm merges a map into the default one: null removes the default label.
    '--set-json', 'networkPolicy.prometheusPodLabels={"app.kubernetes.io/name":null,"app":"prom"}',
  ]);
  expect(outsidePeers(policyOf(rendered))).toEqual([
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: { app: 'prom' } }, ports: [9090] },
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'reports' } }, podSelector: { matchLabels: { app: 'reporter' } }, ports: [8080] },
  ]);
  const moved = { ...DEFAULT_FLOW_WORLD, prometheus: { namespace: 'observability', labels: { app: 'prom' } } };
  expect(blockedFlows(new ManifestSet(rendered), moved).map(describeBlockedFlow)).toEqual([]);
  // The Prometheus the objects named is no longer admitted: the evaluator sees the scrape blocked.
  expect(blockedFlows(new ManifestSet(rendered)).map(describeBlockedFlow)).toEqual([
    expect.stringMatching(/^Prometheus \(prometheus\.io\/scrape of Deployment shop\/api\) -> Deployment shop\/api :9090 blocked by NetworkPolicy shop\/api \(ingress\)$/),
  ]);
});
