/**
 * Internal to `ManifestPolicy`: `object-unique`. Two objects of one identity (API group, kind,
 * namespace, name) are one object to the API server: `kubectl apply` keeps only the last, and a
 * Helm chart cannot hold both. Reported on each later object, naming the first.
 */
import { Report } from './rule-kit';
import { identityText } from '../../core/object-identity';
import { ManifestSet } from '../../manifests';

/** Runs `object-unique`. */
export function checkUniqueObjects(index: ManifestSet, report: Report): void {
  for (const { first, again } of index.duplicates()) {
    report(again, 'object-unique', 'metadata.name',
      `${identityText(again.kind, again.namespace, again.name)} is in the input twice (an earlier object has the same API group, kind, namespace and name): `
      + 'kubectl apply keeps only the last, a Helm chart cannot hold both; rename or remove one', first);
  }
}
