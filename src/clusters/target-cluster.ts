import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { capabilityName, displayName, kubectlContext, kubernetesApiUrl, supportedKubernetesVersion } from './private/cluster-rules';
import { AccessLevelValue, emitRbac } from './private/rbac';
import { addOnFor, AddOn, groupOf, isClusterScoped, unservedApiVersion } from './private/served-apis';
import { duplicates } from '../core/collections';
import { Findings } from '../core/findings';
import { labelProblems, objectLabels, ObjectLabelProps } from '../core/labels';
import { dns1123Label, dns1123Subdomain, labelValue } from '../core/rules/names';
import { byteQuantity, cpuQuantity, parseQuantity } from '../core/rules/quantity';
import { parseKubernetesVersion } from '../core/rules/versions';
import { shellWord } from '../core/shell';
import { checkArgs, checkProps } from '../core/validation';
import { describeObject, ManifestSet, mebibytes, millicores, renderedObjects } from '../manifests';

/**
 * What a kubectl context may do in the cluster, and what an application's RBAC grants it (seed 004
 * Cluster `accessLevel`).
 */
export enum ClusterAccessLevel {
  /**
   * Context: get, list and watch only, nothing can be deployed. Application RBAC: get, list and watch
   * on deployments, replicasets, pods, pods/log, services, events and configmaps.
   */
  READ_ONLY = 'read_only',
  /**
   * Context: create and update namespaced objects (Deployments, Services, ConfigMaps, ...).
   * Application RBAC: read_only plus create, update, patch and delete on deployments, services,
   * configmaps and networkpolicies.
   */
  DEPLOY = 'deploy',
  /**
   * Context: cluster-wide, also cluster-scoped objects such as Namespaces and ClusterRoles.
   * Application RBAC: deploy plus roles and rolebindings, in the managed namespaces only.
   */
  ADMIN = 'admin',
}

/**
 * The RBAC of an application that works with the cluster's API (such as the ToolHive registry
 * application, which deploys MCP servers): its ServiceAccount and, in each managed namespace, a
 * Role and RoleBinding for its access level; least privilege, no wildcard, no pods/exec or
 * pods/attach, no secrets, no ClusterRole unless `readNamespaces` (then read-only).
 */
export interface ClusterRbacOptions extends ObjectLabelProps {
  /**
   * The application's ServiceAccount (DNS-1123 subdomain). It does not automount its token: the
   * application's workload runs as it (`serviceAccountName`) and asks for the token with
   * `automountServiceAccountToken: true`, which mounts it into its main container only.
   */
  readonly serviceAccountName: string;
  /**
   * Namespace of the application and its ServiceAccount (DNS-1123 label).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Namespaces the application works in: each gets a Role and RoleBinding.
   * @default - the application's namespace
   */
  readonly managedNamespaces?: string[];
  /**
   * What the application may do there.
   * @default - the cluster's accessLevel
   */
  readonly accessLevel?: ClusterAccessLevel;
  /**
   * Let the application get, list and watch Namespaces (a cluster-scoped read: a read-only
   * ClusterRole and its ClusterRoleBinding, which need an admin context to apply), for example to
   * check that a target namespace exists.
   * @default false
   */
  readonly readNamespaces?: boolean;
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
  /**
   * The API server URL: https, a host, an optional port and an optional path (a proxied API server),
   * without query or fragment, such as "https://api.example.com:6443" or
   * "https://rancher.example.com/k8s/clusters/c-m-abc12".
   */
  readonly endpoint: string;
  /** The kubectl context that reaches the cluster, such as "prod-deployer@prod". */
  readonly context: string;
  /** Kubernetes version, 1.28 or later, such as "v1.28.3" or "1.29". */
  readonly version: string;
  /**
   * Add-ons the cluster has: "cert-manager" (cert-manager.io resources), "prometheus-operator"
   * (monitoring.coreos.com resources), "sealed-secrets" (bitnami.com SealedSecrets),
   * "external-secrets" (external-secrets.io ExternalSecrets), or the API group of any other custom resource.
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
  /**
   * Emit the RBAC of an application that works with the cluster's API.
   * @default - no RBAC object
   */
  readonly rbac?: ClusterRbacOptions;
}

/** How many objects a message lists before "and N more". */
const LISTED = 5;

