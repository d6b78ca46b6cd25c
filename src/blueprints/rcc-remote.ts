import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { waiveCallersScaling } from './policy';
import { CatalogSource } from '../config/catalog-source';
import { AccessMode, PersistentStorage } from '../config/persistent-storage';
import { SampleCatalog } from '../config/sample-catalog';
import { SecretConfiguration, SecretType } from '../config/secret-configuration';
import { Environment } from '../core/environment';
import { Findings } from '../core/findings';
import { integerBetween } from '../core/rules/numbers';
import { byteQuantity, compareQuantities } from '../core/rules/quantity';
import { checkProps } from '../core/validation';
import { addWarning } from '../core/warnings';
import { Namespace } from '../networking/namespace';
import { ServiceType } from '../networking/service-configuration';
import { ContainerImage } from '../pod/container-image';
import { HealthEndpoint, ProbeKind, ProbeScheme } from '../pod/health-endpoint';
import { ResourceLimits } from '../pod/resource-limits';
import { SecurityProfile } from '../pod/security-profile';
import { PolicyCheck } from '../policy/policy-check';
import { CertificateBundle } from '../tls/certificate-bundle';
import { CertificateFiles, CertificateProvider, CertificateStoreOptions, CertificateType } from '../tls/certificate-types';
import { DeploymentManifest } from '../workloads/deployment-manifest';
import { ManifestType, ScalingConfig } from '../workloads/workload-options';

/** The RCC Remote server image. */
export interface RccRemoteImage {
  /**
   * Registry host.
   * @default - Docker Hub
   */
  readonly registry?: string;
  /** Repository, such as "acme/rccremote". */
  readonly repository: string;
  /** Tag: a pinned semantic version such as "18.17.2" ("latest" in development only). */
  readonly tag: string;
}

/** Seed 000 `resource_limits`: the server's CPU and memory, and the holotree volume's size. */
export interface RccRemoteResourceLimits {
  /**
   * CPU of the server container (request and limit), such as "100m", "1" or "2.5".
   * @default - "500m" in development, "1" in staging, "2" in production
   */
  readonly cpu?: string;
  /**
   * Memory of the server container (request and limit), such as "512Mi" or "2Gi".
   * @default - "1Gi" in development, "2Gi" in staging, "4Gi" in production
   */
  readonly memory?: string;
  /**
   * Size of the holotree PersistentVolumeClaim, 10-100 GB as the seed expects ("10Gi" to "100Gi";
   * less is an error, more a warning).
   * @default - "10Gi" in development, "20Gi" in staging, "50Gi" in production
   */
  readonly storage?: string;
}

/** The server's TLS certificate for `serverName` (seed 000 Certificate Bundle). */
export interface RccRemoteTlsOptions {
  /**
   * Where the certificate comes from.
   * @default CertificateType.AUTO_GENERATED_CA (its root CA is published for the RCC clients)
   */
  readonly certType?: CertificateType;
  /**
   * Who makes generated material: this library at synth (kept in the certificate store), or
   * cert-manager in the cluster.
   * @default CertificateProvider.GENERATED_AT_SYNTH
   */
  readonly provider?: CertificateProvider;
  /**
   * Further subject alternative names.
   * @default - serverName and the Service's DNS name only
   */
  readonly extraSanNames?: string[];
  /** PEM certificate (custom only). @default - none */
  readonly serverCert?: string;
  /** PEM private key (custom only). @default - none */
  readonly serverKey?: string;
  /** PEM root CA (custom only). @default - none */
  readonly rootCa?: string;
  /**
   * The certificate store of generated material.
   * @default - ".deploykit/certs", passphrase from DEPLOYKIT_CERT_PASSPHRASE
   */
  readonly store?: CertificateStoreOptions;
}

