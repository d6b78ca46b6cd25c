import { labelKey, labelValue } from '../validation/names';

/**
 * Standard `app.kubernetes.io/*` labels. Selectors use only `name` and `instance`, which never
 * change between versions or upgrades.
 * @internal
 */
export function selectorLabelsFor(name: string, instance: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instance,
  };
}

/** @internal */
export function standardLabels(options: {
  name: string;
  instance: string;
  version?: string;
  component?: string;
  partOf?: string;
}): Record<string, string> {
  const labels: Record<string, string> = selectorLabelsFor(options.name, options.instance);
  if (options.version) labels['app.kubernetes.io/version'] = options.version;
  if (options.component) labels['app.kubernetes.io/component'] = options.component;
  if (options.partOf) labels['app.kubernetes.io/part-of'] = options.partOf;
  labels['app.kubernetes.io/managed-by'] = 'cdk8s-deploykit';
  return labels;
}

/** Checks every label key and value, returning findings as [field, value, expected]. @internal */
export function labelProblems(field: string, labels: Record<string, string> | undefined): Array<[string, string, string]> {
  const problems: Array<[string, string, string]> = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const keyProblem = labelKey(key);
    if (keyProblem) problems.push([`${field} key`, key, keyProblem]);
    const valueProblem = labelValue(value);
    if (valueProblem) problems.push([`${field}.${key}`, value, valueProblem]);
  }
  return problems;
}
