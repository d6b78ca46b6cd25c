/**
 * Internal to `policy`: the one rule catalog. Each rule's id, level, description and check are
 * written together once, in the file of its family (below); this list puts them in order. Every
 * list of rules reads it: `PolicyCheck.rules()`, `RestrictedProfile.rules()`, `ManifestPolicy.rules()`,
 * `deploykit check --list-rules`, the SARIF rule table and docs/policy-rules.md.
 *
 * A rule's level is ERROR when the API server refuses the object (a Pod Security Standards control
 * at the level the namespace enforces included), it breaks at run time, or it exposes a secret;
 * WARNING otherwise, however many linters block on it: a manifest that real clusters run (an
 * unpinned image, no memory limit, a writable root filesystem) is not refused by a false error.
 */
import { FLOW_RULES } from './flow-rules';
import { IDENTITY_RULES } from './identity-rules';
import { OBJECT_RULES } from './object-rules';
import { CONTAINER_RULES, CONTAINER_SECURITY_RULES, POD_IDENTITY_RULES } from './pod-rules';
import { POD_SECURITY_RULES } from './pod-security-rules';
import { PROBE_PORT_RULES } from './probe-port-rules';
import { RBAC_RULES } from './rbac-rules';
import { RESTART_RULES } from './restart-rules';
import { Rule, RuleFamily } from './rule-kit';
import { SCHEMA_RULES } from './schema/schema-rule';
import { SECRET_RULES } from './secret-rules';
import { SERVICE_RULES } from './service-rules';
import { WAIVER_RULES } from './waiver-rules';
import { WORKLOAD_RULES } from './workload-rules';
import { PolicyRule } from '../policy-types';

/** `ManifestPolicy`'s rules, by topic; an object's violations come in this order. */
export const MANIFEST_RULES: readonly Rule[] = [
  ...CONTAINER_RULES, ...RESTART_RULES, ...SECRET_RULES, ...PROBE_PORT_RULES, ...CONTAINER_SECURITY_RULES, ...SERVICE_RULES, ...FLOW_RULES,
  ...WORKLOAD_RULES, ...OBJECT_RULES, ...POD_IDENTITY_RULES, ...RBAC_RULES, ...IDENTITY_RULES,
];

/** Every rule: the schema, the Pod Security Standards controls, `ManifestPolicy`'s rules, the waiver rules. */
export const CATALOG: readonly Rule[] = [...SCHEMA_RULES, ...POD_SECURITY_RULES, ...MANIFEST_RULES, ...WAIVER_RULES];

/** The rules of one family, in catalog order. */
export function rulesOf(f: RuleFamily): Rule[] {
  return CATALOG.filter((r) => r.family === f);
}

/** A rule as the public API describes it. */
export function publicRule(r: Rule): PolicyRule {
  return { id: r.id, level: r.level, description: r.description, ...(r.podSecurityLevel ? { podSecurityLevel: r.podSecurityLevel } : {}) };
}
