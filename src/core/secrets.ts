import { Rule } from './rules/rule';
import { editDistance } from './text';

/*
 * The one place that knows what a secret looks like: entities refuse it in ConfigMaps and literal
 * environment variables, the policy engine reports it in any manifest, and findings redact it.
 */

// Words that mark a key as holding a credential (PSS-free peers: Polaris' and kube-linter's names,
// plus cloud key variables). Separators are normalized to "_" first, so "api-key", "api.key" and
// "ApiKey"-style "APIKEY" all match.
/** @internal */
export const CREDENTIAL_WORDS = [
  'PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'API_KEY', 'APIKEY', 'PRIVATE_KEY', 'CREDENTIAL', 'BEARER',
  'ACCESS_KEY', 'ACCOUNT_KEY', 'STORAGE_KEY', 'SERVICE_ACCOUNT_KEY',
];

/**
 * The opening line of a PEM private key of any kind ("PRIVATE KEY", "RSA PRIVATE KEY", "OPENSSH
 * PRIVATE KEY", "ENCRYPTED PRIVATE KEY"...), however many dashes surround it.
 */
export const PEM_PRIVATE_KEY = /-{2,}\s*BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY\s*-{2,}/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
/**
 * A PEM private key with its key material: the header, then after a line break (an escaped `\n` in
 * JSON, or spaces in a key pasted on one line) base64 or the `Proc-Type:` header of a legacy
 * encrypted key. A script that only names the header (`sed -n '/-----BEGIN PRIVATE KEY-----/,...'`)
 * holds no key.
 */
const PEM_PRIVATE_KEY_MATERIAL = /-{2,}\s*BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY\s*-{2,}(?:\s|\\[rn])+(?:Proc-Type:|[A-Za-z0-9+/]{4})/;

/** The credential word a key contains ("PASSWORD", "TOKEN", ...), or undefined. */
export function credentialWord(key: string): string | undefined {
  const normalized = key.toUpperCase().replace(/[-.]/g, '_');
  return CREDENTIAL_WORDS.find((word) => normalized.includes(word));
}

/**
 * The credential word a key contains, also when misspelled by one letter (two in words of seven or
 * more): "pasword", "secert", "tokne". For names that are no known property (a typo of the caller).
 */
export function credentialWordOrTypo(key: string): string | undefined {
  const exact = credentialWord(key);
  if (exact !== undefined) return exact;
  const parts = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/).filter((p) => p.length >= 4);
  for (const part of parts) {
    for (const word of CREDENTIAL_WORDS) {
      if (word.includes('_')) continue;
      if (editDistance(part, word) <= (word.length >= 7 ? 2 : 1)) return word;
    }
  }
  return undefined;
}

// Well-known token formats, found anywhere in a value (so `--api-key=sk-...` in args is caught too).
const TOKEN_FORMATS: ReadonlyArray<[string, RegExp]> = [
  // A key holds a digit and a long unbroken run; `sk-learn-preprocessing-pipeline` (a name) does not.
  ['an OpenAI API key (sk-...)', /\bsk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z0-9_]{16})[A-Za-z0-9_-]{20,}/],
  ['an AWS access key id (AKIA.../ASIA...)', /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/],
  ['a GitHub token (ghp_...)', /\bgh[pousr]_[A-Za-z0-9]{30,}/],
  ['a GitHub fine-grained token (github_pat_...)', /\bgithub_pat_[A-Za-z0-9_]{22,}/],
  ['a Slack token (xox?-...)', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ['a Google API key (AIza...)', /\bAIza[0-9A-Za-z_-]{35}/],
  ['a Stripe live key (sk_live_...)', /\b[rs]k_live_[0-9A-Za-z]{16,}/],
  ['a JSON Web Token (eyJ...)', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
];
// scheme://user:password@host, also with no user (redis://:password@host); a password that is a
// reference or a placeholder ($(VAR), ${VAR}, {{ .Values.x }}, <password>, changeme) is not a secret.
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s/@]+)@[^\s/]+/i;
// A password in a URL's query or parameters: JDBC's ?user=app&password=..., SQL Server's
// ;password=..., amqp://host?password=... (an empty one, a reference or a placeholder is none).
const URL_QUERY_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s?;#]*[?;](?:[^\s#]*?[&;])?(?:password|passwd|pwd)=([^&;\s#"'<>]*)/i;
// A key/value connection string (ADO.NET, ODBC: `Server=db;User Id=sa;Password=...;`): a password
// beside a server, user or database.
const CONNECTION_STRING_PASSWORD = /(?:^|;)[ \t]*(?:password|pwd)[ \t]*=[ \t]*("[^"\r\n]*"|'[^'\r\n]*'|[^;\r\n]*)/i;
const CONNECTION_STRING_PART = /(?:^|;)[ \t]*(?:server|data source|host|address|addr|user id|uid|user|username|database|initial catalog|dsn)[ \t]*=/i;
// Every form above holds one of these markers: one cheap test rules out almost every value.
/** @internal */
export const SECRET_MARKERS = /BEGIN|sk-|[rs]k_live_|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|AIza|eyJ|:\/\/[^\s/@]+@|[?&;][ \t]*(?:[Pp]ass(?:wd|word)|PASS(?:WD|WORD)|[Pp]wd|PWD)[ \t]*=|^[ \t]*(?:[Pp]assword|PASSWORD|[Pp]wd|PWD)[ \t]*=/;

