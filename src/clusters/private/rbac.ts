/**
 * The least-privilege RBAC of an application per access level (seed 004 Cluster `accessLevel`):
 * which verbs on which resources, in each managed namespace. No wildcard, no pods/exec or
 * pods/attach, no secrets, no escalate, bind or impersonate, no ClusterRole but an optional
 * read-only one for Namespaces.
 */
import { Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** The access levels, as the ClusterAccessLevel enum values. @internal */
export type AccessLevelValue = 'read_only' | 'deploy' | 'admin';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/** One grant: verbs on a resource of an API group ("" is the core group). */
interface Grant {
  readonly group: string;
  readonly resource: string;
  readonly verbs: readonly string[];
}

const READ_ONLY: Grant[] = [
  ...['pods', 'pods/log', 'services', 'events', 'configmaps'].map((resource) => ({ group: '', resource, verbs: READ })),
  ...['deployments', 'replicasets'].map((resource) => ({ group: 'apps', resource, verbs: READ })),
];
const DEPLOY: Grant[] = [
  ...READ_ONLY,
  ...['services', 'configmaps'].map((resource) => ({ group: '', resource, verbs: WRITE })),
  { group: 'apps', resource: 'deployments', verbs: WRITE },
  { group: 'networking.k8s.io', resource: 'networkpolicies', verbs: WRITE },
];
const ADMIN: Grant[] = [
  ...DEPLOY,
  ...['roles', 'rolebindings'].map((resource) => ({ group: 'rbac.authorization.k8s.io', resource, verbs: [...READ, ...WRITE] })),
];
const GRANTS: Record<AccessLevelValue, Grant[]> = { read_only: READ_ONLY, deploy: DEPLOY, admin: ADMIN };
const VERB_ORDER = [...READ, ...WRITE];
const GROUP_ORDER = ['', 'apps', 'networking.k8s.io', 'rbac.authorization.k8s.io'];

/**
 * The Role rules of an access level: per API group, the resources that share the same verbs, in a
 * fixed order (deterministic output).
 * @internal
 */
export function roleRules(level: AccessLevelValue): k8s.PolicyRule[] {
  const verbsOf = new Map<string, Set<string>>();
  const resourceOrder: string[] = [];
  for (const g of GRANTS[level]) {
    const key = `${g.group}|${g.resource}`;
    if (!verbsOf.has(key)) {
      verbsOf.set(key, new Set());
      resourceOrder.push(key);
    }
    for (const v of g.verbs) verbsOf.get(key)!.add(v);
  }
  const rules: k8s.PolicyRule[] = [];
  for (const group of GROUP_ORDER) {
    const byVerbs = new Map<string, string[]>();
    for (const key of resourceOrder.filter((k) => k.startsWith(`${group}|`))) {
      const verbs = VERB_ORDER.filter((v) => verbsOf.get(key)!.has(v)).join(',');
      byVerbs.set(verbs, [...(byVerbs.get(verbs) ?? []), key.slice(group.length + 1)]);
    }
    for (const [verbs, resources] of byVerbs) rules.push({ apiGroups: [group], resources, verbs: verbs.split(',') });
  }
  return rules;
}

/** What the RBAC objects of an application are made of. @internal */
export interface RbacInput {
  readonly serviceAccountName: string;
  readonly namespace: string;
  readonly managedNamespaces: string[];
  readonly level: AccessLevelValue;
  readonly readNamespaces: boolean;
  readonly labels: Record<string, string>;
}

/** The RBAC objects of an application. @internal */
export interface RbacObjects {
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly roles: k8s.KubeRole[];
  readonly roleBindings: k8s.KubeRoleBinding[];
  readonly clusterRole?: k8s.KubeClusterRole;
  readonly clusterRoleBinding?: k8s.KubeClusterRoleBinding;
}

/**
 * The application's ServiceAccount (whose token only the application's container mounts), a Role and RoleBinding
 * per managed namespace, and, when asked, a read-only ClusterRole for Namespaces.
 * @internal
 */
export function emitRbac(scope: Construct, input: RbacInput): RbacObjects {
  const sa = input.serviceAccountName;
  const labels = input.labels;
  const subjects: k8s.Subject[] = [{ kind: 'ServiceAccount', name: sa, namespace: input.namespace }];
  const roleName = `${sa}-${input.level.replace(/_/g, '-')}`;
  const serviceAccount = new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: { name: sa, namespace: input.namespace, labels },
    // No pod gets this account's token unasked: the application's workload mounts it explicitly
    // (WorkloadProps.automountServiceAccountToken: a projected volume in its main container).
    automountServiceAccountToken: false,
  });
  const roles: k8s.KubeRole[] = [];
  const roleBindings: k8s.KubeRoleBinding[] = [];
  for (const ns of input.managedNamespaces) {
    roles.push(new k8s.KubeRole(scope, `Role-${ns}`, {
      metadata: { name: roleName, namespace: ns, labels },
      rules: roleRules(input.level),
    }));
    roleBindings.push(new k8s.KubeRoleBinding(scope, `RoleBinding-${ns}`, {
      metadata: { name: roleName, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects,
    }));
  }
  if (!input.readNamespaces) return { serviceAccount, roles, roleBindings };
  const clusterName = `${input.namespace}-${sa}-namespaces`;
  const clusterRole = new k8s.KubeClusterRole(scope, 'ClusterRole', {
    metadata: { name: clusterName, labels },
    rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: [...READ] }],
  });
  const clusterRoleBinding = new k8s.KubeClusterRoleBinding(scope, 'ClusterRoleBinding', {
    metadata: { name: clusterName, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
    subjects,
  });
  // Cluster-scoped: they must not inherit the chart's namespace.
  if (Chart.of(scope).namespace !== undefined) {
    for (const o of [clusterRole, clusterRoleBinding]) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return { serviceAccount, roles, roleBindings, clusterRole, clusterRoleBinding };
}
