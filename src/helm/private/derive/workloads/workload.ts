/**
 * Standard values of workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob): replicaCount and
 * autoscaling.enabled (Deployments and StatefulSets, see `scale.ts`), the images and resources of
 * every container, a CronJob's schedule, the standard pod values (`pod-values.ts`), the pod's and
 * first container's security contexts (`security-contexts.ts`), the references to
 * the Secrets and claims the pods read (`existingSecret`, `persistence.existingClaim`), and a
 * StatefulSet's claim template (`persistence.*`). Beside the workload the chart adds the
 * ServiceAccount it may create for the pods and, for a workload that could scale but has no HPA, a
 * stand-in HPA switched off by `autoscaling.enabled`.
 */
import { containerValues } from './images';
import { podReferenceSlots } from './pod-references';
import { podValues } from './pod-values';
import { FixedScale, fixedScale, fixedScaleProblems, hpaFor, hpaKey, hpaValues, standInHpa } from './scale';
import { securityContextValues } from './security-contexts';
import { createdServiceAccount, serviceAccountPlan } from './service-account';
import { KubeObject, PodSpecShape, objectRef, podTemplateOf } from '../../../../manifests';
import { docKey, pointerOf } from '../../model/json-pointers';
import { ParamSpec, Slot } from '../../model/template-model';
import { valuesRef, valueSlot } from '../../model/values-paths';
import { PRIMARY_KINDS, hasClaimTemplates } from '../../value-sections';
import { AddedObject, Derivation, Deriver, ReleaseContext, TemplateField } from '../deriver';
import { STORAGE_SIZE_PATTERN } from '../objects/storage';

/** A workload's values, the objects the chart adds beside it, and why its scale cannot be what the objects say. */
export const deriveWorkload: Deriver = ({ doc, ctx, values }) => {
  const set = ctx.layout.set;
  const primary = PRIMARY_KINDS.includes(doc.kind);
  const hpa = primary ? hpaFor(doc, set) : undefined;
  const fixed = primary ? fixedScale(doc, set) : undefined;
  const own = workloadValues(ctx, doc, values.prefix, !fixed && hpa !== undefined, fixed);
  const added: AddedObject[] = [];
  const pod = podTemplateOf(objectRef(doc)!);
  const sa = pod && serviceAccountPlan(ctx, doc, pod, values.section);
  if (pod && sa && !sa.held) {
    const created = createdServiceAccount(doc, pod.spec as PodSpecShape, sa.prefix, sa.createdName);
    added.push({ doc: created.doc, derivation: { ...created.derivation, key: `ServiceAccount for ${docKey(doc)}`, companionOf: doc } });
  }
  if (primary && !fixed && !hpa) {
    const standIn = standInHpa(doc);
    added.push({ doc: standIn, derivation: { ...hpaValues(standIn, values.section, doc, true), key: hpaKey(doc), companionOf: doc } });
  }
  return { ...own, added, problems: fixed ? fixedScaleProblems(doc, hpa, fixed) : [] };
};

/**
 * The values of a workload (at `p`). With `fixed` there is no autoscaling.enabled, and replicaCount
 * is bounded by `fixed.maxReplicas`.
 */
function workloadValues(ctx: ReleaseContext, doc: KubeObject, p: string[], hasHpa: boolean, fixed?: FixedScale): Derivation {
  const what = `the ${doc.metadata?.name} ${doc.kind}`;
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const fields: TemplateField[] = [];
  if (PRIMARY_KINDS.includes(doc.kind)) replicaValues(doc, p, what, hasHpa, fixed, slots, params);
  const schedule = doc.spec?.schedule;
  if (doc.kind === 'CronJob' && typeof schedule === 'string') {
    params.push({ path: [...p, 'schedule'], type: 'string', value: schedule, pattern: '^(@[a-z]+|@every \\S+|\\S+( \\S+){4})$', description: `Schedule of ${what} (cron syntax, in the cluster's time zone unless spec.timeZone says otherwise)` });
    slots.push(valueSlot(['spec', 'schedule'], [...p, 'schedule'], 'string'));
  }
  const pod = podTemplateOf(objectRef(doc)!);
  if (pod) {
    const spec: PodSpecShape = pod.spec;
    const c = containerValues(spec, pointerOf(pod.specPath), p, (pointer) => ctx.varies(doc, pointer));
    slots.push(...c.slots);
    params.push(...c.params);
    const standard = podValues(ctx, doc, pod, p);
    slots.push(...standard.slots);
    params.push(...standard.params);
    fields.push(...standard.fields ?? []);
    const security = securityContextValues(ctx, doc, spec, pointerOf(pod.specPath), p);
    slots.push(...security.slots);
    params.push(...security.params);
    slots.push(...podReferenceSlots(ctx, spec, pointerOf(pod.specPath), pod.obj.namespace));
  }
  const claim = claimTemplateValues(doc, p);
  slots.push(...claim.slots);
  params.push(...claim.params);
  return { slots, params, fields };
}

