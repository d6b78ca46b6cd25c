/**
 * RCC Remote's production system for a GitOps repository (examples/rcc-remote-gitops.ts), built
 * in-process into a temp dir as `npx cdk8s synth` writes it to dist/rcc-remote-gitops/ and
 * dist/helm/rcc-remote-gitops/: its generated CA-issued certificate and the catalog registry's
 * credential are SealedSecrets only the (test) controller key opens; no file holds a value or a
 * private key; the objects pass the schemas and `deploykit check`; the chart lints strictly and
 * renders the plain YAML; two synths give the same bytes.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { REGISTRY_TOKEN_VAR, REGISTRY_USER, STORE_PASSPHRASE_VAR, dockerConfig, synthRccRemoteGitops } from '../../examples/rcc-remote-gitops';
import { ExampleOutput } from '../../examples/rescan';
import { parseRendered, tempDir } from '../helm/fixtures';
import { expectSameObjects, namespaceObjects, render } from '../helm/harness';
import { assertValidManifests, findObject, objectsOfKind } from '../util/manifests';
import { unseal } from '../util/sealed-secrets';
import { runHelm } from '../util/tools';

const ROOT = path.resolve(__dirname, '..', '..');
const TOKEN = `ghp_${crypto.randomBytes(20).toString('hex')}`;
const PASSPHRASE = `test-${crypto.randomBytes(8).toString('hex')}`;

let work: string;
let output: ExampleOutput;
const saved = { token: process.env[REGISTRY_TOKEN_VAR], passphrase: process.env[STORE_PASSPHRASE_VAR] };
const stores = () => ({ certificates: path.join(work, 'store', 'certs'), sealed: path.join(work, 'store', 'sealed') });

beforeAll(() => {
  process.env[REGISTRY_TOKEN_VAR] = TOKEN;
  process.env[STORE_PASSPHRASE_VAR] = PASSPHRASE;
  work = tempDir('rcc-gitops');
  output = synthRccRemoteGitops(path.join(work, 'dist'), stores());
});
afterAll(() => {
  for (const [name, value] of [[REGISTRY_TOKEN_VAR, saved.token], [STORE_PASSPHRASE_VAR, saved.passphrase]] as const) {
    if (value === undefined) delete process.env[name!]; else process.env[name!] = value;
  }
  fs.rmSync(work, { recursive: true, force: true });
});

const plainFile = () => path.join(output.plainDir, 'rcc-remote-gitops.k8s.yaml');
const plain = () => parseRendered(fs.readFileSync(plainFile(), 'utf8'));

/** Every file under the folders, relative path → text. */
function filesUnder(...dirs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of dirs) {
    for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      const file = path.join(dir, rel);
      if (fs.statSync(file).isFile()) out.set(path.relative(work, file), fs.readFileSync(file, 'utf8'));
    }
  }
  return out;
}

test('dist/rcc-remote-gitops/ holds the production YAML; the chart is in helm/rcc-remote-gitops/', () => {
  expect(path.relative(work, output.plainDir)).toBe(path.join('dist', 'rcc-remote-gitops'));
  expect(fs.readdirSync(output.plainDir)).toEqual(['rcc-remote-gitops.k8s.yaml']);
  expect(output.helmDir).toBe(path.join(work, 'dist', 'helm', 'rcc-remote-gitops'));
});

test('every Secret is sealed: two SealedSecrets, no v1 Secret with data; the pods pull with the sealed credential', () => {
  const objects = plain();
  expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'rcc-remote' } });
  expect(objectsOfKind(objects, 'Secret').filter((s) => s.data || s.stringData)).toEqual([]);
  expect(objectsOfKind(objects, 'SealedSecret').map((s) => `${s.metadata.namespace}/${s.metadata.name} ${s.spec.template.type}`).sort()).toEqual([
    'rcc-remote/rcc-remote-registry kubernetes.io/dockerconfigjson',
    'rcc-remote/rcc-remote-tls kubernetes.io/tls',
  ]);
  const pod = findObject(objects, 'Deployment', 'rcc-remote').spec.template.spec;
  expect(pod.imagePullSecrets).toEqual([{ name: 'rcc-remote-registry' }]);
  expect(pod.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ secret: expect.objectContaining({ secretName: 'rcc-remote-tls' }) })]));
});

