import * as fs from 'fs';
import { helmBinary, kubectlBinary, runHelm, runKubectl } from './tools';

describe('test tools', () => {
  test('helm binary is extracted and executable', () => {
    const bin = helmBinary();
    expect(() => fs.accessSync(bin, fs.constants.X_OK)).not.toThrow();
    expect(helmBinary()).toBe(bin);
  });

  test('helm version is v3', () => {
    const r = runHelm(['version', '--short']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^v3\.\d+\.\d+/);
  });

  test('kubectl version --client is v1.28', () => {
    const r = runKubectl(['version', '--client', '-o', 'json']);
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.clientVersion.major).toBe('1');
    expect(v.clientVersion.minor).toBe('28');
    expect(fs.existsSync(kubectlBinary())).toBe(true);
  });

  test('non-zero exit is reported, not thrown', () => {
    const r = runHelm(['no-such-command']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command/);
  });
});
