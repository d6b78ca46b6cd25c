import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { McpServer, McpTransport } from './mcp-server';
import { PIPES_DIR, PROXY_CONTAINER, proxyEnv, stdioCommand } from './private/stdio';
import { SecretConfiguration } from '../config/secret-configuration';
import { Environment } from '../core/environment';
import { Findings, reportFieldsAs } from '../core/findings';
import { dns1035Label, dns1123Label } from '../core/rules/names';
import { nonNegativeInteger, portNumber } from '../core/rules/numbers';
import { checkProps } from '../core/validation';
import { NetworkPeer } from '../networking/network-policy-options';
import { SessionAffinity } from '../networking/service-configuration';
import { ContainerImage } from '../pod/container-image';
import { HealthEndpoint, ProbeKind } from '../pod/health-endpoint';
import { ResourceLimits } from '../pod/resource-limits';
import { SecurityProfile } from '../pod/security-profile';
import { DeploymentManifest } from '../workloads/deployment-manifest';

/** Props of an McpServerInstance (seed 004 Instance). */
export interface McpServerInstanceProps {
  /** The server definition to deploy. */
  readonly server: McpServer;
  /**
   * Name of the Deployment and its Service (a DNS-1035 label: it names a Service).
   * @default - the server's name
   */
  readonly name?: string;
  /**
   * Namespace (DNS-1123 label).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Target environment.
   * @default Environment.PRODUCTION
   */
  readonly environment?: Environment;
  /**
   * Desired replicas, a non-negative whole number: 0 keeps the server deployed but scaled to zero
   * (with the disruption budget and anti-affinity of two replicas, ready to scale up). One replica
   * is for development, as for every DeploymentManifest.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Deployment parameters as environment variables of the server (nothing secret: use `secrets`).
   * @default - none
   */
  readonly configuration?: { [name: string]: string };
  /**
   * Secrets the server reads (for example an API token), as environment variables of the server
   * container only (never the proxy's).
   * @default - none
   */
  readonly secrets?: SecretConfiguration[];
  /**
   * Who may connect to the server (or its proxy): the registry application's pods.
   * @default - the pods of the instance's namespace
   */
  readonly clients?: NetworkPeer[];
  /**
   * The HTTP proxy image a stdio server runs beside (required for stdio; see docs/mcp.md for what it must do).
   * @default - none
   */
  readonly proxyImage?: ContainerImage;
  /**
   * Port the proxy serves MCP on.
   * @default 8080
   */
  readonly proxyPort?: number;
  /**
   * Requests and limits of the proxy container.
   * @default - 50m/64Mi requested, 250m/128Mi limited (64Mi/128Mi ephemeral storage)
   */
  readonly proxyResourceLimits?: ResourceLimits;
  /**
   * Requests and limits of the server container.
   * @default - the server's `resourceLimits` (or `deploymentRequirements`), else ResourceLimits.DEFAULT_*
   */
  readonly resourceLimits?: ResourceLimits;
  /**
   * Value of `app.kubernetes.io/instance`.
   * @default - the name
   */
  readonly instance?: string;
  /**
   * Value of `app.kubernetes.io/part-of`.
   * @default - none
   */
  readonly partOf?: string;
}

/**
 * An MCP server deployed into a namespace (seed 004 Instance): a Deployment with a Service (client-IP
 * session affinity: an MCP session lives in one server process), probes,
 * restricted-profile security, resources and a NetworkPolicy. An http or sse server listens on its
 * port; a stdio server runs with an HTTP proxy container (`mcp-proxy`) in the same pod, wired to its
 * stdin and stdout by named pipes, and the Service points at the proxy. Ingress is admitted only
 * from `clients`; egress is denied but for cluster DNS and exactly the server's network permissions.
 *
 * Rules (each a synth finding): a DNS-1035 name, a DNS-1123 namespace, non-negative whole replicas,
 * a proxy image for stdio (and none otherwise), a proxy port. The seed's `status`, `phase`, current
 * and ready replicas, `deployedAt`, `resourceUsage`, `healthStatus`, `logs` and `events` are runtime
 * state, not synthesized.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { McpRegistry, McpServer, McpServerInstance, McpTransport } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'toolhive', { namespace: 'toolhive' });
 * const registry = new McpRegistry(chart, 'official', { name: 'toolhive-official', url: 'https://registry.example.com/v0/servers' });
 * const fetch = new McpServer(chart, 'fetch', {
 *   registry, name: 'fetch', version: '1.0.0', image: 'ghcr.io/acme/mcp-fetch:1.0.0', transport: McpTransport.HTTP,
 * });
 *
 * // Two pods with a Service, probes and a NetworkPolicy that admits only the registry application.
 * new McpServerInstance(chart, 'fetch-instance', {
 *   server: fetch,
 *   namespace: 'toolhive',
 *   replicas: 2,
 *   clients: [{ podLabels: { 'app.kubernetes.io/name': 'toolhive-api' } }],
 * });
 * app.synth();
 */