test('the test controller key opens every value: the credential, and a key pair issued by the published CA', () => {
  const objects = plain();
  const credential = unseal(findObject(objects, 'SealedSecret', 'rcc-remote-registry'));
  expect(credential).toEqual({ '.dockerconfigjson': dockerConfig('ghcr.io', REGISTRY_USER, TOKEN) });
  const tls = unseal(findObject(objects, 'SealedSecret', 'rcc-remote-tls'));
  expect(Object.keys(tls).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
  expect(tls['ca.crt']).toBe(findObject(objects, 'ConfigMap', 'rcc-remote-tls-ca').data['ca.crt']);
  const cert = new crypto.X509Certificate(tls['tls.crt']);
  expect(cert.verify(new crypto.X509Certificate(tls['ca.crt']).publicKey)).toBe(true);
  expect(cert.checkHost('rcc.example.com')).toBe('rcc.example.com');
  expect(crypto.createPublicKey(tls['tls.key']).export({ type: 'spki', format: 'der' })).toEqual(cert.publicKey.export({ type: 'spki', format: 'der' }));
});

test('no plaintext value and no private key in any file of the folder or the chart', () => {
  const objects = plain();
  const tls = unseal(findObject(objects, 'SealedSecret', 'rcc-remote-tls'));
  const keyBody = tls['tls.key'].split('\n').filter((l) => l && !l.startsWith('-----'));
  const values = [
    TOKEN,
    Buffer.from(`${REGISTRY_USER}:${TOKEN}`).toString('base64'),
    dockerConfig('ghcr.io', REGISTRY_USER, TOKEN),
    Buffer.from(dockerConfig('ghcr.io', REGISTRY_USER, TOKEN)).toString('base64'),
    tls['tls.key'],
    Buffer.from(tls['tls.key']).toString('base64'),
    ...keyBody,
    PASSPHRASE,
  ];
  const files = filesUnder(output.plainDir, output.helmDir);
  expect(files.size).toBeGreaterThan(10);
  for (const [file, text] of files) {
    expect({ file, privateKey: /PRIVATE KEY/.test(text) }).toEqual({ file, privateKey: false });
    for (const v of values) expect({ file, holds: text.includes(v) }).toEqual({ file, holds: false });
  }
});

test('every object passes the 1.28 schema, the shipped CRDs and the restricted profile; deploykit check finds nothing', () => {
  assertValidManifests(plain());
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'deploykit'), 'check', '--format', 'json', plainFile()], { cwd: ROOT, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout);
  expect({ findings: report.findings, skipped: report.skipped }).toEqual({ findings: [], skipped: [] });
  for (const w of report.waivers) expect(w.reason).toMatch(/\S{3}/);
  expect(run.status).toBe(0);
});

test('the chart lints strictly and its default values render the plain YAML, SealedSecrets included', () => {
  const lint = runHelm(['lint', '--strict', output.helmDir]);
  expect({ stderr: lint.stderr, status: lint.status }).toEqual({ stderr: '', status: 0 });
  const rendered = render(output.helmDir, 'rcc-remote', [], 'rcc-remote-gitops');
  expectSameObjects(rendered, plain(), namespaceObjects(output.helmDir));
  assertValidManifests(rendered);
  expect(unseal(findObject(rendered, 'SealedSecret', 'rcc-remote-registry'))['.dockerconfigjson']).toContain(REGISTRY_USER);
});

test('a second synth writes the same bytes; a new token changes only the credential\'s ciphertext', () => {
  const first = filesUnder(output.plainDir, output.helmDir);
  const again = synthRccRemoteGitops(path.join(work, 'again'), stores());
  const second = filesUnder(again.plainDir, again.helmDir);
  const rel = (m: Map<string, string>, from: string) => new Map([...m].map(([f, t]) => [path.relative(from, path.join(work, f)), t]));
  expect(rel(second, path.join(work, 'again'))).toEqual(rel(first, path.join(work, 'dist')));

  const before = plain();
  process.env[REGISTRY_TOKEN_VAR] = `${TOKEN}-rotated`;
  try {
    const rotated = synthRccRemoteGitops(path.join(work, 'rotated'), stores());
    const after = parseRendered(fs.readFileSync(path.join(rotated.plainDir, 'rcc-remote-gitops.k8s.yaml'), 'utf8'));
    const changed = after.filter((o, i) => JSON.stringify(o) !== JSON.stringify(before[i])).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(changed).toEqual(['SealedSecret/rcc-remote-registry']);
    expect(unseal(findObject(after, 'SealedSecret', 'rcc-remote-registry'))['.dockerconfigjson']).toContain(`${TOKEN}-rotated`);
  } finally {
    process.env[REGISTRY_TOKEN_VAR] = TOKEN;
  }
});
