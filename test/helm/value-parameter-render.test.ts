/**
 * User-defined values: ValueParameter.bind() makes a field the default in the plain YAML and
 * `{{ .Values.<name> }}` in the chart, documented in values.yaml, the schema and the README.
 */
import * as fs from 'fs';
import { ApiObject, App, Chart } from 'cdk8s';
import { tempDir, webChart } from './fixtures';
import { expectSameObjects, render, renderFailure } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { ValueParameter, ValueParameterType } from '../../src/helm/value-parameter';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

let work: string;
let dir: string;
let plain: any[];
let files: { [file: string]: string };

function deployment(chart: Chart): ApiObject {
  return chart.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Deployment')!;
}

beforeAll(() => {
  work = tempDir('helm-params');
  const app = new App({ outdir: work });
  const chart = webChart(app, 'default', {});
  const dep = deployment(chart);
  new ValueParameter(chart, 'GracePeriod', {
    parameterName: 'gracePeriod',
    parameterType: ValueParameterType.INTEGER,
    defaultValue: 30,
    minimum: 0,
    maximum: 600,
    required: true,
    description: 'Seconds a pod gets to shut down',
  }).bind(dep, '/spec/template/spec/terminationGracePeriodSeconds');
  new ValueParameter(chart, 'NodeSelector', {
    parameterName: 'scheduling.nodeSelector',
    parameterType: ValueParameterType.OBJECT,
    defaultValue: { 'kubernetes.io/os': 'linux' },
    description: 'Node labels the pods must run on',
  }).bind(dep, '/spec/template/spec/nodeSelector');
  new ValueParameter(chart, 'ReadinessPath', {
    parameterName: 'probes.readinessPath',
    parameterType: ValueParameterType.STRING,
    pattern: '^/[a-z/]*$',
    description: 'HTTP path of the readiness probe',
  }).bind(dep, '/spec/template/spec/containers/0/readinessProbe/httpGet/path');
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '0.1.0', chart });
  app.synth();
  plain = chart.toJson();
  dir = helm.writeTo();
  files = helm.synthesizeFiles();
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('the plain YAML carries the defaults in the bound fields', () => {
  const pod = findObject(plain, 'Deployment', 'web').spec.template.spec;
  expect(pod.terminationGracePeriodSeconds).toBe(30);
  expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/ready');
});

test('the chart lints and its default render equals the plain YAML', () => {
  const lint = runHelm(['lint', '--strict', dir]);
  expect(lint.status).toBe(0);
  const rendered = render(dir, 'shop');
  expectSameObjects(rendered, plain);
  assertValidManifests(rendered);
});

test('the bound fields follow the values', () => {
  const rendered = render(dir, 'shop', [
    '--set', 'gracePeriod=60', '--set', 'scheduling.nodeSelector.pool=web', '--set', 'probes.readinessPath=/live',
  ]);
  assertValidManifests(rendered);
  const pod = findObject(rendered, 'Deployment', 'web').spec.template.spec;
  expect(pod.terminationGracePeriodSeconds).toBe(60);
  expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'pool': 'web' });
  expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/live');
  const tpl = files['templates/deployment-web.yaml'];
  expect(tpl).toContain('terminationGracePeriodSeconds: {{ .Values.gracePeriod | int64 }}');
  expect(tpl).toMatch(/nodeSelector: \{\{- toYaml \.Values\.scheduling\.nodeSelector \| nindent 8 \}\}/);
});

test('the schema enforces type, range, pattern and required', () => {
  expect(renderFailure(dir, 'shop', ['--set', 'gracePeriod=700'])).toContain('gracePeriod: Must be less than or equal to 600');
  expect(renderFailure(dir, 'shop', ['--set', 'gracePeriod=soon'])).toContain('Invalid type. Expected: integer, given: string');
  expect(renderFailure(dir, 'shop', ['--set', 'probes.readinessPath=ready'])).toContain('probes.readinessPath: Does not match pattern');
  expect(renderFailure(dir, 'shop', ['--set', 'gracePeriod=null'])).toContain('gracePeriod is required');
});

test('values.yaml and README document the parameters', () => {
  expect(files['values.yaml']).toMatch(/# -- Seconds a pod gets to shut down\ngracePeriod: 30/);
  expect(files['values.yaml']).toMatch(/# -- HTTP path of the readiness probe\n {2}readinessPath: \/ready/);
  expect(files['README.md']).toContain('| `gracePeriod` | integer | `30` | Seconds a pod gets to shut down |');
});

test('a parameter named like a standard value is refused at synth', () => {
  const app = new App({ outdir: work });
  const chart = webChart(app, 'c', {});
  new ValueParameter(chart, 'Tag', {
    parameterName: 'image.tag', parameterType: ValueParameterType.STRING, defaultValue: '1.0.0', description: 'Tag',
  });
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '0.1.0', chart });
  expect(() => helm.synthesizeFiles()).toThrow(/\[c\/Tag\] parameterName: got "image\.tag"; expected a name that is not, contains or lies inside the chart's standard value image\.tag/);
});

test('binding a field the chart already templates is refused at synth', () => {
  const app = new App({ outdir: work });
  const chart = webChart(app, 'c', {});
  new ValueParameter(chart, 'Replicas', {
    parameterName: 'pods', parameterType: ValueParameterType.INTEGER, defaultValue: 2, description: 'Pods',
  }).bind(deployment(chart), '/spec/replicas');
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '0.1.0', chart });
  expect(() => helm.synthesizeFiles()).toThrow(/\[c\/Replicas\] bind\(jsonPointer\): got "\/spec\/replicas"; expected a field of Deployment shop\/web the chart does not template: \/spec\/replicas is a standard value/);
});
