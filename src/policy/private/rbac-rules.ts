/**
 * Internal to `ManifestPolicy`: RBAC. Roles and ClusterRoles that grant everything (`*`), command
 * execution in pods, Secret reads or privilege escalation, and bindings to the built-in roles that do.
 * A grant through a wildcard is reported once, as `rbac-no-wildcards`; Kubernetes' own `system:` roles
 * are exempt.
 */
import { family, list, RuleFamily, RuleScope, show } from './rule-kit';
import { ObjectRef } from '../../manifests';
import { PolicyLevel } from '../policy-types';

const ROLE_KINDS = ['Role', 'ClusterRole'];
const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];
const CORE_GROUPS = ['', '*'];
const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];

function strings(v: unknown): string[] {
  return list(v).map(String);
}

/** Calls `check` with each rule of a role that is not one of Kubernetes' own (`system:`). */
function eachRule(role: ObjectRef, check: (rule: any, at: string) => void): void {
  if (role.name.startsWith('system:')) return;
  list(role.raw.rules).forEach((rule: any, i: number) => check(rule ?? {}, `rules[${i}]`));
}

/** A binding to a built-in ClusterRole not among the objects, with its name. */
function builtInRoleOf(binding: ObjectRef, at: RuleScope): string | undefined {
  const ref = binding.raw.roleRef;
  if (ref?.kind !== 'ClusterRole' || at.index.roleOf(binding)) return undefined;
  return String(ref.name);
}

export const RBAC_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'rbac-no-cluster-admin',
    level: PolicyLevel.WARNING,
    description: 'no binding grants cluster-admin, or a role whose rules are all wildcards',
    kinds: BINDING_KINDS,
    object: (binding, at) => {
      const ref = binding.raw.roleRef;
      const role = at.index.roleOf(binding);
      if (role) {
        if (list(role.raw.rules).some((r: any) => ['apiGroups', 'resources', 'verbs'].every((f) => strings(r?.[f]).includes('*')))) {
          at.report('roleRef.name', `${ref.kind} ${role.name} grants every verb on every resource: this binding makes its subjects cluster administrators`);
        }
      } else if (builtInRoleOf(binding, at) === 'cluster-admin') {
        at.report('roleRef.name', 'binds cluster-admin: its subjects may do anything in the cluster');
      }
    },
  },
  {
    id: 'rbac-no-wildcards',
    level: PolicyLevel.WARNING,
    description: 'Role and ClusterRole rules name their apiGroups, resources and verbs (no "*")',
    kinds: ROLE_KINDS,
    object: (role, at) => eachRule(role, (rule, where) => {
      for (const field of ['apiGroups', 'resources', 'verbs', 'nonResourceURLs']) {
        const values = strings(rule[field]);
        if (values.includes('*')) at.report(`${where}.${field}`, `${field} is ${show(values)}; "*" grants everything there is, now and in the future: name each one`);
      }
    }),
  },
  {
    id: 'rbac-no-exec-attach',
    level: PolicyLevel.WARNING,
    description: 'no role or binding grants pods/exec or pods/attach',
    kinds: [...ROLE_KINDS, ...BINDING_KINDS],
    object: (obj, at) => {
      if (BINDING_KINDS.includes(obj.kind)) {
        const name = builtInRoleOf(obj, at);
        if (name === 'admin' || name === 'edit') at.report('roleRef.name', `binds the built-in ClusterRole ${name}, which grants pods/exec and pods/attach`);
        return;
      }
      eachRule(obj, (rule, where) => {
        const core = strings(rule.apiGroups).some((g) => CORE_GROUPS.includes(g));
        const execs = strings(rule.resources).filter((r) => r === 'pods/exec' || r === 'pods/attach');
        const verbs = strings(rule.verbs).filter((v) => v === 'create' || v === 'get');
        if (core && execs.length && verbs.length) {
          at.report(`${where}.resources`, `grants ${verbs.join(', ')} on ${execs.join(', ')}: whoever holds it runs commands in the pods, with their secrets`);
        }
      });
    },
  },
  {
    id: 'rbac-no-secret-read',
    level: PolicyLevel.WARNING,
    description: 'no role or binding grants get, list or watch on secrets',
    kinds: [...ROLE_KINDS, ...BINDING_KINDS],
    object: (obj, at) => {
      if (BINDING_KINDS.includes(obj.kind)) {
        const name = builtInRoleOf(obj, at);
        if (name === 'admin' || name === 'edit') at.report('roleRef.name', `binds the built-in ClusterRole ${name}, which grants reading Secrets`);
        return;
      }
      eachRule(obj, (rule, where) => {
        const core = strings(rule.apiGroups).some((g) => CORE_GROUPS.includes(g));
        const reads = strings(rule.verbs).filter((v) => v === 'get' || v === 'list' || v === 'watch');
        if (core && strings(rule.resources).includes('secrets') && reads.length) {
          at.report(`${where}.resources`,
            `grants ${reads.join(', ')} on secrets${rule.resourceNames ? ` (${show(rule.resourceNames)})` : ''}: whoever holds it reads every credential it covers; mount the Secret into the pod instead`);
        }
      });
    },
  },
  {
    id: 'rbac-no-escalation',
    level: PolicyLevel.WARNING,
    description: 'no role or binding grants escalate, bind or impersonate',
    kinds: ROLE_KINDS,
    object: (role, at) => eachRule(role, (rule, where) => {
      const escalating = strings(rule.verbs).filter((v) => ESCALATING_VERBS.includes(v));
      if (escalating.length) at.report(`${where}.verbs`, `grants ${escalating.join(', ')}: whoever holds it can gain permissions it was not given`);
    }),
  },
]);
