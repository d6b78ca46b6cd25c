/**
 * A chart with several workloads: one values section per workload, keyed by the camelCase of its
 * app.kubernetes.io/name label, holding the values of the objects that belong to it.
 */
import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { addWeb, tempDir } from './fixtures';
import { expectSameObjects, render } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

let work: string;
let dir: string;
let plain: any[];
let values: any;

beforeAll(() => {
  work = tempDir('helm-multi');
  const app = new App({ outdir: work });
  const chart = new Chart(app, 'todo', { namespace: 'todo' });
  addWeb(chart, { name: 'todo-backend', system: 'todo', image: 'registry.local:5000/todo/backend:2.1.0', ingress: false, config: { DB_HOST: 'db' }, secret: { DB_PASSWORD: 'dev' } });
  addWeb(chart, { name: 'todo-frontend', system: 'todo', image: 'registry.local:5000/todo/frontend:2.1.0', host: 'todo.example.com', hpa: { min: 2, max: 5, cpu: 75 } });
  const helm = new HelmChart(app, 'helm', { chartName: 'todo', chartVersion: '2.1.0', appVersion: '2.1.0', chart });
  app.synth();
  plain = chart.toJson();
  dir = helm.writeTo();
  values = YAML.parse(fs.readFileSync(`${dir}/values.yaml`, 'utf8'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('values are sectioned per workload', () => {
  // Chart-wide values first, then one section per workload, then the helm test's image.
  expect(Object.keys(values)).toEqual(['nameOverride', 'fullnameOverride', 'global', 'commonLabels', 'commonAnnotations', 'todoBackend', 'todoFrontend', 'tests']);
  expect(values.todoBackend).toMatchObject({
    replicaCount: 2,
    image: { registry: 'registry.local:5000', repository: 'todo/backend', tag: '2.1.0', digest: '', pullPolicy: 'IfNotPresent' },
    autoscaling: { enabled: false },
    service: { type: 'ClusterIP', port: 80 },
    config: { DB_HOST: 'db' },
    existingSecret: 'todo-backend-secret',
  });
  expect(values.todoBackend.secret).toBeUndefined();
  expect(values.todoFrontend).toMatchObject({
    autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 75 },
    ingress: { enabled: true, hostname: 'todo.example.com', tls: { enabled: false } },
  });
});

test('the schema defines what the sections repeat once (definitions and $ref), and stays strict in each section', () => {
  const schema = JSON.parse(fs.readFileSync(`${dir}/values.schema.json`, 'utf8'));
  for (const section of ['todoBackend', 'todoFrontend']) {
    expect(schema.properties[section].properties.image).toEqual({ $ref: '#/definitions/image' });
    expect(schema.properties[section].properties.serviceAccount).toEqual({ $ref: '#/definitions/serviceAccount' });
    expect(schema.properties[section].additionalProperties).toBe(false);
  }
  expect(schema.definitions.image).toMatchObject({ type: 'object', additionalProperties: false, required: ['registry', 'repository', 'tag', 'digest', 'pullPolicy'] });
});

test('lint passes and the default render equals the plain YAML', () => {
  expect(runHelm(['lint', '--strict', dir]).status).toBe(0);
  const rendered = render(dir, 'todo');
  expectSameObjects(rendered, plain, [], ['todo-backend-secret']);
  assertValidManifests(rendered);
});

test('a section value changes only its workload', () => {
  const rendered = render(dir, 'todo', ['--set', 'todoBackend.image.tag=2.2.0', '--set', 'todoFrontend.autoscaling.enabled=false', '--set', 'todoFrontend.replicaCount=3']);
  assertValidManifests(rendered);
  expect(findObject(rendered, 'Deployment', 'todo-backend').spec.template.spec.containers[0].image).toBe('registry.local:5000/todo/backend:2.2.0');
  expect(findObject(rendered, 'Deployment', 'todo-frontend').spec.template.spec.containers[0].image).toBe('registry.local:5000/todo/frontend:2.1.0');
  expect(findObject(rendered, 'Deployment', 'todo-frontend').spec.replicas).toBe(3);
  expect(findObject(rendered, 'Deployment', 'todo-backend').spec.replicas).toBe(2);
  expect(rendered.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  const backendHpa = render(dir, 'todo', ['--set', 'todoBackend.autoscaling.enabled=true']).filter((o) => o.kind === 'HorizontalPodAutoscaler');
  expect(backendHpa.map((o) => o.metadata.name).sort()).toEqual(['todo-backend', 'todo-frontend']);
});
