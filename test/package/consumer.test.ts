/**
 * The published package works in a fresh cdk8s app: `npm pack`, the tarball installed into a new
 * app that has only the peer dependencies (cdk8s, cdk8s-plus-28, constructs, from the npm registry),
 * where a plain JavaScript and a TypeScript program each synthesize a DeploymentManifest, a
 * CertificateBundle and a HelmChart — through `main`, `types` and the bundled dependencies. The
 * TypeScript program compiles with `strict` and `skipLibCheck: false`, so the package's own
 * declarations are checked too. A tarball without a bundled dependency fails in the same app.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import * as YAML from 'yaml';
import { requireBuild, ROOT, run, runOk } from './built';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'];

/** The consumer program; `imports` is how the language brings in the two packages. */
function program(imports: string, outdir: string): string {
  return `${imports}

const app = new App({ outdir: '${outdir}' });
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const bundle = new CertificateBundle(chart, 'api-certificate', {
  name: 'api-tls',
  serverName: 'api.shop.example.com',
  certType: CertificateType.AUTO_GENERATED_CA,
});
new DeploymentManifest(chart, 'api', {
  image: new ContainerImage(chart, 'api-image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }),
  ports: [{ containerPort: 8443 }],
  serverName: 'api.shop.example.com',
  certificateBundle: bundle,
});
const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '0.1.0', appVersion: '1.4.2', chart });
app.synth();
helm.writeTo('${outdir}/helm');
`;
}
const NAMES = 'CertificateBundle, CertificateType, ContainerImage, DeploymentManifest, HelmChart';
const JS = program(`const { App, Chart } = require('cdk8s');\nconst { ${NAMES} } = require('cdk8s-deploykit');`, 'dist-js');
const TS = program(`import { App, Chart } from 'cdk8s';\nimport { ${NAMES} } from 'cdk8s-deploykit';`, 'dist-ts');
const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: false, noEmitOnError: true, outDir: 'build', types: [] },
  files: ['main.ts'],
};

let work: string;
let tarball: string;
let app: string;
const appEnv = { ...process.env, DEPLOYKIT_CERT_PASSPHRASE: 'consumer-test-passphrase' };

beforeAll(() => {
  requireBuild();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-consumer-'));
  const [packed] = JSON.parse(runOk('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT));
  tarball = path.join(work, packed.filename);
  app = path.join(work, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '0.0.0', private: true }));
  const peers = Object.entries(pkg.peerDependencies).map(([name, range]) => `${name}@${range}`);
  runOk('npm', [...INSTALL, tarball, ...peers], app);
  fs.writeFileSync(path.join(app, 'main.js'), JS);
  fs.writeFileSync(path.join(app, 'main.ts'), TS);
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG));
}, 300_000);
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the jsii build: lib/ with main and types, .jsii, and the bundled dependencies', () => {
  const listing = runOk('tar', ['-tzf', tarball], work).split('\n');
  expect(listing).toEqual(expect.arrayContaining([
    `package/${pkg.main}`, `package/${pkg.types}`, 'package/.jsii', 'package/CHANGELOG.md',
    ...pkg.bundledDependencies.map((dep: string) => `package/node_modules/${dep}/package.json`),
  ]));
});

