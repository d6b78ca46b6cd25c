import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { clockAt, daysAfter, expectNoKeyMaterial, NOW, parseCert, sansOf, synthError } from './certificate-fixtures';
import { Environment } from '../../src/core/environment';
import { CertificateBundle } from '../../src/tls/certificate-bundle';
import { CertificateBundleProps } from '../../src/tls/certificate-bundle-props';
import { CertificateType } from '../../src/tls/certificate-types';
import { findObject, synthManifests } from '../util/manifests';

const PASS_VAR = 'CERT_STORE_TEST_PASSPHRASE';
const PASSPHRASE = 'store passphrase for tests';
let storeDir: string;

beforeEach(() => {
  storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-store-'));
  process.env[PASS_VAR] = PASSPHRASE;
});
afterEach(() => {
  fs.rmSync(storeDir, { recursive: true, force: true });
  delete process.env[PASS_VAR];
});

type Props = Partial<CertificateBundleProps>;

/** One synth in a fresh app (as a new `cdk8s synth` run would do) against the shared store. */
function synth(props: Props = {}, now = NOW): { secret: any; chart: Chart; objects: any[] } {
  const chart = Testing.chart();
  new CertificateBundle(chart, 'api', {
    serverName: 'api.example.com',
    certType: CertificateType.AUTO_GENERATED_SELFSIGNED,
    ...props,
    store: { directory: storeDir, passphraseEnvVar: PASS_VAR, clock: clockAt(now), ...props.store },
  });
  const objects = synthManifests(chart);
  return { secret: findObject(objects, 'Secret', 'api-tls'), chart, objects };
}

function storeFolder(): string {
  const folders = fs.readdirSync(storeDir);
  expect(folders).toHaveLength(1);
  return path.join(storeDir, folders[0]);
}

