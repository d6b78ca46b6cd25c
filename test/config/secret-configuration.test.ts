import { Chart, Testing, Yaml } from 'cdk8s';
import { SecretConfiguration, SecretConfigurationProps, SecretType } from '../../src/config/secret-configuration';
import { findObject, synthError, synthManifests } from '../util/manifests';

const API_KEY = 'sk-proj-supersecret-0123456789';
const RESCAN_SECRETS = {
  AZURE_OPENAI_API_KEY: API_KEY,
  AZURE_OPENAI_ENDPOINT: 'https://rescan.openai.azure.com/openai/',
  AZURE_OPENAI_MODEL_DEPLOYMENT: 'gpt-4o',
};
// Shape-only PEM blocks (not a real certificate or key).
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUFAKE\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFAKEFAKEFAKE\n-----END EC PRIVATE KEY-----\n';

function rescanSecrets(overrides: Partial<SecretConfigurationProps> = {}): { chart: Chart; secret: SecretConfiguration } {
  const chart = Testing.chart();
  const secret = new SecretConfiguration(chart, 'rescan-secrets', {
    name: 'rescan-secrets',
    namespace: 'rescan',
    secretData: RESCAN_SECRETS,
    requiredKeys: ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT'],
    appName: 'rescan',
    labels: { app: 'rescan' },
    ...overrides,
  });
  return { chart, secret };
}


