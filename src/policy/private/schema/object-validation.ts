/**
 * Internal to `policy`: what the API server's validation refuses in an object though the OpenAPI
 * definitions allow it, beyond the pod spec (`pod-validation.ts`): in a workload's update strategy
 * and a PodDisruptionBudget, counts and percentages of the wrong form, a rolling update that can move
 * no pod, a rollingUpdate under a strategy that has none, and both minAvailable and maxUnavailable;
 * in a HorizontalPodAutoscaler, a metric without the source of its type, or whose target lacks the
 * value its type takes (a Pods metric has no utilization, a Resource metric no total value); and in
 * the cluster-level objects of `cluster-object-validation.ts`.
 *
 * Only values the API server surely refuses are reported; a value of the wrong type is the schema's.
 */
import { clusterObjectProblems } from './cluster-object-validation';
import { isObject, list, SchemaProblem, show } from './metadata';
import { countOrPercent, countOrPercentValue } from '../../../core/rules/numbers';
import { parseQuantity } from '../../../core/rules/quantity';

/**
 * What the API server refuses in a workload's update strategy and in a PodDisruptionBudget: counts
 * and percentages of the wrong form, a rolling update that may move no pod (maxUnavailable and
 * maxSurge both 0, once defaulted), a rollingUpdate under a strategy without one, and a budget
 * setting both minAvailable and maxUnavailable; and in the cluster-level objects of
 * `clusterObjectProblems`.
 */
export function objectValidationProblems(obj: any): SchemaProblem[] {
  const cluster = clusterObjectProblems(obj);
  if (cluster) return cluster;
  const spec = isObject(obj?.spec) ? obj.spec : undefined;
  if (!spec) return [];
  switch (obj.kind) {
    case 'Deployment': {
      const strategy = isObject(spec.strategy) ? spec.strategy : {};
      if (strategy.type === 'Recreate') {
        return strategy.rollingUpdate !== undefined
          ? [{ path: 'spec.strategy.rollingUpdate', message: 'cannot be set when strategy type is Recreate (the API server refuses it; drop rollingUpdate)' }] : [];
      }
      // The API server defaults an unset maxSurge and maxUnavailable to 25%.
      return rollingUpdateProblems(strategy.rollingUpdate, 'spec.strategy.rollingUpdate', '25%', '25%');
    }
    case 'DaemonSet': {
      const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
      if (strategy.type === 'OnDelete') return [];
      // The API server defaults an unset maxUnavailable to 1 and maxSurge to 0.
      return rollingUpdateProblems(strategy.rollingUpdate, 'spec.updateStrategy.rollingUpdate', 1, 0);
    }
    case 'StatefulSet': {
      const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
      return strategy.type === 'OnDelete' && strategy.rollingUpdate !== undefined
        ? [{ path: 'spec.updateStrategy.rollingUpdate', message: 'cannot be set when updateStrategy type is OnDelete (the API server refuses it; drop rollingUpdate)' }] : [];
    }
    case 'HorizontalPodAutoscaler':
      return autoscalerProblems(obj.apiVersion, spec);
    case 'PodDisruptionBudget': {
      const out = budgetProblems(spec.minAvailable, 'spec.minAvailable', 100).concat(budgetProblems(spec.maxUnavailable, 'spec.maxUnavailable', 100));
      if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
        out.push({ path: 'spec.maxUnavailable', message: 'cannot be set together with minAvailable (the API server refuses both); keep one' });
      }
      return out;
    }
    default:
      return [];
  }
}

/** A count or percentage the API server refuses (a string of digits without "%" among them). */
function budgetProblems(value: unknown, path: string, maxPercent?: number): SchemaProblem[] {
  if (typeof value !== 'number' && typeof value !== 'string') return [];
  const expected = countOrPercent(maxPercent)(value);
  return expected ? [{ path, message: `got ${show(value)}; expected ${expected}` }] : [];
}

function rollingUpdateProblems(rollingUpdate: unknown, path: string, unavailableDefault: number | string,
  surgeDefault: number | string): SchemaProblem[] {
  if (!isObject(rollingUpdate)) return [];
  const out = [...budgetProblems(rollingUpdate.maxUnavailable, `${path}.maxUnavailable`, 100), ...budgetProblems(rollingUpdate.maxSurge, `${path}.maxSurge`)];
  const unavailable = rollingUpdate.maxUnavailable ?? unavailableDefault;
  const surge = rollingUpdate.maxSurge ?? surgeDefault;
  if (!out.length && countOrPercentValue(unavailable) === 0 && countOrPercentValue(surge) === 0) {
    out.push({
      path: `${path}.maxUnavailable`,
      message: `got ${show(unavailable)} with maxSurge ${show(surge)}${rollingUpdate.maxSurge === undefined ? ' (the default)' : ''}; the update could move no pod, so the API server refuses it: let maxSurge or maxUnavailable be above 0`,
    });
  }
  return out;
}