/**
 * The Kubernetes cluster a chart is deployed to (seed 004 Cluster). At synth time it checks what its
 * chart (and every scope given to `hosts()`) deploys against the cluster. It emits no object unless
 * `rbac` is set: then the application's ServiceAccount and, in each managed namespace, a Role and
 * RoleBinding for the access level (see `ClusterAccessLevel`), so the access level matches the
 * application's actual RBAC permissions by construction.
 *
 * Rules (each a synth finding): a display name; an https API server URL without path or query; a
 * kubectl context without whitespace; Kubernetes 1.28 or later; capability names of lowercase
 * letters, digits, "-" and "."; quantities in `resourceQuota`. Over the objects: a read-only
 * context deploys nothing, and a deploy context no cluster-scoped object (Namespace, ClusterRole,
 * ...); every built-in apiVersion is served by the cluster's version (removed betas such as
 * policy/v1beta1 or autoscaling/v2beta2 are named with their replacement); custom resources need
 * their add-on among the capabilities ("cert-manager" for cert-manager.io, "prometheus-operator" for
 * monitoring.coreos.com, "sealed-secrets" for bitnami.com, "external-secrets" for external-secrets.io,
 * else the API group itself); and the CPU and memory requests (containers
 * times the maximum replicas, reading HPAs) and persistent claims fit `resourceQuota`.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ClusterAccessLevel, ContainerImage, DeploymentManifest, TargetCluster } from 'cdk8s-deploykit';
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
 *   // A ServiceAccount for the deployer, bound to a Role of this access level in its namespace.
 *   accessLevel: ClusterAccessLevel.DEPLOY,
 *   rbac: { serviceAccountName: 'shop-deployer', namespace: 'shop', managedNamespaces: ['shop'] },
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
  /** The application's ServiceAccount, when `rbac` is set. */
  public readonly serviceAccount?: k8s.KubeServiceAccount;
  /** The application's Roles, one per managed namespace. */
  public readonly roles: k8s.KubeRole[];
  /** The application's RoleBindings, one per managed namespace. */
  public readonly roleBindings: k8s.KubeRoleBinding[];
  /** The read-only ClusterRole for Namespaces, when `rbac.readNamespaces` is set. */
  public readonly clusterRole?: k8s.KubeClusterRole;
  /** Its ClusterRoleBinding. */
  public readonly clusterRoleBinding?: k8s.KubeClusterRoleBinding;

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

    const rbac = props.rbac ? this.emitRbac(findings, props.rbac) : undefined;
    this.serviceAccount = rbac?.serviceAccount;
    this.roles = rbac?.roles ?? [];
    this.roleBindings = rbac?.roleBindings ?? [];
    this.clusterRole = rbac?.clusterRole;
    this.clusterRoleBinding = rbac?.clusterRoleBinding;

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

  private emitRbac(findings: Findings, rbac: ClusterRbacOptions) {
    const namespace = rbac.namespace ?? Chart.of(this).namespace;
    const managed = [...(rbac.managedNamespaces ?? (namespace === undefined ? [] : [namespace]))];
    const level = rbac.accessLevel ?? this.accessLevel;
    findings.check('rbac.serviceAccountName', rbac.serviceAccountName, dns1123Subdomain);
    if (namespace === undefined) findings.add('rbac.namespace', undefined, "the application's namespace (or a chart with a namespace)");
    findings.check('rbac.namespace', rbac.namespace, dns1123Label);
    if (managed.length === 0) findings.add('rbac.managedNamespaces', [], 'at least one namespace the application works in');
    managed.forEach((ns, i) => findings.check(`rbac.managedNamespaces[${i}]`, ns, dns1123Label));
    for (const dup of duplicates(managed)) findings.add('rbac.managedNamespaces', dup, 'each namespace listed once');
    if (!Object.values(ClusterAccessLevel).includes(level)) {
      findings.add('rbac.accessLevel', level, `one of ${Object.values(ClusterAccessLevel).join(', ')}`);
    }
    findings.check('rbac.appName', rbac.appName, labelValue);
    findings.check('rbac.instance', rbac.instance, labelValue);
    findings.check('rbac.partOf', rbac.partOf, labelValue);
    for (const [f, v, e] of labelProblems('rbac.labels', rbac.labels)) findings.add(f, v, e);
    return emitRbac(this, {
      serviceAccountName: rbac.serviceAccountName,
      namespace: namespace ?? '',
      managedNamespaces: [...new Set(managed)],
      level: (Object.values(ClusterAccessLevel).includes(level) ? level : ClusterAccessLevel.READ_ONLY) as AccessLevelValue,
      readNamespaces: rbac.readNamespaces ?? false,
      labels: objectLabels(rbac.serviceAccountName, rbac),
    });
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
