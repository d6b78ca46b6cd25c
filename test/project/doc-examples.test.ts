/**
 * Examples in the docs: every exported construct class carries an `@example` (API.md and Construct
 * Hub show it), and every example — in doc comments and the README's ```ts blocks — runs against
 * the library and synthesizes valid, restricted objects. jsii-rosetta also compiles them against the
 * built package in CI (test/package/docs.test.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import * as library from '../../src';
import { constructsWithoutExample, exportedClasses, runExample, typescriptSnippets } from '../util/doc-examples';
import { assertValidManifests } from '../util/manifests';

const root = path.resolve(__dirname, '..', '..');
const entry = path.join(root, 'src', 'index.ts');
const classes = exportedClasses(entry, root);

describe('the @example check', () => {
  test('finds exported construct classes without an example, through export * and subclasses', () => {
    const fixture = path.join(__dirname, 'fixtures', 'doc-examples', 'index.ts');
    expect(constructsWithoutExample(exportedClasses(fixture))).toEqual(['SubclassWithoutExample', 'WithoutExample']);
  });

  test('sees every construct the package exports', () => {
    const constructs = classes.filter((c) => c.isConstruct).map((c) => c.name);
    expect(constructs).toEqual(expect.arrayContaining(['CertificateBundle', 'DeploymentManifest', 'HelmChart', 'WorkloadManifest']));
    expect(classes.find((c) => c.name === 'ManifestPolicy')?.isConstruct).toBe(false);
  });
});

test('every exported construct class has an @example in its doc comment', () => {
  expect(constructsWithoutExample(classes)).toEqual([]);
});

function synthesizedObjects(dir: string): any[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.k8s.yaml'))
    .sort()
    .flatMap((f) => Yaml.load(path.join(dir, f)).filter((o: any) => o));
}

// Production examples with generated certificates need the store passphrase, as a user's shell would set it.
const PASSPHRASE = 'DEPLOYKIT_CERT_PASSPHRASE';
let work: string;
let savedPassphrase: string | undefined;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-doc-examples-'));
  savedPassphrase = process.env[PASSPHRASE];
  process.env[PASSPHRASE] = 'doc-examples-passphrase';
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  if (savedPassphrase === undefined) delete process.env[PASSPHRASE];
  else process.env[PASSPHRASE] = savedPassphrase;
});

const examples = classes.flatMap((c) => c.examples.map((code, i) => ({ name: `${c.name} @example ${i + 1}`, code })));
const readmeSnippets = typescriptSnippets(fs.readFileSync(path.join(root, 'README.md'), 'utf8'))
  .map((s) => ({ name: `README.md line ${s.line}`, code: s.code }));

test('README.md has TypeScript examples', () => {
  expect(readmeSnippets.length).toBeGreaterThanOrEqual(3);
});

test.each([...examples, ...readmeSnippets])('$name runs and synthesizes valid objects', ({ name, code }) => {
  const cwd = path.join(work, name.replace(/[^A-Za-z0-9]+/g, '-'));
  // The README's RCC Remote example reads its catalog ZIP from examples/catalogs/, the sealing
  // example the controller certificate from examples/sealing/, as in a clone.
  for (const dir of ['catalogs', 'sealing']) fs.cpSync(path.join(root, 'examples', dir), path.join(cwd, 'examples', dir), { recursive: true });
  runExample(code, cwd, library, require);
  const objects = synthesizedObjects(path.join(cwd, 'dist'));
  assertValidManifests(objects);
  // A docker-compose project never lands among the Kubernetes files (ComposeFile writes it apart).
  expect(objects.filter((o) => o.metadata?.annotations?.['deploykit.io/manifest-type'] === 'docker-compose').map((o) => o.metadata.name)).toEqual([]);
});
