/**
 * Internal to `ManifestPolicy`: the rules over any object (API versions, labels). Selectors,
 * Services and Ingresses are in `service-rules.ts`, replicas, autoscalers and disruption budgets
 * in `workload-rules.ts`.
 */
import { family, RuleFamily, show } from './rule-kit';
import { PolicyLevel } from '../policy-types';

/** The only version of each built-in API group that Kubernetes 1.28 serves for web-app objects. */
const STABLE_VERSIONS: { [group: string]: string } = {
  'apps': 'apps/v1',
  'networking.k8s.io': 'networking.k8s.io/v1',
  'policy': 'policy/v1',
  'autoscaling': 'autoscaling/v2',
  'batch': 'batch/v1',
  'rbac.authorization.k8s.io': 'rbac.authorization.k8s.io/v1',
  'extensions': '(none: extensions/* is gone)',
};
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_PLACES: Array<[string, (raw: any) => unknown]> = [
  ['metadata.labels', (raw) => raw.metadata?.labels],
  ['spec.template.metadata.labels', (raw) => raw.spec?.template?.metadata?.labels],
  ['spec.jobTemplate.metadata.labels', (raw) => raw.spec?.jobTemplate?.metadata?.labels],
  ['spec.jobTemplate.spec.template.metadata.labels', (raw) => raw.spec?.jobTemplate?.spec?.template?.metadata?.labels],
];

export const OBJECT_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'stable-api-versions',
    level: PolicyLevel.WARNING,
    description: 'objects use apps/v1, networking.k8s.io/v1, policy/v1, autoscaling/v2, batch/v1, rbac.authorization.k8s.io/v1',
    object: (obj, at) => {
      const apiVersion = obj.apiVersion;
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
      // Own keys only: a group named like an Object member ("constructor/v1") has no stable version.
      const stable = Object.prototype.hasOwnProperty.call(STABLE_VERSIONS, group) ? STABLE_VERSIONS[group] : undefined;
      if (stable !== undefined && apiVersion !== stable) at.report('apiVersion', `apiVersion ${apiVersion} is not the stable version; use ${stable}`);
    },
  },
  {
    id: 'label-values-valid',
    level: PolicyLevel.WARNING,
    description: 'label values are valid label values',
    object: (obj, at) => {
      for (const [path, labelsOf] of LABEL_PLACES) {
        const labels = labelsOf(obj.raw);
        for (const [k, v] of Object.entries(labels && typeof labels === 'object' ? labels : {})) {
          const value = typeof v === 'string' ? v : undefined;
          if (value !== undefined && value.length <= 63 && LABEL_VALUE.test(value)) continue;
          at.report(`${path}.${k}`,
            `label value ${show(v)} is not a valid label value (a string of at most 63 alphanumerics, "-", "_" and ".", starting and ending alphanumeric)`);
        }
      }
    },
  },
]);
