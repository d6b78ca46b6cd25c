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
 * Each link is named (`Slot.link`); `merge.ts` keeps a link only when every environment holding the
 * object links that label the same way, so a label that merely happens to equal the tag in one
 * environment stays literal text.
 */
import { parseImageReference } from '../../../core/rules/image-reference';
import { podSpecOf } from '../../../manifests';
import { ParamSpec, Slot, dottedPath, valuesRef } from '../template-model';
import { Layout, WORKLOAD_KINDS } from '../value-sections';

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

/** Keys used by any label selector (matchLabels, matchExpressions, a Service's selector) among the objects. */
export function selectorLabelKeys(docs: any[]): Set<string> {
  const keys = new Set<string>();
  const walk = (v: any): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      if (k === 'matchLabels' && child && typeof child === 'object') Object.keys(child).forEach((x) => keys.add(x));
      if (k === 'matchExpressions' && Array.isArray(child)) child.forEach((e: any) => typeof e?.key === 'string' && keys.add(e.key));
      walk(child);
    }
  };
  for (const doc of docs) {
    walk(doc?.spec);
    if (doc?.kind === 'Service' && doc.spec?.selector && typeof doc.spec.selector === 'object') {
      Object.keys(doc.spec.selector).forEach((x) => keys.add(x));
    }
  }
  return keys;
}

/** The image tag of a workload's first container and the value that holds it, if any. */
function workloadTag(workload: any, layout: Layout): { tag: string; path: string[] } | undefined {
  const image = podSpecOf(workload)?.containers?.[0]?.image;
  const parts = typeof image === 'string' ? parseImageReference(image) : undefined;
  if (!parts?.tag) return undefined;
  return { tag: parts.tag, path: [...layout.prefix(workload), 'image', 'tag'] };
}

/** The label slots (and the `environment` value) of one object. */
export function labelLinks(doc: any, layout: Layout, selectorKeys: Set<string>): LabelLinks {
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const maps: { pointer: string[]; pod: boolean }[] = [{ pointer: ['metadata', 'labels'], pod: false }];
  if (WORKLOAD_KINDS.includes(doc.kind)) maps.push({ pointer: ['spec', 'template', 'metadata', 'labels'], pod: true });
  const owner = layout.owner(doc);
  const version = owner ? workloadTag(owner, layout) : undefined;

  for (const { pointer, pod } of maps) {
    let labels: any = doc;
    for (const seg of pointer) labels = labels?.[seg];
    if (!labels || typeof labels !== 'object') continue;
    const linkable = (key: string) => typeof labels[key] === 'string' && !(pod && selectorKeys.has(key));

    if (linkable(ENVIRONMENT_LABEL) && ENVIRONMENT_NAMES.includes(labels[ENVIRONMENT_LABEL])) {
      const link = `${[...pointer, ENVIRONMENT_LABEL].join('/')}=environment`;
      slots.push({
        pointer: [...pointer, ENVIRONMENT_LABEL],
        render: { mode: 'inline', expr: `{{ ${valuesRef(ENVIRONMENT_PATH)} | quote }}` },
        link,
      });
      params.push({
        path: ENVIRONMENT_PATH,
        type: 'string',
        value: labels[ENVIRONMENT_LABEL],
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
