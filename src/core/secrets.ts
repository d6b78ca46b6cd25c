import { Rule } from './findings';

// Words that mark a key as holding a credential. Separators are normalized to "_" first, so
// "api-key", "api.key" and "ApiKey"-style "APIKEY" all match.
const CREDENTIAL_WORDS = ['PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'API_KEY', 'APIKEY', 'PRIVATE_KEY', 'CREDENTIAL'];

/** The opening line of a PEM private key of any kind ("PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"...). */
export const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** The credential word a key contains ("PASSWORD", "TOKEN", ...), or undefined. */
export function credentialWord(key: string): string | undefined {
  const normalized = key.toUpperCase().replace(/[-.]/g, '_');
  return CREDENTIAL_WORDS.find((word) => normalized.includes(word));
}

/**
 * A configuration key that does not name a credential: no PASSWORD, PASSWD, SECRET, TOKEN, API_KEY,
 * APIKEY, PRIVATE_KEY or CREDENTIAL in it (any case, "-" and "." count as "_").
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
