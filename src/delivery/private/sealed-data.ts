import { ControllerCertificate } from './controller-certificate';
import { encryptionLabel, sealValue } from './sealing-crypto';
import { SealedKey, SealingStore } from './sealing-store';
import { SealingScope } from '../delivery-types';

/** What one Secret is sealed for, and its values. @internal */
export interface SealRequest {
  /** The store record's identity (construct path, namespace and name). */
  readonly identity: string;
  readonly certificate: ControllerCertificate;
  readonly scope: SealingScope;
  readonly namespace: string;
  readonly name: string;
  readonly values: Record<string, string>;
}

/**
 * The `encryptedData` of one Secret: a key whose value, certificate, scope, namespace and name are
 * those it was last sealed for keeps its stored ciphertext; any other key is sealed anew. The store
 * is rewritten only when something changed (a removed key included). Throws SealingStoreError.
 * @internal
 */
export function sealedData(store: SealingStore, request: SealRequest): Record<string, string> {
  const { certificate, scope, namespace, name, values } = request;
  const previous = store.load(request.identity);
  const label = encryptionLabel(namespace, name, scope);
  const next: Record<string, SealedKey> = {};
  const out: Record<string, string> = {};
  let changed = Object.keys(previous).some((k) => !Object.prototype.hasOwnProperty.call(values, k));
  for (const [key, value] of Object.entries(values)) {
    const digest = store.digest([certificate.fingerprint, scope, namespace, name, key], value);
    const kept = previous[key];
    if (kept && kept.digest === digest && typeof kept.sealed === 'string') {
      next[key] = kept;
    } else {
      next[key] = { digest, sealed: sealValue(certificate.publicKey, label, value) };
      changed = true;
    }
    out[key] = next[key].sealed;
  }
  if (changed) store.save(request.identity, next);
  return out;
}
