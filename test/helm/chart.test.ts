/**
 * The Helm chart of one web component, proven with the real helm binary: lint, the default render
 * equals the plain YAML, each override acts exactly where meant, values-production.yaml reproduces
 * the production synth, the chart packages, and two synths are byte-identical.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { WebOptions, tempDir, webChart, withoutHelmLabels } from './fixtures';
import { expectSameObjects, render, renderFailure, renderNotes } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

const NS = 'shop';
/** The plain Secrets with data, which the chart leaves out: it never carries secret values. */
const LEFT_OUT = ['web-secret'];
const COMMON: WebOptions = {
  config: { PORT: '8080', GREETING: 'hello {{ not a template }}' },
  secret: { API_KEY: 'dev-only-key' },
  storage: '1Gi',
  networkPolicy: true,
  pdb: true,
};
const PRODUCTION: WebOptions = {
  ...COMMON,
  image: 'ghcr.io/acme/web:1.1.0',
  tls: true,
  hpa: { min: 3, max: 10, cpu: 70 },
  storage: '5Gi',
  storageClass: 'fast-ssd',
  cpuLimit: '1',
  config: { PORT: '8080', GREETING: 'welcome' },
};

interface Built { dir: string; plain: any[]; production: any[]; files: { [file: string]: string } }

function build(outdir: string): Built {
  const app = new App({ outdir: path.join(outdir, 'dist') });
  const def = webChart(app, 'default', COMMON);
  const prod = webChart(app, 'production', PRODUCTION);
  const helm = new HelmChart(app, 'helm', {
    chartName: 'shop',
    chartVersion: '1.2.3',
    appVersion: '1.0.0',
    description: 'The shop web app',
    chart: def,
    environments: [{ name: 'production', chart: prod }],
    maintainers: [{ name: 'Shop team', email: 'shop@example.com', url: 'https://example.com/shop' }],
  });
  app.synth();
  return { dir: helm.writeTo(), plain: def.toJson(), production: prod.toJson(), files: helm.synthesizeFiles() };
}

let work: string;
let built: Built;

