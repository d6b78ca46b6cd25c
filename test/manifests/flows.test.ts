/**
 * The flows the objects declare (ingress controller, Prometheus, cluster DNS, Services named in
 * env/args/ConfigMaps, given address blocks) and which of them the NetworkPolicies block.
 */
import { blockedFlows, declaredFlows, describeBlockedFlow, DEFAULT_FLOW_WORLD, ManifestSet } from '../../src/manifests';

const NS = 'shop';
const labels = (app: string) => ({ 'app.kubernetes.io/name': app });
const deployment = (app: string, container: any = {}, podExtra: any = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: app, namespace: NS },
  spec: {
    selector: { matchLabels: labels(app) },
    template: {
      metadata: { labels: labels(app), ...podExtra.metadata },
      spec: { containers: [{ name: app, image: 'acme/app:1.0.0', ports: [{ name: 'http', containerPort: 8080 }], ...container }], ...podExtra.spec },
    },
  },
});
const service = (app: string, port = 80, targetPort: number | string = 'http', name = app) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NS, labels: labels(app) },
  spec: { selector: labels(app), ports: [{ name: 'http', port, targetPort }] },
});
const policy = (name: string, app: string, spec: any) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: NS }, spec: { podSelector: { matchLabels: labels(app) }, ...spec },
});
const admitOnly = (app: string, from: any[]) => policy(app, app, { policyTypes: ['Ingress'], ingress: [{ from, ports: [{ port: 8080 }] }] });
const ingress = (backend: string, port: any) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: NS },
  spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: backend, port } } }] } }] },
});
const serviceMonitor = (app: string, endpoint: any, namespaceSelector?: any) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: app, namespace: NS },
  spec: { selector: { matchLabels: labels(app) }, endpoints: [endpoint], ...(namespaceSelector ? { namespaceSelector } : {}) },
});

const flows = (objects: any[]) => declaredFlows(new ManifestSet(objects)).map((f) => `${f.kind}: ${f.from.text} -> ${f.to.text} :${f.port}/${f.protocol}`);
const blocked = (objects: any[]) => blockedFlows(new ManifestSet(objects)).map(describeBlockedFlow);