/** Props of the RccRemote blueprint (seed 000). */
export interface RccRemoteProps {
  /** The DNS name RCC clients use (RCC_REMOTE_ORIGIN); the certificate's subject. */
  readonly serverName: string;
  /**
   * Environment: replicas, scaling and resources default by it.
   * @default Environment.PRODUCTION
   */
  readonly environment?: Environment;
  /**
   * Run `PolicyCheck` (schema, Pod Security Standards restricted, `ManifestPolicy`) on the chart in
   * `app.synth()`: an error fails the synth, a warning is printed.
   * @default true
   */
  readonly policyCheck?: boolean;
  /**
   * Kubernetes, or docker-compose on one host (then `ComposeFile` writes it; one replica).
   * @default ManifestType.KUBERNETES
   */
  readonly type?: ManifestType;
  /**
   * Namespace.
   * @default "rcc-remote"
   */
  readonly namespace?: string;
  /**
   * The server's HTTPS port (container and Service), 1024-65535.
   * @default 4653
   */
  readonly port?: number;
  /**
   * The server image: it serves HTTPS on `port` with the certificate mounted at /etc/tls
   * (TLS_CERT_FILE, TLS_KEY_FILE), answers /health/live, /health/ready and /health/startup there, and
   * has `sh`, coreutils and `rcc` for the catalog import.
   * @default - "rccremote:18.17.2"
   */
  readonly image?: RccRemoteImage;
  /**
   * The TLS certificate.
   * @default - a CA-signed certificate generated at synth
   */
  readonly tls?: RccRemoteTlsOptions;
  /**
   * Catalogs served: imported into the holotree volume before the server starts.
   * @default - none
   */
  readonly catalogs?: SampleCatalog[];
  /**
   * Where the pods fetch the catalogs (required with catalogs on Kubernetes; docker-compose
   * bind-mounts the catalog folder instead, but the objects still name it).
   * @default - none
   */
  readonly catalogSource?: CatalogSource;
  /**
   * Credentials of the registries the pods pull the server and catalog images from: Secrets of
   * SecretType.DOCKER_CONFIG_JSON (delivered as each says: sealed for a repository that holds the
   * manifests).
   * @default - none (public images)
   */
  readonly registryCredentials?: SecretConfiguration[];
  /**
   * ROBOCORP_HOME: where the holotree volume is mounted.
   * @default - the catalogs' robocorpHomePath, else "/opt/robocorp"
   */
  readonly robocorpHomePath?: string;
  /**
   * Replicas without autoscaling (2 or more on Kubernetes outside development; 1 for docker-compose).
   * @default - autoscaling on Kubernetes; 1 for docker-compose
   */
  readonly replicaCount?: number;
  /**
   * Autoscaling on Kubernetes (seed 000 `scaling_config`).
   * @default - 1-2 in development, 2-4 in staging, 2-6 in production, at 70% CPU; none with replicaCount or docker-compose
   */
  readonly scalingConfig?: ScalingConfig;
  /**
   * CPU, memory and holotree storage.
   * @default - by environment, see RccRemoteResourceLimits
   */
  readonly resourceLimits?: RccRemoteResourceLimits;
  /**
   * Storage class of the holotree volume.
   * @default - the cluster's default class
   */
  readonly storageClass?: string;
  /**
   * Access mode of the holotree volume. The server's pods share it, so with more than one replica it
   * needs a ReadWriteMany storage class (NFS, CephFS, EFS...).
   * @default - ReadWriteMany on Kubernetes, ReadWriteOnce for docker-compose
   */
  readonly holotreeAccessMode?: AccessMode;
  /**
   * Service type. For docker-compose a LoadBalancer Service publishes the server's port on the host
   * (RCC clients on other machines reach it); a ClusterIP one only exposes it to the other services.
   * @default - ServiceType.CLUSTER_IP on Kubernetes, ServiceType.LOAD_BALANCER for docker-compose
   */
  readonly serviceType?: ServiceType;
  /**
   * For docker-compose: the command the image has to probe /health/live, such as ["curl", "-fsk"].
   * @default - no compose healthcheck (the file's header says why)
   */
  readonly composeHealthcheckCommand?: string[];
}

const DEFAULTS: Record<Environment, { cpu: string; memory: string; storage: string; scaling: ScalingConfig }> = {
  [Environment.DEVELOPMENT]: { cpu: '500m', memory: '1Gi', storage: '10Gi', scaling: { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 70 } },
  [Environment.STAGING]: { cpu: '1', memory: '2Gi', storage: '20Gi', scaling: { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 70 } },
  [Environment.PRODUCTION]: { cpu: '2', memory: '4Gi', storage: '50Gi', scaling: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 } },
};

const NAME = 'rcc-remote';
const TLS_MOUNT = '/etc/tls';

