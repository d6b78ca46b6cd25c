/**
 * Security and reliability rules over synthesized objects that the Pod Security Standards do not cover
 * (those are `RestrictedProfile`'s): the merged kube-score / Polaris / kube-linter rules a synthesis
 * library should enforce, RBAC, and secret values, each with its level (see docs/DESIGN.md, `src/policy/`).
 */
import { ManifestPolicyOptions, PolicyLevel, PolicyRule, PolicyViolation } from './policy-types';
import { checkArgsOrThrow } from '../core/validation';
import { ManifestSet } from '../manifests';
import { MANIFEST_RULES, publicRule } from './private/rule-catalog';
import { chosenRules, runRules, tuning } from './private/rule-kit';

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
    options = options ?? {}; // JavaScript's null means "not set", as jsii treats it
    const index = new ManifestSet(manifests ?? []);
    const rules = chosenRules(MANIFEST_RULES, options.rules, options.skip);
    // One bucket per object: violations come out in object order without sorting or searching.
    const byObject: PolicyViolation[][] = [];
    runRules(index, rules, tuning(options), (obj, v) => (byObject[index.positionOf(obj)] ??= []).push(v));
    return byObject.flat();
  }

  /** Only the ERROR-level violations of `check`. */
  public static errors(manifests: any[], options: ManifestPolicyOptions = {}): PolicyViolation[] {
    return ManifestPolicy.check(manifests, options).filter((v) => v.level === PolicyLevel.ERROR);
  }

  /** Every rule this policy checks, with its level. */
  public static rules(): PolicyRule[] {
    return MANIFEST_RULES.map(publicRule);
  }
}
