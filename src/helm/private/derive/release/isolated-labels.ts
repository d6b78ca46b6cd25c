/**
 * Labels a release other than the plain one prints from its name.
 *
 * The plain release renders the plain YAML, selectors included. A selector there that does not name
 * the instance label (`app: rescan`, cdk8s-plus's `cdk8s.io/metadata.addr`) selects whatever carries
 * its labels in the namespace, so it would select the pods of every other release of the chart beside
 * it (a Service sending them traffic, a PodDisruptionBudget counting them). Another release therefore
 * prints the values of those selectors' keys from its name (`app: alpha-rescan`), in every label map
 * and every selector of the chart's objects, so its objects still select one another and never match
 * the plain release's selectors.
 */
import { KubeObject, StringMap, objectRef, podTemplateOf } from '../../../../manifests';
import { INSTANCE_LABEL } from '../../release-names';
import { ObjectSelectors } from '../labels';

function isStringMap(v: unknown): v is StringMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The label keys of the selectors (of every environment's objects) that select some object or pod of
 * the chart in their namespace without naming the instance label. `selectorsOf`: an object's
 * selectors (`objectSelectors`), each `matchLabels` anywhere in its spec and a Service's selector.
 */
export function isolatedLabelKeys(docs: readonly KubeObject[], selectorsOf: (doc: KubeObject) => ObjectSelectors): Set<string> {
  // The label maps of the chart's objects and pods, by namespace, then by their entries.
  const labelled = new Map<string, Map<string, StringMap[]>>();
  const addLabels = (namespace: string, labels: unknown) => {
    if (!isStringMap(labels)) return;
    const byEntry = labelled.get(namespace) ?? new Map<string, StringMap[]>();
    labelled.set(namespace, byEntry);
    for (const [k, v] of Object.entries(labels)) {
      const entry = `${k}=${v}`;
      const maps = byEntry.get(entry);
      if (maps) maps.push(labels);
      else byEntry.set(entry, [labels]);
    }
  };
  for (const d of docs) {
    const namespace = d?.metadata?.namespace ?? '';
    addLabels(namespace, d?.metadata?.labels);
    const ref = objectRef(d);
    const pod = ref && podTemplateOf(ref);
    if (pod) addLabels(namespace, pod.labels);
  }
  const keys = new Set<string>();
  for (const d of docs) {
    const byEntry = labelled.get(d?.metadata?.namespace ?? '');
    if (!byEntry) continue;
    for (const selector of selectorsOf(d).maps) {
      if (!isStringMap(selector)) continue;
      const entries = Object.entries(selector);
      if (entries.length === 0 || selector[INSTANCE_LABEL] !== undefined) continue;
      // The maps that hold the selector's rarest entry are the only ones it may select.
      let fewest: StringMap[] | undefined;
      for (const [k, v] of entries) {
        const maps = byEntry.get(`${k}=${v}`) ?? [];
        if (fewest === undefined || maps.length < fewest.length) fewest = maps;
      }
      const selects = fewest!.some((labels) => entries.every(([k, v]) => labels[k] === v));
      if (selects) for (const [k] of entries) keys.add(k);
    }
  }
  return keys;
}
