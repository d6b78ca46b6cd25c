import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as forge from 'node-forge';
import {
  clockAt, daysAfter, expectNoKeyMaterial, newCertPem, newKeyPem, NOW, parseCert, sansOf, synthError,
} from './certificate-fixtures';
import { Environment } from '../../src/core/environment';
import { warningsOf } from '../../src/core/warnings';
import { CertificateBundle } from '../../src/tls/certificate-bundle';
import { CertificateBundleProps } from '../../src/tls/certificate-bundle-props';
import { CertificateProvider, CertificateType } from '../../src/tls/certificate-types';
import { findObject, synthManifests } from '../util/manifests';
import { maskPem } from '../util/pem';

const PASS_VAR = 'CERT_BUNDLE_TEST_PASSPHRASE';
let storeDir: string;

beforeEach(() => {
  storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-certs-'));
  process.env[PASS_VAR] = 'correct horse battery staple';
});
afterEach(() => {
  fs.rmSync(storeDir, { recursive: true, force: true });
  delete process.env[PASS_VAR];
});

type Props = Partial<CertificateBundleProps>;

function bundle(props: Props = {}, id = 'api'): { chart: Chart; b: CertificateBundle } {
  const chart = Testing.chart();
  const b = new CertificateBundle(chart, id, {
    serverName: 'api.example.com',
    certType: CertificateType.AUTO_GENERATED_SELFSIGNED,
    ...props,
    store: { directory: storeDir, passphraseEnvVar: PASS_VAR, clock: clockAt(NOW), ...props.store },
  });
  return { chart, b };
}

function tls(objects: any[], name = 'api-tls'): Record<string, string> {
  return findObject(objects, 'Secret', name).stringData;
}

