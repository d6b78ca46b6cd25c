import { parseAllDocuments } from 'yaml';
import { Rule } from './rules/rule';
import { editDistance } from './text';

/*
 * The one place that knows what a secret looks like: entities refuse it in ConfigMaps and literal
 * environment variables, the policy engine reports it in any manifest, and findings redact it.
 */

// Words that mark a key as holding a credential (PSS-free peers: Polaris' and kube-linter's names,
// plus cloud key variables). Separators are normalized to "_" first, so "api-key", "api.key" and
// "ApiKey"-style "APIKEY" all match.
const CREDENTIAL_WORDS = [
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
const SECRET_MARKERS = /BEGIN|sk-|[rs]k_live_|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|AIza|eyJ|:\/\/[^\s/@]+@|[?&;][ \t]*(?:[Pp]ass(?:wd|word)|PASS(?:WD|WORD)|[Pp]wd|PWD)[ \t]*=|^[ \t]*(?:[Pp]assword|PASSWORD|[Pp]wd|PWD)[ \t]*=/;

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
function randomToken(value: string): boolean {
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
const DEFAULTED_REFERENCE = /^\s*\$\{(?:[A-Za-z_]\w*:[-=]|[A-Z_][A-Z0-9_]*[-=]|[A-Za-z_][\w.-]*:(?![-=?+]))([^{}]*)\}\s*$/;
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
const REFERENCE_NAME = /_(NAME|NAMESPACE|REF)$|^EXISTING_/;
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
function snakeName(name: string): string {
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

// --- Secrets inside configuration files held as text (a ConfigMap's config.json, application.yaml, .env) ---

// Program sources read as configuration (jupyterhub_config.py, a Jenkinsfile's .groovy, settings.js):
// a literal string there is quoted, so an unquoted value (a name, a call) is computed when it runs.
const PROGRAM_SOURCE_NAME = /\.(?:py|rb|js|mjs|cjs|ts|lua|groovy|php)$/i;
// Names of configuration files, by their extension (or a dotfile such as .env).
const CONFIG_FILE_NAME = /\.(?:json|ya?ml|properties|env|ini|toml|conf|cfg|cnf|config|xml)$|^\.env\b/i;
// Formats read line by line: properties, dotenv, INI and TOML (which the YAML reader would misread).
const LINE_FORMAT_NAME = /\.(?:properties|env|ini|toml|conf|cfg|cnf)$|^\.env\b/i;
// Text that may hold a secret at all: a credential word, a key-like word, or a secret's form. One cheap
// test passes over most files (and over most lines of a file read line by line).
const FILE_HINT = new RegExp([
  ...new Set(CREDENTIAL_WORDS.filter((w) => !w.includes('KEY')).concat('KEY')),
].join('|') + '|' + SECRET_MARKERS.source, 'i');
// The YAML reader takes about a millisecond per kilobyte: a larger YAML file is read line by line
// (JSON of any size goes through JSON.parse, which is fast).
const MAX_YAML_PARSE = 32 * 1024;
// A mapping line of YAML (`key: value`, `"key":`): text of no known extension is read as YAML if it has one.
const YAML_MAPPING_LINE = /^\s*(?:- )?["']?[\w.-]+["']?:(?:\s|$)/m;

/** A secret (or a placeholder where one will go) inside a configuration file. */
export interface FileSecret {
  /** Where in the file: `.database.password`, `["db.password"]`, `line 3 [db] password`; empty for the file as a whole. */
  readonly at: string;
  /** Why, as `secretContent` or `secretPlaceholder` says it. */
  readonly why: string;
  /** True for a placeholder under a secret's name (a warning), false for a secret (an error). */
  readonly placeholder: boolean;
  /** True for a secret by its form (`secretValueKind`): a PEM private key, a token, a URL with a password. */
  readonly byForm: boolean;
}

/**
 * Whether a named text (a ConfigMap entry, an environment variable) is a configuration file to look
 * inside rather than one value: its name has a configuration file's extension (`config.json`,
 * `application.yaml`, `app.properties`, `.env`, `my.cnf`...), or it is text of several lines or a JSON
 * object or list under a name that marks no secret (`DB_PASSWORD` is one value however written).
 */
export function isConfigFile(name: string, text: string): boolean {
  if (CONFIG_FILE_NAME.test(name)) return true;
  if (credentialWord(name) !== undefined) return false;
  return text.includes('\n') || /^\s*[{[]/.test(text);
}

/**
 * The secrets inside a configuration file, by the same rules as a name/value pair (`secretContent`,
 * `secretPlaceholder`) applied to each of its keys and values: JSON and YAML are parsed and walked
 * (each string judged under its own key; `{name: X, value: ...}` under X; a `value` under its
 * parent's key); properties, dotenv, INI and TOML, text that does not parse, and YAML over 32 KiB
 * are read line by line (`key=value`, `key = "value"`, `key: value`, `[section]`), and so are program
 * sources (`jupyterhub_config.py`), whose unquoted values are code, not literals. In a file a value
 * that starts with `$` is filled in by its reader (the shell's `$(cat ...)`, `$1`; a password hash
 * `$2y$...`), except a variable's default (`${DB_PASSWORD:-hunter2}`), judged as the value. A
 * secret by its form the walk did not place (a PEM key across lines of unparsed text) is the file's.
 * XML (`*.xml`, `<?xml`, .NET's `web.config`) is read by elements and attributes (`scanXml`). A string
 * inside a parsed file that is itself a file (`application.yml: |` in a chart's values) is read one
 * level deeper, its places after ` > ` (`.files["application.yml"] > .spring.datasource.password`).
 */
export function secretsInConfigFile(name: string, text: string): FileSecret[] {
  return readConfigFile(name, text, { depth: 0, budget: MAX_NESTED_TOTAL });
}

/** How deep in files held in files a read is, and how many characters of nested files it may still read. */
interface Nesting {
  readonly depth: number;
  budget: number;
}

// A file inside a file (`application.yml: |` in a chart's values.yaml, JSON in a YAML string) is read
// one level deep, up to this many characters in all per outer file; beyond, its strings are values.
const MAX_NESTED_TOTAL = 256 * 1024;
// XML is read by a tolerant scan (no parser): up to 1 MiB, the most a ConfigMap holds.
const MAX_XML_SCAN = 1024 * 1024;

function readConfigFile(name: string, text: string, nest: Nesting): FileSecret[] {
  if (!FILE_HINT.test(text)) return [];
  const found: FileSecret[] = [];
  if (isXmlFile(name, text)) {
    scanXml(text, found);
  } else {
    const docs = parseConfigFile(name, text);
    if (docs) {
      docs.forEach((doc, i) => walkConfig(doc, name, docs.length > 1 ? `(document ${i + 1})` : '', found, nest));
    } else {
      scanConfigLines(text, found, PROGRAM_SOURCE_NAME.test(name));
    }
  }
  const kind = secretValueKind(text);
  if (kind && !found.some((f) => f.why === `holds ${kind}`)) found.push({ at: '', why: `holds ${kind}`, placeholder: false, byForm: true });
  return found;
}

/**
 * The secrets of a string inside a parsed file when it is itself a file, or undefined to judge it as
 * one value: a string under a configuration file's name (`application.yml: |`, `app.properties: |`),
 * or JSON or YAML of several keys under a name that marks no secret. One level deep, within the budget.
 */
function nestedFileSecrets(name: string, text: string, nest: Nesting): FileSecret[] | undefined {
  if (nest.depth > 0 || text.length > nest.budget || credentialWord(name) !== undefined) return undefined;
  const named = CONFIG_FILE_NAME.test(name);
  if (!named && !text.includes('\n') && !/^\s*[{[]/.test(text)) return undefined;
  // No credential word, key-like word or secret form: nothing to find, whether a file or a value.
  if (!FILE_HINT.test(text)) return [];
  if (!named && !isXmlFile(name, text) && !parseConfigFile(name, text)) return undefined;
  nest.budget -= text.length;
  return readConfigFile(name, text, { depth: nest.depth + 1, budget: 0 });
}

// XML by its name (`context.xml`, `settings.xml`), its declaration, or .NET's `web.config` / `app.config`.
const XML_FILE_NAME = /\.xml$/i;
const XML_DECLARATION = /^\uFEFF?\s*<\?xml\b/;

/** Whether a file is XML, to be read by elements and attributes rather than lines. */
function isXmlFile(name: string, text: string): boolean {
  if (LINE_FORMAT_NAME.test(name) || PROGRAM_SOURCE_NAME.test(name)) return false;
  return XML_FILE_NAME.test(name) || XML_DECLARATION.test(text) || (/\.config$/i.test(name) && /^\uFEFF?\s*<[A-Za-z!]/.test(text));
}

// One token of XML: a comment, CDATA, a declaration or processing instruction, a start, end or empty
// tag (attribute values hold no `<`, which bounds a broken quote to the next tag), text, or a stray `<`.
const XML_TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<[?!][^>]*>?|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|[^<]+|</g;
const XML_ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;
// The attributes that name an element's value: <property name="db.password">, <add key="ApiKey" value="..."/>.
const XML_NAMING_ATTRIBUTE = /^(?:name|key)$/i;

/** `&lt;`, `&amp;`, `&#36;`... as the characters they stand for. */
function xmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(lt|gt|amp|quot|apos));/gi, (all: string, hex?: string, dec?: string, word?: string) => {
    if (word) return named[word.toLowerCase()];
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/**
 * Reads XML by a tolerant scan (a broken file is read as far as it goes): each attribute is judged
 * under its own name (`<Resource password="..."/>`), an element's text under the element's name
 * (`<password>...</password>`), and, in an element named by a `name` or `key` attribute, its text and
 * its `value` attribute (or `<value>` child) under that name (`<property
 * name="hibernate.connection.password">`, `<add key="ApiKey" value="..."/>`). Places are XPath-like:
 * `line 3 /Context/Resource[@name="jdbc/app"]/@password`.
 */
function scanXml(text: string, found: FileSecret[]): void {
  if (text.length > MAX_XML_SCAN) text = text.slice(0, MAX_XML_SCAN);
  const stack: Array<{ element: string; path: string; label: string }> = [];
  let line = 1;
  let counted = 0;
  const lineAt = (index: number): number => {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
    counted = Math.max(counted, index);
    return line;
  };
  XML_TOKEN.lastIndex = 0;
  for (let m = XML_TOKEN.exec(text); m; m = XML_TOKEN.exec(text)) {
    const token = m[0];
    const parent = stack[stack.length - 1];
    if (m[3] !== undefined) {
      const element = m[3];
      if (m[2] === '/') {
        // Close up to the matching element (a missing end tag closes with it).
        const at = stack.map((e) => e.element).lastIndexOf(element);
        if (at !== -1) stack.length = at;
        continue;
      }
      // Each attribute with where it starts in the text (for its line).
      const attributes: Array<[string, string, number]> = [];
      const attributesAt = m.index + 1 + m[2].length + element.length;
      XML_ATTRIBUTE.lastIndex = 0;
      for (let a = XML_ATTRIBUTE.exec(m[4]); a; a = XML_ATTRIBUTE.exec(m[4])) {
        attributes.push([a[1], xmlUnescape(a[2] ?? a[3]), attributesAt + a.index]);
      }
      const naming = attributes.find(([k]) => XML_NAMING_ATTRIBUTE.test(k));
      const local = element.replace(/^[\w.-]*:/, '');
      // A `<value>` child holds its parent's value (Spring's <property name="password"><value>...).
      const label = naming ? naming[1] : /^(?:value|val)$/i.test(local) && parent ? parent.label : local;
      const path = `${parent?.path ?? ''}/${element}${naming ? `[@${naming[0]}=${JSON.stringify(naming[1])}]` : ''}`;
      for (const [k, v, index] of attributes) {
        const under = /^(?:value|val)$/i.test(k) && naming ? label : k;
        if (k === naming?.[0] || !FILE_HINT.test(`${under}=${v}`)) continue;
        judgeConfigValue(under, v, `line ${lineAt(index)} ${path}/@${k}`, found);
      }
      if (m[5] !== '/') stack.push({ element, path, label });
    } else if (parent && (m[1] !== undefined || !token.startsWith('<'))) {
      // Text, or CDATA: the value of the element it sits in.
      const value = m[1] !== undefined ? m[1] : xmlUnescape(token);
      if (value.trim() === '' || !FILE_HINT.test(`${parent.label}=${value}`)) continue;
      const start = m.index + (m[1] !== undefined ? 9 : token.length - token.trimStart().length);
      judgeConfigValue(parent.label, value.trim(), `line ${lineAt(start)} ${parent.path}`, found);
    }
  }
}

/**
 * The text a base64 value (a ConfigMap's `binaryData` entry) holds: its first `maxBytes` decoded, when
 * they are UTF-8 text (no NUL); undefined for binary content or no base64.
 */
export function decodeBase64Text(value: unknown, maxBytes = 64 * 1024): string | undefined {
  if (typeof value !== 'string') return undefined;
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return undefined;
  const cut = Math.floor(maxBytes / 3) * 4;
  const truncated = compact.length > cut;
  const bytes = Buffer.from(truncated ? compact.slice(0, cut) : compact, 'base64');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}

/** The documents of a JSON or YAML file, or undefined to read it line by line. */
function parseConfigFile(name: string, text: string): unknown[] | undefined {
  if (LINE_FORMAT_NAME.test(name) || PROGRAM_SOURCE_NAME.test(name)) return undefined;
  if (/^\s*[{[]/.test(text)) {
    try {
      return [JSON.parse(text)];
    } catch {
      // JSON with comments, YAML flow style, or an INI section header: the YAML reader may take it.
    }
  }
  if (text.length > MAX_YAML_PARSE || (!/\.(?:json|ya?ml)$/i.test(name) && !YAML_MAPPING_LINE.test(text))) return undefined;
  try {
    const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'silent' });
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
    const values = docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
    // A plain string (a properties file reads as one long scalar) is no structure: read it by lines.
    return values.some((v) => v !== null && typeof v === 'object') ? values : undefined;
  } catch {
    return undefined;
  }
}

/** A key as a path step: `.database`, `["db.password"]`. */
function pathStep(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * Judges every string under `value` by the key it sits under (`name`), recording what holds a secret;
 * a string that is itself a file (`nestedFileSecrets`) is read inside, its places after ` > `.
 */
function walkConfig(value: unknown, name: string, at: string, found: FileSecret[], nest: Nesting): void {
  if (typeof value === 'string') {
    const inner = nestedFileSecrets(name, value, nest);
    if (inner === undefined) judgeConfigValue(name, value, at, found);
    else for (const f of inner) found.push({ ...f, at: f.at ? `${at} > ${f.at}` : at });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walkConfig(v, name, `${at}[${i}]`, found, nest));
  } else if (value !== null && typeof value === 'object') {
    const entries = value as Record<string, unknown>;
    // An env-style pair ({name: DB_PASSWORD, value: ...}, {key: ..., value: ...}) names its value.
    const pairName = typeof entries.name === 'string' ? entries.name : typeof entries.key === 'string' ? entries.key : undefined;
    // A Secret named beside (`secretName: db-creds`, `existingSecret: db`): a `secretKey: password`
    // sibling names a key of that Secret, not a secret.
    const secretBeside = Object.keys(entries).some((k) => /SECRET/.test(snakeName(k)) && REFERENCE_NAME.test(snakeName(k)));
    for (const [k, v] of Object.entries(entries)) {
      if (secretBeside && typeof v === 'string' && secretDataKey(k, v)) continue;
      const under = /^(?:value|val)$/i.test(k) ? pairName ?? name : k;
      walkConfig(v, under, `${at}${pathStep(k)}`, found, nest);
    }
  }
}

/** A `*Key` entry whose value is a Secret's data key (`password`, `tls.crt`): no token, no secret form. */
function secretDataKey(name: string, value: string): boolean {
  return /KEY$/.test(snakeName(name)) && /^[-._a-zA-Z0-9]{1,253}$/.test(value) && !randomToken(value) && secretValueKind(value) === undefined;
}

/** Records why `value` under `name` holds a secret or a placeholder, if it does. */
function judgeConfigValue(name: string, value: string, at: string, found: FileSecret[]): void {
  // `$...` in a file is filled in by its reader (`$(cat /run/secrets/x)`, `$1`, `${VAR:?}`), or is a
  // password hash (`$2y$...`); a variable's default (`${X:-hunter2}`) and a secret's form still count.
  if (value.trimStart().startsWith('$') && !DEFAULTED_REFERENCE.test(value) && !secretValueKind(value)) return;
  const why = secretContent(name, value);
  if (why !== undefined) {
    found.push({ at, why, placeholder: false, byForm: secretValueKind(value) !== undefined });
    return;
  }
  const placeholder = secretPlaceholder(name, value);
  if (placeholder !== undefined) found.push({ at, why: placeholder, placeholder: true, byForm: false });
}

// `key=value`, `key = value`, `key: value`, `export KEY=value`, `"key": "value",` (JSON read by lines).
const CONFIG_LINE = /^\s*(?:export\s+)?(["']?)([A-Za-z_][\w.\-/]*)\1\s*[=:]\s*(.*)$/;
// `[section]`, `[[array.of.tables]]` (INI, TOML).
const SECTION_LINE = /^\s*\[{1,2}\s*([^\]\s][^\]]*?)\s*\]{1,2}\s*$/;
// A line that holds no value: a comment (#, ;, !, //).
const COMMENT_LINE = /^\s*(?:[#;!]|\/\/)/;
// What opens a structure over the next lines (YAML's `|` and `>`, JSON's `{` and `[`), not a value.
const OPENS_STRUCTURE = /^(?:[|>][-+0-9]*|[{[(]|\{\s*\}|\[\s*\])$/;

/**
 * Reads `key=value` / `key: value` lines (with INI/TOML sections), judging each value by its key; in a
 * program's source (`quotedOnly`) only a quoted value, as an unquoted one is code.
 */
function scanConfigLines(text: string, found: FileSecret[], quotedOnly = false): void {
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (COMMENT_LINE.test(line)) continue;
    const header = SECTION_LINE.exec(line);
    if (header) {
      section = `[${header[1]}] `;
      continue;
    }
    if (!FILE_HINT.test(line)) continue;
    const entry = CONFIG_LINE.exec(line);
    const before = found.length;
    const value = entry ? lineValue(entry[3], quotedOnly) : undefined;
    if (entry && value !== undefined) judgeConfigValue(entry[2], value, `line ${i + 1} ${section}${entry[2]}`, found);
    if (found.length > before) continue;
    // A secret by its form elsewhere on the line (a URL in a command, after the first word) is still one.
    const kind = secretValueKind(line);
    if (kind) found.push({ at: `line ${i + 1}`, why: `holds ${kind}`, placeholder: false, byForm: true });
  }
}

/**
 * The value written after `key=`: a quoted string's content, else its first word (none when
 * `quotedOnly`); undefined for none.
 */
function lineValue(raw: string, quotedOnly = false): string | undefined {
  const text = raw.replace(/\r$/, '').trim();
  const quoted = /^"((?:[^"\\]|\\.)*)"|^'([^']*)'/.exec(text);
  if (quoted) return quoted[1] ?? quoted[2];
  if (quotedOnly) return undefined;
  // Unquoted: up to a space (a comment or the rest of a command follows) and a trailing comma.
  const word = text.split(/\s/)[0].replace(/[,;]$/, '');
  return word === '' || OPENS_STRUCTURE.test(word) ? undefined : word;
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
