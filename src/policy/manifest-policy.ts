/**
 * Security and reliability rules over synthesized objects that the Pod Security Standards do not cover
 * (those are `RestrictedProfile`'s): the merged kube-score / Polaris / kube-linter rules a synthesis
 * library should enforce, each with its level (see docs/DESIGN.md, `src/policy/`).
 */
import { checkArgsOrThrow } from '../core/validation';
import { ManifestSet, ObjectRef } from '../manifests';
import { checkObjects } from './private/object-rules';
import { checkPods } from './private/pod-rules';
import { RuleId } from './private/rule-kit';
import { PolicyLevel, PolicyViolation } from './restricted-profile';

/** One rule `ManifestPolicy` checks. */
export interface PolicyRule {
  /** The rule id, reported as `PolicyViolation.control`, e.g. `image-pinned-tag`. */
  readonly id: string;
  /** The level of every violation of this rule. */
  readonly level: PolicyLevel;
  /** What a compliant manifest does. */
  readonly description: string;
}

const E = PolicyLevel.ERROR;
const W = PolicyLevel.WARNING;

/** Every rule, in report order within an object: level and what compliance means. */
const RULES: { readonly [id in RuleId]: [PolicyLevel, string] } = {
  'image-pinned-tag': [E, 'every container image has an explicit tag other than latest, or a digest'],
  'image-pull-policy-always': [W, 'init and regular containers set imagePullPolicy: Always'],
  'resources-memory-limit': [E, 'init and regular containers set a non-zero limits.memory'],
  'resources-cpu-request': [W, 'init and regular containers set a non-zero requests.cpu'],
  'resources-memory-request': [W, 'init and regular containers set a non-zero requests.memory'],
  'resources-cpu-limit': [W, 'init and regular containers set a non-zero limits.cpu'],
  'resources-ephemeral-storage': [W, 'init and regular containers set an ephemeral-storage request and limit'],
  'env-no-duplicate-names': [E, 'env var names are unique within a container'],
  'env-no-literal-secrets': [E, 'no literal env value, command or argument holding a secret (password/secret/token/bearer/API-key names, token formats, URLs with a password, PEM private keys); use secretKeyRef'],
  'configmap-no-secret-content': [W, 'ConfigMap keys and values hold no password/secret/token/key names and no PEM private key'],
  'probe-readiness-present': [W, 'regular containers of pods behind a Service have a readinessProbe (Jobs and CronJobs skipped)'],
  'probe-liveness-present': [W, 'regular containers have a livenessProbe (Jobs and CronJobs skipped)'],
  'probe-not-identical': [W, 'readinessProbe and livenessProbe of a container check different things'],
  'probe-port-exposed': [W, 'a probe port (number or name) is one of the container\'s ports'],
  'port-names-valid': [W, 'container port names and Service targetPort names are IANA_SVC_NAMEs (<= 15 characters)'],
  'container-read-only-root-fs': [E, 'every container sets readOnlyRootFilesystem: true'],
  'selector-matches-template': [E, 'a workload\'s spec.selector matches its template labels'],
  'service-selects-pods': [E, 'a non-ExternalName Service has a selector matching a pod template in its namespace'],
  'ingress-backend-exists': [W, 'each Ingress backend names a synthesized Service and one of its ports'],
  'ingress-tls': [W, 'an Ingress has spec.tls'],
  'service-not-nodeport': [W, 'a Service is not of type NodePort'],
  'networkpolicy-covers-pod': [W, 'NetworkPolicies selecting each pod template cover Ingress and Egress'],
  'networkpolicy-selects-something': [W, 'each NetworkPolicy podSelector matches a pod template in its namespace'],
  'pdb-present': [W, 'a Deployment or StatefulSet with 2 or more replicas (or an autoscaler) has a PodDisruptionBudget'],
  'pdb-has-policy': [W, 'a PodDisruptionBudget sets minAvailable or maxUnavailable'],
  'pdb-allows-eviction': [W, 'a PodDisruptionBudget lets at least one pod be evicted'],
  'pdb-unhealthy-eviction-policy': [W, 'a PodDisruptionBudget sets unhealthyPodEvictionPolicy'],
  'replicas-min-two': [W, 'a Deployment not managed by an autoscaler runs at least 2 replicas'],
  'hpa-no-static-replicas': [W, 'a workload scaled by a HorizontalPodAutoscaler leaves spec.replicas unset'],
  'hpa-target-exists': [W, 'a HorizontalPodAutoscaler\'s scaleTargetRef names a synthesized object'],
  'hpa-min-replicas': [W, 'a HorizontalPodAutoscaler has minReplicas >= 2 and maxReplicas > minReplicas'],
  'pod-anti-affinity': [W, 'a Deployment or StatefulSet with 2 or more replicas has podAntiAffinity on kubernetes.io/hostname for its own pods'],
  'deployment-rolling-update': [W, 'a Deployment\'s strategy is unset or RollingUpdate'],
  'stable-api-versions': [W, 'objects use apps/v1, networking.k8s.io/v1, policy/v1, autoscaling/v2, batch/v1, rbac.authorization.k8s.io/v1'],
  'label-values-valid': [W, 'label values are valid label values'],
  'sa-token-not-automounted': [W, 'the pod or its ServiceAccount sets automountServiceAccountToken: false'],
  'sa-exists': [W, 'serviceAccountName is default or a synthesized ServiceAccount; the deprecated serviceAccount is unset'],
  'no-ssh-port': [W, 'no container exposes TCP port 22'],
  'pod-high-uid-gid': [W, 'the effective runAsUser and runAsGroup of init and regular containers are >= 10000'],
};

/**
 * Checks synthesized objects against the security and reliability rules of kube-score, Polaris and
 * kube-linter that are not Pod Security Standards controls (run `RestrictedProfile` for those).
 *
 * Rules that relate objects (a Service and its pods, a PodDisruptionBudget and its Deployment, ...)
 * only match objects of one namespace; an object without `metadata.namespace` matches other objects
 * without one. Violations come in synthesis order of the objects they sit on.
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
   * Returns every violation in the given manifests (plain objects, e.g. from `chart.toJson()`); empty when all comply.
   */
  public static check(manifests: any[]): PolicyViolation[] {
    checkArgsOrThrow('ManifestPolicy', 'static check', [manifests]);
    const index = new ManifestSet(manifests);
    const found: Array<PolicyViolation & { readonly order: number }> = [];
    const report = (obj: ObjectRef, control: RuleId, path: string, message: string) => {
      found.push({ kind: obj.kind, name: obj.name, control, path, message, level: RULES[control][0], order: index.objects.indexOf(obj) });
    };
    checkPods(index, report);
    checkObjects(index, report);
    return found
      .map((v, i) => ({ v, i }))
      .sort((a, b) => a.v.order - b.v.order || a.i - b.i)
      .map(({ v: { order, ...v } }) => v);
  }

  /** Only the ERROR-level violations of `check`. */
  public static errors(manifests: any[]): PolicyViolation[] {
    return ManifestPolicy.check(manifests).filter((v) => v.level === PolicyLevel.ERROR);
  }

  /** Every rule this policy checks, with its level. */
  public static rules(): PolicyRule[] {
    return (Object.keys(RULES) as RuleId[]).map((id) => ({ id, level: RULES[id][0], description: RULES[id][1] }));
  }
}
