/**
 * values.schema.json guards the values: helm template fails with a schema error on a bad type, a
 * value out of range, an unknown key or a value outside an enum. Also checked offline with ajv (draft-07).
 */
import * as fs from 'fs';
import Ajv from 'ajv';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { tempDir, webChart } from './fixtures';
import { render, renderFailure } from './harness';
import { HelmChart } from '../../../src/entities/helm-chart';

let work: string;
let dir: string;
let files: { [file: string]: string };

beforeAll(() => {
  work = tempDir('helm-schema');
  const app = new App({ outdir: work });
  const chart = webChart(app, 'default', { config: { PORT: '8080' }, secret: { TOKEN: 'x' } });
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '0.1.0', chart });
  app.synth();
  dir = helm.writeTo();
  files = helm.synthesizeFiles();
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const SCHEMA_ERROR = "values don't meet the specifications of the schema(s)";

test('--set replicaCount=-1 fails: below the minimum', () => {
  const err = renderFailure(dir, 'shop', ['--set', 'replicaCount=-1']);
  expect(err).toContain(SCHEMA_ERROR);
  expect(err).toContain('replicaCount: Must be greater than or equal to 1');
});

test('--set replicaCount=abc fails: not an integer', () => {
  const err = renderFailure(dir, 'shop', ['--set', 'replicaCount=abc']);
  expect(err).toContain(SCHEMA_ERROR);
  expect(err).toContain('replicaCount: Invalid type. Expected: integer, given: string');
});

test('an unknown top-level key fails', () => {
  const err = renderFailure(dir, 'shop', ['--set', 'replicaCont=3']);
  expect(err).toContain(SCHEMA_ERROR);
  expect(err).toContain('Additional property replicaCont is not allowed');
});

test('an unknown nested key, a bad enum value and a port out of range fail', () => {
  expect(renderFailure(dir, 'shop', ['--set', 'image.tg=2'])).toContain('Additional property tg is not allowed');
  expect(renderFailure(dir, 'shop', ['--set', 'image.pullPolicy=Sometimes'])).toContain('image.pullPolicy: image.pullPolicy must be one of the following');
  expect(renderFailure(dir, 'shop', ['--set', 'service.port=70000'])).toContain('service.port: Must be less than or equal to 65535');
  expect(renderFailure(dir, 'shop', ['--set', 'service.type=Internal'])).toContain('service.type must be one of the following');
  expect(renderFailure(dir, 'shop', ['--set', 'replicaCount=null'])).toContain('replicaCount is required');
});

test('ConfigMap and Secret entries accept numbers from --set and render them as strings', () => {
  const rendered = render(dir, 'shop', ['--set', 'config.PORT=9090', '--set', 'secret.TOKEN=42']);
  expect(rendered.find((o) => o.kind === 'ConfigMap').data.PORT).toBe('9090');
  expect(rendered.find((o) => o.kind === 'Secret').data.TOKEN).toBe(Buffer.from('42').toString('base64'));
});

test('the schema is draft-07, refuses unknown top-level keys and accepts values.yaml (ajv)', () => {
  const schema = JSON.parse(files['values.schema.json']);
  expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  expect(schema.additionalProperties).toBe(false);
  expect(schema.properties.replicaCount).toMatchObject({ type: 'integer', minimum: 1 });
  expect(schema.required).toEqual(expect.arrayContaining(['replicaCount', 'image', 'service', 'autoscaling']));
  const ajv = new Ajv({ strict: false });
  const validate = ajv.compile(schema);

  expect(validate(YAML.parse(files['values.yaml']))).toBe(true);
  expect(validate({ ...YAML.parse(files['values.yaml']), extra: 1 })).toBe(false);
});
