import { decodeBase64Text, isConfigFile, secretsInConfigFile } from '../../src/core/config-file-secrets';
import { Findings } from '../../src/core/findings';
import {
  cannotHoldSecret, credentialWord, credentialWordOrTypo, dataSize, nonCredentialKey, noPrivateKey, pemCertificate,
  pemPrivateKey, redactSecretValues, secretArguments, secretContent, secretPlaceholder, secretValueKind,
} from '../../src/core/secrets';

const RSA_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----';
const PKCS8_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----';
const ENCRYPTED_KEY = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHz\n-----END ENCRYPTED PRIVATE KEY-----';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBsz\n-----END CERTIFICATE-----';

describe('credential keys', () => {
  test.each([
    ['DB_PASSWORD', 'PASSWORD'],
    ['password', 'PASSWORD'],
    ['JWT_SECRET', 'SECRET'],
    ['client-secret-value', 'SECRET'],
    ['GITHUB_TOKEN', 'TOKEN'],
    ['AZURE_OPENAI_API_KEY', 'API_KEY'],
    ['api-key', 'API_KEY'],
    ['api.key', 'API_KEY'],
    ['stripeApiKey', 'APIKEY'],
    ['SSH_PRIVATE_KEY', 'PRIVATE_KEY'],
  ])('%s contains %s', (key, word) => {
    expect(credentialWord(key)).toBe(word);
    expect(nonCredentialKey(key)).toMatch(new RegExp(`contains "${word}".*SecretConfiguration`));
  });

  test.each(['PORT', 'NODE_ENV', 'DATABASE_URL', 'AZURE_OPENAI_ENDPOINT', 'KEYBOARD_LAYOUT', 'PUBLIC_KEY_URL'])('%s is not a credential', (key) => {
    expect(credentialWord(key)).toBeUndefined();
    expect(nonCredentialKey(key)).toBeUndefined();
  });
});

describe('PEM blocks', () => {
  test('noPrivateKey refuses RSA, PKCS#8, EC and encrypted private keys anywhere in a value', () => {
    for (const key of [RSA_KEY, PKCS8_KEY, ENCRYPTED_KEY, `config: |\n${PKCS8_KEY}`]) {
      expect(noPrivateKey(key)).toMatch(/no PEM private key .*SecretConfiguration/);
    }
    expect(noPrivateKey(CERT)).toBeUndefined();
    expect(noPrivateKey('plain value')).toBeUndefined();
  });

  test('pemPrivateKey and pemCertificate accept their blocks only', () => {
    expect(pemPrivateKey(RSA_KEY)).toBeUndefined();
    expect(pemPrivateKey(CERT)).toMatch(/a PEM private key/);
    expect(pemCertificate(CERT)).toBeUndefined();
    expect(pemCertificate(`${CERT}\n${CERT}`)).toBeUndefined();
    expect(pemCertificate(RSA_KEY)).toMatch(/a PEM certificate chain/);
    expect(pemCertificate('-----BEGIN CERTIFICATE-----')).toMatch(/a PEM certificate chain/);
  });
});

describe('dataSize', () => {
  test('counts UTF-8 bytes of keys and values', () => {
    expect(dataSize({})).toBe(0);
    expect(dataSize({ A: 'bc', D: 'é' })).toBe(1 + 2 + 1 + 2);
  });
});

describe('one detector for secret content', () => {
  test('a PEM private key is found however many dashes surround its header', () => {
    for (const dashes of ['--', '----', '-----', '------']) {
      expect(secretContent('CONFIG', `${dashes}BEGIN OPENSSH PRIVATE KEY${dashes}\nb3Blbg==`)).toBe('holds a PEM private key');
    }
    expect(secretContent('CONFIG', '-----BEGIN PUBLIC KEY-----\nMIIB')).toBeUndefined();
  });

  test('a key is its header and key material: a script that names the header (sed, grep, awk) holds none', () => {
    // Key material after a line break, an escaped one (a JSON service account key) or spaces (a key pasted on one line).
    for (const key of ['-----BEGIN PRIVATE KEY-----\nMIIEvQ', '-----BEGIN PRIVATE KEY-----\\nMIIEvQ', '-----BEGIN RSA PRIVATE KEY----- MIIEow AQAB']) {
      expect(secretValueKind(key)).toBe('a PEM private key');
    }
    expect(secretValueKind('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B\n\nMIIEow')).toBe('a PEM private key');
    const script = [
      "sed -n '/-----BEGIN PRIVATE KEY-----/,/-----END PRIVATE KEY-----/p' /tmp/all.pem > /out/tls.key",
      'grep -q -- "-----BEGIN RSA PRIVATE KEY-----" /out/tls.key || echo "not an RSA key"',
      "awk '/-----BEGIN EC PRIVATE KEY-----/,/-----END EC PRIVATE KEY-----/' bundle.pem",
    ].join('\n');
    expect(secretValueKind(script)).toBeUndefined();
    expect(secretContent('split-pem.sh', script)).toBeUndefined();
  });

  test('names of cloud keys and bearer tokens mark a secret; a _FILE path points at one elsewhere', () => {
    for (const name of ['AZURE_STORAGE_ACCOUNT_KEY', 'AWS_SECRET_ACCESS_KEY', 'AUTH_BEARER', 'GCP_SERVICE_ACCOUNT_KEY']) {
      expect(secretContent(name, 'x')).toBe('has a name that marks a secret');
    }
    expect(secretContent('DB_PASSWORD_FILE', '/run/secrets/db')).toBeUndefined();
    expect(secretContent('DB_PASSWORD', '')).toBeUndefined();
    expect(secretContent('LOG_LEVEL', 'debug')).toBeUndefined();
  });
});

