import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { alertRules, metricName, nonNegativeMilliseconds, percentage } from './private/alerts';
import { TargetCluster } from '../clusters/target-cluster';
import { OUTSIDE_PODS } from '../core/conventions';
import { Findings } from '../core/findings';
import { labelProblems, standardLabels } from '../core/labels';
import { dns1123Label } from '../core/rules/names';
import { integerBetween, nonNegativeInteger, portNumber } from '../core/rules/numbers';
import { absolutePath } from '../core/rules/urls';
import { checkProps } from '../core/validation';
import { PodMonitor, PodMonitorSpecPodMetricsEndpointsScheme } from '../imports/podmonitors-monitoring.coreos.com';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../imports/prometheusrules-monitoring.coreos.com';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../imports/servicemonitors-monitoring.coreos.com';
import { ServiceConfiguration } from '../networking/service-configuration';
import { DeploymentManifest } from '../workloads/deployment-manifest';
import { StatefulManifest } from '../workloads/stateful-manifest';
import { WorkloadManifest } from '../workloads/workload-manifest';

/** The TargetCluster capability of the Prometheus operator (monitoring.coreos.com). */
const PROMETHEUS_OPERATOR = 'prometheus-operator';

/** How Prometheus finds the pods to scrape. */
export enum ScrapeMethod {
  /** A ServiceMonitor over the workload's Service (Prometheus operator). */
  SERVICE_MONITOR = 'ServiceMonitor',
  /** A PodMonitor over the workload's pods (Prometheus operator). */
  POD_MONITOR = 'PodMonitor',
  /** `prometheus.io/scrape`, `prometheus.io/port` and `prometheus.io/path` annotations on the pods, for a Prometheus without the operator. */
  ANNOTATIONS = 'annotations',
}

/** Props of MonitoringMetrics (seed 004 MonitoringMetrics). */
export interface MonitoringMetricsProps {
  /** The workload whose pods serve the metrics (a DeploymentManifest or StatefulManifest). */
  readonly workload: WorkloadManifest;
  /**
   * The cluster: with the "prometheus-operator" capability the workload gets a ServiceMonitor (or
   * PodMonitor) and a PrometheusRule, else scrape annotations.
   * @default - no cluster: scrape annotations, unless `scrapeMethod` says otherwise
   */
  readonly cluster?: TargetCluster;
  /**
   * How Prometheus finds the pods.
   * @default - SERVICE_MONITOR when the cluster has the Prometheus operator and the workload a
   *   Service, POD_MONITOR with the operator and no Service, else ANNOTATIONS
   */
  readonly scrapeMethod?: ScrapeMethod;
  /**
   * The container port serving the metrics.
   * @default - the first port of the workload's Service
   */
  readonly port?: number;
  /**
   * The HTTP path of the metrics.
   * @default "/metrics"
   */
  readonly metricsPath?: string;
  /**
   * Seconds between scrapes (1-3600).
   * @default 15 (the seed caches monitoring metrics for 15 seconds)
   */
  readonly scrapeIntervalSeconds?: number;
  /**
   * Alert when more than this percentage of requests fail with 5xx for 5 minutes (0-100; seed `errorRate`).
   * @default 5
   */
  readonly errorRatePercent?: number;
  /**
   * Alert when the average response time stays above this many milliseconds for 5 minutes (seed `responseTime`).
   * @default 1000
   */
  readonly responseTimeMs?: number;
  /**
   * Alert when this many scrapes in a row fail (seed `healthChecks`); 0 alerts at the first failure.
   * @default 3
   */
  readonly healthCheckFailures?: number;
  /**
   * The request counter (with a `code` label), as Prometheus client libraries name it.
   * @default "http_requests_total"
   */
  readonly requestsMetric?: string;
  /**
   * The request duration histogram or summary in seconds (its `_sum` and `_count` series are used).
   * @default "http_request_duration_seconds"
   */
  readonly durationMetric?: string;
  /**
   * Extra labels of the ServiceMonitor, PodMonitor and PrometheusRule, such as the
   * `release: kube-prometheus-stack` a Prometheus selects them by.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Namespace of the Prometheus pods that scrape the workload: the workload's NetworkPolicy admits
   * them (with `prometheusPodLabels`) on the metrics port.
   * @default "monitoring"
   */
  readonly prometheusNamespace?: string;
  /**
   * Labels of the Prometheus pods the workload's NetworkPolicy admits on the metrics port.
   * @default - { "app.kubernetes.io/name": "prometheus" } (the kube-prometheus-stack chart's Prometheus)
   */
  readonly prometheusPodLabels?: { [key: string]: string };
}

