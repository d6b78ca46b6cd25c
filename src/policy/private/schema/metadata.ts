/**
 * Internal to `policy`: where the API server's validation and the OpenAPI schema differ: `metadata`
 * (names by kind, namespace, label keys and values), and the fields the OpenAPI requires though the
 * API server does not (`OPTIONAL_DESPITE_OPENAPI`); and the small readers every schema file shares
 * (`SchemaProblem`, `show`, `oneOf`, `isObject`, `list`, the name and port tests). What its
 * validation refuses though the OpenAPI allows it is in `pod-validation.ts` (pod specs),
 * `object-validation.ts` (update strategies, budgets, autoscalers), `service-validation.ts` and
 * `cluster-object-validation.ts` (cluster-level kinds).
 */
import { dns1123Label, dns1123Subdomain, labelKey } from '../../../core/rules/names';
import { redactSecretValues } from '../../../core/secrets';

/** One schema problem: where in the object, and what. */
export interface SchemaProblem {
  /** JSON path in the object, such as `spec.replicas`. */
  readonly path: string;
  readonly message: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAMES = new Set(['Service', 'Namespace']);
const PATH_SEGMENT_NAMES = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

/** A JSON object (not an array), as an object's fields are read. */
export const isObject = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
/** The items of a list field, or none when it is no list. */
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** JSON text of a value for messages, cut at 80 characters. */
export function show(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return 'undefined';
  const shown = redactSecretValues(s);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

/** A message for a value outside the values a field allows. */
export const oneOf = (value: unknown, allowed: readonly string[]) => `got ${show(value)}; expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;

/** Problems of an object's `metadata` for its kind (empty when valid). */
export function metadataProblems(kind: string, meta: any): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const add = (path: string, message: string) => out.push({ path, message });
  if (!meta || typeof meta !== 'object') return [{ path: 'metadata', message: 'required field is missing' }];
  const name = meta.name;
  if (name === undefined || name === '') {
    if (!meta.generateName) add('metadata.name', 'required field is missing (set name or generateName)');
  } else if (typeof name === 'string') {
    if (PATH_SEGMENT_NAMES.has(kind)) {
      if (name === '.' || name === '..' || /[/%]/.test(name)) add('metadata.name', `got ${show(name)}; expected a path segment name (no "/" or "%", not "." or "..")`);
    } else if (LABEL_NAMES.has(kind)) {
      if (name.length > 63 || !DNS1123_LABEL.test(name)) add('metadata.name', `got ${show(name)}; expected a DNS-1123 label (lower-case alphanumerics and "-", at most 63 characters)`);
    } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
      add('metadata.name', `got ${show(name)}; expected a DNS-1123 subdomain (lower-case alphanumerics, "-" and ".", at most 253 characters)`);
    }
  }
  if (typeof meta.namespace === 'string' && (meta.namespace.length > 63 || !DNS1123_LABEL.test(meta.namespace))) {
    add('metadata.namespace', `got ${show(meta.namespace)}; expected a DNS-1123 label`);
  }
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    const slash = k.lastIndexOf('/');
    const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
    const n = slash >= 0 ? k.slice(slash + 1) : k;
    if ((prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) || n.length > 63 || !LABEL_NAME.test(n)) {
      add(`metadata.labels.${k}`, 'invalid label key; expected [prefix/]name, name at most 63 characters of alphanumerics, "-", "_", "."');
    }
    if (typeof v === 'string' && (v.length > 63 || !LABEL_VALUE.test(v))) {
      add(`metadata.labels.${k}`, `got ${show(v)}; expected a label value (at most 63 alphanumerics, "-", "_", ".", alphanumeric at both ends)`);
    }
  }
  return out;
}

/**
 * Fields older OpenAPI definitions (1.28) list as required though the API server accepts an object
 * without them: it defaults them, or reads absence as the empty value. Later definitions dropped the
 * marker without a change in validation. By definition name, the fields with why each is optional.
 */
export const OPTIONAL_DESPITE_OPENAPI: { readonly [definition: string]: { readonly [field: string]: string } } = {
  'io.k8s.api.apps.v1.StatefulSetSpec': { serviceName: 'never validated; the pods then get no per-pod DNS names' },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': { onPodConditions: 'a rule may match on onExitCodes alone' },
  'io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern': { status: 'defaults to True' },
  'io.k8s.api.discovery.v1.EndpointSlice': { endpoints: 'absent is an empty slice' },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { podSelector: 'absent is the empty selector, every pod in the namespace' },
  'io.k8s.api.rbac.v1.RoleRef': { apiGroup: 'defaults to rbac.authorization.k8s.io' },
  'io.k8s.api.scheduling.v1.PriorityClass': { value: 'absent is 0' },
};

/**
 * Enum fields (in the 1.34 definitions) whose empty string the API server accepts: it defaults
 * `""` as it defaults an absent value (the field is a plain string, not a pointer), or reads it as
 * "any" (a toleration's effect) or "Equal" (its operator), or its validation skips `""` (a
 * StorageClass's reclaimPolicy). Charts render `""` for an empty value.
 */
export const EMPTY_IS_DEFAULT: { readonly [definition: string]: readonly string[] } = {
  'io.k8s.api.core.v1.Container': ['imagePullPolicy', 'terminationMessagePolicy'],
  'io.k8s.api.core.v1.EphemeralContainer': ['imagePullPolicy', 'terminationMessagePolicy'],
  'io.k8s.api.core.v1.ContainerPort': ['protocol'],
  'io.k8s.api.core.v1.ServicePort': ['protocol'],
  'io.k8s.api.core.v1.EndpointPort': ['protocol'],
  'io.k8s.api.core.v1.HTTPGetAction': ['scheme'],
  'io.k8s.api.core.v1.PodSpec': ['dnsPolicy', 'restartPolicy'],
  'io.k8s.api.core.v1.ServiceSpec': ['type', 'sessionAffinity', 'externalTrafficPolicy'],
  'io.k8s.api.core.v1.Toleration': ['effect', 'operator'],
  'io.k8s.api.core.v1.PersistentVolumeSpec': ['persistentVolumeReclaimPolicy'],
  'io.k8s.api.apps.v1.DeploymentStrategy': ['type'],
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': ['type'],
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': ['type'],
  'io.k8s.api.apps.v1.StatefulSetSpec': ['podManagementPolicy'],
  'io.k8s.api.batch.v1.CronJobSpec': ['concurrencyPolicy'],
  'io.k8s.api.storage.v1.StorageClass': ['reclaimPolicy'],
};

// Kubernetes' name rules live once, in core/rules/names.ts; here they only answer yes or no.
export const isLabel = (s: string) => dns1123Label(s) === undefined;
export const isSubdomain = (s: string) => dns1123Subdomain(s) === undefined;
/** Kubernetes' qualified name (a label key's form): an optional DNS-1123 subdomain and "/", then a name of at most 63 alphanumerics, "-", "_" and ".". */
export const isQualifiedName = (s: string) => labelKey(s) === undefined;
export const isPort = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
export const SUBDOMAIN_TEXT = 'a DNS-1123 subdomain (lower-case alphanumerics, "-" and ".", at most 253 characters)';
export const LABEL_TEXT = 'a DNS-1123 label (lower-case alphanumerics and "-", at most 63 characters)';
export const PORT_TEXT = 'a port number from 1 to 65535';
