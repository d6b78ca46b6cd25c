/**
 * TargetCluster's application RBAC (seed 004 Cluster `accessLevel`): the ServiceAccount and, per
 * managed namespace, a Role and RoleBinding with exactly the verbs and resources of the level.
 */
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { ClusterAccessLevel, ClusterRbacOptions, TargetCluster, TargetClusterProps } from '../../src/clusters/target-cluster';
import { ContainerImage } from '../../src/pod/container-image';
import { PolicyCheck } from '../../src/policy/policy-check';
import { DeploymentManifest } from '../../src/workloads/deployment-manifest';
import { findObject, objectsOfKind, synthError, synthManifests } from '../util/manifests';

const ADMIN_CONTEXT: TargetClusterProps = {
  name: 'Production',
  endpoint: 'https://api.prod.example.com:6443',
  context: 'admin@prod',
  version: '1.28',
  accessLevel: ClusterAccessLevel.ADMIN,
};

function build(rbac: Partial<ClusterRbacOptions> = {}, props: Partial<TargetClusterProps> = {}) {
  const chart = new Chart(Testing.app(), 'rbac', { namespace: 'toolhive', disableResourceNameHashes: true });
  const cluster = new TargetCluster(chart, 'cluster', { ...ADMIN_CONTEXT, ...props, rbac: { serviceAccountName: 'toolhive-api', ...rbac } });
  return { chart, cluster };
}

/** "group/resource: verbs" lines of a Role's rules, sorted. */
function grants(role: any): string[] {
  return role.rules.flatMap((r: any) => r.apiGroups.flatMap((g: string) => r.resources.map((res: string) => `${g || 'core'}/${res}: ${r.verbs.join(',')}`))).sort();
}

const R = 'get,list,watch';
const RW = 'get,list,watch,create,update,patch,delete';
const W = 'create,update,patch,delete';
const READ_ONLY = ['apps/deployments: ' + R, 'apps/replicasets: ' + R, 'core/configmaps: ' + R, 'core/events: ' + R, 'core/pods/log: ' + R, 'core/pods: ' + R, 'core/services: ' + R].sort();
const DEPLOY = ['apps/deployments: ' + RW, 'apps/replicasets: ' + R, 'core/configmaps: ' + RW, 'core/events: ' + R, 'core/pods/log: ' + R, 'core/pods: ' + R,
  'core/services: ' + RW, 'networking.k8s.io/networkpolicies: ' + W].sort();
const ADMIN = [...DEPLOY, 'rbac.authorization.k8s.io/rolebindings: ' + RW, 'rbac.authorization.k8s.io/roles: ' + RW].sort();

