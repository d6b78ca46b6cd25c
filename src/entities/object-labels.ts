import { labelProblems, standardLabels } from './labels';
import { Findings } from '../validation/findings';
import { labelValue } from '../validation/names';

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

/** Records a finding for each label prop that is no valid label value or key. @internal */
export function checkObjectLabels(findings: Findings, props: ObjectLabelProps): void {
  findings.check('appName', props.appName, labelValue);
  findings.check('instance', props.instance, labelValue);
  findings.check('partOf', props.partOf, labelValue);
  for (const [field, value, expected] of labelProblems('labels', props.labels)) findings.add(field, value, expected);
}

/** The standard `app.kubernetes.io/*` labels of an object named `name`, then the user's labels. @internal */
export function objectLabels(name: string, props: ObjectLabelProps): Record<string, string> {
  const appName = props.appName ?? name;
  return {
    ...standardLabels({ name: appName, instance: props.instance ?? appName, partOf: props.partOf }),
    ...props.labels,
  };
}
