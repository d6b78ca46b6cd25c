/**
 * The types every policy shares: how serious a finding is, what a finding says, what a rule is, and
 * the options that tune the rules.
 */
import { PodSecurityLevel } from '../core/pod-security';

/** How serious a policy violation is. */
export enum PolicyLevel {
  /**
   * The API server refuses the object (a Pod Security Standards control at the level checked included), it
   * breaks at run time, or it exposes a secret.
   */
  ERROR = 'error',
  /** Anything else, however many linters block on it: worth fixing, but the object is accepted and works. */
  WARNING = 'warning',
}

/** One broken policy rule (a Pod Security Standards control, a `ManifestPolicy` rule, the schema rule or a waiver rule). */
export interface PolicyViolation {
  /** Kind of the object holding the offending field (Pod, Deployment, CronJob, Service, ...). */
  readonly kind: string;
  /** `metadata.name` of that object. */
  readonly name: string;
  /**
   * `metadata.namespace` of that object.
   * @default - the object has no namespace
   */
  readonly namespace?: string;
  /**
   * The id of the broken rule: a Pod Security Admission check id such as `runAsNonRoot`
   * (`RestrictedProfile`), a `ManifestPolicy` rule id such as `image-pinned-tag`, `k8s-schema`, or
   * a waiver rule. `PolicyCheck.rules()` lists them all.
   */
  readonly rule: string;
  /** JSON path of the offending field inside the object, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  readonly path: string;
  /** What was found and what is allowed. Secret values are never shown. */
  readonly message: string;
  /**
   * How serious the violation is.
   * @default PolicyLevel.ERROR
   */
  readonly level?: PolicyLevel;
  /**
   * The position (in the checked list) of another object the violation concerns: for
   * `object-unique`, the first object with the same identity.
   * @default - none
   */
  readonly relatedObjectIndex?: number;
  /**
   * The Pod Security Standards level whose control this is (`RestrictedProfile` findings only):
   * BASELINE for the baseline controls, RESTRICTED for the controls only the restricted level adds.
   * @default - not a Pod Security Standards control
   */
  readonly podSecurityLevel?: PodSecurityLevel;
}

/** One rule a policy checks. */
export interface PolicyRule {
  /** The rule id, reported as `PolicyViolation.rule`, e.g. `image-pinned-tag`. */
  readonly id: string;
  /** The level of every violation of this rule. */
  readonly level: PolicyLevel;
  /** What a compliant manifest does. */
  readonly description: string;
  /**
   * The Pod Security Standards level of the control (`RestrictedProfile` controls only).
   * @default - not a Pod Security Standards control
   */
  readonly podSecurityLevel?: PodSecurityLevel;
}

/** Options of `RestrictedProfile.check`. */
export interface RestrictedProfileOptions {
  /**
   * The Pod Security Standards level to check: RESTRICTED checks every control, BASELINE only the
   * baseline controls (what a namespace enforcing `baseline` admits), PRIVILEGED none.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly level?: PodSecurityLevel;
}

/** Options of `ManifestPolicy.check`: which rules run, and their thresholds. */
export interface ManifestPolicyOptions {
  /**
   * Run only these rule ids.
   * @default - every rule
   */
  readonly rules?: string[];
  /**
   * Rule ids not to run.
   * @default - none
   */
  readonly skip?: string[];
  /**
   * The fewest replicas a Deployment should run (`replicas-min-two`), an autoscaler's least
   * `minReplicas` (`hpa-min-replicas`), and the replica count from which a workload needs a
   * PodDisruptionBudget and host anti-affinity.
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * The least effective `runAsUser` and `runAsGroup` (`pod-high-uid-gid`). The default 1000 is
   * `UID_MIN` of Linux distributions (below it: system accounts) and the library's own default
   * uid/gid (seed 000); set 10000 for kube-score's threshold, which never matches a host's users.
   * @default 1000
   */
  readonly minimumRunAsId?: number;
  /**
   * Require `imagePullPolicy: Always` written out (kube-score, Polaris). By default the policy the
   * API server applies counts: an unset policy is Always for `:latest` and untagged images.
   * @default false
   */
  readonly requireExplicitPullAlways?: boolean;
  /**
   * Require readiness and liveness probes on every regular container (Polaris). By default one
   * container with the probe per pod is enough (kube-score), so sidecars need none.
   * @default false
   */
  readonly probesPerContainer?: boolean;
  /**
   * Namespace of the ingress controller pods, the source of each Ingress backend's traffic
   * (`networkpolicy-blocks-flow`).
   * @default "ingress-nginx"
   */
  readonly ingressControllerNamespace?: string;
  /**
   * Labels of the ingress controller pods.
   * @default - app.kubernetes.io/name=ingress-nginx, app.kubernetes.io/instance=ingress-nginx, app.kubernetes.io/component=controller
   */
  readonly ingressControllerPodLabels?: { [key: string]: string };
  /**
   * Namespace of the Prometheus pods that scrape ServiceMonitor, PodMonitor and annotated targets
   * (`networkpolicy-blocks-flow`).
   * @default "monitoring"
   */
  readonly prometheusNamespace?: string;
  /**
   * Labels of the Prometheus pods.
   * @default - app.kubernetes.io/name=prometheus
   */
  readonly prometheusPodLabels?: { [key: string]: string };
  /**
   * Namespace of the cluster DNS pods every pod with restricted egress must reach on port 53
   * (`networkpolicy-blocks-flow`).
   * @default "kube-system"
   */
  readonly clusterDnsNamespace?: string;
  /**
   * Labels of the cluster DNS pods (CoreDNS and kube-dns carry `k8s-app: kube-dns`).
   * @default - k8s-app=kube-dns
   */
  readonly clusterDnsPodLabels?: { [key: string]: string };
  /**
   * `container-drop-capabilities` accepts only `drop: [ALL]`. By default a drop list naming every
   * capability a container gets by default (plus NET_RAW and NET_ADMIN, as Polaris) passes too.
   * (At the restricted level, the Pod Security Standards demand `ALL` regardless.)
   * @default false
   */
  readonly requireDropAll?: boolean;
  /**
   * Check Kubernetes' own RBAC objects too: Roles, ClusterRoles and bindings whose name starts with
   * `system:` (the API server's bootstrap roles, which charts rarely change). By default they are exempt.
   * @default false
   */
  readonly checkSystemRbac?: boolean;
}
