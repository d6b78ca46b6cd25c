import { Construct } from 'constructs';
import { ConfigMapConfiguration } from '../config/config-map-configuration';
import { AccessMode, PersistentStorage } from '../config/persistent-storage';
import { SecretConfiguration } from '../config/secret-configuration';
import { Environment } from '../core/environment';
import { Findings } from '../core/findings';
import { integerBetween } from '../core/rules/numbers';
import { azureOpenAiEndpoint } from '../core/rules/urls';
import { checkProps } from '../core/validation';
import { IngressConfiguration } from '../networking/ingress-configuration';
import { Namespace } from '../networking/namespace';
import { ServiceType } from '../networking/service-configuration';
import { ContainerImage } from '../pod/container-image';
import { HealthEndpoint, ProbeKind } from '../pod/health-endpoint';
import { ResourceLimits } from '../pod/resource-limits';
import { SecurityProfile } from '../pod/security-profile';
import { PolicyCheck } from '../policy/policy-check';
import { DeploymentManifest } from '../workloads/deployment-manifest';
import { ScheduledBackup } from '../workloads/scheduled-backup';
import { ManifestType } from '../workloads/workload-options';

/** Azure OpenAI credentials for Rescan. Real values come from the environment, never from code. */
export interface AzureOpenAiSettings {
  /** The API key. */
  readonly apiKey: string;
  /** The endpoint: https with "/openai/" in the path, or https://<resource>.openai.azure.com/. */
  readonly endpoint: string;
  /** The model deployment name, such as "gpt-4o". */
  readonly modelDeployment: string;
}

/** An Ingress in front of Rescan (seed 003's future enhancement). */
export interface RescanIngressOptions {
  /** Host name, such as "rescan.example.com". */
  readonly hostname: string;
  /**
   * Secret holding the TLS certificate (for example a CertificateBundle's `secretName`).
   * @default - no TLS: plain HTTP, which `PolicyCheck` warns about (`ingress-tls`)
   */
  readonly tlsSecretName?: string;
}

/** The image of Rescan's backup job: it must provide `sh`, `date` and `sqlite3`. */
export interface RescanBackupImage {
  /**
   * Registry host.
   * @default - Docker Hub
   */
  readonly registry?: string;
  /** Repository, such as "keinos/sqlite3". */
  readonly repository: string;
  /** Tag: a pinned semantic version such as "3.44.2". */
  readonly tag: string;
}

/** A scheduled backup of Rescan's SQLite database (seed 003's future enhancement "Backup CronJob"). */
export interface RescanBackupOptions {
  /**
   * When the backup runs: a 5-field cron expression or a macro such as "@daily".
   * @default "0 3 * * *" (03:00 every day, in the controller's time zone)
   */
  readonly schedule?: string;
  /**
   * The image that runs the backup. The default is a community image (Alpine with the sqlite3
   * shell, https://github.com/KEINOS/Dockerfile_of_SQLite3), not an official one: choosing,
   * mirroring and pinning the image you trust is up to you.
   * @default - keinos/sqlite3:3.44.2
   */
  readonly image?: RescanBackupImage;
  /**
   * Size of the backup claim `rescan-backup-pvc`. Every run adds one copy of the database, and
   * nothing deletes old copies: size it for the copies you keep, and prune them yourself.
   * @default "1Gi"
   */
  readonly size?: string;
  /**
   * Storage class of the backup claim.
   * @default - the cluster's default class
   */
  readonly storageClass?: string;
}