describe('CertificateBundle: auto-generated-selfsigned', () => {
  const sans = ['api.example.com', 'api.internal', '10.0.0.7'];
  let objects: any[];
  let cert: forge.pki.Certificate;
  let b: CertificateBundle;
  let dir: string;

  beforeAll(() => {
    dir = storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-certs-'));
    process.env[PASS_VAR] = 'pass';
    const made = bundle({ serverName: 'api.example.com', sanNames: sans });
    b = made.b;
    objects = synthManifests(made.chart);
    cert = parseCert(tls(objects)['tls.crt']);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('emits a kubernetes.io/tls Secret with tls.crt and tls.key only (snapshot, PEM masked)', () => {
    const secret = findObject(objects, 'Secret', 'api-tls');
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(Object.keys(secret.stringData).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(objects.map((o) => o.kind)).toEqual(['Secret']);
    const masked = maskPem(objects);
    expect(JSON.stringify(masked)).not.toMatch(/MII[A-Za-z0-9+/]{8}/);
    expect(masked).toMatchSnapshot();
  });

  test('subject CN is the server name, SANs are DNS and IP entries, issuer is the subject', () => {
    expect(cert.subject.getField('CN').value).toBe('api.example.com');
    expect(sansOf(cert)).toEqual(sans);
    const altNames = (cert.getExtension('subjectAltName') as any).altNames;
    expect(altNames.map((a: any) => a.type)).toEqual([2, 2, 7]);
    expect(cert.issuer.hash).toBe(cert.subject.hash);
    expect(cert.verify(cert)).toBe(true);
  });

  test('validity runs from the clock for validityDays (365)', () => {
    expect(cert.validity.notBefore.toISOString()).toBe(NOW.toISOString());
    expect(cert.validity.notAfter.toISOString()).toBe(daysAfter(NOW, 365).toISOString());
  });

  test('is a server certificate: CA:false, digitalSignature+keyEncipherment, serverAuth, positive random serial', () => {
    expect(cert.getExtension('basicConstraints')).toMatchObject({ cA: false, critical: true });
    expect(cert.getExtension('keyUsage')).toMatchObject({ digitalSignature: true, keyEncipherment: true, keyCertSign: false, cRLSign: false });
    expect(cert.getExtension('extKeyUsage')).toMatchObject({ serverAuth: true });
    expect(cert.serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(cert.serialNumber).not.toMatch(/^00/);
  });

  test('tls.key is the RSA 2048 key of tls.crt', () => {
    const key = forge.pki.privateKeyFromPem(tls(objects)['tls.key']) as forge.pki.rsa.PrivateKey;
    const pub = cert.publicKey as forge.pki.rsa.PublicKey;
    expect(key.n.equals(pub.n)).toBe(true);
    expect(pub.n.bitLength()).toBe(2048);
  });

  test('certificatePem is the public certificate only; volume() mounts the Secret read-only', () => {
    expect(b.certificatePem).toBe(tls(objects)['tls.crt']);
    expect(b.certificatePem).not.toContain('PRIVATE KEY');
    expect(b.caCertificatePem).toBeUndefined();
    expect(b.caConfigMapName).toBeUndefined();
    expect(b.volume('/etc/tls')).toEqual({ name: 'api-tls', mountPath: '/etc/tls', readOnly: true, secretName: 'api-tls' });
  });
});

describe('CertificateBundle: auto-generated-ca', () => {
  test('a root CA (CA:true, keyCertSign, cRLSign) signs the leaf; the CA is ca.crt and ConfigMap <name>-ca', () => {
    const { chart, b } = bundle({ certType: CertificateType.AUTO_GENERATED_CA, name: 'web-tls', namespace: 'shop', sanNames: ['api.example.com', '::1'] });
    const objects = synthManifests(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Secret/web-tls', 'ConfigMap/web-tls-ca']);
    const data = tls(objects, 'web-tls');
    expect(Object.keys(data).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    const ca = parseCert(data['ca.crt']);
    const leaf = parseCert(data['tls.crt']);

    expect(ca.getExtension('basicConstraints')).toMatchObject({ cA: true, critical: true });
    expect(ca.getExtension('keyUsage')).toMatchObject({ keyCertSign: true, cRLSign: true });
    expect(ca.verify(ca)).toBe(true);
    expect(leaf.issuer.hash).toBe(ca.subject.hash);
    expect(leaf.subject.getField('CN').value).toBe('api.example.com');
    expect(sansOf(leaf)).toEqual(['api.example.com', '::1']);
    expect(leaf.getExtension('basicConstraints')).toMatchObject({ cA: false });
    expect(leaf.getExtension('extKeyUsage')).toMatchObject({ serverAuth: true });
    // The chain verifies (forge, at a date inside the validity) and so does OpenSSL via Node.
    const caStore = forge.pki.createCaStore([ca]);
    expect(forge.pki.verifyCertificateChain(caStore, [leaf], { validityCheckDate: daysAfter(NOW, 1) })).toBe(true);
    expect(new crypto.X509Certificate(data['tls.crt']).verify(new crypto.X509Certificate(data['ca.crt']).publicKey)).toBe(true);
    expect(new crypto.X509Certificate(data['tls.crt']).checkPrivateKey(crypto.createPrivateKey(data['tls.key']))).toBe(true);
    // A leaf from another CA does not verify against this one.
    const otherKey = newKeyPem();
    const otherCa = newCertPem({ keyPem: otherKey, commonName: 'other CA', isCa: true });
    expect(new crypto.X509Certificate(data['tls.crt']).verify(new crypto.X509Certificate(otherCa).publicKey)).toBe(false);

    const cm = findObject(objects, 'ConfigMap', 'web-tls-ca');
    expect(cm.metadata.namespace).toBe('shop');
    expect(cm.data).toEqual({ 'ca.crt': data['ca.crt'] });
    expect(JSON.stringify(cm)).not.toContain('PRIVATE KEY');
    expect(b.caConfigMapName).toBe('web-tls-ca');
    expect(b.caCertificatePem).toBe(data['ca.crt']);
    expect(maskPem(objects)).toMatchSnapshot();
  });

  test('keySize 3072 gives 3072-bit keys for the leaf and the CA', () => {
    const { chart } = bundle({ certType: CertificateType.AUTO_GENERATED_CA, keySize: 3072, validityDays: 90 });
    const data = tls(synthManifests(chart));
    expect((parseCert(data['tls.crt']).publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(3072);
    expect((parseCert(data['ca.crt']).publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(3072);
    expect(parseCert(data['tls.crt']).validity.notAfter.toISOString()).toBe(daysAfter(NOW, 90).toISOString());
  });
});

describe('CertificateBundle: prop rules', () => {
  test('rejects SANs that leave out the server name, bad SAN entries, key sizes and validity', () => {
    const { chart } = bundle({ sanNames: ['www.example.com', 'not a name'], keySize: 1024, validityDays: 0 });
    const message = synthError(chart);
    expect(message).toContain('[test/api] sanNames: got ["www.example.com","not a name"]; expected a list of names that includes the server name "api.example.com"');
    expect(message).toContain('sanNames[1]: got "not a name"; expected a DNS host name');
    expect(message).toContain('keySize: got 1024; expected an RSA key size of 2048, 3072 or 4096 bits');
    expect(message).toContain('validityDays: got 0; expected a whole number of days from 1 to 3650');
    expect(fs.readdirSync(storeDir)).toEqual([]);
  });

  test('rejects a non-host server name and a bad Secret name', () => {
    const { chart } = bundle({ serverName: 'API_server', name: 'Bad_Name' });
    const message = synthError(chart);
    expect(message).toContain('serverName: got "API_server"; expected a DNS host name');
    expect(message).toContain('name: got "Bad_Name"; expected a DNS-1123 subdomain');
  });

  test('rejects supplied material on a generated type', () => {
    const key = newKeyPem();
    const { chart } = bundle({ serverKey: key, serverCert: newCertPem({ keyPem: key, commonName: 'api.example.com' }) });
    const message = synthError(chart);
    expect(message).toContain('serverCert: got "(a certificate)"; expected nothing: certType auto-generated-selfsigned generates the certificate');
    expect(message).toContain('serverKey: got <redacted>; expected nothing');
    expectNoKeyMaterial(message, [key]);
  });

  test('accepts the defaults: sanNames = [serverName], name = <id>-tls', () => {
    const { chart, b } = bundle({}, 'Admin');
    const data = tls(synthManifests(chart), 'admin-tls');
    expect(sansOf(parseCert(data['tls.crt']))).toEqual(['api.example.com']);
    expect(b.sanNames).toEqual(['api.example.com']);
  });
});

describe('CertificateBundle: custom', () => {
  const key = newKeyPem();
  const caKey = newKeyPem();
  const caPem = newCertPem({ keyPem: caKey, commonName: 'Example Root CA', isCa: true, notAfter: daysAfter(NOW, 3000) });
  const certPem = newCertPem({ keyPem: key, commonName: 'api.example.com', sans: ['api.example.com', '10.1.2.3'], issuer: { certPem: caPem, keyPem: caKey } });
  const custom = (over: Props = {}) =>
    bundle({ certType: CertificateType.CUSTOM, serverCert: certPem, serverKey: key, rootCa: caPem, ...over });

  test('passes valid material through: tls.crt, tls.key, ca.crt and the CA ConfigMap', () => {
    const { chart, b } = custom();
    const objects = synthManifests(chart);
    const data = tls(objects);
    expect(parseCert(data['tls.crt']).serialNumber).toBe(parseCert(certPem).serialNumber);
    expect(crypto.createPrivateKey(data['tls.key']).export({ format: 'der', type: 'pkcs8' }))
      .toEqual(crypto.createPrivateKey(key).export({ format: 'der', type: 'pkcs8' }));
    expect(data['ca.crt']).toBe(caPem.replace(/\r\n/g, '\n').trim() + '\n');
    expect(findObject(objects, 'ConfigMap', 'api-tls-ca').data['ca.crt']).toBe(data['ca.crt']);
    expect(warningsOf(b)).toEqual([]);
    expect(fs.readdirSync(storeDir)).toEqual([]);
  });

  test('rejects a key that does not belong to the certificate, without printing either key', () => {
    const otherKey = newKeyPem();
    const message = synthError(custom({ serverKey: otherKey }).chart);
    expect(message).toContain('serverKey: got <redacted>; expected the private key that belongs to serverCert (the key and the certificate are not a pair)');
    expectNoKeyMaterial(message, [otherKey, key]);
  });

  test('rejects an expired certificate and warns within 30 days of expiry', () => {
    const expired = newCertPem({ keyPem: key, commonName: 'api.example.com', sans: ['api.example.com'], notBefore: daysAfter(NOW, -400), notAfter: daysAfter(NOW, -1) });
    const message = synthError(custom({ serverCert: expired, rootCa: undefined }).chart);
    expect(message).toContain(`serverCert: got "certificate CN=api.example.com, SANs [api.example.com], valid until ${daysAfter(NOW, -1).toISOString()}"; expected a certificate that has not expired`);
    expectNoKeyMaterial(message, [key]);

    const soon = newCertPem({ keyPem: key, commonName: 'api.example.com', sans: ['api.example.com'], notAfter: daysAfter(NOW, 20) });
    const { chart, b } = custom({ serverCert: soon, rootCa: undefined });
    synthManifests(chart);
    expect(warningsOf(b)).toEqual([`serverCert expires in 20 days (${daysAfter(NOW, 20).toISOString()}); renew it`]);
  });

  test('rejects a certificate whose SANs do not include the server name', () => {
    const other = newCertPem({ keyPem: key, commonName: 'www.example.com', sans: ['www.example.com'] });
    const message = synthError(custom({ serverCert: other, rootCa: undefined }).chart);
    expect(message).toContain('serverCert: got ["www.example.com"]; expected a list of names that includes the server name "api.example.com"');
    // A wildcard SAN covers the server name.
    const wildcard = newCertPem({ keyPem: key, commonName: '*.example.com', sans: ['*.example.com'] });
    expect(() => synthManifests(custom({ serverCert: wildcard, rootCa: undefined }).chart)).not.toThrow();
  });

  test('rejects text that is not PEM, and a key pasted into a certificate field without echoing it', () => {
    const message = synthError(custom({ serverCert: 'hello', serverKey: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', rootCa: key }).chart);
    expect(message).toContain('serverCert: got "text of 5 characters without a PEM certificate block"; expected a PEM certificate');
    expect(message).toContain('serverKey: got <redacted>; expected one PEM private key');
    expect(message).toContain('rootCa: got <redacted>; expected a PEM certificate, not a private key');
    expect(message).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expectNoKeyMaterial(message, [key]);
  });

  test('rejects a root CA that did not sign the certificate', () => {
    const otherCaKey = newKeyPem();
    const otherCa = newCertPem({ keyPem: otherCaKey, commonName: 'Other Root CA', isCa: true });
    const message = synthError(custom({ rootCa: otherCa }).chart);
    expect(message).toContain('rootCa: got "certificate CN=Other Root CA');
    expect(message).toContain('expected the CA that issued and signed serverCert (the chain does not verify)');
  });

  test('requires certificate and key, and rejects cert-manager for custom material', () => {
    const message = synthError(bundle({ certType: CertificateType.CUSTOM, provider: CertificateProvider.CERT_MANAGER }).chart);
    expect(message).toContain('serverCert: got nothing; expected the server certificate (PEM) for a custom bundle');
    expect(message).toContain('serverKey: got <redacted>; expected the private key (PEM) of serverCert for a custom bundle');
    expect(message).toContain('provider: got "cert-manager"; expected CertificateProvider.GENERATED_AT_SYNTH for a custom bundle');
  });

  test('decrypts an encrypted custom key with the store passphrase; a wrong one is a clear error', () => {
    const encrypted = crypto.createPrivateKey(key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse battery staple' }).toString();
    const data = tls(synthManifests(custom({ serverKey: encrypted }).chart));
    expect(data['tls.key']).toContain('-----BEGIN PRIVATE KEY-----');
    expect(crypto.createPrivateKey(data['tls.key']).export({ format: 'der', type: 'pkcs8' }))
      .toEqual(crypto.createPrivateKey(key).export({ format: 'der', type: 'pkcs8' }));

    process.env[PASS_VAR] = 'wrong';
    const message = synthError(custom({ serverKey: encrypted }).chart);
    expect(message).toContain(`serverKey: got <redacted>; expected an encrypted key that $${PASS_VAR} decrypts (the passphrase does not decrypt the key)`);
    expectNoKeyMaterial(message, [key, encrypted]);
  });
});

describe('CertificateBundle: passphrase policy', () => {
  test('production without a passphrase refuses to generate', () => {
    delete process.env[PASS_VAR];
    const message = synthError(bundle({ environment: Environment.PRODUCTION }).chart);
    expect(message).toContain(`store.passphraseEnvVar: got "$${PASS_VAR} unset"; expected a passphrase in $${PASS_VAR}: production keeps generated private keys only encrypted`);
    expect(fs.readdirSync(storeDir)).toEqual([]);
  });

  test('production with a passphrase generates, and cert-manager needs none', () => {
    expect(() => synthManifests(bundle({ environment: Environment.PRODUCTION }).chart)).not.toThrow();
    delete process.env[PASS_VAR];
    expect(() => Testing.synth(bundle({ environment: Environment.PRODUCTION, provider: CertificateProvider.CERT_MANAGER }).chart)).not.toThrow();
  });

  test('production is the default: without a passphrase it refuses', () => {
    delete process.env[PASS_VAR];
    expect(synthError(bundle().chart)).toMatch(/store.passphraseEnvVar: got .*unset.*; expected a passphrase in \$CERT_BUNDLE_TEST_PASSPHRASE: production keeps generated private keys only encrypted/);
  });

  test('development without a passphrase stores the key unencrypted with mode 0600 and warns once', () => {
    delete process.env[PASS_VAR];
    const { chart, b } = bundle({ environment: Environment.DEVELOPMENT });
    const data = tls(synthManifests(chart));
    expect(warningsOf(b)).toEqual([`$${PASS_VAR} is not set: generated private keys are stored unencrypted (file mode 0600) in ${storeDir}`]);
    const [folder] = fs.readdirSync(storeDir);
    const keyFile = path.join(storeDir, folder, 'tls.key');
    expect((fs.statSync(keyFile).mode % 0o1000).toString(8)).toBe('600');
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(data['tls.key']);
  });
});

describe('CertificateBundle.prepareAll', () => {
  test('generates the keys of all bundles ahead, concurrently, so synth generates none', async () => {
    const chart = Testing.chart();
    const bundles = ['a', 'b', 'c', 'd'].map((id) => new CertificateBundle(chart, id, {
      serverName: `${id}.example.com`,
      certType: id === 'd' ? CertificateType.AUTO_GENERATED_CA : CertificateType.AUTO_GENERATED_SELFSIGNED,
      store: { directory: storeDir, passphraseEnvVar: PASS_VAR, clock: clockAt(NOW) },
    }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeCrypto = require('crypto');
    const asyncSpy = jest.spyOn(nodeCrypto, 'generateKeyPair');
    const syncSpy = jest.spyOn(nodeCrypto, 'generateKeyPairSync');
    try {
      await CertificateBundle.prepareAll(chart);
      const objects = synthManifests(chart);
      expect(asyncSpy).toHaveBeenCalledTimes(5);
      expect(syncSpy).not.toHaveBeenCalled();
      for (const b of bundles) expect(tls(objects, b.secretName)['tls.crt']).toBe(b.certificatePem);
      expect(fs.readdirSync(storeDir)).toHaveLength(4);
    } finally {
      asyncSpy.mockRestore();
      syncSpy.mockRestore();
    }
  });
});
