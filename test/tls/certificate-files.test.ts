/**
 * CertificateBundle.writeFiles: the certificate, key and CA as PEM files, for docker-compose
 * (read-only compose secrets), `kubectl create secret tls --cert --key` and `helm install --set-file`.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { clockAt, NOW } from './certificate-fixtures';
import { Environment } from '../../src/core/environment';
import { CertificateBundle } from '../../src/tls/certificate-bundle';
import { CertificateProvider, CertificateType } from '../../src/tls/certificate-types';
import { findObject, synthManifests } from '../util/manifests';

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-cert-files-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

function bundle(certType: CertificateType, provider?: CertificateProvider): CertificateBundle {
  const chart = Testing.chart();
  (chart as any).namespace = 'rcc-remote';
  return new CertificateBundle(chart, 'rcc', {
    serverName: 'rcc.example.com',
    certType,
    provider,
    name: 'rcc-remote-tls',
    environment: Environment.DEVELOPMENT,
    store: { directory: path.join(work, 'store'), clock: clockAt(NOW) },
  });
}

const mode = (file: string) => fs.statSync(file).mode & 0o777; // eslint-disable-line no-bitwise

describe('CertificateBundle.writeFiles', () => {
  test('writes tls.crt, tls.key (0600) and ca.crt into <directory>/<secretName>/ (folder 0700), the Secret\'s own material', () => {
    const b = bundle(CertificateType.AUTO_GENERATED_CA);
    const files = b.writeFiles(path.join(work, 'secrets'));
    const folder = path.join(work, 'secrets', 'rcc-remote-tls');
    expect(files).toEqual({
      directory: folder,
      certificateFile: path.join(folder, 'tls.crt'),
      keyFile: path.join(folder, 'tls.key'),
      caFile: path.join(folder, 'ca.crt'),
      createSecretCommand: `kubectl --namespace rcc-remote create secret tls rcc-remote-tls --cert=${folder}/tls.crt --key=${folder}/tls.key`,
    });
    expect(fs.readdirSync(folder).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    expect(mode(files.keyFile)).toBe(0o600);
    expect(mode(files.certificateFile)).toBe(0o644);
    expect(mode(folder)).toBe(0o700);

    const secret = findObject(synthManifests(b.node.scope as any), 'Secret', 'rcc-remote-tls').stringData;
    expect(fs.readFileSync(files.certificateFile, 'utf8')).toBe(secret['tls.crt']);
    expect(fs.readFileSync(files.keyFile, 'utf8')).toBe(secret['tls.key']);
    expect(fs.readFileSync(files.caFile!, 'utf8')).toBe(secret['ca.crt']);
    // The key pairs with the certificate (an independent check with Node's crypto).
    const cert = new crypto.X509Certificate(fs.readFileSync(files.certificateFile));
    expect(cert.checkPrivateKey(crypto.createPrivateKey(fs.readFileSync(files.keyFile)))).toBe(true);
    expect(cert.verify(new crypto.X509Certificate(fs.readFileSync(files.caFile!)).publicKey)).toBe(true);
  });

  test('a self-signed bundle has no ca.crt; writing again keeps the content and tightens a loosened key mode', () => {
    const b = bundle(CertificateType.AUTO_GENERATED_SELFSIGNED);
    const first = b.writeFiles(work);
    expect(first.caFile).toBeUndefined();
    expect(fs.readdirSync(first.directory).sort()).toEqual(['tls.crt', 'tls.key']);
    const key = fs.readFileSync(first.keyFile, 'utf8');
    fs.chmodSync(first.keyFile, 0o644);
    const second = b.writeFiles(work);
    expect(fs.readFileSync(second.keyFile, 'utf8')).toBe(key);
    expect(mode(second.keyFile)).toBe(0o600);
  });

  test('the default folder is .deploykit/tls, which the project\'s .gitignore covers', () => {
    const cwd = process.cwd();
    const repo = path.resolve(__dirname, '..', '..');
    process.chdir(work);
    try {
      const files = bundle(CertificateType.AUTO_GENERATED_SELFSIGNED).writeFiles();
      expect(files.keyFile).toBe(path.join('.deploykit', 'tls', 'rcc-remote-tls', 'tls.key'));
      expect(fs.existsSync(path.join(work, files.keyFile))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
    const ignored = spawnSync('git', ['check-ignore', '-q', '.deploykit/tls/rcc-remote-tls/tls.key'], { cwd: repo });
    expect(ignored.status).toBe(0);
  });

  test('the command quotes a path a shell would split', () => {
    const files = bundle(CertificateType.AUTO_GENERATED_SELFSIGNED).writeFiles(path.join(work, 'my certs'));
    expect(files.createSecretCommand).toContain(`--cert='${path.join(work, 'my certs', 'rcc-remote-tls', 'tls.crt')}'`);
  });

  test('a cert-manager bundle has no key to write: the error says cert-manager writes the Secret in the cluster', () => {
    const b = bundle(CertificateType.AUTO_GENERATED_CA, CertificateProvider.CERT_MANAGER);
    expect(() => b.writeFiles(work)).toThrow(/writeFiles\(\) is not known at synth with CertificateProvider.CERT_MANAGER; cert-manager writes it to Secret "rcc-remote-tls" in the cluster/);
    expect(fs.existsSync(path.join(work, 'rcc-remote-tls'))).toBe(false);
  });
});