/** Props of the Rescan blueprint (seed 003). */
export interface RescanProps {
  /**
   * Target environment: image pull policy (IfNotPresent in development, Always in production) and labels.
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
   * Where the app runs: Kubernetes, or docker-compose (then `ComposeFile` writes it as a compose
   * service; seed 000's deployment manifest type).
   * @default ManifestType.KUBERNETES
   */
  readonly type?: ManifestType;
  /**
   * Namespace.
   * @default "rescan"
   */
  readonly namespace?: string;
  /**
   * Image registry; the image is `<registry>/rescan:<tag>`, or `rescan:<tag>` without one.
   * @default - none
   */
  readonly registry?: string;
  /**
   * Image tag; the pod label `version` is `v<tag>`.
   * @default "1.0.0"
   */
  readonly imageTag?: string;
  /**
   * Replicas. SQLite has a single writer, so more than 1 is refused.
   * @default 1
   */
  readonly replicaCount?: number;
  /**
   * Service type: ClusterIP, or LoadBalancer for external access (seed 003; NodePort is refused). For
   * docker-compose a LoadBalancer Service publishes the app's port on the host (the browser reaches
   * it); a ClusterIP one only exposes it to the other services.
   * @default - ServiceType.CLUSTER_IP on Kubernetes, ServiceType.LOAD_BALANCER for docker-compose
   */
  readonly serviceType?: ServiceType;
  /**
   * The app's port (PORT in rescan-config, the container port and the Service port), 1024-65535.
   * @default 3000
   */
  readonly port?: number;
  /**
   * NODE_ENV.
   * @default "production"
   */
  readonly nodeEnv?: string;
  /**
   * EDUCATIONAL_MODE.
   * @default true
   */
  readonly educationalMode?: boolean;
  /**
   * MAX_FILE_SIZE in bytes.
   * @default 5242880
   */
  readonly maxFileSize?: number;
  /**
   * MAX_CONCURRENT_REQUESTS.
   * @default 5
   */
  readonly maxConcurrentRequests?: number;
  /**
   * Azure OpenAI credentials for the `rescan-secrets` Secret.
   * @default - the Secret is managed outside (existingSecret): create it with kubectl before the pods start
   */
  readonly azureOpenAi?: AzureOpenAiSettings;
  /**
   * Size of the SQLite volume, at least 500Mi.
   * @default "1Gi"
   */
  readonly storageSize?: string;
  /**
   * Storage class of the SQLite volume; it must support ReadWriteOnce.
   * @default - the cluster's default class
   */
  readonly storageClass?: string;
  /**
   * An Ingress with optional TLS.
   * @default - none
   */
  readonly ingress?: RescanIngressOptions;
  /**
   * A nightly backup of the SQLite database: the PVC `rescan-backup-pvc` and the CronJob
   * `rescan-backup` (pass `{}` for the defaults).
   * @default - no backup objects
   */
  readonly backup?: RescanBackupOptions;
}

/** The default image of the backup job: small, with sh, date and sqlite3; a user choice, see RescanBackupOptions.image. */
const DEFAULT_BACKUP_IMAGE: RescanBackupImage = { repository: 'keinos/sqlite3', tag: '3.44.2' };

/**
 * The backup script (`sh -c`). SQLite's online backup API (`.backup`) copies a consistent snapshot
 * while the app keeps writing, unlike a file copy; the database is opened read-only, like its mount.
 * The copy is written under a `.partial` name and renamed only after `PRAGMA integrity_check` says
 * "ok", so a failed run exits non-zero (the job retries) and never leaves a file that looks like a backup.
 */
const BACKUP_SCRIPT = [
  'set -eu',
  'f="/backup/rescan-$(date -u +%Y%m%d%H%M%S).db"',
  'sqlite3 -readonly /app/data/rescan.db ".backup \'$f.partial\'"'
    + ' && [ "$(sqlite3 -readonly "$f.partial" \'PRAGMA integrity_check\')" = ok ]'
    + ' || { rm -f "$f.partial"; exit 1; }',
  'mv "$f.partial" "$f"',
].join('; ');

const SECRET_KEYS = ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_MODEL_DEPLOYMENT'];