/**
 * RCC Remote (seed 000): the rccremote server that serves pre-built hololib catalogs to RCC clients
 * over HTTPS, described once for Kubernetes (Deployment `rcc-remote`, Service `rcc-remote`, HPA, PDB,
 * NetworkPolicy, holotree PVC `rcc-remote-holotree`, TLS Secret `rcc-remote-tls`, Namespace) and
 * docker-compose on one host (`type: ManifestType.DOCKER_COMPOSE`, written by `ComposeFile`).
 *
 * The catalogs are imported by init containers that verify each ZIP's size and SHA-256 first; the
 * three health endpoints are probed over HTTPS on the server's port; the pods run with the seed's
 * security profile (uid/gid 1000, read-only root file system, no capabilities, RuntimeDefault seccomp).
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { CatalogSource, CertificateProvider, ContainerImage, Environment, RccRemote, SampleCatalog } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'rcc');
 *
 * // The catalog ZIP is checked at synth: it must exist with this size and SHA-256.
 * const catalog = new SampleCatalog(chart, 'python311', {
 *   catalogName: 'python311', zipFilePath: 'catalogs/python311.zip', pythonVersion: '3.11.5',
 *   condaDependencies: ['python=3.11.5'], robocorpHomePath: '/opt/robocorp',
 *   sizeBytes: 73400320, checksumSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
 * });
 * new RccRemote(chart, 'rcc', {
 *   serverName: 'rcc.example.com',
 *   environment: Environment.PRODUCTION,
 *   tls: { provider: CertificateProvider.CERT_MANAGER },
 *   catalogs: [catalog],
 *   catalogSource: CatalogSource.fromImage(new ContainerImage(chart, 'catalogs', { repository: 'acme/rcc-catalogs', tag: '1.0.0' })),
 * });
 */
export class RccRemote extends Construct {
  /** The namespace name. */
  public readonly namespaceName: string;
  /** The Namespace. */
  public readonly namespace: Namespace;
  /** The server. */
  public readonly server: DeploymentManifest;
  /** The server's certificate. */
  public readonly certificateBundle: CertificateBundle;
  /** The holotree volume. */
  public readonly holotree: PersistentStorage;
  /** The DNS name clients use. */
  public readonly serverName: string;
  /** The HTTPS port. */
  public readonly port: number;
  /** `rcc-remote.<namespace>.svc.cluster.local`. */
  public readonly dnsName: string;

  constructor(scope: Construct, id: string, props: RccRemoteProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'RccRemoteProps', props);
    const environment = props.environment ?? Environment.PRODUCTION;
    const type = props.type ?? ManifestType.KUBERNETES;
    const compose = type === ManifestType.DOCKER_COMPOSE;
    const namespace = this.namespaceName = props.namespace ?? NAME;
    const port = this.port = props.port ?? 4653;
    this.serverName = props.serverName;
    const defaults = DEFAULTS[environment] ?? DEFAULTS[Environment.PRODUCTION];
    const limits = { cpu: props.resourceLimits?.cpu ?? defaults.cpu, memory: props.resourceLimits?.memory ?? defaults.memory };
    const storage = props.resourceLimits?.storage ?? defaults.storage;
    const home = props.robocorpHomePath ?? props.catalogs?.[0]?.robocorpHomePath ?? '/opt/robocorp';
    const common = { namespace, instance: NAME, partOf: NAME };
    const dnsName = `${NAME}.${namespace}.svc.cluster.local`;

    findings.check('port', port, integerBetween(1024, 65535));
    (props.registryCredentials ?? []).forEach((c, i) => {
      if (c?.secretType !== SecretType.DOCKER_CONFIG_JSON) findings.add(`registryCredentials[${i}]`, c, 'a SecretConfiguration of SecretType.DOCKER_CONFIG_JSON');
    });
    if (byteQuantity(storage) === undefined && compareQuantities(storage, '100Gi') > 0) {
      addWarning(this, `resourceLimits.storage ${storage} is above the 10-100 GB the seed expects for a holotree volume`);
    }

    this.namespace = new Namespace(this, 'namespace', { name: namespace, appName: NAME, instance: NAME, environment });
    // Apply order: the catalogs' ConfigMaps of this chart come after the Namespace.
    for (const catalog of props.catalogs ?? []) {
      if (Chart.of(catalog) === Chart.of(this)) catalog.node.addDependency(this.namespace);
    }

    const tls = props.tls ?? {};
    this.certificateBundle = new CertificateBundle(this, 'tls', {
      serverName: props.serverName,
      sanNames: [props.serverName, dnsName, ...(tls.extraSanNames ?? [])],
      certType: tls.certType ?? CertificateType.AUTO_GENERATED_CA,
      provider: tls.provider,
      serverCert: tls.serverCert,
      serverKey: tls.serverKey,
      rootCa: tls.rootCa,
      store: tls.store,
      name: `${NAME}-tls`,
      namespace,
      environment,
      labels: { 'app.kubernetes.io/part-of': NAME },
    });

    this.holotree = new PersistentStorage(this, 'holotree', {
      ...common,
      appName: NAME,
      name: `${NAME}-holotree`,
      accessMode: props.holotreeAccessMode ?? (compose ? AccessMode.READ_WRITE_ONCE : AccessMode.READ_WRITE_MANY),
      size: storage,
      minimumSize: '10Gi',
      storageClass: props.storageClass,
      mountPath: home,
    });

