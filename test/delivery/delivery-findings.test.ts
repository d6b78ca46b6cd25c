/**
 * Bad delivery input: each problem a finding with the construct path and the field, all at once,
 * and never a value (sealed or not) or a private key in the message.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  CertificateBundle, CertificateProvider, CertificateType, Environment, SealingScope, SecretConfiguration, SecretDelivery,
  SecretDeliveryMode, Warnings,
} from '../../src';
import { tempDir } from '../helm/fixtures';
import { DAY, newCertPem, newKeyPem } from '../tls/certificate-fixtures';
import { synthError } from '../util/manifests';
import { CONTROLLER_CERT_FILE, CONTROLLER_KEY_FILE } from '../util/sealed-secrets';

const SECRET = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';
const EC_CERT_FILE = path.join(__dirname, '..', 'fixtures', 'sealing', 'ec-certificate.crt');

let work: string;
beforeAll(() => { work = tempDir('delivery-findings'); });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A chart in namespace "shop", or (null) without a namespace. */
function chartWith(namespace: string | null = 'shop'): Chart {
  return new Chart(Testing.app(), 'shop', { namespace: namespace ?? undefined });
}

function sealedSecret(chart: Chart, sealing: Record<string, unknown>, extra: Record<string, unknown> = {}): SecretConfiguration {
  return new SecretConfiguration(chart, 'api-secrets', {
    name: 'api-secrets',
    secretData: { API_KEY: SECRET },
    delivery: { mode: SecretDeliveryMode.SEALED, sealing: { storeDirectory: path.join(work, 'store'), ...sealing } },
    ...extra,
  });
}

/** The synth error, checked to carry no value: neither the secret nor any private key. */
function errorOf(chart: Chart): string {
  const message = synthError(chart);
  expect(message).not.toContain(SECRET);
  expect(message).not.toMatch(/PRIVATE KEY|-----BEGIN CERTIFICATE-----\n/);
  return message;
}

