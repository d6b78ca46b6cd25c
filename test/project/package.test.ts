/**
 * What `npm pack` makes is the product: package metadata Construct Hub and npm users see, a
 * changelog, and a tarball holding only what a user needs at run time. (The tarball installed into
 * a fresh cdk8s app is tested after the jsii build, in test/package/.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('package.json', () => {
  test('a 0.x semantic version other than 0.0.0', () => {
    expect(pkg.version).toMatch(/^0\.\d+\.\d+$/);
    expect(pkg.version).not.toBe('0.0.0');
  });

  test('the keywords Construct Hub and npm search use, cdk8s first among them', () => {
    expect(pkg.keywords).toEqual(expect.arrayContaining(['cdk8s', 'cdk8s-plus', 'kubernetes', 'helm', 'docker-compose', 'constructs']));
  });

  test('main and types point into lib/, and cdk8s, cdk8s-plus-28 and constructs are peer dependencies', () => {
    expect(pkg.main).toBe('lib/index.js');
    expect(pkg.types).toBe('lib/index.d.ts');
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-28', 'constructs']);
    expect(pkg.bundledDependencies.sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });

  test('a placeholder repository URL only with the README saying where the project lives; publishing refused until it is real', () => {
    const url: string = pkg.repository.url;
    const placeholder = url.includes('example.invalid');
    expect(pkg.scripts.prepublishOnly).toBe('projen check-publishable');
    const check = spawnSync(path.join(root, 'node_modules', '.bin', 'projen'), ['check-publishable'], { cwd: root, encoding: 'utf8' });
    expect(check.status === 0).toBe(!placeholder);
    if (placeholder) {
      expect(check.stderr).toContain(`repository is the placeholder ${url}: set repositoryUrl in .projenrc.ts`);
      expect(readme).toMatch(/^### Where the project lives$/m);
      expect(readme).toContain(url);
    }
  });
});

describe('CHANGELOG.md', () => {
  const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');

  test('has a section for the coming release or for the current version', () => {
    const sections = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]);
    expect(sections.length).toBeGreaterThan(0);
    expect(['Unreleased', pkg.version]).toContain(sections[0]);
  });

  test('lists the public constructs of the first release', () => {
    for (const name of ['DeploymentManifest', 'CertificateBundle', 'HelmChart', 'ComposeFile']) expect(changelog).toContain(`\`${name}\``);
  });
});

/** `names` and everything they depend on, as installed in node_modules, sorted. */
function dependencyClosure(names: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'));
    Object.keys(manifest.dependencies ?? {}).forEach(visit);
  };
  names.forEach(visit);
  return [...seen].sort();
}

describe('the tarball (npm pack --dry-run)', () => {
  let files: string[];
  let bundled: string[];
  beforeAll(() => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const [report] = JSON.parse(r.stdout);
    files = report.files.map((f: { path: string }) => f.path);
    bundled = report.bundled;
  });

  test('holds none of bench/, examples/, docs/, test/, src/, .ci/, cdk8s.yaml or the build output folders', () => {
    const forbidden = /^(bench|examples|docs|test|src|\.ci|\.projen|projenrc|dist|artifacts|\.tools|\.deploykit)\/|^(cdk8s\.yaml|\.projenrc\.ts|tsconfig\.json|\.jsii\.tabl\.json)$/;
    expect(files.filter((f) => forbidden.test(f))).toEqual([]);
  });

  test('holds only the files list of package.json, what npm always adds, and the bundled dependencies', () => {
    const allowed = (f: string) =>
      ['package.json', 'README.md', 'LICENSE'].includes(f)
      || pkg.files.some((entry: string) => (entry.endsWith('/') ? f.startsWith(entry) : f === entry))
      || bundled.some((dep) => f.startsWith(`node_modules/${dep}/`));
    expect(files.filter((f) => !allowed(f))).toEqual([]);
    // What a user needs at run time: the compiled library, its jsii assembly and docs, and what
    // `deploykit check` and the validation plugin read (the 1.28 schema, the CRDs, the bin).
    expect(pkg.files).toEqual(['lib/', '.jsii', 'API.md', 'CHANGELOG.md', 'schemas/', 'crds/', 'bin/', 'validation-plugin.js']);
  });

  test('bundles every runtime dependency (jsii needs them bundled) with their own dependencies, and nothing else', () => {
    expect(bundled).toEqual(expect.arrayContaining(['node-forge', 'yaml', ...pkg.bundledDependencies]));
    expect(bundled.sort()).toEqual(dependencyClosure(pkg.bundledDependencies));
  });

  test('ships the docs a user reads', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'API.md', 'CHANGELOG.md',
      ...bundled.map((dep) => `node_modules/${dep}/package.json`)]));
  });
});

test('packaging and cdk8s synth write to different folders', () => {
  const cdk8sYaml = fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8');
  // No `output:`: the CLI's default dist/ holds the examples, and `--stdout` deletes nothing.
  expect(cdk8sYaml).not.toMatch(/^output:/m);
  expect(pkg.jsii.outdir).toBe('artifacts');
  const packageTask = JSON.parse(fs.readFileSync(path.join(root, '.projen', 'tasks.json'), 'utf8')).tasks['package:js'];
  expect(JSON.stringify(packageTask)).toContain('jsii-pacmak');
  expect(fs.readFileSync(path.join(root, '.gitignore'), 'utf8')).toMatch(/^\/artifacts\/$/m);
});

test('.ci/run tests the built package after the jsii compile, and checks the --stdout stream', () => {
  const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8').split('\n').filter((l) => !l.trim().startsWith('#') && !l.trim().startsWith('echo'));
  const at = (command: string) => ci.findIndex((l) => l.trim() === command);
  expect(at('npx projen compile')).toBeGreaterThan(at('npm test'));
  expect(at('npx projen test:package')).toBeGreaterThan(at('npx projen compile'));
  expect(at('npx cdk8s synth --stdout --no-check-upgrade | node --import tsx test/util/check-manifests.ts')).toBeGreaterThan(-1);
  const tasks = JSON.parse(fs.readFileSync(path.join(root, '.projen', 'tasks.json'), 'utf8')).tasks;
  expect(tasks['test:package'].steps[0].exec).toContain("--testMatch '<rootDir>/test/package/**/*.test.ts'");
  expect(pkg.jest.testPathIgnorePatterns).toContain('<rootDir>/test/package/');
});
