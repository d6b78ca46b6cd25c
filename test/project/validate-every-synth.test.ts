/**
 * The suite-wide guard (test/setup/validate-every-synth.ts, jest setupFilesAfterEnv) is installed:
 * any Testing.synth in any test fails on an insecure pod or an object the 1.28 API would refuse.
 */
import { ApiObject, Testing } from 'cdk8s';

function chartWith(spec: Record<string, unknown>) {
  const chart = Testing.chart();
  new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe' }, spec });
  return chart;
}

const securePod = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{
    name: 'app',
    image: 'registry.example.com/app:1.0.0',
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  }],
};

test('a secure, valid pod synthesizes', () => {
  expect(Testing.synth(chartWith(securePod))).toHaveLength(1);
});

test('every Testing.synth refuses a pod that breaks the restricted profile', () => {
  const privileged = { ...securePod, hostNetwork: true };
  expect(() => Testing.synth(chartWith(privileged))).toThrow(/pod-security \(hostNamespaces\): Pod\/probe/);
});

test('every Testing.synth refuses an object the 1.28 schema refuses', () => {
  const badField = { ...securePod, restartPolicyy: 'Always' };
  expect(() => Testing.synth(chartWith(badField))).toThrow(/schema: Pod\/probe: spec.*restartPolicyy/);
});
