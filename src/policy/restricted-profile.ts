/**
 * Pod Security Standards (policy v1.28), baseline + restricted, over synthesized objects. The
 * controls, their levels and checks are in `private/pod-security-rules.ts`.
 */
import { PolicyRule, PolicyViolation, RestrictedProfileOptions } from './policy-types';
import { POD_SECURITY_RULES, podSecurityControls } from './private/pod-security-rules';
import { publicRule } from './private/rule-catalog';
import { runRules, tuning } from './private/rule-kit';
import { checkArgsOrThrow } from '../core/validation';
import { ManifestSet } from '../manifests';

/**
 * Checks pod specs against every Pod Security Standards v1.28 baseline and restricted control.
 *
 * Pod specs are found in Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
 * Job (`spec.template`) and CronJob (`spec.jobTemplate.spec.template`); init, regular and ephemeral
 * containers are all checked. Other kinds are ignored.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, RestrictedProfile } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 * });
 *
 * // Every Pod Security Standards v1.28 baseline and restricted control, on every pod template:
 * // an empty list, since the library's pods are restricted by default.
 * const violations = RestrictedProfile.check(chart.toJson());
 */
export class RestrictedProfile {
  /**
   * Returns every violation in the given manifests (plain objects, e.g. from `chart.toJson()`), each
   * an ERROR tagged with its control's level; empty when all comply.
   */
  public static check(manifests: any[], options: RestrictedProfileOptions = {}): PolicyViolation[] {
    checkArgsOrThrow('RestrictedProfile', 'static check', [manifests, options]);
    const out: PolicyViolation[] = [];
    runRules(new ManifestSet(manifests ?? []), podSecurityControls((options ?? {}).level), tuning({}), (_obj, v) => out.push(v));
    return out;
  }

  /** Every control, with its Pod Security Standards level (every violation is an ERROR). */
  public static rules(): PolicyRule[] {
    return POD_SECURITY_RULES.map(publicRule);
  }
}
