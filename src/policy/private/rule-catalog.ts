/**
 * Internal to `ManifestPolicy`: every rule, its level and what compliance means. Level ERROR when the
 * API server refuses the object, it breaks at run time, it exposes a secret, or at least two of
 * kube-score, Polaris and kube-linter block on it; WARNING otherwise.
 */
import { RuleId } from './rule-kit';
import { PolicyLevel } from '../policy-types';

const E = PolicyLevel.ERROR;
const W = PolicyLevel.WARNING;

/** Every rule, in report order within an object: level and what compliance means. */
export const RULES: { readonly [id in RuleId]: [PolicyLevel, string] } = {
  'image-pinned-tag': [E, 'every container image has an explicit tag other than latest, or a digest'],
  'image-pull-policy-always': [W, 'init and regular containers pull Always (an unset policy counts as Always for :latest and untagged images, unless requireExplicitPullAlways)'],
  'resources-memory-limit': [E, 'init and regular containers set a non-zero limits.memory'],
  'resources-cpu-request': [W, 'init and regular containers set a non-zero requests.cpu'],
  'resources-memory-request': [W, 'init and regular containers set a non-zero requests.memory'],
  'resources-cpu-limit': [W, 'init and regular containers set a non-zero limits.cpu'],
  'resources-ephemeral-storage': [W, 'init and regular containers set an ephemeral-storage request and limit'],
  'env-no-duplicate-names': [E, 'env var names are unique within a container'],
  'env-no-literal-secrets': [E, 'no literal env value for password/secret/token/bearer/API-key names, and no secret by its form; use secretKeyRef'],
  'configmap-no-secret-content': [W, 'ConfigMap keys name no password/secret/token/key, and hold no long random string under a key-like name'],
  'secret-values': [E, 'no string outside a Secret holds a secret by its form (PEM private key however dashed, OpenAI/AWS/GitHub/Slack/Google/Stripe tokens, JWTs, URLs with a password), and no container argument passes a credential'],
  'probe-readiness-present': [W, 'pods behind a Service have a readinessProbe (on one container, or on every regular container with probesPerContainer; Jobs and CronJobs skipped)'],
  'probe-liveness-present': [W, 'pods have a livenessProbe (on one container, or on every regular container with probesPerContainer; Jobs and CronJobs skipped)'],
  'probe-not-identical': [W, 'readinessProbe and livenessProbe of a container check different things'],
  'probe-port-exposed': [W, 'a probe\'s port number is declared by a container of the pod'],
  'probe-named-port-exists': [E, 'a probe\'s named port is a port name of its own container (else the kubelet cannot run the probe)'],
  'container-port-valid': [E, 'every container port sets containerPort (1-65535), and port names are unique within a container'],
  'port-names-unique': [W, 'a port name is used by one container of a pod only (a Service\'s named targetPort would be ambiguous)'],
  'port-names-valid': [W, 'container port names and Service targetPort names are IANA_SVC_NAMEs (<= 15 characters)'],
  'container-read-only-root-fs': [E, 'every container sets readOnlyRootFilesystem: true'],
  'container-drop-capabilities': [W, 'every container drops ALL capabilities, or each default one plus NET_RAW and NET_ADMIN (only ALL with requireDropAll)'],
  'selector-matches-template': [E, 'a workload\'s spec.selector matches its template labels'],
  'service-selects-pods': [E, 'a non-ExternalName Service has a selector matching a pod template in its namespace'],
  'ingress-backend-exists': [W, 'each Ingress backend (networking.k8s.io/v1 or legacy serviceName/servicePort) names a synthesized Service and one of its ports'],
  'ingress-tls': [W, 'an Ingress has spec.tls'],
  'service-not-nodeport': [W, 'a Service is not of type NodePort'],
  'networkpolicy-covers-pod': [W, 'NetworkPolicies selecting each pod template cover Ingress and Egress'],
  'networkpolicy-selects-something': [W, 'each NetworkPolicy podSelector matches a pod template in its namespace'],
  'networkpolicy-blocks-flow': [E, 'the NetworkPolicies admit every flow the objects declare: the ingress controller to Ingress backends, Prometheus to ServiceMonitor, PodMonitor and annotated targets, restricted egress to the cluster DNS, a pod to the Services its env, args and ConfigMaps name, and to the address blocks it is given'],
  'pdb-present': [W, 'a Deployment or StatefulSet that may run minReplicas or more pods (replicas unset counts) has a PodDisruptionBudget'],
  'pdb-has-policy': [W, 'a PodDisruptionBudget sets minAvailable or maxUnavailable'],
  'pdb-allows-eviction': [W, 'a PodDisruptionBudget lets at least one pod be evicted'],
  'pdb-unhealthy-eviction-policy': [W, 'a PodDisruptionBudget sets unhealthyPodEvictionPolicy'],
  'replicas-min-two': [W, 'a Deployment not managed by an autoscaler runs at least minReplicas replicas (unset is 1)'],
  'hpa-no-static-replicas': [W, 'a workload scaled by a HorizontalPodAutoscaler leaves spec.replicas unset'],
  'hpa-target-exists': [W, 'a HorizontalPodAutoscaler\'s scaleTargetRef names a synthesized object'],
  'hpa-min-replicas': [W, 'a HorizontalPodAutoscaler has minReplicas >= minReplicas and maxReplicas > minReplicas'],
  'pod-anti-affinity': [W, 'a Deployment or StatefulSet that may run minReplicas or more pods (replicas unset counts) has podAntiAffinity on kubernetes.io/hostname for its own pods'],
  'deployment-rolling-update': [W, 'a Deployment\'s strategy is unset or RollingUpdate'],
  'stable-api-versions': [W, 'objects use apps/v1, networking.k8s.io/v1, policy/v1, autoscaling/v2, batch/v1, rbac.authorization.k8s.io/v1'],
  'label-values-valid': [W, 'label values are valid label values'],
  'sa-token-not-automounted': [W, 'the pod or its ServiceAccount sets automountServiceAccountToken: false'],
  'sa-exists': [W, 'serviceAccountName is default or a synthesized ServiceAccount; the deprecated serviceAccount is unset'],
  'no-ssh-port': [W, 'no container exposes TCP port 22'],
  'pod-high-uid-gid': [W, 'the effective runAsUser and runAsGroup of init and regular containers are >= minimumRunAsId (default 1000)'],
  'rbac-no-cluster-admin': [W, 'no binding grants cluster-admin, or a role whose rules are all wildcards'],
  'rbac-no-wildcards': [W, 'Role and ClusterRole rules name their apiGroups, resources and verbs (no "*")'],
  'rbac-no-exec-attach': [W, 'no role or binding grants pods/exec or pods/attach'],
  'rbac-no-secret-read': [W, 'no role or binding grants get, list or watch on secrets'],
  'rbac-no-escalation': [W, 'no role or binding grants escalate, bind or impersonate'],
  'object-unique': [E, 'each object (API group, kind, namespace and name) appears once: kubectl apply keeps only the last of two, a Helm chart cannot hold both'],
};

/** Every rule id, in catalog order. */
export const RULE_IDS: readonly RuleId[] = Object.keys(RULES) as RuleId[];
