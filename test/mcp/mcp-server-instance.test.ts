/**
 * McpServerInstance (seed 004 Instance): http and sse servers get a Service, probes and a
 * NetworkPolicy admitting only the clients; a stdio server runs beside its HTTP proxy container;
 * egress is DNS plus exactly the server's network permissions.
 */
import { Chart } from 'cdk8s';
import { mcpChart, serverIn } from './fixtures';
import { ContainerImage, Environment, McpServerInstance, McpServerInstanceProps, McpServerProps, McpTransport, SecretConfiguration } from '../../src';
import { findObject, objectsOfKind, synthError, synthManifests } from '../util/manifests';

const API_PODS = { 'app.kubernetes.io/name': 'toolhive-api', 'app.kubernetes.io/instance': 'toolhive' };
const KUBE_DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};
const RESTRICTED_CONTAINER = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function deploy(server: Partial<McpServerProps> = {}, instance: Partial<McpServerInstanceProps> = {}): { chart: Chart; instance: McpServerInstance } {
  const chart = mcpChart();
  const s = serverIn(chart, server);
  return { chart, instance: new McpServerInstance(chart, 'instance', { server: s, clients: [{ podLabels: API_PODS }], ...instance }) };
}

function stdio(instance: Partial<McpServerInstanceProps> = {}, server: Partial<McpServerProps> = {}) {
  const chart = mcpChart();
  const s = serverIn(chart, { name: 'github', transport: McpTransport.STDIO, image: 'registry.example.com/mcp/github:0.5.0', command: ['/server/github-mcp-server', 'stdio'], ...server });
  const proxyImage = new ContainerImage(chart, 'proxy-image', { registry: 'registry.example.com', repository: 'toolhive/mcp-stdio-proxy', tag: '1.0.0' });
  return { chart, instance: new McpServerInstance(chart, 'instance', { server: s, proxyImage, clients: [{ podLabels: API_PODS }], ...instance }) };
}

const podSpec = (objects: any[], name: string) => findObject(objects, 'Deployment', name).spec.template.spec;

