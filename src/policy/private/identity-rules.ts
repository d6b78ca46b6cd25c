/**
 * Internal to `ManifestPolicy`: `object-unique`. Two objects of one identity (API group, kind,
 * namespace, name) are one object to the API server: `kubectl apply` keeps only the last, and a
 * Helm chart cannot hold both. Reported on each later object, naming the first.
 */
import { family, RuleFamily } from './rule-kit';
import { identityText } from '../../core/object-identity';
import { PolicyLevel } from '../policy-types';

export const IDENTITY_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'object-unique',
    level: PolicyLevel.ERROR,
    description: 'each object (API group, kind, namespace and name) appears once: kubectl apply keeps only the last of two, a Helm chart cannot hold both',
    set: (index, at) => {
      for (const { first, again } of index.duplicates()) {
        at.report(again, 'metadata.name',
          `${identityText(again.kind, again.namespace, again.name)} is in the input twice (an earlier object has the same API group, kind, namespace and name): `
          + 'kubectl apply keeps only the last, a Helm chart cannot hold both; rename or remove one', first);
      }
    },
  },
]);
