import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addAutoscaler, addDisruptionBudget, addNetworkPolicy, admitIngress, GuardTarget } from './private/guards';
import { workloadIdentity } from './private/identity';
import { ScalingConfig } from './workload-options';
import { WorkloadProps } from './workload-props';
import { Environment } from '../core/environment';
import { Findings } from '../core/findings';
import { labelProblems } from '../core/labels';
import { labelKey, writableKey } from '../core/rules/names';
import { portNumber } from '../core/rules/numbers';
import { checkArgs, checkProps } from '../core/validation';
import { NetworkPeer } from '../networking/network-policy-options';

/**
 * What DeploymentManifest and StatefulManifest share: a name, an environment, the labels of their
 * objects and pods, the namespace, and the guard objects (PodDisruptionBudget, NetworkPolicy).
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, StatefulManifest, WorkloadManifest } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * const api = new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 * });
 * const db = new StatefulManifest(chart, 'db', {
 *   image: new ContainerImage(chart, 'db-image', { repository: 'postgres', tag: '16.4.0' }),
 *   ports: [{ containerPort: 5432 }],
 *   volumeClaim: { name: 'data', mountPath: '/var/lib/postgresql/data', size: '10Gi' },
 * });
 * // Both are workload manifests: a name, an environment and the labels their selectors use.
 * const workloads: WorkloadManifest[] = [api, db];
 * const names: string[] = [];
 * for (const workload of workloads) {
 *   names.push(workload.name);
 * }
 * app.synth();
 */
export abstract class WorkloadManifest extends Construct {
  /** The workload's name (its objects' name). */
  public readonly name: string;
  /** The environment. */
  public readonly environment: Environment;
  /** Selector labels: the workload and its Service select pods by these; they never change. */
  public readonly selectorLabels: { [key: string]: string };
  /** Pod template labels. */
  public readonly podLabels: { [key: string]: string };
  /** The PodDisruptionBudget, when two or more replicas can run. */
  public abstract readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy, unless `networkPolicy.enabled` is false. */
  public abstract readonly networkPolicy?: k8s.KubeNetworkPolicy;

  /** Collects this workload's findings. @internal */
  protected readonly _findings: Findings;
  /** The standard labels of the workload's objects. @internal */
  protected readonly _objectLabels: Record<string, string>;
  /** The pod template, once the subclass has built it. @internal */
  protected _podTemplate?: k8s.PodTemplateSpec;
  /**
   * The props after the runtime check layer (`checkProps`): values of the wrong kind replaced by
   * their defaults, so the subclass reads them safely. @internal
   */
  protected readonly _props: WorkloadProps;
  private readonly explicitNamespace?: string;

  /**
   * @param propsType the name of the subclass's props interface, such as "DeploymentManifestProps"
   * @param props the subclass's props (WorkloadProps and its own, such as `name`)
   */
  protected constructor(scope: Construct, id: string, propsType: string, props: WorkloadProps) {
    super(scope, id);
    this._findings = Findings.attach(this);
    props = this._props = checkProps(this._findings, propsType, props);
    this.name = (props as { readonly name?: string }).name ?? id;
    this.explicitNamespace = props.namespace;
    this.environment = props.environment ?? Environment.PRODUCTION;
    const identity = workloadIdentity(this._findings, this.name, this.environment, props);
    this._objectLabels = identity.objectLabels;
    this.selectorLabels = identity.selectorLabels;
    this.podLabels = identity.podLabels;
  }

  /**
   * Adds an annotation to the pods (for example the Prometheus scrape annotations of a
   * MonitoringMetrics); the key has the form of a label key.
   */
  public addPodAnnotation(key: string, value: string): void {
    [key, value] = checkArgs(this._findings, 'WorkloadManifest', 'addPodAnnotation', [key, value]) as [string, string];
    if (key === undefined || value === undefined) return;
    if (!this._findings.check('podAnnotations key', key, labelKey) || !this._findings.check('podAnnotations key', key, writableKey) || !this._podTemplate) return;
    const metadata = (this._podTemplate.metadata ?? {}) as { annotations?: Record<string, string> };
    metadata.annotations = { ...metadata.annotations, [key]: value };
  }

  /**
   * Adds the objects that guard the workload's pods, in this order: the autoscaler (when `scaling`
   * is given), a PodDisruptionBudget when two or more replicas can run, and the NetworkPolicy
   * admitting the container ports unless `networkPolicy.enabled` is false.
   * @internal
   */
  protected _addGuards(
    ports: ReadonlyArray<{ readonly containerPort: number; readonly protocol: string }>,
    maxReplicas: number,
    scaling?: ScalingConfig,
  ): { autoscaler?: k8s.KubeHorizontalPodAutoscalerV2; disruptionBudget?: k8s.KubePodDisruptionBudget; networkPolicy?: k8s.KubeNetworkPolicy } {
    const target: GuardTarget = {
      name: this.name,
      namespace: this._props.namespace,
      labels: this._objectLabels,
      selectorLabels: this.selectorLabels,
      ports: ports.map((p) => ({ port: p.containerPort, protocol: p.protocol })),
    };
    const networkPolicy = this._props.networkPolicy;
    return {
      autoscaler: scaling ? addAutoscaler(this, target, scaling) : undefined,
      disruptionBudget: maxReplicas >= 2 ? addDisruptionBudget(this, target) : undefined,
      networkPolicy: networkPolicy?.enabled ?? true ? addNetworkPolicy(this, this._findings, target, networkPolicy) : undefined,
    };
  }

  /**
   * Admits connections from `peer` to a TCP port of the pods in the workload's NetworkPolicy (for
   * example Prometheus to the metrics port: MonitoringMetrics calls it). Nothing changes when the
   * workload has no NetworkPolicy, or when it admits every source on that port already.
   */
  public admitIngress(peer: NetworkPeer, port: number): void {
    [peer, port] = checkArgs(this._findings, 'WorkloadManifest', 'admitIngress', [peer, port]) as [NetworkPeer, number];
    if (peer === undefined || port === undefined || !this._findings.check('admitIngress(port)', port, portNumber)) return;
    const problems = [...labelProblems('admitIngress(peer).podLabels', peer.podLabels), ...labelProblems('admitIngress(peer).namespaceLabels', peer.namespaceLabels)];
    for (const [field, value, expected] of problems) this._findings.add(field, value, expected);
    if (problems.length === 0 && this.networkPolicy) admitIngress(this.networkPolicy, peer, port);
  }

  /** The namespace the objects land in (the chart's when none was given). */
  public get namespace(): string | undefined {
    return this.explicitNamespace ?? Chart.of(this).namespace;
  }
}
