import { Construct, IConstruct } from 'constructs';
import { Findings } from '../core/findings';
import { formatFinding } from '../core/report';
import { dns1123Label } from '../core/rules/names';
import { integerBetween } from '../core/rules/numbers';
import { cpuQuantity, byteQuantity } from '../core/rules/quantity';
import { parseKubernetesVersion } from '../core/rules/versions';
import { checkArgs, checkArgsOrThrow, checkProps } from '../core/validation';
import { ManifestSet, millicores, quantityValue, renderedObjects } from '../manifests';
import { ResourceQuantities } from '../pod/resource-limits';

/** Props of a MinikubeCluster (seed 001 Minikube Cluster). Minikube reads "MB" as 2^20 bytes (MiB). */
export interface MinikubeClusterProps {
  /** The minikube profile name (DNS-1123 label), such as "local-dev". */
  readonly name: string;
  /** CPUs of the node, an integer of at least 2 (minikube's minimum). */
  readonly cpus: number;
  /** Memory of the node in MB, an integer of at least 2048. */
  readonly memory: number;
  /**
   * Disk of the node in MB, an integer of at least 2000 (minikube's minimum).
   * @default 20000 (minikube's default)
   */
  readonly diskSize?: number;
  /**
   * Kubernetes version, at least 1.28 (the version the library's objects are checked against), such as "1.28.3" or "v1.28.3".
   * @default "v1.28.3"
   */
  readonly kubernetesVersion?: string;
  /**
   * CPU and memory the single node's control plane and DNS request (kubeadm's static pods and CoreDNS).
   * @default { cpu: "750m", memory: "170Mi" }
   */
  readonly systemReserved?: ResourceQuantities;
}

/** What the hosted objects need of the node at their maximum scale. */
export interface ClusterDemand {
  /** CPU requests in cores, at maximum replicas plus rolling-update surge. */
  readonly cpuCores: number;
  /** Memory requests in MiB, at maximum replicas plus rolling-update surge. */
  readonly memoryMiB: number;
  /** Persistent volume claims in MiB: PVCs plus StatefulSet claim templates times replicas. */
  readonly diskMiB: number;
  /** One line per workload and claim, such as "Deployment todo/todo-backend: 5 pods x (250m CPU, 256Mi)". */
  readonly breakdown: string[];
}

const MIB = 2 ** 20;
const DEFAULT_RESERVED: ResourceQuantities = { cpu: '750m', memory: '170Mi' };

/**
 * A local minikube cluster (seed 001 Minikube Cluster). It emits no Kubernetes object: it checks at
 * synth time that what its chart (and every scope given to `hosts()`) deploys fits the node, and
 * renders the `minikube start` command that creates it.
 *
 * The check sums container requests (a request defaults to its limit) at each workload's maximum
 * replicas (an HPA's maxReplicas, else `replicas`) plus a Deployment's rolling-update surge, adds the
 * control plane's share, and compares persistent claims (StatefulSet templates times replicas) to
 * the disk. Rules: a DNS-1123 profile name, cpus >= 2, memory >= 2048 MB, disk >= 2000 MB,
 * Kubernetes >= 1.28.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, MinikubeCluster } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 * });
 *
 * // The synth fails if the chart's requests (at maximum scale) do not fit the node.
 * const cluster = new MinikubeCluster(chart, 'minikube', { name: 'local-dev', cpus: 4, memory: 8192 });
 * // "minikube start --profile local-dev --cpus 4 --memory 8192MB ..."
 * const start: string = cluster.startCommand();
 * app.synth();
 */
export class MinikubeCluster extends Construct {
  /** The profile name. */
  public readonly name: string;
  /** CPUs. */
  public readonly cpus: number;
  /** Memory in MB. */
  public readonly memory: number;
  /** Disk in MB. */
  public readonly diskSize: number;
  /** The Kubernetes version as minikube takes it, such as "v1.28.3". */
  public readonly kubernetesVersion: string;

