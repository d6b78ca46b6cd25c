import { Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Environment } from '../core/environment';
import { Findings } from '../core/findings';
import { objectLabels, checkObjectLabels, ObjectLabelProps } from '../core/labels';
import { PodSecurityLevel } from '../core/pod-security';
import { dns1123Label } from '../core/rules/names';
import { checkProps } from '../core/validation';

// Defined in core (the policy reads it too); re-exported where namespaces are made.
export { PodSecurityLevel };

/** Props of a Namespace (seed 003 Namespace). */
export interface NamespaceProps extends ObjectLabelProps {
  /** The namespace name (DNS-1123 label), such as "rescan" or "rescan-dev". */
  readonly name: string;
  /**
   * The environment, rendered as the label `environment: <env>` (seed 003).
   * @default - no environment label
   */
  readonly environment?: Environment;
  /**
   * Pod Security level enforced on the namespace. `audit` and `warn` stay `restricted` whatever
   * this is, so weaker pods are still reported.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurityLevel?: PodSecurityLevel;
}

/** The Pod Security policy version the labels pin (the library targets Kubernetes 1.28). */
const POD_SECURITY_VERSION = 'v1.28';
const RESERVED = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * A Kubernetes Namespace that enforces the Pod Security Standards (seed 003 `rescan`): labels
 * `pod-security.kubernetes.io/enforce` (default `restricted`), `enforce-version: v1.28`, and
 * `audit`/`warn` at `restricted`.
 *
 * Rules (each a synth finding): a DNS-1123 label name that is not reserved (`default`, `kube-*`),
 * valid labels, and no user label overriding the Pod Security labels.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { Namespace } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop');
 *
 * // Pod Security Admission enforces the restricted profile in "shop".
 * new Namespace(chart, 'namespace', { name: 'shop' });
 * app.synth();
 */
export class Namespace extends Construct {
  /** The namespace name. */
  public readonly namespaceName: string;
  /** The enforced Pod Security level. */
  public readonly podSecurityLevel: PodSecurityLevel;
  /** The Namespace object (an escape hatch). */
  public readonly apiObject: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'NamespaceProps', props);
    this.namespaceName = props.name;
    this.podSecurityLevel = props.podSecurityLevel ?? PodSecurityLevel.RESTRICTED;

    if (findings.check('name', props.name, dns1123Label)
      && props.name !== undefined && (RESERVED.includes(props.name) || props.name.startsWith('kube-'))) {
      findings.add('name', props.name, 'a namespace of your own: not "default" and not starting with "kube-" (reserved for Kubernetes)');
    }
    checkObjectLabels(findings, props, props.name);

    const podSecurity: Record<string, string> = {
      'pod-security.kubernetes.io/enforce': this.podSecurityLevel,
      'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
      'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
      'pod-security.kubernetes.io/audit-version': POD_SECURITY_VERSION,
      'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
      'pod-security.kubernetes.io/warn-version': POD_SECURITY_VERSION,
    };
    for (const key of Object.keys(props.labels ?? {})) {
      if (key.startsWith('pod-security.kubernetes.io/')) {
        findings.add(`labels.${key}`, props.labels![key], 'no pod-security.kubernetes.io/* label: set podSecurityLevel instead');
      }
    }
    if (props.environment !== undefined && props.labels?.environment !== undefined && props.labels.environment !== props.environment) {
      findings.add('labels.environment', props.labels.environment, `the same value as environment (${JSON.stringify(props.environment)}), or no environment label`);
    }
    this.apiObject = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          ...objectLabels(props.name ?? '', props),
          ...(props.environment !== undefined ? { environment: props.environment } : {}),
          ...podSecurity,
        },
      },
    });
    // A Namespace is cluster-scoped: it must not inherit the chart's namespace.
    if (Chart.of(this).namespace !== undefined) this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