/** Each metric source type of autoscaling/v2, its field, and the target values it takes (one of them, or both). */
interface MetricSource { readonly field: string; readonly values: readonly string[]; readonly both: boolean; readonly takes: string }
const METRIC_SOURCES: { readonly [type: string]: MetricSource } = {
  Object: { field: 'object', values: ['value', 'averageValue'], both: true, takes: 'value (type Value) or averageValue (type AverageValue); an Object metric has no utilization' },
  Pods: { field: 'pods', values: ['averageValue'], both: false, takes: 'averageValue (type AverageValue), the per-pod value; a Pods metric has no utilization or total value' },
  Resource: { field: 'resource', values: ['averageUtilization', 'averageValue'], both: false, takes: 'averageUtilization (type Utilization) or averageValue (type AverageValue); a Resource metric has no total value' },
  ContainerResource: { field: 'containerResource', values: ['averageUtilization', 'averageValue'], both: false, takes: 'averageUtilization (type Utilization) or averageValue (type AverageValue); a ContainerResource metric has no total value' },
  External: { field: 'external', values: ['value', 'averageValue'], both: false, takes: 'value (type Value) or averageValue (type AverageValue); an External metric has no utilization' },
};
const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];

/**
 * What the API server refuses in an autoscaler's metrics though the schema allows it: a metric
 * source type it does not know, a metric without the field of its type or with the field of another,
 * a target without the value its source takes (a Pods metric has no utilization, a Resource metric
 * no total value; a Resource or External target with both of its values), a target type other than
 * Utilization, Value and AverageValue, and a value or utilization not above 0. autoscaling/v1's
 * targetCPUUtilizationPercentage becomes a Resource metric on cpu, so it too is at least 1.
 */
function autoscalerProblems(apiVersion: unknown, spec: Record<string, any>): SchemaProblem[] {
  if (apiVersion === 'autoscaling/v1') {
    const percent = spec.targetCPUUtilizationPercentage;
    return typeof percent === 'number' && percent < 1
      ? [{ path: 'spec.targetCPUUtilizationPercentage', message: `got ${show(percent)}; expected a utilization of at least 1 (percent of the pods' cpu requests)` }] : [];
  }
  const out: SchemaProblem[] = [];
  list(spec.metrics).forEach((metric, i) => {
    if (!isObject(metric) || typeof metric.type !== 'string') return; // the schema reports a metric without a type
    const at = `spec.metrics[${i}]`;
    const source = METRIC_SOURCES[metric.type];
    if (!source) {
      out.push({ path: `${at}.type`, message: `got ${show(metric.type)}; expected one of ${Object.keys(METRIC_SOURCES).map((t) => show(t)).join(', ')}` });
      return;
    }
    for (const other of Object.values(METRIC_SOURCES)) {
      if (other.field !== source.field && metric[other.field] !== undefined) {
        out.push({ path: `${at}.${other.field}`, message: `cannot be set in a metric of type ${show(metric.type)}, which takes ${source.field} only (the API server refuses the pair)` });
      }
    }
    const src = metric[source.field];
    if (!isObject(src)) {
      if (src === undefined) out.push({ path: `${at}.${source.field}`, message: `required field is missing: a metric of type ${show(metric.type)} describes its source in ${source.field}` });
      return;
    }
    out.push(...metricTargetProblems(src.target, `${at}.${source.field}.target`, metric.type, source));
  });
  return out;
}

function metricTargetProblems(target: unknown, at: string, type: string, source: MetricSource): SchemaProblem[] {
  if (!isObject(target)) return []; // the schema reports a missing target
  const out: SchemaProblem[] = [];
  if (typeof target.type === 'string' && !TARGET_TYPES.includes(target.type)) {
    out.push({ path: `${at}.type`, message: `got ${show(target.type)}; expected one of ${TARGET_TYPES.map((t) => show(t)).join(', ')}` });
  }
  for (const key of ['value', 'averageValue']) {
    const v = target[key];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    const n = parseQuantity(String(v));
    if (n !== undefined && n <= 0) out.push({ path: `${at}.${key}`, message: `got ${show(v)}; expected a quantity above 0` });
  }
  if (typeof target.averageUtilization === 'number' && target.averageUtilization < 1) {
    out.push({ path: `${at}.averageUtilization`, message: `got ${show(target.averageUtilization)}; expected a utilization of at least 1 (percent of the requests)` });
  }
  const given = source.values.filter((k) => target[k] !== undefined);
  const metric = `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} metric's target`;
  if (given.length === 0) {
    const has = ['value', 'averageValue', 'averageUtilization'].filter((k) => target[k] !== undefined).map((k) => `${k} ${show(target[k])}`);
    out.push({
      path: at,
      message: `got type ${show(target.type)}${has.length ? ` with ${has.join(', ')}` : ' and no value'}; ${metric} sets ${source.takes}`,
    });
  } else if (given.length > 1 && !source.both) {
    out.push({ path: `${at}.${source.values[1]}`, message: `cannot be set together with ${source.values[0]}; ${metric} sets one of them, by its type` });
  }
  return out;
}