  private readonly reserved: ResourceQuantities;
  private readonly hosted: IConstruct[] = [];
  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: MinikubeClusterProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'MinikubeClusterProps', props);
    this.findings = findings;
    this.name = props.name;
    this.cpus = props.cpus;
    this.memory = props.memory;
    this.diskSize = props.diskSize ?? 20000;
    this.reserved = { ...DEFAULT_RESERVED, ...props.systemReserved };
    const given = props.kubernetesVersion ?? 'v1.28.3';
    const parsed = parseKubernetesVersion(given);
    this.kubernetesVersion = parsed ? `v${parsed.join('.')}` : given;

    findings.check('name', props.name, dns1123Label);
    findings.check('cpus', props.cpus, integerBetween(2, 1024));
    findings.check('memory', props.memory, integerBetween(2048, 4194304));
    findings.check('diskSize', props.diskSize, integerBetween(2000, 67108864));
    findings.check('systemReserved.cpu', props.systemReserved?.cpu, cpuQuantity);
    findings.check('systemReserved.memory', props.systemReserved?.memory, byteQuantity);
    if (parsed === undefined) {
      findings.add('kubernetesVersion', given, 'a Kubernetes version such as "1.28.3" or "v1.28.3"');
    } else if (parsed[0] !== 1 || parsed[1] < 28) {
      findings.add('kubernetesVersion', given, 'at least 1.28 (the Kubernetes version the objects are checked against)');
    }

    // The objects are only complete once the whole tree is built: check them at synth time.
    this.node.addValidation({ validate: () => this.checkFits(this.hostedObjects()) });
  }

  /** Counts the objects under `scope` (for example another chart) as deployed to this cluster too. */
  public hosts(scope: IConstruct): void {
    [scope] = checkArgs(this.findings, 'MinikubeCluster', 'hosts', [scope]) as [IConstruct];
    if (scope) this.hosted.push(scope);
  }

  /** The `minikube start` command with this cluster's profile, CPUs, memory, disk and version. */
  public startCommand(): string {
    return `minikube start --profile ${this.name} --cpus ${this.cpus} --memory ${this.memory}MB`
      + ` --disk-size ${this.diskSize}MB --kubernetes-version ${this.kubernetesVersion}`;
  }

  /** What `manifests` (synthesized objects, such as `chart.toJson()`) need of the node at their maximum scale. */
  public demand(manifests: any[]): ClusterDemand {
    checkArgsOrThrow('MinikubeCluster', 'demand', [manifests]);
    const demand = new ManifestSet(manifests).resourceDemand({ withSurge: true });
    return { cpuCores: demand.cpuCores, memoryMiB: demand.memoryBytes / MIB, diskMiB: demand.storageBytes / MIB, breakdown: demand.breakdown };
  }

  /** Problems with running `manifests` on this cluster, each naming the totals; empty when they fit. */
  public checkFits(manifests: any[]): string[] {
    checkArgsOrThrow('MinikubeCluster', 'checkFits', [manifests]);
    const need = this.demand(manifests);
    const reservedCpu = quantityValue(this.reserved.cpu);
    const reservedMemory = quantityValue(this.reserved.memory) / MIB;
    const cpuTotal = need.cpuCores + reservedCpu;
    const memoryTotal = need.memoryMiB + reservedMemory;
    const totals = `the workloads request ${millicores(need.cpuCores)} CPU and ${Math.ceil(need.memoryMiB)}Mi memory at maximum replicas`
      + ` plus rolling-update surge, and the control plane ${millicores(reservedCpu)} CPU and ${Math.ceil(reservedMemory)}Mi`
      + ` (${need.breakdown.join('; ') || 'no workloads'})`;
    const problems: string[] = [];
    if (Number.isInteger(this.cpus) && cpuTotal > this.cpus + 1e-9) {
      problems.push(formatFinding({ field: 'cpus', value: String(this.cpus), expected: `at least ${Math.ceil(cpuTotal - 1e-9)}: ${totals}` }));
    }
    if (Number.isInteger(this.memory) && memoryTotal > this.memory + 1e-9) {
      problems.push(formatFinding({ field: 'memory', value: String(this.memory), expected: `at least ${Math.ceil(memoryTotal - 1e-9)} (MB): ${totals}` }));
    }
    if (Number.isInteger(this.diskSize) && need.diskMiB > this.diskSize + 1e-9) {
      const claims = need.breakdown.filter((line) => line.startsWith('PersistentVolumeClaim') || line.includes(' claim '));
      problems.push(formatFinding({
        field: 'diskSize',
        value: String(this.diskSize),
        expected: `at least ${Math.ceil(need.diskMiB - 1e-9)} (MB): the persistent volume claims total ${Math.ceil(need.diskMiB)}Mi (${claims.join('; ')})`,
      }));
    }
    return problems;
  }

  private hostedObjects(): any[] {
    return renderedObjects(this, this.hosted);
  }
}