describe('declared flows', () => {
  test('the ingress controller to each Ingress backend\'s pods, on the Service\'s named targetPort', () => {
    const objects = [deployment('web'), service('web', 80, 'http'), ingress('web', { number: 80 })];
    expect(flows(objects)).toEqual(['ingress: Ingress shop/web -> Deployment shop/web :8080/TCP']);
    // A backend port by name, and a Service without pods or a missing Service: no flow.
    expect(flows([deployment('web'), service('web', 80, 'http'), ingress('web', { name: 'http' })])).toHaveLength(1);
    expect(flows([service('web'), ingress('web', { number: 80 })])).toEqual([]);
    expect(flows([deployment('web'), ingress('web', { number: 80 })])).toEqual([]);
  });

  test('Prometheus to each ServiceMonitor endpoint (port name or targetPort), PodMonitor endpoint and scrape annotation', () => {
    const api = deployment('api');
    expect(flows([api, service('api', 80, 8080), serviceMonitor('api', { port: 'http' })])).toEqual(['metrics: ServiceMonitor shop/api -> Deployment shop/api :8080/TCP']);
    expect(flows([api, service('api', 80, 8080), serviceMonitor('api', { targetPort: 'http' })])).toEqual(['metrics: ServiceMonitor shop/api -> Deployment shop/api :8080/TCP']);
    // The monitor looks in the namespaces it names: none of them holds the Service.
    expect(flows([api, service('api'), serviceMonitor('api', { port: 'http' }, { matchNames: ['other'] })])).toEqual([]);
    expect(flows([api, service('api'), serviceMonitor('api', { port: 'http' }, { any: true })])).toHaveLength(1);
    const podMonitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'api', namespace: NS },
      spec: { selector: { matchLabels: labels('api') }, podMetricsEndpoints: [{ port: 'http' }, { portNumber: 9090 }] },
    };
    expect(flows([api, podMonitor])).toEqual([
      'metrics: PodMonitor shop/api -> Deployment shop/api :8080/TCP',
      'metrics: PodMonitor shop/api -> Deployment shop/api :9090/TCP',
    ]);
    const annotated = deployment('api', {}, { metadata: { annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9102' } } });
    expect(flows([annotated])).toEqual(['metrics: Prometheus (prometheus.io/scrape of Deployment shop/api) -> Deployment shop/api :9102/TCP']);
  });

  test('a pod to each Service its env, args or ConfigMap entries name by URL, host:port or svc DNS name', () => {
    const backend = [deployment('backend'), service('backend', 8000, 'http', 'backend-svc')];
    const db = [deployment('db', { ports: [{ name: 'pg', containerPort: 5432 }] }), { ...service('db', 5432, 'pg'), metadata: { name: 'postgres', namespace: NS, labels: labels('db') } }];
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: NS }, data: { DATABASE_URL: 'postgresql://app@postgres.shop.svc.cluster.local:5432/app', NOTE: 'postgres' } };
    const front = deployment('front', {
      env: [{ name: 'API', value: 'http://backend-svc:8000/api' }, { name: 'WORD', value: 'backend-svc' }, { name: 'DB', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'DATABASE_URL' } } }],
      args: ['--cache=backend-svc:8000'],
    });
    expect(flows([front, config, ...backend, ...db])).toEqual([
      'service: Deployment shop/front -> Deployment shop/backend :8080/TCP',
      'service: Deployment shop/front -> Deployment shop/db :5432/TCP',
    ]);
    // A DNS name with the svc label needs no port when the Service has one; a bare word is no reference.
    const bare = deployment('front', { env: [{ name: 'DB_HOST', value: 'postgres.shop.svc' }, { name: 'X', value: 'postgres' }] });
    expect(flows([bare, ...db])).toEqual(['service: Deployment shop/front -> Deployment shop/db :5432/TCP']);
    // A scheme without a known port (one named like an Object member too) gives none: the svc name's rule then.
    for (const scheme of ['jdbc', 'constructor']) {
      const url = deployment('front', { env: [{ name: 'DB_URL', value: `${scheme}://postgres.shop.svc/app` }] });
      expect(flows([url, ...db])).toEqual(['service: Deployment shop/front -> Deployment shop/db :5432/TCP']);
    }
    // A port the Service does not have, and a pod naming its own Service: no flow.
    expect(flows([deployment('front', { env: [{ name: 'A', value: 'backend-svc:9999' }] }), ...backend])).toEqual([]);
    expect(flows([deployment('backend', { env: [{ name: 'SELF', value: 'http://backend-svc:8000' }] }), service('backend', 8000, 'http', 'backend-svc')])).toEqual([]);
  });

  test('cluster DNS from every pod whose egress is restricted and that may connect; a pod denied all egress opens no connection', () => {
    const restricted = policy('api', 'api', { policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] });
    expect(flows([deployment('api'), restricted])).toEqual(['dns: Deployment shop/api -> cluster DNS (namespace kube-system, k8s-app=kube-dns) :53/UDP']);
    expect(flows([deployment('api')])).toEqual([]);
    expect(flows([deployment('api'), policy('api', 'api', { policyTypes: ['Egress'] })])).toEqual([]);
    expect(flows([deployment('api', {}, { spec: { dnsPolicy: 'Default' } }), restricted])).toEqual([]);
  });

  test('the address blocks an egress rule gives, on its ports', () => {
    const given = policy('api', 'api', { policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '140.82.112.0/20', except: ['140.82.112.0/24'] } }], ports: [{ port: 443 }] }] });
    expect(flows([deployment('api'), given])).toEqual([
      'external: Deployment shop/api -> 140.82.112.0/20 except 140.82.112.0/24 :443/TCP',
      'dns: Deployment shop/api -> cluster DNS (namespace kube-system, k8s-app=kube-dns) :53/UDP',
    ]);
  });

  test('host-network pods are no end of a flow', () => {
    expect(flows([deployment('web', {}, { spec: { hostNetwork: true } }), service('web'), ingress('web', { number: 80 })])).toEqual([]);
  });
});

