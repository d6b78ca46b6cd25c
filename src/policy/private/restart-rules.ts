/**
 * Internal to `ManifestPolicy`: the rules over what a Kubernetes version's API server does with a
 * container's `restartPolicy` and `restartPolicyRules` without refusing the object (it drops the
 * field where a feature gate is off by default; what it refuses is the schema rule's, in
 * `schema/pod-validation.ts`, whose `restartFieldFates` both read).
 */
import { family, RuleFamily, show, text } from './rule-kit';
import { PolicyLevel } from '../policy-types';
import { restartFieldFates } from './schema/pod-validation';
import { FEATURE_GATE_HISTORY, featureGates, gateText, sidecarVersionsText } from './schema/versions';

const SIDECARS_FROM = FEATURE_GATE_HISTORY.SidecarContainers.onFrom;

export const RESTART_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'native-sidecar-supported',
    level: PolicyLevel.ERROR,
    description: `native sidecars (init containers with restartPolicy: Always) only where the Kubernetes version checked runs them (${SIDECARS_FROM} and later; 1.28 drops the field, and the sidecar, now an ordinary init container that never exits, keeps the pod from starting)`,
    pod: (pod, at) => {
      const version = at.tuning.kubernetesVersion;
      for (const f of restartFieldFates(pod, featureGates(version))) {
        if (f.field !== 'restartPolicy' || f.fate !== 'dropped' || !f.container.sidecar) continue;
        at.report(`${f.container.path}.restartPolicy`,
          `restartPolicy is "Always" (init container ${text(f.container.c.name)} as a native sidecar), which Kubernetes ${version} drops on create: `
          + `it runs as an ordinary init container, and a sidecar that never exits keeps the pod from starting. Native sidecars run on ${sidecarVersionsText()}; `
          + `on ${version}, run it as a regular container`);
      }
    },
  },
  {
    id: 'restart-policy-kept',
    level: PolicyLevel.WARNING,
    description: 'no container sets a restartPolicy or restartPolicyRules that the Kubernetes version checked drops on create (only an init container\'s restartPolicy: Always is kept, from 1.29; per-container restart policies and rules are alpha in 1.34, off by default)',
    pod: (pod, at) => {
      const version = at.tuning.kubernetesVersion;
      for (const f of restartFieldFates(pod, featureGates(version))) {
        if (f.fate !== 'dropped' || (f.field === 'restartPolicy' && f.container.sidecar)) continue;
        const { c, path, list } = f.container;
        const who = `${list === 'containers' ? 'container' : 'init container'} ${text(c.name)}`;
        const effect = list === 'containers'
          ? 'the pod\'s restartPolicy governs the container'
          : 'the init container runs to completion like any other, retried as the pod\'s restartPolicy says';
        const advice = f.field === 'restartPolicyRules' || f.gate === 'SidecarContainers' ? 'remove it'
          : list === 'containers' ? 'remove it (a native sidecar is an init container with restartPolicy: Always)'
            : 'remove it, or set "Always" to make it a native sidecar';
        at.report(`${path}.${f.field}`,
          `${f.field} of ${who} is ${show(f.value)}, which Kubernetes ${version} drops on create (${gateText(f.gate)}), so ${effect}; ${advice}`);
      }
    },
  },
]);
