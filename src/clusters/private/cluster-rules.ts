import { isIP } from 'net';
import { Rule } from '../../core/findings';
import { parseQuantity } from '../../core/rules/quantity';
import { parseKubernetesVersion } from '../../core/rules/versions';

/**
 * Rules of a target cluster (seed 004 Cluster) and the pure checks a cluster runs over synthesized
 * objects: which API versions a Kubernetes version serves, which API groups need an add-on, and
 * what the objects request at their maximum scale.
 */

/** The oldest Kubernetes minor version (1.x) the library supports: its objects are checked against 1.28. */
export const MIN_KUBERNETES_MINOR = 28;

const HOST_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A Kubernetes API server URL: https, a host (DNS name or IP address), an optional port, and no
 * user info, path, query or fragment, such as "https://api.example.com:6443".
 */
export const kubernetesApiUrl: Rule<string> = (value) => {
  const expected = 'a Kubernetes API server URL: https://, a host and an optional port, no path or query, such as "https://api.example.com:6443"';
  if (/\s/.test(value)) return expected;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return expected;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const hostOk = isIP(host) !== 0 || (host.length <= 253 && host.split('.').every((label) => label.length <= 63 && HOST_LABEL.test(label)));
  // Only the authority and an optional trailing "/": no path, and no "?" or "#" even when empty.
  const bare = /^https:\/\/[^/?#]+\/?$/i.test(value);
  const portOk = url.port === '' || Number(url.port) >= 1;
  return url.protocol === 'https:' && hostOk && portOk && url.username === '' && url.password === '' && bare ? undefined : expected;
};

/** A kubectl context name: non-empty, without whitespace. */
export const kubectlContext: Rule<string> = (value) =>
  value.length > 0 && !/\s/.test(value)
    ? undefined
    : 'a kubectl context name without whitespace, such as "kind-dev" or "prod-admin@prod" (see `kubectl config get-contexts`)';

/** A display name: 1-253 characters, no control characters, no surrounding whitespace. */
export const displayName: Rule<string> = (value) =>
  value.length > 0 && value.length <= 253 && value.trim() === value && !/[\u0000-\u001f\u007f]/.test(value)
    ? undefined
    : 'a display name of 1-253 characters without surrounding whitespace, such as "Production (eu-west-1)"';

/** A capability name: lowercase letters, digits, "-" and ".", such as "cert-manager" or "prometheus-operator". */
export const capabilityName: Rule<string> = (value) =>
  /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)
    ? undefined
    : 'a capability of lowercase letters, digits, "-" and ".", such as "cert-manager", "prometheus-operator" or an API group such as "example.com"';

/** A Kubernetes version the library supports: "v1.28.3", "1.28" or later. */
export const supportedKubernetesVersion: Rule<string> = (value) => {
  const parsed = parseKubernetesVersion(value);
  if (parsed === undefined) return `a Kubernetes version such as "v1.${MIN_KUBERNETES_MINOR}.3" or "1.${MIN_KUBERNETES_MINOR}"`;
  return parsed[0] === 1 && parsed[1] >= MIN_KUBERNETES_MINOR
    ? undefined
    : `a supported Kubernetes version: 1.${MIN_KUBERNETES_MINOR} or later (the objects are checked against the 1.${MIN_KUBERNETES_MINOR} schema)`;
};

/** One group/version of a built-in API: the minor version that first served it and the one that removed it. */
interface ServedVersion {
  readonly from: number;
  readonly removedIn?: number;
  /** What to use instead once removed (or before it is served). */
  readonly use?: string;
}

