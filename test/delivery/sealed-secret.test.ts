/**
 * SealedSecrets sealed at synth: every value opens with the test controller's key through Node's
 * own crypto (test/util/sealed-secrets.ts, independent of src/delivery) under the label of each
 * scope, a SealedSecret moved elsewhere does not open under the strict scope, and the ciphertext
 * stays byte for byte while value, certificate, name, namespace and scope stay.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import {
  CertificateBundle, CertificateType, Environment, SealingOptions, SealingScope, SecretConfiguration, SecretDeliveryMode,
} from '../../src';
import { tempDir } from '../helm/fixtures';
import { newCertPem, newKeyPem } from '../tls/certificate-fixtures';
import { findObject, objectsOfKind } from '../util/manifests';
import { CONTROLLER_CERT_FILE, controllerKey, unseal, unsealValue } from '../util/sealed-secrets';

const VALUES = { API_KEY: 'sk-test-not-a-real-key-123456789012', DB_PASSWORD: 'pässwörd with spaces', SHORT: 'abc-1234' };

let work: string;
let store: string;
beforeEach(() => {
  work = tempDir('sealed');
  store = path.join(work, 'sealed-store');
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

interface AppOptions {
  readonly scope?: SealingScope;
  readonly values?: Record<string, string>;
  readonly name?: string;
  readonly namespace?: string;
  readonly sealing?: SealingOptions;
}

function sealedApp(o: AppOptions = {}): any[] {
  const chart = new Chart(Testing.app(), 'shop', { namespace: o.namespace ?? 'shop' });
  new SecretConfiguration(chart, 'api-secrets', {
    name: o.name ?? 'api-secrets',
    secretData: o.values ?? VALUES,
    delivery: {
      mode: SecretDeliveryMode.SEALED,
      sealing: { certificateFile: CONTROLLER_CERT_FILE, scope: o.scope, storeDirectory: store, ...o.sealing },
    },
  });
  return Testing.synth(chart);
}

/** The object with its namespace or name changed: kubectl apply of an edited copy. */
function moved(obj: any, to: { name?: string; namespace?: string }): any {
  const copy = structuredClone(obj);
  if (to.name) copy.metadata.name = to.name;
  if (to.namespace) copy.metadata.namespace = to.namespace;
  return copy;
}

