import { Construct } from 'constructs';
import { waiveCallersScaling } from './policy';
import { TodoChatbotProps } from './todo-chatbot-props';
import { TodoImageOptions } from './todo-image-options';
import { MinikubeCluster } from '../clusters/minikube-cluster';
import { ConfigMapConfiguration } from '../config/config-map-configuration';
import { SecretConfiguration } from '../config/secret-configuration';
import { OUTSIDE_PODS } from '../core/conventions';
import { Environment } from '../core/environment';
import { Findings, Rule } from '../core/findings';
import { checkProps } from '../core/validation';
import { IngressConfiguration } from '../networking/ingress-configuration';
import { Namespace } from '../networking/namespace';
import { ContainerImage } from '../pod/container-image';
import { HealthEndpoint, ProbeKind } from '../pod/health-endpoint';
import { ResourceLimits } from '../pod/resource-limits';
import { SecurityProfile } from '../pod/security-profile';
import { PolicyCheck } from '../policy/policy-check';
import { Waivers } from '../policy/waivers';
import { CertificateBundle } from '../tls/certificate-bundle';
import { CertificateType } from '../tls/certificate-types';
import { DeploymentManifest } from '../workloads/deployment-manifest';
import { StatefulManifest } from '../workloads/stateful-manifest';
import { ScalingConfig } from '../workloads/workload-options';

const INSTANCE = 'todo-chatbot';
const pgIdentifier: Rule<string> = (value) =>
  /^[a-z_][a-z0-9_]{0,62}$/.test(value) ? undefined : 'a lower-case PostgreSQL identifier: a letter or "_", then letters, digits or "_", at most 63';

/**
 * The Todo AI chatbot on Kubernetes (seeds 001 and 002): namespace `todo`; Deployments
 * `todo-frontend` (3000) and `todo-backend` (8000) behind Services `todo-frontend-service` and
 * `todo-backend-service`, with probes, autoscalers and disruption budgets; PostgreSQL `todo-postgres`
 * as a StatefulSet with its headless Service and a volume; ConfigMaps, Secrets, an Ingress
 * (`/` to the frontend, `/api` to the backend) and NetworkPolicies admitting only ingress controller
 * to frontend and backend, frontend to backend and backend to database.
 *
 * The backend gets DATABASE_URL without the password (ConfigMap `todo-backend-config`) and the
 * password as POSTGRES_PASSWORD (Secret `todo-postgres-credentials`, via envFrom).
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { CertificateProvider, TodoChatbot } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'todo');
 *
 * // Frontend, backend and PostgreSQL in the namespace "todo", behind an Ingress whose certificate
 * // cert-manager issues; the database password and JWT secret stay in Secrets created outside the chart.
 * new TodoChatbot(chart, 'todo', {
 *   frontendImage: { repository: 'todo-frontend', tag: '1.0.0' },
 *   backendImage: { repository: 'todo-backend', tag: '1.0.0' },
 *   hostname: 'todo.example.com',
 *   tlsCertificate: CertificateProvider.CERT_MANAGER,
 * });
 * app.synth();
 */
export class TodoChatbot extends Construct {
  /** The namespace name. */
  public readonly namespaceName: string;
  /** The frontend. */
  public readonly frontend: DeploymentManifest;
  /** The backend. */
  public readonly backend: DeploymentManifest;
  /** PostgreSQL. */
  public readonly database: StatefulManifest;
  /** The Ingress. */
  public readonly ingress: IngressConfiguration;
  /** The minikube cluster, when `cluster` is given. */
  public readonly cluster?: MinikubeCluster;
  /** `postgresql://<user>@todo-postgres.<namespace>.svc.cluster.local:5432/<database>` (no password). */
  public readonly databaseUrl: string;
  /** The Namespace. */
  public readonly namespace: Namespace;
  /** The database credentials Secret (created outside the chart unless its values are given). */
  public readonly databaseCredentials: SecretConfiguration;

