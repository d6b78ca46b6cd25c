/**
 * A chart never carries secret values: a Secret the plain YAML carries with data is not templated.
 * The workloads read it by name through `existingSecret` (default: the plain Secret's name), a TLS
 * Secret only the Ingress names through `ingress.tls.secretName`, and NOTES.txt and the README print
 * the `kubectl create secret` command with the key names, never the values. Proven with the real helm.
 */
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { WebOptions, tempDir, webChart } from './fixtures';
import { chartFileTexts, expectSameObjects, render, renderFailure, renderNotes } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

const PASSWORD = 's3cr3t-Database-Passw0rd';
const KEY = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

const OPTIONS: WebOptions = {
  secret: { DB_PASSWORD: PASSWORD },
  tls: true,
  tlsSecret: { cert: CERT, key: KEY },
};

let work: string;
let dir: string;
let plain: any[];
let files: Map<string, string>;

beforeAll(() => {
  work = tempDir('helm-secrets');
  const app = new App({ outdir: work });
  const chart = webChart(app, 'default', OPTIONS);
  const dev = webChart(app, 'dev', { ...OPTIONS, secret: { DB_PASSWORD: 'dev-password' }, image: 'ghcr.io/acme/web:1.1.0' });
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart, environments: [{ name: 'development', chart: dev }] });
  app.synth();
  plain = chart.toJson();
  dir = helm.writeTo();
  files = chartFileTexts(dir);
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('no chart file holds a secret value or private key PEM text', () => {
  expect(KEY).toContain('PRIVATE KEY');
  expect(findObject(plain, 'Secret', 'web-tls').type).toBe('kubernetes.io/tls');
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  for (const [file, text] of files) {
    for (const needle of ['PRIVATE KEY', PASSWORD, b64(PASSWORD), 'dev-password', b64('dev-password'), b64(KEY).slice(0, 40), 'tls.key:']) {
      expect({ file, holds: needle, found: text.includes(needle) }).toEqual({ file, holds: needle, found: false });
    }
  }
  expect([...files.keys()].filter((f) => f.startsWith('templates/secret'))).toEqual([]);
});

test('the default render equals the plain YAML minus exactly its Secrets with data', () => {
  expect(runHelm(['lint', '--strict', dir]).status).toBe(0);
  const rendered = render(dir, 'shop');
  expectSameObjects(rendered, plain, [], ['web-secret', 'web-tls']);
  assertValidManifests(rendered);
  const dev = render(dir, 'shop', ['-f', `${dir}/values-development.yaml`]);
  expect(dev.filter((o) => o.kind === 'Secret')).toEqual([]);
  expect(fs.readFileSync(`${dir}/values-development.yaml`, 'utf8')).not.toContain('DB_PASSWORD');
});

test('existingSecret defaults to the plain Secret\'s name, moves the workload\'s references, and must be a name', () => {
  const values = YAML.parse(files.get('values.yaml')!);
  expect(values.existingSecret).toBe('web-secret');
  expect(values.secret).toBeUndefined();
  const env = (args: string[]) => findObject(render(dir, 'shop', args), 'Deployment', 'web').spec.template.spec.containers[0].env;
  expect(env([])).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'DB_PASSWORD' } } }]);
  expect(env(['--set', 'existingSecret=shop-db'])).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'DB_PASSWORD' } } }]);
  expect(renderFailure(dir, 'shop', ['--set', 'existingSecret=Not_A_Name'])).toContain('existingSecret: Does not match pattern');
  expect(renderFailure(dir, 'shop', ['--set', 'secret.DB_PASSWORD=x'])).toContain('Additional property secret is not allowed');
});

test('NOTES.txt and the README say how to create each Secret, with key names only', () => {
  const notes = renderNotes(dir, 'shop');
  expect(notes).toContain('  kubectl --namespace shop create secret generic web-secret --from-literal=DB_PASSWORD=<DB_PASSWORD>\n');
  expect(notes).toContain('  kubectl --namespace shop create secret tls web-tls --cert=<path/to/tls.crt> --key=<path/to/tls.key>\n');
  const moved = renderNotes(dir, 'shop', ['--set', 'existingSecret=shop-db', '--set', 'ingress.tls.secretName=shop-tls']);
  expect(moved).toContain('create secret generic shop-db --from-literal=DB_PASSWORD=<DB_PASSWORD>');
  expect(moved).toContain('create secret tls shop-tls ');
  expect(renderNotes(dir, 'shop', ['--set', 'ingress.tls.enabled=false'])).not.toContain('create secret tls');
  const readme = files.get('README.md')!;
  expect(readme).toContain('## Secrets');
  expect(readme).toContain('kubectl --namespace shop create secret generic web-secret --from-literal=DB_PASSWORD=<DB_PASSWORD>');
  expect(readme).toContain('- `web-secret` (Opaque; keys `DB_PASSWORD`): another name goes in `existingSecret`');
  expect(readme).toContain('- `web-tls` (kubernetes.io/tls; keys `tls.crt`, `tls.key`): another name goes in `ingress.tls.secretName`');
  // The TLS Secret has no values of its own: the Ingress's tls.secretName names it.
  expect(YAML.parse(files.get('values.yaml')!).secrets).toBeUndefined();
});

test('a private key that reaches a chart file another way (a ConfigMap entry) stops synthesis', () => {
  const app = new App({ outdir: `${work}/bad` });
  const chart = webChart(app, 'default', { config: { KEY } });
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
  expect(() => helm.synthesizeFiles()).toThrow(/\[helm\] values\.yaml: got <redacted private key>; expected a chart file without a private key/);
});
