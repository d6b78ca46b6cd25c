/**
 * Internal to `ManifestPolicy`: RBAC. Roles and ClusterRoles that grant everything (`*`), command
 * execution in pods, Secret reads or privilege escalation, and bindings to the built-in roles that do.
 * A grant through a wildcard is reported once, as `rbac-no-wildcards`; Kubernetes' own `system:` roles
 * are exempt.
 */
import { list, Report, RuleId, show } from './rule-kit';
import { ManifestSet, ObjectRef } from '../../manifests';

/** What the built-in user-facing ClusterRoles grant that the rules below report. */
const BUILT_IN: { readonly [name: string]: RuleId[] } = {
  'cluster-admin': ['rbac-no-cluster-admin'],
  'admin': ['rbac-no-exec-attach', 'rbac-no-secret-read'],
  'edit': ['rbac-no-exec-attach', 'rbac-no-secret-read'],
};
const CORE_GROUPS = ['', '*'];
const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];

/** Runs the RBAC rules over every Role, ClusterRole and binding. */
export function checkRbac(index: ManifestSet, report: Report): void {
  for (const role of [...index.ofKind('Role'), ...index.ofKind('ClusterRole')]) {
    if (role.name.startsWith('system:')) continue;
    list(role.raw.rules).forEach((rule: any, i: number) => checkRule(role, rule, `rules[${i}]`, report));
  }
  for (const binding of [...index.ofKind('RoleBinding'), ...index.ofKind('ClusterRoleBinding')]) {
    checkBinding(index, binding, report);
  }
}

function strings(v: unknown): string[] {
  return list(v).map(String);
}

function checkRule(role: ObjectRef, rule: any, at: string, report: Report): void {
  const groups = strings(rule?.apiGroups);
  const resources = strings(rule?.resources);
  const verbs = strings(rule?.verbs);
  for (const [field, values] of [['apiGroups', groups], ['resources', resources], ['verbs', verbs], ['nonResourceURLs', strings(rule?.nonResourceURLs)]] as const) {
    if (values.includes('*')) {
      report(role, 'rbac-no-wildcards', `${at}.${field}`, `${field} is ${show(values)}; "*" grants everything there is, now and in the future: name each one`);
    }
  }
  const core = groups.some((g) => CORE_GROUPS.includes(g));
  const execs = resources.filter((r) => r === 'pods/exec' || r === 'pods/attach');
  const execVerbs = verbs.filter((v) => v === 'create' || v === 'get');
  if (core && execs.length && execVerbs.length) {
    report(role, 'rbac-no-exec-attach', `${at}.resources`,
      `grants ${execVerbs.join(', ')} on ${execs.join(', ')}: whoever holds it runs commands in the pods, with their secrets`);
  }
  const reads = verbs.filter((v) => v === 'get' || v === 'list' || v === 'watch');
  if (core && resources.includes('secrets') && reads.length) {
    report(role, 'rbac-no-secret-read', `${at}.resources`,
      `grants ${reads.join(', ')} on secrets${rule?.resourceNames ? ` (${show(rule.resourceNames)})` : ''}: whoever holds it reads every credential it covers; mount the Secret into the pod instead`);
  }
  const escalating = verbs.filter((v) => ESCALATING_VERBS.includes(v));
  if (escalating.length) {
    report(role, 'rbac-no-escalation', `${at}.verbs`,
      `grants ${escalating.join(', ')}: whoever holds it can gain permissions it was not given`);
  }
}

function checkBinding(index: ManifestSet, binding: ObjectRef, report: Report): void {
  const ref = binding.raw.roleRef;
  if (ref?.kind !== 'ClusterRole' && ref?.kind !== 'Role') return;
  const role = index.roleOf(binding);
  if (role) {
    // The role's own grants are reported on the role; a role that is all wildcards is cluster-admin.
    if (list(role.raw.rules).some((r: any) => ['apiGroups', 'resources', 'verbs'].every((f) => strings(r?.[f]).includes('*')))) {
      report(binding, 'rbac-no-cluster-admin', 'roleRef.name', `${ref.kind} ${role.name} grants every verb on every resource: this binding makes its subjects cluster administrators`);
    }
    return;
  }
  if (ref.kind !== 'ClusterRole') return;
  for (const rule of BUILT_IN[String(ref.name)] ?? []) {
    const message = rule === 'rbac-no-cluster-admin'
      ? 'binds cluster-admin: its subjects may do anything in the cluster'
      : rule === 'rbac-no-exec-attach'
        ? `binds the built-in ClusterRole ${ref.name}, which grants pods/exec and pods/attach`
        : `binds the built-in ClusterRole ${ref.name}, which grants reading Secrets`;
    report(binding, rule, 'roleRef.name', message);
  }
}
