import { Chart, Testing, Yaml } from 'cdk8s';
import { ConfigMapConfiguration, ConfigMapConfigurationProps } from '../../src/config/config-map-configuration';
import { Warnings } from '../../src/core/construct-warnings';
import { findObject, synthManifests } from '../util/manifests';

const RESCAN_DATA = {
  PORT: '3000',
  NODE_ENV: 'production',
  EDUCATIONAL_MODE: 'true',
  DATABASE_URL: 'sqlite:./data/rescan.db',
  MAX_FILE_SIZE: '5242880',
  MAX_CONCURRENT_REQUESTS: '5',
};

function rescanConfig(overrides: Partial<ConfigMapConfigurationProps> = {}): { chart: Chart; config: ConfigMapConfiguration } {
  const chart = Testing.chart();
  const config = new ConfigMapConfiguration(chart, 'rescan-config', {
    name: 'rescan-config',
    namespace: 'rescan',
    configData: RESCAN_DATA,
    requiredKeys: ['PORT', 'DATABASE_URL'],
    appName: 'rescan',
    labels: { app: 'rescan' },
    ...overrides,
  });
  return { chart, config };
}

const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';

describe('ConfigMapConfiguration', () => {
  test('a required key named like an Object member (toString) is missing unless the data holds it', () => {
    const { chart } = rescanConfig({ requiredKeys: ['toString'] });
    expect(() => synthManifests(chart)).toThrow(/configData\.toString: got nothing; expected a value for the required key "toString"/);
  });

  test('renders the seed 003 rescan-config ConfigMap (snapshot)', () => {
    const { chart } = rescanConfig();
    expect(Yaml.stringify(...synthManifests(chart))).toMatchSnapshot();
  });

  test('names, labels and data of the ConfigMap', () => {
    const { chart } = rescanConfig();
    const objects = synthManifests(chart);
    expect(objects).toHaveLength(1);
    const cm = findObject(objects, 'ConfigMap', 'rescan-config');
    expect(cm.apiVersion).toBe('v1');
    expect(cm.metadata.namespace).toBe('rescan');
    expect(cm.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'rescan',
      'app.kubernetes.io/instance': 'rescan',
      'app.kubernetes.io/managed-by': 'cdk8s-deploykit',
      'app': 'rescan',
    });
    expect(cm.data).toEqual(RESCAN_DATA);
  });

  test('instance and part-of labels; appName defaults to the ConfigMap name', () => {
    const chart = Testing.chart();
    new ConfigMapConfiguration(chart, 'settings', { name: 'settings', configData: { A: '1' }, instance: 'todo', partOf: 'todo-chatbot' });
    const cm = findObject(synthManifests(chart), 'ConfigMap', 'settings');
    expect(cm.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'settings',
      'app.kubernetes.io/instance': 'todo',
      'app.kubernetes.io/part-of': 'todo-chatbot',
      'app.kubernetes.io/managed-by': 'cdk8s-deploykit',
    });
    expect(cm.metadata.namespace).toBeUndefined();
  });

  test('public properties: name, keys, env default and mount path', () => {
    const { config } = rescanConfig();
    expect(config.configMapName).toBe('rescan-config');
    expect(config.keys).toEqual(Object.keys(RESCAN_DATA));
    expect(config.consumeAsEnv).toBe(true);
    expect(config.mountPath).toBeUndefined();
    const mounted = rescanConfig({ consumeAsEnv: false, mountPath: '/etc/rescan' }).config;
    expect(mounted.consumeAsEnv).toBe(false);
    expect(mounted.mountPath).toBe('/etc/rescan');
  });

  test('volume() mounts the ConfigMap read-only at the prop path or the given one', () => {
    const { chart, config } = rescanConfig({ mountPath: '/etc/rescan' });
    expect(config.volume()).toEqual({ name: 'rescan-config', mountPath: '/etc/rescan', readOnly: true, configMapName: 'rescan-config' });
    expect(config.volume('/config').mountPath).toBe('/config');
    expect(() => synthManifests(chart)).not.toThrow();
  });

  test('volume name of a dotted ConfigMap name is a DNS-1123 label', () => {
    const { config } = rescanConfig({ name: 'rescan.config', mountPath: '/etc/rescan' });
    expect(config.volume().name).toBe('rescan-config');
  });

  describe('rules', () => {
    test('name must be a DNS-1123 subdomain', () => {
      const { chart } = rescanConfig({ name: 'Rescan_Config' });
      expect(() => synthManifests(chart)).toThrow(/name: got "Rescan_Config"; expected a DNS-1123 subdomain/);
    });

    test('namespace must be a DNS-1123 label', () => {
      const { chart } = rescanConfig({ namespace: 'rescan.prod' });
      expect(() => synthManifests(chart)).toThrow(/namespace: got "rescan.prod"; expected a DNS-1123 label/);
    });

    test('configData needs at least one key', () => {
      const { chart } = rescanConfig({ configData: {}, requiredKeys: [] });
      expect(() => synthManifests(chart)).toThrow(/configData: got \{\}; expected at least one key/);
    });

    test('keys must be valid data keys', () => {
      const { chart } = rescanConfig({ configData: { 'MY KEY': 'x' } });
      expect(() => synthManifests(chart)).toThrow(/configData\.MY KEY key: got "MY KEY"; expected a data key of letters, digits/);
    });

    test('a password key points to SecretConfiguration and does not echo the value', () => {
      const { chart } = rescanConfig({ configData: { ...RESCAN_DATA, DB_PASSWORD: 'hunter2' } });
      expect(() => synthManifests(chart)).toThrow(/configData\.DB_PASSWORD: got <redacted>; expected no credential .*PASSWORD.*SecretConfiguration/);
      expect(() => synthManifests(chart)).not.toThrow(/hunter2/);
    });

    test('a secret-like key whose value cannot be a secret is accepted (issue 19: the same detector as deploykit check)', () => {
      // A switch, a count and the name of a Secret: none can hold a credential.
      const { chart } = rescanConfig({ configData: { ...RESCAN_DATA, ALLOW_EMPTY_PASSWORD: 'no', TOKEN_TTL_SECONDS: '3600', DB_PASSWORD_SECRET_NAME: 'rescan-db' } });
      expect(() => synthManifests(chart)).not.toThrow();
    });

    test('a placeholder under a secret-like key is a warning, not an error: the real value belongs in a Secret', () => {
      const { chart, config } = rescanConfig({ configData: { ...RESCAN_DATA, DB_PASSWORD: 'changeme' } });
      expect(() => synthManifests(chart)).not.toThrow();
      expect(Warnings.of(config).map((w) => w.message)).toEqual([
        'configData.DB_PASSWORD holds the placeholder "changeme" under a name that marks a secret (PASSWORD): the real value belongs in a SecretConfiguration (a Secret), not in a ConfigMap',
      ]);
    });

    test.each([
      ['AZURE_OPENAI_API_KEY', 'API_KEY'],
      ['stripe-apikey', 'APIKEY'],
      ['github.token', 'TOKEN'],
      ['SECRET_KEY_BASE', 'SECRET'],
      ['tls-private-key', 'PRIVATE_KEY'],
      ['Password', 'PASSWORD'],
    ])('credential-looking key %s is refused (contains %s)', (key, word) => {
      const { chart } = rescanConfig({ configData: { [key]: 'value' }, requiredKeys: [], consumeAsEnv: false });
      const escaped = key.replace(/\./g, '\\.');
      expect(() => synthManifests(chart)).toThrow(new RegExp(`configData\\.${escaped}: got <redacted>; expected .*"${word}".*SecretConfiguration`));
    });

    test('a PEM private key value points to SecretConfiguration and is not echoed', () => {
      const { chart } = rescanConfig({ configData: { ...RESCAN_DATA, SIGNING: PEM_KEY } });
      expect(() => synthManifests(chart)).toThrow(/configData\.SIGNING: got <redacted>; expected no PEM private key .*SecretConfiguration/);
      expect(() => synthManifests(chart)).not.toThrow(/MIIEvQIBADANBgkqhkiG9w0BAQEFAASC/);
    });

    test('a secret inside a mounted configuration file is refused at its path, not echoed; a placeholder there warns (the detector deploykit check uses)', () => {
      const { chart } = rescanConfig({
        consumeAsEnv: false,
        mountPath: '/etc/rescan',
        requiredKeys: [],
        configData: {
          'config.json': '{"database": {"host": "db", "password": "hunter2"}}',
          'application.yaml': 'spring:\n  datasource:\n    url: postgres://rescan:s3cr3t-pw@db:5432/rescan\n',
          'app.properties': 'db.user=rescan\ndb.password=Tr0ub4dor\n',
        },
      });
      expect(() => synthManifests(chart)).toThrow(/configData\.config\.json: got <redacted>; expected no secret in a configuration file in a ConfigMap \(\.database\.password has a name that marks a secret\): put the file in a SecretConfiguration/);
      expect(() => synthManifests(chart)).toThrow(/configData\.application\.yaml: got <redacted>; expected no secret in a configuration file in a ConfigMap \(\.spring\.datasource\.url holds a URL with a password/);
      expect(() => synthManifests(chart)).toThrow(/configData\.app\.properties: got <redacted>; expected .*\(line 2 db\.password has a name that marks a secret\)/);
      expect(() => synthManifests(chart)).not.toThrow(/hunter2|s3cr3t-pw|Tr0ub4dor/);
    });

    test('the same detector reads XML, JDBC query passwords and a file held in a file; their references are accepted', () => {
      const files = {
        'context.xml': '<Context>\n  <Resource name="jdbc/rescan" username="rescan" password="t0mcat-pw"/>\n</Context>\n',
        'app.properties': 'db.url=jdbc:postgresql://db:5432/rescan?user=rescan&password=qu3ry-pw\n',
        'values.yaml': 'files:\n  application.yml: |\n    spring.datasource.password: n3sted-pw\n',
      };
      const { chart } = rescanConfig({ consumeAsEnv: false, mountPath: '/etc/rescan', requiredKeys: [], configData: files });
      expect(() => synthManifests(chart)).toThrow(/configData\.context\.xml: got <redacted>; expected .*\(line 2 \/Context\/Resource\[@name="jdbc\/rescan"\]\/@password has a name that marks a secret\)/);
      expect(() => synthManifests(chart)).toThrow(/configData\.app\.properties: got <redacted>; expected .*\(line 1 db\.url holds a URL with a password in its query/);
      expect(() => synthManifests(chart)).toThrow(/configData\.values\.yaml: got <redacted>; expected .*\(\.files\["application\.yml"\] > \["spring\.datasource\.password"\] has a name that marks a secret\)/);
      expect(() => synthManifests(chart)).not.toThrow(/t0mcat-pw|qu3ry-pw|n3sted-pw/);
      const references = {
        'context.xml': files['context.xml'].replace('t0mcat-pw', '${DB_PASSWORD}'),
        'app.properties': files['app.properties'].replace('qu3ry-pw', '${DB_PASSWORD}'),
        'values.yaml': files['values.yaml'].replace('n3sted-pw', '${DB_PASSWORD}'),
      };
      expect(() => synthManifests(rescanConfig({ consumeAsEnv: false, mountPath: '/etc/rescan', requiredKeys: [], configData: references }).chart)).not.toThrow();
    });

    test('a configuration file of references and non-secret values is accepted; a placeholder in it warns', () => {
      const { chart, config } = rescanConfig({
        consumeAsEnv: false,
        mountPath: '/etc/rescan',
        requiredKeys: [],
        configData: {
          'config.json': '{"database": {"password": "${DB_PASSWORD}", "passwordFile": "/run/secrets/db", "password_min_length": 8}}',
          'application.yaml': 'spring:\n  datasource:\n    url: postgres://rescan@db:5432/rescan\n    password: changeme\n',
        },
      });
      expect(() => synthManifests(chart)).not.toThrow();
      expect(Warnings.of(config).map((w) => w.message)).toEqual([
        'configData.application.yaml .spring.datasource.password holds the placeholder "changeme" under a name that marks a secret (PASSWORD): the real value belongs in a SecretConfiguration (a Secret), not in a ConfigMap',
      ]);
    });

    test('a required key must be present', () => {
      const { chart } = rescanConfig({ requiredKeys: ['PORT', 'LOG_LEVEL'] });
      expect(() => synthManifests(chart)).toThrow(/configData\.LOG_LEVEL: got nothing; expected a value for the required key "LOG_LEVEL"/);
    });

    test('a required key must not be empty', () => {
      const { chart } = rescanConfig({ configData: { ...RESCAN_DATA, PORT: ' ' } });
      expect(() => synthManifests(chart)).toThrow(/configData\.PORT: got " "; expected a non-empty value for the required key "PORT"/);
    });

    test('required keys must be valid data keys and listed once', () => {
      const { chart } = rescanConfig({ requiredKeys: ['PORT', 'PORT', 'a/b'] });
      expect(() => synthManifests(chart)).toThrow(/requiredKeys: got "PORT"; expected each required key listed once/);
      expect(() => synthManifests(chart)).toThrow(/requiredKeys\[2\]: got "a\/b"; expected a data key/);
    });

    test('keys consumed as env must be variable names; mounting only lifts the rule', () => {
      const { chart } = rescanConfig({ configData: { '1ST_RUN': 'yes' }, requiredKeys: [] });
      expect(() => synthManifests(chart)).toThrow(/configData\.1ST_RUN key: got "1ST_RUN"; expected an environment variable name .*consumeAsEnv/);
      const mounted = rescanConfig({ configData: { '1ST_RUN': 'yes' }, requiredKeys: [], consumeAsEnv: false, mountPath: '/etc/app' });
      expect(() => synthManifests(mounted.chart)).not.toThrow();
    });

    test('mountPath must be absolute', () => {
      const { chart } = rescanConfig({ mountPath: 'etc/rescan' });
      expect(() => synthManifests(chart)).toThrow(/mountPath: got "etc\/rescan"; expected an absolute path starting with "\/"/);
    });

    test('volume() needs a mount path from the prop or the call', () => {
      const { chart, config } = rescanConfig();
      config.volume();
      expect(() => synthManifests(chart)).toThrow(/mountPath: got nothing; expected an absolute mount path: set mountPath or pass one to volume\(\)/);
    });

    test('volume(mountPath) must be absolute', () => {
      const { chart, config } = rescanConfig();
      config.volume('config');
      expect(() => synthManifests(chart)).toThrow(/volume\(mountPath\): got "config"; expected an absolute path/);
    });

    test('configData holds at most 1 MiB', () => {
      const { chart } = rescanConfig({ configData: { ...RESCAN_DATA, BIG: 'x'.repeat(1024 * 1024) } });
      expect(() => synthManifests(chart)).toThrow(/configData: got "\d+ bytes"; expected at most 1048576 bytes \(1 MiB\)/);
    });

    test('labels and label props must be valid', () => {
      const { chart } = rescanConfig({ labels: { 'bad key!': 'x', 'tier': 'front end' }, appName: 'Rescan App', instance: '-x', partOf: 'a b' });
      expect(() => synthManifests(chart)).toThrow(/labels key: got "bad key!"; expected a label key/);
      expect(() => synthManifests(chart)).toThrow(/labels\.tier: got "front end"; expected a label value/);
      expect(() => synthManifests(chart)).toThrow(/appName: got "Rescan App"; expected a label value/);
      expect(() => synthManifests(chart)).toThrow(/instance: got "-x"; expected a label value/);
      expect(() => synthManifests(chart)).toThrow(/partOf: got "a b"; expected a label value/);
    });

    test('several mistakes are reported together', () => {
      const { chart } = rescanConfig({
        name: 'Rescan',
        mountPath: 'relative',
        configData: { 'API_TOKEN': 'abc', 'bad key': 'x', 'PORT': '' },
      });
      let message = '';
      try {
        synthManifests(chart);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^Validation failed with the following errors:/);
      const lines = message.split('\n').filter((l) => l.startsWith('  [test/rescan-config]'));
      expect(lines).toEqual([
        expect.stringMatching(/name: got "Rescan"/),
        expect.stringMatching(/mountPath: got "relative"/),
        expect.stringMatching(/configData\.API_TOKEN: got <redacted>.*SecretConfiguration/),
        expect.stringMatching(/configData\.bad key key: got "bad key"/),
        expect.stringMatching(/configData\.PORT: got ""; expected a non-empty value/),
        expect.stringMatching(/configData\.DATABASE_URL: got nothing; expected a value for the required key/),
      ]);
    });
  });
});
