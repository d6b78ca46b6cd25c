/**
 * The alerting rules of a MonitoringMetrics over the seed's metrics (seed 004 MonitoringMetrics):
 * error rate, average response time, failing health checks. PromQL selects the workload's series
 * by `job` (the workload's app.kubernetes.io/name, through the monitor's jobLabel) and namespace.
 */
import { Rule } from '../../core/findings';

/** Prometheus metric names: letters, digits, "_" and ":", not starting with a digit. @internal */
export const metricName: Rule<string> = (value) =>
  /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(value)
    ? undefined
    : 'a Prometheus metric name such as "http_requests_total" (letters, digits, "_" and ":", not starting with a digit)';

/** A percentage, 0-100. @internal */
export const percentage: Rule<number> = (value) =>
  Number.isFinite(value) && value >= 0 && value <= 100 ? undefined : 'a percentage from 0 to 100';

/** A non-negative number of milliseconds. @internal */
export const nonNegativeMilliseconds: Rule<number> = (value) =>
  Number.isFinite(value) && value >= 0 ? undefined : 'a non-negative number of milliseconds';

/** What the alerts are made of. @internal */
export interface AlertInput {
  readonly job: string;
  readonly namespace: string;
  readonly requestsMetric: string;
  readonly durationMetric: string;
  readonly errorRatePercent: number;
  readonly responseTimeMs: number;
  readonly healthCheckFailures: number;
  readonly scrapeIntervalSeconds: number;
}

/** One alerting rule as the PrometheusRule CRD (and a Prometheus rule file) writes it. @internal */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** A PromQL string literal. */
function quoted(value: string): string {
  return JSON.stringify(value);
}

/** The three alerts of the seed's metrics, in a fixed order. @internal */
export function alertRules(input: AlertInput): AlertRule[] {
  const sel = `job=${quoted(input.job)},namespace=${quoted(input.namespace)}`;
  const by = 'sum by (namespace, job)';
  const rate = (metric: string, extra = '') => `${by} (rate(${metric}{${sel}${extra}}[5m]))`;
  const who = `${input.job} in ${input.namespace}`;
  const labels = { severity: 'warning' };
  const healthFor = input.healthCheckFailures * input.scrapeIntervalSeconds;
  return [
    {
      alert: 'HighErrorRate',
      expr: `100 * ${rate(input.requestsMetric, ',code=~"5.."')} / ${rate(input.requestsMetric)} > ${input.errorRatePercent}`,
      for: '5m',
      labels,
      annotations: {
        summary: `${who}: more than ${input.errorRatePercent}% of requests fail`,
        description: `The share of 5xx responses of ${who} (${input.requestsMetric}) has been above ${input.errorRatePercent}% for 5 minutes.`,
      },
    },
    {
      alert: 'SlowResponses',
      expr: `1000 * ${rate(`${input.durationMetric}_sum`)} / ${rate(`${input.durationMetric}_count`)} > ${input.responseTimeMs}`,
      for: '5m',
      labels,
      annotations: {
        summary: `${who}: average response time above ${input.responseTimeMs} ms`,
        description: `The average response time of ${who} (${input.durationMetric}) has been above ${input.responseTimeMs} ms for 5 minutes.`,
      },
    },
    {
      alert: 'HealthCheckFailing',
      expr: `up{${sel}} == 0`,
      for: healthFor > 0 ? `${healthFor}s` : undefined,
      labels: { severity: 'critical' },
      annotations: {
        summary: `${who}: a pod fails its health checks`,
        description: `Prometheus could not scrape a pod of ${who} ${input.healthCheckFailures} times in a row (every ${input.scrapeIntervalSeconds}s).`,
      },
    },
  ];
}