/**
 * Prometheus scraping and alerts for a workload (seed 004 MonitoringMetrics). The seed's metric
 * values (CPU, memory, network I/O, request count, response time, error rate, health checks) are
 * runtime data Prometheus collects; this entity makes them collected and alerted on: a
 * ServiceMonitor (or PodMonitor) scraping every 15 s and a PrometheusRule with alerts on the error
 * rate, the average response time and failing scrapes (`up == 0`), named HighErrorRate,
 * SlowResponses and HealthCheckFailing. Without the Prometheus operator the pods get scrape
 * annotations instead, and no alert rules (they need the operator's PrometheusRule).
 *
 * Rules (each a synth finding): thresholds in the seed's ranges (percentages 0-100, times and
 * counts non-negative), a scrape interval of 1-3600 s, a metrics port (for a ServiceMonitor a target port of the Service), an
 * absolute metrics path, Prometheus metric names, a Service for a ServiceMonitor.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, MonitoringMetrics, TargetCluster } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * const api = new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ name: 'http', containerPort: 8080 }],
 * });
 * // The cluster runs the Prometheus operator: the API gets a ServiceMonitor and a PrometheusRule.
 * const cluster = new TargetCluster(chart, 'cluster', {
 *   name: 'Production', endpoint: 'https://api.prod.example.com:6443', context: 'deployer@prod', version: '1.28',
 *   capabilities: ['prometheus-operator'],
 * });
 * new MonitoringMetrics(chart, 'api-metrics', { workload: api, cluster, errorRatePercent: 2, responseTimeMs: 500 });
 * app.synth();
 */
export class MonitoringMetrics extends Construct {
  /** How Prometheus finds the pods. */
  public readonly scrapeMethod: ScrapeMethod;
  /** Seconds between scrapes. */
  public readonly scrapeIntervalSeconds: number;
  /** The ServiceMonitor, with SERVICE_MONITOR. */
  public readonly serviceMonitor?: ApiObject;
  /** The PodMonitor, with POD_MONITOR. */
  public readonly podMonitor?: ApiObject;
  /** The PrometheusRule, with the Prometheus operator. */
  public readonly prometheusRule?: ApiObject;

  constructor(scope: Construct, id: string, props: MonitoringMetricsProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'MonitoringMetricsProps', props);
    const workload: WorkloadManifest | undefined = props.workload;
    const service = workload ? serviceOf(workload) : undefined;
    const operator = props.cluster?.capabilities.includes(PROMETHEUS_OPERATOR) ?? false;
    this.scrapeMethod = props.scrapeMethod
      ?? (operator ? (service ? ScrapeMethod.SERVICE_MONITOR : ScrapeMethod.POD_MONITOR) : ScrapeMethod.ANNOTATIONS);
    this.scrapeIntervalSeconds = props.scrapeIntervalSeconds ?? 15;
    const path = props.metricsPath ?? '/metrics';

    findings.check('scrapeIntervalSeconds', props.scrapeIntervalSeconds, integerBetween(1, 3600));
    findings.check('errorRatePercent', props.errorRatePercent, percentage);
    findings.check('responseTimeMs', props.responseTimeMs, nonNegativeMilliseconds);
    findings.check('healthCheckFailures', props.healthCheckFailures, nonNegativeInteger);
    findings.check('requestsMetric', props.requestsMetric, metricName);
    findings.check('durationMetric', props.durationMetric, metricName);
    findings.check('metricsPath', props.metricsPath, absolutePath);
    findings.check('port', props.port, portNumber);
    for (const [f, v, e] of labelProblems('labels', props.labels)) findings.add(f, v, e);
    const prometheusNamespace = props.prometheusNamespace ?? OUTSIDE_PODS.prometheus.namespace;
    const prometheusPodLabels = props.prometheusPodLabels ?? { ...OUTSIDE_PODS.prometheus.labels };
    const prometheusValid = findings.check('prometheusNamespace', props.prometheusNamespace, dns1123Label)
      && labelProblems('prometheusPodLabels', props.prometheusPodLabels).map(([f, v, e]) => findings.add(f, v, e)).length === 0;
    if (!Object.values(ScrapeMethod).includes(this.scrapeMethod)) {
      findings.add('scrapeMethod', this.scrapeMethod, `one of ${Object.values(ScrapeMethod).join(', ')}`);
    }

