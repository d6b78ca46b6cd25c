/**
 * Finding messages say what the user wrote, once, and why a value is refused when the reason is
 * not plain from the value (a capability spelled in lower case, a literal secret's marker).
 */
import { PolicyCheck } from '../../src';

describe('finding messages', () => {
  test('messages say what the user wrote once: minReplicas set or unset, a gRPC probe with or without a service', () => {
    const hpa = (minReplicas?: number) => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: `h${minReplicas ?? ''}`, namespace: 'x' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, minReplicas, maxReplicas: 3 },
    });
    const probe = (service?: string) => ({ grpc: { port: 9090, service } });
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'x' },
      spec: {
        containers: [{ name: 'a', image: 'a:1', livenessProbe: probe(), readinessProbe: probe() },
          { name: 'b', image: 'b:1', livenessProbe: probe('health'), readinessProbe: probe('health') }],
      },
    };
    const messages = PolicyCheck.run([hpa(1), hpa(), pod], { rules: ['hpa-min-replicas', 'probe-not-identical'] }).findings.map((f) => f.message);
    expect(messages).toEqual([
      'minReplicas is 1; use at least 2',
      'minReplicas is unset, so 1; use at least 2',
      'livenessProbe and readinessProbe of container a check the same thing (grpc on port 9090); a liveness check should be cheaper and independent of dependencies',
      'livenessProbe and readinessProbe of container b check the same thing (grpc service health on port 9090); a liveness check should be cheaper and independent of dependencies',
    ]);
  });

  test('a capability spelled in lower case or with CAP_ is refused as Pod Security admission refuses it, and the message says why', () => {
    const container = (name: string, capabilities: object) => ({ name, image: 'a:1', securityContext: { allowPrivilegeEscalation: false, capabilities } });
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'x' },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [container('lower', { drop: ['all'] }), container('prefixed', { drop: ['ALL'], add: ['CAP_NET_BIND_SERVICE'] }),
          container('other', { drop: ['NET_RAW'] })],
      },
    };
    const hint = ' (Pod Security admission compares names exactly: upper case, no CAP_ prefix)';
    expect(PolicyCheck.run([pod], { rules: ['capabilities_restricted'] }).findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      `spec.containers[0].securityContext.capabilities.drop: capabilities.drop does not contain ALL; must drop ALL${hint}`,
      `spec.containers[1].securityContext.capabilities.add: adds CAP_NET_BIND_SERVICE; only NET_BIND_SERVICE may be added${hint}`,
      'spec.containers[2].securityContext.capabilities.drop: capabilities.drop does not contain ALL; must drop ALL',
    ]);
  });

  test('a literal secret in an env var says what marks it once', () => {
    const env = [{ name: 'ROOT_TOKEN', value: 'root' }, { name: 'TLS_KEY_PEM', value: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----' }];
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' }, spec: { containers: [{ name: 'a', image: 'a:1', env }] } };
    expect(PolicyCheck.run([pod], { rules: ['env-no-literal-secrets'] }).findings.map((f) => f.message)).toEqual([
      'env var ROOT_TOKEN has a name that marks a secret, and its value is written literally; use valueFrom.secretKeyRef (or envFrom a Secret)',
      'env var TLS_KEY_PEM holds a PEM private key, and its value is written literally; use valueFrom.secretKeyRef (or envFrom a Secret)',
    ]);
  });
});