test('the app depends on the package and its peers only; the bundled dependencies sit inside the package', () => {
  const appPkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
  expect(Object.keys(appPkg.dependencies).sort()).toEqual(['cdk8s', 'cdk8s-deploykit', 'cdk8s-plus-28', 'constructs']);
  const installed = path.join(app, 'node_modules', 'cdk8s-deploykit');
  expect(JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')).version).toBe(pkg.version);
  for (const dep of pkg.bundledDependencies) {
    expect(fs.existsSync(path.join(installed, 'node_modules', dep, 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(app, 'node_modules', dep))).toBe(false);
  }
});

/** Checks what a consumer program wrote to `<app>/<outdir>`; returns the plain YAML text. */
function expectSynthesized(outdir: string): string {
  const file = path.join(app, outdir, 'shop.k8s.yaml');
  const objects = Yaml.load(file).filter((o: any) => o);
  assertValidManifests(objects);
  const secret = findObject(objects, 'Secret', 'api-tls');
  expect(secret.type).toBe('kubernetes.io/tls');
  expect(Object.keys(secret.data ?? secret.stringData).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
  const container = findObject(objects, 'Deployment', 'api').spec.template.spec.containers[0];
  expect(container.image).toBe('ghcr.io/acme/api:1.4.2');
  expect(container.volumeMounts).toEqual(expect.arrayContaining([expect.objectContaining({ mountPath: '/etc/tls' })]));
  findObject(objects, 'Service', 'api');

  const chartDir = path.join(app, outdir, 'helm', 'shop');
  expect(YAML.parse(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'))).toMatchObject({ name: 'shop', version: '0.1.0', appVersion: '1.4.2' });
  const lint = runHelm(['lint', '--strict', chartDir]);
  expect(lint.stdout + lint.stderr).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  expect(lint.status).toBe(0);
  return fs.readFileSync(file, 'utf8');
}

let jsOutput: string;
test('plain JavaScript: require() the package and synthesize a DeploymentManifest, a CertificateBundle and a HelmChart', () => {
  runOk(process.execPath, ['main.js'], app, appEnv);
  jsOutput = expectSynthesized('dist-js');
}, 180_000);

test('TypeScript (strict, skipLibCheck false): compile against the package\'s types, then synthesize the same', () => {
  runOk(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);
  runOk(process.execPath, [path.join('build', 'main.js')], app, appEnv);
  const tsOutput = expectSynthesized('dist-ts');
  // The certificate comes from the store the JavaScript run filled: byte-identical output.
  expect(tsOutput).toBe(jsOutput);
}, 180_000);

test('a type error in the consumer fails its compile (the types are real, not any)', () => {
  fs.writeFileSync(path.join(app, 'bad.ts'), TS.replace("tag: '1.4.2'", 'tag: 142'));
  // skipLibCheck: the declarations were checked above; this compile only needs to see the error.
  const options = { ...TSCONFIG.compilerOptions, noEmit: true, skipLibCheck: true };
  fs.writeFileSync(path.join(app, 'tsconfig.bad.json'), JSON.stringify({ compilerOptions: options, files: ['bad.ts'] }));
  const r = run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.bad.json'], app);
  expect(r.status).not.toBe(0);
  expect(r.stdout).toMatch(/bad\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
}, 180_000);

test.each(['node-forge', 'yaml'])('a tarball without the bundled dependency %s fails in the same app', (dep) => {
  // The package as it would be if the dependency were only a devDependency: not bundled, not declared.
  const unpacked = path.join(work, `without-${dep}`);
  fs.mkdirSync(unpacked);
  runOk('tar', ['-xzf', tarball, '-C', unpacked], work);
  fs.rmSync(path.join(unpacked, 'package', 'node_modules', dep), { recursive: true });
  const manifestFile = path.join(unpacked, 'package', 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  delete manifest.dependencies[dep];
  manifest.bundledDependencies = manifest.bundledDependencies.filter((d: string) => d !== dep);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const broken = path.join(work, `cdk8s-deploykit-without-${dep}.tgz`);
  runOk('tar', ['-czf', broken, '-C', unpacked, 'package'], work);

  const brokenApp = path.join(work, `app-without-${dep}`);
  fs.cpSync(app, brokenApp, { recursive: true });
  runOk('npm', [...INSTALL, broken], brokenApp);
  expect(fs.existsSync(path.join(brokenApp, 'node_modules', 'cdk8s-deploykit', 'node_modules', dep))).toBe(false);
  const r = run(process.execPath, ['main.js'], brokenApp, appEnv);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain(`Cannot find module '${dep}'`);
}, 180_000);