describe('McpServerInstance', () => {
  test('http: Deployment, Service, NetworkPolicy with stable names; a snapshot', () => {
    const { chart, instance } = deploy();
    const objects = synthManifests(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/fetch', 'Service/fetch', 'PodDisruptionBudget/fetch', 'NetworkPolicy/fetch']);
    expect(findObject(objects, 'Deployment', 'fetch').spec.replicas).toBe(2);
    // An MCP session lives in one server process: a client stays with one pod.
    expect(findObject(objects, 'Service', 'fetch').spec.sessionAffinity).toBe('ClientIP');
    expect(instance.dnsName).toBe('fetch.toolhive.svc.cluster.local');
    expect(instance.url).toBe('http://fetch.toolhive.svc.cluster.local:8080/mcp');
    expect(objects).toMatchSnapshot();
  });

  test.each([
    [McpTransport.HTTP, 'streamable-http', '/mcp'],
    [McpTransport.SSE, 'sse', '/sse'],
  ])('%s: a Service on the server port, TCP probes (readiness on healthCheckPath), restricted security and resources', (transport, envTransport, path) => {
    const { chart, instance } = deploy({ transport, port: 9000, deploymentRequirements: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } });
    const objects = synthManifests(chart);
    expect(findObject(objects, 'Service', 'fetch').spec.ports).toEqual([{ name: 'http', port: 9000, targetPort: 9000, protocol: 'TCP' }]);
    const spec = podSpec(objects, 'fetch');
    expect(spec.containers).toHaveLength(1);
    const [c] = spec.containers;
    expect(c.name).toBe('fetch');
    expect(c.image).toBe('registry.example.com/mcp/fetch:1.2.0');
    expect(c.ports).toEqual([{ name: 'http', containerPort: 9000, protocol: 'TCP' }]);
    expect(c.env).toEqual([{ name: 'MCP_TRANSPORT', value: envTransport }, { name: 'MCP_PORT', value: '9000' }]);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(c[probe].tcpSocket).toEqual({ port: 9000 });
    expect(c.securityContext).toMatchObject(RESTRICTED_CONTAINER);
    expect(c.resources).toEqual({
      requests: { 'cpu': '50m', 'memory': '64Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '200m', 'memory': '128Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(instance.url).toBe(`http://fetch.toolhive.svc.cluster.local:9000${path}`);

    const withHealth = deploy({ transport, healthCheckPath: '/health' });
    const probed = podSpec(synthManifests(withHealth.chart), 'fetch').containers[0];
    expect(probed.readinessProbe.httpGet).toEqual({ path: '/health', port: 8080, scheme: 'HTTP' });
    expect(probed.livenessProbe.tcpSocket).toEqual({ port: 8080 });
  });

  test('stdio: the server beside its HTTP proxy container, wired by named pipes; the Service points at the proxy', () => {
    const { chart, instance } = stdio({ configuration: { GITHUB_TOOLSETS: 'issues' } });
    const objects = synthManifests(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/github', 'Service/github', 'PodDisruptionBudget/github', 'NetworkPolicy/github']);
    const spec = podSpec(objects, 'github');
    expect(spec.containers.map((c: any) => c.name)).toEqual(['github', 'mcp-proxy']);
    const [server, proxy] = spec.containers;
    expect(server.command).toEqual([
      '/bin/sh', '-c',
      'for p in /run/mcp/stdin /run/mcp/stdout; do [ -p "$p" ] || mkfifo -m 600 "$p"; done; exec "$0" "$@" 0<>/run/mcp/stdin 1<>/run/mcp/stdout',
      '/server/github-mcp-server', 'stdio',
    ]);
    expect(server.ports).toBeUndefined();
    expect(server.env).toEqual([{ name: 'GITHUB_TOOLSETS', value: 'issues' }, { name: 'MCP_TRANSPORT', value: 'stdio' }]);
    expect(proxy.image).toBe('registry.example.com/toolhive/mcp-stdio-proxy:1.0.0');
    expect(proxy.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(proxy.env).toEqual([
      { name: 'MCP_SERVER_NAME', value: 'github' }, { name: 'MCP_TRANSPORT', value: 'stdio' },
      { name: 'MCP_STDIN', value: '/run/mcp/stdin' }, { name: 'MCP_STDOUT', value: '/run/mcp/stdout' }, { name: 'PORT', value: '8080' },
    ]);
    expect(proxy.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 8080, scheme: 'HTTP' });
    expect(proxy.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 8080, scheme: 'HTTP' });
    expect(proxy.resources).toEqual({ requests: { 'cpu': '50m', 'memory': '64Mi', 'ephemeral-storage': '64Mi' }, limits: { 'cpu': '250m', 'memory': '128Mi', 'ephemeral-storage': '128Mi' } });
    for (const c of [server, proxy]) {
      expect(c.securityContext).toMatchObject(RESTRICTED_CONTAINER);
      expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'mcp-pipes', mountPath: '/run/mcp' }]);
    }
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }, { name: 'mcp-pipes', emptyDir: { sizeLimit: '1Mi' } }]);
    expect(findObject(objects, 'Service', 'github').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    expect(instance.url).toBe('http://github.toolhive.svc.cluster.local:8080/mcp');
    expect(objects).toMatchSnapshot();
  });

  test('the server\'s secrets go to the server container only, never to the proxy', () => {
    const chart = mcpChart();
    const s = serverIn(chart, { name: 'github', transport: McpTransport.STDIO, command: ['server'] });
    new McpServerInstance(chart, 'instance', {
      server: s,
      proxyImage: new ContainerImage(chart, 'proxy', { repository: 'proxy', tag: '1.0.0' }),
      secrets: [new SecretConfiguration(chart, 'token', { name: 'github-mcp-token', existingSecret: true, requiredKeys: ['GITHUB_PERSONAL_ACCESS_TOKEN'] })],
    });
    const [server, proxy] = podSpec(synthManifests(chart), 'github').containers;
    expect(server.envFrom).toEqual([{ secretRef: { name: 'github-mcp-token' } }]);
    expect(proxy.envFrom).toBeUndefined();
  });

  test('NetworkPolicy: ingress only from the clients on the MCP port; egress DNS plus exactly the network permissions', () => {
    const { chart } = deploy({
      networkPermissions: [
        { host: 'api.github.com', cidrs: ['140.82.112.0/20'], ports: [443] },
        { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8', '169.254.0.0/16'], ports: [80, 443] },
      ],
    });
    const spec = findObject(synthManifests(chart), 'NetworkPolicy', 'fetch').spec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'fetch', 'app.kubernetes.io/instance': 'fetch' } });
    expect(spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: API_PODS } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(spec.egress).toEqual([
      KUBE_DNS,
      { to: [{ ipBlock: { cidr: '140.82.112.0/20' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.0.0/16'] } }], ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] },
    ]);
  });

  test('no network permissions: DNS only; no clients given: the pods of the namespace', () => {
    const chart = mcpChart();
    new McpServerInstance(chart, 'instance', { server: serverIn(chart) });
    const spec = findObject(synthManifests(chart), 'NetworkPolicy', 'fetch').spec;
    expect(spec.egress).toEqual([KUBE_DNS]);
    expect(spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: {} } }]);
  });

  test('replicas: 0 keeps the server deployed, scaled to zero, shaped for two; 1 is for development; 3 as given', () => {
    const zero = synthManifests(deploy({}, { replicas: 0 }).chart);
    expect(findObject(zero, 'Deployment', 'fetch').spec.replicas).toBe(0);
    expect(findObject(zero, 'PodDisruptionBudget', 'fetch').spec.maxUnavailable).toBe(1);
    const three = synthManifests(deploy({}, { replicas: 3, name: 'fetch-ha', namespace: 'mcp' }).chart);
    expect(findObject(three, 'Deployment', 'fetch-ha').spec.replicas).toBe(3);
    expect(findObject(three, 'Deployment', 'fetch-ha').metadata.namespace).toBe('mcp');
    const one = synthManifests(deploy({}, { replicas: 1, environment: Environment.DEVELOPMENT }).chart);
    expect(findObject(one, 'Deployment', 'fetch').spec.replicas).toBe(1);
    expect(objectsOfKind(one, 'PodDisruptionBudget')).toEqual([]);
    expect(synthError(deploy({}, { replicas: 1 }).chart)).toMatch(/\[mcp\/instance\/workload\] replicaCount: got 1; expected 2 or more for a kubernetes manifest in production/);
  });

  test.each([
    ['negative replicas', {}, { replicas: -1 }, /\[mcp\/instance\] replicas: got -1; expected a non-negative whole number \(0 keeps the server deployed, scaled to zero\)/],
    ['fractional replicas', {}, { replicas: 1.5 }, /replicas: got 1\.5; expected a non-negative whole number/],
    ['a name that is no Service name', {}, { name: '1fetch' }, /\[mcp\/instance\] name: got "1fetch"; expected a DNS-1035 label/],
    ['a name with upper case', {}, { name: 'Fetch' }, /\[mcp\/instance\] name: got "Fetch"; expected a DNS-1035 label/],
    ['a bad namespace', {}, { namespace: 'Tool_Hive' }, /\[mcp\/instance\] namespace: got "Tool_Hive"; expected a DNS-1123 label/],
    ['a proxy for an http server', {}, { proxyPort: 9000 }, /proxyImage: got 9000; expected no proxy for an http server: it serves HTTP itself/],
    ['a literal credential in the configuration', {}, { configuration: { API_KEY: 'sk-abc' } }, /\[mcp\/instance\/workload\] configuration\.API_KEY: got <redacted>; expected no credential as a literal environment variable/],
  ])('refuses %s', (_what, server, instance, message) => {
    expect(synthError(deploy(server, instance as any).chart)).toMatch(message);
  });

  test('refuses a stdio server without a proxy image, and a bad proxy port', () => {
    const chart = mcpChart();
    const s = serverIn(chart, { transport: McpTransport.STDIO, command: ['server'] });
    new McpServerInstance(chart, 'instance', { server: s, proxyPort: 0 });
    const message = synthError(chart);
    expect(message).toMatch(/\[mcp\/instance\] proxyImage: got nothing; expected the image of the HTTP proxy a stdio server runs beside \(see docs\/mcp\.md/);
    expect(message).toMatch(/\[mcp\/instance\] proxyPort: got 0; expected an integer from 1 to 65535/);
  });
});
