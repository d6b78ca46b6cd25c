/**
 * Security and reliability rules over synthesized objects that the Pod Security Standards do not cover
 * (those are `RestrictedProfile`'s): the merged kube-score / Polaris / kube-linter rules a synthesis
 * library should enforce, RBAC, and secret values, each with its level (see docs/DESIGN.md, `src/policy/`).
 */
import { ManifestPolicyOptions, PolicyLevel, PolicyRule, PolicyViolation } from './policy-types';
import { checkArgsOrThrow } from '../core/validation';
import { ManifestSet, ObjectRef } from '../manifests';
import { checkFlows } from './private/flow-rules';
import { checkUniqueObjects } from './private/identity-rules';
import { checkObjects } from './private/object-rules';
import { checkPods } from './private/pod-rules';
import { checkRbac } from './private/rbac-rules';
import { RULE_IDS, RULES } from './private/rule-catalog';
import { RuleId, tuning } from './private/rule-kit';
import { checkSecretValues } from './private/secret-rules';

/**
 * Checks synthesized objects against the security and reliability rules of kube-score, Polaris and
 * kube-linter that are not Pod Security Standards controls (run `RestrictedProfile` for those), RBAC
 * grants, and secret values outside Secrets.
 *
 * Rules that relate objects (a Service and its pods, a PodDisruptionBudget and its Deployment, ...)
 * only match objects of one namespace; an object without `metadata.namespace` matches other objects
 * without one. Violations come in the order of the objects they sit on.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, ManifestPolicy, RestrictedProfile } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 * });
 *
 * // Any objects, yours or the library's: empty lists when every rule holds.
 * const objects = chart.toJson();
 * const errors = ManifestPolicy.errors(objects);
 * const podSecurity = RestrictedProfile.check(objects);
 */
export class ManifestPolicy {
  /**
   * Returns every violation in the given manifests (plain objects, e.g. from `chart.toJson()`); empty
   * when all comply. Throws when `options` name an unknown rule id.
   */
  public static check(manifests: any[], options: ManifestPolicyOptions = {}): PolicyViolation[] {
    checkArgsOrThrow('ManifestPolicy', 'static check', [manifests, options]);
    // JavaScript's null means "not set", as jsii treats it.
    return ManifestPolicy._checkSet(new ManifestSet(manifests ?? []), options ?? {});
  }

  /** Only the ERROR-level violations of `check`. */
  public static errors(manifests: any[], options: ManifestPolicyOptions = {}): PolicyViolation[] {
    return ManifestPolicy.check(manifests, options).filter((v) => v.level === PolicyLevel.ERROR);
  }

  /** Every rule this policy checks, with its level. */
  public static rules(): PolicyRule[] {
    return RULE_IDS.map((id) => ({ id, level: RULES[id][0], description: RULES[id][1] }));
  }

  /**
   * `check` over an index already built; with `sink`, each violation goes there with its object
   * instead (and the result is empty). @internal
   */
  public static _checkSet(index: ManifestSet, options: ManifestPolicyOptions = {},
    sink?: (obj: ObjectRef, v: PolicyViolation) => void): PolicyViolation[] {
    const tune = tuning(options, RULE_IDS);
    // One bucket per object: violations come out in object order without sorting or searching.
    const byObject: PolicyViolation[][] = [];
    const report = (obj: ObjectRef, control: RuleId, path: string, message: string, related?: ObjectRef) => {
      if (!tune.enabled(control)) return;
      const v: PolicyViolation = {
        kind: obj.kind,
        name: obj.name,
        ...(obj.namespace ? { namespace: obj.namespace } : {}),
        control,
        path,
        message,
        level: RULES[control][0],
        ...(related ? { relatedObjectIndex: index.positionOf(related) } : {}),
      };
      if (sink) sink(obj, v); else (byObject[index.positionOf(obj)] ??= []).push(v);
    };
    checkPods(index, tune, report);
    checkObjects(index, tune, report);
    checkRbac(index, report);
    if (tune.enabled('secret-values')) checkSecretValues(index, report);
    if (tune.enabled('networkpolicy-blocks-flow')) checkFlows(index, options, report);
    if (tune.enabled('object-unique')) checkUniqueObjects(index, report);
    return byObject.flat();
  }
}