    // The metrics port: given, or the Service's first; a ServiceMonitor names it by its Service port name.
    const servicePorts = service?.ports ?? [];
    const port = props.port ?? servicePorts[0]?.targetPort ?? servicePorts[0]?.port;
    const servicePort = servicePorts.find((p) => (p.targetPort ?? p.port) === port);
    // Without a workload (reported by checkProps) there is nothing to scrape.
    if (!workload) return;
    if (port === undefined) {
      findings.add('port', undefined, 'the container port serving the metrics (the workload has no Service to take it from)');
    } else if (service && !servicePort && this.scrapeMethod === ScrapeMethod.SERVICE_MONITOR) {
      findings.add('port', port, `a target port of the Service ${service.serviceName} (${servicePorts.map((p) => (p.targetPort ?? p.port)).join(', ')}), or scrapeMethod POD_MONITOR`);
    }
    if (this.scrapeMethod === ScrapeMethod.SERVICE_MONITOR && !service) {
      findings.add('scrapeMethod', this.scrapeMethod, `${ScrapeMethod.POD_MONITOR} or ${ScrapeMethod.ANNOTATIONS}: the workload ${workload.name} has no Service`);
    }

    // The scrapes this entity declares pass the workload's NetworkPolicy.
    if (port !== undefined && portNumber(port) === undefined && prometheusValid) {
      workload.admitIngress({ namespaceLabels: { 'kubernetes.io/metadata.name': prometheusNamespace }, podLabels: prometheusPodLabels }, port);
    }

    const namespace = workload.namespace;
    const labels = { ...standardLabels({ name: workload.name, instance: workload.podLabels['app.kubernetes.io/instance'] ?? workload.name, partOf: workload.podLabels['app.kubernetes.io/part-of'] }), ...props.labels };
    const metadata = { name: workload.name, namespace, labels };
    const interval = `${this.scrapeIntervalSeconds}s`;
    const jobLabel = 'app.kubernetes.io/name';

    if (this.scrapeMethod === ScrapeMethod.ANNOTATIONS) {
      workload.addPodAnnotation('prometheus.io/scrape', 'true');
      workload.addPodAnnotation('prometheus.io/port', String(port ?? ''));
      workload.addPodAnnotation('prometheus.io/path', path);
      return;
    }
    if (this.scrapeMethod === ScrapeMethod.SERVICE_MONITOR && service) {
      this.serviceMonitor = new ServiceMonitor(this, 'ServiceMonitor', {
        metadata,
        spec: {
          jobLabel,
          selector: { matchLabels: serviceSelector(service) },
          namespaceSelector: namespace ? { matchNames: [namespace] } : undefined,
          endpoints: [{ port: servicePort?.name, path, interval, scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
        },
      });
    } else if (this.scrapeMethod === ScrapeMethod.POD_MONITOR) {
      this.podMonitor = new PodMonitor(this, 'PodMonitor', {
        metadata,
        spec: {
          jobLabel,
          selector: { matchLabels: { ...workload.selectorLabels } },
          namespaceSelector: namespace ? { matchNames: [namespace] } : undefined,
          podMetricsEndpoints: [{ portNumber: port, path, interval, scheme: PodMonitorSpecPodMetricsEndpointsScheme.HTTP }],
        },
      });
    }
    const rules = alertRules({
      job: workload.podLabels[jobLabel] ?? workload.name,
      namespace: namespace ?? 'default',
      requestsMetric: props.requestsMetric ?? 'http_requests_total',
      durationMetric: props.durationMetric ?? 'http_request_duration_seconds',
      errorRatePercent: props.errorRatePercent ?? 5,
      responseTimeMs: props.responseTimeMs ?? 1000,
      healthCheckFailures: props.healthCheckFailures ?? 3,
      scrapeIntervalSeconds: this.scrapeIntervalSeconds,
    });
    this.prometheusRule = new PrometheusRule(this, 'PrometheusRule', {
      metadata,
      spec: {
        groups: [{
          name: `${workload.name}.rules`,
          rules: rules.map((r) => ({ ...r, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        }],
      },
    });
  }
}

/** The Service of a workload, when it has one. */
function serviceOf(workload: WorkloadManifest): ServiceConfiguration | undefined {
  if (workload instanceof DeploymentManifest) return workload.service;
  if (workload instanceof StatefulManifest) return workload.service;
  return undefined;
}

/** The labels a monitor selects the Service by: its app.kubernetes.io/name and instance. */
function serviceSelector(service: ServiceConfiguration): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/instance']) {
    const value = service.apiObject.metadata.getLabel(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
