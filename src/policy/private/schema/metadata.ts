/**
 * Internal to `policy`: where the API server's validation and the OpenAPI schema differ: `metadata`
 * (names by kind, namespace, label keys and values), what its validation requires or refuses in a
 * pod spec though the OpenAPI allows it (`podValidationProblems`), and the fields the OpenAPI requires
 * though the API server does not (`OPTIONAL_DESPITE_OPENAPI`).
 */
import { featureGates, FeatureGates, sidecarVersionsText } from './versions';
import { LINUX_ONLY_CONTAINER_SECURITY_FIELDS, LINUX_ONLY_POD_SECURITY_FIELDS } from '../../../core/pod-security-controls';
import { redactSecretValues } from '../../../core/secrets';
import { ContainerRef, objectRef, PodTemplateRef, podTemplateOf } from '../../../manifests';

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

/** JSON text of a value for messages, cut at 80 characters. */
export function show(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return 'undefined';
  const shown = redactSecretValues(s);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

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
 * "any" (a toleration's effect) or "Equal" (its operator). Charts render `""` for an empty value.
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
};

/** What the API server of a version does on create with a container's `restartPolicy` or `restartPolicyRules`. */
export interface RestartFieldFate {
  readonly container: ContainerRef;
  readonly field: 'restartPolicy' | 'restartPolicyRules';
  readonly value: unknown;
  /** `kept`: it applies; `dropped`: the API server removes it, silently; `refused`: it refuses the object. */
  readonly fate: 'kept' | 'dropped' | 'refused';
  /** The feature gate whose default decides it. */
  readonly gate: keyof FeatureGates;
}

/**
 * The fate of each `restartPolicy` and `restartPolicyRules` of a pod's init and regular containers
 * (ephemeral containers are refused as a whole in a manifest) under a version's feature gates, as
 * its API server strips the fields of disabled gates before it validates (`dropDisabledFields`):
 *
 * - SidecarContainers off (1.28): every init container's `restartPolicy` is dropped, so a native
 *   sidecar becomes an ordinary init container;
 * - ContainerRestartRules off (1.34): `restartPolicyRules`, a regular container's `restartPolicy` and
 *   an init container's other than `Always` are dropped;
 * - ContainerRestartRules absent (before 1.34): a regular container's `restartPolicy` is refused, and
 *   an init container's other than `Always` too where sidecars are on (1.29 to 1.33).
 *
 * `restartPolicyRules` where ContainerRestartRules is absent is an unknown field of the schema.
 */
export function restartFieldFates(pod: PodTemplateRef, gates: FeatureGates): RestartFieldFate[] {
  const out: RestartFieldFate[] = [];
  for (const container of pod.containers) {
    if (container.list === 'ephemeralContainers') continue;
    const { c } = container;
    const add = (field: RestartFieldFate['field'], fate: RestartFieldFate['fate'], gate: keyof FeatureGates) =>
      out.push({ container, field, value: c[field], fate, gate });
    const restarts = gates.ContainerRestartRules;
    const byRestartRules = restarts === 'on' ? 'kept' : restarts === 'off' ? 'dropped' : 'refused';
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      if (container.list === 'containers') add('restartPolicy', byRestartRules, 'ContainerRestartRules');
      else if (gates.SidecarContainers !== 'on') add('restartPolicy', 'dropped', 'SidecarContainers');
      else if (c.restartPolicy === 'Always') add('restartPolicy', 'kept', 'SidecarContainers');
      else add('restartPolicy', byRestartRules, 'ContainerRestartRules');
    }
    if (c.restartPolicyRules !== undefined && c.restartPolicyRules !== null && restarts !== 'absent') {
      add('restartPolicyRules', byRestartRules, 'ContainerRestartRules');
    }
  }
  return out;
}

/** Whether an init container runs as a native sidecar under a version's gates: `restartPolicy: Always`, kept. */
export function runsAsSidecar(container: ContainerRef, gates: FeatureGates): boolean {
  return container.sidecar && gates.SidecarContainers === 'on';
}

/** The fields the API server refuses on an init container that runs to completion (no kept `restartPolicy: Always`). */
const SIDECAR_ONLY_FIELDS = ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'];