describe('the controller certificate', () => {
  test('malformed PEM', () => {
    const chart = chartWith();
    sealedSecret(chart, { certificate: '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n' });
    expect(errorOf(chart)).toMatch(/\[shop\/api-secrets\] delivery\.sealing\.certificate: got "\(a certificate\)"; expected a PEM certificate \(-----BEGIN CERTIFICATE----- \.\.\. -----END CERTIFICATE-----\), as kubeseal --fetch-cert > controller\.crt writes it/);
  });

  test('a public key where a certificate belongs is malformed too', () => {
    const chart = chartWith();
    const publicKey = crypto.createPublicKey(newKeyPem(2048)).export({ type: 'spki', format: 'pem' }).toString();
    sealedSecret(chart, { certificate: publicKey });
    expect(errorOf(chart)).toMatch(/delivery\.sealing\.certificate: got "\(a certificate\)"; expected a PEM certificate/);
  });

  test('not an RSA public key certificate (an EC one)', () => {
    const chart = chartWith();
    sealedSecret(chart, { certificateFile: EC_CERT_FILE });
    expect(errorOf(chart)).toMatch(/\[shop\/api-secrets\] delivery\.sealing\.certificateFile: got ".*ec-certificate\.crt"; expected a certificate of an RSA public key, as the sealed-secrets controller's is \(this one holds a key of type ec\)/);
  });

  test('expired', () => {
    const chart = chartWith();
    const keyPem = newKeyPem(2048);
    const expired = newCertPem({ keyPem, commonName: 'sealed-secret', notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 35 * DAY) });
    sealedSecret(chart, { certificate: expired });
    expect(errorOf(chart)).toMatch(/delivery\.sealing\.certificate: got "\(a certificate\)"; expected a certificate valid now \(this one expired on \d{4}-\d\d-\d\d\); fetch the controller's current one: kubeseal --fetch-cert/);
  });

  test('a private key given as the certificate is refused without showing it', () => {
    const chart = chartWith();
    sealedSecret(chart, { certificate: fs.readFileSync(CONTROLLER_KEY_FILE, 'utf8') });
    expect(errorOf(chart)).toMatch(/delivery\.sealing\.certificate: got <redacted>; expected the controller's certificate only: this holds a private key/);
  });

  test('a missing file, both sources, and none at all', () => {
    const missing = chartWith();
    sealedSecret(missing, { certificateFile: path.join(work, 'no-such.crt') });
    expect(errorOf(missing)).toMatch(/delivery\.sealing\.certificateFile: got ".*no-such\.crt"; expected a readable file holding the sealed-secrets controller's certificate/);
    const both = chartWith();
    sealedSecret(both, { certificateFile: CONTROLLER_CERT_FILE, certificate: fs.readFileSync(CONTROLLER_CERT_FILE, 'utf8') });
    expect(errorOf(both)).toMatch(/delivery\.sealing\.certificateFile: got ".*controller\.crt"; expected nothing when certificate is given/);
    const none = chartWith();
    sealedSecret(none, {});
    expect(errorOf(none)).toMatch(/\[shop\/api-secrets\] delivery\.sealing\.certificate: got nothing; expected the sealed-secrets controller's certificate, here or in a SecretDelivery/);
  });

  test('a bad certificate in a SecretDelivery is reported once, on the default, not on each Secret', () => {
    const chart = chartWith();
    new SecretDelivery(chart, 'delivery', { mode: SecretDeliveryMode.SEALED, sealing: { certificateFile: EC_CERT_FILE } });
    sealedSecret(chart, {});
    new SecretConfiguration(chart, 'more', { name: 'more', secretData: { TOKEN: SECRET } });
    const message = errorOf(chart);
    expect(message.match(/RSA public key/g)).toHaveLength(1);
    expect(message).toMatch(/\[shop\/delivery\] sealing\.certificateFile: got ".*ec-certificate\.crt"; expected a certificate of an RSA public key/);
  });
});

describe('the namespace of a sealed Secret', () => {
  test.each([SealingScope.STRICT, SealingScope.NAMESPACE_WIDE])('%s scope needs one (the Secret\'s or the chart\'s)', (scope) => {
    const chart = chartWith(null);
    sealedSecret(chart, { certificateFile: CONTROLLER_CERT_FILE, scope });
    expect(errorOf(chart)).toContain(`[shop/api-secrets] namespace: got nothing; expected a namespace (the Secret's or the chart's): a SealedSecret of scope ${scope} decrypts only in the namespace it was sealed for`);
  });

  test('cluster-wide needs none; the Secret\'s own namespace serves when the chart has none', () => {
    const clusterWide = chartWith(null);
    sealedSecret(clusterWide, { certificateFile: CONTROLLER_CERT_FILE, scope: SealingScope.CLUSTER_WIDE });
    expect(Testing.synth(clusterWide)[0].metadata.namespace).toBeUndefined();
    const own = chartWith(null);
    sealedSecret(own, { certificateFile: CONTROLLER_CERT_FILE }, { namespace: 'shop' });
    expect(Testing.synth(own)[0].metadata.namespace).toBe('shop');
  });
});

describe('external Secrets', () => {
  test('without a store, on the entity or in the default', () => {
    const chart = chartWith();
    new SecretConfiguration(chart, 'api-secrets', { name: 'api-secrets', requiredKeys: ['API_KEY'], delivery: { mode: SecretDeliveryMode.EXTERNAL } });
    expect(errorOf(chart)).toContain('[shop/api-secrets] delivery.external.storeName: got nothing; expected the name of the SecretStore or ClusterSecretStore the ExternalSecret reads, here or in a SecretDelivery');
    const byDefault = chartWith();
    new SecretDelivery(byDefault, 'delivery', { mode: SecretDeliveryMode.EXTERNAL });
    new SecretConfiguration(byDefault, 'api-secrets', { name: 'api-secrets', requiredKeys: ['API_KEY'] });
    const message = errorOf(byDefault);
    expect(message).toContain('[shop/delivery] external.storeName: got nothing; expected the name of the SecretStore or ClusterSecretStore the ExternalSecrets read, for SecretDeliveryMode.EXTERNAL');
    expect(message).not.toContain('[shop/api-secrets]');
  });

  test('values, no keys, bad names, durations and key mappings: all reported together', () => {
    const chart = chartWith();
    new SecretConfiguration(chart, 'values', {
      name: 'values',
      secretData: { API_KEY: SECRET },
      delivery: { mode: SecretDeliveryMode.EXTERNAL, external: { storeName: 'vault' } },
    });
    new SecretConfiguration(chart, 'no-keys', { name: 'no-keys', delivery: { mode: SecretDeliveryMode.EXTERNAL, external: { storeName: 'vault' } } });
    new SecretConfiguration(chart, 'bad', {
      name: 'bad',
      requiredKeys: ['API_KEY'],
      delivery: {
        mode: SecretDeliveryMode.EXTERNAL,
        external: {
          storeName: 'Vault_Store',
          refreshInterval: 'hourly',
          remoteKey: ' ',
          keys: [{ secretKey: 'OTHER' }, { secretKey: 'API_KEY', property: '' }, { secretKey: 'API_KEY' }],
        },
      },
    });
    const message = errorOf(chart);
    expect(message).toContain('[shop/values] secretData: got <redacted>; expected no secretData with delivery external (the ExternalSecret reads the values from its store; list its keys in requiredKeys)');
    expect(message).toContain('[shop/no-keys] requiredKeys: got nothing; expected the keys the ExternalSecret reads from the secret store');
    expect(message).toContain('[shop/bad] delivery.external.storeName: got "Vault_Store"; expected a DNS-1123 subdomain');
    expect(message).toContain('[shop/bad] delivery.external.refreshInterval: got "hourly"; expected a Go duration such as "1h", "15m" or "1h30m0s"');
    expect(message).toContain('[shop/bad] delivery.external.remoteKey: got " "; expected a non-empty name without surrounding whitespace');
    expect(message).toContain('[shop/bad] delivery.external.keys[0].secretKey: got "OTHER"; expected one of the Secret\'s keys (API_KEY)');
    expect(message).toContain('[shop/bad] delivery.external.keys[1].property: got ""; expected a non-empty name');
    expect(message).toContain('[shop/bad] delivery.external.keys: got "API_KEY"; expected each secretKey mapped once');
  });
});

describe('the default and the entities', () => {
  test('a SecretDelivery made after the Secrets it should apply to is an error naming them', () => {
    const chart = chartWith();
    new SecretConfiguration(chart, 'api-secrets', { name: 'api-secrets', secretData: { API_KEY: SECRET } });
    new SecretDelivery(chart, 'delivery', { mode: SecretDeliveryMode.SEALED, sealing: { certificateFile: CONTROLLER_CERT_FILE } });
    expect(errorOf(chart)).toContain('[shop/delivery] order: got "shop/api-secrets"; expected a SecretDelivery created before the Secrets it applies to: these were built without it; create it first');
  });

  test('existingSecret contradicting delivery.mode', () => {
    const chart = chartWith();
    new SecretConfiguration(chart, 'api-secrets', {
      name: 'api-secrets', existingSecret: true, requiredKeys: ['API_KEY'], delivery: { mode: SecretDeliveryMode.SEALED },
    });
    expect(errorOf(chart)).toContain('[shop/api-secrets] delivery.mode: got "sealed"; expected out-of-band or nothing: existingSecret says the Secret is made outside the manifests');
  });

  test('a cert-manager bundle ignores delivery with a warning (cert-manager writes the Secret)', () => {
    const chart = chartWith();
    const bundle = new CertificateBundle(chart, 'tls', {
      serverName: 'shop.example.com',
      certType: CertificateType.AUTO_GENERATED_CA,
      provider: CertificateProvider.CERT_MANAGER,
      environment: Environment.DEVELOPMENT,
      delivery: { mode: SecretDeliveryMode.SEALED },
    });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => o.kind)).not.toContain('SealedSecret');
    expect(bundle.deliveryMode).toBeUndefined();
    expect(Warnings.of(bundle).map((w) => w.message)).toEqual([
      'delivery is not used with CertificateProvider.CERT_MANAGER: cert-manager writes the TLS Secret in the cluster, no key material is in the manifests',
    ]);
  });
});
