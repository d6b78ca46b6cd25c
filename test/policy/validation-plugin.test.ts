/**
 * The cdk8s validation plugin, run by the real `npx cdk8s synth` on the small app in
 * test/policy/plugin-app (its cdk8s.yaml names the plugin under `validations:`).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { Validation } from 'cdk8s-cli/plugins';
import { DeploykitValidation } from '../../src/policy/private/validation-plugin';
import { tempDir } from '../helm/fixtures';

const APP = path.join(__dirname, 'plugin-app');

function synth(bad: boolean): { status: number; output: string } {
  const out = tempDir('plugin-app');
  const r = spawnSync('npx', ['--no-install', 'cdk8s', 'synth', '--no-check-upgrade', '--output', out], {
    cwd: APP,
    encoding: 'utf8',
    env: { ...process.env, PLUGIN_APP_BAD: bad ? '1' : '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
}

describe('the cdk8s validation plugin', () => {
  test('a deliberately bad object fails `cdk8s synth` (exit 2) with the table and a violation per finding', () => {
    const { status, output } = synth(true);
    expect(output).toContain('Performing validations');
    // deploykit's table, as `deploykit check` prints it
    expect(output).toMatch(/ {2}Pod shop\/debug \(line \d+\)\n {4}error {4}allowPrivilegeEscalation/);
    expect(output).toMatch(/image "nginx:latest" has the tag "latest"; pin a version tag or a digest/);
    expect(output).toMatch(/env var MODE is defined twice/);
    // cdk8s' own report: errors and warnings, each with its level
    expect(output).toMatch(/Status\s+│ failure/);
    expect(output).toMatch(/env-no-duplicate-names \(error\)/);
    expect(output).toMatch(/image-pinned-tag \(warning\)/);
    expect(output).toMatch(/- Construct Path: shop\/debug\n\s+- Manifest Path: .*shop\.k8s\.yaml\n\s+- Resource Name: debug/);
    expect(output).toContain('Validation failed. See above reports for details');
    expect(status).toBe(2);
  });

  test('the compliant app synthesizes and the plugin reports success', () => {
    const { status, output } = synth(false);
    expect(output).toMatch(/deploykit check \(restricted\): \d+ objects in 1 file: 0 errors, 0 warnings/);
    expect(output).toMatch(/Status\s+│ success/);
    expect(status).toBe(0);
  });

  test('the plugin class fits cdk8s-cli\'s Validation interface and refuses bad properties at load', () => {
    const plugin: Validation = new DeploykitValidation({ level: 'baseline' });
    expect(typeof plugin.validate).toBe('function');
    expect(() => new DeploykitValidation({ level: 'strict' })).toThrow('DeploykitValidation: level must be one of restricted, baseline, privileged; got "strict"');
    expect(() => new DeploykitValidation({ skip: ['no-such-rule'] })).toThrow(/unknown rule id\(s\): no-such-rule/);
  });
});