/**
 * What the API server's validation refuses in a pod spec though the OpenAPI definitions allow it:
 * a container without `image` (the definitions leave it optional for "higher level config
 * management"), ephemeral containers in a manifest (they are added to a running pod through its
 * `ephemeralcontainers` subresource), the Linux-only security fields on a Windows pod, probes and
 * lifecycle on an init container that is no native sidecar under `version`, and a `restartPolicy`
 * the version refuses (`restartFieldFates`). `nulls` are the JSON pointers of the fields the object
 * set to null (they are gone from `obj`).
 */
export function podValidationProblems(obj: any, nulls: ReadonlySet<string>, version: string): SchemaProblem[] {
  const ref = objectRef(obj);
  const pod = ref && podTemplateOf(ref);
  if (!pod) return [];
  const out: SchemaProblem[] = pod.containers.filter(({ c }) => c.image === undefined || c.image === '').map(({ c, path }) => {
    const pointer = `/${path.replace(/\[(\d+)\]/g, '.$1').split('.').join('/')}/image`;
    return {
      path: `${path}.image`,
      message: nulls.has(pointer) ? 'got null; a container needs an image (null leaves the field unset)'
        : c.image === '' ? 'got ""; a container needs an image' : 'required field is missing (a container needs an image)',
    };
  });
  if (Array.isArray(pod.spec.ephemeralContainers) && pod.spec.ephemeralContainers.length) {
    out.push({
      path: `${pod.specPath}.ephemeralContainers`,
      message: 'cannot be set when the pod is created; ephemeral containers are added to a running pod (kubectl debug)',
    });
  }
  if (pod.windows) out.push(...linuxOnlyOnWindows(pod));
  out.push(...initContainerProblems(pod, version));
  return out;
}

/** Probes and lifecycle on an init container that runs to completion, and each `restartPolicy` the version refuses. */
function initContainerProblems(pod: PodTemplateRef, version: string): SchemaProblem[] {
  const gates = featureGates(version);
  const out: SchemaProblem[] = [];
  for (const container of pod.containers.filter((x) => x.list === 'initContainers' && !runsAsSidecar(x, gates))) {
    const { c, path } = container;
    // A sidecar as written whose restartPolicy the version drops: say why it is no sidecar here.
    const why = container.sidecar
      ? `Kubernetes ${version} drops restartPolicy: Always from init containers, so init container ${show(c.name)} runs to completion like any other; a native sidecar may set it on ${sidecarVersionsText()}`
      : `init container ${show(c.name)} runs to completion before the containers start; only a native sidecar (restartPolicy: Always) may set it`;
    for (const field of SIDECAR_ONLY_FIELDS.filter((f) => c[f] !== undefined)) {
      out.push({ path: `${path}.${field}`, message: `cannot be set on an init container without restartPolicy: Always; ${why}` });
    }
  }
  for (const f of restartFieldFates(pod, gates).filter((x) => x.fate === 'refused')) {
    const { c, path, list } = f.container;
    out.push({
      path: `${path}.${f.field}`,
      message: list === 'containers'
        ? `got ${show(f.value)}; Kubernetes ${version} refuses restartPolicy on a regular container ${show(c.name)} (the pod's restartPolicy governs it): only an init container may set it, to "Always", which makes it a native sidecar`
        : `got ${show(f.value)}; expected "Always", the only restartPolicy an init container may have (it makes init container ${show(c.name)} a native sidecar)`,
    });
  }
  return out;
}
/** The Linux-only security fields a Windows pod sets, each refused by the API server. */
function linuxOnlyOnWindows(pod: PodTemplateRef): SchemaProblem[] {
  const refused = (at: string, context: any, fields: readonly string[]) => fields
    .filter((f) => context && typeof context === 'object' && context[f] !== undefined && context[f] !== false)
    .map((f) => ({ path: `${at}.${f}`, message: `cannot be set on a Windows pod (spec.os.name: windows); ${f} is Linux-only` }));
  const out = refused(`${pod.specPath}.securityContext`, pod.spec.securityContext, LINUX_ONLY_POD_SECURITY_FIELDS);
  if (pod.spec.shareProcessNamespace !== undefined) {
    out.push({ path: `${pod.specPath}.shareProcessNamespace`, message: 'cannot be set on a Windows pod (spec.os.name: windows); shareProcessNamespace is Linux-only' });
  }
  for (const { c, path } of pod.containers) out.push(...refused(`${path}.securityContext`, c.securityContext, LINUX_ONLY_CONTAINER_SECURITY_FIELDS));
  return out;
}