// Built-in group/versions (Kubernetes 1.x minors). The GA ones this library emits (v1, apps/v1,
// autoscaling/v2, policy/v1, networking.k8s.io/v1, batch/v1, rbac.authorization.k8s.io/v1) are all
// served from 1.23 on; the betas are listed with the release that removed them (deprecation guide).
const FLOWCONTROL_SUCCESSORS = 'flowcontrol.apiserver.k8s.io/v1beta3 (1.26-1.31) or v1 (1.29+)';
const SERVED_TABLE: Record<string, ServedVersion> = {
  'v1': { from: 0 },
  'apps/v1': { from: 9 },
  'apps/v1beta1': { from: 0, removedIn: 16, use: 'apps/v1' },
  'apps/v1beta2': { from: 0, removedIn: 16, use: 'apps/v1' },
  'batch/v1': { from: 0 },
  'batch/v1beta1': { from: 0, removedIn: 25, use: 'batch/v1' },
  'autoscaling/v1': { from: 2 },
  'autoscaling/v2': { from: 23 },
  'autoscaling/v2beta1': { from: 0, removedIn: 25, use: 'autoscaling/v2' },
  'autoscaling/v2beta2': { from: 0, removedIn: 26, use: 'autoscaling/v2' },
  'policy/v1': { from: 21 },
  'policy/v1beta1': { from: 0, removedIn: 25, use: 'policy/v1' },
  'extensions/v1beta1': { from: 0, removedIn: 22, use: 'networking.k8s.io/v1 (Ingress, NetworkPolicy) or apps/v1 (workloads)' },
  'networking.k8s.io/v1': { from: 8 },
  'networking.k8s.io/v1beta1': { from: 0, removedIn: 22, use: 'networking.k8s.io/v1' },
  'rbac.authorization.k8s.io/v1': { from: 8 },
  'rbac.authorization.k8s.io/v1beta1': { from: 0, removedIn: 22, use: 'rbac.authorization.k8s.io/v1' },
  'storage.k8s.io/v1': { from: 6 },
  'storage.k8s.io/v1beta1': { from: 0, removedIn: 27, use: 'storage.k8s.io/v1' },
  'scheduling.k8s.io/v1': { from: 14 },
  'scheduling.k8s.io/v1beta1': { from: 0, removedIn: 22, use: 'scheduling.k8s.io/v1' },
  'coordination.k8s.io/v1': { from: 14 },
  'coordination.k8s.io/v1beta1': { from: 0, removedIn: 22, use: 'coordination.k8s.io/v1' },
  'discovery.k8s.io/v1': { from: 21 },
  'discovery.k8s.io/v1beta1': { from: 0, removedIn: 25, use: 'discovery.k8s.io/v1' },
  'node.k8s.io/v1': { from: 20 },
  'node.k8s.io/v1beta1': { from: 0, removedIn: 25, use: 'node.k8s.io/v1' },
  'events.k8s.io/v1': { from: 19 },
  'events.k8s.io/v1beta1': { from: 0, removedIn: 25, use: 'events.k8s.io/v1' },
  'admissionregistration.k8s.io/v1': { from: 16 },
  'admissionregistration.k8s.io/v1beta1': { from: 0, removedIn: 22, use: 'admissionregistration.k8s.io/v1' },
  'apiextensions.k8s.io/v1': { from: 16 },
  'apiextensions.k8s.io/v1beta1': { from: 0, removedIn: 22, use: 'apiextensions.k8s.io/v1' },
  'apiregistration.k8s.io/v1': { from: 10 },
  'certificates.k8s.io/v1': { from: 19 },
  'certificates.k8s.io/v1beta1': { from: 0, removedIn: 22, use: 'certificates.k8s.io/v1' },
  'flowcontrol.apiserver.k8s.io/v1': { from: 29, use: 'flowcontrol.apiserver.k8s.io/v1beta3' },
  'flowcontrol.apiserver.k8s.io/v1beta3': { from: 26, removedIn: 32, use: 'flowcontrol.apiserver.k8s.io/v1' },
  'flowcontrol.apiserver.k8s.io/v1beta2': { from: 23, removedIn: 29, use: FLOWCONTROL_SUCCESSORS },
  'flowcontrol.apiserver.k8s.io/v1beta1': { from: 20, removedIn: 26, use: FLOWCONTROL_SUCCESSORS },
};

const SERVED = new Map(Object.entries(SERVED_TABLE));

/** API groups built into Kubernetes (the empty string is the core group). */
const BUILT_IN_GROUPS = new Set([...SERVED.keys()].map((gv) => groupOf(gv)).concat(['authentication.k8s.io', 'authorization.k8s.io']));

