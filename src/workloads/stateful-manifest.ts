import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { waiveEnvironmentImageDefaults, waiveTcpProbes, workloadImages } from './own-waivers';
import { WorkloadManifest } from './workload-manifest';
import { ContainerPortSpec } from './workload-options';
import { WorkloadProps } from './workload-props';
import { AccessMode } from '../config/persistent-storage';
import { standardLabels } from '../core/labels';
import { dns1123Label, dns1123Subdomain } from '../core/rules/names';
import { integerBetween } from '../core/rules/numbers';
import { byteQuantity, compareQuantities } from '../core/rules/quantity';
import { absolutePath } from '../core/rules/urls';
import { checkArgs } from '../core/validation';
import { addWarning } from '../core/warnings';
import { HealthEndpoint } from '../pod/health-endpoint';
import { buildPodTemplate, NO_LIVENESS_WARNING } from './private/pod-template';
import { ServiceConfiguration } from '../networking/service-configuration';

/**
 * The PersistentVolumeClaim template of a StatefulManifest: every replica gets its own
 * ReadWriteOnce claim `<name>-<statefulset>-<ordinal>`, kept when the pod moves or is deleted.
 */
export interface VolumeClaimTemplate {
  /** The volume name in the pod and the claim name prefix (DNS-1123 label), such as "data". */
  readonly name: string;
  /** Where the volume is mounted in the container (absolute path), such as "/bitnami/postgresql". */
  readonly mountPath: string;
  /** Requested size per replica, a byte quantity such as "5Gi". */
  readonly size: string;
  /**
   * StorageClass of the claims, such as "standard" (minikube).
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * The smallest acceptable `size`, a byte quantity such as "1Gi".
   * @default - no minimum
   */
  readonly minimumSize?: string;
}

/** Props of a StatefulManifest: a workload with a stable identity and a volume per replica. */
export interface StatefulManifestProps extends WorkloadProps {
  /**
   * Name of the StatefulSet, its pods' prefix and (by default) its headless Service: a DNS-1123
   * label of at most 52 characters (the controller appends a revision hash to pod labels).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Pod replicas (1-100). Each replica is a separate member with its own volume: more than one
   * only makes sense for software that replicates itself.
   * @default 1
   */
  readonly replicaCount?: number;
  /** Container ports; at least one, since the headless Service needs one. */
  readonly ports: ContainerPortSpec[];
  /**
   * HTTP health endpoints, at most one per kind.
   * @default - none: servers such as databases speak no HTTP (see `tcpHealthCheck`)
   */
  readonly healthEndpoints?: HealthEndpoint[];
  /** The per-replica volume. */
  readonly volumeClaim: VolumeClaimTemplate;
  /**
   * Name of the headless Service that gives the pods their DNS names (DNS-1123 label).
   * @default - the name
   */
  readonly serviceName?: string;
}

/**
 * A secure-by-default StatefulSet with a ReadWriteOnce volume per replica, the headless Service
 * that gives each pod a stable DNS name, a PodDisruptionBudget (from 2 replicas) and a
 * NetworkPolicy. Its pods are built exactly like DeploymentManifest's.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, StatefulManifest } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * // A StatefulSet with one claim per replica, its headless Service, a PodDisruptionBudget and a NetworkPolicy.
 * new StatefulManifest(chart, 'db', {
 *   image: new ContainerImage(chart, 'db-image', { repository: 'postgres', tag: '16.4.0' }),
 *   ports: [{ containerPort: 5432 }],
 *   replicaCount: 2,
 *   volumeClaim: { name: 'data', mountPath: '/var/lib/postgresql/data', size: '10Gi' },
 * });
 * app.synth();
 */