describe.each([
  [SealingScope.STRICT, undefined],
  [SealingScope.NAMESPACE_WIDE, { 'sealedsecrets.bitnami.com/namespace-wide': 'true' }],
  [SealingScope.CLUSTER_WIDE, { 'sealedsecrets.bitnami.com/cluster-wide': 'true' }],
])('scope %s', (scope, annotations) => {
  test('every value opens with the controller key under the scope\'s label; no plain Secret, no value in the output', () => {
    const objects = sealedApp({ scope });
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
    const sealed = findObject(objects, 'SealedSecret', 'api-secrets');
    expect(sealed.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(sealed.metadata.namespace).toBe('shop');
    expect(sealed.metadata.annotations).toEqual(annotations);
    expect(sealed.spec.template.metadata.annotations).toEqual(annotations);
    expect(sealed.spec.template.type).toBe('Opaque');
    expect(sealed.spec.template.metadata.labels).toEqual(sealed.metadata.labels);
    expect(Object.keys(sealed.spec.encryptedData).sort()).toEqual(Object.keys(VALUES).sort());
    expect(unseal(sealed)).toEqual(VALUES);
    const text = JSON.stringify(objects);
    for (const v of Object.values(VALUES)) expect(text).not.toContain(v);
  });

  test('moved to another name or namespace, it opens only where the scope allows', () => {
    const sealed = findObject(sealedApp({ scope }), 'SealedSecret', 'api-secrets');
    const renamed = () => unseal(moved(sealed, { name: 'other-secrets' }));
    const otherNamespace = () => unseal(moved(sealed, { namespace: 'elsewhere' }));
    if (scope === SealingScope.STRICT) {
      expect(renamed).toThrow();
      expect(otherNamespace).toThrow();
    } else if (scope === SealingScope.NAMESPACE_WIDE) {
      expect(renamed()).toEqual(VALUES);
      expect(otherNamespace).toThrow();
    } else {
      expect(renamed()).toEqual(VALUES);
      expect(otherNamespace()).toEqual(VALUES);
    }
  });
});

test('a value sealed for another label does not open, and a tampered value fails its GCM tag', () => {
  const sealed = findObject(sealedApp(), 'SealedSecret', 'api-secrets');
  const value = sealed.spec.encryptedData.API_KEY;
  expect(unsealValue(value, controllerKey(), 'shop/api-secrets')).toBe(VALUES.API_KEY);
  expect(() => unsealValue(value, controllerKey(), 'shop')).toThrow();
  const bytes = Buffer.from(value, 'base64');
  bytes[bytes.length - 20] = (bytes[bytes.length - 20] + 1) % 256;
  expect(() => unsealValue(bytes.toString('base64'), controllerKey(), 'shop/api-secrets')).toThrow();
  // The wire format: uint16 length, an RSA-4096 block, then the value and the 16-byte tag.
  const raw = Buffer.from(value, 'base64');
  expect(raw.readUInt16BE(0)).toBe(512);
  expect(raw.length).toBe(2 + 512 + Buffer.byteLength(VALUES.API_KEY) + 16);
});

test('a CertificateBundle seals its key pair and CA; the CA stays public in its ConfigMap', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const bundle = new CertificateBundle(chart, 'shop', {
    serverName: 'shop.example.com',
    certType: CertificateType.AUTO_GENERATED_CA,
    environment: Environment.DEVELOPMENT,
    store: { directory: path.join(work, 'certs') },
    delivery: { mode: SecretDeliveryMode.SEALED, sealing: { certificateFile: CONTROLLER_CERT_FILE, storeDirectory: store } },
  });
  const objects = Testing.synth(chart);
  expect(bundle.deliveryMode).toBe(SecretDeliveryMode.SEALED);
  expect(bundle.secret).toBeUndefined();
  expect(objectsOfKind(objects, 'Secret')).toEqual([]);
  const sealed = findObject(objects, 'SealedSecret', 'shop-tls');
  expect(sealed.spec.template.type).toBe('kubernetes.io/tls');
  const opened = unseal(sealed);
  expect(Object.keys(opened).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
  expect(opened['tls.crt']).toBe(bundle.certificatePem);
  expect(opened['ca.crt']).toBe(findObject(objects, 'ConfigMap', 'shop-tls-ca').data['ca.crt']);
  // The opened key is the certificate's.
  const publicOfKey = crypto.createPublicKey(opened['tls.key']).export({ type: 'spki', format: 'der' });
  const publicOfCert = new crypto.X509Certificate(opened['tls.crt']).publicKey.export({ type: 'spki', format: 'der' });
  expect(publicOfKey.equals(publicOfCert)).toBe(true);
  expect(JSON.stringify(objects)).not.toContain('PRIVATE KEY');
});

describe('stable output', () => {
  test('two synths in a row give byte-identical SealedSecrets', () => {
    const first = JSON.stringify(sealedApp());
    const second = JSON.stringify(sealedApp());
    expect(second).toBe(first);
  });

  test('changing one value changes only that key\'s ciphertext', () => {
    const before = findObject(sealedApp(), 'SealedSecret', 'api-secrets').spec.encryptedData;
    const after = findObject(sealedApp({ values: { ...VALUES, DB_PASSWORD: 'another password' } }), 'SealedSecret', 'api-secrets').spec.encryptedData;
    expect(after.API_KEY).toBe(before.API_KEY);
    expect(after.SHORT).toBe(before.SHORT);
    expect(after.DB_PASSWORD).not.toBe(before.DB_PASSWORD);
    // Back to the first value: sealed anew (the store keeps the last ciphertext only), and it opens.
    const again = findObject(sealedApp(), 'SealedSecret', 'api-secrets');
    expect(unseal(again)).toEqual(VALUES);
  });

  test.each([
    ['the scope', { scope: SealingScope.NAMESPACE_WIDE }],
    ['the namespace', { namespace: 'shop-eu' }],
    ['the name', { name: 'api-secrets-v2' }],
  ])('changing %s seals every value anew', (_what, change) => {
    const before = findObject(sealedApp(), 'SealedSecret', 'api-secrets').spec.encryptedData;
    const objects = sealedApp(change);
    const after = objectsOfKind(objects, 'SealedSecret')[0];
    for (const key of Object.keys(VALUES)) expect(after.spec.encryptedData[key]).not.toBe(before[key]);
    expect(unseal(after)).toEqual(VALUES);
  });

  test('another controller certificate seals every value anew (to that certificate)', () => {
    const before = findObject(sealedApp(), 'SealedSecret', 'api-secrets').spec.encryptedData;
    const key = newKeyPem(2048);
    const cert = newCertPem({ keyPem: key, commonName: 'sealed-secret', notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 3650 * 86_400_000) });
    const after = findObject(sealedApp({ sealing: { certificateFile: undefined, certificate: cert } }), 'SealedSecret', 'api-secrets');
    for (const k of Object.keys(VALUES)) expect(after.spec.encryptedData[k]).not.toBe(before[k]);
    expect(unseal(after, key)).toEqual(VALUES);
    expect(() => unseal(after)).toThrow();
  });
});

