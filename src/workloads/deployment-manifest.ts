import * as path from 'path';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { waiveEnvironmentImageDefaults, waiveSingleWriter, waiveTcpProbes, workloadImages } from './own-waivers';
import { WorkloadManifest } from './workload-manifest';
import { ContainerPortSpec, DeploymentServiceOptions, ManifestType, RollingUpdateConfig, ScalingConfig } from './workload-options';
import { WorkloadProps } from './workload-props';
import { CATALOG_FETCH_CONTAINER, CATALOG_STAGING_VOLUME, planCatalogImport } from '../config/catalog-import';
import { CatalogImporter, CatalogSource } from '../config/catalog-source';
import { PersistentStorage } from '../config/persistent-storage';
import { SampleCatalog } from '../config/sample-catalog';
import {
  COMPOSE_BIND_ANNOTATION_PREFIX, COMPOSE_HEALTHCHECK_ANNOTATION, COMPOSE_SKIP_ANNOTATION_PREFIX, MANIFEST_TYPE_ANNOTATION,
} from '../core/conventions';
import { Environment } from '../core/environment';
import { dns1123Label, dnsHostName, includesName } from '../core/rules/names';
import { integerBetween } from '../core/rules/numbers';
import { addWarning } from '../core/warnings';
import { HealthEndpoint } from '../pod/health-endpoint';
import { ResourceLimits } from '../pod/resource-limits';
import { withCatalogImport } from './private/catalog-init';
import { buildPodTemplate, NO_LIVENESS_WARNING, PodTemplate } from './private/pod-template';
import { ServiceConfiguration } from '../networking/service-configuration';
import { CertificateBundle } from '../tls/certificate-bundle';

/** Props of a DeploymentManifest (seed 000 Deployment Manifest; seeds 001-003 Deployment). */
export interface DeploymentManifestProps extends WorkloadProps {
  /**
   * Name of the Deployment and its pods' prefix (DNS-1123 label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Output type.
   * @default ManifestType.KUBERNETES
   */
  readonly type?: ManifestType;
  /**
   * The DNS name clients use for this server (certificates, ingress); a `certificateBundle`'s SANs
   * must include it (seed 000).
   * @default - the certificate bundle's serverName, else none
   */
  readonly serverName?: string;
  /**
   * The server's TLS certificate (seed 000: one bundle per deployment manifest), mounted read-only
   * at `certificateMountPath` (tls.crt, tls.key and ca.crt when there is a CA).
   * @default - none
   */
  readonly certificateBundle?: CertificateBundle;
  /**
   * Where the certificate bundle is mounted.
   * @default "/etc/tls"
   */
  readonly certificateMountPath?: string;
  /**
   * Pod replicas, at least 1; ignored when `scalingConfig` hands them to an autoscaler. Seed 000:
   * 1 for docker-compose (any other count is an error), 2 or more for kubernetes: fewer than 2
   * without autoscaling is an error in staging and production (one pod would be a single point of
   * failure), allowed in development and with a single-writer (ReadWriteOnce) volume.
   * @default 2 for kubernetes, 1 for docker-compose
   */
  readonly replicaCount?: number;
  /**
   * Container ports.
   * @default - none (then no Service and no health endpoint without a port)
   */
  readonly ports?: ContainerPortSpec[];
  /**
   * Health endpoints, at most one per kind.
   * @default - liveness /health/live and readiness /health/ready on the first port, when there is one
   */
  readonly healthEndpoints?: HealthEndpoint[];
  /**
   * Autoscaling; the Deployment then leaves `replicas` to the autoscaler.
   * @default - no autoscaler
   */
  readonly scalingConfig?: ScalingConfig;
  /**
   * Rolling update limits.
   * @default - maxSurge 1, maxUnavailable 0; a Recreate strategy when a single-writer (ReadWriteOnce)
   * volume is mounted, since a surge pod could not attach it on another node
   */
  readonly rollingUpdate?: RollingUpdateConfig;
  /**
   * Old ReplicaSets kept for rollback.
   * @default 10
   */
  readonly revisionHistoryLimit?: number;
  /**
   * Persistent volumes.
   * @default - none
   */
  readonly storage?: PersistentStorage[];
  /**
   * The Service in front of the pods.
   * @default - a ClusterIP Service named like the Deployment when there are ports
   */
  readonly service?: DeploymentServiceOptions;
  /**
   * Create no Service even though there are ports.
   * @default false
   */
  readonly withoutService?: boolean;
  /**
   * Sample catalogs imported into the holotree before the container starts (seed 000: catalogs and
   * deployment manifests are many-to-many). Two init containers do it: `catalog-fetch` copies the ZIP
   * files from `catalogSource` into a scratch volume, and `catalog-import` verifies each file's size
   * and SHA-256 against its catalog (the pod fails on a mismatch, before anything is imported), then
   * imports it into the volume mounted at the catalogs' `robocorpHomePath` (such as a
   * PersistentStorage in `storage`). For docker-compose, the catalogs' folder is bind-mounted
   * read-only instead of fetched, and the import runs as a one-shot service the server waits for.
   * @default - none
   */
  readonly catalogs?: SampleCatalog[];
  /**
   * Where the pods fetch the catalogs' ZIP files (an image carrying them, or an https folder).
   * @default - none; required with `catalogs`
   */
  readonly catalogSource?: CatalogSource;
  /**
   * The container that verifies and imports the catalogs.
   * @default - the workload's image running `rcc holotree import <file>` for each file
   */
  readonly catalogImporter?: CatalogImporter;
  /**
   * For a docker-compose manifest: the command the image has to probe its liveness endpoint, such as
   * ["curl", "-fsk"] or ["wget", "-q", "-O", "/dev/null", "--no-check-certificate"]; the compose
   * `healthcheck` runs it with the endpoint's URL (`https://127.0.0.1:<port><path>` for HTTPS) at
   * the probe's period, timeout and failure threshold. Without it the compose file has no healthcheck,
   * and its header says why: an HTTP probe needs a tool inside the image, which is not assumed.
   * @default - no compose healthcheck for HTTP(S) probes
   */
  readonly composeHealthcheckCommand?: string[];
}

