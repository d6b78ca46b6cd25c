/**
 * The ServiceAccount of a workload's pods (`helm create`'s `serviceAccount.*`): `create`, `name`,
 * `annotations` and `automountServiceAccountToken` per workload section. A ServiceAccount of the
 * plain YAML that the pods run as renders while `serviceAccount.create` is true; for pods that name
 * none of the chart's, the chart adds one of its own (off by default, so the default render is the
 * plain YAML).
 */
import { KubeObject, ObjectMeta, PodSpecShape, PodTemplateRef } from '../../../../manifests';
import { pointerOf } from '../../model/json-pointers';
import { ParamSpec, Slot } from '../../model/template-model';
import { dottedPath, valuesRef, valueSlot } from '../../model/values-paths';
import { AddedObject, Derivation, Deriver, ReleaseContext, nothing } from '../deriver';
import { STRING_MAP, param } from '../slot-kit';

/** The ServiceAccount a workload's pods run as, and the one the chart may create for them. */
export interface ServiceAccountPlan {
  /** The plain ServiceAccount object of the chart the pods name, if any. */
  readonly held?: KubeObject;
  /** The values prefix (`[..., 'serviceAccount']`). */
  readonly prefix: string[];
  /** Go expression of the name a created ServiceAccount gets. */
  readonly createdName: string;
}

/** The ServiceAccount plan of a workload (section `p`). */
export function serviceAccountPlan(ctx: ReleaseContext, doc: KubeObject, pod: PodTemplateRef, p: string[]): ServiceAccountPlan {
  const spec: PodSpecShape = pod.spec;
  const plainName = spec.serviceAccountName ?? spec.serviceAccount;
  const held = typeof plainName === 'string' ? ctx.layout.set.find('ServiceAccount', plainName, pod.obj.namespace)?.raw as KubeObject | undefined : undefined;
  const prefix = [...p, 'serviceAccount'];
  const base = String((held ?? doc).metadata?.name);
  return { held, prefix, createdName: `(${ctx.release.expr(base, 'ServiceAccount')})` };
}

/** The values of the pods' ServiceAccount (section `p`) and the slots of the pod spec that read them. */
export function serviceAccountValues(ctx: ReleaseContext, doc: KubeObject, pod: PodTemplateRef, p: string[]): Derivation {
  const plan = serviceAccountPlan(ctx, doc, pod, p);
  const s = plan.prefix;
  const spec: PodSpecShape = pod.spec;
  const specPtr = pointerOf(pod.specPath);
  const plainName = spec.serviceAccountName ?? spec.serviceAccount;
  const automount = spec.automountServiceAccountToken;
  const params: ParamSpec[] = [
    param([...s, 'create'], 'boolean', plan.held !== undefined, 'Create a ServiceAccount for the pods (named serviceAccount.name, or after the workload)'),
    param([...s, 'name'], 'string', '', 'ServiceAccount the pods run as; empty: the created one, else the plain one (or the namespace\'s default)',
      { pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$' }),
    param([...s, 'annotations'], 'object', {}, 'Annotations of the ServiceAccount the chart creates (such as a cloud IAM role), while serviceAccount.create is true', STRING_MAP),
    param([...s, 'automountServiceAccountToken'], 'boolean', typeof automount === 'boolean' ? automount : true,
      'Mount the ServiceAccount\'s API token into the pods (restricted pods need none)'),
  ];
  const ref = (k: string) => valuesRef([...s, k]);
  let plainExpr = '""';
  if (typeof plainName === 'string') plainExpr = ctx.release.has(plainName, 'ServiceAccount') ? `(${ctx.release.expr(plainName, 'ServiceAccount')})` : JSON.stringify(plainName);
  const nameExpr = `${ref('name')} | default (ternary ${plan.createdName} ${plainExpr} ${ref('create')})`;
  const soft = { params: params.map((x) => dottedPath(x.path)) };
  const key = spec.serviceAccountName !== undefined || spec.serviceAccount === undefined ? 'serviceAccountName' : 'serviceAccount';
  const slots: Slot[] = [{
    pointer: [...specPtr, key],
    placement: 'last',
    soft,
    render: { mode: 'line', wrap: (i) => `${i}{{- with ${nameExpr} }}\n${i}${key}: {{ . | quote }}\n${i}{{- end }}` },
  }];
  if (typeof automount === 'boolean') {
    slots.push({ pointer: [...specPtr, 'automountServiceAccountToken'], soft, render: { mode: 'inline', expr: `{{ ${ref('automountServiceAccountToken')} }}` } });
  } else {
    slots.push({
      pointer: [...specPtr, 'automountServiceAccountToken'],
      placement: 'last',
      soft,
      render: { mode: 'line', wrap: (i) => `${i}{{- if not ${ref('automountServiceAccountToken')} }}\n${i}automountServiceAccountToken: false\n${i}{{- end }}` },
    });
  }
  return { slots, params };
}

/** The labels a created ServiceAccount takes from its workload. */
const CREATED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/part-of', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by'];

/** A ServiceAccount for a workload whose pods name none of the chart's: rendered while `serviceAccount.create` is true. */
export function createdServiceAccount(workload: KubeObject, podSpec: PodSpecShape, s: string[], createdName: string): AddedObject {
  const labels = Object.fromEntries(Object.entries(workload.metadata?.labels ?? {}).filter(([k]) => CREATED_LABELS.includes(k)));
  const metadata: ObjectMeta = workload.metadata?.namespace !== undefined
    ? { name: workload.metadata?.name, labels, namespace: workload.metadata.namespace }
    : { name: workload.metadata?.name, labels };
  const doc: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: podSpec.automountServiceAccountToken ?? true };
  const ref = (k: string) => valuesRef([...s, k]);
  return {
    doc,
    derivation: {
      slots: [
        { pointer: ['metadata', 'name'], render: { mode: 'inline', expr: `{{ ${ref('name')} | default ${createdName} | quote }}` } },
        valueSlot(['automountServiceAccountToken'], [...s, 'automountServiceAccountToken'], 'boolean'),
      ],
      params: [],
      annotations: { map: ref('annotations'), params: [] },
      condition: ref('create'),
    },
  };
}

/**
 * A ServiceAccount of the plain YAML that a workload's pods run as: rendered while that workload's
 * `serviceAccount.create` is true, named `serviceAccount.name` (default: the release's name for it),
 * with `serviceAccount.annotations` added.
 */
export const deriveServiceAccount: Deriver = ({ doc, ctx, values }) => {
  if (!values.owner) return nothing();
  const s = [...values.section, 'serviceAccount'];
  const name = valuesRef([...s, 'name']);
  return {
    slots: [
      { pointer: ['metadata', 'name'], render: { mode: 'inline', expr: `{{ ${name} | default (${ctx.release.expr(String(doc.metadata?.name), 'ServiceAccount')}) | quote }}` } },
    ],
    annotations: { map: valuesRef([...s, 'annotations']), params: [dottedPath([...s, 'annotations'])] },
    params: [],
    condition: valuesRef([...s, 'create']),
  };
};
