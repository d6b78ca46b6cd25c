/**
 * Labels that follow values: `environment` renders the top-level value `environment` (development,
 * staging or production) in every templated object (the Namespace is not templated: it stays plain
 * YAML in namespace.yaml / namespace-<env>.yaml), and `app.kubernetes.io/version` (or `version`) follows the owning workload's
 * `image.tag`, in object and pod-template labels but never in selectors. A label that follows a value
 * in one environment only stays literal, and any other difference still stops synthesis.
 */
import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { WebOptions, addWeb, tempDir, webChart } from './fixtures';
import { expectSameObjects, namespaceObjects, render, renderFailure } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { ValueParameter, ValueParameterType } from '../../src/helm/value-parameter';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

const VERSION = 'app.kubernetes.io/version';

let work: string;
beforeAll(() => { work = tempDir('helm-labels'); });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A chart with a Namespace and one web component, all labelled `environment`. */
function shopChart(app: App, id: string, environment: string, web: WebOptions = {}): Chart {
  const chart = new Chart(app, id, { namespace: 'shop' });
  new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'shop', labels: { 'app.kubernetes.io/instance': 'shop', environment } } });
  addWeb(chart, { config: { MODE: 'web' }, secret: { TOKEN: 'dev-only' }, storage: '1Gi', networkPolicy: true, pdb: true, environment, ...web });
  return chart;
}

function write(id: string, build: (app: App) => HelmChart): { dir: string; app: App } {
  const app = new App({ outdir: `${work}/${id}` });
  const helm = build(app);
  app.synth();
  return { dir: helm.writeTo(), app };
}