/** The password of a URL's query or of a connection string, when one is written there (not empty, no reference). */
function parameterPassword(value: string): 'url' | 'connection string' | undefined {
  const pattern = new RegExp(URL_QUERY_PASSWORD.source, 'gi');
  for (let m = pattern.exec(value); m; m = pattern.exec(value)) {
    if (literalPassword(m[1])) return 'url';
  }
  const conn = CONNECTION_STRING_PASSWORD.exec(value);
  if (conn && CONNECTION_STRING_PART.test(value) && literalPassword(conn[1].trim().replace(/^(["'])(.*)\1$/, '$2'))) return 'connection string';
  return undefined;
}

/** A password written in place (in a URL or connection string): not empty, a reference, a placeholder or an encrypted value. */
function literalPassword(value: string): boolean {
  const decoded = value.replace(/%24%7B/gi, '${').replace(/%7D/gi, '}');
  return !NOT_A_SECRET.test(decoded) && !filledInLater(decoded) && !ENCRYPTED_VALUE.test(decoded);
}

/**
 * The kind of secret a value holds, found by its form alone (whatever its name): a PEM private key
 * (however dashed), a well-known token format, a URL with a password (`user:password@host`, or
 * `?password=` / `;password=` in its query as JDBC writes it), or a connection string with one
 * (`Server=db;Password=...`). Undefined when none.
 */
export function secretValueKind(value: string): string | undefined {
  if (!SECRET_MARKERS.test(value)) return undefined;
  if (PEM_PRIVATE_KEY_MATERIAL.test(value)) return 'a PEM private key';
  for (const [kind, pattern] of TOKEN_FORMATS) if (pattern.test(value)) return kind;
  const url = URL_WITH_PASSWORD.exec(value);
  if (url && !filledInLater(url[1])) return 'a URL with a password (user:password@host)';
  const parameter = parameterPassword(value);
  if (parameter === 'url') return 'a URL with a password in its query (password=...)';
  if (parameter === 'connection string') return 'a connection string with a password (Password=...)';
  return undefined;
}

const PEM_BLOCK = /-{2,}\s*BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY[\s\S]*?(?:END (?:[A-Z0-9]+ )*PRIVATE KEY\s*-{2,}|$)/g;
const TOKENS_GLOBAL = TOKEN_FORMATS.map(([, pattern]) => new RegExp(pattern.source, 'g'));
const URL_PASSWORD_GLOBAL = new RegExp(URL_WITH_PASSWORD.source, 'gi');

/**
 * `text` with every secret value found by its form (`secretValueKind`: PEM private keys, token
 * formats, passwords in URLs) replaced by `<redacted>`, for messages that quote a value.
 */
export function redactSecretValues(text: string): string {
  if (!SECRET_MARKERS.test(text)) return text;
  let out = text.replace(PEM_BLOCK, '<redacted>');
  for (const pattern of TOKENS_GLOBAL) out = out.replace(pattern, '<redacted>');
  out = out.replace(URL_PASSWORD_GLOBAL, (url: string, password: string) =>
    (filledInLater(password) ? url : url.replace(`:${password}@`, ':<redacted>@')));
  // Passwords in a query or a connection string: `password=<redacted>`.
  return out.replace(/([?&;][ \t]*|^[ \t]*)((?:password|passwd|pwd)[ \t]*=[ \t]*)("[^"\r\n]*"|'[^'\r\n]*'|[^&;\s#"'<>]+)/gim, (all: string, lead: string, param: string, password: string) =>
    (literalPassword(password.replace(/^(["'])(.*)\1$/, '$2')) ? `${lead}${param}<redacted>` : all));
}

/**
 * A name that says it holds a key (`AZURE_OPENAI_KEY`, `OCI_CLI_KEY_CONTENT`), though no credential
 * word; a public key (`PUBLIC_KEY`, `jwtPublicKey`, `PUBKEY`) is none: it is meant to be read.
 */
function keyLikeName(name: string): boolean {
  const upper = name.toUpperCase().replace(/[-.]/g, '_');
  return /(^|_)KEY(_|$)|[A-Z]KEY$/.test(upper) && !/PUBLIC|PUB_?KEY/.test(upper);
}

/** Bits of Shannon entropy per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** A long random-looking token: 20+ characters of base64/hex/URL-safe alphabet with high entropy. */
/** @internal */
export function randomToken(value: string): boolean {
  return value.length >= 20 && /^[A-Za-z0-9+/=_.-]+$/.test(value) && /\d/.test(value) && entropy(value) >= 3.5;
}

// Values that cannot hold a secret: nothing, a number, a boolean or yes/no/on/off.
const NOT_A_SECRET = /^\s*$|^[+-]?\d+(\.\d+)?$|^(true|false|yes|no|on|off|y|n)$/i;
// A file path (absolute, relative or in a home folder): the secret, if any, is in the file.
const FILE_PATH = /^(\/|\.\.?\/|~\/)([\w.@-]+\/?)*$/;
// A reference to a variable filled in elsewhere, by Kubernetes or the program that reads the value:
// $(DB_PASSWORD), ${DB_PASSWORD}, ${spring.datasource.password}, $DB_PASSWORD (upper case: a
// shell variable), {{ .Values.x }}, %(password)s (Python's configparser), #{password} (Spring,
// Ruby), @db.password@ (Maven filtering), $__env{X} / $__file{/path} (Grafana).
const VARIABLE_REFERENCE = new RegExp('^\\s*(?:' + [
  '\\$\\([A-Za-z_][A-Za-z0-9_]*\\)',
  '\\$\\{[A-Za-z_][\\w.-]*(?::\\?[^{}]*|:\\+[^{}]*)?\\}',
  '\\$[A-Z_][A-Z0-9_]*',
  '\\{\\{[^}]*\\}\\}',
  '%\\([\\w.-]+\\)[sd]',
  '#\\{[^{}]*\\}#?',
  '@[A-Za-z_][\\w.-]*@',
  '\\$__(?:env|file|vault)\\{[^{}]*\\}',
].join('|') + ')\\s*$');
// A variable with a default (the shell's ${DB_PASSWORD:-hunter2}, Spring's ${db.password:hunter2}): the default
// is what lands when the variable is unset, so it is judged as the value. Without the colon
// (${DB_PASSWORD-hunter2}) only after a shell variable's upper-case name: ${chart-admin-password} is
// one variable with dashes in its name (Jenkins configuration as code reads it from a file by that name).
/** @internal */
export const DEFAULTED_REFERENCE = /^\s*\$\{(?:[A-Za-z_]\w*:[-=]|[A-Z_][A-Z0-9_]*[-=]|[A-Za-z_][\w.-]*:(?![-=?+]))([^{}]*)\}\s*$/;
// A reference into a secret store, resolved by an operator or tool: bank-vaults' vault:secret/x#key,
// vals' ref+vault://..., AWS Secrets Manager / SSM ARNs, Azure's @Microsoft.KeyVault(...), Google's
// projects/p/secrets/s, 1Password's op://vault/item/field.
const SECRET_STORE_REFERENCE = /^\s*(?:vault:\S|ref\+[a-z0-9]+:\/\/|arn:aws[\w-]*:(?:secretsmanager|ssm):|@Microsoft\.KeyVault\(|projects\/[^/\s]+\/secrets\/|op:\/\/)/;
// A password hash as systems store it in place of the password (crypt's bcrypt $2y$, sha512-crypt
// $6$, argon2, Apache's $apr1$, LDAP's {SSHA}, Spring's {bcrypt}): it is there so that the password
// need not be; not the secret. Spring's {noop} prefixes a plain password, which is one.
const PASSWORD_HASH = /^\s*(?:\$(?:2[abxy]?|5|6|7|y|gy|apr1|argon2(?:id|i|d)|pbkdf2[\w-]*|scrypt)\$|\{(?:S?SHA\d*|SMD5|MD5|CRYPT|BCRYPT|bcrypt|argon2|pbkdf2|scrypt|sha256|SSHA256|SSHA512)\})/;
// A name that refers to a secret rather than holding one: the name or namespace of a Secret
// (METALLB_ML_SECRET_NAME, --dynamic-serving-ca-secret-name, existingSecretName, existingSecret,
// a chart's existingSecretPasswordKey: the key in that Secret).
/** @internal */
export const REFERENCE_NAME = /_(NAME|NAMESPACE|REF)$|^EXISTING_/;
// A name that describes a secret rather than holding it: its rules, lifetime, where it is read from
// or shown (PASSWORD_POLICY, passwordMinLength, TOKEN_TTL, PASSWORD_RESET_URL, TOKEN_ENDPOINT,
// API_KEY_HEADER, passwordLabel, password_hash, adminPasswordKey), or whether it is on (REDIS_PASSWORD_ENABLED).
const ATTRIBUTE_NAME = new RegExp('(?:^|_)(?:' + [
  'POLICY', 'POLICIES', 'RULES?', 'COMPLEXITY', 'STRENGTH', 'MIN', 'MAX', '(?:MIN|MAX)_?(?:LENGTH|LEN|AGE|CHARS)', 'LENGTH', 'LEN',
  'TTL', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'EXPIRE_\\w+', 'LIFETIME', 'TIMEOUT', 'DURATION', 'AGE', 'VALIDITY', 'HISTORY', 'ROTATION\\w*',
  'URL', 'URI', 'ENDPOINT', 'PAGE', 'PATH', 'DIR', 'FILE', 'LOCATION',
  'ENABLED', 'DISABLED', 'REQUIRED', 'ALLOWED', 'TYPE', 'KIND', 'MODE', 'FORMAT', 'ENCODING', 'ALGORITHM', 'ALGO', 'HASH', 'HASHED', 'DIGEST', 'HASHER',
  'HEADER', 'HEADER_NAME', 'PARAM', 'PARAMETER', 'FIELD', 'PREFIX', 'PROVIDER', 'ISSUER', 'AUDIENCE', 'SCOPES?',
  // The programs that fetch a credential (git's credential.helper, Kyverno's --registryCredentialHelpers).
  'HELPERS?',
  'LABEL', 'PROMPT', 'MESSAGE', 'HINT', 'PLACEHOLDER', 'TITLE', 'DESCRIPTION', 'HELP',
  // The key of a Secret that holds the password (a chart's secretKeys.adminPasswordKey).
  'PASSWORD_KEY', 'PASSWD_KEY',
].join('|') + ')$');
// Where a secret will go, but none is yet: xxxxx, ****, changeme, <password>, your-api-key.
const PLACEHOLDER = /^\s*(x{3,}|\*{3,}|\.{3,}|change[-_ ]?(me|it)|replace[-_ ]?me|to[-_ ]?do|tbd|fixme|<[^<>]*>|your[-_ ][\w-]+)\s*$/i;

// A value encrypted for the program that reads it, which holds the key elsewhere: Spring Cloud
// Config's {cipher}..., {AES}/{AES256}/{3DES}... (WebLogic, Jasypt-style), Jasypt's ENC(...), Maven's
// settings-security {base64 ciphertext}. The ciphertext is not the secret.
const ENCRYPTED_VALUE = /^\s*(?:\{(?:cipher|AES\d*|3?DES(?:ede)?|RSA|SM4|ENC|encrypted)\}\S|ENC\([^()\s]+\)\s*$|\{(?=[^}]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}\}\s*$)/i;

/** A name in upper snake case: "existingSecretName" and "secret-name" both become "..._SECRET_NAME". */
/** @internal */
export function snakeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().replace(/[-.]/g, '_');
}

/**
 * True for a value that cannot hold a secret whatever its name: empty, a number, a boolean or
 * yes/no, a file path, a reference to a variable or a secret store, a password hash, an encrypted
 * value (`{cipher}...`, `ENC(...)`); or one under a name that refers to a secret (`*_SECRET_NAME`: the name of a Secret, not its content). A secret by its form is no such value.
 */
export function cannotHoldSecret(name: string, value: string): boolean {
  if (NOT_A_SECRET.test(value) || FILE_PATH.test(value) || VARIABLE_REFERENCE.test(value)) return true;
  if (SECRET_STORE_REFERENCE.test(value) || PASSWORD_HASH.test(value) || ENCRYPTED_VALUE.test(value)) return true;
  const snake = snakeName(name);
  return REFERENCE_NAME.test(snake) || ATTRIBUTE_NAME.test(snake);
}

/** A value written where the real one is filled in later: a variable reference, a placeholder, `${...}`, `<...>`. */
function filledInLater(value: string): boolean {
  return /^(?:[$*{<]|%\(|#\{|@\w)/.test(value) || VARIABLE_REFERENCE.test(value) || PLACEHOLDER.test(value);
}

/**
 * Why a name/value pair (an environment variable, a ConfigMap entry, an argument) holds secret
 * content, or undefined. A secret by its form (`secretValueKind`) is one under any name. Otherwise
 * the value must be able to hold a secret (`cannotHoldSecret`: not empty, a number, a boolean or
 * yes/no, a file path, a variable reference or the name of a Secret) and not be a placeholder
 * (`secretPlaceholder`), and then it is one under a credential name (PASSWORD, TOKEN, ...), or when
 * it is a long random string under a key-like name.
 */
export function secretContent(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const kind = secretValueKind(value);
  if (kind) return `holds ${kind}`;
  const fallback = DEFAULTED_REFERENCE.exec(value);
  if (fallback) return secretContent(name, fallback[1]);
  if (cannotHoldSecret(name, value) || PLACEHOLDER.test(value)) return undefined;
  if (credentialWord(name) !== undefined) return 'has a name that marks a secret';
  if (keyLikeName(name) && randomToken(value)) return 'holds a long random string under a key-like name';
  return undefined;
}

/**
 * Why a pair under a credential name holds a placeholder where a secret will go (`DB_PASSWORD:
 * changeme`, `xxxxx`, `<password>`), or undefined: no secret yet, but the real one would land here.
 */
export function secretPlaceholder(name: string, value: unknown): string | undefined {
  const fallback = typeof value === 'string' ? DEFAULTED_REFERENCE.exec(value) : null;
  if (fallback) return secretPlaceholder(name, fallback[1]);
  if (typeof value !== 'string' || !PLACEHOLDER.test(value) || cannotHoldSecret(name, value)) return undefined;
  const word = credentialWord(name);
  return word === undefined ? undefined : `holds the placeholder ${JSON.stringify(value.trim())} under a name that marks a secret (${word})`;
}

/**
 * The arguments of a command line (`command` and `args` of a container) that hold secret content,
 * as index and reason: a value of a secret form anywhere (`--api-key=sk-...`, a URL with a
 * password), `--flag=value` or `--flag value` where the flag names a credential (`--password
 * hunter2`), or a long random string under a key-like flag. An absolute path after a `-file`/`-path`
 * flag points at a file: the secret is elsewhere.
 */
export function secretArguments(args: readonly unknown[]): Array<{ readonly index: number; readonly why: string }> {
  const found: Array<{ index: number; why: string }> = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg !== 'string' || arg === '') continue;
    const kind = secretValueKind(arg);
    if (kind) {
      found.push({ index: i, why: `holds ${kind}` });
      continue;
    }
    const flag = /^-{1,2}([A-Za-z][A-Za-z0-9_.-]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!flag) continue;
    const name = flag[1].replace(/-/g, '_');
    if (flag[2] !== undefined) {
      const why = secretContent(name, flag[2]);
      if (why) found.push({ index: i, why });
      continue;
    }
    const next = args[i + 1];
    if (typeof next === 'string' && !next.startsWith('-') && credentialWord(name) !== undefined) {
      const why = secretContent(name, next);
      if (why) {
        found.push({ index: i + 1, why: `follows ${arg}, a flag that names a secret` });
        i++;
      }
    }
  }
  return found;
}

/**
 * A configuration key that does not name a credential: none of the credential words (PASSWORD,
 * SECRET, TOKEN, API_KEY, ...) in it (any case, "-" and "." count as "_").
 */
export const nonCredentialKey: Rule<string> = (key) => {
  const word = credentialWord(key);
  return word === undefined
    ? undefined
    : `no credential in a ConfigMap: the key contains "${word}", so put it in a SecretConfiguration (a Secret) instead`;
};

/** A value that holds no PEM private key. */
export const noPrivateKey: Rule<string> = (value) =>
  PEM_PRIVATE_KEY.test(value)
    ? 'no PEM private key ("-----BEGIN ... PRIVATE KEY-----") in a ConfigMap: put it in a SecretConfiguration (a Secret) instead'
    : undefined;

/** A PEM private key block, as the `tls.key` of a TLS Secret holds. */
export const pemPrivateKey: Rule<string> = (value) =>
  PEM_PRIVATE_KEY.test(value)
    ? undefined
    : 'a PEM private key ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA/EC PRIVATE KEY-----" ... "-----END ... PRIVATE KEY-----")';

/** One or more PEM certificates, as the `tls.crt` of a TLS Secret holds. */
export const pemCertificate: Rule<string> = (value) =>
  PEM_CERTIFICATE.test(value)
    ? undefined
    : 'a PEM certificate chain ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----")';

/** ConfigMaps and Secrets hold at most 1 MiB of data (etcd's object size limit). */
export const MAX_DATA_BYTES = 1024 * 1024;

/** The UTF-8 size of all keys and values of a data map. */
export function dataSize(data: { [key: string]: string }): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(data)) {
    bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  return bytes;
}