export class StatefulManifest extends WorkloadManifest {
  /** Replicas. */
  public readonly replicaCount: number;
  /** The headless Service. */
  public readonly service: ServiceConfiguration;
  /** The StatefulSet object. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  /** The PodDisruptionBudget, when two or more replicas run. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy, unless `networkPolicy.enabled` is false. */
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: StatefulManifestProps) {
    super(scope, id, 'StatefulManifestProps', props);
    props = this._props as StatefulManifestProps;
    const findings = this._findings;
    const objectLabels = this._objectLabels;
    this.replicaCount = props.replicaCount ?? 1;
    const instance = props.instance ?? this.name;
    const claim: VolumeClaimTemplate = props.volumeClaim ?? { name: 'data', mountPath: '/data', size: '1Gi' };

    // --- rules -------------------------------------------------------------------------------
    if (findings.check('name', this.name, dns1123Label) && this.name.length > 52) {
      findings.add('name', this.name, 'at most 52 characters (the StatefulSet controller appends an 11-character revision hash to a 63-character label)');
    }
    findings.check('namespace', props.namespace, dns1123Label);
    findings.check('serviceName', props.serviceName, dns1123Label);
    findings.check('replicaCount', props.replicaCount, integerBetween(1, 100));
    if ((props.ports ?? []).length === 0) {
      findings.add('ports', [], 'at least one container port (the headless Service that names the pods needs one)');
    }

    if (props.volumeClaim === undefined) findings.add('volumeClaim', undefined, 'a volume claim template such as { name: "data", mountPath: "/var/lib/data", size: "1Gi" }');
    findings.check('volumeClaim.name', claim.name, dns1123Label);
    if (claim.size === undefined) findings.add('volumeClaim.size', undefined, 'a byte quantity such as "1Gi"');
    if (claim.mountPath === undefined) findings.add('volumeClaim.mountPath', undefined, 'an absolute path such as "/var/lib/data"');
    if (findings.check('volumeClaim.mountPath', claim.mountPath, absolutePath) && claim.mountPath === '/') {
      findings.add('volumeClaim.mountPath', claim.mountPath, 'a folder below "/", such as "/var/lib/data"');
    }
    findings.check('volumeClaim.storageClass', claim.storageClass, dns1123Subdomain);
    const sizeOk = findings.check('volumeClaim.size', claim.size, byteQuantity);
    const minimumOk = findings.check('volumeClaim.minimumSize', claim.minimumSize, byteQuantity);
    if (sizeOk && minimumOk && claim.size !== undefined && claim.minimumSize !== undefined
      && compareQuantities(claim.size, claim.minimumSize) < 0) {
      findings.add('volumeClaim.size', claim.size, `at least ${JSON.stringify(claim.minimumSize)} (minimumSize)`);
    }

    // --- pod template (shared with DeploymentManifest) -------------------------------------------
    const { ports, template, readiness, liveness } = buildPodTemplate(this, findings, {
      ...props, // the container and configuration props keep their names
      name: this.name,
      environment: this.environment,
      defaultProbes: false,
      // A stateful server (a database) rarely serves HTTP: TCP probes unless health endpoints are given.
      tcpHealthCheck: props.tcpHealthCheck ?? props.healthEndpoints === undefined,
      templateMounts: [{ field: 'volumeClaim', mount: { name: claim.name, mountPath: claim.mountPath } }],
      selectorLabels: this.selectorLabels,
      podLabels: this.podLabels,
      antiAffinity: this.replicaCount > 1,
    });
    this._podTemplate = template;

    // --- headless Service, StatefulSet, disruption budget, network policy -------------------------
    const namespace = props.namespace;
    const serviceName = props.serviceName ?? this.name;
    this.service = new ServiceConfiguration(this, 'service', {
      serviceName,
      namespace,
      headless: true,
      ports: ports.map((p, i) => ({ name: p.name ?? `port-${i}`, port: p.containerPort, targetPort: p.containerPort, protocol: p.protocol })),
      selectorLabels: this.selectorLabels,
      labels: objectLabels,
    });
    this.service.addTarget({ path: this.node.path, podLabels: this.podLabels, containerPorts: ports.map((p) => p.containerPort) });
    if (!readiness && !liveness && ports.length > 0) {
      // What deploykit check reports as probe-present-behind-service.
      const [field, given] = props.tcpHealthCheck === false ? ['tcpHealthCheck', false] : ['healthEndpoints', (props.healthEndpoints ?? []).map((e) => e.kind)];
      this._findings.add(field, given,
        `a readiness HealthEndpoint (ProbeKind.READINESS) or tcpHealthCheck: true: the pods have no probe at all, so the headless Service ${serviceName} lists each pod before it can serve and a hung one is never taken out`);
    } else {
      if (!readiness) {
        addWarning(this, `no readiness probe: the headless Service ${serviceName} lists each pod by DNS before it can serve; add a readiness HealthEndpoint or tcpHealthCheck: true`);
      }
      if (!liveness) addWarning(this, NO_LIVENESS_WARNING);
    }

    this.statefulSet = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: { name: this.name, namespace, labels: objectLabels },
      spec: {
        serviceName,
        replicas: this.replicaCount,
        revisionHistoryLimit: 10,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: this.selectorLabels },
        template,
        volumeClaimTemplates: [{
          // Claim templates cannot change after creation: no version label here.
          metadata: { name: claim.name, labels: standardLabels({ name: this.name, instance, partOf: props.partOf }) },
          spec: {
            accessModes: [AccessMode.READ_WRITE_ONCE],
            storageClassName: claim.storageClass,
            resources: { requests: { storage: k8s.Quantity.fromString(claim.size ?? '') } },
          },
        }],
      },
    });

    const guards = this._addGuards(ports, this.replicaCount);
    this.disruptionBudget = guards.disruptionBudget;
    this.networkPolicy = guards.networkPolicy;

    // What the workload does on purpose is waived with its reason, so its defaults pass PolicyCheck.
    waiveEnvironmentImageDefaults(this.statefulSet, workloadImages(props));
    waiveTcpProbes(this.statefulSet, template.spec);
  }

  /** The headless Service's DNS name, `<service>.<namespace>.svc.cluster.local`: it resolves to the ready pods. */
  public get dnsName(): string {
    return this.service.dnsName;
  }

  /** The stable DNS name of one replica: `<name>-<ordinal>.<service>.<namespace>.svc.cluster.local`. */
  public podDnsName(ordinal: number): string {
    [ordinal] = checkArgs(this._findings, 'StatefulManifest', 'podDnsName', [ordinal]) as [number];
    return `${this.name}-${ordinal}.${this.service.dnsName}`;
  }
}
