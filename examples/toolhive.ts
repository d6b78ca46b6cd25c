import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ExampleOutput } from './rescan';
import {
  ClusterAccessLevel, Environment, HelmChart, ImagePullPolicy, McpServerTier, McpTransport, Protocol, TargetClusterProps, ToolHiveRegistry,
  ToolHiveRegistryProps,
} from '../src';

/** The cluster both environments deploy to: the Prometheus operator is installed (ServiceMonitors, PrometheusRules). */
export const TOOLHIVE_CLUSTER: TargetClusterProps = {
  name: 'Production (eu-west-1)',
  endpoint: 'https://api.prod.example.com:6443',
  context: 'toolhive-admin@prod',
  version: 'v1.28.3',
  // The chart creates the Namespace (cluster-scoped): an admin context applies it. The application itself gets
  // the deploy access level (`applicationAccessLevel`) in its namespace only.
  accessLevel: ClusterAccessLevel.ADMIN,
  capabilities: ['prometheus-operator'],
};

/** GitHub's API address blocks (https://api.github.com/meta, "api"). */
const GITHUB_API_CIDRS = ['192.30.252.0/22', '185.199.108.0/22', '140.82.112.0/20', '143.55.64.0/20'];
/** Private and link-local ranges a public-web fetcher must not reach (the cluster, the cloud metadata service). */
const NON_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'];

/**
 * ToolHive (seed 004) for one environment: two registries (the official one with a credential in the
 * existing Secret `toolhive-registry-credentials`), and three MCP servers, one per transport: GitHub
 * (stdio, beside the HTTP proxy; its token in the existing Secret `github-mcp-token`; egress to
 * GitHub's API blocks only), fetch (http; egress to the public web on 80 and 443, private ranges
 * excepted) and time (sse; DNS only). No secret value is read from anywhere.
 */
export function toolHiveProps(environment: Environment): ToolHiveRegistryProps {
  const development = environment === Environment.DEVELOPMENT;
  return {
    environment,
    cluster: TOOLHIVE_CLUSTER,
    applicationAccessLevel: ClusterAccessLevel.DEPLOY,
    apiImage: { registry: 'registry.example.com', repository: 'toolhive/api', tag: development ? 'latest' : '1.0.0' },
    uiImage: { registry: 'registry.example.com', repository: 'toolhive/ui', tag: development ? 'latest' : '1.0.0' },
    // Pulled Always in both environments: the chart templates the image and pull policy of each workload's main
    // container only, so a sidecar's must not differ between them.
    stdioProxyImage: { registry: 'registry.example.com', repository: 'toolhive/mcp-stdio-proxy', tag: '1.0.0', imagePullPolicy: ImagePullPolicy.ALWAYS },
    hostname: 'toolhive.example.com',
    monitoringLabels: { release: 'kube-prometheus-stack' },
    registries: [
      {
        name: 'toolhive-official',
        url: 'https://registry.example.com/v0/servers',
        description: 'Curated MCP servers',
        metadata: { maintainer: 'platform-team' },
        authConfig: { secretName: 'toolhive-registry-credentials', secretKey: 'token' },
      },
      { name: 'community', url: 'https://community.example.org/mcp/registry.json', description: 'Community MCP servers' },
    ],
    servers: [
      {
        registry: 'toolhive-official',
        name: 'github',
        description: 'GitHub issues, pull requests and repositories',
        version: '0.5.0',
        image: 'registry.example.com/mcp/github:0.5.0',
        transport: McpTransport.STDIO,
        tier: McpServerTier.OFFICIAL,
        category: ['developer-tools'],
        capabilities: ['create_issue', 'list_pull_requests', 'search_repositories'],
        repositoryUrl: 'https://github.com/github/github-mcp-server',
        command: ['/server/github-mcp-server', 'stdio'],
        networkPermissions: [{ host: 'api.github.com', cidrs: GITHUB_API_CIDRS, ports: [443], protocol: Protocol.TCP }],
        deploymentRequirements: { requests: { cpu: '100m', memory: '128Mi', storage: '64Mi' }, limits: { cpu: '500m', memory: '256Mi', storage: '128Mi' } },
        secretName: 'github-mcp-token',
        secretKeys: ['GITHUB_PERSONAL_ACCESS_TOKEN'],
      },
      {
        registry: 'community',
        name: 'fetch',
        description: 'Fetches web pages as markdown',
        version: '1.2.0',
        image: 'registry.example.com/mcp/fetch:1.2.0',
        transport: McpTransport.HTTP,
        category: ['web'],
        capabilities: ['fetch'],
        healthCheckPath: '/health',
        metricsPath: '/metrics',
        networkPermissions: [{ cidrs: ['0.0.0.0/0'], except: NON_PUBLIC, ports: [80, 443] }],
      },
      {
        registry: 'toolhive-official',
        name: 'time',
        description: 'Time and time zone conversions',
        version: '2.0.1',
        image: 'registry.example.com/mcp/time:2.0.1',
        transport: McpTransport.SSE,
        tier: McpServerTier.OFFICIAL,
        capabilities: ['get_current_time', 'convert_time'],
        configuration: { LOCAL_TIMEZONE: 'Europe/Berlin' },
      },
    ],
  };
}

/** The charts by environment (production first) with their blueprints. */
export function toolHiveSystems(app: App): { chart: Chart; system: ToolHiveRegistry }[] {
  return [Environment.PRODUCTION, Environment.DEVELOPMENT].map((environment) => {
    const suffix = environment === Environment.PRODUCTION ? '' : `-${environment}`;
    const chart = new Chart(app, `toolhive${suffix}`, { disableResourceNameHashes: true });
    return { chart, system: new ToolHiveRegistry(chart, 'toolhive', toolHiveProps(environment)) };
  });
}

/**
 * Synthesizes ToolHive into `<outdir>/toolhive/` (toolhive.k8s.yaml for production,
 * toolhive-development.k8s.yaml) and its Helm chart into `<outdir>/helm/toolhive/`.
 */
export function synthToolHive(outdir: string): ExampleOutput {
  const app = new App({ outdir: path.join(outdir, 'toolhive') });
  const [production, development] = toolHiveSystems(app);
  const helm = new HelmChart(app, 'helm', {
    chartName: 'toolhive',
    chartVersion: '1.0.0',
    appVersion: '1.0.0',
    description: 'ToolHive registry management (seed 004): API, UI, RBAC, MCP server instances and monitoring',
    chart: production.chart,
    defaultEnvironmentName: 'production',
    environments: [{ name: 'development', chart: development.chart }],
    notes: [
      'Needs the Prometheus operator (ServiceMonitor, PrometheusRule) and an ingress controller. Create the Secrets first:',
      '  kubectl --namespace toolhive create secret tls toolhive-tls --cert=tls.crt --key=tls.key',
    ],
  });
  app.synth();
  return {
    plainDir: app.outdir,
    helmDir: helm.writeTo(path.join(outdir, 'helm')),
    charts: [{ name: 'production', chart: production.chart }, { name: 'development', chart: development.chart }],
  };
}
