import { Rule } from './findings';

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

/** The credential word a key contains ("PASSWORD", "TOKEN", ...), or undefined. */
export function credentialWord(key: string): string | undefined {
  const normalized = key.toUpperCase().replace(/[-.]/g, '_');
  return CREDENTIAL_WORDS.find((word) => normalized.includes(word));
}

/**
 * Why a name/value pair (an environment variable, a ConfigMap entry) holds secret content, or
 * undefined: a PEM private key in the value, or a non-empty value under a credential name. A name
 * ending in _FILE or _PATH whose value is an absolute path points at a file: the secret is elsewhere.
 */
export function secretContent(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (PEM_PRIVATE_KEY.test(value)) return 'holds a PEM private key';
  if (/_(FILE|PATH)$/i.test(name) && value.startsWith('/')) return undefined;
  if (credentialWord(name) !== undefined) return 'has a name that marks a secret';
  return undefined;
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