/** Kinds removed without a replacement in any API version. */
const REMOVED_KINDS = new Map([
  ['PodSecurityPolicy', 'Pod Security Admission (the pod-security.kubernetes.io/* namespace labels a Namespace sets) instead of PodSecurityPolicy, removed in 1.25'],
]);

/** The API group of an apiVersion: "" for "v1", "apps" for "apps/v1". */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether the API group is built into Kubernetes (not a custom resource). */
export function isBuiltInGroup(group: string): boolean {
  return BUILT_IN_GROUPS.has(group);
}

/**
 * For a built-in API group: what to use instead when Kubernetes 1.`minor` does not serve
 * `apiVersion` for `kind`, else undefined. Custom resource groups always pass here.
 */
export function unservedApiVersion(apiVersion: string, kind: string, minor: number): string | undefined {
  if (!isBuiltInGroup(groupOf(apiVersion))) return undefined;
  const version = `1.${minor}`;
  const removedKind = REMOVED_KINDS.get(kind);
  if (removedKind !== undefined) return removedKind;
  const served = SERVED.get(apiVersion);
  if (served === undefined) {
    const ga = [...SERVED.entries()]
      .filter(([gv, s]) => groupOf(gv) === groupOf(apiVersion) && s.removedIn === undefined && s.from <= minor)
      .map(([gv]) => gv);
    return `an API version Kubernetes ${version} serves by default${ga.length ? `, such as ${ga.join(' or ')}` : ''} (${apiVersion} is no built-in API version)`;
  }
  if (served.removedIn !== undefined && minor >= served.removedIn) {
    return `an API version Kubernetes ${version} serves, such as ${served.use} (${apiVersion} was removed in 1.${served.removedIn})`;
  }
  if (minor < served.from) {
    return `an API version Kubernetes ${version} serves, such as ${served.use} (${apiVersion} is served from 1.${served.from})`;
  }
  return undefined;
}

/** An add-on whose custom resources a chart may use, and how to get it. */
export interface AddOn {
  /** The capability string a cluster lists when it has the add-on. */
  readonly capability: string;
  /** What to install. */
  readonly install: string;
}

const ADD_ONS = new Map<string, AddOn>(Object.entries({
  'cert-manager.io': { capability: 'cert-manager', install: 'cert-manager (https://cert-manager.io/docs/installation/)' },
  'acme.cert-manager.io': { capability: 'cert-manager', install: 'cert-manager (https://cert-manager.io/docs/installation/)' },
  'monitoring.coreos.com': {
    capability: 'prometheus-operator',
    install: 'the Prometheus Operator (https://prometheus-operator.dev/, for example the kube-prometheus-stack Helm chart)',
  },
}));

/**
 * The add-on a custom resource API group needs: a known one (cert-manager.io needs "cert-manager",
 * monitoring.coreos.com "prometheus-operator"), else the group itself as the capability. Undefined
 * for built-in groups.
 */
export function addOnFor(group: string): AddOn | undefined {
  if (isBuiltInGroup(group)) return undefined;
  return ADD_ONS.get(group) ?? { capability: group, install: `the CustomResourceDefinitions of the API group "${group}"` };
}

/** Kinds that live outside namespaces: creating them needs cluster-wide permissions. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'VolumeAttachment',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration', 'PodSecurityPolicy', 'ClusterIssuer',
]);

/** Whether objects of this kind are cluster-scoped (no namespace). */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** "Kind namespace/name" of a synthesized object, for messages. */
export function describeObject(obj: any): string {
  const ns = obj?.metadata?.namespace;
  return `${obj?.kind} ${ns ? `${ns}/` : ''}${obj?.metadata?.name}`;
}

/** What synthesized objects request at their maximum scale. */
export interface QuotaDemand {
  /** CPU requests in cores. */
  readonly cpuCores: number;
  /** Memory requests in bytes. */
  readonly memoryBytes: number;
  /** Persistent volume claims in bytes (PVCs, plus StatefulSet claim templates times replicas). */
  readonly storageBytes: number;
  /** One line per workload, such as "Deployment shop/web: 4 pods x (500m CPU, 512Mi)". */
  readonly workloads: string[];
  /** One line per claim, such as "PersistentVolumeClaim shop/data: 1024Mi". */
  readonly claims: string[];
}

