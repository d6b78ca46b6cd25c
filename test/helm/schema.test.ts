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
import { HelmChart } from '../../src/helm/helm-chart';

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

test('ConfigMap entries accept numbers from --set and from a values file and render them exactly as written', () => {
  const configOf = (args: string[]) => render(dir, 'shop', args).find((o) => o.kind === 'ConfigMap').data.PORT;
  expect(configOf(['--set', 'config.PORT=9090'])).toBe('9090');
  expect(configOf(['--set', 'config.PORT=10485760'])).toBe('10485760');
  expect(configOf(['--set-string', 'config.PORT=10485760'])).toBe('10485760');
  // A values file's integer is a float to YAML: it must not print as 1.048576e+07.
  const file = `${work}/numbers.yaml`;
  const withFile = (value: string) => {
    fs.writeFileSync(file, `config:\n  PORT: ${value}\n`);
    return configOf(['-f', file]);
  };
  expect(withFile('10485760')).toBe('10485760');
  expect(withFile('9007199254740991')).toBe('9007199254740991');
  expect(withFile('-42')).toBe('-42');
  expect(withFile('0.5')).toBe('0.5');
  expect(withFile('true')).toBe('true');
  expect(withFile('"0010"')).toBe('0010');
});

test('service.type offers ClusterIP, NodePort and LoadBalancer, not ExternalName (it needs externalName and no selector)', () => {
  const schema = JSON.parse(files['values.schema.json']);
  expect(schema.properties.service.properties.type.enum).toEqual(['ClusterIP', 'NodePort', 'LoadBalancer']);
  expect(renderFailure(dir, 'shop', ['--set', 'service.type=ExternalName'])).toContain('service.type must be one of the following: "ClusterIP", "NodePort", "LoadBalancer"');
  expect(render(dir, 'shop', ['--set', 'service.type=LoadBalancer']).find((o) => o.kind === 'Service').spec.type).toBe('LoadBalancer');
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

describe('a production release pins its images', () => {
  let envDir: string;
  beforeAll(() => {
    const app = new App({ outdir: tempDir('helm-schema-pinned') });
    const production = webChart(app, 'production', { image: 'ghcr.io/acme/web:1.2.0' });
    const development = webChart(app, 'development', { image: 'ghcr.io/acme/web:1.2.0' });
    const helm = new HelmChart(app, 'helm-env', {
      chartName: 'pinned', chartVersion: '0.1.0', chart: production, defaultEnvironmentName: 'production', environments: [{ name: 'development', chart: development }],
    });
    app.synth();
    envDir = helm.writeTo();
  });

  const image = (args: string[]) => render(envDir, 'shop', args).find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].image;
  const DIGEST = `sha256:${'a'.repeat(64)}`;

  test('an empty tag without a digest is refused in production, as latest is', () => {
    const untagged = renderFailure(envDir, 'shop', ['--set', 'image.tag=']);
    expect(untagged).toContain(SCHEMA_ERROR);
    expect(untagged).toContain('image.tag: String length must be greater than or equal to 1');
    const latest = renderFailure(envDir, 'shop', ['--set', 'image.tag=latest']);
    expect(latest).toContain('image.tag: Must not validate the schema (not)');
    // A digest pins the image without a tag.
    expect(image(['--set', 'image.tag=', '--set', `image.digest=${DIGEST}`])).toBe(`ghcr.io/acme/web@${DIGEST}`);
    expect(image(['--set', 'image.tag=1.3.0'])).toBe('ghcr.io/acme/web:1.3.0');
  });

  test('development still takes an untagged image and latest', () => {
    const dev = ['-f', `${envDir}/values-development.yaml`];
    expect(image([...dev, '--set', 'image.tag='])).toBe('ghcr.io/acme/web');
    expect(image([...dev, '--set', 'image.tag=latest'])).toBe('ghcr.io/acme/web:latest');
    expect(image(['--set', 'environment=development', '--set', 'image.tag='])).toBe('ghcr.io/acme/web');
  });
});