  constructor(scope: Construct, id: string, props: TodoChatbotProps = {}) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'TodoChatbotProps', props);
    const environment = props.environment ?? Environment.PRODUCTION;
    const namespace = props.namespace ?? 'todo';
    const dbName = props.databaseName ?? 'todo';
    const dbUser = props.databaseUser ?? 'todo';
    const common = { namespace, instance: INSTANCE, partOf: INSTANCE };
    const selector = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': INSTANCE });
    const fromIngressController = { namespaceLabels: { 'kubernetes.io/metadata.name': props.ingressControllerNamespace ?? OUTSIDE_PODS.ingressController.namespace } };
    this.namespaceName = namespace;

    findings.check('databaseName', props.databaseName, pgIdentifier);
    findings.check('databaseUser', props.databaseUser, pgIdentifier);

    this.namespace = new Namespace(this, 'namespace', { name: namespace, appName: INSTANCE, instance: INSTANCE, partOf: INSTANCE, environment });

    const image = (id_: string, given: TodoImageOptions | undefined, repository: string, tag: string) => new ContainerImage(this, id_, {
      registry: given?.registry,
      repository: given?.repository ?? repository,
      tag: given?.tag ?? (given?.digest ? undefined : tag),
      digest: given?.digest,
    });
    const probes = (prefix: string, path: string) => [
      // Startup allows 10 x 10 s; then readiness and liveness take over.
      new HealthEndpoint(this, `${prefix}-startup`, { kind: ProbeKind.STARTUP, endpointPath: path, periodSeconds: 10, failureThreshold: 10, timeoutSeconds: 5 }),
      new HealthEndpoint(this, `${prefix}-readiness`, { kind: ProbeKind.READINESS, endpointPath: path, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 }),
      new HealthEndpoint(this, `${prefix}-liveness`, { kind: ProbeKind.LIVENESS, endpointPath: path, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 }),
    ];
    const scaling = (given?: ScalingConfig): ScalingConfig => given ?? { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 70 };

    // --- PostgreSQL ------------------------------------------------------------------------------
    const dbCredentials = this.databaseCredentials = new SecretConfiguration(this, 'postgres-credentials', {
      ...common,
      name: 'todo-postgres-credentials',
      appName: 'todo-postgres',
      existingSecret: props.databasePassword === undefined,
      requiredKeys: ['POSTGRES_PASSWORD'],
      secretData: props.databasePassword === undefined ? undefined : { POSTGRES_PASSWORD: props.databasePassword },
    });
    const dbConfig = new ConfigMapConfiguration(this, 'postgres-config', {
      ...common,
      name: 'todo-postgres-config',
      appName: 'todo-postgres',
      configData: { POSTGRES_USER: dbUser, POSTGRES_DB: dbName },
      requiredKeys: ['POSTGRES_USER', 'POSTGRES_DB'],
    });
    this.database = new StatefulManifest(this, 'postgres', {
      ...common,
      name: 'todo-postgres',
      environment,
      replicaCount: 1, // one primary: more replicas would be separate databases
      image: image('postgres-image', props.databaseImage, 'bitnamilegacy/postgresql', '16.4.0'),
      ports: [{ name: 'postgresql', containerPort: 5432 }],
      tcpHealthCheck: true,
      resourceLimits: new ResourceLimits(this, 'postgres-resources', {
        requests: { cpu: '250m', memory: '256Mi', storage: '64Mi' },
        limits: { cpu: '1', memory: '1Gi', storage: '512Mi' },
      }),
      securityProfile: new SecurityProfile(this, 'postgres-security', {
        runAsUser: 1001,
        runAsGroup: 1001,
        fsGroup: 1001,
        writablePaths: ['/tmp', '/opt/bitnami/postgresql/conf', '/opt/bitnami/postgresql/tmp', '/opt/bitnami/postgresql/logs'],
      }),
      configMaps: [dbConfig],
      secrets: [dbCredentials],
      volumeClaim: {
        name: 'data',
        mountPath: '/bitnami/postgresql',
        size: props.databaseStorageSize ?? '5Gi',
        minimumSize: '1Gi',
        storageClass: props.databaseStorageClass,
      },
      selectorLabels: selector('todo-postgres'),
      networkPolicy: { ingressFrom: [{ podLabels: selector('todo-backend') }], egressTo: [] },
    });
    this.databaseUrl = `postgresql://${dbUser}@${this.database.dnsName}:5432/${dbName}`;

    // --- backend ---------------------------------------------------------------------------------
    const backendConfig = new ConfigMapConfiguration(this, 'backend-config', {
      ...common,
      name: 'todo-backend-config',
      appName: 'todo-backend',
      configData: { DATABASE_URL: this.databaseUrl, LOG_LEVEL: props.logLevel ?? 'info' },
      requiredKeys: ['DATABASE_URL'],
    });
    const backendSecrets = new SecretConfiguration(this, 'backend-secrets', {
      ...common,
      name: 'todo-backend-secrets',
      appName: 'todo-backend',
      existingSecret: props.jwtSecret === undefined,
      requiredKeys: ['JWT_SECRET'],
      secretData: props.jwtSecret === undefined ? undefined : { JWT_SECRET: props.jwtSecret },
    });
    const aiProvider = new SecretConfiguration(this, 'ai-provider', {
      ...common,
      name: 'todo-ai-provider',
      appName: 'todo-backend',
      existingSecret: true,
      requiredKeys: [props.aiApiKeyName ?? 'OPENAI_API_KEY'],
    });
    this.backend = new DeploymentManifest(this, 'backend', {
      ...common,
      name: 'todo-backend',
      environment,
      image: image('backend-image', props.backendImage, 'todo-backend', '1.0.0'),
      ports: [{ name: 'http', containerPort: 8000 }],
      healthEndpoints: probes('backend', props.backendHealthPath ?? '/health'),
      resourceLimits: new ResourceLimits(this, 'backend-resources', {
        requests: { cpu: '250m', memory: '256Mi', storage: '64Mi' },
        limits: { cpu: '1', memory: '512Mi', storage: '256Mi' },
      }),
      securityProfile: new SecurityProfile(this, 'backend-security', { writablePaths: ['/tmp'] }),
      scalingConfig: scaling(props.backendScaling),
      configMaps: [backendConfig],
      secrets: [dbCredentials, backendSecrets, aiProvider],
      selectorLabels: selector('todo-backend'),
      service: { serviceName: 'todo-backend-service', ports: [{ name: 'http', port: 8000, targetPort: 8000 }] },
      // The Ingress routes /api straight here; egress stays open for the AI provider's API.
      networkPolicy: { ingressFrom: [fromIngressController, { podLabels: selector('todo-frontend') }] },
    });

    // --- frontend --------------------------------------------------------------------------------
    const frontendConfig = new ConfigMapConfiguration(this, 'frontend-config', {
      ...common,
      name: 'todo-frontend-config',
      appName: 'todo-frontend',
      configData: { API_BASE_URL: '/api', BACKEND_INTERNAL_URL: `http://${this.backend.dnsName}:8000` },
      requiredKeys: ['API_BASE_URL'],
    });
    this.frontend = new DeploymentManifest(this, 'frontend', {
      ...common,
      name: 'todo-frontend',
      environment,
      image: image('frontend-image', props.frontendImage, 'todo-frontend', '1.0.0'),
      ports: [{ name: 'http', containerPort: 3000 }],
      healthEndpoints: probes('frontend', props.frontendHealthPath ?? '/'),
      resourceLimits: new ResourceLimits(this, 'frontend-resources', {
        requests: { cpu: '100m', memory: '128Mi', storage: '64Mi' },
        limits: { cpu: '500m', memory: '512Mi', storage: '256Mi' },
      }),
      // Next.js writes its image cache below .next/cache.
      securityProfile: new SecurityProfile(this, 'frontend-security', { writablePaths: ['/tmp', '/app/.next/cache'] }),
      scalingConfig: scaling(props.frontendScaling),
      configMaps: [frontendConfig],
      selectorLabels: selector('todo-frontend'),
      service: { serviceName: 'todo-frontend-service', ports: [{ name: 'http', port: 3000, targetPort: 3000 }] },
      networkPolicy: { ingressFrom: [fromIngressController], egressTo: [{ podLabels: selector('todo-backend') }] },
    });

    // --- Ingress and cluster ---------------------------------------------------------------------
    const hostname = props.hostname ?? 'todo.local';
    // TLS from the Secret todo-tls (made here with tlsCertificate, else outside) unless plain HTTP is asked for.
    const tlsSecretName = props.tlsSecretName ?? (props.tlsCertificate === undefined ? (props.plainHttp ? undefined : 'todo-tls') : new CertificateBundle(this, 'tls', {
      name: 'todo-tls',
      namespace,
      environment,
      serverName: hostname,
      certType: CertificateType.AUTO_GENERATED_CA,
      provider: props.tlsCertificate,
    }).secretName);
    this.ingress = new IngressConfiguration(this, 'ingress', {
      ...common,
      name: 'todo-ingress',
      appName: INSTANCE,
      hostname,
      pathPrefixes: [
        { pathPrefix: '/', service: this.frontend.service! },
        { pathPrefix: '/api', service: this.backend.service! },
      ],
      tlsConfiguration: tlsSecretName ? { secretName: tlsSecretName } : undefined,
      plainHttp: props.plainHttp,
      rateLimiting: props.rateLimiting ?? { requestsPerSecond: 10, burstMultiplier: 5, connections: 20 },
    });

    if (props.cluster) this.cluster = new MinikubeCluster(this, 'cluster', props.cluster);

    // The policy runs in app.synth(); what the system does on purpose is waived with its reason.
    if (props.policyCheck ?? true) PolicyCheck.enable(this);
    // (The database's identical TCP probes are waived by its StatefulManifest.)
    for (const workload of [this.backend.deployment, this.frontend.deployment]) {
      Waivers.add(workload, 'probe-not-identical', 'each app serves one health endpoint (seed 002 health_check_endpoint), so liveness repeats readiness');
    }
    waiveCallersScaling(this.backend.autoscaler);
    waiveCallersScaling(this.frontend.autoscaler);
  }

  /** `todo-frontend-service.<namespace>.svc.cluster.local`. */
  public get frontendDnsName(): string {
    return this.frontend.dnsName!;
  }

  /** `todo-backend-service.<namespace>.svc.cluster.local`. */
  public get backendDnsName(): string {
    return this.backend.dnsName!;
  }

  /** `todo-postgres.<namespace>.svc.cluster.local` (the headless Service). */
  public get databaseDnsName(): string {
    return this.database.dnsName;
  }
}
