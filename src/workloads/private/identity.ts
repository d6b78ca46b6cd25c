import { Environment } from '../../core/environment';
import { Findings } from '../../core/findings';
import { labelProblems, selectorLabelsFor, standardLabels } from '../../core/labels';
import { labelValue } from '../../core/rules/names';
import { WorkloadProps } from '../workload-props';

/** The labels of a workload's objects, its selector and its pods. @internal */
export interface WorkloadIdentity {
  readonly objectLabels: Record<string, string>;
  readonly selectorLabels: Record<string, string>;
  readonly podLabels: Record<string, string>;
}

/**
 * Labels shared by DeploymentManifest and StatefulManifest, with their rules: every label value
 * valid, no pod label changing a selector label (the API server would refuse the workload), and
 * the image tag allowed in the environment.
 * @internal
 */
export function workloadIdentity(findings: Findings, name: string, environment: Environment, props: WorkloadProps): WorkloadIdentity {
  const instance = props.instance ?? name;
  const version = props.version ?? props.image?.tag;
  findings.check('instance', props.instance, labelValue);
  findings.check('partOf', props.partOf, labelValue);
  findings.check('version', version, labelValue);
  for (const [f, v, e] of labelProblems('selectorLabels', props.selectorLabels)) findings.add(f, v, e);
  for (const [f, v, e] of labelProblems('podLabels', props.podLabels)) findings.add(f, v, e);
  const tagProblem = props.image?.tagProblem(environment);
  if (tagProblem) findings.add('image.tag', props.image!.tag, tagProblem);

  const objectLabels = standardLabels({ name, instance, version, partOf: props.partOf });
  const selectorLabels = { ...(props.selectorLabels ?? selectorLabelsFor(name, instance)) };
  for (const [key, value] of Object.entries(props.podLabels ?? {})) {
    // Own keys only: a pod label named like an Object member (toString) is no selector label.
    if (Object.prototype.hasOwnProperty.call(selectorLabels, key) && selectorLabels[key] !== value) {
      findings.add(`podLabels.${key}`, value, `${JSON.stringify(selectorLabels[key])}, the selector's value (a pod label may not change a selector label)`);
    }
  }
  return { objectLabels, selectorLabels, podLabels: { ...objectLabels, ...props.podLabels, ...selectorLabels } };
}