describe('secret values are recognized by their form, whatever their name', () => {
  test.each([
    ['OPENAI', 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789', 'OpenAI'],
    ['ARGS', '--api-key=sk-abcdefghijklmnopqrstuvwxyz012345', 'OpenAI'],
    ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE', 'AWS'],
    ['ID', 'ASIAIOSFODNN7EXAMPLE', 'AWS'],
    ['GH', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'GitHub'],
    ['GH', 'github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz', 'GitHub'],
    ['SLACK', 'xoxb-1234567890-abcdefghij', 'Slack'],
    ['MAPS', 'AIzaSyA1234567890abcdefghijklmnopqrstuv', 'Google'],
    ['PAY', 'sk_live_abcdefghijklmnop1234', 'Stripe'],
    ['AUTH', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'JSON Web Token'],
    ['DATABASE_URL', 'postgres://admin:hunter2@db/app', 'URL with a password'],
  ])('%s = %s is %s', (name, value, kind) => {
    expect(secretValueKind(value)).toContain(kind);
    expect(secretContent(name, value)).toContain(kind);
  });

  test('placeholders and plain values are not secrets', () => {
    expect(secretValueKind('postgres://todo:$(POSTGRES_PASSWORD)@todo-postgres:5432/todo')).toBeUndefined();
    expect(secretValueKind('postgres://todo-postgres.todo.svc.cluster.local:5432/todo')).toBeUndefined();
    expect(secretValueKind('https://rescan.openai.azure.com/')).toBeUndefined();
    expect(secretContent('LOG_LEVEL', 'debug')).toBeUndefined();
    expect(secretContent('KEYBOARD_LAYOUT', 'Xy7pQ2mZ9aB4cD6eF8gH1jK3')).toBeUndefined();
    // Names that start like an OpenAI key: hyphenated words, no long random run.
    expect(secretValueKind('sk-learn-preprocessing-pipeline')).toBeUndefined();
    expect(secretValueKind('--model=sk-learn-gradient-boosting-classifier')).toBeUndefined();
    expect(secretValueKind('sk-proj-Ab3dEfGh1jKlMnOpQrStUvWx-yZ012345')).toContain('OpenAI');
  });

  test('a long random string under a key-like name is a secret', () => {
    expect(secretContent('OCI_CLI_KEY_CONTENT', 'Xy7pQ2mZ9aB4cD6eF8gH1jK3lM5nO')).toMatch(/random string under a key-like name/);
    expect(secretContent('AZURE_OPENAI_KEY', '0123456789abcdef0123456789abcdef')).toMatch(/random string/);
    expect(secretContent('AZURE_OPENAI_KEY', 'not-set-yet')).toBeUndefined();
  });

  test('findings redact any value holding a secret', () => {
    const findings = new Findings();
    findings.add('env.OPENAI', 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789', 'no literal secret');
    expect(findings.messages()).toEqual(['env.OPENAI: got <redacted>; expected no literal secret']);
  });
});

describe('credential names, also misspelled (for props nobody declared)', () => {
  test.each([['pasword', 'PASSWORD'], ['dbSecert', 'SECRET'], ['API_TOKNE', 'TOKEN'], ['client_secrets', 'SECRET'], ['DB_PASSWORD', 'PASSWORD']])('%s is %s', (key, word) => {
    expect(credentialWordOrTypo(key)).toBe(word);
  });

  test.each(['replica', 'Tag', 'serviceNmae', 'imageTag', 'port'])('%s is none', (key) => {
    expect(credentialWordOrTypo(key)).toBeUndefined();
  });
});

describe('secret arguments of a command line', () => {
  test('a token anywhere, a --flag=value or --flag value that names a secret, a random string under a key flag', () => {
    expect(secretArguments(['--api-key=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789'])).toEqual([{ index: 0, why: 'holds an OpenAI API key (sk-...)' }]);
    expect(secretArguments(['server', '--password', 'hunter2', '--port', '80'])).toEqual([{ index: 2, why: 'follows --password, a flag that names a secret' }]);
    expect(secretArguments(['--db-password=hunter2'])).toEqual([{ index: 0, why: 'has a name that marks a secret' }]);
    expect(secretArguments(['--signing-key=Xy7pQ2mZ9aB4cD6eF8gH1jK3lM5nO'])).toEqual([{ index: 0, why: 'holds a long random string under a key-like name' }]);
    expect(secretArguments(['sh', '-c', 'psql postgres://admin:hunter2@db/app'])).toEqual([{ index: 2, why: 'holds a URL with a password (user:password@host)' }]);
  });

  test('paths to secret files, placeholders and plain flags are no secrets', () => {
    expect(secretArguments(['--token-file=/run/secrets/token', '--password-file', '/run/secrets/db'])).toEqual([]);
    expect(secretArguments(['--password=$(DB_PASSWORD)', '--verbose', '--port=8080', '--password', '--other'])).toEqual([]);
    expect(secretArguments([42, null, '', '--'] as unknown[])).toEqual([]);
  });
});

describe('a secret\'s name alone is no secret: the value must be able to hold one (issue 19)', () => {
  // What public charts render: counts, switches, file paths and the names of Secrets under secret-like names.
  test.each([
    ['CASSANDRA_NUM_TOKENS', '256'],
    ['ALLOW_EMPTY_PASSWORD', 'yes'],
    ['RABBITMQ_UPDATE_PASSWORD', 'false'],
    ['REDIS_PASSWORD_ENABLED', 'True'],
    ['TOKEN_TTL', '3.5'],
    ['DB_PASSWORD', ''],
    ['DB_PASSWORD', '   '],
    ['MYSQL_ROOT_PASSWORD_FILE', '/opt/bitnami/mysql/secrets/mysql-root-password'],
    ['TLS_KEY', './certs/tls.key'],
    ['METALLB_ML_SECRET_NAME', 'metallb-memberlist'],
    ['existingSecretName', 'postgresql-credentials'],
    ['SECRET_NAMESPACE', 'cert-manager'],
    ['API_TOKEN', '$(API_TOKEN_FROM_SECRET)'],
  ])('%s = %j is not a secret', (name, value) => {
    expect(secretContent(name, value)).toBeUndefined();
    expect(secretPlaceholder(name, value)).toBeUndefined();
  });

  test('a secret by its form stays one under any name, even one that names a Secret or a file', () => {
    expect(cannotHoldSecret('WEBHOOK_SECRET_NAME', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe(true);
    expect(secretContent('WEBHOOK_SECRET_NAME', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toMatch(/GitHub token/);
    expect(secretContent('DB_PASSWORD_FILE', 'postgres://app:hunter2@db/app')).toMatch(/URL with a password/);
  });

  test('a real-looking value under a credential name is one; a placeholder is not, but is told apart', () => {
    expect(secretContent('DB_PASSWORD', 'hunter2')).toBe('has a name that marks a secret');
    for (const placeholder of ['xxxxx', 'XXX', '****', 'changeme', 'CHANGE_ME', 'change-it', '<password>', '<your token here>', 'your-api-key', 'TODO']) {
      expect([placeholder, secretContent('DB_PASSWORD', placeholder)]).toEqual([placeholder, undefined]);
      expect(secretPlaceholder('DB_PASSWORD', placeholder)).toMatch(/placeholder .* under a name that marks a secret \(PASSWORD\)/);
    }
    expect(secretPlaceholder('GREETING', 'changeme')).toBeUndefined();
  });

  test('command-line flags: the name of a Secret is no credential, a value is', () => {
    expect(secretArguments(['--dynamic-serving-ca-secret-name=cert-manager-webhook-ca', '--secret-name=webhook-tls', '--secret-namespace=cert-manager'])).toEqual([]);
    // The credential helpers a registry client runs (Kyverno's flag) are programs, not credentials.
    expect(secretArguments(['--registryCredentialHelpers=default,google,amazon,azure,github', '--credential-helper=store'])).toEqual([]);
    expect(secretArguments(['--registryCredentials=hunter2'])).toEqual([{ index: 0, why: 'has a name that marks a secret' }]);
    expect(secretArguments(['--db-password=hunter2', '--admin-password', 'hunter2'])).toEqual([
      { index: 0, why: 'has a name that marks a secret' },
      { index: 2, why: 'follows --admin-password, a flag that names a secret' },
    ]);
  });
});

const PEM_KEY_TEXT = 'ssl on\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMx\n-----END RSA PRIVATE KEY-----\n';

describe('secrets inside configuration files (a ConfigMap\'s config.json, application.yaml, .env)', () => {
  const at = (name: string, text: string) => secretsInConfigFile(name, text).map((f) => `${f.placeholder ? 'placeholder' : f.byForm ? 'form' : 'name'} ${f.at}`);
  const PEM_IN_JSON = JSON.stringify({ private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n' });

  test.each([
    ['config.json', '{"database": {"password": "hunter2"}}', ['name .database.password']],
    ['application.yaml', 'spring:\n  datasource:\n    password: s3cr3t\n', ['name .spring.datasource.password']],
    ['application.yml', 'spring.datasource.password: s3cr3t\n', ['name ["spring.datasource.password"]']],
    ['values.yaml', 'a: 1\n---\nauth:\n  token: abc123def\n', ['name (document 2).auth.token']],
    ['db.properties', 'db.user=app\ndb.password=s3cr3t\n', ['name line 2 db.password']],
    ['.env', 'NODE_ENV=production\nPASSWORD=hunter2\n', ['name line 2 PASSWORD']],
    ['app.ini', '[db]\npassword = s3cr3t ; the old one\n', ['name line 2 [db] password']],
    ['config.toml', '[database]\npassword = "s3cr3t"\n', ['name line 2 [database] password']],
    ['urls.yaml', 'a: postgres://user:pass@host/db\nb: redis://:pass@host\nc: amqp://u:p@h\n', ['form .a', 'form .b', 'form .c']],
    ['sa.json', PEM_IN_JSON, ['form .private_key']],
    ['realm.json', '{"users": [{"credentials": [{"type": "password", "value": "admin"}]}]}', ['name .users[0].credentials[0].value']],
    ['env.json', '{"env": [{"name": "DB_PASSWORD", "value": "hunter2"}]}', ['name .env[0].value']],
    ['defaults.yaml', 'password: ${DB_PASSWORD:-hunter2}\napiToken: ${spring.token:abc123}\n', ['name .password', 'name .apiToken']],
    // With no Secret named beside, a secretKey is the key itself (MinIO's accessKey / secretKey).
    ['minio.json', '{"accessKey": "minio", "secretKey": "minio123", "other": {"secretName": "s3", "secretKey": "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"}}', ['name .secretKey', 'form .other.secretKey']],
    ['smtp.json', '{"smtp": {"password": "changeme"}}', ['placeholder .smtp.password']],
    // No known extension: several lines, read as YAML when they map keys, else line by line.
    ['settings', 'db:\n  password: hunter2\n', ['name .db.password']],
    ['start.sh', '#!/bin/sh\nexport DB_PASSWORD=hunter2\npsql postgres://app:pw@db/app\n', ['name line 2 DB_PASSWORD', 'form line 3']],
    // Not valid YAML: read line by line.
    ['broken.yaml', 'db:\n\tpassword: hunter2\n  name: "x\n', ['name line 2 password']],
    // A PEM key across lines of text that no reader places: the file as a whole.
    ['key.conf', PEM_KEY_TEXT, ['form ']],
  ])('%s: %j is found at %j', (name, text, expected) => {
    expect(isConfigFile(name, text)).toBe(true);
    expect(at(name, text)).toEqual(expected);
  });

  test.each([
    ['config.json', '{"database": {"password": "${DB_PASSWORD}", "url": "postgres://app:${DB_PASSWORD}@db/app"}}'],
    ['config.json', '{"password": "{{ .Env.DB_PASSWORD }}", "token": "$(TOKEN)", "secret": "#{secret}", "apiKey": "@api.key@"}'],
    ['app.ini', '[db]\npassword = %(db_password)s\n'],
    ['grafana.ini', '[security]\nadmin_password = $__file{/etc/secrets/pw}\nsecret_key = $__env{GF_SECRET_KEY}\n'],
    ['a.yaml', 'password: ""\ntoken: null\nsecret: true\npassword_min_length: 8\npasswordFile: /etc/secret/pw\n'],
    ['a.yaml', 'password_secret_name: db-creds\nexistingSecret: x\nexistingSecretPasswordKey: password\npasswordSecret: {secretKeyRef: {name: a, key: b}}\n'],
    // A Secret named beside: the key in it (an MCP registry's auth, a chart's secretKeys).
    ['registries.json', '[{"name": "github", "auth": {"secretName": "github-auth", "secretKey": "token"}}]'],
    ['a.yaml', 'auth:\n  existingSecret: db\n  secretKeys:\n    adminPasswordKey: admin-password\n'],
    ['a.yaml', 'apiToken: vault:secret/data/x#key\ndbPassword: ref+vault://secret/db#/password\nsecret: arn:aws:secretsmanager:eu-west-1:1:secret:x\ntoken: op://prod/api/token\n'],
    ['a.yaml', 'password_hash: 5f4dcc3b5aa765d61d8327deb882cf99\nadmin_password: $2y$10$Q8JQe1OcvZ8rAnF0hbN0KeU4e6nYb3yN7Jq7b8m1ZqfK5Zx1p9eW2\nldapPassword: "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="\n'],
    ['a.yaml', 'passwordPolicy: length(12)\npasswordMinLength: 10\nPASSWORD_RESET_URL: https://x/reset\ntokenEndpoint: https://auth/token\ntokenType: Bearer\npasswordLabel: Your password\n'],
    ['a.yaml', 'replica: postgres://readonly@db/app\ncache: redis://cache:6379\nplaceholder: postgres://app:<password>@db/app\n'],
    ['a.yaml', 'publicKey: MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEe\n'],
    ['.env', 'PGPASSWORD=$POSTGRES_PASSWORD\nAPI_TOKEN=\nSESSION_SECRET=${SESSION_SECRET:?set it}\n'],
    ['run.sh', '#!/bin/sh\nexport PGPASSWORD="$(cat /run/secrets/pw)"\nexec psql "postgres://app@db/app"\n'],
    ['nginx.conf', 'server {\n  listen 8080;\n  location / { proxy_pass http://api:8080; }\n}\n'],
  ])('%s: %j holds no secret', (name, text) => {
    expect(secretsInConfigFile(name, text)).toEqual([]);
  });

  test('a program\'s source (jupyterhub_config.py) holds a secret only as a quoted literal: an unquoted value is code', () => {
    const config = 'c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/cookie_secret"\ndb_password = get_secret_value("hub.db.password", None)\nauth_token = os.environ["TOKEN"]\n';
    expect(secretsInConfigFile('jupyterhub_config.py', config)).toEqual([]);
    // A literal string is still a secret, and Python's dict entries are still read.
    expect(at('jupyterhub_config.py', `${config}db_password = "hunter2"\nc.Auth.creds = {\n  "client_secret": "s3cr3t-value",\n}\n`))
      .toEqual(['name line 4 db_password', 'name line 6 client_secret']);
    // The same unquoted line in a shell script or .env is a literal: still found.
    expect(at('start.sh', 'DB_PASSWORD=get_secret_value\n')).toEqual(['name line 1 DB_PASSWORD']);
  });

  test('${name-with-dashes} is one variable (Jenkins configuration as code), a shell variable\'s ${NAME-default} has a default', () => {
    expect(secretsInConfigFile('jcasc.yaml', 'users:\n  - id: "${chart-admin-username}"\n    password: "${chart-admin-password}"\n')).toEqual([]);
    expect(at('jcasc.yaml', 'password: "${ADMIN_PASSWORD-hunter2}"\ntoken: "${api_token:-abc123}"\n')).toEqual(['name .password', 'name .token']);
  });

  test('a value under a credential name is one value however written; a file is told by its extension, several lines or JSON', () => {
    expect(isConfigFile('DB_PASSWORD', 'line one\nline two')).toBe(false);
    expect(isConfigFile('secrets.yaml', 'a: b')).toBe(true);
    expect(isConfigFile('LOG_LEVEL', 'debug')).toBe(false);
    expect(isConfigFile('SPRING_APPLICATION_JSON', '{"a": 1}')).toBe(true);
  });

  test('YAML over 32 KiB is read line by line, and JSON of any size parsed: both still find the secret', () => {
    const padding = Array.from({ length: 2000 }, (_, i) => `  key${i}: value number ${i}`).join('\n');
    expect(at('big.yaml', `settings:\n${padding}\ndb:\n  password: hunter2\n`)).toEqual(['name line 2003 password']);
    const big = JSON.stringify({ items: Array.from({ length: 20000 }, (_, i) => ({ id: i, name: `item ${i}` })), db: { password: 'hunter2' } });
    expect(big.length).toBeGreaterThan(500_000);
    expect(at('big.json', big)).toEqual(['name .db.password']);
  });

  test('text with no credential word, key-like word or secret form is not read at all', () => {
    expect(secretsInConfigFile('app.yaml', 'server:\n  port: 8080\n  host: 0.0.0.0\n')).toEqual([]);
  });
});

describe('references, hashes and descriptive names are no secrets under any credential name', () => {
  test.each([
    ['DB_PASSWORD', '${spring.datasource.password}'],
    ['DB_PASSWORD', '$POSTGRES_PASSWORD'],
    ['DB_PASSWORD', '%(password)s'],
    ['DB_PASSWORD', '${DB_PASSWORD:?required}'],
    ['DB_PASSWORD', '${DB_PASSWORD:-}'],
    ['API_TOKEN', 'vault:secret/data/api#token'],
    ['ADMIN_PASSWORD', '$2y$10$Q8JQe1OcvZ8rAnF0hbN0KeU4e6nYb3yN7Jq7b8m1ZqfK5Zx1p9eW2'],
    ['ADMIN_PASSWORD_HASH', '5f4dcc3b5aa765d61d8327deb882cf99'],
    ['PASSWORD_RESET_URL', 'https://shop.example/reset'],
    ['passwordPolicy', 'length(12) and digits(1)'],
    ['existingSecret', 'orders-db'],
    ['JWT_PUBLIC_KEY', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMx'],
  ])('%s = %j', (name, value) => {
    expect(secretContent(name, value)).toBeUndefined();
  });

  test('but a variable\'s default, Spring\'s {noop} plain password and a password in a URL with no user are', () => {
    expect(secretContent('DB_PASSWORD', '${DB_PASSWORD:-hunter2}')).toBe('has a name that marks a secret');
    expect(secretPlaceholder('DB_PASSWORD', '${DB_PASSWORD:-changeme}')).toMatch(/placeholder "changeme"/);
    expect(secretContent('ADMIN_PASSWORD', '{noop}hunter2')).toBe('has a name that marks a secret');
    expect(secretValueKind('redis://:hunter2@cache:6379')).toMatch(/URL with a password/);
    expect(secretValueKind('postgres://app:<password>@db/app')).toBeUndefined();
    expect(secretValueKind('postgres://app:changeme@db/app')).toBeUndefined();
  });
});


describe('passwords in a URL\'s query or a connection string', () => {
  test.each([
    ['jdbc:postgresql://db:5432/app?user=app&password=s3cret', 'a URL with a password in its query (password=...)'],
    ['jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=s3cret', 'a URL with a password in its query (password=...)'],
    ['jdbc:mysql://db:3306/app;password=s3cret', 'a URL with a password in its query (password=...)'],
    ['amqp://mq:5672/?heartbeat=30&Password=s3cret&frame_max=0', 'a URL with a password in its query (password=...)'],
    ['Server=db;Database=app;User Id=sa;Password=s3cret;', 'a connection string with a password (Password=...)'],
    ['Host=db; Username=app; Pwd="s3cret"', 'a connection string with a password (Password=...)'],
  ])('%s holds %s', (value, kind) => {
    expect(secretValueKind(value)).toBe(kind);
    expect(secretContent('DATABASE_URL', value)).toBe(`holds ${kind}`);
    expect(redactSecretValues(value)).not.toContain('s3cret');
  });

  test.each([
    'mongodb://mongo:27017/app?authSource=admin',
    'jdbc:postgresql://db/app?user=app&password=${DB_PASSWORD}',
    'jdbc:postgresql://db/app?password=%24%7BDB_PASSWORD%7D',
    'amqp://mq:5672/?password=',
    'amqp://mq:5672/?password=&heartbeat=30',
    'jdbc:mysql://db/app?password=<password>',
    'jdbc:mysql://db/app;password=$(DB_PASSWORD)',
    'https://shop.example/account?reset-password=true',
    'Server=db;Database=app;Integrated Security=true',
    'Server=db;Database=app;Password={cipher}AQBx7kR9qS2fYp0d',
  ])('%s holds none by its form', (value) => {
    expect(secretValueKind(value)).toBeUndefined();
    expect(redactSecretValues(value)).toBe(value);
  });

  test('a password= line alone is no connection string (its name, not its form, says it); one that opens a connection string is', () => {
    expect(secretValueKind('password=hunter2')).toBeUndefined();
    expect(secretValueKind('db.host=db\npassword=hunter2\n')).toBeUndefined();
    expect(secretValueKind('Password=s3cret;Server=db')).toBe('a connection string with a password (Password=...)');
    expect(redactSecretValues('Password=s3cret;Server=db')).toBe('Password=<redacted>;Server=db');
  });

  test('in a properties file and a JSON file, found at the key that holds the URL', () => {
    expect(secretsInConfigFile('app.properties', 'db.url=jdbc:mysql://db:3306/app?user=app&password=s3cret\n').map((f) => [f.at, f.byForm]))
      .toEqual([['line 1 db.url', true]]);
    expect(secretsInConfigFile('config.json', '{"datasource": {"url": "jdbc:postgresql://db/app?password=s3cret"}}').map((f) => [f.at, f.byForm]))
      .toEqual([['.datasource.url', true]]);
  });
});

describe('encrypted values are no secrets: the key is elsewhere', () => {
  test.each(['{cipher}AQBx7kR9qS2fYp0dVw8mN3cL5tH6jK1zA4gE', '{AES}rT5yBn2xQ8wL3kJ9vC1m', '{AES256}rT5yBn2xQ8wL3kJ9', 'ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)', '{jSMOWnoPFgsHVpMvz5VrIt5kRbzGpI8u+9EF1iFQyJQ=}'])('%s', (value) => {
    expect(secretContent('DB_PASSWORD', value)).toBeUndefined();
  });

  test('but a plain password with a prefix that encrypts nothing is one', () => {
    expect(secretContent('DB_PASSWORD', '{noop}hunter2')).toBe('has a name that marks a secret');
    expect(secretContent('DB_PASSWORD', '{cipher}')).toBe('has a name that marks a secret');
    expect(secretContent('DB_PASSWORD', '{password}')).toBe('has a name that marks a secret');
  });
});

describe('XML configuration files (Tomcat, Hibernate, Spring, .NET, Maven) are read by elements and attributes', () => {
  const at = (name: string, text: string) => secretsInConfigFile(name, text).map((f) => `${f.placeholder ? 'placeholder' : f.byForm ? 'form' : 'name'} ${f.at}`);

  test.each([
    ['context.xml', '<?xml version="1.0"?>\n<Context>\n  <Resource name="jdbc/app" auth="Container"\n    username="app" password="s3cret" url="jdbc:postgresql://db/app"/>\n</Context>\n',
      ['name line 4 /Context/Resource[@name="jdbc/app"]/@password']],
    ['hibernate.cfg.xml', '<hibernate-configuration><session-factory>\n<property name="hibernate.connection.password">s3cret</property>\n</session-factory></hibernate-configuration>',
      ['name line 2 /hibernate-configuration/session-factory/property[@name="hibernate.connection.password"]']],
    ['hibernate.cfg.xml', '<hibernate-configuration>\n<property name="hibernate.connection.url">jdbc:mysql://db/app?user=a&amp;password=s3cret</property>\n</hibernate-configuration>',
      ['form line 2 /hibernate-configuration/property[@name="hibernate.connection.url"]']],
    ['beans.xml', '<beans>\n<bean id="ds">\n<property name="password" value="s3cret"/>\n<property name="apiToken"><value>s3cret</value></property>\n</bean>\n</beans>',
      ['name line 3 /beans/bean/property[@name="password"]/@value', 'name line 4 /beans/bean/property[@name="apiToken"]/value']],
    ['web.config', '<configuration>\n<appSettings>\n<add key="LogLevel" value="Debug"/>\n<add key="ApiKey" value="s3cret-value"/>\n</appSettings>\n</configuration>',
      ['name line 4 /configuration/appSettings/add[@key="ApiKey"]/@value']],
    ['web.config', '<configuration><connectionStrings><add name="Db" connectionString="Server=db;User Id=sa;Password=s3cret;"/></connectionStrings></configuration>',
      ['form line 1 /configuration/connectionStrings/add[@name="Db"]/@connectionString']],
    ['settings.xml', '<settings>\n  <servers>\n    <server>\n      <id>nexus</id>\n      <password>s3cret</password>\n    </server>\n  </servers>\n</settings>\n',
      ['name line 5 /settings/servers/server/password']],
    ['users.xml', '<users><user name="admin"><password><![CDATA[s3cret]]></password></user></users>', ['name line 1 /users/user[@name="admin"]/password']],
    // A placeholder is told apart; a broken file is read as far as it goes.
    ['smtp.xml', '<smtp><password>changeme</password></smtp>', ['placeholder line 1 /smtp/password']],
    ['broken.xml', '<config>\n<db password="s3cret">\n<unclosed attr="x\n<token>s3cret</token>', ['name line 2 /config/db/@password', 'name line 4 /config/db/token']],
    // No .xml name: XML by its declaration.
    ['server-config', '<?xml version="1.0"?>\n<server><secret>s3cret</secret></server>\n', ['name line 2 /server/secret']],
  ])('%s: %j is found at %j', (name, text, expected) => {
    expect(at(name, text)).toEqual(expected);
  });

  test.each([
    ['context.xml', '<Context>\n<!-- <Resource password="old-pw"/> -->\n<Resource name="jdbc/app" password="${DB_PASSWORD}" url="jdbc:postgresql://db/app"/>\n</Context>'],
    ['settings.xml', '<settings><servers><server><password>${env.MAVEN_PASSWORD}</password></server><server><password>{jSMOWnoPFgsHVpMvz5VrIt5kRbzGpI8u+9EF1iFQyJQ=}</password></server></servers></settings>'],
    ['beans.xml', '<beans><property name="password" value="{cipher}AQBx7kR9qS2fYp0dVw8mN3cL5tH6jK1zA4gE"/><property name="secret" value="ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)"/><property name="password" ref="dbPassword"/><property name="token"><value>{AES}rT5yBn2xQ8wL3kJ9vC1m</value></property></beans>'],
    ['web.config', '<configuration><appSettings><add key="ApiKeyHeader" value="X-Api-Key"/><add key="TokenLifetimeMinutes" value="30"/><add key="Greeting" value="Enter your password"/></appSettings></configuration>'],
    ['hibernate.cfg.xml', '<hibernate-configuration><property name="hibernate.connection.password"/><property name="hibernate.connection.url">jdbc:mysql://db/app?user=a&amp;password=</property></hibernate-configuration>'],
    ['logback.xml', '<configuration><appender name="STDOUT"><encoder><pattern>%d %-5level %logger - %msg%n</pattern></encoder></appender></configuration>'],
    ['security.xml', '<users><user name="admin" password="{bcrypt}$2a$10$Q8JQe1OcvZ8rAnF0hbN0KeU4e6nYb3yN7Jq7b8m1ZqfK5Zx1p9eW2" authorities="ROLE_ADMIN"/></users>'],
  ])('%s: %j holds no secret', (name, text) => {
    expect(secretsInConfigFile(name, text)).toEqual([]);
  });

  test('the scan stays linear on a broken file and reads past the break; a large file is read', () => {
    // 100,000 unclosed attribute quotes: each stops at the next "<", not at the end of the file.
    const broken = '<a b="'.repeat(100_000);
    const start = Date.now();
    expect(at('broken.xml', `${broken}<password>s3cret</password>`)).toEqual(['name line 1 /password']);
    expect(Date.now() - start).toBeLessThan(2000);
    const padding = '<item>value</item>\n'.repeat(30_000);
    expect(at('big.xml', `<root>\n<password>s3cret</password>\n${padding}</root>`)).toEqual(['name line 2 /root/password']);
  });
});

describe('a file held in a file (a chart\'s values-derived map with `application.yml: |` inside) is read one level deeper', () => {
  const at = (name: string, text: string) => secretsInConfigFile(name, text).map((f) => `${f.placeholder ? 'placeholder' : f.byForm ? 'form' : 'name'} ${f.at}`);

  test('YAML, properties and JSON inside YAML, and YAML inside JSON: each place after " > "', () => {
    const values = [
      'files:',
      '  application.yml: |',
      '    spring:',
      '      datasource:',
      '        password: s3cret',
      '  app.properties: |',
      '    db.url=jdbc:postgresql://db/app',
      '    db.password=s3cret',
      '  config: \'{"token": "s3cret-token"}\'',
      '  loki: |',
      '    auth:',
      '      password: s3cret',
      '',
    ].join('\n');
    expect(at('values.yaml', values)).toEqual([
      'name .files["application.yml"] > .spring.datasource.password',
      'name .files["app.properties"] > line 2 db.password',
      'name .files.config > .token',
      'name .files.loki > .auth.password',
    ]);
    expect(at('config.json', JSON.stringify({ files: { 'context.xml': '<Context><Resource name="a" password="s3cret"/></Context>' } })))
      .toEqual(['name .files["context.xml"] > line 1 /Context/Resource[@name="a"]/@password']);
  });

  test('only one level: a file in a file in a file is judged as one value there; a secret by its form is still found', () => {
    const inner = 'db:\n  password: s3cret\n';
    const middle = `nested.yaml: ${JSON.stringify(inner)}\n`;
    expect(at('outer.yaml', `files:\n  middle.yaml: ${JSON.stringify(middle)}\n`)).toEqual([]);
    expect(at('outer.yaml', `files:\n  middle.yaml: ${JSON.stringify(`nested.yaml: ${JSON.stringify('url: postgres://a:s3cret@db/app\n')}\n`)}\n`))
      .toEqual(['form .files["middle.yaml"] > ["nested.yaml"]']);
  });

  test('a multi-line string that is no file (notes, a script under a name with no extension) is one value; references inside a nested file are none', () => {
    const values = [
      'notes: |',
      '  Get the admin password:',
      '    kubectl get secret app -o jsonpath="{.data.password}" | base64 -d',
      'files:',
      '  application.yml: |',
      '    spring.datasource.password: ${DB_PASSWORD}',
      '    passwordMinLength: 12',
      '  settings.json: \'{"mail": {"token": "{{ .Env.MAIL_TOKEN }}"}}\'',
      '',
    ].join('\n');
    expect(secretsInConfigFile('values.yaml', values)).toEqual([]);
    // A string under a secret's name is one value, however many lines: it is the secret.
    expect(at('values.yaml', 'auth:\n  password: |\n    line one\n    line two\n')).toEqual(['name .auth.password']);
  });
});

describe('binaryData is read as the text it decodes to', () => {
  test('base64 of UTF-8 text decodes; binary content, non-base64 and NUL bytes do not', () => {
    expect(decodeBase64Text(Buffer.from('db.password=s3cret\n').toString('base64'))).toBe('db.password=s3cret\n');
    expect(decodeBase64Text(Buffer.from('mot de passe: é\n').toString('base64'))).toBe('mot de passe: é\n');
    expect(decodeBase64Text(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]).toString('base64'))).toBeUndefined();
    expect(decodeBase64Text(Buffer.from('a\0b').toString('base64'))).toBeUndefined();
    expect(decodeBase64Text('not base64!')).toBeUndefined();
    expect(decodeBase64Text(42)).toBeUndefined();
  });

  test('only the first 64 KiB are decoded, even when a multi-byte character is cut there', () => {
    const text = 'é'.repeat(40_000);
    const decoded = decodeBase64Text(Buffer.from(text).toString('base64'));
    expect(decoded).toBeDefined();
    expect(decoded!.length).toBeLessThanOrEqual(32 * 1024);
    expect(text.startsWith(decoded!)).toBe(true);
  });
});
