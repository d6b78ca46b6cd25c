/**
 * Internal to `ManifestPolicy`: RBAC, read as the API server's authorizer reads it. A rule allows a
 * request when its apiGroups hold the group or `*`, its verbs the verb or `*`, and its resources
 * the resource, `*` (every resource and subresource), the `resource/subresource` pair or
 * `*\/subresource` (that subresource of any resource); `pods/*` is no wildcard to RBAC and grants
 * nothing. So `resources: ["*"], verbs: ["*"]` grants `pods/exec` like `resources: ["pods/exec"],
 * verbs: ["create"]` does. A binding inherits the findings of the role it binds: one among the
 * objects, or Kubernetes' default user-facing ClusterRoles (cluster-admin, admin, edit). Kubernetes'
 * own `system:` roles and bindings are exempt unless `checkSystemRbac`.
 */
import { family, list, RuleFamily, RuleScope, show } from './rule-kit';
import { ObjectRef } from '../../manifests';
import { PolicyLevel } from '../policy-types';

const ROLE_KINDS = ['Role', 'ClusterRole'];
const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];
const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The verbs of the API server's resource requests: a role granting them all on everything is cluster-admin. */
const EVERY_VERB = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** One rule of a role, as written. */
interface RbacRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames: string[];
}

function strings(v: unknown): string[] {
  return list(v).filter((s) => typeof s === 'string');
}

function rbacRule(raw: any): RbacRule {
  return {
    apiGroups: strings(raw?.apiGroups),
    resources: strings(raw?.resources),
    verbs: strings(raw?.verbs),
    resourceNames: strings(raw?.resourceNames),
  };
}

/** Whether `rule` allows `verb` on `resource` (`pods` or `pods/exec`) of `group`, as the RBAC authorizer decides. */
export function allows(rule: RbacRule, group: string, resource: string, verb: string): boolean {
  const subresource = resource.includes('/') ? resource.slice(resource.indexOf('/') + 1) : '';
  const resourceMatches = rule.resources.some((r) => r === '*' || r === resource || (subresource !== '' && r === `*/${subresource}`));
  return (rule.apiGroups.includes('*') || rule.apiGroups.includes(group)) && resourceMatches && (rule.verbs.includes('*') || rule.verbs.includes(verb));
}

/** What a role grants that the rules report: one entry per grant the role holds, naming the rule that gives it. */
interface Grants {
  readonly clusterAdmin?: string;
  readonly execAttach: Array<{ at: string; what: string }>;
  readonly secretRead: Array<{ at: string; what: string }>;
  readonly escalation: Array<{ at: string; what: string }>;
}

/** The verbs of `verbs` that `rule` allows on `resource` of `group`. */
function allowed(rule: RbacRule, group: string, resource: string, verbs: string[]): string[] {
  return verbs.filter((v) => allows(rule, group, resource, v));
}

/** What the rules of a role grant (rules given as written; `rules[i]` paths). */
function grantsOf(rawRules: unknown): Grants {
  const rules = list(rawRules).map(rbacRule);
  const grants: Grants = { execAttach: [], secretRead: [], escalation: [] };
  // Every verb on every resource of every group, by "*" or by listing (over all unrestricted rules).
  const everything = rules.map((r, i) => ({ r, i })).filter(({ r }) => r.apiGroups.includes('*') && r.resources.includes('*') && r.resourceNames.length === 0);
  const verbs = new Set(everything.flatMap(({ r }) => r.verbs));
  const clusterAdmin = everything.length && (verbs.has('*') || EVERY_VERB.every((v) => verbs.has(v))) ? `rules[${everything[0].i}]` : undefined;
  rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    const execs = ['pods/exec', 'pods/attach'].map((sub) => ({ sub, verbs: allowed(rule, '', sub, ['create', 'get']) })).filter((e) => e.verbs.length);
    if (execs.length) grants.execAttach.push({ at, what: execs.map((e) => `${e.verbs.join(' and ')} on ${e.sub}`).join(', ') });
    const reads = allowed(rule, '', 'secrets', ['get', 'list', 'watch']);
    if (reads.length) grants.secretRead.push({ at, what: `${reads.join(', ')} on secrets${rule.resourceNames.length ? ` (${show(rule.resourceNames)})` : ''}` });
    const onRoles = ['escalate', 'bind'].filter((v) => allows(rule, RBAC_GROUP, 'roles', v) || allows(rule, RBAC_GROUP, 'clusterroles', v));
    const impersonated = [
      ...['users', 'groups', 'serviceaccounts'].filter((r) => allows(rule, '', r, 'impersonate')),
      ...['uids', 'userextras/scopes'].filter((r) => allows(rule, 'authentication.k8s.io', r, 'impersonate')),
    ];
    const escalating = [
      ...(onRoles.length ? [`${onRoles.join(' and ')} on roles`] : []),
      ...(impersonated.length ? [`impersonate on ${impersonated.join(', ')}`] : []),
    ];
    if (escalating.length) grants.escalation.push({ at, what: escalating.join('; ') });
  });
  return { ...grants, ...(clusterAdmin ? { clusterAdmin } : {}) };
}

/** What admin and edit (through `system:aggregate-to-edit`) grant that the rules read: exec and attach, Secrets, impersonation. */
const EDITOR_RULES = [
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'secrets'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
];

