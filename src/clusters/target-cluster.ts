import { Construct, IConstruct } from 'constructs';
import { capabilityName, displayName, kubectlContext, kubernetesApiUrl, supportedKubernetesVersion } from './private/cluster-rules';
import { addOnFor, AddOn, groupOf, isClusterScoped, unservedApiVersion } from './private/served-apis';
import { duplicates } from '../core/collections';
import { Findings } from '../core/findings';
import { byteQuantity, cpuQuantity, parseQuantity } from '../core/rules/quantity';
import { parseKubernetesVersion } from '../core/rules/versions';
import { shellWord } from '../core/shell';
import { checkArgs, checkProps } from '../core/validation';
import { describeObject, ManifestSet, mebibytes, millicores, renderedObjects } from '../manifests';

/** What a kubectl context may do in the cluster (seed 004 Cluster `accessLevel`). */
export enum ClusterAccessLevel {
  /** get, list and watch only: nothing can be deployed. */
  READ_ONLY = 'read_only',
  /** Create and update namespaced objects (Deployments, Services, ConfigMaps, ...). */
  DEPLOY = 'deploy',
  /** Cluster-wide: also cluster-scoped objects such as Namespaces and ClusterRoles. */
  ADMIN = 'admin',
}

/** The resources the cluster grants the deployment, as a namespace ResourceQuota would (seed 004 `resourceQuota`). */
export interface ClusterResourceQuota {
  /**
   * CPU requests in total, such as "4" or "2500m".
   * @default - not limited
   */
  readonly cpu?: string;
  /**
   * Memory requests in total, such as "8Gi".
   * @default - not limited
   */
  readonly memory?: string;
  /**
   * Persistent volume claim storage in total, such as "100Gi".
   * @default - not limited
   */
  readonly storage?: string;
}

/** Props of a TargetCluster (seed 004 Cluster). */
export interface TargetClusterProps {
  /** Display name, such as "Production (eu-west-1)". */
  readonly name: string;
  /** The API server URL: https, a host and an optional port, such as "https://api.example.com:6443". */
  readonly endpoint: string;
  /** The kubectl context that reaches the cluster, such as "prod-deployer@prod". */
  readonly context: string;
  /** Kubernetes version, 1.28 or later, such as "v1.28.3" or "1.29". */
  readonly version: string;
  /**
   * Add-ons the cluster has: "cert-manager" (cert-manager.io resources), "prometheus-operator"
   * (monitoring.coreos.com resources), or the API group of any other custom resource.
   * @default - none
   */
  readonly capabilities?: string[];
  /**
   * What the deployment may use in total; the objects' requests at maximum scale must fit.
   * @default - not limited
   */
  readonly resourceQuota?: ClusterResourceQuota;
  /**
   * What the context may do; it must allow what the chart deploys.
   * @default ClusterAccessLevel.DEPLOY
   */
  readonly accessLevel?: ClusterAccessLevel;
}

/** How many objects a message lists before "and N more". */
const LISTED = 5;

/**
 * The Kubernetes cluster a chart is deployed to (seed 004 Cluster). It emits no object: at synth
 * time it checks what its chart (and every scope given to `hosts()`) deploys against the cluster.
 *
 * Rules (each a synth finding): a display name; an https API server URL without path or query; a
 * kubectl context without whitespace; Kubernetes 1.28 or later; capability names of lowercase
 * letters, digits, "-" and "."; quantities in `resourceQuota`. Over the objects: a read-only
 * context deploys nothing, and a deploy context no cluster-scoped object (Namespace, ClusterRole,
 * ...); every built-in apiVersion is served by the cluster's version (removed betas such as
 * policy/v1beta1 or autoscaling/v2beta2 are named with their replacement); custom resources need
 * their add-on among the capabilities ("cert-manager" for cert-manager.io, "prometheus-operator" for
 * monitoring.coreos.com, else the API group itself); and the CPU and memory requests (containers
 * times the maximum replicas, reading HPAs) and persistent claims fit `resourceQuota`.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, TargetCluster } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 * });
 *
 * // The synth fails if the chart uses an API version the cluster does not serve, a custom resource
 * // without its add-on, or more than the quota.
 * new TargetCluster(chart, 'cluster', {
 *   name: 'Production (eu-west-1)',
 *   endpoint: 'https://api.prod.example.com:6443',
 *   context: 'prod-deployer@prod',
 *   version: '1.28',
 *   capabilities: ['cert-manager'],
 *   resourceQuota: { cpu: '8', memory: '16Gi' },
 * });
 * app.synth();
 */
