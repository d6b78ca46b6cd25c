/**
 * SealedSecrets (bitnami.com) and ExternalSecrets (external-secrets.io) of the plain YAML: the chart
 * carries them as they are, read like any other kind, except:
 *
 * - the Secrets they make in the cluster are the chart's (no `existingSecret`, no "create it before
 *   installing" note), and keep their names, as do the objects themselves: a sealed value decrypts
 *   only under the name (and namespace) it was sealed for, and the workloads read the Secret by that
 *   name under any release;
 * - an ExternalSecret's store is a value, `secretStores.<name>` (default: the plain store name).
 *   The sealed data is never a value: it is ciphertext for one cluster's controller.
 */
import { Derived } from './workload';
import { DNS1123_SUBDOMAIN, ParamSpec, Slot, camelCase, valueSlot } from '../template-model';

/** A Bitnami SealedSecret. */
export function isSealedSecret(doc: any): boolean {
  return doc?.kind === 'SealedSecret' && String(doc.apiVersion).startsWith('bitnami.com/');
}

/** An External Secrets Operator ExternalSecret. */
export function isExternalSecret(doc: any): boolean {
  return doc?.kind === 'ExternalSecret' && String(doc.apiVersion).startsWith('external-secrets.io/');
}

/** Names of the Secrets the objects' SealedSecrets and ExternalSecrets make (the ExternalSecret's target, else its own name). */
export function deliveredSecretNames(docs: readonly any[]): Set<string> {
  const names = new Set<string>();
  for (const d of docs) {
    if (isSealedSecret(d)) names.add(d.metadata?.name);
    else if (isExternalSecret(d)) names.add(d.spec?.target?.name ?? d.metadata?.name);
  }
  return names;
}

/**
 * An ExternalSecret's store as the value `secretStores.<camelCase name>`; its target name stays as
 * written (the generic reading would rename a target that shares a name with another object).
 */
export function deriveSecretStore(doc: any): Derived {
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const target = doc.spec?.target?.name;
  if (typeof target === 'string') slots.push({ pointer: ['spec', 'target', 'name'], render: { mode: 'inline', expr: JSON.stringify(target) } });
  const store = doc.spec?.secretStoreRef?.name;
  if (typeof store === 'string' && store !== '') {
    const path = ['secretStores', camelCase(store)];
    const kind = doc.spec.secretStoreRef.kind === 'ClusterSecretStore' ? 'ClusterSecretStore' : 'SecretStore';
    slots.push(valueSlot(['spec', 'secretStoreRef', 'name'], path, 'string'));
    params.push({ path, type: 'string', value: store, pattern: DNS1123_SUBDOMAIN, description: `Name of the ${kind} the ExternalSecrets read (${store} in the plain YAML)` });
  }
  return { slots, params };
}