describe('the sealing store', () => {
  function storeFiles(): Map<string, string> {
    return new Map(fs.readdirSync(store).map((f) => [f, fs.readFileSync(path.join(store, f), 'utf8')]));
  }

  test('keeps keyed digests and ciphertext, never a value or a plain hash of one; its key file is mode 0600', () => {
    const saved = process.env.DEPLOYKIT_CERT_PASSPHRASE;
    delete process.env.DEPLOYKIT_CERT_PASSPHRASE;
    try {
      sealedApp();
    } finally {
      if (saved !== undefined) process.env.DEPLOYKIT_CERT_PASSPHRASE = saved;
    }
    const files = storeFiles();
    const names = [...files.keys()];
    expect(names).toHaveLength(2);
    expect(names).toContain('digest.key');
    expect(names.find((f) => f !== 'digest.key')).toMatch(/^shop-api-secrets-shop-api-secrets-[0-9a-f]{12}\.json$/);
    expect((fs.statSync(path.join(store, 'digest.key')).mode % 0o1000).toString(8)).toBe('600');
    const record = [...files.entries()].find(([f]) => f.endsWith('.json'))![1];
    for (const v of Object.values(VALUES)) {
      expect(record).not.toContain(v);
      expect(record).not.toContain(Buffer.from(v).toString('base64'));
      expect(record).not.toContain(crypto.createHash('sha256').update(v).digest('hex'));
    }
    expect(Object.keys(JSON.parse(record).keys).sort()).toEqual(Object.keys(VALUES).sort());
  });

  test('with the store passphrase set, the digests are keyed by it and no key file is written', () => {
    const env = 'SEALING_TEST_PASSPHRASE';
    process.env[env] = 'a passphrase for this test';
    try {
      const first = findObject(sealedApp({ sealing: { passphraseEnvVar: env } }), 'SealedSecret', 'api-secrets');
      expect(fs.existsSync(path.join(store, 'digest.key'))).toBe(false);
      expect(findObject(sealedApp({ sealing: { passphraseEnvVar: env } }), 'SealedSecret', 'api-secrets')).toEqual(first);
      // Another passphrase: the digests no longer match, so the values are sealed anew.
      process.env[env] = 'another passphrase';
      const other = findObject(sealedApp({ sealing: { passphraseEnvVar: env } }), 'SealedSecret', 'api-secrets');
      expect(other.spec.encryptedData.API_KEY).not.toBe(first.spec.encryptedData.API_KEY);
    } finally {
      delete process.env[env];
    }
  });

  test('a damaged record only costs new ciphertext', () => {
    const first = findObject(sealedApp(), 'SealedSecret', 'api-secrets');
    const record = [...storeFiles().keys()].find((f) => f.endsWith('.json'))!;
    fs.writeFileSync(path.join(store, record), '{ not json');
    const second = findObject(sealedApp(), 'SealedSecret', 'api-secrets');
    expect(second.spec.encryptedData.API_KEY).not.toBe(first.spec.encryptedData.API_KEY);
    expect(unseal(second)).toEqual(VALUES);
  });

  test('an unusable store folder is a finding on the Secret, not a crash', () => {
    const file = path.join(work, 'a-file');
    fs.writeFileSync(file, '');
    expect(() => sealedApp({ sealing: { storeDirectory: path.join(file, 'sealed') } }))
      .toThrow(/\[shop\/api-secrets\] delivery\.sealing\.storeDirectory: got ".*a-file\/sealed"; expected a usable sealing store \(cannot create .*digest\.key: (ENOTDIR|EEXIST)\)/);
  });
});

test('snapshot: the SealedSecret of a Secret (ciphertext masked)', () => {
  const objects = sealedApp({ scope: SealingScope.NAMESPACE_WIDE });
  const sealed = structuredClone(findObject(objects, 'SealedSecret', 'api-secrets'));
  for (const k of Object.keys(sealed.spec.encryptedData)) sealed.spec.encryptedData[k] = '<sealed>';
  expect(sealed).toMatchSnapshot();
});

test('a plain App synth writes the SealedSecret to its file', () => {
  const app = new App({ outdir: path.join(work, 'dist') });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new SecretConfiguration(chart, 'api-secrets', {
    name: 'api-secrets',
    secretData: VALUES,
    delivery: { mode: SecretDeliveryMode.SEALED, sealing: { certificateFile: CONTROLLER_CERT_FILE, storeDirectory: store } },
  });
  app.synth();
  const text = fs.readFileSync(path.join(work, 'dist', 'shop.k8s.yaml'), 'utf8');
  expect(text).toContain('kind: SealedSecret');
  for (const v of Object.values(VALUES)) expect(text).not.toContain(v);
});