function replicaValues(
  doc: KubeObject, p: string[], what: string, hasHpa: boolean, fixed: FixedScale | undefined, slots: Slot[], params: ParamSpec[],
): void {
  const autoscalingEnabled = [...p, 'autoscaling', 'enabled'];
  const replicas = doc.spec?.replicas;
  const replicaPath = [...p, 'replicaCount'];
  const ref = valuesRef(replicaPath);
  if (fixed) {
    const bound = fixed.maxReplicas !== undefined ? `at most ${fixed.maxReplicas}, and no autoscaling` : 'no autoscaling';
    params.push({
      path: replicaPath,
      type: 'integer',
      value: replicas ?? 1,
      minimum: Math.min(1, replicas ?? 1),
      maximum: fixed.maxReplicas,
      fallback: replicas === undefined,
      description: `Number of pods of ${what}; ${bound}: ${fixed.reason}`,
    });
    slots.push(replicas !== undefined ? valueSlot(['spec', 'replicas'], replicaPath, 'integer') : {
      // The plain object leaves replicas to Kubernetes' default (1): print it only when it differs.
      pointer: ['spec', 'replicas'],
      placement: 'first',
      render: { mode: 'line', wrap: (indent, prefix) => `${indent}{{- if ne (${ref} | int64) 1 }}\n${indent}${prefix}{{ ${ref} | int64 }}\n${indent}{{- end }}` },
    });
    return;
  }
  params.push({
    path: replicaPath,
    type: 'integer',
    value: replicas ?? 1,
    minimum: Math.min(1, replicas ?? 1),
    fallback: replicas === undefined,
    description: `Number of pods of ${what}; not rendered while ${autoscalingEnabled.join('.')} is true`,
    schemaDescription: `Number of pods of the ${doc.kind}; not rendered while autoscaling.enabled (beside it) is true`,
  });
  slots.push({
    pointer: ['spec', 'replicas'],
    placement: 'first',
    render: {
      mode: 'line',
      wrap: (indent, prefix) =>
        `${indent}{{- if not ${valuesRef(autoscalingEnabled)} }}\n${indent}${prefix}{{ ${ref} | int64 }}\n${indent}{{- end }}`,
    },
  });
  params.push({
    path: autoscalingEnabled,
    type: 'boolean',
    value: hasHpa,
    description: 'Scale with a HorizontalPodAutoscaler instead of a fixed replicaCount',
  });
}

/**
 * `persistence.size` / `persistence.storageClass` of a StatefulSet's first volumeClaimTemplate.
 * Kubernetes refuses changes to the volumeClaimTemplates of an existing StatefulSet, so they take
 * effect on new installs (or after the StatefulSet is deleted with `--cascade=orphan`).
 */
function claimTemplateValues(doc: KubeObject, section: string[]): Derivation {
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  // The first claim template keeps `persistence` (`value-sections.ts`).
  const prefix = hasClaimTemplates(doc) ? [...section, 'persistence'] : undefined;
  const template = doc.spec?.volumeClaimTemplates?.[0];
  if (!prefix || !template?.spec) return { slots, params };
  const ptr = ['spec', 'volumeClaimTemplates', '0', 'spec'];
  const what = `the claim template ${template.metadata?.name} of the ${doc.metadata?.name} StatefulSet`;
  const immutable = 'Kubernetes refuses changing the volumeClaimTemplates of an existing StatefulSet: it applies to new installs'
    + ' (an installed release keeps its claims; grow them by editing each PersistentVolumeClaim)';
  const size = template.spec.resources?.requests?.storage;
  if (typeof size === 'string') {
    params.push({ path: [...prefix, 'size'], type: 'string', value: size, pattern: STORAGE_SIZE_PATTERN, description: `Storage requested by ${what}, such as 1Gi. ${immutable}` });
    slots.push(valueSlot([...ptr, 'resources', 'requests', 'storage'], [...prefix, 'size'], 'string'));
  }
  const sc = template.spec.storageClassName;
  if (sc === undefined || (typeof sc === 'string' && sc !== '')) {
    const scPath = [...prefix, 'storageClass'];
    params.push({ path: scPath, type: 'string', value: sc ?? '', description: `StorageClass of ${what}; empty for the cluster default. ${immutable}` });
    slots.push({
      pointer: [...ptr, 'storageClassName'],
      placement: 'last',
      render: { mode: 'line', wrap: (i, pfx) => `${i}{{- with ${valuesRef(scPath)} }}\n${i}${pfx}{{ . | quote }}\n${i}{{- end }}` },
    });
  }
  return { slots, params };
}
