import * as crypto from 'crypto';
import { SealingScope } from '../delivery-types';

/*
 * The sealed-secrets wire format (controller 0.36, `encryptedData`), from its documented design:
 * each value is sealed on its own with a fresh 32-byte session key.
 *
 *   base64( uint16 big-endian length of the RSA part || RSA part || AES part )
 *
 * - RSA part: the session key, RSA-OAEP with SHA-256 (and MGF1-SHA-256) under the controller's
 *   public key, with the scope's label as the OAEP label;
 * - AES part: the value, AES-256-GCM under the session key with an all-zero 12-byte nonce (each key
 *   is used once), followed by the 16-byte tag.
 *
 * The label binds the ciphertext to where it may be decrypted: "<namespace>/<name>" (strict),
 * "<namespace>" (namespace-wide) or empty (cluster-wide). Node's OpenSSL does the cryptography.
 */

/** Bytes of the AES-256 session key. */
const SESSION_KEY_BYTES = 32;
/** GCM's standard nonce size. */
const NONCE_BYTES = 12;

/** The OAEP label the controller decrypts with for this Secret and scope. @internal */
export function encryptionLabel(namespace: string, name: string, scope: SealingScope): Buffer {
  switch (scope) {
    case SealingScope.CLUSTER_WIDE: return Buffer.alloc(0);
    case SealingScope.NAMESPACE_WIDE: return Buffer.from(namespace, 'utf8');
    default: return Buffer.from(`${namespace}/${name}`, 'utf8');
  }
}

/** The controller's annotation for a scope other than strict (on the SealedSecret and its template). @internal */
export function scopeAnnotations(scope: SealingScope): Record<string, string> {
  switch (scope) {
    case SealingScope.CLUSTER_WIDE: return { 'sealedsecrets.bitnami.com/cluster-wide': 'true' };
    case SealingScope.NAMESPACE_WIDE: return { 'sealedsecrets.bitnami.com/namespace-wide': 'true' };
    default: return {};
  }
}

/** Seals one value (UTF-8) with a fresh session key; returns the base64 `encryptedData` entry. @internal */
export function sealValue(publicKey: crypto.KeyObject, label: Buffer, value: string): string {
  const sessionKey = crypto.randomBytes(SESSION_KEY_BYTES);
  const wrapped = crypto.publicEncrypt(
    { key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
    sessionKey,
  );
  const cipher = crypto.createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(NONCE_BYTES));
  const sealed = Buffer.concat([cipher.update(Buffer.from(value, 'utf8')), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(wrapped.length);
  return Buffer.concat([length, wrapped, sealed]).toString('base64');
}
