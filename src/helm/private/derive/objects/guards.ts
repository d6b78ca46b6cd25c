/**
 * NetworkPolicies and PodDisruptionBudgets: one chart-wide switch per kind (`networkPolicy.enabled`,
 * `pdb.enabled`), and settings per workload section:
 *
 * - `networkPolicy.extraIngress` / `extraEgress`: rules appended to the policies of the workload;
 *   `networkPolicy.allowTests` (chart-wide) admits the `helm test` pod, for clusters that enforce
 *   NetworkPolicies; the namespaces the policies name are values too (see `release/known-kinds.ts`);
 * - `pdb.minAvailable` / `pdb.maxUnavailable`: a number or a percentage ("50%"), empty for none;
 *   `minAvailable` wins when both are set (Kubernetes refuses both).
 */
import { ObjectSpec } from '../../../../manifests';
import { ParamSpec, Slot } from '../../model/template-model';
import { dottedPath, valuesRef } from '../../model/values-paths';
import { Deriver } from '../deriver';
import { entriesOf } from '../slot-kit';

/** Labels of the `helm test` pod (`files/test-hook.ts`), which `networkPolicy.allowTests` admits. */
export const TEST_COMPONENT = 'helm-test';

const RULES = { items: { type: 'object' } };

/** The rules a policy direction gets after the plain ones: the extra values, and for ingress the test pod. */
function extraRules(ref: string, allowTests: string | undefined, instanceExpr: string): (i: string) => string {
  return (i) => {
    const lines = [entriesOf(i, ref)];
    if (allowTests) {
      lines.push(
        `${i}{{- if ${allowTests} }}`,
        `${i}- from:`,
        `${i}    - podSelector:`,
        `${i}        matchLabels:`,
        `${i}          app.kubernetes.io/component: ${TEST_COMPONENT}`,
        `${i}          app.kubernetes.io/instance: {{ ${instanceExpr} | quote }}`,
        `${i}{{- end }}`,
      );
    }
    return lines.join('\n');
  };
}

/** A slot appending `rules` to `spec[key]`, or adding the field when the policy has none and there is something to add. */
function appendRules(spec: ObjectSpec, key: 'ingress' | 'egress', rules: (i: string) => string, anyRule: string, params: string[]): Slot {
  const list = spec?.[key];
  if (Array.isArray(list) && list.length > 0) {
    return { pointer: ['spec', key, String(list.length)], soft: { params }, render: { mode: 'line', wrap: rules } };
  }
  const keyed = (i: string) => `${i}{{- if ${anyRule} }}\n${i}${key}:\n${rules(`${i}  `)}`;
  if (Array.isArray(list)) {
    return { pointer: ['spec', key], soft: { params }, render: { mode: 'wrap', wrap: (i, _p, original) => `${keyed(i)}\n${i}{{- else }}\n${original}\n${i}{{- end }}` } };
  }
  return { pointer: ['spec', key], placement: 'last', soft: { params }, render: { mode: 'line', wrap: (i) => `${keyed(i)}\n${i}{{- end }}` } };
}

/** A NetworkPolicy: the chart-wide switch, and rules the workload's section adds; it goes into the file of the workload it selects. */
export const deriveNetworkPolicy: Deriver = ({ doc, ctx, values }) => {
  const p = [...values.section, 'networkPolicy'];
  const allowTests = valuesRef(['networkPolicy', 'allowTests']);
  const params: ParamSpec[] = [
    { path: ['networkPolicy', 'enabled'], type: 'boolean', value: true, toggleOff: false, description: 'Render the NetworkPolicies' },
    { path: ['networkPolicy', 'allowTests'], type: 'boolean', value: false, description: 'Admit the `helm test` pod in every NetworkPolicy (needed for `helm test` where NetworkPolicies are enforced)' },
  ];
  const slots: Slot[] = [];
  const spec = doc.spec ?? {};
  const types: readonly string[] = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  const instance = ctx.release.releaseInstanceExpr();
  if (types.includes('Ingress') || spec.ingress !== undefined || types.length === 0) {
    const ref = valuesRef([...p, 'extraIngress']);
    params.push({ path: [...p, 'extraIngress'], type: 'array', value: [], description: 'Ingress rules added to the NetworkPolicies of the workload', schema: RULES });
    slots.push(appendRules(spec, 'ingress', extraRules(ref, allowTests, instance), `or ${ref} ${allowTests}`, [dottedPath([...p, 'extraIngress'])]));
  }
  if (types.includes('Egress') || spec.egress !== undefined) {
    const ref = valuesRef([...p, 'extraEgress']);
    params.push({ path: [...p, 'extraEgress'], type: 'array', value: [], description: 'Egress rules added to the NetworkPolicies of the workload', schema: RULES });
    slots.push(appendRules(spec, 'egress', extraRules(ref, undefined, instance), ref, [dottedPath([...p, 'extraEgress'])]));
  }
  return { slots, params, condition: valuesRef(['networkPolicy', 'enabled']), companionOf: values.owner };
};

/**
 * A budget: an integer count, or a percentage string up to 100% ("" for none). A quoted count ("1")
 * is refused: the API server takes a string only as a percentage.
 */
const BUDGET_SCHEMA = { type: ['integer', 'string'], minimum: 0, pattern: '^(0*(100|[1-9]?[0-9])%)?$' };

/** A PodDisruptionBudget: the chart-wide switch and its budget; it goes into the file of the workload it selects. */
export const derivePdb: Deriver = ({ doc, values }) => {
  const p = values.prefix;
  const spec = doc.spec ?? {};
  const plain = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? v : '');
  const params: ParamSpec[] = [
    { path: ['pdb', 'enabled'], type: 'boolean', value: true, toggleOff: false, description: 'Render the PodDisruptionBudgets' },
    { path: [...p, 'minAvailable'], type: 'string', value: plain(spec.minAvailable), schema: BUDGET_SCHEMA, description: 'Pods the PodDisruptionBudget keeps available: an integer (--set, not --set-string) or a percentage such as "50%"; wins over maxUnavailable; empty for none' },
    { path: [...p, 'maxUnavailable'], type: 'string', value: plain(spec.maxUnavailable), schema: BUDGET_SCHEMA, description: 'Pods the PodDisruptionBudget lets be unavailable: an integer (--set, not --set-string) or a percentage such as "50%"; empty for none' },
  ];
  const min = valuesRef([...p, 'minAvailable']);
  const max = valuesRef([...p, 'maxUnavailable']);
  const block = (i: string) => [
    `${i}{{- if ne (toString ${min}) "" }}`,
    `${i}minAvailable: {{ ${min} | toJson }}`,
    `${i}{{- else if ne (toString ${max}) "" }}`,
    `${i}maxUnavailable: {{ ${max} | toJson }}`,
    `${i}{{- end }}`,
  ].join('\n');
  const slots: Slot[] = [];
  const present = (['minAvailable', 'maxUnavailable'] as const).filter((k) => spec[k] !== undefined);
  slots.push({ pointer: ['spec', present[0] ?? 'minAvailable'], placement: present.length === 0 ? 'first' : undefined, render: { mode: 'line', wrap: block } });
  if (present.length > 1) slots.push({ pointer: ['spec', present[1]], render: { mode: 'line', wrap: () => '' } });
  return { slots, params, condition: valuesRef(['pdb', 'enabled']), companionOf: values.owner };
};
