/**
 * RCC Remote as `npx cdk8s synth` writes it (examples/rcc-remote.ts), built in-process into a temp
 * dir: `rcc-remote/` holds the plain YAML of production, staging and development and the
 * docker-compose file with its TLS files; `helm/rcc-remote/` the chart, proven with the real helm.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { RccRemoteComposeOutput, synthRccRemote, synthRccRemoteCompose } from '../../examples/rcc-remote';
import { ExampleOutput } from '../../examples/rescan';
import { parseRendered, tempDir } from '../helm/fixtures';
import { expectSameObjects, namespaceObjects, render, renderNotes } from '../helm/harness';
import { composeTextProblems } from '../util/compose-schema';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

const PLAIN: Record<string, string> = {
  production: 'rcc-remote.k8s.yaml',
  staging: 'rcc-remote-staging.k8s.yaml',
  development: 'rcc-remote-development.k8s.yaml',
};

let work: string;
let output: ExampleOutput;
let compose: RccRemoteComposeOutput;
const savedPassphrase = process.env.DEPLOYKIT_CERT_PASSPHRASE;

beforeAll(() => {
  delete process.env.DEPLOYKIT_CERT_PASSPHRASE; // no secret in the environment
  work = tempDir('rcc-remote-example');
  output = synthRccRemote(work);
  compose = synthRccRemoteCompose(work, path.join(work, 'store'));
});
afterAll(() => {
  if (savedPassphrase !== undefined) process.env.DEPLOYKIT_CERT_PASSPHRASE = savedPassphrase;
  fs.rmSync(work, { recursive: true, force: true });
});

const plain = (environment: string) => parseRendered(fs.readFileSync(path.join(work, 'rcc-remote', PLAIN[environment]), 'utf8'));
const chartDir = () => output.helmDir;

test('dist/rcc-remote/ holds one plain YAML file per environment and docker-compose.yaml with its TLS files; the chart is in helm/rcc-remote/', () => {
  const files = fs.readdirSync(path.join(work, 'rcc-remote'), { recursive: true, encoding: 'utf8' }).map((f) => f.split(path.sep).join('/')).sort();
  expect(files).toEqual([
    'docker-compose.yaml', 'rcc-remote-development.k8s.yaml', 'rcc-remote-staging.k8s.yaml', 'rcc-remote.k8s.yaml',
    'secrets', 'secrets/rcc-remote-tls', 'secrets/rcc-remote-tls/ca.crt', 'secrets/rcc-remote-tls/tls.crt', 'secrets/rcc-remote-tls/tls.key',
  ]);
  expect(output.helmDir).toBe(path.join(work, 'helm', 'rcc-remote'));
  expect(output.charts.map((c) => c.name)).toEqual(['production', 'staging', 'development']);
});

test.each(Object.keys(PLAIN))('every object of the %s file passes the strict 1.28 schema and the restricted profile; the Namespace comes first', (environment) => {
  const objects = plain(environment);
  expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'rcc-remote' } });
  assertValidManifests(objects);
  expect(objects.map((o) => o.metadata.namespace).filter((ns) => ns !== 'rcc-remote')).toEqual([undefined]); // only the Namespace itself
  // No key material: cert-manager issues the certificate in the cluster.
  expect(JSON.stringify(objects)).not.toContain('PRIVATE KEY');
  expect(findObject(objects, 'Service', 'rcc-remote').spec.ports).toEqual([{ name: 'https', port: 4653, targetPort: 4653, protocol: 'TCP' }]);
});

test('the environments differ as the seed says: scaling, resources and holotree size', () => {
  const scaling = (env: string) => findObject(plain(env), 'HorizontalPodAutoscaler', 'rcc-remote').spec;
  expect([scaling('development'), scaling('staging'), scaling('production')].map((s) => [s.minReplicas, s.maxReplicas])).toEqual([[1, 2], [2, 4], [2, 6]]);
  const storage = (env: string) => findObject(plain(env), 'PersistentVolumeClaim', 'rcc-remote-holotree').spec.resources.requests.storage;
  expect(['development', 'staging', 'production'].map(storage)).toEqual(['10Gi', '20Gi', '50Gi']);
});

test('helm lint --strict passes with values.yaml and with each values file', () => {
  for (const args of [[], ...Object.keys(PLAIN).map((env) => ['-f', path.join(chartDir(), `values-${env}.yaml`)])]) {
    const r = runHelm(['lint', '--strict', chartDir(), ...args]);
    expect({ args, stderr: r.stderr, status: r.status }).toEqual({ args, stderr: '', status: 0 });
    expect(r.stdout).toContain('0 chart(s) failed');
  }
});

test('default values render the production plain objects', () => {
  const rendered = render(chartDir(), 'rcc-remote', [], 'rcc-remote');
  expectSameObjects(rendered, plain('production'), namespaceObjects(chartDir()));
  assertValidManifests(rendered);
});

test.each(Object.keys(PLAIN))('-f values-%s.yaml renders that environment\'s plain objects', (environment) => {
  const rendered = render(chartDir(), 'rcc-remote', ['-f', path.join(chartDir(), `values-${environment}.yaml`)], 'rcc-remote');
  expectSameObjects(rendered, plain(environment), namespaceObjects(chartDir(), `namespace-${environment}.yaml`));
  assertValidManifests(rendered);
});

test('NOTES tell RCC clients the origin and how to trust the CA cert-manager issued', () => {
  const notes = renderNotes(chartDir(), 'rcc-remote', [], 'rcc-remote');
  expect(notes).toContain('export RCC_REMOTE_ORIGIN=https://rcc.example.com:4653   # in the cluster: https://rcc-remote.rcc-remote.svc.cluster.local:4653');
  expect(notes).toContain("kubectl --namespace rcc-remote get secret rcc-remote-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d > rcc-remote-ca.crt");
});

describe('docker-compose.yaml', () => {
  const text = () => fs.readFileSync(compose.composeFile, 'utf8');

  test('validates against the Compose Specification schema, with a healthcheck for the long-running server', () => {
    expect(composeTextProblems(text())).toEqual([]);
    const doc = Yaml.load(compose.composeFile)[0];
    expect(doc.services['rcc-remote'].healthcheck.test).toEqual(['CMD', 'curl', '-fsk', 'https://127.0.0.1:4653/health/live']);
    expect(doc.services['rcc-remote'].depends_on).toEqual({ 'rcc-remote-catalog-import': { condition: 'service_completed_successfully' } });
    // The demo catalog folder beside the example, relative to the file.
    const catalogs = path.relative(path.dirname(compose.composeFile), path.resolve(__dirname, '..', '..', 'examples', 'catalogs'));
    expect(doc.services['rcc-remote-catalog-import'].volumes[0]).toEqual({ type: 'bind', source: catalogs, target: '/mnt/catalogs', read_only: true });
  });

  test('the TLS files it mounts as secrets are written beside it, the key with mode 0600; no key in the file', () => {
    const dir = path.join(path.dirname(compose.composeFile), 'secrets', 'rcc-remote-tls');
    expect(compose.certificateFiles).toEqual(['tls.crt', 'tls.key', 'ca.crt'].map((f) => path.join(dir, f)));
    expect(fs.statSync(path.join(dir, 'tls.key')).mode & 0o777).toBe(0o600); // eslint-disable-line no-bitwise
    expect(fs.readFileSync(path.join(dir, 'tls.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(text()).not.toContain('PRIVATE KEY');
    expect(text()).toContain('file: "./secrets/rcc-remote-tls/tls.key"');
  });
});