describe('one environment', () => {
  let dir: string;
  let plain: any[];

  beforeAll(() => {
    let chart!: Chart;
    dir = write('one', (app) => {
      chart = shopChart(app, 'shop', 'production');
      return new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
    }).dir;
    plain = chart.toJson();
  });

  test('environment is the first value, an enum in the schema', () => {
    const values = fs.readFileSync(`${dir}/values.yaml`, 'utf8');
    expect(Object.keys(YAML.parse(values))[0]).toBe('environment');
    expect(values).toMatch(/# -- Environment of the release \(development, staging or production\): the `environment` labels follow it[^\n]*\nenvironment: production\n/);
    const schema = JSON.parse(fs.readFileSync(`${dir}/values.schema.json`, 'utf8'));
    expect(schema.properties.environment).toMatchObject({ type: 'string', enum: ['development', 'staging', 'production'] });
    expect(schema.required).toContain('environment');
    const dep = fs.readFileSync(`${dir}/templates/deployment-web.yaml`, 'utf8');
    expect(dep).toMatch(/^ {4}environment: \{\{ \.Values\.environment \| quote \}\}$/m);
    expect(dep).toMatch(/^ {8}environment: \{\{ \.Values\.environment \| quote \}\}$/m);
    expect(fs.existsSync(`${dir}/templates/namespace-shop.yaml`)).toBe(false);
  });

  test('lint passes and the default render plus namespace.yaml is the plain YAML', () => {
    expect(runHelm(['lint', '--strict', dir]).status).toBe(0);
    const rendered = render(dir, 'shop');
    expectSameObjects(rendered, plain, namespaceObjects(dir), ['web-secret']);
    assertValidManifests(rendered);
    expect(namespaceObjects(dir)).toEqual([findObject(plain, 'Namespace', 'shop')]);
  });

  test('--set environment=staging changes only the environment labels of the templated objects; other names are refused', () => {
    const rendered = render(dir, 'shop', ['--set', 'environment=staging']);
    const expected = structuredClone(plain);
    for (const obj of expected.filter((o) => o.kind !== 'Namespace')) {
      obj.metadata.labels.environment = 'staging';
      if (obj.spec?.template?.metadata?.labels) obj.spec.template.metadata.labels.environment = 'staging';
    }
    // The Namespace is plain YAML: its label is what namespace.yaml says.
    expectSameObjects(rendered, expected, namespaceObjects(dir), ['web-secret']);
    expect(renderFailure(dir, 'shop', ['--set', 'environment=qa'])).toContain('environment must be one of the following: "development", "staging", "production"');
  });

  test('--set image.tag=2.0.0 moves the image and the version label of every object of the workload, not the selectors', () => {
    const rendered = render(dir, 'shop', ['--set', 'image.tag=2.0.0', '--set', 'autoscaling.enabled=true']);
    assertValidManifests(rendered);
    const expected = structuredClone(plain);
    for (const obj of expected) if (obj.metadata.labels?.[VERSION]) obj.metadata.labels[VERSION] = '2.0.0';
    const dep = findObject(expected, 'Deployment', 'web');
    dep.spec.template.metadata.labels[VERSION] = '2.0.0';
    dep.spec.template.spec.containers[0].image = 'ghcr.io/acme/web:2.0.0';
    delete dep.spec.replicas;
    expectSameObjects(rendered.filter((o) => o.kind !== 'HorizontalPodAutoscaler'), expected, namespaceObjects(dir), ['web-secret']);
    expect(findObject(rendered, 'HorizontalPodAutoscaler', 'web').metadata.labels[VERSION]).toBe('2.0.0');
    const kinds = rendered.filter((o) => o.metadata.labels[VERSION] === '2.0.0').map((o) => o.kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'NetworkPolicy', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Service']);
    expect(findObject(rendered, 'Deployment', 'web').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop' });
  });
});

test('a version label some selector uses stays literal in the pod template', () => {
  const { dir } = write('selector', (app) => new HelmChart(app, 'helm', {
    chartName: 'shop', chartVersion: '1.0.0', chart: shopChart(app, 'shop', 'production', { versionInSelector: true }),
  }));
  const dep = fs.readFileSync(`${dir}/templates/deployment-web.yaml`, 'utf8');
  expect(dep).toMatch(/^ {4}app\.kubernetes\.io\/version: \{\{ \.Values\.image\.tag \| quote \}\}$/m);
  expect(dep).toMatch(/^ {8}app\.kubernetes\.io\/version: 1\.0\.0$/m);
  const rendered = render(dir, 'shop', ['--set', 'image.tag=2.0.0']);
  const d = findObject(rendered, 'Deployment', 'web');
  expect(d.metadata.labels[VERSION]).toBe('2.0.0');
  expect(d.spec.template.metadata.labels[VERSION]).toBe('1.0.0');
  expect(d.spec.selector.matchLabels[VERSION]).toBe('1.0.0');
});

test('two environments: the version and environment labels become values of each environment', () => {
  const { dir } = write('two', (app) => new HelmChart(app, 'helm', {
    chartName: 'shop',
    chartVersion: '1.0.0',
    chart: shopChart(app, 'shop', 'production'),
    defaultEnvironmentName: 'production',
    environments: [{ name: 'development', chart: shopChart(app, 'shop-dev', 'development', { image: 'ghcr.io/acme/web:latest', version: 'latest' }) }],
  }));
  expect(fs.readFileSync(`${dir}/values-development.yaml`, 'utf8')).toMatch(/\nenvironment: development\nimage:\n {2}tag: latest\n$/);
  expect(fs.readFileSync(`${dir}/values-production.yaml`, 'utf8')).toMatch(/\nenvironment: production\nimage:\n {2}tag: 1\.0\.0\n$/);
  const dev = render(dir, 'shop', ['-f', `${dir}/values-development.yaml`]);
  expect(findObject(dev, 'Service', 'web').metadata.labels).toMatchObject({ [VERSION]: 'latest', environment: 'development' });
  // Each values file has its namespace file, with that environment's Namespace.
  expect(findObject(namespaceObjects(dir, 'namespace-development.yaml'), 'Namespace', 'shop').metadata.labels.environment).toBe('development');
  expect(findObject(namespaceObjects(dir, 'namespace-production.yaml'), 'Namespace', 'shop').metadata.labels.environment).toBe('production');
  expect(namespaceObjects(dir)).toEqual(namespaceObjects(dir, 'namespace-production.yaml'));
});

test('a version label that follows the tag in one environment only stays literal text', () => {
  // Production runs image 1.1.0 but keeps the label 1.0.0: the label is not the tag there.
  const { dir } = write('literal', (app) => new HelmChart(app, 'helm', {
    chartName: 'shop',
    chartVersion: '1.0.0',
    chart: webChart(app, 'default', {}),
    environments: [{ name: 'production', chart: webChart(app, 'prod', { image: 'ghcr.io/acme/web:1.1.0' }) }],
  }));
  expect(fs.readFileSync(`${dir}/templates/deployment-web.yaml`, 'utf8')).not.toContain('app.kubernetes.io/version: {{');
  const rendered = render(dir, 'shop', ['-f', `${dir}/values-production.yaml`]);
  expect(findObject(rendered, 'Deployment', 'web').metadata.labels[VERSION]).toBe('1.0.0');
});

test('labels that differ in any other way still stop synthesis with the clear message', () => {
  const app = new App({ outdir: `${work}/bad` });
  const helm = new HelmChart(app, 'helm', {
    chartName: 'shop',
    chartVersion: '1.0.0',
    chart: shopChart(app, 'shop', 'production'),
    environments: [{ name: 'qa', chart: shopChart(app, 'shop-qa', 'qa', { image: 'ghcr.io/acme/web:1.1.0', version: 'qa-build' }) }],
  });
  let message = '';
  try {
    helm.synthesizeFiles();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message.split('\n')[0]).toBe('Validation failed with the following errors:');
  // The Namespaces may differ: each environment has its own namespace file.
  expect(message).not.toContain('Namespace ');
  // The field as a JSON pointer, both environments' values, at the construct that made the object.
  expect(message).toContain('[shop-qa/web] /metadata/labels/app.kubernetes.io~1version: got "qa-build" in the qa environment; '
    + 'expected "1.0.0" as in the default environment: Deployment shop/web may differ between environments only in the chart\'s values, '
    + 'and no value holds this field: make it the same in every environment, or bind it with a ValueParameter');
  expect(message).not.toContain('{{');
});

test('a label bound to a ValueParameter stays the user\'s value', () => {
  let chart!: Chart;
  const { dir } = write('user', (app) => {
    chart = shopChart(app, 'shop', 'production');
    const svc = chart.node.findChild('web-svc') as k8s.KubeService;
    new ValueParameter(chart, 'stage', { parameterName: 'stage', parameterType: ValueParameterType.STRING, description: 'Stage label' })
      .bind(svc, '/metadata/labels/environment');
    return new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
  });
  const values = YAML.parse(fs.readFileSync(`${dir}/values.yaml`, 'utf8'));
  expect(values.stage).toBe('production');
  expect(values.environment).toBe('production');
  const blue = render(dir, 'shop', ['--set', 'stage=blue', '--set', 'environment=staging']);
  expect(findObject(blue, 'Service', 'web').metadata.labels.environment).toBe('blue');
  expect(findObject(blue, 'Deployment', 'web').metadata.labels.environment).toBe('staging');
  expectSameObjects(render(dir, 'shop'), chart.toJson(), namespaceObjects(dir), ['web-secret']);
});

test('a ValueParameter bound to a Namespace is refused: Namespaces are not templates', () => {
  const app = new App({ outdir: `${work}/user-ns` });
  const chart = shopChart(app, 'shop', 'production');
  const ns = chart.node.findChild('ns') as k8s.KubeNamespace;
  new ValueParameter(chart, 'stage', { parameterName: 'stage', parameterType: ValueParameterType.STRING, description: 'Stage label' })
    .bind(ns, '/metadata/labels/environment');
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
  expect(() => helm.synthesizeFiles()).toThrow(
    '[shop/stage] bind(apiObject): got Namespace shop/shop; expected an object the chart renders: Namespaces are not templates (they go to namespace.yaml, applied before helm install)',
  );
});
