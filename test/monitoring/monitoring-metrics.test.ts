/**
 * MonitoringMetrics (seed 004): a ServiceMonitor or PodMonitor scraping every 15 s and a
 * PrometheusRule alerting on the seed's metrics with the Prometheus operator; scrape annotations
 * without it. Threshold rules in the seed's ranges, each with a bad value and its error.
 */
import { Chart, Testing } from 'cdk8s';
import {
  ClusterAccessLevel, ContainerImage, DeploymentManifest, MonitoringMetrics, MonitoringMetricsProps, ScrapeMethod, StatefulManifest, TargetCluster,
} from '../../src';
import { findObject, objectsOfKind, synthError, synthManifests } from '../util/manifests';

function setup(props: Partial<MonitoringMetricsProps> = {}, options: { operator?: boolean; withoutService?: boolean } = {}) {
  const chart = new Chart(Testing.app(), 'mon', { namespace: 'shop', disableResourceNameHashes: true });
  const cluster = new TargetCluster(chart, 'cluster', {
    name: 'prod',
    endpoint: 'https://api.example.com:6443',
    context: 'deployer@prod',
    version: '1.28',
    accessLevel: ClusterAccessLevel.DEPLOY,
    capabilities: options.operator === false ? [] : ['prometheus-operator'],
  });
  const api = new DeploymentManifest(chart, 'api', {
    image: new ContainerImage(chart, 'img', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.0.0' }),
    ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }],
    withoutService: options.withoutService,
    instance: 'shop',
  });
  const metrics = new MonitoringMetrics(chart, 'metrics', { workload: api, cluster, ...props });
  return { chart, api, metrics };
}

const SEL = 'job="api",namespace="shop"';