beforeAll(() => {
  work = tempDir('helm-chart');
  built = build(work);
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('writes the chart files under <app outdir>/helm/<chartName>/', () => {
  expect(built.dir).toBe(path.join(work, 'dist', 'helm', 'shop'));
  expect(Object.keys(built.files).sort()).toEqual([
    '.helmignore', 'Chart.yaml', 'README.md',
    'templates/NOTES.txt', 'templates/_helpers.tpl',
    'templates/configmap-web-config.yaml', 'templates/deployment-web.yaml',
    'templates/ingress-web.yaml', 'templates/persistentvolumeclaim-web-data.yaml', 'templates/service-web.yaml',
    'templates/tests/test-connection.yaml',
    'values-production.yaml', 'values.schema.json', 'values.yaml',
  ]);
  const chartYaml = built.files['Chart.yaml'];
  expect(chartYaml).toContain('apiVersion: "v2"');
  expect(chartYaml).toContain('type: "application"');
  expect(chartYaml).toContain('kubeVersion: ">=1.28.0-0"');
  expect(chartYaml).toContain('version: "1.2.3"');
  expect(chartYaml).toContain('email: "shop@example.com"');
  // The workload's file also holds its autoscaler, ServiceAccount, PodDisruptionBudget and NetworkPolicy.
  expect(built.files['templates/deployment-web.yaml'].match(/^# \w+ web: generated/gm)).toEqual([
    '# Deployment web: generated', '# ServiceAccount web: generated', '# HorizontalPodAutoscaler web: generated',
    '# NetworkPolicy web: generated', '# PodDisruptionBudget web: generated',
  ]);
});

test('helm lint --strict passes', () => {
  const r = runHelm(['lint', '--strict', built.dir]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('0 chart(s) failed');
});

test('default values render the plain YAML exactly (minus helm.sh/chart and managed-by labels)', () => {
  const rendered = render(built.dir, NS);
  expectSameObjects(rendered, built.plain, [], LEFT_OUT);
  assertValidManifests(rendered);
  for (const obj of rendered) {
    expect(obj.metadata.labels['helm.sh/chart']).toBe('shop-1.2.3');
    expect(obj.metadata.labels['app.kubernetes.io/managed-by']).toBe('Helm');
  }
  // Selectors never hold the chart version or the chart label.
  const dep = findObject(rendered, 'Deployment', 'web');
  expect(dep.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop' });
});

test('templates print numbers unquoted and use the release namespace', () => {
  const dep = built.files['templates/deployment-web.yaml'];
  expect(dep).toMatch(/^ {2}replicas: \{\{ \.Values\.replicaCount \| int64 \}\}$/m);
  expect(dep).toContain('{{- if not .Values.autoscaling.enabled }}');
  expect(dep).toContain('namespace: {{ .Release.Namespace }}');
  expect(dep).toMatch(/resources: \{\{- toYaml \.Values\.resources \| nindent 12 \}\}/);
  expect(dep).not.toMatch(/"\{\{ \.Values\.replicaCount/);
  expect(render(built.dir, 'elsewhere').every((o) => o.metadata.namespace === 'elsewhere')).toBe(true);
});

function only(objects: any[], kind: string, name: string): any {
  return withoutHelmLabels([findObject(objects, kind, name)])[0];
}

test('--set replicaCount=5 changes only the Deployment replicas', () => {
  const rendered = render(built.dir, NS, ['--set', 'replicaCount=5']);
  assertValidManifests(rendered);
  const expected = built.plain.map((o) => (o.kind === 'Deployment' ? { ...o, spec: { ...o.spec, replicas: 5 } } : o));
  expectSameObjects(rendered, expected, [], LEFT_OUT);
  expect(findObject(rendered, 'Deployment', 'web').spec.replicas).toBe(5);
});

test('--set image.tag=2.0.0 changes only the container image', () => {
  const rendered = render(built.dir, NS, ['--set', 'image.tag=2.0.0']);
  assertValidManifests(rendered);
  const expected = structuredClone(built.plain);
  findObject(expected, 'Deployment', 'web').spec.template.spec.containers[0].image = 'ghcr.io/acme/web:2.0.0';
  expectSameObjects(rendered, expected, [], LEFT_OUT);
});

test('image.digest pins the image after the tag', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const rendered = render(built.dir, NS, ['--set', `image.digest=${digest}`]);
  expect(findObject(rendered, 'Deployment', 'web').spec.template.spec.containers[0].image).toBe(`ghcr.io/acme/web:1.0.0@${digest}`);
});

test('--set ingress.enabled=false removes the Ingress and nothing else', () => {
  const rendered = render(built.dir, NS, ['--set', 'ingress.enabled=false']);
  assertValidManifests(rendered);
  expectSameObjects(rendered, built.plain.filter((o) => o.kind !== 'Ingress'), [], LEFT_OUT);
});

test('--set autoscaling.enabled=true adds an HPA for the Deployment and drops its replicas', () => {
  const rendered = render(built.dir, NS, ['--set', 'autoscaling.enabled=true']);
  assertValidManifests(rendered);
  const hpa = only(rendered, 'HorizontalPodAutoscaler', 'web');
  expect(hpa.spec).toEqual({
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 6,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
  });
  const expected = structuredClone(built.plain);
  delete findObject(expected, 'Deployment', 'web').spec.replicas;
  expectSameObjects(rendered.filter((o) => o.kind !== 'HorizontalPodAutoscaler'), expected, [], LEFT_OUT);
});

test('ingress TLS, hostname, service and persistence values act where meant', () => {
  const rendered = render(built.dir, NS, [
    '--set', 'ingress.tls.enabled=true', '--set', 'ingress.hostname=shop.example.org',
    '--set', 'service.port=8081', '--set', 'service.type=NodePort', '--set', 'persistence.storageClass=standard',
  ]);
  assertValidManifests(rendered);
  const ing = findObject(rendered, 'Ingress', 'web');
  expect(ing.spec.rules[0].host).toBe('shop.example.org');
  expect(ing.spec.tls).toEqual([{ hosts: ['shop.example.org'], secretName: 'web-tls' }]);
  const svc = findObject(rendered, 'Service', 'web');
  expect(svc.spec.ports[0].port).toBe(8081);
  expect(svc.spec.type).toBe('NodePort');
  expect(findObject(rendered, 'PersistentVolumeClaim', 'web-data').spec.storageClassName).toBe('standard');
});

test('config values render quoted; networkPolicy.enabled and pdb.enabled switch their objects', () => {
  const rendered = render(built.dir, NS, ['--set', 'config.PORT=9090', '--set', 'networkPolicy.enabled=false', '--set', 'pdb.enabled=false']);
  assertValidManifests(rendered);
  expect(findObject(rendered, 'ConfigMap', 'web-config').data).toEqual({ PORT: '9090', GREETING: 'hello {{ not a template }}' });
  expect(rendered.map((o) => o.kind)).not.toContain('NetworkPolicy');
  expect(rendered.map((o) => o.kind)).not.toContain('PodDisruptionBudget');
});

test('existingSecret (default: the plain Secret\'s name) names the Secret the workload reads; the chart renders none', () => {
  expect(render(built.dir, NS).map((o) => o.kind)).not.toContain('Secret');
  const rendered = render(built.dir, NS, ['--set', 'existingSecret=shop-credentials']);
  assertValidManifests(rendered);
  expect(rendered.map((o) => o.kind)).not.toContain('Secret');
  const env = findObject(rendered, 'Deployment', 'web').spec.template.spec.containers[0].env;
  expect(env).toEqual([{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'shop-credentials', key: 'API_KEY' } } }]);
});

test('-f values-production.yaml renders the production plain YAML exactly', () => {
  const rendered = render(built.dir, NS, ['-f', path.join(built.dir, 'values-production.yaml')]);
  assertValidManifests(rendered);
  expectSameObjects(rendered, built.production, [], LEFT_OUT);
  const values = built.files['values-production.yaml'];
  expect(values).toContain('tag: 1.1.0');
  expect(values).not.toContain('replicaCount');
  expect(values).not.toContain('API_KEY');
});

test('values.yaml documents every key, and the README lists every parameter', () => {
  const values = built.files['values.yaml'];
  expect(values).toMatch(/# -- Number of pods of the web Deployment[^\n]*\nreplicaCount: 2/);
  expect(values).toMatch(/# -- Image tag[^\n]*\n {2}tag: 1\.0\.0/);
  const readme = built.files['README.md'];
  for (const key of ['replicaCount', 'image.tag', 'autoscaling.enabled', 'service.port', 'ingress.tls.secretName', 'persistence.size', 'config.PORT', 'existingSecret']) {
    expect(readme).toContain(`| \`${key}\` |`);
  }
  expect(readme).toContain('values-production.yaml');
  const notes = renderNotes(built.dir, NS);
  expect(notes).toContain('  web.shop.svc.cluster.local:80\n');
  expect(notes).toContain('port-forward svc/web 8080:80');
  const other = renderNotes(built.dir, 'staging', [], 'alpha');
  expect(other).toContain('  alpha-shop-web.staging.svc.cluster.local:80\n');
  expect(other).toContain('port-forward svc/alpha-shop-web 8080:80');
});

test('helm package produces a .tgz', () => {
  const out = tempDir('helm-package');
  try {
    const r = runHelm(['package', built.dir, '--destination', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['shop-1.2.3.tgz']);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('two synths write byte-identical chart files', () => {
  const second = tempDir('helm-chart-2');
  try {
    const again = build(second);
    const list = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
    expect(list(again.dir)).toEqual(list(built.dir));
    for (const rel of list(built.dir)) {
      const a = path.join(built.dir, rel);
      if (fs.statSync(a).isFile()) expect(fs.readFileSync(path.join(again.dir, rel))).toEqual(fs.readFileSync(a));
    }
  } finally {
    fs.rmSync(second, { recursive: true, force: true });
  }
});

test('an object that differs between environments outside the values is refused with a clear message', () => {
  const app = new App({ outdir: path.join(work, 'bad') });
  const def = webChart(app, 'default', {});
  const prod = new Chart(app, 'prod', { namespace: NS });
  webChart(app, 'unused', {});
  // Same component, but another port name: not a value, so values-production.yaml could not reproduce it.
  const other = webChart(app, 'other', { port: 9090 });
  void prod;
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart: def, environments: [{ name: 'production', chart: other }] });
  // Where (the construct that made the object in that environment), the field, the value and what is expected.
  expect(() => helm.synthesizeFiles()).toThrow(
    '[other/web] /spec/template/spec/containers/0/ports/0/containerPort: got 9090 in the production environment; expected 8080 as in the default environment: '
    + 'Deployment shop/web may differ between environments only in the chart\'s values, and no value holds this field: '
    + 'make it the same in every environment, or bind it with a ValueParameter',
  );
});

test('pdb.minAvailable and maxUnavailable: a quoted count is refused by the schema (the API server takes a string only as a percentage); an integer or a percentage renders', () => {
  for (const key of ['minAvailable', 'maxUnavailable']) {
    const quoted = renderFailure(built.dir, NS, ['--set-string', `pdb.${key}=1`]);
    expect(quoted).toContain("values don't meet the specifications of the schema(s)");
    expect(quoted).toContain(`pdb.${key}: Does not match pattern`);
    expect(renderFailure(built.dir, NS, ['--set', `pdb.${key}=150%`])).toContain(`pdb.${key}: Does not match pattern`);
  }
  const budget = (args: string[]) => render(built.dir, NS, args).find((o) => o.kind === 'PodDisruptionBudget').spec;
  for (const [set, expected] of [['pdb.minAvailable=1', { minAvailable: 1 }], ['pdb.minAvailable=50%', { minAvailable: '50%' }], ['pdb.maxUnavailable=2', { maxUnavailable: 2 }]] as const) {
    assertValidManifests(render(built.dir, NS, ['--set', set]));
    expect(budget(['--set', set])).toMatchObject(expected);
  }
});
