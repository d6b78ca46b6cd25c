/**
 * Output folders that don't collide: `npx projen package` writes the npm tarball to artifacts/js/,
 * `npx cdk8s synth` writes the examples to dist/ (deleting dist/ first), so running one after the
 * other leaves both outputs in place. Runs in the repo, as a developer would.
 */
import * as fs from 'fs';
import * as path from 'path';
import { bin, requireBuild, ROOT, runOk } from './built';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const tarball = path.join(ROOT, 'artifacts', 'js', `${pkg.name}@${pkg.version}.jsii.tgz`);
const example = path.join(ROOT, 'dist', 'rescan', 'rescan.k8s.yaml');

beforeAll(() => requireBuild());

test('npx projen package, then npx cdk8s synth: the tarball and the example YAML are both there', () => {
  runOk(bin('projen'), ['package'], ROOT);
  expect(fs.existsSync(tarball)).toBe(true);
  const packedAt = fs.statSync(tarball).mtimeMs;

  runOk(bin('cdk8s'), ['synth', '--no-check-upgrade'], ROOT);
  expect(fs.existsSync(example)).toBe(true);
  expect(fs.existsSync(path.join(ROOT, 'dist', 'helm', 'rescan', 'Chart.yaml'))).toBe(true);
  expect(fs.statSync(tarball).mtimeMs).toBe(packedAt);
  expect(fs.readdirSync(path.join(ROOT, 'dist'))).toEqual(expect.arrayContaining(['helm', 'rescan', 'todo-chatbot']));
  expect(fs.readdirSync(path.join(ROOT, 'dist'))).not.toContain('js');
}, 300_000);