const MIB = 2 ** 20;

/**
 * Sums what `objects` request at their maximum scale, as a namespace ResourceQuota counts it:
 * container requests (a request defaults to its limit; an init container counts when it asks more
 * than the containers together) times the pods of each workload (an HPA's maxReplicas, else
 * `replicas`, else 1; a Job's or CronJob's parallelism; one pod per DaemonSet), and the storage of
 * PVCs and StatefulSet claim templates (times replicas).
 */
export function quotaDemand(objects: readonly any[]): QuotaDemand {
  const workloads: string[] = [];
  const claims: string[] = [];
  let cpu = 0;
  let memory = 0;
  let storage = 0;
  for (const obj of objects) {
    if (!obj || typeof obj !== 'object') continue;
    if (obj.kind === 'PersistentVolumeClaim') {
      const size = quantity(obj.spec?.resources?.requests?.storage);
      storage += size;
      claims.push(`${describeObject(obj)}: ${mebibytes(size)}`);
      continue;
    }
    const pod = podSpecOf(obj);
    if (pod === undefined) continue;
    const pods = podCount(obj, objects);
    const requests = podRequests(pod);
    cpu += pods * requests.cpu;
    memory += pods * requests.memory;
    workloads.push(`${describeObject(obj)}: ${pods} pod${pods === 1 ? '' : 's'} x (${millicores(requests.cpu)} CPU, ${mebibytes(requests.memory)})`);
    for (const template of obj.kind === 'StatefulSet' ? obj.spec?.volumeClaimTemplates ?? [] : []) {
      const size = quantity(template.spec?.resources?.requests?.storage);
      storage += pods * size;
      claims.push(`${describeObject(obj)} claim ${template.metadata?.name}: ${pods} x ${mebibytes(size)}`);
    }
  }
  return { cpuCores: cpu, memoryBytes: memory, storageBytes: storage, workloads, claims };
}

/** CPU cores as millicores, such as "1500m". */
export function millicores(cores: number): string {
  return `${Math.round(cores * 1000)}m`;
}

/** Bytes as whole MiB rounded up, such as "1536Mi". */
export function mebibytes(bytes: number): string {
  return `${Math.ceil(bytes / MIB - 1e-9)}Mi`;
}

function quantity(value: unknown): number {
  return value === undefined || value === null ? 0 : parseQuantity(String(value)) ?? 0;
}

function podSpecOf(obj: any): any {
  switch (obj.kind) {
    case 'Pod': return obj.spec ?? {};
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job': return obj.spec?.template?.spec ?? {};
    case 'CronJob': return obj.spec?.jobTemplate?.spec?.template?.spec ?? {};
    default: return undefined;
  }
}

function podCount(obj: any, objects: readonly any[]): number {
  switch (obj.kind) {
    case 'Pod':
    case 'DaemonSet': return 1;
    case 'Job': return obj.spec?.parallelism ?? 1;
    case 'CronJob': return obj.spec?.jobTemplate?.spec?.parallelism ?? 1;
    default: {
      const hpa = objects.find((o) => o?.kind === 'HorizontalPodAutoscaler'
        && o.spec?.scaleTargetRef?.kind === obj.kind
        && o.spec?.scaleTargetRef?.name === obj.metadata?.name
        && (o.metadata?.namespace ?? '') === (obj.metadata?.namespace ?? ''));
      return hpa?.spec?.maxReplicas ?? obj.spec?.replicas ?? 1;
    }
  }
}

function podRequests(spec: any): { cpu: number; memory: number } {
  const of = (c: any, key: string) => quantity(c?.resources?.requests?.[key] ?? c?.resources?.limits?.[key]);
  const sum = (key: string) => (spec.containers ?? []).reduce((total: number, c: any) => total + of(c, key), 0);
  const init = (key: string) => Math.max(0, ...(spec.initContainers ?? []).map((c: any) => of(c, key)));
  return { cpu: Math.max(sum('cpu'), init('cpu')), memory: Math.max(sum('memory'), init('memory')) };
}
