/**
 * Snapshots must be compared in CI, never rewritten: `npm test` runs `jest --ci`, `.ci/run` never
 * passes `--updateSnapshot`, and a changed value in a committed snapshot fails the run.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');

describe('snapshots in CI', () => {
  test('the test task runs jest --ci and never --updateSnapshot', () => {
    const tasks = JSON.parse(fs.readFileSync(path.join(root, '.projen', 'tasks.json'), 'utf8')).tasks;
    const jestStep = tasks.test.steps.find((s: any) => (s.execArgs ?? []).includes('jest'));
    expect(jestStep.execArgs).toContain('--ci');
    expect(JSON.stringify(tasks.test)).not.toMatch(/updateSnapshot|"-u"/);
    expect(tasks['test:update'].steps[0].execArgs).toContain('--updateSnapshot');
  });

  test('.ci/run does not update snapshots', () => {
    const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/npm test/);
    expect(ci).not.toMatch(/--updateSnapshot|\s-u(\s|$)/);
  });

  test('a changed value inside a committed snapshot fails jest --ci', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-snapshot-'));
    try {
      fs.writeFileSync(path.join(dir, 'replicas.test.js'),
        "test('replicas', () => { expect({ replicas: 2 }).toMatchSnapshot(); });\n");
      fs.mkdirSync(path.join(dir, '__snapshots__'));
      const snapshot = (replicas: number) => [
        '// Jest Snapshot v1, https://jestjs.io/docs/snapshot-testing',
        '',
        `exports[\`replicas 1\`] = \`
{
  "replicas": ${replicas},
}
\`;`,
        '',
      ].join('\n');
      const snapFile = path.join(dir, '__snapshots__', 'replicas.test.js.snap');
      const jest = path.join(root, 'node_modules', '.bin', 'jest');
      const run = () => spawnSync(jest, ['--ci', '--rootDir', dir, '--config', '{}'], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

      fs.writeFileSync(snapFile, snapshot(2));
      const unchanged = run();
      expect(unchanged.stderr).toMatch(/1 passed/);
      expect(unchanged.status).toBe(0);

      fs.writeFileSync(snapFile, snapshot(3));
      const changed = run();
      expect(changed.status).not.toBe(0);
      expect(changed.stderr).toMatch(/1 snapshot failed/);
      // The snapshot file was compared, not rewritten.
      expect(fs.readFileSync(snapFile, 'utf8')).toBe(snapshot(3));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