export class McpServerInstance extends Construct {
  /** The server deployed. */
  public readonly server: McpServer;
  /** Name of the Deployment and Service. */
  public readonly name: string;
  /** Desired replicas. */
  public readonly replicas: number;
  /** The workload (Deployment, Service, PodDisruptionBudget, NetworkPolicy). */
  public readonly workload: DeploymentManifest;
  /** Port of the Service: the server's (http, sse) or the proxy's (stdio). */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: McpServerInstanceProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'McpServerInstanceProps', props);
    // Without a server (reported by checkProps) the instance is built from stand-ins, so nothing throws.
    const server: McpServer | undefined = props.server;
    this.server = server!;
    this.name = props.name ?? server?.name ?? id;
    this.replicas = props.replicas ?? 2;
    const transport = server?.transport ?? McpTransport.HTTP;
    const stdio = transport === McpTransport.STDIO;
    this.port = stdio ? props.proxyPort ?? 8080 : server?.port ?? 8080;

    findings.check('name', this.name, dns1035Label);
    findings.check('namespace', props.namespace, dns1123Label);
    if (nonNegativeInteger(this.replicas) !== undefined) {
      findings.add('replicas', this.replicas, 'a non-negative whole number (0 keeps the server deployed, scaled to zero)');
    }
    findings.check('proxyPort', props.proxyPort, portNumber);
    if (stdio && !props.proxyImage) {
      findings.add('proxyImage', undefined, 'the image of the HTTP proxy a stdio server runs beside (see docs/mcp.md for what it must do)');
    }
    if (!stdio && (props.proxyImage || props.proxyPort !== undefined || props.proxyResourceLimits)) {
      findings.add('proxyImage', props.proxyImage?.reference ?? props.proxyPort, `no proxy for an ${transport} server: it serves HTTP itself`);
    }

    const environment = props.environment ?? Environment.PRODUCTION;
    const resourceLimits = props.resourceLimits ?? server?.resourceLimits;
    const common = {
      name: this.name,
      namespace: props.namespace,
      environment,
      instance: props.instance,
      partOf: props.partOf,
      version: server?.version,
      image: server?.containerImage as ContainerImage,
      containerName: server?.name,
      resourceLimits,
      securityProfile: new SecurityProfile(this, 'security', { writablePaths: ['/tmp'] }),
      secrets: props.secrets,
      // A DeploymentManifest runs at least one pod (two outside development): a scaled-to-zero
      // instance is built for two and set to 0 below; an invalid count is reported above.
      replicaCount: nonNegativeInteger(this.replicas) === undefined && this.replicas !== 0 ? this.replicas : 2,
      // MCP sessions live in one server process: a client stays with the pod that opened its session.
      service: { sessionAffinity: SessionAffinity.CLIENT_IP },
      networkPolicy: { ingressFrom: props.clients ?? [{ podLabels: {} }], egressRules: server?.egressRules() ?? [] },
    };
    if (stdio) {
      const proxyImage = (props.proxyImage ?? server?.containerImage) as ContainerImage;
      this.workload = new DeploymentManifest(this, 'workload', {
        ...common,
        command: stdioCommand(server?.command ?? []),
        env: { ...props.configuration, MCP_TRANSPORT: 'stdio' },
        volumes: [{ name: 'mcp-pipes', mountPath: PIPES_DIR, emptyDir: true, sizeLimit: '1Mi' }],
        sidecars: [{
          name: PROXY_CONTAINER,
          image: proxyImage,
          env: proxyEnv(this.name, this.port),
          ports: [{ name: 'http', containerPort: this.port }],
          resourceLimits: props.proxyResourceLimits ?? new ResourceLimits(this, 'proxy-resources', {
            requests: { cpu: '50m', memory: '64Mi', storage: '64Mi' },
            limits: { cpu: '250m', memory: '128Mi', storage: '128Mi' },
          }),
        }],
      });
    } else {
      const readiness = server?.healthCheckPath === undefined ? [] : [
        new HealthEndpoint(this, 'readiness', { kind: ProbeKind.READINESS, endpointPath: server.healthCheckPath, timeoutSeconds: 5 }),
      ];
      this.workload = new DeploymentManifest(this, 'workload', {
        ...common,
        command: server?.command,
        env: { ...props.configuration, MCP_TRANSPORT: transport === McpTransport.SSE ? 'sse' : 'streamable-http', MCP_PORT: String(this.port) },
        ports: [{ name: 'http', containerPort: this.port }],
        healthEndpoints: readiness,
        tcpHealthCheck: true,
      });
    }
    // The workload's env and ingress peers are this instance's configuration and clients.
    reportFieldsAs(this.workload, { 'env': 'configuration', 'networkPolicy.ingressFrom': 'clients' });
    if (this.replicas === 0) this.workload.deployment.addJsonPatch(JsonPatch.replace('/spec/replicas', 0));
  }

  /** The namespace the instance lands in. */
  public get namespace(): string | undefined {
    return this.workload.namespace;
  }

  /** `<name>.<namespace>.svc.cluster.local`. */
  public get dnsName(): string {
    return this.workload.dnsName!;
  }

  /** The MCP endpoint in the cluster: `/sse` for sse servers, `/mcp` (streamable HTTP) otherwise. */
  public get url(): string {
    return `http://${this.dnsName}:${this.port}${this.server?.transport === McpTransport.SSE ? '/sse' : '/mcp'}`;
  }
}
