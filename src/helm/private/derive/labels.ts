/**
 * Labels that follow values, as a Helm user expects:
 *
 * - `environment: development|staging|production` renders the top-level value `environment`;
 * - `app.kubernetes.io/version` (and a plain `version` label) renders the image tag of the workload
 *   the object belongs to (the workload itself, its pod template, Services, HPA, PDB, NetworkPolicies,
 *   Ingress, claims, ConfigMaps and Secrets, see `Layout.owner`), as the tag itself or as `v<tag>`.
 *
 * Only object labels and pod-template labels are linked, never selectors; a pod-template label whose
 * key some selector uses stays as it is (selectors are immutable and must keep matching the pods).
 * Each link is named (`Slot.link`); `environment-merge.ts` keeps a link only when every environment holding the
 * object links that label the same way, so a label that merely happens to equal the tag in one
 * environment stays literal text.
 */
import { parseImageReference } from '../../../core/rules/image-reference';
import { KubeObject, PodSpecShape, podSpecOf } from '../../../manifests';
import { getAt } from '../model/json-pointers';
import { ParamSpec, Slot } from '../model/template-model';
import { dottedPath, valuesRef } from '../model/values-paths';
import { ValuesSection, WORKLOAD_KINDS } from '../value-sections';

/** The values of the `environment` value (the seed's deployment environments). */
export const ENVIRONMENT_NAMES = ['development', 'staging', 'production'];
/** Path of the `environment` value. */
export const ENVIRONMENT_PATH = ['environment'];

const ENVIRONMENT_LABEL = 'environment';
/** Labels that name the version of what runs: the recommended one, and the plain `version` pod label (Istio, Rescan). */
const VERSION_LABELS = ['app.kubernetes.io/version', 'version'];

/** What the links of one object add to its plan. */
export interface LabelLinks {
  readonly slots: Slot[];
  readonly params: ParamSpec[];
}

/**
 * Calls `visit` with every label selector of an object: each `matchLabels` map and each
 * `matchExpressions` list anywhere in its spec, and a Service's selector (as a map).
 */
export function visitSelectors(doc: KubeObject,
  visit: (matchLabels: { [key: string]: unknown } | undefined, expressions: unknown[] | undefined) => void): void {
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const fields = v as Record<string, unknown>;
    // Keys, not entries: this reads every field of every object.
    for (const k of Object.keys(fields)) {
      const child = fields[k];
      if (k === 'matchLabels' && child && typeof child === 'object' && !Array.isArray(child)) visit(child as { [key: string]: unknown }, undefined);
      else if (k === 'matchExpressions' && Array.isArray(child)) visit(undefined, child);
      walk(child);
    }
  };
  walk(doc?.spec);
  const selector = doc?.kind === 'Service' ? doc.spec?.selector : undefined;
  if (selector && typeof selector === 'object' && !Array.isArray(selector)) visit(selector, undefined);
}

/** The label selectors of one object (`visitSelectors`): its matchLabels maps (and a Service's selector) and matchExpressions lists. */
export interface ObjectSelectors {
  readonly maps: readonly { [key: string]: unknown }[];
  readonly expressions: readonly unknown[][];
}

/** Reads the selectors of an object (this walks its whole spec: the chart reads each object's once). */
export function objectSelectors(doc: KubeObject): ObjectSelectors {
  const maps: { [key: string]: unknown }[] = [];
  const expressions: unknown[][] = [];
  visitSelectors(doc, (matchLabels, list) => {
    if (matchLabels) maps.push(matchLabels);
    if (list) expressions.push(list);
  });
  return { maps, expressions };
}

/** Keys used by any label selector (matchLabels, matchExpressions, a Service's selector) among the objects' selectors. */
export function selectorLabelKeys(selectors: Iterable<ObjectSelectors>): Set<string> {
  const keys = new Set<string>();
  for (const { maps, expressions } of selectors) {
    for (const matchLabels of maps) Object.keys(matchLabels).forEach((x) => keys.add(x));
    for (const list of expressions) {
      list.forEach((e) => typeof (e as { key?: unknown } | null)?.key === 'string' && keys.add((e as { key: string }).key));
    }
  }
  return keys;
}

/** The image tag of a workload's first container (whose values live at `prefix`) and the value that holds it, if any. */
function workloadTag(workload: KubeObject, prefix: string[]): { tag: string; path: string[] } | undefined {
  const spec: PodSpecShape | undefined = podSpecOf(workload);
  const image = spec?.containers?.[0]?.image;
  const parts = typeof image === 'string' ? parseImageReference(image) : undefined;
  if (!parts?.tag) return undefined;
  return { tag: parts.tag, path: [...prefix, 'image', 'tag'] };
}

/**
 * The label slots (and the `environment` value) of one object; `owner` is the workload it belongs
 * to, whose values live at `ownerPrefix` (its section).
 */
export function labelLinks(doc: KubeObject, owner: ValuesSection['owner'], ownerPrefix: string[], selectorKeys: Set<string>): LabelLinks {
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const maps: { pointer: string[]; pod: boolean }[] = [{ pointer: ['metadata', 'labels'], pod: false }];
  if (WORKLOAD_KINDS.includes(doc.kind)) maps.push({ pointer: ['spec', 'template', 'metadata', 'labels'], pod: true });
  const version = owner ? workloadTag(owner, ownerPrefix) : undefined;

  for (const { pointer, pod } of maps) {
    const found = getAt(doc, pointer);
    if (!found || typeof found !== 'object') continue;
    const labels = found as Record<string, unknown>;
    const linkable = (key: string) => typeof labels[key] === 'string' && !(pod && selectorKeys.has(key));

    const environment = labels[ENVIRONMENT_LABEL];
    if (linkable(ENVIRONMENT_LABEL) && typeof environment === 'string' && ENVIRONMENT_NAMES.includes(environment)) {
      const link = `${[...pointer, ENVIRONMENT_LABEL].join('/')}=environment`;
      slots.push({
        pointer: [...pointer, ENVIRONMENT_LABEL],
        render: { mode: 'inline', expr: `{{ ${valuesRef(ENVIRONMENT_PATH)} | quote }}` },
        link,
      });
      params.push({
        path: ENVIRONMENT_PATH,
        type: 'string',
        value: environment,
        enum: ENVIRONMENT_NAMES,
        description: 'Environment of the release, rendered as the `environment` label',
        link,
      });
    }

    for (const key of VERSION_LABELS) {
      if (!version || !linkable(key)) continue;
      const ref = valuesRef(version.path);
      const label = labels[key];
      const prefixed = label === `v${version.tag}`;
      if (label !== version.tag && !prefixed) continue;
      slots.push({
        pointer: [...pointer, key],
        render: { mode: 'inline', expr: prefixed ? `{{ printf "v%s" ${ref} | quote }}` : `{{ ${ref} | quote }}` },
        link: `${[...pointer, key].join('/')}=${prefixed ? 'v' : ''}${dottedPath(version.path)}`,
      });
    }
  }
  return { slots, params };
}
