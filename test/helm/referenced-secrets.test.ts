/**
 * Secrets the workloads reference by name that the objects do not hold (created outside the chart,
 * like the entities' existingSecret mode) get an `existingSecret` value named like a Secret with data
 * would be: the default render stays the plain YAML, the value moves every reference, and NOTES.txt
 * and the README list the Secret with the keys the objects name. Proven with the real helm.
 */
import * as fs from 'fs';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as YAML from 'yaml';
import { WebOptions, tempDir, webChart } from './fixtures';
import { chartFileTexts, expectSameObjects, render, renderNotes } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

let work: string;
let dir: string;
let plain: any[];
let production: any[];
let files: Map<string, string>;

/** The web fixture, plus a volume of the Secret web-ca (key ca.crt); `withSecret` false drops the web-secret object (only referenced). */
function chartOf(app: App, id: string, withSecret: boolean, o: WebOptions = {}): Chart {
  const chart = webChart(app, id, { ...o, secret: { DB_PASSWORD: 'dev-password' } });
  if (!withSecret) chart.node.tryRemoveChild('web-secret');
  (chart.node.findChild('web') as ApiObject).addJsonPatch(JsonPatch.add('/spec/template/spec/volumes/-', {
    name: 'ca', secret: { secretName: 'web-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
  }));
  return chart;
}

beforeAll(() => {
  work = tempDir('helm-referenced-secrets');
  const app = new App({ outdir: work });
  const chart = chartOf(app, 'default', false);
  const prod = chartOf(app, 'production', true, { image: 'ghcr.io/acme/web:1.1.0' });
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart, environments: [{ name: 'production', chart: prod }] });
  app.synth();
  plain = chart.toJson();
  production = prod.toJson();
  dir = helm.writeTo();
  files = chartFileTexts(dir);
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('each referenced Secret gets secrets.<name>.existingSecret, the same whether an environment holds it with data or not', () => {
  expect(plain.filter((o) => o.kind === 'Secret')).toEqual([]);
  expect(production.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual(['web-secret']);
  const values = YAML.parse(files.get('values.yaml')!);
  expect(values.secrets).toEqual({ webSecret: { existingSecret: 'web-secret' }, webCa: { existingSecret: 'web-ca' } });
  expect(values.existingSecret).toBeUndefined();
  expect(YAML.parse(files.get('values-production.yaml')!).secrets).toBeUndefined();
  const schema = JSON.parse(files.get('values.schema.json')!);
  expect(schema.properties.secrets.properties.webCa.properties.existingSecret.description).toContain('keys ca.crt');
});

test('the default render is the plain YAML, values-production.yaml the production YAML minus its Secret with data', () => {
  expect(runHelm(['lint', '--strict', dir]).status).toBe(0);
  const rendered = render(dir, 'shop');
  expectSameObjects(rendered, plain);
  assertValidManifests(rendered);
  const prod = render(dir, 'shop', ['-f', `${dir}/values-production.yaml`]);
  expectSameObjects(prod, production, [], ['web-secret']);
});

test('the values move the env and volume references', () => {
  const rendered = render(dir, 'shop', ['--set', 'secrets.webSecret.existingSecret=shop-db', '--set', 'secrets.webCa.existingSecret=shop-ca']);
  assertValidManifests(rendered);
  const pod = findObject(rendered, 'Deployment', 'web').spec.template.spec;
  expect(pod.containers[0].env).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'DB_PASSWORD' } } }]);
  expect(pod.volumes.find((v: any) => v.name === 'ca').secret).toEqual({ secretName: 'shop-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] });
});

test('NOTES.txt and the README list each Secret with the keys the objects name', () => {
  const notes = renderNotes(dir, 'shop', ['--set', 'secrets.webCa.existingSecret=shop-ca']);
  expect(notes).toContain('  kubectl --namespace shop create secret generic web-secret --from-literal=DB_PASSWORD=<DB_PASSWORD>\n');
  expect(notes).toContain('  kubectl --namespace shop create secret generic shop-ca --from-file=ca.crt=<path/to/ca.crt>\n');
  const readme = files.get('README.md')!;
  expect(readme).toContain('kubectl --namespace shop create secret generic web-ca --from-file=ca.crt=<path/to/ca.crt>');
  expect(readme).toContain('- `web-ca` (managed outside the chart and the plain YAML, the workloads reference it by name; keys `ca.crt`): another name goes in `secrets.webCa.existingSecret`');
  // web-secret is a Secret with data in production: the README says so.
  expect(readme).toContain('- `web-secret` (Opaque; keys `DB_PASSWORD`): another name goes in `secrets.webSecret.existingSecret`');
  expect(readme).toContain('`helm.sh/resource-policy: keep` on single-writer claims), except the Secrets that hold values: you create them, see Secrets.');
});
