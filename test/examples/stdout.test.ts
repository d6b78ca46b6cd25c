/**
 * `npx cdk8s synth --stdout | kubectl apply -f -`: the real cdk8s CLI runs examples/main.ts in
 * --stdout mode and prints only Kubernetes objects, separated by `---`, that the project's schema
 * check (test/util/check-manifests.ts) and kubectl's own parser accept; the Helm charts and the
 * compose file go to their folders only. Run in a temp working folder, so the repo's dist/ is untouched.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { SECRET_VARIABLES } from './example-site';
import { isStdoutRun } from '../../examples/site';
import { runKubectl } from '../util/tools';

const root = path.resolve(__dirname, '..', '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  for (const v of SECRET_VARIABLES) delete e[v];
  return e;
}

/** Runs the schema check command on `input`, as `... | node --import tsx test/util/check-manifests.ts`. */
function schemaCheck(input: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'test', 'util', 'check-manifests.ts')], {
    cwd: root, input, encoding: 'utf8', env: env(),
  });
}

let work: string;
let stdout: string;
let objects: any[];
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-stdout-'));
  const r = spawnSync(bin('cdk8s'), [
    'synth', '--stdout', '--no-check-upgrade', '--app', `${bin('tsx')} ${path.join(root, 'examples', 'main.ts')}`,
  ], { cwd: work, encoding: 'utf8', env: env(), maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`cdk8s synth --stdout exited ${r.status}: ${r.stderr}`);
  stdout = r.stdout;
  objects = parseAllDocuments(stdout).map((d) => d.toJS());
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('prints the production objects of every system, each Namespace first, separated by ---', () => {
  const docs = objects;
  const ids = docs.map((o) => `${o.kind}/${o.metadata.name}`);
  expect(ids[0]).toBe('Namespace/rescan');
  expect(ids).toContain('Namespace/todo');
  expect(ids.indexOf('Namespace/todo')).toBeLessThan(ids.indexOf('Deployment/todo-backend'));
  expect(ids.indexOf('Namespace/rcc-remote')).toBeLessThan(ids.indexOf('Deployment/rcc-remote'));
  expect(ids.indexOf('Namespace/toolhive')).toBeLessThan(ids.indexOf('Deployment/toolhive-api'));
  expect(ids).toEqual(expect.arrayContaining(['Deployment/rescan-app', 'StatefulSet/todo-postgres', 'Ingress/todo-ingress']));
  // One object each: no development copy under the same name.
  expect(new Set(ids).size).toBe(ids.length);
  expect(stdout.split('\n').filter((l) => l === '---')).toHaveLength(docs.length - 1);
  // Production: pinned images.
  const app = docs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'rescan-app');
  expect(app.spec.template.spec.containers[0].image).toBe('rescan:1.0.0');
});

test('the output is what the plain synth writes for production, nothing else', () => {
  const plain = ['rescan/rescan.k8s.yaml', 'todo-chatbot/todo-chatbot.k8s.yaml', 'rcc-remote/rcc-remote.k8s.yaml', 'toolhive/toolhive.k8s.yaml']
    .map((f) => fs.readFileSync(path.join(work, 'dist', f), 'utf8'));
  expect(stdout).toBe(plain.join('---\n'));
  expect(stdout).not.toMatch(/\{\{|^services:|^apiVersion: v2$/m);
});

test('the project\'s schema check accepts every document', () => {
  const r = schemaCheck(stdout);
  expect(r.stderr).toContain(`${objects.length} Kubernetes object(s), every one valid`);
  expect(r.status).toBe(0);
});

test('kubectl parses every document as an object, as kubectl apply -f - does (offline: --local)', () => {
  const r = runKubectl(['annotate', '--local', '-f', '-', '-o', 'name', 'deploykit.example/checked=true'], { input: stdout });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const names = r.stdout.trim().split('\n');
  expect(names).toHaveLength(objects.length);
  expect(names).toEqual(expect.arrayContaining(['namespace/rescan', 'deployment.apps/rescan-app', 'certificate.cert-manager.io/todo-tls', 'servicemonitor.monitoring.coreos.com/toolhive-api']));
});

test('the Helm charts, the compose file and the development YAML go to their folders under dist/', () => {
  for (const f of [
    'helm/rescan/Chart.yaml', 'helm/todo-app/values.schema.json', 'helm/rcc-remote/Chart.yaml', 'helm/toolhive/Chart.yaml',
    'rescan/docker-compose.yaml', 'rcc-remote/docker-compose.yaml', 'rescan/rescan-development.k8s.yaml',
  ]) {
    expect(fs.existsSync(path.join(work, 'dist', f))).toBe(true);
  }
});

test('the schema check refuses what --stdout printed before: Helm templates, Chart.yaml, a compose file', () => {
  const dist = path.join(work, 'dist');
  const read = (f: string) => fs.readFileSync(path.join(dist, f), 'utf8');
  const template = schemaCheck(read('helm/rescan/templates/deployment-rescan-app.yaml'));
  expect(template.status).toBe(1);
  expect(template.stderr).toMatch(/document 1: not YAML/);
  const others = schemaCheck([read('helm/rescan/Chart.yaml'), read('rescan/docker-compose.yaml')].join('---\n'));
  expect(others.status).toBe(1);
  expect(others.stderr).toContain('document 1: expected a Kubernetes object; missing kind, metadata.name');
  expect(others.stderr).toContain('document 2: expected a Kubernetes object; missing apiVersion, kind, metadata.name');
});

test('the examples tell a --stdout run (the CLI\'s fresh temp folder) from a synth into a folder', () => {
  expect(isStdoutRun(path.join(os.tmpdir(), 'cdk8s-Ab12Cd'))).toBe(true);
  expect(isStdoutRun('dist')).toBe(false);
  expect(isStdoutRun(path.join(os.tmpdir(), 'my-output'))).toBe(false);
  expect(isStdoutRun(path.join(os.tmpdir(), 'cdk8s-Ab12Cd', 'nested'))).toBe(false);
});