describe('blocked flows', () => {
  test('a ServiceMonitor whose pods admit only the ingress controller', () => {
    const objects = [deployment('api'), service('api', 8080, 'http'), serviceMonitor('api', { port: 'http' }),
      admitOnly('api', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }])];
    expect(blocked(objects)).toEqual(['ServiceMonitor shop/api -> Deployment shop/api :8080 blocked by NetworkPolicy shop/api (ingress)']);
    // Admitting the Prometheus pods (namespace monitoring, app.kubernetes.io/name=prometheus) fixes it.
    objects[3].spec.ingress[0].from.push({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: labels('prometheus') } });
    expect(blocked(objects)).toEqual([]);
  });

  test('where Prometheus and the ingress controller run is an option', () => {
    const objects = [deployment('api'), service('api', 8080, 'http'), serviceMonitor('api', { port: 'http' }), ingress('api', { number: 8080 }),
      admitOnly('api', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }])];
    const world = { ...DEFAULT_FLOW_WORLD, prometheus: { namespace: 'observability', labels: { app: 'prometheus' } } };
    expect(blockedFlows(new ManifestSet(objects), world).map(describeBlockedFlow)).toEqual([
      'Ingress shop/web -> Deployment shop/api :8080 blocked by NetworkPolicy shop/api (ingress)',
    ]);
  });

  test('an Ingress of another class is served by another controller, whose place is unknown: no flow from ingress-nginx', () => {
    const admitTraefik = admitOnly('web', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: labels('traefik') } }]);
    const ofClass = (spec: any, annotations?: any) => {
      const web = ingress('web', { number: 80 });
      return { ...web, metadata: { ...web.metadata, ...(annotations ? { annotations } : {}) }, spec: { ...web.spec, ...spec } };
    };
    const objects = (web: any) => [deployment('web'), service('web', 80, 'http'), admitTraefik, web];
    const FLOW = 'Ingress shop/web -> Deployment shop/web :8080 blocked by NetworkPolicy shop/web (ingress)';
    // No class (the cluster's default) and class nginx: the default controller, ingress-nginx, which the policy does not admit.
    expect(blocked(objects(ofClass({})))).toEqual([FLOW]);
    expect(blocked(objects(ofClass({ ingressClassName: 'nginx' })))).toEqual([FLOW]);
    expect(blocked(objects(ofClass({}, { 'kubernetes.io/ingress.class': 'nginx' })))).toEqual([FLOW]);
    // Class traefik, by field or by the legacy annotation: not ingress-nginx's traffic.
    expect(flows(objects(ofClass({ ingressClassName: 'traefik' })))).toEqual([]);
    expect(blocked(objects(ofClass({}, { 'kubernetes.io/ingress.class': 'traefik' })))).toEqual([]);
    // A controller placed by the caller serves every class.
    const traefik = { ...DEFAULT_FLOW_WORLD, ingressController: { namespace: 'kube-system', labels: labels('traefik') } };
    expect(blockedFlows(new ManifestSet(objects(ofClass({ ingressClassName: 'traefik' }))), traefik)).toEqual([]);
    expect(declaredFlows(new ManifestSet(objects(ofClass({ ingressClassName: 'traefik' }))), traefik)).toHaveLength(1);
  });

  test('pods outside the objects carry the labels the world names and maybe more: a selector on another label may admit them', () => {
    const monitoring = { 'kubernetes.io/metadata.name': 'monitoring' };
    const admit = (podSelector: any) => [deployment('api'), service('api', 8080, 'http'), serviceMonitor('api', { port: 'http' }),
      admitOnly('api', [{ namespaceSelector: { matchLabels: monitoring }, podSelector }])];
    // The operator also labels its Prometheus pods prometheus=<name>: unknown here, so admitted.
    expect(blocked(admit({ matchLabels: { prometheus: 'k8s' } }))).toEqual([]);
    expect(blocked(admit({ matchExpressions: [{ key: 'operator.prometheus.io/name', operator: 'Exists' }] }))).toEqual([]);
    // A label the world names with another value surely does not select them.
    expect(blocked(admit({ matchLabels: { 'app.kubernetes.io/name': 'grafana', 'prometheus': 'k8s' } }))).toEqual([
      'ServiceMonitor shop/api -> Deployment shop/api :8080 blocked by NetworkPolicy shop/api (ingress)',
    ]);
  });

  test('other engines\' policies: a Calico NetworkPolicy isolates nothing here; with Cilium\'s or Calico\'s policies present nothing is reported', () => {
    const objects = [deployment('api'), service('api', 8080, 'http'), serviceMonitor('api', { port: 'http' }),
      admitOnly('api', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }])];
    expect(blocked(objects)).toHaveLength(1);
    const calico = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: NS }, spec: { selector: 'all()', types: ['Ingress', 'Egress'], egress: [{ action: 'Deny' }] } };
    const cilium = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'prometheus', namespace: NS }, spec: { endpointSelector: {} } };
    expect(blocked([...objects, cilium])).toEqual([]);
    expect(blocked([...objects, calico])).toEqual([]);
    // Without the k8s policy, Calico's (same kind, other API group) does not make the pod isolated in this reading.
    expect(flows([deployment('api'), calico])).toEqual([]);
  });

  test('egress without DNS, and a frontend whose egress does not reach the backend it names', () => {
    const objects = [
      deployment('front', { env: [{ name: 'API', value: 'http://backend:8000' }] }),
      deployment('backend'), service('backend', 8000),
      policy('front', 'front', { policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: labels('cache') } }] }] }),
    ];
    expect(blocked(objects)).toEqual([
      'Deployment shop/front -> Deployment shop/backend :8080 blocked by NetworkPolicy shop/front (egress)',
      'Deployment shop/front -> cluster DNS (namespace kube-system, k8s-app=kube-dns) :53/UDP blocked by NetworkPolicy shop/front (egress)',
    ]);
  });
});