/**
 * The Rescan application exactly as seed 003 specifies it: namespace `rescan`, Deployment
 * `rescan-app` (one SQLite writer), Service `rescan-service`, ConfigMap `rescan-config`, Secret
 * `rescan-secrets` and PVC `rescan-data-pvc`; with `backup`, also the PVC `rescan-backup-pvc` and the
 * CronJob `rescan-backup`.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { Rescan } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'rescan');
 *
 * // Namespace "rescan", ConfigMap, SQLite claim, Deployment, Service and NetworkPolicy; the Azure
 * // OpenAI credentials stay in the Secret "rescan-secrets", created outside the chart.
 * new Rescan(chart, 'rescan', { imageTag: '1.0.0' });
 * app.synth();
 */
export class Rescan extends Construct {
  /** The namespace name. */
  public readonly namespaceName: string;
  /** The workload. */
  public readonly app: DeploymentManifest;
  /** `rescan-service.<namespace>.svc.cluster.local`. */
  public readonly dnsName: string;
  /** The Namespace. */
  public readonly namespace: Namespace;
  /** The ConfigMap `rescan-config`. */
  public readonly config: ConfigMapConfiguration;
  /** The Secret `rescan-secrets` (created outside the chart unless its values are given). */
  public readonly secrets: SecretConfiguration;
  /** The SQLite volume `rescan-data-pvc`. */
  public readonly data: PersistentStorage;
  /** The Ingress, when `ingress` is set. */
  public readonly ingress?: IngressConfiguration;
  /** The backup CronJob, when `backup` is set. */
  public readonly backup?: ScheduledBackup;