/** Kubernetes' default user-facing ClusterRoles, as far as the rules below read them. */
const DEFAULT_CLUSTER_ROLES: { readonly [name: string]: unknown[] } = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }],
  'admin': EDITOR_RULES,
  'edit': EDITOR_RULES,
};

/** Kubernetes' own RBAC objects (`system:` names), exempt unless `checkSystemRbac`. */
function exempt(obj: ObjectRef, at: RuleScope): boolean {
  return obj.name.startsWith('system:') && !at.tuning.checkSystemRbac;
}

/** The role a binding binds (among the objects, or a default ClusterRole), with a name for messages. */
function boundRole(binding: ObjectRef, at: RuleScope): { name: string; rules: unknown } | undefined {
  const ref = binding.raw.roleRef;
  if (ref?.kind !== 'ClusterRole' && ref?.kind !== 'Role') return undefined;
  const role = at.index.roleOf(binding);
  if (role) return { name: `${role.kind} ${role.name}`, rules: role.raw.rules };
  const builtIn = ref.kind === 'ClusterRole' ? DEFAULT_CLUSTER_ROLES[String(ref.name)] : undefined;
  return builtIn ? { name: `the default ClusterRole ${ref.name}`, rules: builtIn } : undefined;
}

/**
 * A rule over roles and bindings: a role reports each of its rules that grants `pick`; a binding
 * reports once that the role it binds grants it. A role that grants everything is reported once,
 * as rbac-no-cluster-admin, which says more.
 */
function grantRule(pick: (g: Grants) => Array<{ at: string; what: string }>, field: 'resources' | 'verbs', why: string) {
  return (obj: ObjectRef, at: RuleScope) => {
    if (exempt(obj, at)) return;
    const binding = BINDING_KINDS.includes(obj.kind);
    const role = binding ? boundRole(obj, at) : { name: '', rules: obj.raw.rules };
    if (!role) return;
    const grants = grantsOf(role.rules);
    if (grants.clusterAdmin) return;
    const found = pick(grants);
    if (binding && found.length) at.report('roleRef.name', `binds ${role.name}, which grants ${found.map((f) => f.what).join('; ')}: ${why}`);
    if (!binding) for (const { at: where, what } of found) at.report(`${where}.${field}`, `grants ${what}: ${why}`);
  };
}

export const RBAC_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'rbac-no-cluster-admin',
    level: PolicyLevel.WARNING,
    description: 'no role grants every verb on every resource of every group (by "*" or by listing them), and no binding binds such a role (cluster-admin among them)',
    kinds: [...ROLE_KINDS, ...BINDING_KINDS],
    object: (obj, at) => {
      if (exempt(obj, at)) return;
      const why = 'whoever holds it may do anything in the cluster';
      if (BINDING_KINDS.includes(obj.kind)) {
        const role = boundRole(obj, at);
        if (role && grantsOf(role.rules).clusterAdmin) at.report('roleRef.name', `binds ${role.name}, which grants every verb on every resource: ${why}`);
        return;
      }
      const where = grantsOf(obj.raw.rules).clusterAdmin;
      if (where) at.report(where, `the rules grant every verb on every resource of every group: ${why}`);
    },
  },
  {
    id: 'rbac-no-wildcards',
    level: PolicyLevel.WARNING,
    description: 'Role and ClusterRole rules name their apiGroups, resources and verbs (no "*"; "pods/*" is no RBAC wildcard and matches nothing)',
    kinds: ROLE_KINDS,
    object: (role, at) => {
      if (exempt(role, at)) return;
      list(role.raw.rules).forEach((raw: any, i: number) => {
        for (const field of ['apiGroups', 'resources', 'verbs', 'nonResourceURLs']) {
          const values = strings(raw?.[field]);
          if (values.includes('*')) {
            at.report(`rules[${i}].${field}`, `${field} is ${show(values)}; "*" grants everything there is, now and in the future: name each one`);
          }
        }
        const unmatched = strings(raw?.resources).filter((r) => r.includes('*') && r !== '*' && !/^\*\/[^*/]+$/.test(r));
        if (unmatched.length) {
          at.report(`rules[${i}].resources`,
            `resources ${show(unmatched)} match no resource: RBAC knows only "*" and "*/<subresource>", so this grants nothing; name the subresources (pods/exec, pods/log)`);
        }
      });
    },
  },
  {
    id: 'rbac-no-exec-attach',
    level: PolicyLevel.WARNING,
    description: 'no role or binding grants create (or get, for old clients) on pods/exec or pods/attach, by any spelling ("*", "*/exec", "pods/exec")',
    kinds: [...ROLE_KINDS, ...BINDING_KINDS],
    object: grantRule((g) => g.execAttach, 'resources', 'whoever holds it runs commands in the pods, with their secrets'),
  },
  {
    id: 'rbac-no-secret-read',
    level: PolicyLevel.WARNING,
    description: 'no role or binding grants get, list or watch on secrets, by any spelling',
    kinds: [...ROLE_KINDS, ...BINDING_KINDS],
    object: grantRule((g) => g.secretRead, 'resources', 'whoever holds it reads every credential it covers; mount the Secret into the pod instead'),
  },
  {
    id: 'rbac-no-escalation',
    level: PolicyLevel.WARNING,
    description: 'no role or binding grants escalate or bind on roles, or impersonate, by any spelling',
    kinds: [...ROLE_KINDS, ...BINDING_KINDS],
    object: grantRule((g) => g.escalation, 'verbs', 'whoever holds it can gain permissions it was not given'),
  },
]);
