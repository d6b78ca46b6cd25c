/**
 * The docs cannot drift from the API: `jsii-rosetta extract --strict` (as aws-cdk runs it) compiles
 * every ```ts block of README.md and every `@example` of the built jsii assembly against the
 * package, and fails on any error. Shown failing once with a deliberately broken README snippet.
 * Each run works on a copy of the assembly in a temp folder (lib/ and node_modules linked), so no
 * tablet cache of an earlier run can hide a failure.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bin, requireBuild, ROOT, run } from './built';
import { exportedClasses, typescriptSnippets } from '../util/doc-examples';

let work: string;
beforeAll(() => {
  requireBuild();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-rosetta-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A package folder holding `assembly` as its .jsii, with the repo's package.json, lib/ and node_modules. */
function packageWith(name: string, assembly: any): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'lib'), path.join(dir, 'lib'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, '.jsii'), JSON.stringify(assembly));
  return dir;
}

function extract(dir: string) {
  const r = run(bin('jsii-rosetta'), ['extract', '--strict'], dir);
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

function builtAssembly(): any {
  return JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
}

test('every README snippet and every @example compiles against the built package', () => {
  const dir = packageWith('as-built', builtAssembly());
  const r = extract(dir);
  expect(r.output).not.toMatch(/error TS\d+/);
  expect(r.status).toBe(0);

  const tablet = JSON.parse(fs.readFileSync(path.join(dir, '.jsii.tabl.json'), 'utf8'));
  const snippets: any[] = Object.values(tablet.snippets);
  expect(snippets.filter((s) => !s.didCompile)).toEqual([]);
  // Nothing was skipped: the README's ts blocks and each construct's example are among them.
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(snippets.filter((s) => s.location.api.api === 'moduleReadme')).toHaveLength(typescriptSnippets(readme).length);
  const withExample = exportedClasses(path.join(ROOT, 'src', 'index.ts'), ROOT).filter((c) => c.examples.length).map((c) => c.name);
  const examplesOf = new Set(snippets.filter((s) => s.location.api.api === 'type').map((s) => s.location.api.fqn.split('.').pop()));
  expect(withExample.filter((name) => !examplesOf.has(name))).toEqual([]);
}, 300_000);

test('a broken README snippet fails the check, naming its line and the type error', () => {
  const assembly = builtAssembly();
  // Only the README is checked here (the examples were above), which keeps this run short.
  for (const type of Object.values<any>(assembly.types)) delete type.docs?.example;
  const markdown: string = assembly.readme.markdown;
  const broken = [
    '```ts',
    "import { App, Chart } from 'cdk8s';",
    "import { ContainerImage, DeploymentManifest } from 'cdk8s-deploykit';",
    '',
    'const app = new App();',
    "const chart = new Chart(app, 'shop');",
    "const image = new ContainerImage(chart, 'image', { repository: 'acme/api', tag: '1.4.2' });",
    "new DeploymentManifest(chart, 'api', { image, replicaCount: 'three' });",
    '```',
  ].join('\n');
  assembly.readme.markdown = `${markdown}\n\n${broken}\n`;
  const fenceLine = markdown.split('\n').length + 2;

  const r = extract(packageWith('broken-snippet', assembly));
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(new RegExp(`README-L${fenceLine}\\.ts:\\d+:\\d+ - error TS2322: Type 'string' is not assignable to type 'number'`));
  expect(r.output).toContain("replicaCount: 'three'");
  // The README's own snippets still compile: this one is the only failure.
  expect(r.output).toMatch(/\[ERROR\] 1 diagnostics encountered in \d+ snippets/);
}, 300_000);
