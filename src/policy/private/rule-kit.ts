/**
 * Internal to `ManifestPolicy`: its rule ids, how a rule reports, the tuning the rules read, and the
 * value helpers the rule files share. The objects themselves are read through the `manifests` room.
 */
import { redactSecretValues } from '../../core/secrets';
import { ObjectRef } from '../../manifests';
import { ManifestPolicyOptions } from '../policy-types';

/** Every rule id `ManifestPolicy` declares (the merged rules of the shared reference "manifest-checks", section 5, and more). */
export type RuleId =
  | 'image-pinned-tag' | 'image-pull-policy-always'
  | 'resources-memory-limit' | 'resources-cpu-request' | 'resources-memory-request' | 'resources-cpu-limit'
  | 'resources-ephemeral-storage'
  | 'env-no-duplicate-names' | 'env-no-literal-secrets' | 'configmap-no-secret-content' | 'secret-values'
  | 'probe-readiness-present' | 'probe-liveness-present' | 'probe-not-identical' | 'probe-port-exposed'
  | 'probe-named-port-exists' | 'container-port-valid' | 'port-names-unique'
  | 'port-names-valid' | 'container-read-only-root-fs' | 'container-drop-capabilities'
  | 'selector-matches-template' | 'service-selects-pods' | 'ingress-backend-exists' | 'ingress-tls'
  | 'service-not-nodeport' | 'networkpolicy-covers-pod' | 'networkpolicy-selects-something'
  | 'pdb-present' | 'pdb-has-policy' | 'pdb-allows-eviction' | 'pdb-unhealthy-eviction-policy'
  | 'replicas-min-two' | 'hpa-no-static-replicas' | 'hpa-target-exists' | 'hpa-min-replicas'
  | 'pod-anti-affinity' | 'deployment-rolling-update' | 'stable-api-versions' | 'label-values-valid'
  | 'sa-token-not-automounted' | 'sa-exists' | 'no-ssh-port' | 'pod-high-uid-gid'
  | 'rbac-no-cluster-admin' | 'rbac-no-wildcards' | 'rbac-no-exec-attach' | 'rbac-no-secret-read' | 'rbac-no-escalation'
  | 'networkpolicy-blocks-flow' | 'object-unique';

/** Records one violation of `control` on `obj` (`related`: another object it concerns). */
export type Report = (obj: ObjectRef, control: RuleId, path: string, message: string, related?: ObjectRef) => void;

/** The options of a check, with their defaults applied. */
export interface Tuning {
  readonly minReplicas: number;
  readonly minimumRunAsId: number;
  readonly requireExplicitPullAlways: boolean;
  readonly probesPerContainer: boolean;
  readonly requireDropAll: boolean;
  /** False for a rule the options leave out (its checks need not run). */
  readonly enabled: (rule: RuleId) => boolean;
}

/** `options` with the defaults; `known` are the rule ids `rules`/`skip` may name. Throws listing unknown ids. */
export function tuning(options: ManifestPolicyOptions, known: readonly string[]): Tuning {
  const unknown = [...options.rules ?? [], ...options.skip ?? []].filter((id) => !known.includes(id));
  if (unknown.length) throw new Error(`unknown rule id(s): ${unknown.join(', ')}; the rules are ${known.join(', ')}`);
  const only = options.rules?.length ? new Set(options.rules) : undefined;
  const skip = new Set(options.skip ?? []);
  return {
    minReplicas: options.minReplicas ?? 2,
    minimumRunAsId: options.minimumRunAsId ?? 1000,
    requireExplicitPullAlways: options.requireExplicitPullAlways ?? false,
    probesPerContainer: options.probesPerContainer ?? false,
    requireDropAll: options.requireDropAll ?? false,
    enabled: (rule) => (only === undefined || only.has(rule)) && !skip.has(rule),
  };
}

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

/** JSON text of a value for messages (`unset` for undefined); secret values by their form are redacted. */
export function show(v: unknown): string {
  return v === undefined ? 'unset' : redactSecretValues(JSON.stringify(v));
}

/** The elements of `v` when it is an array, else none. */
export function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}
