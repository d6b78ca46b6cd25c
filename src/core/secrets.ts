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
// scheme://user:password@host; a placeholder password ($(VAR), ${VAR}, {{ .Values.x }}) is not a secret.
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s/@]+)@[^\s/]+/i;
// Every form above holds one of these markers: one cheap test rules out almost every value.
const SECRET_MARKERS = /BEGIN|sk-|[rs]k_live_|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|AIza|eyJ|:\/\/[^\s/@]+@/;

/**
 * The kind of secret a value holds, found by its form alone (whatever its name): a PEM private key
 * (however dashed), a well-known token format, or a URL with a password. Undefined when none.
 */
export function secretValueKind(value: string): string | undefined {
  if (!SECRET_MARKERS.test(value)) return undefined;
  if (PEM_PRIVATE_KEY_MATERIAL.test(value)) return 'a PEM private key';
  for (const [kind, pattern] of TOKEN_FORMATS) if (pattern.test(value)) return kind;
  const url = URL_WITH_PASSWORD.exec(value);
  if (url && !/^[$*{]/.test(url[1])) return 'a URL with a password (user:password@host)';
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
  return out.replace(URL_PASSWORD_GLOBAL, (url: string, password: string) =>
    (/^[$*{]/.test(password) ? url : url.replace(`:${password}@`, ':<redacted>@')));
}

/** A name that says it holds a key (`AZURE_OPENAI_KEY`, `OCI_CLI_KEY_CONTENT`), though no credential word. */
function keyLikeName(name: string): boolean {
  return /(^|_)KEY(_|$)|[A-Z]KEY$/.test(name.toUpperCase().replace(/[-.]/g, '_'));
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
// A reference to a variable filled in elsewhere: $(DB_PASSWORD), ${DB_PASSWORD}, {{ .Values.x }}.
const VARIABLE_REFERENCE = /^\s*(\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{\{[^}]*\}\})\s*$/;
// A name that refers to a secret rather than holding one: the name or namespace of a Secret
// (METALLB_ML_SECRET_NAME, --dynamic-serving-ca-secret-name, existingSecretName).
const REFERENCE_NAME = /_(NAME|NAMESPACE|REF)$/;
// Where a secret will go, but none is yet: xxxxx, ****, changeme, <password>, your-api-key.
const PLACEHOLDER = /^\s*(x{3,}|\*{3,}|\.{3,}|change[-_ ]?(me|it)|replace[-_ ]?me|to[-_ ]?do|tbd|fixme|<[^<>]*>|your[-_ ][\w-]+)\s*$/i;

/** A name in upper snake case: "existingSecretName" and "secret-name" both become "..._SECRET_NAME". */
function snakeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().replace(/[-.]/g, '_');
}

/**
 * True for a value that cannot hold a secret whatever its name: empty, a number, a boolean or
 * yes/no, a file path, a reference to a variable; or one under a name that refers to a secret
 * (`*_SECRET_NAME`: the name of a Secret, not its content). A secret by its form is no such value.
 */
export function cannotHoldSecret(name: string, value: string): boolean {
  return NOT_A_SECRET.test(value) || FILE_PATH.test(value) || VARIABLE_REFERENCE.test(value) || REFERENCE_NAME.test(snakeName(name));
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
