/**
 * Opens SealedSecrets as the sealed-secrets controller does, with Node's crypto only: nothing here
 * comes from src/ (the code under test). The label the controller decrypts with is read from the
 * SealedSecret's own metadata (its namespace, name and scope annotations), as its Unseal does, so a
 * SealedSecret moved to another name or namespace fails to open under the strict scope.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The test controller's certificate the examples seal to (public). */
export const CONTROLLER_CERT_FILE = path.join(ROOT, 'examples', 'sealing', 'controller.crt');

/** The test controller's private key: a test-only key made for the examples, never a real cluster's. */
export const CONTROLLER_KEY_FILE = path.join(ROOT, 'test', 'fixtures', 'sealing', 'controller.key');

export function controllerKey(): string {
  return fs.readFileSync(CONTROLLER_KEY_FILE, 'utf8');
}

/** The OAEP label the controller uses for a SealedSecret object. */
export function controllerLabel(sealedSecret: any): string {
  const annotations = sealedSecret.metadata?.annotations ?? {};
  if (annotations['sealedsecrets.bitnami.com/cluster-wide'] === 'true') return '';
  if (annotations['sealedsecrets.bitnami.com/namespace-wide'] === 'true') return sealedSecret.metadata?.namespace ?? '';
  return `${sealedSecret.metadata?.namespace ?? ''}/${sealedSecret.metadata?.name}`;
}

/**
 * One `encryptedData` value: uint16 length of the RSA part, the RSA-OAEP (SHA-256) wrapped session
 * key, then AES-256-GCM with a zero nonce and the tag last. Throws when it does not open.
 */
export function unsealValue(value: string, privateKeyPem: string, label: string): string {
  const data = Buffer.from(value, 'base64');
  const rsaLength = data.readUInt16BE(0);
  const wrapped = data.subarray(2, 2 + rsaLength);
  const sealed = data.subarray(2 + rsaLength);
  const sessionKey = crypto.privateDecrypt(
    { key: privateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label, 'utf8') },
    wrapped,
  );
  const decipher = crypto.createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
}

/** Every value of a SealedSecret, opened with the controller's label for it. */
export function unseal(sealedSecret: any, privateKeyPem = controllerKey()): Record<string, string> {
  const label = controllerLabel(sealedSecret);
  return Object.fromEntries(Object.entries(sealedSecret.spec.encryptedData as Record<string, string>)
    .map(([key, value]) => [key, unsealValue(value, privateKeyPem, label)]));
}
