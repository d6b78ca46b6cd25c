/**
 * Bitnami's `commonLabels` and `commonAnnotations` (every object the chart renders, the pods' labels,
 * never the selectors; an object's own key keeps its value and no map gets a key twice), and the
 * Service's `service.annotations` and `service.nodePorts.<port name>`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { podSpecOfWorkload } from './acceptance';
import { addWeb, labels, parseRendered, tempDir } from './fixtures';
import { render, renderFailure } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { assertValidManifests } from '../util/manifests';
import { runHelm } from '../util/tools';

const SCHEMA_ERROR = "values don't meet the specifications of the schema(s)";

let work: string;
let dir: string;
let nodePortDir: string;
let jobsDir: string;

beforeAll(() => {
  work = tempDir('helm-common-values');
  const app = new App({ outdir: work });
  // A ConfigMap, an Ingress, a single-writer claim (its helm.sh/resource-policy), a NetworkPolicy, a
  // PodDisruptionBudget and a ServiceAccount the chart may create: every kind of addition.
  const chart = new Chart(app, 'default', { namespace: 'shop' });
  addWeb(chart, { config: { PORT: '8080' }, storage: '1Gi', accessMode: 'ReadWriteOnce', replicas: 1, networkPolicy: true, pdb: true });
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '0.1.0', chart });

  // A NodePort Service with a fixed node port, and a second port the cluster picks for.
  const fixed = new Chart(app, 'fixed', { namespace: 'shop' });
  addWeb(fixed, { ingress: false });
  new k8s.KubeService(fixed, 'edge', {
    metadata: { name: 'edge', labels: { 'app.kubernetes.io/name': 'edge' }, annotations: { 'example.com/plain': 'yes' } },
    spec: {
      type: 'NodePort',
      selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop' },
      ports: [
        { name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http'), nodePort: 30080 },
        { name: 'metrics', port: 9090, targetPort: k8s.IntOrString.fromNumber(9090) },
      ],
    },
  });
  // A headless Service beside it: Kubernetes refuses clusterIP None on a NodePort or LoadBalancer.
  new k8s.KubeService(fixed, 'peers', {
    metadata: { name: 'peers', labels: { 'app.kubernetes.io/name': 'peers' } },
    spec: {
      clusterIp: 'None',
      selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop' },
      ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http') }],
    },
  });
  const nodePortHelm = new HelmChart(app, 'helm-fixed', { chartName: 'fixed', chartVersion: '0.1.0', chart: fixed });

  // A CronJob whose job template has labels, one whose job template has none, and a StatefulSet
  // with a labelled claim template and one without metadata labels.
  const jobs = new Chart(app, 'jobs', { namespace: 'shop' });
  const container = (name: string) => ({
    name,
    image: `ghcr.io/acme/${name}:1.0.0`,
    securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  });
  new k8s.KubeCronJob(jobs, 'report', {
    metadata: { name: 'report', labels: labels('report', 'shop') },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: {
        metadata: { labels: labels('report', 'shop') },
        spec: { template: { metadata: { labels: labels('report', 'shop') }, spec: { restartPolicy: 'OnFailure', containers: [container('report')] } } },
      },
    },
  });
  new k8s.KubeCronJob(jobs, 'cleanup', {
    metadata: { name: 'cleanup', labels: labels('cleanup', 'shop') },
    spec: { schedule: '0 4 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container('cleanup')] } } } } },
  });
  const dbSelector = { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'shop' };
  new k8s.KubeStatefulSet(jobs, 'db', {
    metadata: { name: 'db', labels: labels('db', 'shop') },
    spec: {
      serviceName: 'db',
      selector: { matchLabels: dbSelector },
      template: { metadata: { labels: labels('db', 'shop') }, spec: { containers: [container('db')] } },
      volumeClaimTemplates: [
        { metadata: { name: 'data', labels: dbSelector }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } } } },
        { metadata: { name: 'wal' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } } } },
      ],
    },
  });
  const jobsHelm = new HelmChart(app, 'helm-jobs', { chartName: 'jobs', chartVersion: '0.1.0', chart: jobs });
  app.synth();
  dir = helm.writeTo();
  nodePortDir = nodePortHelm.writeTo();
  jobsDir = jobsHelm.writeTo();
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** `helm template` whose output must parse without YAML errors (a key written twice is one). */
function renderStrict(chart: string, args: string[], withTests = false): any[] {
  const r = runHelm(['template', path.basename(chart), chart, '--namespace', 'shop', ...(withTests ? [] : ['--skip-tests']), ...args]);
  if (r.status !== 0) throw new Error(r.stderr);
  const errors = YAML.parseAllDocuments(r.stdout).flatMap((d) => d.errors.map((e) => e.message));
  expect(errors).toEqual([]);
  expect(runHelm(['lint', '--strict', chart, ...args])).toMatchObject({ status: 0 });
  return parseRendered(r.stdout);
}