/**
 * A secure-by-default Deployment with its Service, autoscaler, PodDisruptionBudget and
 * NetworkPolicy (seed 000 Deployment Manifest).
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, Environment } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * // A Deployment, a Service "api", an autoscaler, a PodDisruptionBudget and a NetworkPolicy.
 * const api = new DeploymentManifest(chart, 'api', {
 *   environment: Environment.PRODUCTION,
 *   image: new ContainerImage(chart, 'api-image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 *   scalingConfig: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 },
 *   env: { LOG_LEVEL: 'info' },
 * });
 * // api.dnsName is "api.shop.svc.cluster.local"; api.deployment is the Deployment object.
 * app.synth();
 */
export class DeploymentManifest extends WorkloadManifest {
  /** The DNS name clients use for this server, when known. */
  public readonly serverName?: string;
  /** The Service, when there is one. */
  public readonly service?: ServiceConfiguration;
  /** The Deployment object (an escape hatch: `addJsonPatch` reaches any field). */
  public readonly deployment: k8s.KubeDeployment;
  /** The HorizontalPodAutoscaler, when `scalingConfig` is set. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget, when two or more replicas can run. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy, unless `networkPolicy.enabled` is false. */
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;
  /** Replicas when no autoscaler is set. */
  public readonly replicaCount: number;
  /** The most replicas that can run (the autoscaler's maximum, or replicaCount). */
  public readonly maxReplicas: number;

