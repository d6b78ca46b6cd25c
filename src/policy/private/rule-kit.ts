/**
 * Internal to `ManifestPolicy`: its rule ids, how a rule reports, and the value helpers the rule
 * files share. The objects themselves are read through the \`manifests\` room.
 */
import { ObjectRef } from '../../manifests';

/** Every rule id `ManifestPolicy` declares (the merged rules of the shared reference "manifest-checks", section 5). */
export type RuleId =
  | 'image-pinned-tag' | 'image-pull-policy-always'
  | 'resources-memory-limit' | 'resources-cpu-request' | 'resources-memory-request' | 'resources-cpu-limit'
  | 'resources-ephemeral-storage'
  | 'env-no-duplicate-names' | 'env-no-literal-secrets' | 'configmap-no-secret-content'
  | 'probe-readiness-present' | 'probe-liveness-present' | 'probe-not-identical' | 'probe-port-exposed'
  | 'port-names-valid' | 'container-read-only-root-fs'
  | 'selector-matches-template' | 'service-selects-pods' | 'ingress-backend-exists' | 'ingress-tls'
  | 'service-not-nodeport' | 'networkpolicy-covers-pod' | 'networkpolicy-selects-something'
  | 'pdb-present' | 'pdb-has-policy' | 'pdb-allows-eviction' | 'pdb-unhealthy-eviction-policy'
  | 'replicas-min-two' | 'hpa-no-static-replicas' | 'hpa-target-exists' | 'hpa-min-replicas'
  | 'pod-anti-affinity' | 'deployment-rolling-update' | 'stable-api-versions' | 'label-values-valid'
  | 'sa-token-not-automounted' | 'sa-exists' | 'no-ssh-port' | 'pod-high-uid-gid';

/** Records one violation of `control` on `obj`. */
export type Report = (obj: ObjectRef, control: RuleId, path: string, message: string) => void;

/** `5`, `"5"` → 5; `"50%"` → undefined (not an absolute count). */
export function intOrUndefined(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** `"50%"` → 50; anything else → undefined. */
export function percentOrUndefined(v: unknown): number | undefined {
  if (typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v)) return Number(v.slice(0, -1));
  return undefined;
}

/** JSON text of a value for messages (`unset` for undefined). */
export function show(v: unknown): string {
  return v === undefined ? 'unset' : JSON.stringify(v);
}
