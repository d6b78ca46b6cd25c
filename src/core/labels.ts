import { Findings } from './findings';
import { labelKey, labelValue, writableKey } from './rules/names';

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
    const keyProblem = labelKey(key) ?? writableKey(key);
    if (keyProblem) problems.push([`${field} key`, key, keyProblem]);
    const valueProblem = labelValue(value);
    if (valueProblem) problems.push([`${field}.${key}`, value, valueProblem]);
  }
  return problems;
}

/** Labels shared by the entities that emit one object (ConfigMap, Secret, PVC, Namespace, Ingress). */
export interface ObjectLabelProps {
  /**
   * Value of `app.kubernetes.io/name`: the application component.
   * @default - the object name
   */
  readonly appName?: string;
  /**
   * Value of `app.kubernetes.io/instance`: the system or release name.
   * @default - `appName`
   */
  readonly instance?: string;
  /**
   * Value of `app.kubernetes.io/part-of`.
   * @default - not set
   */
  readonly partOf?: string;
  /**
   * Extra labels of the object, such as `{ app: "rescan" }`.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * Records a finding for each label prop that is no valid label value or key, and for an object name
 * that is no valid label value although it becomes one (`app.kubernetes.io/name` and `instance`
 * default to it): the API server refuses a label value over 63 characters, even when the name
 * itself (a DNS-1123 subdomain, up to 253) is fine. The name is reported once, on `nameField`, and
 * not when it already has a finding there.
 * @internal
 */
export function checkObjectLabels(findings: Findings, props: ObjectLabelProps, name?: string, nameField: string = 'name'): void {
  findings.check('appName', props.appName, labelValue);
  findings.check('instance', props.instance, labelValue);
  findings.check('partOf', props.partOf, labelValue);
  for (const [field, value, expected] of labelProblems('labels', props.labels)) findings.add(field, value, expected);
  if (props.appName === undefined && typeof name === 'string' && labelValue(name) !== undefined && !findings._reported(nameField)) {
    findings.add(nameField, name, derivedLabelExpected(name));
  }
}

/** What a name that also becomes a label value must look like. @internal */
export function derivedLabelExpected(name: string): string {
  return `a name that is also a valid label value, since it becomes the label app.kubernetes.io/name: at most 63 characters (this one has ${name.length}), `
    + 'starting and ending with a letter or digit; or set appName to a shorter label value';
}

/** The standard `app.kubernetes.io/*` labels of an object named `name`, then the user's labels. @internal */
export function objectLabels(name: string, props: ObjectLabelProps): Record<string, string> {
  const appName = props.appName ?? name;
  return {
    ...standardLabels({ name: appName, instance: props.instance ?? appName, partOf: props.partOf }),
    ...props.labels,
  };
}