describe('SecretConfiguration', () => {
  test('a required key named like an Object member (toString, constructor) is missing unless the data holds it', () => {
    const { chart } = rescanSecrets({ secretData: { AZURE_OPENAI_API_KEY: API_KEY }, requiredKeys: ['toString', 'constructor'] });
    const message = synthError(chart);
    expect(message).toMatch(/secretData\.toString: .*expected a value for the required key "toString"/);
    expect(message).toMatch(/secretData\.constructor: .*expected a value for the required key "constructor"/);
  });

  test('renders the seed 003 rescan-secrets Secret (snapshot)', () => {
    const { chart } = rescanSecrets();
    expect(Yaml.stringify(...synthManifests(chart))).toMatchSnapshot();
  });

  test('renders a TLS Secret (snapshot)', () => {
    const { chart } = rescanSecrets({ name: 'web-tls', secretType: SecretType.TLS, secretData: { 'tls.crt': CERT, 'tls.key': KEY }, requiredKeys: undefined });
    expect(Yaml.stringify(...synthManifests(chart))).toMatchSnapshot();
  });

  test('names, labels, type and stringData of the Secret', () => {
    const { chart } = rescanSecrets();
    const objects = synthManifests(chart);
    expect(objects).toHaveLength(1);
    const secret = findObject(objects, 'Secret', 'rescan-secrets');
    expect(secret.apiVersion).toBe('v1');
    expect(secret.type).toBe('Opaque');
    expect(secret.metadata.namespace).toBe('rescan');
    expect(secret.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'rescan',
      'app.kubernetes.io/instance': 'rescan',
      'app.kubernetes.io/managed-by': 'cdk8s-deploykit',
      'app': 'rescan',
    });
    expect(secret.stringData).toEqual(RESCAN_SECRETS);
    expect(secret.data).toBeUndefined();
  });

  test('public properties: name, keys, env default, mount path, type', () => {
    const { secret } = rescanSecrets({ requiredKeys: ['AZURE_OPENAI_API_KEY'] });
    expect(secret.secretName).toBe('rescan-secrets');
    expect(secret.keys).toEqual(Object.keys(RESCAN_SECRETS));
    expect(secret.consumeAsEnv).toBe(true);
    expect(secret.mountPath).toBeUndefined();
    expect(secret.secretType).toBe(SecretType.OPAQUE);
    const tls = rescanSecrets({ secretType: SecretType.TLS, secretData: { 'tls.crt': CERT, 'tls.key': KEY }, requiredKeys: undefined }).secret;
    expect(tls.consumeAsEnv).toBe(false);
    expect(tls.keys).toEqual(['tls.crt', 'tls.key']);
  });

  test('volume() mounts the Secret read-only', () => {
    const { chart, secret } = rescanSecrets({ mountPath: '/var/run/secrets/rescan' });
    expect(secret.volume()).toEqual({ name: 'rescan-secrets', mountPath: '/var/run/secrets/rescan', readOnly: true, secretName: 'rescan-secrets' });
    expect(secret.volume('/secrets').mountPath).toBe('/secrets');
    expect(() => synthManifests(chart)).not.toThrow();
  });

  test('existingSecret emits no object and declares the keys', () => {
    const chart = Testing.chart();
    const secret = new SecretConfiguration(chart, 'external', {
      name: 'rescan-secrets',
      existingSecret: true,
      requiredKeys: ['AZURE_OPENAI_API_KEY'],
    });
    expect(synthManifests(chart)).toEqual([]);
    expect(secret.keys).toEqual(['AZURE_OPENAI_API_KEY']);
    expect(secret.secretName).toBe('rescan-secrets');
  });

  test('no secret value appears in any error message', () => {
    const { chart } = rescanSecrets({
      name: 'Bad_Name',
      secretType: SecretType.TLS,
      secretData: { 'tls.crt': API_KEY, 'tls.key': API_KEY, 'bad key': API_KEY },
      existingSecret: false,
    });
    const message = synthError(chart);
    expect(message).toMatch(/Bad_Name/);
    expect(message).not.toContain(API_KEY);
  });

  describe('rules', () => {
    test('name must be a DNS-1123 subdomain', () => {
      const { chart } = rescanSecrets({ name: 'rescan secrets' });
      expect(() => synthManifests(chart)).toThrow(/name: got "rescan secrets"; expected a DNS-1123 subdomain/);
    });

    test('namespace must be a DNS-1123 label', () => {
      const { chart } = rescanSecrets({ namespace: 'Rescan' });
      expect(() => synthManifests(chart)).toThrow(/namespace: got "Rescan"; expected a DNS-1123 label/);
    });

    test('keys must be valid data keys', () => {
      const { chart } = rescanSecrets({ secretData: { ...RESCAN_SECRETS, 'api/key': 'x' } });
      expect(() => synthManifests(chart)).toThrow(/secretData\.api\/key key: got "api\/key"; expected a data key of letters, digits/);
    });

    test('a required key without a value is an error, without echoing anything', () => {
      const { chart } = rescanSecrets({ requiredKeys: ['AZURE_OPENAI_API_KEY', 'DB_PASSWORD'] });
      expect(() => synthManifests(chart)).toThrow(/secretData\.DB_PASSWORD: got <redacted>; expected a value for the required key "DB_PASSWORD" \(listed in requiredKeys\)/);
    });

    test('a required key with an empty value is an error', () => {
      const { chart } = rescanSecrets({ secretData: { ...RESCAN_SECRETS, AZURE_OPENAI_API_KEY: '' } });
      expect(() => synthManifests(chart)).toThrow(/secretData\.AZURE_OPENAI_API_KEY: got <redacted>; expected a non-empty value for the required key/);
    });

    test('required keys must be valid data keys and listed once', () => {
      const { chart } = rescanSecrets({ requiredKeys: ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY', 'a b'] });
      expect(() => synthManifests(chart)).toThrow(/requiredKeys: got "AZURE_OPENAI_API_KEY"; expected each required key listed once/);
      expect(() => synthManifests(chart)).toThrow(/requiredKeys\[2\]: got "a b"; expected a data key/);
    });

    test('with existingSecret, required keys need no value', () => {
      const chart = Testing.chart();
      new SecretConfiguration(chart, 's', { name: 's', existingSecret: true, requiredKeys: ['TOKEN'] });
      expect(() => synthManifests(chart)).not.toThrow();
    });

    test('with existingSecret, secretData must be empty', () => {
      const { chart } = rescanSecrets({ existingSecret: true });
      expect(() => synthManifests(chart)).toThrow(/secretData: got <redacted>; expected no secretData when existingSecret is true/);
    });

    test('a Secret needs at least one key unless it exists elsewhere', () => {
      const { chart } = rescanSecrets({ secretData: {}, requiredKeys: [] });
      expect(() => synthManifests(chart)).toThrow(/secretData: got <redacted>; expected at least one key.*existingSecret: true/);
    });

    test('a TLS Secret needs tls.crt and tls.key', () => {
      const { chart } = rescanSecrets({ secretType: SecretType.TLS, secretData: { 'ca.crt': CERT }, requiredKeys: undefined });
      expect(() => synthManifests(chart)).toThrow(/secretData\.tls\.crt: got <redacted>; expected a value for the required key "tls\.crt" \(a kubernetes\.io\/tls Secret needs it\)/);
      expect(() => synthManifests(chart)).toThrow(/secretData\.tls\.key: got <redacted>; expected a value for the required key "tls\.key"/);
    });

    test('TLS tls.crt and tls.key must be PEM blocks', () => {
      const { chart } = rescanSecrets({ secretType: SecretType.TLS, secretData: { 'tls.crt': KEY, 'tls.key': CERT }, requiredKeys: undefined });
      const message = synthError(chart);
      expect(message).toMatch(/secretData\.tls\.crt: got <redacted>; expected a PEM certificate chain/);
      expect(message).toMatch(/secretData\.tls\.key: got <redacted>; expected a PEM private key/);
      expect(message).not.toContain('MHcCAQEEIFAKEFAKEFAKE');
    });

    test('keys consumed as env must be variable names', () => {
      const { chart } = rescanSecrets({ secretData: { ...RESCAN_SECRETS, '2FA_SEED': 'x' } });
      expect(() => synthManifests(chart)).toThrow(/secretData\.2FA_SEED key: got "2FA_SEED"; expected an environment variable name .*consumeAsEnv/);
      const mounted = rescanSecrets({ secretData: { ...RESCAN_SECRETS, '2FA_SEED': 'x' }, consumeAsEnv: false, mountPath: '/secrets' });
      expect(() => synthManifests(mounted.chart)).not.toThrow();
    });

    test('mountPath must be absolute', () => {
      const { chart } = rescanSecrets({ mountPath: 'secrets' });
      expect(() => synthManifests(chart)).toThrow(/mountPath: got "secrets"; expected an absolute path starting with "\/"/);
    });

    test('volume() needs a mount path, and an absolute one', () => {
      const { chart, secret } = rescanSecrets();
      secret.volume();
      secret.volume('relative/dir');
      expect(() => synthManifests(chart)).toThrow(/mountPath: got nothing; expected an absolute mount path: set mountPath or pass one to volume\(\)/);
      expect(() => synthManifests(chart)).toThrow(/volume\(mountPath\): got "relative\/dir"; expected an absolute path/);
    });

    test('secretData holds at most 1 MiB, without echoing it', () => {
      const { chart } = rescanSecrets({ secretData: { ...RESCAN_SECRETS, BLOB: 'y'.repeat(1024 * 1024) } });
      expect(() => synthManifests(chart)).toThrow(/secretData: got "\d+ bytes"; expected at most 1048576 bytes \(1 MiB\)/);
    });

    test('labels and label props must be valid', () => {
      const { chart } = rescanSecrets({ labels: { 'x/y/z': 'a' }, appName: 'rescan!' });
      expect(() => synthManifests(chart)).toThrow(/labels key: got "x\/y\/z"; expected a label key/);
      expect(() => synthManifests(chart)).toThrow(/appName: got "rescan!"; expected a label value/);
    });

    test('several mistakes are reported together', () => {
      const { chart } = rescanSecrets({
        namespace: '-rescan',
        secretData: { 'bad key': API_KEY, 'AZURE_OPENAI_ENDPOINT': 'x' },
        mountPath: 'data',
      });
      const lines = synthError(chart).split('\n').filter((l) => l.startsWith('  [test/rescan-secrets]'));
      expect(lines).toEqual([
        expect.stringMatching(/namespace: got "-rescan"/),
        expect.stringMatching(/mountPath: got "data"/),
        expect.stringMatching(/secretData\.bad key key: got "bad key"/),
        expect.stringMatching(/secretData\.AZURE_OPENAI_API_KEY: got <redacted>; expected a value for the required key/),
      ]);
    });
  });
});
