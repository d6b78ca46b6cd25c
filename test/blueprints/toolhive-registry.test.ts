/**
 * ToolHiveRegistry (seed 004): the application (API, UI, Ingress, configuration, catalog), its
 * least-privilege RBAC, one MCP server instance per transport and monitoring, as examples/toolhive.ts builds it.
 */
import { Chart, Testing } from 'cdk8s';
import { toolHiveProps } from '../../examples/toolhive';
import { Environment, ManifestPolicy, McpTransport, ToolHiveRegistry, ToolHiveRegistryProps } from '../../src';
import { findObject, objectsOfKind, synthError, synthManifests } from '../util/manifests';
import { DEFAULT_CONTAINER_SECURITY_CONTEXT } from '../util/security-context';

function build(overrides: Partial<ToolHiveRegistryProps> = {}, environment = Environment.PRODUCTION) {
  const chart = new Chart(Testing.app(), 'toolhive', { disableResourceNameHashes: true });
  const system = new ToolHiveRegistry(chart, 'toolhive', { ...toolHiveProps(environment), ...overrides });
  return { chart, system };
}

const WORKLOADS = ['toolhive-api', 'toolhive-ui', 'github', 'fetch', 'time'];

describe('ToolHiveRegistry', () => {
  test('every object has a stable name, passes the 1.28 schema (CRDs included) and the restricted profile; a snapshot', () => {
    const objects = synthManifests(build().chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/toolhive',
      'ServiceAccount/toolhive-api', 'Role/toolhive-api-deploy', 'RoleBinding/toolhive-api-deploy',
      'Deployment/github', 'Service/github', 'PodDisruptionBudget/github', 'NetworkPolicy/github',
      'Deployment/fetch', 'Service/fetch', 'PodDisruptionBudget/fetch', 'NetworkPolicy/fetch',
      'Deployment/time', 'Service/time', 'PodDisruptionBudget/time', 'NetworkPolicy/time',
      'ConfigMap/toolhive-api-config', 'ConfigMap/toolhive-catalog',
      'Deployment/toolhive-api', 'Service/toolhive-api', 'PodDisruptionBudget/toolhive-api', 'NetworkPolicy/toolhive-api',
      'Deployment/toolhive-ui', 'Service/toolhive-ui', 'PodDisruptionBudget/toolhive-ui', 'NetworkPolicy/toolhive-ui',
      'Ingress/toolhive',
      'ServiceMonitor/toolhive-api', 'PrometheusRule/toolhive-api',
      'ServiceMonitor/github', 'PrometheusRule/github',
      'ServiceMonitor/fetch', 'PrometheusRule/fetch',
    ]);
    for (const o of objects) if (o.kind !== 'Namespace') expect(o.metadata.namespace).toBe('toolhive');
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
    expect(ManifestPolicy.errors(objects)).toEqual([]);
    expect(objects).toMatchSnapshot();
  });

  test('probes, securityContext, resources and names of every workload', () => {
    const objects = synthManifests(build().chart);
    for (const name of WORKLOADS) {
      const spec = findObject(objects, 'Deployment', name).spec.template.spec;
      expect({ name, pod: spec.securityContext }).toEqual({
        name, pod: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      });
      expect(spec.containers[0].name).toBe(name);
      for (const c of spec.containers) {
        expect({ name: c.name, security: c.securityContext }).toEqual({
          name: c.name,
          security: DEFAULT_CONTAINER_SECURITY_CONTEXT,
        });
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
      }
      // Every pod has probes on the container that serves its port.
      const served = spec.containers.find((c: any) => c.ports);
      expect({ name, liveness: !!served.livenessProbe, readiness: !!served.readinessProbe }).toEqual({ name, liveness: true, readiness: true });
    }
    const api = findObject(objects, 'Deployment', 'toolhive-api').spec.template.spec.containers[0];
    expect([api.startupProbe.httpGet.path, api.readinessProbe.httpGet.path, api.livenessProbe.httpGet.path]).toEqual(['/health/startup', '/health/ready', '/health/live']);
    expect(api.resources).toEqual({ requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '64Mi' }, limits: { 'cpu': '1', 'memory': '512Mi', 'ephemeral-storage': '256Mi' } });
    const fetch = findObject(objects, 'Deployment', 'fetch').spec.template.spec.containers[0];
    expect([fetch.readinessProbe.httpGet.path, fetch.livenessProbe.tcpSocket.port, fetch.startupProbe.tcpSocket.port]).toEqual(['/health', 8080, 8080]);
    const time = findObject(objects, 'Deployment', 'time').spec.template.spec.containers[0];
    expect([time.readinessProbe.tcpSocket, time.livenessProbe.tcpSocket]).toEqual([{ port: 8080 }, { port: 8080 }]);
    expect(findObject(objects, 'Deployment', 'github').spec.template.spec.containers[0].resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' }, limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' },
    });
  });

  test('only the API mounts a token, as the ServiceAccount the deploy Role is bound to', () => {
    const { chart, system } = build();
    const objects = synthManifests(chart);
    for (const name of WORKLOADS) {
      const spec = findObject(objects, 'Deployment', name).spec.template.spec;
      // No pod automounts a token; the API's own container mounts it explicitly (a projected volume).
      const tokenMounts = spec.containers.map((c: any) => (c.volumeMounts ?? []).some((m: any) => m.name === 'kube-api-access'));
      expect({ name, automount: spec.automountServiceAccountToken, account: spec.serviceAccountName, tokenMounts }).toEqual(
        name === 'toolhive-api'
          ? { name, automount: false, account: 'toolhive-api', tokenMounts: [true] }
          : { name, automount: false, account: undefined, tokenMounts: spec.containers.map(() => false) },
      );
    }
    expect(findObject(objects, 'ServiceAccount', 'toolhive-api').automountServiceAccountToken).toBe(false);
    expect(findObject(objects, 'RoleBinding', 'toolhive-api-deploy').subjects).toEqual([{ kind: 'ServiceAccount', name: 'toolhive-api', namespace: 'toolhive' }]);
    expect(findObject(objects, 'Role', 'toolhive-api-deploy').rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
    expect(system.cluster.roles).toHaveLength(1);
  });

  test('one instance per transport: Services and probes for http and sse, the proxy container for stdio', () => {
    const { chart, system } = build();
    const objects = synthManifests(chart);
    expect(system.instances.map((i) => [i.name, i.server.transport, i.url])).toEqual([
      ['github', McpTransport.STDIO, 'http://github.toolhive.svc.cluster.local:8080/mcp'],
      ['fetch', McpTransport.HTTP, 'http://fetch.toolhive.svc.cluster.local:8080/mcp'],
      ['time', McpTransport.SSE, 'http://time.toolhive.svc.cluster.local:8080/sse'],
    ]);
    expect(findObject(objects, 'Deployment', 'github').spec.template.spec.containers.map((c: any) => c.name)).toEqual(['github', 'mcp-proxy']);
    const monitored = system.monitoring.map((m) => m.serviceMonitor?.name);
    for (const name of ['github', 'fetch', 'time']) {
      expect(findObject(objects, 'Service', name).spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
      // The API's pods reach every instance; Prometheus (namespace monitoring) those it scrapes.
      const prometheus = {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      };
      expect(findObject(objects, 'NetworkPolicy', name).spec.ingress).toEqual([{
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'toolhive-api', 'app.kubernetes.io/instance': 'toolhive' } } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      }, ...monitored.includes(name) ? [prometheus] : []]);
    }
    expect(monitored).toEqual(['toolhive-api', 'github', 'fetch']);
    // GitHub's token comes from an existing Secret, into the server container only.
    const [server, proxy] = findObject(objects, 'Deployment', 'github').spec.template.spec.containers;
    expect([server.envFrom, proxy.envFrom]).toEqual([[{ secretRef: { name: 'github-mcp-token' } }], undefined]);
  });

  test('egress: GitHub reaches only its API blocks, fetch the public web, time nothing but DNS', () => {
    const objects = synthManifests(build().chart);
    const egress = (name: string) => findObject(objects, 'NetworkPolicy', name).spec.egress;
    const dns = egress('time')[0];
    expect(dns.to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }]);
    expect(egress('time')).toEqual([dns]);
    expect(egress('github')).toEqual([dns, {
      to: ['192.30.252.0/22', '185.199.108.0/22', '140.82.112.0/20', '143.55.64.0/20'].map((cidr) => ({ ipBlock: { cidr } })),
      ports: [{ port: 443, protocol: 'TCP' }],
    }]);
    expect(egress('fetch')).toEqual([dns, {
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'] } }],
      ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }],
    }]);
    expect(egress('toolhive-ui')).toEqual([dns, { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'toolhive-api', 'app.kubernetes.io/instance': 'toolhive' } } }] }]);
    expect(egress('toolhive-api')).toEqual([{}]);
  });

  test('apiEgressRules restrict the API to DNS, the instances and the given blocks', () => {
    const objects = synthManifests(build({ apiEgressRules: [{ ipBlocks: [{ cidr: '10.0.0.1/32' }], ports: [{ port: 6443 }] }] }).chart);
    expect(findObject(objects, 'NetworkPolicy', 'toolhive-api').spec.egress.slice(1)).toEqual([
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'toolhive' } } }] },
      { to: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: [{ port: 6443, protocol: 'TCP' }] },
    ]);
  });

  test('configuration: the seed\'s cache lifetimes and retention; the catalog lists registries (Secret references) and instances', () => {
    const { chart, system } = build();
    const objects = synthManifests(chart);
    expect(findObject(objects, 'ConfigMap', 'toolhive-api-config').data).toEqual({
      CACHE_REGISTRY_SERVERS_TTL: '300s',
      CACHE_INSTANCE_STATUS_TTL: '30s',
      CACHE_MONITORING_METRICS_TTL: '15s',
      CACHE_DEPLOYMENT_LOGS_TTL: '120s',
      RETENTION_DEPLOYMENT_LOGS: '30d',
      RETENTION_METRICS_DETAILED: '7d',
      RETENTION_METRICS_AGGREGATED: '90d',
      RETENTION_AUDIT_LOGS: '365d',
      RETENTION_CONFIGURATION_HISTORY: 'indefinite',
      MANAGED_NAMESPACES: 'toolhive',
      KUBERNETES_ACCESS_LEVEL: 'deploy',
      CATALOG_DIR: '/etc/toolhive/catalog',
    });
    const catalog = findObject(objects, 'ConfigMap', 'toolhive-catalog').data;
    expect(JSON.parse(catalog['registries.json']).map((r: any) => [r.name, r.auth?.secretName])).toEqual([['toolhive-official', 'toolhive-registry-credentials'], ['community', undefined]]);
    expect(JSON.parse(catalog['instances.json']).map((i: any) => [i.name, i.registry, i.transport, i.replicas])).toEqual([
      ['github', 'toolhive-official', 'stdio', 2], ['fetch', 'community', 'http', 2], ['time', 'toolhive-official', 'sse', 2],
    ]);
    const api = findObject(objects, 'Deployment', 'toolhive-api').spec.template.spec;
    expect(api.containers[0].envFrom).toEqual([{ configMapRef: { name: 'toolhive-api-config' } }]);
    expect(api.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'toolhive-catalog', configMap: { name: 'toolhive-catalog' } },
      { name: 'toolhive-registry-credentials', secret: { secretName: 'toolhive-registry-credentials' } },
      expect.objectContaining({ name: 'kube-api-access' }),
    ]);
    expect(system.apiDnsName).toBe('toolhive-api.toolhive.svc.cluster.local');
    expect(findObject(objects, 'Ingress', 'toolhive').spec.tls).toEqual([{ hosts: ['toolhive.example.com'], secretName: 'toolhive-tls' }]);
    const caching = synthManifests(build({ caching: { instanceStatusSeconds: 10 }, retention: { configurationHistoryDays: 400 } }).chart);
    expect(findObject(caching, 'ConfigMap', 'toolhive-api-config').data).toMatchObject({ CACHE_INSTANCE_STATUS_TTL: '10s', RETENTION_CONFIGURATION_HISTORY: '400d' });
  });

  test('monitoring: the API and every instance that serves metrics, each scraped every 15 s', () => {
    const { chart, system } = build();
    const objects = synthManifests(chart);
    expect(system.monitoring.map((m) => m.scrapeIntervalSeconds)).toEqual([15, 15, 15]);
    expect(objectsOfKind(objects, 'ServiceMonitor').map((m) => [m.metadata.name, m.metadata.labels.release, m.spec.endpoints[0].interval])).toEqual([
      ['toolhive-api', 'kube-prometheus-stack', '15s'], ['github', 'kube-prometheus-stack', '15s'], ['fetch', 'kube-prometheus-stack', '15s'],
    ]);
    const withoutOperator = synthManifests(build({ cluster: { ...toolHiveProps(Environment.PRODUCTION).cluster, capabilities: [] } }).chart);
    expect(withoutOperator.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com'))).toEqual([]);
    expect(findObject(withoutOperator, 'Deployment', 'toolhive-api').spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics',
    });
  });

  test('development: latest application images pulled IfNotPresent', () => {
    const objects = synthManifests(build({}, Environment.DEVELOPMENT).chart);
    const api = findObject(objects, 'Deployment', 'toolhive-api').spec.template.spec.containers[0];
    expect([api.image, api.imagePullPolicy]).toEqual(['registry.example.com/toolhive/api:latest', 'IfNotPresent']);
    expect(findObject(objects, 'Namespace', 'toolhive').metadata.labels.environment).toBe('development');
  });

  test.each([
    ['a server of an unknown registry', (p: ToolHiveRegistryProps) => ({ servers: [{ ...p.servers[1], registry: 'elsewhere' }] }),
      /\[toolhive\/toolhive\] servers\[0\]\.registry: got "elsewhere"; expected the name of one of the registries \(toolhive-official, community\)/],
    ['no registry', () => ({ registries: [], servers: [] }), /registries: got \[\]; expected at least one registry/],
    ['a registry twice', (p: ToolHiveRegistryProps) => ({ registries: [p.registries[0], p.registries[0]] }), /registries: got "toolhive-official"; expected registry names used once/],
    ['two instances of one name', (p: ToolHiveRegistryProps) => ({ servers: [p.servers[1], p.servers[1]] }),
      /\[toolhive\] toolhive\/toolhive\/instance-1: got the Deployment, Service, PodDisruptionBudget and NetworkPolicy "toolhive\/fetch", which toolhive\/toolhive\/instance-0 makes too/],
    ['a stdio server without the proxy image', () => ({ stdioProxyImage: undefined }), /\[toolhive\/toolhive\/instance-0\] proxyImage: got nothing; expected the image of the HTTP proxy/],
    ['a negative cache lifetime', () => ({ caching: { registryServersSeconds: -1 } }), /caching\.registryServersSeconds: got -1; expected a non-negative whole number/],
    ['fractional retention', () => ({ retention: { auditLogDays: 0.5 } }), /retention\.auditLogDays: got 0\.5; expected a non-negative whole number/],
    ['a host-name network permission', (p: ToolHiveRegistryProps) => ({ servers: [{ ...p.servers[1], networkPermissions: [{ host: 'example.com' }] }] }),
      /\[toolhive\/toolhive\/server-0\] networkPermissions\[0\]\.host: got "example\.com"; expected the address blocks "example\.com" resolves to, in cidrs/],
    ['negative replicas', (p: ToolHiveRegistryProps) => ({ servers: [{ ...p.servers[1], replicas: -2 }] }), /\[toolhive\/toolhive\/instance-0\] replicas: got -2; expected a non-negative whole number/],
  ])('refuses %s', (_what, overrides, message) => {
    expect(synthError(build(overrides(toolHiveProps(Environment.PRODUCTION))).chart)).toMatch(message);
  });
});
