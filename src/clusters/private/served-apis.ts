/**
 * Which API versions a Kubernetes version serves, which API groups need an add-on, and which kinds
 * are cluster-scoped: the tables a cluster checks synthesized objects against.
 */
import { apiGroupOf, isClusterScoped } from '../../core/object-identity';

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
  return apiGroupOf(apiVersion);
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
  'bitnami.com': { capability: 'sealed-secrets', install: 'the sealed-secrets controller (https://github.com/bitnami-labs/sealed-secrets, Helm chart sealed-secrets)' },
  'external-secrets.io': { capability: 'external-secrets', install: 'the External Secrets Operator (https://external-secrets.io/, Helm chart external-secrets) and a SecretStore' },
  'monitoring.coreos.com': {
    capability: 'prometheus-operator',
    install: 'the Prometheus Operator (https://prometheus-operator.dev/, for example the kube-prometheus-stack Helm chart)',
  },
}));

/**
 * The add-on a custom resource API group needs: a known one (cert-manager.io needs "cert-manager",
 * monitoring.coreos.com "prometheus-operator", bitnami.com "sealed-secrets", external-secrets.io
 * "external-secrets"), else the group itself as the capability. Undefined
 * for built-in groups.
 */
export function addOnFor(group: string): AddOn | undefined {
  if (isBuiltInGroup(group)) return undefined;
  return ADD_ONS.get(group) ?? { capability: group, install: `the CustomResourceDefinitions of the API group "${group}"` };
}

/** Whether objects of this kind are cluster-scoped (no namespace): creating them needs cluster-wide permissions. */
export { isClusterScoped };
