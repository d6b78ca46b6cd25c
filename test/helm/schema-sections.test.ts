/**
 * Workloads with the same standard values share one schema definition (`#/definitions/section`):
 * values.schema.json stays small however many workloads the chart has (Helm reads and compiles it on
 * every template, install and upgrade), and each section is still as strict as its own copy was.
 */
import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { addWeb, tempDir } from './fixtures';
import { expectSameObjects, render, renderFailure } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { runHelm } from '../util/tools';

const SCHEMA_ERROR = "values don't meet the specifications of the schema(s)";

let work: string;
let dir: string;
let plain: any[];
let schema: any;

beforeAll(() => {
  work = tempDir('helm-schema-sections');
  const app = new App({ outdir: work });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  addWeb(chart, { name: 'shop-a', ingress: false, config: { LOG_LEVEL: 'info' } });
  addWeb(chart, { name: 'shop-b', ingress: false, config: { LOG_LEVEL: 'debug' } });
  addWeb(chart, { name: 'shop-c', ingress: false, config: { MODE: 'batch' } });
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
  app.synth();
  plain = chart.toJson();
  dir = helm.writeTo();
  schema = JSON.parse(fs.readFileSync(`${dir}/values.schema.json`, 'utf8'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('each section refers to one shared definition, with only what differs (the ConfigMap entries) of its own', () => {
  // Equal sections (shopA and shopB) share even their own part.
  const resolve = (node: any) => (node.$ref ? schema.definitions[node.$ref.split('/').pop()] : node);
  expect(schema.properties.shopA).toEqual(schema.properties.shopB);
  const ref = { $ref: '#/definitions/section' };
  expect(resolve(schema.properties.shopA)).toEqual({ allOf: [ref, { properties: { config: expect.any(Object) } }] });
  expect(resolve(schema.properties.shopA).allOf[1].properties.config).toMatchObject({ additionalProperties: false, required: ['LOG_LEVEL'] });
  expect(schema.properties.shopC).toEqual({ allOf: [ref, { properties: { config: expect.any(Object) } }] });
  expect(schema.properties.shopC.allOf[1].properties.config).toMatchObject({ additionalProperties: false, required: ['MODE'] });
  const section = schema.definitions.section;
  // The shared definition lists every key of a section, so unknown keys stay refused.
  expect(section.additionalProperties).toBe(false);
  expect(Object.keys(section.properties)).toEqual(expect.arrayContaining(['replicaCount', 'image', 'resources', 'podLabels', 'affinity', 'config']));
  expect(section.required).toEqual(expect.arrayContaining(['replicaCount', 'image', 'config']));
  // One text for every workload in the schema; values.yaml still names the workload.
  expect(section.properties.replicaCount.description).not.toContain('shop-a');
  expect(fs.readFileSync(`${dir}/values.yaml`, 'utf8')).toContain('Number of pods of the shop-a Deployment');
  // The schema is much smaller than one copy per section.
  expect(JSON.stringify(schema).split('"podAntiAffinityPreset"').length - 1).toBeLessThanOrEqual(2);
});

test('lint passes and the default render equals the plain YAML', () => {
  expect(runHelm(['lint', '--strict', dir]).status).toBe(0);
  expectSameObjects(render(dir, 'shop'), plain);
});

test('every section stays strict: unknown keys, wrong types and other sections\' entries are refused', () => {
  expect(renderFailure(dir, 'shop', ['--set', 'shopB.replicaCont=3'])).toContain(SCHEMA_ERROR);
  expect(renderFailure(dir, 'shop', ['--set', 'shopA.replicaCount=zero'])).toContain(SCHEMA_ERROR);
  expect(renderFailure(dir, 'shop', ['--set', 'shopA.config.MODE=batch'])).toContain(SCHEMA_ERROR);
  expect(renderFailure(dir, 'shop', ['--set-json', 'shopC.config.MODE={"a":1}'])).toContain(SCHEMA_ERROR);
  expect(renderFailure(dir, 'shop', ['--set', 'shopC.image.tagg=2'])).toContain(SCHEMA_ERROR);
  const values = YAML.parse(fs.readFileSync(`${dir}/values.yaml`, 'utf8'));
  expect(values.shopC.config).toEqual({ MODE: 'batch' });
  const rendered = render(dir, 'shop', ['--set', 'shopC.config.MODE=stream', '--set', 'shopA.replicaCount=3']);
  expect(rendered.find((o) => o.kind === 'ConfigMap' && o.data?.MODE).data.MODE).toBe('stream');
  expect(rendered.find((o) => o.kind === 'Deployment' && o.metadata.name === 'shop-a').spec.replicas).toBe(3);
});