export class TargetCluster extends Construct {
  /** The display name. */
  public readonly name: string;
  /** The API server URL. */
  public readonly endpoint: string;
  /** The kubectl context. */
  public readonly context: string;
  /** The Kubernetes version as given. */
  public readonly version: string;
  /** The add-ons the cluster has. */
  public readonly capabilities: string[];
  /** What the deployment may use, if limited. */
  public readonly resourceQuota?: ClusterResourceQuota;
  /** What the context may do. */
  public readonly accessLevel: ClusterAccessLevel;

  private readonly minor?: number;
  private readonly hosted: IConstruct[] = [];
  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: TargetClusterProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'TargetClusterProps', props);
    this.findings = findings;
    this.name = props.name;
    this.endpoint = props.endpoint;
    this.context = props.context;
    this.version = props.version;
    this.capabilities = [...(props.capabilities ?? [])];
    this.resourceQuota = props.resourceQuota;
    this.accessLevel = props.accessLevel ?? ClusterAccessLevel.DEPLOY;

    findings.check('name', props.name, displayName);
    findings.check('endpoint', props.endpoint, kubernetesApiUrl);
    findings.check('context', props.context, kubectlContext);
    if (props.version !== undefined && findings.check('version', props.version, supportedKubernetesVersion)) {
      this.minor = parseKubernetesVersion(props.version)![1];
    }
    this.capabilities.forEach((c, i) => findings.check(`capabilities[${i}]`, c, capabilityName));
    for (const dup of duplicates(this.capabilities)) findings.add('capabilities', dup, 'each capability listed once');
    findings.check('resourceQuota.cpu', props.resourceQuota?.cpu, cpuQuantity);
    findings.check('resourceQuota.memory', props.resourceQuota?.memory, byteQuantity);
    findings.check('resourceQuota.storage', props.resourceQuota?.storage, byteQuantity);
    if (!Object.values(ClusterAccessLevel).includes(this.accessLevel)) {
      findings.add('accessLevel', this.accessLevel, `one of ${Object.values(ClusterAccessLevel).join(', ')}`);
    }

    // The objects are only complete once the whole tree is built: check them at synth time.
    this.node.addValidation({ validate: () => this.checkObjects(this.hostedObjects()).messages() });
  }

  /** Counts the objects under `scope` (for example another chart) as deployed to this cluster too. */
  public hosts(scope: IConstruct): void {
    [scope] = checkArgs(this.findings, 'TargetCluster', 'hosts', [scope]) as [IConstruct];
    if (scope) this.hosted.push(scope);
  }

  /**
   * The command that deploys the synthesized manifests with this cluster's context.
   * @param manifests the file or folder to apply
   * @default "dist/" (cdk8s's output folder)
   */
  public kubeconfigHint(manifests?: string): string {
    [manifests] = checkArgs(this.findings, 'TargetCluster', 'kubeconfigHint', [manifests]) as [string?];
    return `kubectl --context ${shellWord(this.context ?? '')} apply -f ${shellWord(manifests ?? 'dist/')}`;
  }

  private checkObjects(objects: any[]): Findings {
    const findings = new Findings();
    this.checkAccess(findings, objects);
    this.checkApiVersions(findings, objects);
    this.checkCapabilities(findings, objects);
    this.checkQuota(findings, objects);
    return findings;
  }

  private checkAccess(findings: Findings, objects: any[]): void {
    if (this.accessLevel === ClusterAccessLevel.READ_ONLY && objects.length > 0) {
      findings.add('accessLevel', this.accessLevel,
        `${ClusterAccessLevel.DEPLOY} or ${ClusterAccessLevel.ADMIN}: a read-only context cannot apply the chart's `
        + `${objects.length} object${objects.length === 1 ? '' : 's'} (${listed(objects.map(describeObject))})`);
      return;
    }
    const clusterScoped = objects.filter((o) => isClusterScoped(o.kind));
    if (this.accessLevel === ClusterAccessLevel.DEPLOY && clusterScoped.length > 0) {
      findings.add('accessLevel', this.accessLevel,
        `${ClusterAccessLevel.ADMIN}: the chart creates cluster-scoped objects (${listed(clusterScoped.map(describeObject))}), `
        + 'which need cluster-wide permissions; or create them separately and leave them out of this chart');
    }
  }

  private checkApiVersions(findings: Findings, objects: any[]): void {
    if (this.minor === undefined) return;
    for (const obj of objects) {
      const expected = unservedApiVersion(String(obj.apiVersion), String(obj.kind), this.minor);
      if (expected !== undefined) findings.add(`${describeObject(obj)} apiVersion`, obj.apiVersion, expected);
    }
  }

  private checkCapabilities(findings: Findings, objects: any[]): void {
    const missing = new Map<string, { addOn: AddOn; objects: string[] }>();
    for (const obj of objects) {
      const addOn = addOnFor(groupOf(String(obj.apiVersion)));
      if (addOn === undefined || this.capabilities.includes(addOn.capability)) continue;
      const entry = missing.get(addOn.capability) ?? { addOn, objects: [] };
      entry.objects.push(`${describeObject(obj)} (${obj.apiVersion})`);
      missing.set(addOn.capability, entry);
    }
    for (const [capability, { addOn, objects: users }] of missing) {
      findings.add('capabilities', this.capabilities,
        `a list including "${capability}": the chart has ${listed(users)}; install ${addOn.install} in the cluster and add "${capability}" to capabilities`);
    }
  }

  private checkQuota(findings: Findings, objects: any[]): void {
    const quota = this.resourceQuota;
    if (quota === undefined) return;
    const demand = new ManifestSet(objects).resourceDemand();
    const at = `at maximum replicas (${demand.workloads.join('; ') || 'no workloads'})`;
    const cpu = limitOf(quota.cpu, cpuQuantity);
    if (cpu !== undefined && demand.cpuCores > cpu + 1e-9) {
      findings.add('resourceQuota.cpu', quota.cpu,
        `at least ${millicores(demand.cpuCores)}: the workloads request ${millicores(demand.cpuCores)} CPU ${at}`);
    }
    const memory = limitOf(quota.memory, byteQuantity);
    if (memory !== undefined && demand.memoryBytes > memory + 1e-6) {
      findings.add('resourceQuota.memory', quota.memory,
        `at least ${mebibytes(demand.memoryBytes)}: the workloads request ${mebibytes(demand.memoryBytes)} memory ${at}`);
    }
    const storage = limitOf(quota.storage, byteQuantity);
    if (storage !== undefined && demand.storageBytes > storage + 1e-6) {
      findings.add('resourceQuota.storage', quota.storage,
        `at least ${mebibytes(demand.storageBytes)}: the persistent volume claims total ${mebibytes(demand.storageBytes)} (${demand.claims.join('; ')})`);
    }
  }

  private hostedObjects(): any[] {
    return renderedObjects(this, this.hosted);
  }
}

/** A quota amount in base units, when the rule accepts it. */
function limitOf(value: string | undefined, rule: (v: string) => string | undefined): number | undefined {
  return value === undefined || rule(value) !== undefined ? undefined : parseQuantity(value);
}

/** The first few items, then "and N more". */
function listed(items: string[]): string {
  const shown = items.slice(0, LISTED).join(', ');
  return items.length > LISTED ? `${shown} and ${items.length - LISTED} more` : shown;
}
