/** The README's first commands are the contract with a new user: set up, synthesize, test. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart as CdkChart, Testing, Yaml } from 'cdk8s';
import { SITE_DIR } from '../../examples/site';
import * as library from '../../src';
import { runExample, typescriptSnippets } from '../util/doc-examples';

const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

test('the first code block of README.md is exactly npm ci, npx cdk8s synth, npm test', () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme);
  expect(firstBlock).not.toBeNull();
  const commands = firstBlock![1].split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
  expect(commands).toEqual(['npm ci', 'npx cdk8s synth', 'npm test']);
});

test('cdk8s.yaml points cdk8s synth at the examples, which write to dist/', () => {
  const config = fs.readFileSync(path.resolve(__dirname, '..', '..', 'cdk8s.yaml'), 'utf8');
  expect(config).toMatch(/^app: npx tsx examples\/main\.ts$/m);
  // dist/ is the CLI's default; an `output:` line would make `cdk8s synth --stdout` delete it.
  expect(config).not.toMatch(/^output:/m);
  expect(SITE_DIR).toBe('dist');
});

describe('what the README says, the code does', () => {
  const root = path.resolve(__dirname, '..', '..');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

  test('the install section builds the tarball with npm pack while the package is unpublished, with the package\'s name, version and peers', () => {
    const install = /## Use it in your cdk8s app\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1];
    const commands = install.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
    expect(commands.slice(0, 3)).toEqual(['npm ci', 'npx projen compile', 'npm pack']);
    const tarball = `${pkg.name}-${pkg.version}.tgz`;
    expect(install).toContain(`# writes ${tarball} here`);
    const [npm, verb, file, ...peers] = commands[3].split(/\s+/);
    expect([npm, verb, path.basename(file)]).toEqual(['npm', 'install', tarball]);
    expect(peers.sort()).toEqual(Object.keys(pkg.peerDependencies).sort());
    // Unpublished: package.json still names the placeholder repository that blocks `npm publish`.
    expect(pkg.repository.url).toContain('example.invalid');
  });

  test('the first example with the three mistakes the README names gives exactly the report shown, each once', () => {
    const [quickStart] = typescriptSnippets(readme);
    const broken = quickStart.code
      .replace('replicaCount: 3,', 'replicaCount: 0,')
      .replace("requests: { cpu: '100m'", "requests: { cpu: '2'")
      .replace("tag: '1.4.2' })", "tag: 'latest' })");
    expect(broken).not.toBe(quickStart.code);
    const shown = /## Bad input: every mistake, at once\n[\s\S]*?```\n([\s\S]*?)```/.exec(readme)![1];
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-readme-bad-input-'));
    try {
      expect(() => runExample(broken, cwd, library, require)).toThrow(shown.trimEnd());
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('the JavaScript example of bad input gives exactly the report shown under it', () => {
    const [, code, shown] = /### From JavaScript[\s\S]*?```js\n([\s\S]*?)```\n```\n([\s\S]*?)```/.exec(readme)!;
    const chart = new CdkChart(Testing.app(), 'shop', { namespace: 'shop' });
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('chart', 'DeploymentManifest', code)(chart, library.DeploymentManifest);
    expect(() => chart.toJson()).toThrow(shown.trimEnd());
  });

  test('the RCC Remote example writes no compose object and no key among the Kubernetes files, and its key files are 0600', () => {
    const example = typescriptSnippets(readme).find((s) => s.code.includes('new ComposeFile('))!;
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-readme-compose-'));
    try {
      fs.cpSync(path.join(root, 'examples', 'catalogs'), path.join(cwd, 'examples', 'catalogs'), { recursive: true });
      runExample(example.code, cwd, library, require);
      const files = fs.readdirSync(cwd, { recursive: true, encoding: 'utf8' }).map((f) => path.join(cwd, f)).filter((f) => fs.statSync(f).isFile());
      const kubernetes = files.filter((f) => f.endsWith('.k8s.yaml'));
      expect(kubernetes.map((f) => path.relative(cwd, f))).toEqual(['dist/rcc-remote.k8s.yaml']);
      const objects = kubernetes.flatMap((f) => Yaml.load(f).filter((o: any) => o));
      expect(objects.filter((o: any) => o.metadata?.annotations?.['deploykit.io/manifest-type'] === 'docker-compose')).toEqual([]);
      expect(objects.filter((o: any) => o.kind === 'Secret').map((o: any) => o.metadata.name)).toEqual([]);
      expect(fs.existsSync(path.join(cwd, 'dist', 'rcc-remote', 'docker-compose.yaml'))).toBe(true);
      // The private keys the library writes (the compose project's TLS files and the certificate store): 0600.
      const keyFiles = files.filter((f) => /PRIVATE KEY/.test(fs.readFileSync(f, 'utf8')));
      expect(keyFiles.map((f) => path.relative(cwd, f))).toContain('dist/rcc-remote/secrets/rcc-remote-tls/tls.key');
      expect(keyFiles.filter((f) => (fs.statSync(f).mode & 0o777) !== 0o600).map((f) => path.relative(cwd, f))).toEqual([]); // eslint-disable-line no-bitwise
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('every test file the README names exists', () => {
    const named = [...new Set([...readme.matchAll(/`(test\/[\w./-]+\.test\.ts)`/g)].map((m) => m[1]))];
    expect(named.length).toBeGreaterThan(2);
    expect(named.filter((f) => !fs.existsSync(path.join(root, f)))).toEqual([]);
    for (const f of [...readme.matchAll(/`(arbitrary-[\w-]+\.test\.ts)`/g)].map((m) => m[1])) {
      expect(fs.existsSync(path.join(root, 'test', 'runtime-checks', f))).toBe(true);
    }
  });
});