describe('TargetCluster RBAC', () => {
  test.each([
    [ClusterAccessLevel.READ_ONLY, 'toolhive-api-read-only', READ_ONLY],
    [ClusterAccessLevel.DEPLOY, 'toolhive-api-deploy', DEPLOY],
    [ClusterAccessLevel.ADMIN, 'toolhive-api-admin', ADMIN],
  ])('%s: exactly these verbs and resources, in a Role bound to the ServiceAccount', (accessLevel, roleName, expected) => {
    const objects = synthManifests(build({ accessLevel }).chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/toolhive-api', `Role/${roleName}`, `RoleBinding/${roleName}`,
    ]);
    const role = findObject(objects, 'Role', roleName);
    expect(role.metadata.namespace).toBe('toolhive');
    expect(grants(role)).toEqual(expected);
    expect(findObject(objects, 'RoleBinding', roleName)).toMatchObject({
      metadata: { namespace: 'toolhive' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: 'toolhive-api', namespace: 'toolhive' }],
    });
    expect(findObject(objects, 'ServiceAccount', 'toolhive-api')).toMatchObject({ metadata: { namespace: 'toolhive' }, automountServiceAccountToken: false });
    expect(objectsOfKind(objects, 'ClusterRole')).toEqual([]);
    expect(objectsOfKind(objects, 'ClusterRoleBinding')).toEqual([]);
  });

  test.each(Object.values(ClusterAccessLevel))('%s: no wildcard, no pods/exec, pods/attach, secrets, escalate, bind or impersonate', (accessLevel) => {
    const rules = findObject(synthManifests(build({ accessLevel }).chart), 'Role', `toolhive-api-${accessLevel.replace('_', '-')}`).rules;
    const all = (k: string) => rules.flatMap((r: any) => r[k] ?? []);
    expect(all('verbs').filter((v: string) => ['*', 'escalate', 'bind', 'impersonate'].includes(v))).toEqual([]);
    expect(all('resources').filter((r: string) => r.includes('*') || ['pods/exec', 'pods/attach', 'pods/portforward', 'secrets'].includes(r))).toEqual([]);
    expect(all('apiGroups').filter((g: string) => g === '*')).toEqual([]);
    expect(rules.every((r: any) => r.resourceNames === undefined && r.nonResourceURLs === undefined)).toBe(true);
  });

  test('the RBAC and the access level defaults: the cluster\'s level, the chart\'s namespace; a snapshot', () => {
    const { chart, cluster } = build({}, { accessLevel: ClusterAccessLevel.ADMIN });
    const objects = synthManifests(chart);
    expect(cluster.roles.map((r) => r.name)).toEqual(['toolhive-api-admin']);
    expect(cluster.serviceAccount?.name).toBe('toolhive-api');
    expect(objects).toMatchSnapshot();
  });

  test('the application\'s workload gets the token in its main container only, and passes the policy', () => {
    const { chart } = build();
    new DeploymentManifest(chart, 'api', {
      image: new ContainerImage(chart, 'api-image', { repository: 'toolhive/api', tag: '1.0.0' }),
      ports: [{ containerPort: 8080 }],
      serviceAccountName: 'toolhive-api',
      automountServiceAccountToken: true,
      sidecars: [{ name: 'proxy', image: new ContainerImage(chart, 'proxy-image', { repository: 'acme/proxy', tag: '1.0.0' }) }],
    });
    const objects = synthManifests(chart);
    const pod = findObject(objects, 'Deployment', 'api').spec.template.spec;
    expect(pod.serviceAccountName).toBe('toolhive-api');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes).toContainEqual({
      name: 'kube-api-access',
      projected: {
        defaultMode: 0o444,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
    const [api, proxy] = pod.containers;
    expect(api.volumeMounts).toContainEqual({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
    expect(proxy.volumeMounts.map((m: any) => m.name)).not.toContain('kube-api-access');
    const report = PolicyCheck.run(objects);
    expect(report.findings.filter((f) => f.rule.startsWith('sa-'))).toEqual([]);
    expect(report.waived).toEqual([]);
  });

  test('a pod that automounts the account\'s token is still reported (sa-token-not-automounted)', () => {
    const { chart } = build();
    const api = new DeploymentManifest(chart, 'api', {
      image: new ContainerImage(chart, 'api-image', { repository: 'toolhive/api', tag: '1.0.0' }),
      ports: [{ containerPort: 8080 }],
      serviceAccountName: 'toolhive-api',
    });
    api.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/automountServiceAccountToken', true));
    expect(PolicyCheck.run(synthManifests(chart)).warnings.map((w) => w.rule)).toEqual(['sa-token-not-automounted']);
  });

  test('a Role and RoleBinding in each managed namespace, all bound to the one ServiceAccount', () => {
    const objects = synthManifests(build({ namespace: 'toolhive', managedNamespaces: ['mcp-a', 'mcp-b'], accessLevel: ClusterAccessLevel.DEPLOY }).chart);
    const placed = (kind: string) => objectsOfKind(objects, kind).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(placed('Role')).toEqual(['mcp-a/toolhive-api-deploy', 'mcp-b/toolhive-api-deploy']);
    expect(placed('RoleBinding')).toEqual(['mcp-a/toolhive-api-deploy', 'mcp-b/toolhive-api-deploy']);
    for (const b of objectsOfKind(objects, 'RoleBinding')) expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'toolhive-api', namespace: 'toolhive' }]);
    expect(placed('ServiceAccount')).toEqual(['toolhive/toolhive-api']);
  });

  test('readNamespaces: the only ClusterRole, read-only on namespaces; it needs an admin context', () => {
    const objects = synthManifests(build({ readNamespaces: true, accessLevel: ClusterAccessLevel.DEPLOY }).chart);
    const role = findObject(objects, 'ClusterRole', 'toolhive-toolhive-api-namespaces');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }]);
    expect(findObject(objects, 'ClusterRoleBinding', 'toolhive-toolhive-api-namespaces')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'toolhive-toolhive-api-namespaces' },
      subjects: [{ kind: 'ServiceAccount', name: 'toolhive-api', namespace: 'toolhive' }],
    });
    const message = synthError(build({ readNamespaces: true }, { accessLevel: ClusterAccessLevel.DEPLOY }).chart);
    expect(message).toMatch(/\[rbac\/cluster\] accessLevel: got "deploy"; expected admin: the chart creates cluster-scoped objects \(ClusterRole toolhive-toolhive-api-namespaces, ClusterRoleBinding toolhive-toolhive-api-namespaces\)/);
    expect(objectsOfKind(objects, 'ClusterRole').concat(objectsOfKind(objects, 'ClusterRoleBinding')).map((o) => o.metadata.namespace)).toEqual([undefined, undefined]);
  });

  test('a read-only context cannot apply the RBAC objects: give the application its level separately', () => {
    expect(synthError(build({}, { accessLevel: ClusterAccessLevel.READ_ONLY }).chart))
      .toMatch(/accessLevel: got "read_only"; expected deploy or admin: a read-only context cannot apply the chart's 3 objects \(ServiceAccount toolhive\/toolhive-api, Role toolhive\/toolhive-api-read-only, RoleBinding toolhive\/toolhive-api-read-only\)/);
    expect(synthManifests(build({ accessLevel: ClusterAccessLevel.READ_ONLY }, { accessLevel: ClusterAccessLevel.DEPLOY }).chart)).toHaveLength(3);
  });

  test('without rbac the cluster emits no object', () => {
    const chart = new Chart(Testing.app(), 'plain', { namespace: 'toolhive' });
    const cluster = new TargetCluster(chart, 'cluster', ADMIN_CONTEXT);
    expect(synthManifests(chart)).toEqual([]);
    expect(cluster.roles).toEqual([]);
    expect(cluster.serviceAccount).toBeUndefined();
  });

  test.each([
    ['a ServiceAccount name that is not a DNS subdomain', { serviceAccountName: 'Toolhive_API' }, /\[rbac\/cluster\] rbac\.serviceAccountName: got "Toolhive_API"; expected a DNS-1123 subdomain/],
    ['a bad namespace', { namespace: 'Tool Hive' }, /rbac\.namespace: got "Tool Hive"; expected a DNS-1123 label/],
    ['a bad managed namespace', { managedNamespaces: ['ok', 'not_ok'] }, /rbac\.managedNamespaces\[1\]: got "not_ok"; expected a DNS-1123 label/],
    ['a namespace listed twice', { managedNamespaces: ['a', 'a'] }, /rbac\.managedNamespaces: got "a"; expected each namespace listed once/],
    ['no managed namespace', { managedNamespaces: [] }, /rbac\.managedNamespaces: got \[\]; expected at least one namespace the application works in/],
    ['an unknown access level', { accessLevel: 'root' as ClusterAccessLevel }, /rbac\.accessLevel: got "root"; expected one of read_only, deploy, admin/],
    ['a bad label value', { partOf: 'tool hive' }, /rbac\.partOf: got "tool hive"; expected a label value/],
  ])('refuses %s', (_what, rbac, message) => {
    expect(synthError(build(rbac).chart)).toMatch(message);
  });

  test('refuses RBAC without any namespace', () => {
    const chart = new Chart(Testing.app(), 'no-namespace');
    new TargetCluster(chart, 'cluster', { ...ADMIN_CONTEXT, rbac: { serviceAccountName: 'app' } });
    expect(synthError(chart)).toMatch(/rbac\.namespace: got nothing; expected the application's namespace \(or a chart with a namespace\)/);
  });
});