    const image = props.image ?? { repository: 'rccremote', tag: '18.17.2' };
    const endpoint = (kind: ProbeKind, o: { period: number; timeout: number; failures: number }) => new HealthEndpoint(this, kind, {
      kind, scheme: ProbeScheme.HTTPS, portName: 'https', periodSeconds: o.period, timeoutSeconds: o.timeout, failureThreshold: o.failures,
    });
    const scaling = compose || props.replicaCount !== undefined ? props.scalingConfig : props.scalingConfig ?? defaults.scaling;
    this.server = new DeploymentManifest(this, 'server', {
      ...common,
      name: NAME,
      containerName: 'rccremote',
      environment,
      type,
      serverName: props.serverName,
      image: new ContainerImage(this, 'image', { registry: image.registry, repository: image.repository, tag: image.tag }),
      ports: [{ name: 'https', containerPort: port }],
      env: {
        RCCREMOTE_HOSTNAME: '0.0.0.0',
        RCCREMOTE_PORT: String(port),
        ROBOCORP_HOME: home,
        TLS_CERT_FILE: `${TLS_MOUNT}/tls.crt`,
        TLS_KEY_FILE: `${TLS_MOUNT}/tls.key`,
      },
      replicaCount: compose ? props.replicaCount ?? 1 : props.replicaCount,
      scalingConfig: scaling,
      // Ephemeral storage: /tmp and the logs (the holotree is a claim).
      resourceLimits: new ResourceLimits(this, 'resources', { requests: { ...limits, storage: '256Mi' }, limits: { ...limits, storage: '1Gi' } }),
      securityProfile: new SecurityProfile(this, 'security', { writablePaths: ['/tmp'] }),
      healthEndpoints: [
        endpoint(ProbeKind.STARTUP, { period: 10, timeout: 30, failures: 10 }),
        endpoint(ProbeKind.LIVENESS, { period: 30, timeout: 30, failures: 3 }),
        endpoint(ProbeKind.READINESS, { period: 10, timeout: 5, failures: 3 }),
      ],
      secrets: props.registryCredentials,
      certificateBundle: this.certificateBundle,
      certificateMountPath: TLS_MOUNT,
      storage: [this.holotree],
      catalogs: props.catalogs,
      catalogSource: props.catalogSource,
      catalogImporter: props.catalogs && props.catalogs.length > 0 ? {
        // The same resources in every environment, so that one Helm chart serves them all.
        resourceLimits: new ResourceLimits(this, 'import-resources', {
          requests: { cpu: '100m', memory: '256Mi', storage: '64Mi' },
          limits: { cpu: '1', memory: '1Gi', storage: '1Gi' },
        }),
      } : undefined,
      service: { serviceName: NAME, serviceType: props.serviceType ?? (compose ? ServiceType.LOAD_BALANCER : undefined) },
      composeHealthcheckCommand: props.composeHealthcheckCommand,
    });
    this.dnsName = this.server.dnsName ?? dnsName;

    // The policy runs in app.synth() (not for docker-compose, which Kubernetes never sees); what the
    // system does on purpose is waived with its reason.
    if ((props.policyCheck ?? true) && !compose) PolicyCheck.enable(this);
    waiveCallersScaling(this.server.autoscaler);
  }

  /**
   * Lines for a Helm chart's NOTES (`HelmChart` prop `notes`): how RCC clients reach the server and
   * trust its certificate, and, given the files `certificateBundle.writeFiles()` wrote, the command
   * that creates the TLS Secret the chart expects.
   * @param files the written certificate files, when the Secret is made from them
   */
  public helmNotes(files?: CertificateFiles): string[] {
    const ns = this.namespaceName;
    const bundle = this.certificateBundle;
    const lines = [
      'RCC clients reach the server at:',
      `  export RCC_REMOTE_ORIGIN=https://${this.serverName}:${this.port}   # in the cluster: https://${this.dnsName}:${this.port}`,
    ];
    if (bundle.caConfigMapName) {
      lines.push('They trust its certificate through the root CA the chart publishes:',
        `  kubectl --namespace ${ns} get configmap ${bundle.caConfigMapName} -o jsonpath='{.data.ca\\.crt}' > rcc-remote-ca.crt`);
    } else if (bundle.provider === CertificateProvider.CERT_MANAGER) {
      const key = bundle.certType === CertificateType.AUTO_GENERATED_CA ? 'ca\\.crt' : 'tls\\.crt';
      lines.push('They trust its certificate through the CA cert-manager issued:',
        `  kubectl --namespace ${ns} get secret ${bundle.secretName} -o jsonpath='{.data.${key}}' | base64 -d > rcc-remote-ca.crt`);
    }
    if (files) lines.push('Create the TLS Secret from the certificate files before the pods start:', `  ${files.createSecretCommand}`);
    return lines;
  }
}
