import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Findings } from '../core/findings';
import { byteQuantity, compareQuantities, cpuQuantity } from '../core/rules/quantity';
import { checkProps } from '../core/validation';

/** Amounts of compute resources (seed 000 `resource_limits` {cpu, memory, storage}). */
export interface ResourceQuantities {
  /** CPU, such as "100m", "1" or "2.5". */
  readonly cpu?: string;
  /** Memory, such as "128Mi", "1Gi" or "2Gi". */
  readonly memory?: string;
  /** Ephemeral storage, such as "256Mi". */
  readonly storage?: string;
}

/** Props of ResourceLimits (seed 000 resource_limits; seed 002 runtime configuration; seed 003 requests/limits). */
export interface ResourceLimitsProps {
  /**
   * Upper bounds: the container is throttled (CPU), killed (memory) or evicted (ephemeral storage)
   * above them. When neither the limits nor the requests name `storage`, the ephemeral-storage limit
   * is `DEFAULT_LIMITS.storage` (256Mi): a container without one may fill its node's disk.
   */
  readonly limits: ResourceQuantities;
  /**
   * What the scheduler reserves; each at most its limit. Given without `storage`, the
   * ephemeral-storage request is `DEFAULT_REQUESTS.storage` (64Mi), or the storage limit when that is smaller.
   * @default - equal to the limits
   */
  readonly requests?: ResourceQuantities;
}

/**
 * CPU, memory and ephemeral-storage requests and limits of a container. Requests may not exceed
 * limits, compared as quantities ("0.5" equals "500m").
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, ResourceLimits } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 *   // Requests may not exceed limits ("0.5" and "500m" compare equal).
 *   resourceLimits: new ResourceLimits(chart, 'api-resources', {
 *     requests: { cpu: '100m', memory: '128Mi' },
 *     limits: { cpu: '500m', memory: '256Mi' },
 *   }),
 * });
 * app.synth();
 */
export class ResourceLimits extends Construct {
  /**
   * The defaults a workload gets when it names none: small, bounded, and complete enough for
   * kube-score and Polaris (cpu, memory and ephemeral storage, requested and limited).
   */
  public static readonly DEFAULT_REQUESTS: ResourceQuantities = { cpu: '100m', memory: '128Mi', storage: '64Mi' };
  /** Default limits; see DEFAULT_REQUESTS. */
  public static readonly DEFAULT_LIMITS: ResourceQuantities = { cpu: '500m', memory: '256Mi', storage: '256Mi' };

  /** The limits. */
  public readonly limits: ResourceQuantities;
  /** The requests. */
  public readonly requests: ResourceQuantities;

  constructor(scope: Construct, id: string, props: ResourceLimitsProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'ResourceLimitsProps', props);
    // Ephemeral storage is requested and limited even when only CPU and memory are given (what
    // kube-score and Polaris ask for): a container that writes logs or /tmp is bounded too.
    const storageNamed = props.limits?.storage !== undefined || props.requests?.storage !== undefined;
    this.limits = { ...props.limits, ...(storageNamed ? {} : { storage: ResourceLimits.DEFAULT_LIMITS.storage }) };
    const storageRequest = props.requests?.storage ?? defaultStorageRequest(this.limits.storage);
    this.requests = props.requests === undefined ? { ...this.limits } : { ...props.requests, ...(storageRequest ? { storage: storageRequest } : {}) };

    const valid: Record<string, boolean> = {};
    for (const [group, values] of [['limits', this.limits], ['requests', props.requests ?? {}]] as const) {
      valid[`${group}.cpu`] = findings.check(`${group}.cpu`, values.cpu, cpuQuantity);
      valid[`${group}.memory`] = findings.check(`${group}.memory`, values.memory, byteQuantity);
      valid[`${group}.storage`] = findings.check(`${group}.storage`, values.storage, byteQuantity);
    }
    if (!this.limits.memory) {
      findings.add('limits.memory', undefined, 'a memory limit such as "256Mi" (a container without one can exhaust its node)');
    }
    for (const key of ['cpu', 'memory', 'storage'] as const) {
      const request = this.requests[key];
      const limit = this.limits[key];
      if (request && limit && valid[`requests.${key}`] && valid[`limits.${key}`] && compareQuantities(request, limit) > 0) {
        findings.add(`requests.${key}`, request, `at most the limit ${JSON.stringify(limit)}`);
      }
      if (request && !limit && valid[`requests.${key}`]) {
        findings.add(`limits.${key}`, undefined, `a ${key} limit, since a ${key} request (${JSON.stringify(request)}) is set`);
      }
    }
  }

  /** The Kubernetes container resources. */
  public toResourceRequirements(): k8s.ResourceRequirements {
    return {
      requests: toQuantities(this.requests),
      limits: toQuantities(this.limits),
    };
  }
}

/** The storage request that goes with `limit`: DEFAULT_REQUESTS.storage, or the limit when that is smaller or unreadable. */
function defaultStorageRequest(limit: string | undefined): string | undefined {
  const request = ResourceLimits.DEFAULT_REQUESTS.storage!;
  if (limit === undefined) return undefined;
  return byteQuantity(limit) === undefined && compareQuantities(limit, request) < 0 ? limit : request;
}

function toQuantities(q: ResourceQuantities): { [key: string]: k8s.Quantity } {
  const out: { [key: string]: k8s.Quantity } = {};
  if (q.cpu) out.cpu = k8s.Quantity.fromString(q.cpu);
  if (q.memory) out.memory = k8s.Quantity.fromString(q.memory);
  if (q.storage) out['ephemeral-storage'] = k8s.Quantity.fromString(q.storage);
  return out;
}
