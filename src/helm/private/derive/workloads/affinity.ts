/**
 * The pods' affinity: `affinity` (empty by default; when set it replaces the plain one) and, for a
 * workload whose pods some environment spreads over nodes the way cdk8s-deploykit's workloads do from
 * 2 replicas on (one preferred anti-affinity term of weight 100 on `kubernetes.io/hostname` for the
 * workload's own pods), Bitnami's `podAntiAffinityPreset`: `soft` renders that term, `hard` requires
 * it, empty renders none. Each environment's values file sets the preset its objects have, so a
 * development environment of 1 replica and a production one of 3 share one template; the term's
 * selector follows the release like every selector.
 */
import { KubeObject, PodSpecShape, StringMap } from '../../../../manifests';
import { docKey, jsonEqual } from '../../model/json-pointers';
import { ParamSpec, Slot } from '../../model/template-model';
import { dottedPath, valuesRef } from '../../model/values-paths';
import { PRIMARY_KINDS } from '../../value-sections';
import { Derivation, ReleaseContext } from '../deriver';
import { param, replaceWhenSet } from '../slot-kit';

const HOST_TOPOLOGY = 'kubernetes.io/hostname';
const SPREAD_WEIGHT = 100;
const PRESETS = ['', 'soft', 'hard'];

/** The selector labels of a workload that could spread its pods, if it is one. */
function spreadSelector(doc: KubeObject): StringMap | undefined {
  const labels = doc.spec?.selector?.matchLabels;
  return PRIMARY_KINDS.includes(doc.kind) && labels && Object.keys(labels).length > 0 ? labels : undefined;
}

/** The pod term of the spread: pods with the workload's selector labels, one per node. */
function spreadTerm(labels: StringMap): Record<string, unknown> {
  return { labelSelector: { matchLabels: { ...labels } }, topologyKey: HOST_TOPOLOGY };
}

/** The affinity of pods spread over nodes as cdk8s-deploykit's workloads are (soft). */
function softSpread(labels: StringMap): Record<string, unknown> {
  return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ podAffinityTerm: spreadTerm(labels), weight: SPREAD_WEIGHT }] } };
}

/** Whether a workload's pods are spread over nodes exactly as cdk8s-deploykit's workloads spread them. */
function isHostSpread(doc: KubeObject): boolean {
  const labels = spreadSelector(doc);
  return labels !== undefined && jsonEqual(doc.spec?.template?.spec?.affinity, softSpread(labels));
}

/** The workloads (`Kind/namespace/name`) whose pods some environment spreads over nodes. */
export function hostSpreadWorkloads(environments: readonly (readonly KubeObject[])[]): Set<string> {
  const out = new Set<string>();
  for (const docs of environments) for (const d of docs) if (isHostSpread(d)) out.add(docKey(d));
  return out;
}

/** The `affinity` values of a workload's pods (section `p`, pod spec at `specPtr`). */
export function affinityValues(ctx: ReleaseContext, doc: KubeObject, spec: PodSpecShape, specPtr: string[], p: string[]): Derivation {
  const v = valuesRef([...p, 'affinity']);
  const labels = spreadSelector(doc);
  const preset = labels && ctx.hostSpread.has(docKey(doc)) && (spec.affinity === undefined || isHostSpread(doc));
  if (!labels || !preset) {
    return {
      params: [param([...p, 'affinity'], 'object', {}, 'Affinity of the pods; when set it replaces the plain affinity')],
      slots: [replaceWhenSet(spec, specPtr, 'affinity', v, [dottedPath([...p, 'affinity'])])],
    };
  }
  const presetPath = [...p, 'podAntiAffinityPreset'];
  const ref = valuesRef(presetPath);
  const soft = { params: [dottedPath([...p, 'affinity']), dottedPath(presetPath)] };
  const at = [...specPtr, 'affinity'];
  const anti = [...at, 'podAntiAffinity'];
  const when = (value: string) => (i: string, _prefix: string, original: string) => `${i}{{- if eq ${ref} "${value}" }}\n${original}\n${i}{{- end }}`;
  const params: ParamSpec[] = [
    param([...p, 'affinity'], 'object', {}, 'Affinity of the pods; when set it replaces the plain affinity and podAntiAffinityPreset'),
    {
      path: presetPath,
      type: 'string',
      value: isHostSpread(doc) ? 'soft' : '',
      enum: PRESETS,
      description: 'Spread the pods over nodes (one per node): "soft" prefers it (what the plain YAML has from 2 replicas on), "hard" requires it, "" renders none',
    },
  ];
  const slots: Slot[] = [
    {
      pointer: at,
      // First in the pod spec, where the plain YAML has it (affinity sorts first): the same text whether or not an environment has it.
      placement: 'first',
      soft,
      render: {
        mode: 'wrap',
        wrap: (i, prefix, original) => [
          `${i}{{- if ${v} }}`,
          `${i}${prefix.trimEnd()} {{- toYaml ${v} | nindent ${i.length + 2} }}`,
          `${i}{{- else if ${ref} }}`,
          original,
          `${i}{{- end }}`,
        ].join('\n'),
      },
    },
    { pointer: [...anti, 'preferredDuringSchedulingIgnoredDuringExecution'], soft, render: { mode: 'wrap', wrap: when('soft') } },
    { pointer: [...anti, 'requiredDuringSchedulingIgnoredDuringExecution'], soft, render: { mode: 'wrap', wrap: when('hard') } },
  ];
  // Every environment's template holds both forms, whatever its objects have: the preset picks one.
  const both = { ...softSpread(labels) };
  both.podAntiAffinity = {
    ...(both.podAntiAffinity as Record<string, unknown>),
    requiredDuringSchedulingIgnoredDuringExecution: [spreadTerm(labels)],
  };
  return { params, slots, fields: [{ pointer: at, value: both }] };
}