  constructor(scope: Construct, id: string, props: DeploymentManifestProps) {
    super(scope, id, 'DeploymentManifestProps', props);
    props = this._props as DeploymentManifestProps;
    const findings = this._findings;
    const objectLabels = this._objectLabels;
    const type = props.type ?? ManifestType.KUBERNETES;
    this.replicaCount = props.replicaCount ?? (type === ManifestType.DOCKER_COMPOSE ? 1 : 2);
    this.maxReplicas = props.scalingConfig ? props.scalingConfig.maxReplicas : this.replicaCount;

    // --- rules -------------------------------------------------------------------------------
    findings.check('name', this.name, dns1123Label);
    findings.check('namespace', props.namespace, dns1123Label);
    findings.check('serverName', props.serverName, dnsHostName);
    const bundle = props.certificateBundle;
    this.serverName = props.serverName ?? bundle?.serverName;
    // The bundle checks its own serverName against its SANs: the manifest reports only another name,
    // so a bad SAN list is one finding, at the bundle.
    if (bundle && props.serverName !== undefined && props.serverName.toLowerCase() !== bundle.serverName?.toLowerCase()) {
      findings.check('certificateBundle.sanNames', bundle.sanNames, includesName(props.serverName));
    }
    if (props.certificateMountPath !== undefined && !bundle) {
      findings.add('certificateMountPath', props.certificateMountPath, 'a certificateBundle to mount there');
    }
    const replicasValid = findings.check('replicaCount', props.replicaCount, integerBetween(1, 1000));
    if (type === ManifestType.DOCKER_COMPOSE && props.replicaCount !== undefined && props.replicaCount !== 1) {
      findings.add('replicaCount', props.replicaCount, '1 for a docker-compose manifest');
    }
    findings.check('revisionHistoryLimit', props.revisionHistoryLimit, integerBetween(0, 100));
    const singleWriter = (props.storage ?? []).some((s) => PersistentStorage.isSingleWriter(s.accessMode));
    if (type === ManifestType.KUBERNETES && !props.scalingConfig && this.environment !== Environment.DEVELOPMENT && !singleWriter
      && Number.isInteger(this.replicaCount) && this.replicaCount === 1) {
      findings.add('replicaCount', this.replicaCount,
        `2 or more for a kubernetes manifest in ${this.environment} (seed 000: replica_count is 2+ for kubernetes, so a pod can go while another serves), `
        + 'or a scalingConfig; 1 replica is for development, a docker-compose manifest, or a single-writer (ReadWriteOnce) volume');
    }

    const scaling = props.scalingConfig;
    if (scaling) {
      findings.check('scalingConfig.minReplicas', scaling.minReplicas, integerBetween(1, 1000));
      findings.check('scalingConfig.maxReplicas', scaling.maxReplicas, integerBetween(Math.max(1, scaling.minReplicas ?? 1), 1000));
      findings.check('scalingConfig.targetCpuPercent', scaling.targetCpuPercent, integerBetween(1, 100));
      // (A count that is no valid count at all is reported once, above.)
      const outside = props.replicaCount !== undefined && (props.replicaCount < scaling.minReplicas || props.replicaCount > scaling.maxReplicas);
      if (replicasValid && outside) {
        findings.add('replicaCount', props.replicaCount,
          `a count within scalingConfig's ${scaling.minReplicas}-${scaling.maxReplicas}, or none: the autoscaler decides the replicas`);
      }
      // The autoscaler scales on cpu utilization, a percentage of the requests: every container of the
      // pod needs a cpu request (a limit alone stands in: the API server copies it into the request).
      const withoutCpu = (r: ResourceLimits | undefined) => r !== undefined && r.requests.cpu === undefined && r.limits.cpu === undefined;
      const needed = (whose: string) => `a cpu request (requests.cpu, or limits.cpu, which becomes the request) for ${whose}: scalingConfig scales on cpu utilization, `
        + 'a percentage of the requests, so without one the HorizontalPodAutoscaler cannot compute it and does not scale';
      if (withoutCpu(props.resourceLimits)) {
        findings.add('resourceLimits', { requests: props.resourceLimits!.requests, limits: props.resourceLimits!.limits }, needed('the main container'));
      }
      (props.sidecars ?? []).forEach((sc, i) => {
        if (withoutCpu(sc.resourceLimits)) {
          findings.add(`sidecars[${i}].resourceLimits`, { requests: sc.resourceLimits!.requests, limits: sc.resourceLimits!.limits }, needed(`sidecar ${JSON.stringify(sc.name)}`));
        }
      });
    }
    // A surge pod on another node cannot attach a ReadWriteOnce volume (and on the same node it is a
    // second writer): single-writer workloads replace their pod unless the user asks otherwise.
    const recreate = singleWriter && props.rollingUpdate === undefined;
    const surge = props.rollingUpdate?.maxSurge ?? 1;
    const unavailable = props.rollingUpdate?.maxUnavailable ?? 0;
    findings.check('rollingUpdate.maxSurge', surge, integerBetween(0, 1000));
    findings.check('rollingUpdate.maxUnavailable', unavailable, integerBetween(0, 1000));
    if (surge === 0 && unavailable === 0) findings.add('rollingUpdate', { maxSurge: 0, maxUnavailable: 0 }, 'maxSurge or maxUnavailable above 0, or no update can progress');

    // The replica count is the bad input (the volume is fine): one finding on the field that sets it.
    const singleWriterClaim = (props.storage ?? []).find((s) => PersistentStorage.isSingleWriter(s.accessMode));
    if (singleWriterClaim && this.maxReplicas > 1) {
      const field = scaling ? 'scalingConfig.maxReplicas' : 'replicaCount';
      findings.add(field, this.maxReplicas,
        `1${props.replicaCount === undefined && !scaling ? ' (the default is 2)' : ''} while the ${singleWriterClaim.accessMode} volume "${singleWriterClaim.claimName}" is mounted `
        + '(a single writer, as for SQLite), with no autoscaling above 1; or a StatefulManifest');
    }

    // --- pod template (shared with StatefulManifest) -------------------------------------------
    const built = buildPodTemplate(this, findings, {
      ...props, // the container, configuration and scheduling props keep their names
      name: this.name,
      environment: this.environment,
      defaultProbes: true,
      madeVolumes: [
        ...(props.storage ?? []).map((s) => ({ volume: s.volume() })),
        ...(bundle ? [{ volume: bundle.volume(props.certificateMountPath ?? '/etc/tls'), field: 'certificateMountPath' }] : []),
      ],
      selectorLabels: this.selectorLabels,
      podLabels: this.podLabels,
      antiAffinity: this.maxReplicas > 1,
    });
    const ports = built.ports;
    const catalogPlan = planCatalogImport(findings, props.catalogs, props.catalogSource, props.catalogImporter, props.image);
    const template = catalogPlan ? withCatalogImport(findings, built.template, catalogPlan, this.environment) : built.template;
    this._podTemplate = template;

    const namespace = props.namespace;
    // A docker-compose manifest says so on its Deployment, so the compose synth can find it in the
    // synthesized objects, with what compose does differently (a bind-mounted catalog folder, a healthcheck command).
    let annotations: Record<string, string> | undefined;
    if (type === ManifestType.DOCKER_COMPOSE) {
      annotations = { [MANIFEST_TYPE_ANNOTATION]: ManifestType.DOCKER_COMPOSE };
      if (catalogPlan) {
        if (catalogPlan.localFolder === undefined) {
          findings.add('catalogs', (props.catalogs ?? []).map((c) => c.zipFilePath),
            'catalogs in one folder for a docker-compose manifest: compose bind-mounts that folder read-only for the import');
        } else {
          const folder = path.relative(process.cwd(), catalogPlan.localFolder).split(path.sep).join('/') || '.';
          annotations[`${COMPOSE_BIND_ANNOTATION_PREFIX}${CATALOG_STAGING_VOLUME}`] = folder;
          annotations[`${COMPOSE_SKIP_ANNOTATION_PREFIX}${CATALOG_FETCH_CONTAINER}`] = 'the catalog folder is bind-mounted read-only into the import instead';
        }
      }
      if (props.composeHealthcheckCommand !== undefined) {
        annotations[COMPOSE_HEALTHCHECK_ANNOTATION] = JSON.stringify(props.composeHealthcheckCommand);
      }
    }
    const healthcheck = props.composeHealthcheckCommand;
    if (healthcheck !== undefined) {
      if (type !== ManifestType.DOCKER_COMPOSE) {
        findings.add('composeHealthcheckCommand', healthcheck, 'nothing for a kubernetes manifest (the kubelet probes it), or type ManifestType.DOCKER_COMPOSE');
      } else if (healthcheck.length === 0 || healthcheck.some((w) => w.trim() === '' || /[\r\n]/.test(w))) {
        findings.add('composeHealthcheckCommand', healthcheck, 'a command of non-empty words such as ["curl", "-fsk"]; the endpoint URL is appended');
      } else if (template.spec?.containers[0]?.livenessProbe?.exec) {
        findings.add('composeHealthcheckCommand', healthcheck, 'nothing: the liveness HealthEndpoint runs a command, which is the compose healthcheck as it is');
      } else if (!template.spec?.containers[0]?.livenessProbe?.httpGet) {
        findings.add('composeHealthcheckCommand', healthcheck, 'a liveness HealthEndpoint to probe (HTTP or HTTPS)');
      }
    }

    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: this.name, namespace, labels: objectLabels, annotations },
      spec: {
        replicas: scaling ? undefined : this.replicaCount,
        revisionHistoryLimit: props.revisionHistoryLimit ?? 10,
        selector: { matchLabels: this.selectorLabels },
        strategy: recreate ? { type: 'Recreate' } : {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(surge), maxUnavailable: k8s.IntOrString.fromNumber(unavailable) },
        },
        template,
      },
    });

    // --- Service, autoscaler, disruption budget, network policy -------------------------------
    if (ports.length > 0 && !props.withoutService) {
      const options = props.service ?? {};
      this.service = new ServiceConfiguration(this, 'service', {
        serviceName: options.serviceName ?? this.name,
        namespace,
        serviceType: options.serviceType,
        ports: options.ports ?? ports.map((p, i) => ({ name: p.name ?? `port-${i}`, port: p.containerPort, targetPort: p.containerPort, protocol: p.protocol })),
        selectorLabels: this.selectorLabels,
        sessionAffinity: options.sessionAffinity,
        externalTrafficPolicy: options.externalTrafficPolicy,
        headless: options.headless,
        labels: objectLabels,
      });
      this.service.addTarget({ path: this.node.path, podLabels: this.podLabels, containerPorts: ports.map((p) => p.containerPort) });
    } else if (props.service) {
      findings.add('service', props.service.serviceName ?? this.name, 'container ports to expose (a Service needs at least one)');
    }
    this.checkProbes(ports.length, built, props);

    const guards = this._addGuards(ports, this.maxReplicas, scaling);
    this.autoscaler = guards.autoscaler;
    this.disruptionBudget = guards.disruptionBudget;
    this.networkPolicy = guards.networkPolicy;

    // What the workload does on purpose is waived with its reason, so its defaults pass PolicyCheck
    // (a docker-compose manifest is never checked: Kubernetes does not see it).
    if (type === ManifestType.KUBERNETES) {
      waiveEnvironmentImageDefaults(this.deployment, [
        ...workloadImages(props), ...(catalogPlan ? [catalogPlan.fetch.image, catalogPlan.verifyAndImport.image] : []),
      ]);
      waiveTcpProbes(this.deployment, template.spec);
      if (singleWriterClaim && this.replicaCount === 1 && !scaling) waiveSingleWriter(this.deployment, singleWriterClaim.claimName, recreate);
    }
  }

  /**
   * A Service sends traffic only to ready pods: without a readiness probe every new pod gets traffic
   * before it can serve it (an error in production, a warning elsewhere). A Deployment without ports
   * gets no Service and no probes at all (a warning).
   */
  private checkProbes(portCount: number, { readiness, liveness }: PodTemplate, props: DeploymentManifestProps): void {
    // A port or endpoint of the wrong kind (reported) left no probe to derive: not a second finding.
    const standIn = this._findings._hasTypeProblem('ports') || this._findings._hasTypeProblem('healthEndpoints');
    // The check warns about it too (probe-liveness-present); a compose service has no liveness probe.
    const given = (props.healthEndpoints ?? []).map((e) => e.kind);
    const behindService = this.service !== undefined && !standIn;
    if (behindService && !readiness && !liveness) {
      // What deploykit check reports as probe-present-behind-service: an error in every environment.
      this._findings.add('healthEndpoints', given, `a readiness HealthEndpoint (ProbeKind.READINESS) or tcpHealthCheck: true: the pods have no probe at all, so the Service ${this.service!.serviceName} sends traffic to pods that are not serving and a hung one is never taken out`);
      return;
    }
    if (portCount > 0 && !liveness && !standIn && props.type !== ManifestType.DOCKER_COMPOSE) addWarning(this, NO_LIVENESS_WARNING);
    if (behindService && !readiness) {
      const problem = `the Service ${this.service!.serviceName} would send traffic to pods that are not ready`;
      if (this.environment === Environment.PRODUCTION) {
        this._findings.add('healthEndpoints', given, `a readiness HealthEndpoint (ProbeKind.READINESS): ${problem} (a production workload behind a Service needs one)`);
      } else {
        addWarning(this, `healthEndpoints has no readiness endpoint: ${problem}; add a readiness HealthEndpoint (ProbeKind.READINESS)`);
      }
    }
    if (portCount === 0 && !liveness && props.type !== ManifestType.DOCKER_COMPOSE) {
      addWarning(this, 'no container ports and no liveness probe: the Deployment gets no Service, and a hung process is never restarted; '
        + 'for a worker that serves no port, add an exec HealthEndpoint (ProbeKind.LIVENESS with a `command` such as ["/app/worker", "healthcheck"]); '
        + 'for a server, declare the port it serves on (and its health endpoints)');
    }
  }

  /** The fully qualified DNS name of the Service, when there is one. */
  public get dnsName(): string | undefined {
    return this.service?.dnsName;
  }
}