/** Every selector of the objects, by `Kind/name` and path. */
function selectors(objects: any[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.name}`;
    if (o.kind === 'Service') out[`${id} selector`] = o.spec.selector;
    if (o.spec?.selector?.matchLabels) out[`${id} selector`] = o.spec.selector.matchLabels;
    if (o.spec?.podSelector) out[`${id} podSelector`] = o.spec.podSelector;
  }
  return out;
}

const COMMON = ['--set-json', 'commonLabels={"team":"web","app.kubernetes.io/part-of":"other"}', '--set-json', 'commonAnnotations={"example.com/owner":"team-web"}'];

describe('commonLabels and commonAnnotations', () => {
  test('the defaults render nothing new', () => {
    const values = YAML.parse(fs.readFileSync(`${dir}/values.yaml`, 'utf8'));
    expect({ labels: values.commonLabels, annotations: values.commonAnnotations }).toEqual({ labels: {}, annotations: {} });
    expect(render(dir, 'shop').filter((o) => o.metadata.labels?.team !== undefined || o.metadata.annotations?.['example.com/owner'] !== undefined)).toEqual([]);
  });

  test('every object and every pod gets them, selectors do not, and a label an object has keeps its value', () => {
    const defaults = render(dir, 'shop', ['--set', 'serviceAccount.create=true'], 'shop', true);
    const rendered = renderStrict(dir, [...COMMON, '--set', 'serviceAccount.create=true'], true);
    assertValidManifests(rendered.filter((o) => o.kind !== 'Pod'));
    expect(rendered.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Ingress', 'NetworkPolicy',
      'PersistentVolumeClaim', 'Pod', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    for (const o of rendered) {
      const before = defaults.find((d) => d.kind === o.kind && d.metadata.name === o.metadata.name);
      expect({ o: o.kind, labels: o.metadata.labels }).toEqual({ o: o.kind, labels: { 'app.kubernetes.io/part-of': 'other', ...before.metadata.labels, 'team': 'web' } });
      expect({ o: o.kind, annotations: o.metadata.annotations }).toEqual({ o: o.kind, annotations: { ...before.metadata.annotations, 'example.com/owner': 'team-web' } });
    }
    const pod = podSpecOfWorkload(rendered, 'Deployment', 'web');
    expect(pod.labels).toEqual({ ...podSpecOfWorkload(defaults, 'Deployment', 'web').labels, team: 'web' });
    expect(pod.labels['app.kubernetes.io/part-of']).toBe('shop');
    expect(selectors(rendered)).toEqual(selectors(defaults));
  });

  test('podLabels win over commonLabels on the pods; the kinds\' own annotations win over commonAnnotations', () => {
    const rendered = renderStrict(dir, [...COMMON, '--set', 'podLabels.team=pods',
      '--set', 'service.annotations.example\\.com/owner=svc', '--set', 'ingress.annotations.example\\.com/owner=ing',
      '--set', 'serviceAccount.create=true', '--set', 'serviceAccount.annotations.example\\.com/owner=sa']);
    const owner = (kind: string) => rendered.find((o) => o.kind === kind).metadata.annotations['example.com/owner'];
    expect([owner('Service'), owner('Ingress'), owner('ServiceAccount'), owner('ConfigMap')]).toEqual(['svc', 'ing', 'sa', 'team-web']);
    expect(podSpecOfWorkload(rendered, 'Deployment', 'web').labels.team).toBe('pods');
    expect(rendered.find((o) => o.kind === 'Deployment').metadata.labels.team).toBe('web');
    // The claim keeps its own resource policy.
    const claim = rendered.find((o) => o.kind === 'PersistentVolumeClaim');
    expect(claim.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep', 'example.com/owner': 'team-web' });
    const noPolicy = renderStrict(dir, [...COMMON, '--set', 'persistence.resourcePolicy=', '--set-json', 'commonAnnotations={"helm.sh/resource-policy":"keep"}']);
    expect(noPolicy.find((o) => o.kind === 'PersistentVolumeClaim').metadata.annotations).toBeUndefined();
  });

  test.each([
    ['app.kubernetes.io/name', 'a key the selectors use'],
    ['app.kubernetes.io/instance', 'the key a release adds to selectors'],
  ])('commonLabels.%s is refused by the schema: %s', (key) => {
    const err = renderFailure(dir, 'shop', ['--set', `commonLabels.${key.replace(/\./g, '\\.')}=x`]);
    expect(err).toContain(SCHEMA_ERROR);
    expect(err).toContain(`Property name of "${key}" does not match`);
  });

  test('a CronJob\'s job template and its pods get commonLabels; so do a StatefulSet\'s claim templates (immutable: README)', () => {
    const defaults = render(jobsDir, 'shop');
    const rendered = renderStrict(jobsDir, COMMON);
    assertValidManifests(rendered);
    const report = rendered.find((o) => o.kind === 'CronJob' && o.metadata.name === 'report');
    const plainReport = defaults.find((o) => o.kind === 'CronJob' && o.metadata.name === 'report');
    expect(report.spec.jobTemplate.metadata.labels).toEqual({ ...plainReport.spec.jobTemplate.metadata.labels, team: 'web' });
    expect(report.spec.jobTemplate.spec.template.metadata.labels).toEqual({ ...plainReport.spec.jobTemplate.spec.template.metadata.labels, team: 'web' });
    // A job template without metadata gets it only when something goes in it.
    const plainCleanup = defaults.find((o) => o.kind === 'CronJob' && o.metadata.name === 'cleanup');
    expect(plainCleanup.spec.jobTemplate.metadata).toBeUndefined();
    const cleanup = rendered.find((o) => o.kind === 'CronJob' && o.metadata.name === 'cleanup');
    expect(cleanup.spec.jobTemplate.metadata).toEqual({ labels: { 'app.kubernetes.io/part-of': 'other', 'team': 'web' } });
    expect(cleanup.spec.jobTemplate.spec.template.metadata.labels.team).toBe('web');
    const db = rendered.find((o) => o.kind === 'StatefulSet');
    const plainDb = defaults.find((o) => o.kind === 'StatefulSet');
    expect(db.spec.volumeClaimTemplates.map((t: any) => t.metadata)).toEqual([
      { name: 'data', labels: { 'app.kubernetes.io/part-of': 'other', ...plainDb.spec.volumeClaimTemplates[0].metadata.labels, 'team': 'web' } },
      { name: 'wal', labels: { 'app.kubernetes.io/part-of': 'other', 'team': 'web' } },
    ]);
    expect(plainDb.spec.volumeClaimTemplates[1].metadata).toEqual({ name: 'wal' });
    expect(selectors(rendered)).toEqual(selectors(defaults));
    // Another release: the claim template's instance label follows it, commonLabels stay.
    const beta = render(jobsDir, 'shop', COMMON, 'beta').find((o) => o.kind === 'StatefulSet');
    expect(beta.spec.volumeClaimTemplates[0].metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': 'beta', 'team': 'web' });
    const schema = JSON.parse(fs.readFileSync(`${jobsDir}/values.schema.json`, 'utf8'));
    expect(schema.properties.commonLabels.description).toContain('volumeClaimTemplates');
  });

  test('commonLabels and commonAnnotations hold strings only', () => {
    expect(renderFailure(dir, 'shop', ['--set-json', 'commonLabels={"team":{"a":1}}'])).toContain('commonLabels.team: Invalid type');
    expect(renderFailure(dir, 'shop', ['--set-json', 'commonAnnotations={"x":[1]}'])).toContain('commonAnnotations.x: Invalid type');
  });
});

describe('service.annotations and service.nodePorts', () => {
  const service = (objects: any[], name = 'web') => objects.find((o) => o.kind === 'Service' && o.metadata.name === name);

  test('service.annotations are added to the Service', () => {
    expect(service(render(dir, 'shop')).metadata.annotations).toBeUndefined();
    const rendered = render(dir, 'shop', ['--set-string', 'service.annotations.lb\\.example\\.com/internal=true']);
    expect(service(rendered).metadata.annotations).toEqual({ 'lb.example.com/internal': 'true' });
    const edge = service(render(nodePortDir, 'shop', ['--set-json', 'serviceEdge.annotations={"example.com/plain":"no","b":"c"}']), 'edge');
    expect(edge.metadata.annotations).toEqual({ 'example.com/plain': 'yes', 'b': 'c' });
  });

  test('a node port is set while the type takes node ports, and left out for ClusterIP', () => {
    const port = (args: string[]) => service(renderStrict(dir, args)).spec.ports[0];
    expect(port(['--set', 'service.nodePorts.http=30081'])).toEqual({ name: 'http', port: 80, targetPort: 'http' });
    expect(port(['--set', 'service.type=NodePort', '--set', 'service.nodePorts.http=30081']).nodePort).toBe(30081);
    expect(port(['--set', 'service.type=LoadBalancer', '--set', 'service.nodePorts.http=30082']).nodePort).toBe(30082);
    expect(port(['--set', 'service.type=NodePort']).nodePort).toBeUndefined();
    assertValidManifests(renderStrict(dir, ['--set', 'service.type=NodePort', '--set', 'service.nodePorts.http=30081']));
  });

  test('a plain node port is the default; switching the Service to ClusterIP leaves it out', () => {
    const values = YAML.parse(fs.readFileSync(`${nodePortDir}/values.yaml`, 'utf8'));
    expect(values.serviceEdge.nodePorts).toEqual({ http: 30080, metrics: '' });
    expect(service(render(nodePortDir, 'shop'), 'edge').spec.ports.map((p: any) => p.nodePort)).toEqual([30080, undefined]);
    const clusterIp = service(renderStrict(nodePortDir, ['--set', 'serviceEdge.type=ClusterIP']), 'edge');
    expect(clusterIp.spec.ports.map((p: any) => p.nodePort)).toEqual([undefined, undefined]);
    expect(service(render(nodePortDir, 'shop', ['--set', 'serviceEdge.nodePorts.metrics=30090']), 'edge').spec.ports[1].nodePort).toBe(30090);
  });

  test('a headless Service has no type switch and no node ports (Kubernetes refuses clusterIP None on a NodePort)', () => {
    const values = YAML.parse(fs.readFileSync(`${nodePortDir}/values.yaml`, 'utf8'));
    expect(values.servicePeers).toEqual({ port: 80, annotations: {} });
    const err = renderFailure(nodePortDir, 'shop', ['--set', 'servicePeers.type=NodePort']);
    expect(err).toContain(SCHEMA_ERROR);
    expect(err).toContain('Additional property type is not allowed');
    expect(service(render(nodePortDir, 'shop'), 'peers').spec).toMatchObject({ clusterIP: 'None' });
  });

  test.each([
    ['service.nodePorts.http=70000', 'Must be less than or equal to 65535'],
    ['service.nodePorts.http=abc', 'service.nodePorts.http: Does not match pattern'],
    ['service.nodePorts.https=30080', 'Additional property https is not allowed'],
  ])('--set %s is refused by the schema', (set, message) => {
    const err = renderFailure(dir, 'shop', ['--set', set]);
    expect(err).toContain(SCHEMA_ERROR);
    expect(err).toContain(message);
  });
});