  constructor(scope: Construct, id: string, props: RescanProps = {}) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'RescanProps', props);
    const environment = props.environment ?? Environment.PRODUCTION;
    const namespace = props.namespace ?? 'rescan';
    const port = props.port ?? 3000;
    const tag = props.imageTag ?? '1.0.0';
    const common = { namespace, instance: 'rescan', partOf: 'rescan' };
    this.namespaceName = namespace;

    findings.check('port', port, integerBetween(1024, 65535));
    if (props.serviceType === ServiceType.NODE_PORT) {
      findings.add('serviceType', props.serviceType, 'ClusterIP or LoadBalancer (seed 003: ClusterIP for access inside the cluster, LoadBalancer for external access)');
    }
    if (props.azureOpenAi) findings.check('azureOpenAi.endpoint', props.azureOpenAi.endpoint, azureOpenAiEndpoint);

    this.namespace = new Namespace(this, 'namespace', { name: namespace, appName: 'rescan', instance: 'rescan', environment, labels: { app: 'rescan' } });

    const config = this.config = new ConfigMapConfiguration(this, 'config', {
      ...common,
      name: 'rescan-config',
      appName: 'rescan',
      configData: {
        PORT: String(port),
        NODE_ENV: props.nodeEnv ?? 'production',
        EDUCATIONAL_MODE: String(props.educationalMode ?? true),
        DATABASE_URL: 'sqlite:./data/rescan.db',
        MAX_FILE_SIZE: String(props.maxFileSize ?? 5242880),
        MAX_CONCURRENT_REQUESTS: String(props.maxConcurrentRequests ?? 5),
      },
      requiredKeys: ['PORT', 'NODE_ENV', 'DATABASE_URL'],
    });

    // Incomplete settings (reported by the check layer) make no Secret: it stays managed outside.
    const ai = findings._hasTypeProblem('azureOpenAi') ? undefined : props.azureOpenAi;
    const secrets = this.secrets = new SecretConfiguration(this, 'secrets', {
      ...common,
      name: 'rescan-secrets',
      appName: 'rescan',
      existingSecret: ai === undefined,
      requiredKeys: SECRET_KEYS,
      secretData: ai === undefined ? undefined : {
        AZURE_OPENAI_API_KEY: ai.apiKey,
        AZURE_OPENAI_ENDPOINT: ai.endpoint,
        AZURE_OPENAI_MODEL_DEPLOYMENT: ai.modelDeployment,
      },
    });

    const data = this.data = new PersistentStorage(this, 'data', {
      ...common,
      name: 'rescan-data-pvc',
      appName: 'rescan',
      accessMode: AccessMode.READ_WRITE_ONCE,
      size: props.storageSize ?? '1Gi',
      minimumSize: '500Mi',
      storageClass: props.storageClass,
      mountPath: '/app/data',
    });

    this.app = new DeploymentManifest(this, 'app', {
      ...common,
      name: 'rescan-app',
      containerName: 'rescan',
      environment,
      type: props.type,
      replicaCount: props.replicaCount ?? 1,
      version: `v${tag}`,
      image: new ContainerImage(this, 'image', { registry: props.registry, repository: 'rescan', tag }),
      ports: [{ name: 'http', containerPort: port }],
      selectorLabels: { app: 'rescan' },
      podLabels: { version: `v${tag}` },
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      revisionHistoryLimit: 10,
      resourceLimits: new ResourceLimits(this, 'resources', {
        // Ephemeral storage: the /tmp and uploads emptyDirs and the container's logs.
        requests: { cpu: '100m', memory: '128Mi', storage: '64Mi' },
        limits: { cpu: '200m', memory: '200Mi', storage: '1Gi' },
      }),
      healthEndpoints: [
        new HealthEndpoint(this, 'liveness', { kind: ProbeKind.LIVENESS, endpointPath: '/health', timeoutSeconds: 5, initialDelaySeconds: 10 }),
        new HealthEndpoint(this, 'readiness', { kind: ProbeKind.READINESS, endpointPath: '/ready', timeoutSeconds: 5, initialDelaySeconds: 5 }),
      ],
      securityProfile: new SecurityProfile(this, 'security', { writablePaths: ['/tmp', '/app/backend/public/uploads'] }),
      configMaps: [config],
      secrets: [secrets],
      storage: [data],
      service: {
        serviceName: 'rescan-service',
        serviceType: props.serviceType ?? (props.type === ManifestType.DOCKER_COMPOSE ? ServiceType.LOAD_BALANCER : undefined),
        ports: [{ name: 'http', port, targetPort: port }],
      },
    });
    this.dnsName = this.app.dnsName!;

    if (props.ingress) {
      this.ingress = new IngressConfiguration(this, 'ingress', {
        ...common,
        name: 'rescan-ingress',
        appName: 'rescan',
        hostname: props.ingress.hostname,
        pathPrefixes: [{ pathPrefix: '/', service: this.app.service! }],
        tlsConfiguration: props.ingress.tlsSecretName ? { secretName: props.ingress.tlsSecretName } : undefined,
        plainHttp: !props.ingress.tlsSecretName,
      });
    }

    if (props.backup) {
      const options = props.backup;
      const backupImage = options.image ?? DEFAULT_BACKUP_IMAGE;
      const backupCommon = { ...common, appName: 'rescan-backup' };
      const backupStorage = new PersistentStorage(this, 'backup-storage', {
        ...backupCommon,
        name: 'rescan-backup-pvc',
        accessMode: AccessMode.READ_WRITE_ONCE,
        size: options.size ?? '1Gi',
        storageClass: options.storageClass,
        mountPath: '/backup',
      });
      this.backup = new ScheduledBackup(this, 'backup', {
        ...backupCommon,
        name: 'rescan-backup',
        environment,
        schedule: options.schedule ?? '0 3 * * *',
        image: new ContainerImage(this, 'backup-image', {
          registry: backupImage.registry,
          repository: backupImage.repository,
          tag: backupImage.tag,
        }),
        command: ['sh', '-c', BACKUP_SCRIPT],
        source: data,
        target: backupStorage,
        // rescan-data-pvc is ReadWriteOnce: the backup pod must run on the node of the rescan-app pod.
        affinityToPodLabels: this.app.selectorLabels,
      });
    }

    // The policy runs in app.synth(). What the entities do on purpose they waive themselves: the
    // single replica of the SQLite writer (its claim is ReadWriteOnce), development's image defaults.
    if (props.policyCheck ?? true) PolicyCheck.enable(this);
  }
}