describe('certificate store', () => {
  test('a second synth reuses the stored material: byte-identical Secret', () => {
    const first = synth();
    const second = synth();
    expect(JSON.stringify(second.secret)).toBe(JSON.stringify(first.secret));
    // ... and a third, a day later, still does.
    expect(JSON.stringify(synth({}, daysAfter(NOW, 1)).secret)).toBe(JSON.stringify(first.secret));
  });

  test('a CA bundle is reused whole: Secret and ConfigMap byte-identical', () => {
    const first = synth({ certType: CertificateType.AUTO_GENERATED_CA });
    const second = synth({ certType: CertificateType.AUTO_GENERATED_CA });
    expect(JSON.stringify(second.objects)).toBe(JSON.stringify(first.objects));
  });

  test('regenerates inside the renewal window, and only there', () => {
    const first = synth();
    // 31 days before expiry: outside the 30-day window, reused.
    expect(synth({}, daysAfter(NOW, 334)).secret.stringData).toEqual(first.secret.stringData);
    // 25 days before expiry: renewed, with a new key and validity from the clock.
    const later = daysAfter(NOW, 340);
    const renewed = synth({}, later).secret.stringData;
    expect(renewed['tls.crt']).not.toBe(first.secret.stringData['tls.crt']);
    expect(renewed['tls.key']).not.toBe(first.secret.stringData['tls.key']);
    expect(parseCert(renewed['tls.crt']).validity.notBefore.toISOString()).toBe(later.toISOString());
    // A wider window renews earlier.
    const wide = synth({ store: { renewalWindowDays: 60 } }, daysAfter(NOW, 340 + 310)).secret.stringData;
    expect(wide['tls.crt']).not.toBe(renewed['tls.crt']);
  });

  test('regenerates when SANs, key size or type change', () => {
    const first = synth().secret.stringData;
    const withSan = synth({ sanNames: ['api.example.com', '10.0.0.9'] }).secret.stringData;
    expect(withSan['tls.crt']).not.toBe(first['tls.crt']);
    expect(sansOf(parseCert(withSan['tls.crt']))).toEqual(['api.example.com', '10.0.0.9']);
    // Same names in another order: reused.
    expect(synth({ sanNames: ['10.0.0.9', 'api.example.com'] }).secret.stringData).toEqual(withSan);

    const bigger = synth({ sanNames: ['api.example.com', '10.0.0.9'], keySize: 3072 }).secret.stringData;
    expect(crypto.createPrivateKey(bigger['tls.key']).asymmetricKeyDetails?.modulusLength).toBe(3072);

    const ca = synth({ sanNames: ['api.example.com', '10.0.0.9'], keySize: 3072, certType: CertificateType.AUTO_GENERATED_CA }).secret.stringData;
    expect(ca['ca.crt']).toBeDefined();
    expect(ca['tls.crt']).not.toBe(bigger['tls.crt']);
  });

  test('a CA bundle whose SANs change keeps its CA and re-issues the leaf under it', () => {
    const first = synth({ certType: CertificateType.AUTO_GENERATED_CA }).secret.stringData;
    const next = synth({ certType: CertificateType.AUTO_GENERATED_CA, sanNames: ['api.example.com', 'api.internal'] }).secret.stringData;
    expect(next['ca.crt']).toBe(first['ca.crt']);
    expect(next['tls.crt']).not.toBe(first['tls.crt']);
    expect(new crypto.X509Certificate(next['tls.crt']).verify(new crypto.X509Certificate(first['ca.crt']).publicKey)).toBe(true);
  });

  test('keeps private keys encrypted (PKCS#8, AES-256) with mode 0600', () => {
    const data = synth({ certType: CertificateType.AUTO_GENERATED_CA }).secret.stringData;
    const folder = storeFolder();
    expect(fs.readdirSync(folder).sort()).toEqual(['bundle.json', 'ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    for (const file of ['tls.key', 'ca.key']) {
      const text = fs.readFileSync(path.join(folder, file), 'utf8');
      expect(text).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
      expect((fs.statSync(path.join(folder, file)).mode % 0o1000).toString(8)).toBe('600');
      expect(() => crypto.createPrivateKey({ key: text, passphrase: 'wrong' })).toThrow();
    }
    const stored = crypto.createPrivateKey({ key: fs.readFileSync(path.join(folder, 'tls.key'), 'utf8'), passphrase: PASSPHRASE });
    expect(stored.export({ type: 'pkcs8', format: 'pem' })).toBe(data['tls.key']);
    // The AES-256 cipher is recorded in the PBES2 parameters (OID 2.16.840.1.101.3.4.1.42 = aes256-CBC).
    const der = Buffer.from(fs.readFileSync(path.join(folder, 'tls.key'), 'utf8').replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(der.includes(Buffer.from('060960864801650304012a', 'hex'))).toBe(true);
    // Nothing else in the store holds key material.
    const meta = fs.readFileSync(path.join(folder, 'bundle.json'), 'utf8');
    expect(meta).not.toContain('PRIVATE KEY');
    expect(JSON.parse(meta)).toMatchObject({ encrypted: true, spec: { certType: 'auto-generated-ca', keySize: 2048 } });
  });

  test('a wrong passphrase is a clear error without key material', () => {
    const data = synth({ certType: CertificateType.AUTO_GENERATED_CA }).secret.stringData;
    process.env[PASS_VAR] = 'not the passphrase';
    const chart = Testing.chart();
    new CertificateBundle(chart, 'api', {
      serverName: 'api.example.com',
      certType: CertificateType.AUTO_GENERATED_CA,
      store: { directory: storeDir, passphraseEnvVar: PASS_VAR, clock: clockAt(NOW) },
    });
    const message = synthError(chart);
    expect(message).toContain(`[test/api] store: got <redacted>; expected a usable certificate store: ${path.join(storeFolder(), 'tls.key')} cannot be decrypted with the passphrase in $${PASS_VAR} (wrong passphrase?)`);
    expect(message).not.toContain('not the passphrase');
    expectNoKeyMaterial(message, [data['tls.key'], fs.readFileSync(path.join(storeFolder(), 'tls.key'), 'utf8')]);
    // The store is left alone: the right passphrase reads it again.
    process.env[PASS_VAR] = PASSPHRASE;
    expect(synth({ certType: CertificateType.AUTO_GENERATED_CA }).secret.stringData).toEqual(data);
  });

  test('an encrypted store without the passphrase is a clear error', () => {
    synth();
    delete process.env[PASS_VAR];
    const chart = Testing.chart();
    new CertificateBundle(chart, 'api', {
      serverName: 'api.example.com',
      certType: CertificateType.AUTO_GENERATED_SELFSIGNED,
      environment: Environment.DEVELOPMENT,
      store: { directory: storeDir, passphraseEnvVar: PASS_VAR, clock: clockAt(NOW) },
    });
    const message = synthError(chart);
    expect(message).toContain(`tls.key is encrypted but $${PASS_VAR} is not set; set it to the passphrase the store was written with`);
    expect(message).not.toContain('PRIVATE KEY');
  });

  test('keys bundles by construct path and Secret name', () => {
    const chart = Testing.chart();
    const opts = { serverName: 'api.example.com', certType: CertificateType.AUTO_GENERATED_SELFSIGNED, store: { directory: storeDir, passphraseEnvVar: PASS_VAR, clock: clockAt(NOW) } };
    const a = new CertificateBundle(chart, 'one', opts);
    const b = new CertificateBundle(chart, 'two', opts);
    const c = new CertificateBundle(chart, 'three', { ...opts, name: 'three-other' });
    synthManifests(chart);
    expect(new Set([a.certificatePem, b.certificatePem, c.certificatePem]).size).toBe(3);
    expect(fs.readdirSync(storeDir).map((f) => f.replace(/-[0-9a-f]{12}$/, '')).sort())
      .toEqual(['test-one-one-tls', 'test-three-three-other', 'test-two-two-tls']);
  });

  test('a corrupt bundle.json is reported, not silently replaced', () => {
    synth();
    fs.writeFileSync(path.join(storeFolder(), 'bundle.json'), '{ not json');
    const chart = Testing.chart();
    new CertificateBundle(chart, 'api', {
      serverName: 'api.example.com',
      certType: CertificateType.AUTO_GENERATED_SELFSIGNED,
      store: { directory: storeDir, passphraseEnvVar: PASS_VAR, clock: clockAt(NOW) },
    });
    expect(synthError(chart)).toContain('bundle.json is not valid JSON; delete the folder to regenerate');
  });
});
