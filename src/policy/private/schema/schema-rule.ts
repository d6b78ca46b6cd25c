/**
 * Internal to `PolicyCheck`: the schema rule, whose check is the strict schema validator. It reads
 * the object as given (nulls included): a null is fine for an optional field, an error where a value
 * is required.
 */
import { checkSchema } from './k8s-schema';
import { PolicyLevel } from '../../policy-types';
import { family, RuleFamily } from '../rule-kit';

export const SCHEMA_RULES = family(RuleFamily.SCHEMA, [
  {
    id: 'k8s-schema',
    level: PolicyLevel.ERROR,
    description: 'the object is valid against the schema of the Kubernetes version checked (1.28 by default, or 1.34) made strict (unknown fields refused; null for an optional field is unset, as the API server reads it), or its shipped CRD',
    object: (obj, at) => {
      const result = checkSchema(obj.given, at.tuning.kubernetesVersion);
      if (result.skipped) {
        at.skip('custom resource of a kind whose CRD the library does not ship: not validated');
        return;
      }
      for (const p of result.problems) at.report(p.path, p.message);
    },
  },
]);
