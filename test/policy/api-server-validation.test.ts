/**
 * Where the API server and the OpenAPI definitions differ, `deploykit check` follows the API server:
 * fields the 1.28 definitions call required that it defaults, enum fields whose "" it defaults, and
 * what its pod validation refuses beyond the definitions (ephemeral containers in a manifest,
 * Linux-only fields on a Windows pod).
 */
import { line, objects } from './fixture-objects';
import { PolicyCheck } from '../../src';

describe('fields the API server defaults, under each Kubernetes version', () => {
  test('fields the 1.28 definitions call required but the API server defaults or reads as empty are optional under each version', () => {
    const set = objects('versions/defaulted-fields.yaml');
    for (const kubernetesVersion of ['1.28', '1.34']) {
      expect(PolicyCheck.run(set, { kubernetesVersion, rules: ['k8s-schema'] }).findings.map(line)).toEqual([]);
    }
    // Still required where the API server requires them: a rule's action, a pattern's type, a RoleRef's name.
    const job = set.find((o) => o.kind === 'Job');
    delete job.spec.podFailurePolicy.rules[0].action;
    delete job.spec.podFailurePolicy.rules[1].onPodConditions[0].type;
    delete set.find((o) => o.kind === 'RoleBinding').roleRef.name;
    expect(PolicyCheck.run(set, { rules: ['k8s-schema'] }).findings.map((f) => `${f.kind} ${f.path}: ${f.message}`)).toEqual([
      'Job spec.podFailurePolicy.rules[0].action: required field is missing',
      'Job spec.podFailurePolicy.rules[1].onPodConditions[0].type: required field is missing',
      'RoleBinding roleRef.name: required field is missing',
    ]);
  });

  test('"" where the API server defaults an enum field is valid under each version; a wrong value is still refused under 1.34', () => {
    const set = objects('versions/empty-defaults.yaml');
    for (const kubernetesVersion of ['1.28', '1.34']) {
      expect(PolicyCheck.run(set, { kubernetesVersion, rules: ['k8s-schema'] }).findings.map(line)).toEqual([]);
    }
    // The rules read "" as the default too: Always for :latest, IfNotPresent for a version tag.
    expect(PolicyCheck.run(set, { rules: ['image-pull-policy-always'] }).findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      'spec.template.spec.containers[0].imagePullPolicy: imagePullPolicy is "", so IfNotPresent for the tag "1.4.2"; set Always so a moved tag is pulled again',
      'spec.jobTemplate.spec.template.spec.containers[0].imagePullPolicy: imagePullPolicy is unset, so IfNotPresent for the tag "1.4.2"; set Always so a moved tag is pulled again',
    ]);
    const api = set.find((o) => o.kind === 'Deployment');
    api.spec.template.spec.containers[0].imagePullPolicy = 'always';
    api.spec.template.spec.containers[0].ports[0].protocol = 'tcp';
    expect(PolicyCheck.run(set, { kubernetesVersion: '1.34', rules: ['k8s-schema'] }).findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      'spec.template.spec.containers[0].imagePullPolicy: got "always"; expected one of ["Always","IfNotPresent","Never",""]',
      'spec.template.spec.containers[0].ports[0].protocol: got "tcp"; expected one of ["SCTP","TCP","UDP",""]',
    ]);
  });
});

describe('Windows pods and ephemeral containers, as the API server validates them', () => {
  const LINUX_ADVICE = ['container-read-only-root-fs', 'container-drop-capabilities', 'pod-high-uid-gid'];

  test('Linux-only fields on a Windows pod and ephemeral containers in a manifest are errors; the Linux-only controls and advice skip Windows pods', () => {
    const set = objects('edge/windows-pods.yaml');
    expect(PolicyCheck.run(set).errors.map(line)).toEqual([
      'error k8s-schema Pod/report-tool spec.ephemeralContainers',
      'error k8s-schema Pod/report-tool spec.securityContext.seccompProfile',
      'error k8s-schema Pod/report-tool spec.securityContext.runAsUser',
      'error k8s-schema Pod/report-tool spec.containers[0].securityContext.capabilities',
      'error k8s-schema Pod/report-tool spec.containers[0].securityContext.readOnlyRootFilesystem',
    ]);
    const web = PolicyCheck.run(set).findings.filter((f) => f.name === 'legacy-web');
    expect(web.filter((f) => LINUX_ADVICE.includes(f.rule)).map(line)).toEqual([]);
    // The same workload on Linux gets the advice, and the restricted controls it misses.
    const linux = set.find((o) => o.metadata.name === 'legacy-web');
    delete linux.spec.template.spec.os;
    const onLinux = PolicyCheck.run([linux]).findings;
    // (container-drop-capabilities yields to the capabilities_restricted error at the same place.)
    expect([...new Set(onLinux.filter((f) => LINUX_ADVICE.includes(f.rule)).map((f) => f.rule))].sort()).toEqual(['container-read-only-root-fs', 'pod-high-uid-gid']);
    expect(onLinux.filter((f) => f.level === 'error').map((f) => f.rule).sort()).toEqual(['capabilities_restricted', 'seccompProfile_restricted']);
  });
});