describe('MonitoringMetrics', () => {
  test('with the Prometheus operator: a ServiceMonitor every 15 s and a PrometheusRule with the three alerts; a snapshot', () => {
    const { chart, metrics } = setup({ port: 9090 });
    const objects = synthManifests(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/api', 'Service/api', 'PodDisruptionBudget/api', 'NetworkPolicy/api', 'ServiceMonitor/api', 'PrometheusRule/api',
    ]);
    expect(metrics.scrapeMethod).toBe(ScrapeMethod.SERVICE_MONITOR);
    const monitor = findObject(objects, 'ServiceMonitor', 'api');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.namespace).toBe('shop');
    expect(monitor.spec).toEqual({
      jobLabel: 'app.kubernetes.io/name',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop' } },
      namespaceSelector: { matchNames: ['shop'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s', scheme: 'http' }],
    });
    const rules = findObject(objects, 'PrometheusRule', 'api').spec.groups[0];
    expect(rules.name).toBe('api.rules');
    expect(rules.rules.map((r: any) => [r.alert, r.expr, r.for, r.labels.severity])).toEqual([
      ['HighErrorRate',
        `100 * sum by (namespace, job) (rate(http_requests_total{${SEL},code=~"5.."}[5m])) / sum by (namespace, job) (rate(http_requests_total{${SEL}}[5m])) > 5`,
        '5m', 'warning'],
      ['SlowResponses',
        `1000 * sum by (namespace, job) (rate(http_request_duration_seconds_sum{${SEL}}[5m])) / sum by (namespace, job) (rate(http_request_duration_seconds_count{${SEL}}[5m])) > 1000`,
        '5m', 'warning'],
      ['HealthCheckFailing', `up{${SEL}} == 0`, '45s', 'critical'],
    ]);
    for (const r of rules.rules) expect(Object.keys(r.annotations).sort()).toEqual(['description', 'summary']);
    expect(objects).toMatchSnapshot();
  });

  test('thresholds, metric names, interval, path and labels as given', () => {
    const { chart } = setup({
      errorRatePercent: 2.5,
      responseTimeMs: 250,
      healthCheckFailures: 0,
      scrapeIntervalSeconds: 30,
      metricsPath: '/stats',
      requestsMetric: 'mcp_requests_total',
      durationMetric: 'mcp_request_seconds',
      labels: { release: 'kube-prometheus-stack' },
    });
    const objects = synthManifests(chart);
    const monitor = findObject(objects, 'ServiceMonitor', 'api');
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/stats', interval: '30s', scheme: 'http' }]);
    expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
    const rule = findObject(objects, 'PrometheusRule', 'api');
    expect(rule.metadata.labels.release).toBe('kube-prometheus-stack');
    const [errors, slow, health] = rule.spec.groups[0].rules;
    expect(errors.expr).toMatch(/rate\(mcp_requests_total\{.*\}\[5m\]\)\) > 2\.5$/);
    expect(slow.expr).toMatch(/mcp_request_seconds_sum.*mcp_request_seconds_count.* > 250$/);
    expect(health.for).toBeUndefined();
  });

  test('a workload without a Service gets a PodMonitor by port number', () => {
    const { chart, metrics } = setup({ port: 9090 }, { withoutService: true });
    const objects = synthManifests(chart);
    expect(metrics.scrapeMethod).toBe(ScrapeMethod.POD_MONITOR);
    expect(findObject(objects, 'PodMonitor', 'api').spec).toEqual({
      jobLabel: 'app.kubernetes.io/name',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop' } },
      namespaceSelector: { matchNames: ['shop'] },
      podMetricsEndpoints: [{ portNumber: 9090, path: '/metrics', interval: '15s', scheme: 'http' }],
    });
    expect(objectsOfKind(objects, 'PrometheusRule')).toHaveLength(1);
  });

  test('without the Prometheus operator: scrape annotations on the pods, no monitoring objects', () => {
    const { chart, metrics } = setup({ port: 9090 }, { operator: false });
    const objects = synthManifests(chart);
    expect(metrics.scrapeMethod).toBe(ScrapeMethod.ANNOTATIONS);
    expect(objects.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com'))).toEqual([]);
    expect(findObject(objects, 'Deployment', 'api').spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'prometheus.io/path': '/metrics',
    });
  });

  test('the cluster refuses monitoring objects when it lacks the operator', () => {
    const { chart } = setup({ scrapeMethod: ScrapeMethod.SERVICE_MONITOR }, { operator: false });
    expect(synthError(chart)).toMatch(/capabilities: got \[\]; expected a list including "prometheus-operator": the chart has ServiceMonitor shop\/api \(monitoring\.coreos\.com\/v1\), PrometheusRule shop\/api/);
  });

  test('a StatefulManifest is monitored through its headless Service', () => {
    const chart = new Chart(Testing.app(), 'mon', { namespace: 'shop', disableResourceNameHashes: true });
    const db = new StatefulManifest(chart, 'db', {
      image: new ContainerImage(chart, 'img', { repository: 'acme/db', tag: '1.0.0' }),
      ports: [{ name: 'db', containerPort: 5432 }],
      tcpHealthCheck: true,
      volumeClaim: { name: 'data', mountPath: '/data', size: '1Gi' },
    });
    new MonitoringMetrics(chart, 'metrics', { workload: db, scrapeMethod: ScrapeMethod.SERVICE_MONITOR });
    expect(findObject(synthManifests(chart), 'ServiceMonitor', 'db').spec.endpoints[0].port).toBe('db');
  });

  test.each([
    ['an error rate above 100%', { errorRatePercent: 101 }, /\[mon\/metrics\] errorRatePercent: got 101; expected a percentage from 0 to 100/],
    ['a negative error rate', { errorRatePercent: -1 }, /errorRatePercent: got -1; expected a percentage from 0 to 100/],
    ['a negative response time', { responseTimeMs: -5 }, /responseTimeMs: got -5; expected a non-negative number of milliseconds/],
    ['a negative health check count', { healthCheckFailures: -1 }, /healthCheckFailures: got -1; expected a non-negative whole number/],
    ['a fractional health check count', { healthCheckFailures: 1.5 }, /healthCheckFailures: got 1\.5; expected a non-negative whole number/],
    ['a scrape interval of 0', { scrapeIntervalSeconds: 0 }, /scrapeIntervalSeconds: got 0; expected an integer from 1 to 3600/],
    ['a bad metric name', { requestsMetric: 'http-requests' }, /requestsMetric: got "http-requests"; expected a Prometheus metric name/],
    ['a relative metrics path', { metricsPath: 'metrics' }, /metricsPath: got "metrics"; expected an absolute path/],
    ['a port the Service does not expose', { port: 7070 }, /port: got 7070; expected a target port of the Service api \(8080, 9090\), or scrapeMethod POD_MONITOR/],
    ['a bad label', { labels: { release: 'kube prometheus' } }, /labels\.release: got "kube prometheus"; expected a label value/],
    ['an unknown scrape method', { scrapeMethod: 'push' as ScrapeMethod }, /scrapeMethod: got "push"; expected one of ServiceMonitor, PodMonitor, annotations/],
    ['a bad Prometheus namespace', { prometheusNamespace: 'Monitoring' }, /\[mon\/metrics\] prometheusNamespace: got "Monitoring"; expected a DNS-1123 label/],
    ['a bad Prometheus pod label', { prometheusPodLabels: { app: 'prometheus server' } }, /prometheusPodLabels\.app: got "prometheus server"; expected a label value/],
  ])('refuses %s', (_what, props, message) => {
    expect(synthError(setup(props).chart)).toMatch(message);
  });

  describe('the workload\'s NetworkPolicy admits Prometheus on the metrics port', () => {
    /** An API whose NetworkPolicy admits only the ingress controller, monitored with `props`. */
    function restricted(props: Partial<MonitoringMetricsProps> = {}, operator = true) {
      const chart = new Chart(Testing.app(), 'mon', { namespace: 'shop', disableResourceNameHashes: true });
      const api = new DeploymentManifest(chart, 'api', {
        image: new ContainerImage(chart, 'img', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.0.0' }),
        ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }],
        networkPolicy: { ingressFrom: [{ namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }] },
      });
      const cluster = new TargetCluster(chart, 'cluster', {
        name: 'prod', endpoint: 'https://api.example.com:6443', context: 'deployer@prod', version: '1.28', capabilities: operator ? ['prometheus-operator'] : [],
      });
      new MonitoringMetrics(chart, 'metrics', { workload: api, cluster, port: 9090, ...props });
      return findObject(synthManifests(chart), 'NetworkPolicy', 'api').spec.ingress;
    }
    const prometheusRule = (namespace: string, podLabels: Record<string, string>) => ({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: { matchLabels: podLabels } }],
      ports: [{ port: 9090, protocol: 'TCP' }],
    });

    test('by default the pods labeled app.kubernetes.io/name=prometheus in namespace monitoring, with a ServiceMonitor or scrape annotations', () => {
      for (const operator of [true, false]) {
        const ingress = restricted({}, operator);
        expect(ingress).toHaveLength(2);
        expect(ingress[1]).toEqual(prometheusRule('monitoring', { 'app.kubernetes.io/name': 'prometheus' }));
      }
    });

    test('where the cluster runs Prometheus is a prop', () => {
      expect(restricted({ prometheusNamespace: 'observability', prometheusPodLabels: { app: 'prometheus', prometheus: 'k8s' } })[1])
        .toEqual(prometheusRule('observability', { app: 'prometheus', prometheus: 'k8s' }));
    });

    test('no rule when every source is admitted on the port already', () => {
      const { chart } = setup({ port: 9090 });
      expect(findObject(synthManifests(chart), 'NetworkPolicy', 'api').spec.ingress).toEqual([
        { ports: [{ port: 8080, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }] },
      ]);
    });
  });

  test('refuses a ServiceMonitor for a workload without a Service, and no port to scrape', () => {
    const message = synthError(setup({ scrapeMethod: ScrapeMethod.SERVICE_MONITOR }, { withoutService: true }).chart);
    expect(message).toMatch(/scrapeMethod: got "ServiceMonitor"; expected PodMonitor or annotations: the workload api has no Service/);
    expect(message).toMatch(/port: got nothing; expected the container port serving the metrics/);
  });
});
