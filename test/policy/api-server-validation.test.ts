/**
 * Where the API server and the OpenAPI definitions differ, `deploykit check` follows the API server:
 * fields the 1.28 definitions call required that it defaults, enum fields whose "" it defaults, and
 * what its pod validation refuses beyond the definitions (ephemeral containers in a manifest,
 * Linux-only fields on a Windows pod), and what its validation of cluster-level objects refuses
 * (webhook configurations, priority and storage classes, limit ranges, aggregated ClusterRoles,
 * Services, hostPath types) while the forms charts render pass.
 */
import { line, objects } from './fixture-objects';
import { PolicyCheck, PodSecurityLevel } from '../../src';

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

describe('cluster-level objects as the API server validates them, under each Kubernetes version', () => {
  const VERSIONS = ['1.28', '1.34'];
  const schemaErrors = (set: any[], kubernetesVersion = '1.28') => PolicyCheck.run(set, { kubernetesVersion, rules: ['k8s-schema'] }).errors;

  test('webhooks, priority and storage classes, limit ranges, aggregated roles, Services and hostPath types the API server refuses are errors, each once, under both versions', () => {
    const refused = objects('levels/cluster-refusals.yaml');
    const expected = [
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[0].name',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[0].failurePolicy',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[0].sideEffects',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[0].timeoutSeconds',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[0].clientConfig.service.port',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[0].clientConfig.service.path',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[1].name',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[1].name',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[1].matchPolicy',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[1].admissionReviewVersions',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[1].clientConfig',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[2].sideEffects',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[2].admissionReviewVersions',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[2].clientConfig',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[3].admissionReviewVersions[1]',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[3].clientConfig.url',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[4].clientConfig.url',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[5].timeoutSeconds',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[5].clientConfig.url',
      'ValidatingWebhookConfiguration/gatekeeper-like-validating webhooks[6].clientConfig.url',
      'MutatingWebhookConfiguration/injector-mutating webhooks[0].name',
      'MutatingWebhookConfiguration/injector-mutating webhooks[0].reinvocationPolicy',
      'MutatingWebhookConfiguration/injector-mutating webhooks[0].admissionReviewVersions[0]',
      'MutatingWebhookConfiguration/injector-mutating webhooks[0].admissionReviewVersions',
      'PriorityClass/acme-critical value',
      'PriorityClass/acme-critical preemptionPolicy',
      'PriorityClass/system-acme-critical metadata.name',
      'StorageClass/nfs-recycle reclaimPolicy',
      'StorageClass/nfs-recycle volumeBindingMode',
      'StorageClass/local-unset provisioner',
      'StorageClass/local-odd provisioner',
      'LimitRange/tenant-defaults spec.limits[0].default.cpu',
      'LimitRange/tenant-defaults spec.limits[0].maxLimitRequestRatio.cpu',
      'LimitRange/tenant-defaults spec.limits[0].defaultRequest.memory',
      'LimitRange/tenant-defaults spec.limits[0].default.memory',
      'LimitRange/tenant-defaults spec.limits[1].default',
      'LimitRange/tenant-defaults spec.limits[2].type',
      'LimitRange/tenant-defaults spec.limits[2].min.memory',
      'LimitRange/tenant-defaults spec.limits[2].defaultRequest.memory',
      'LimitRange/tenant-defaults spec.limits[3]',
      'ClusterRole/acme-aggregate-nothing aggregationRule.clusterRoleSelectors',
      'Service/public-headless spec.clusterIP',
      'Service/public-headless spec.ports[1].name',
      'Service/public-headless spec.ports[1]',
      'Service/public-headless spec.ports[2].name',
      'Service/public-headless spec.loadBalancerSourceRanges[1]',
      'Service/public-headless spec.loadBalancerSourceRanges[2]',
      'Service/legacy-api spec.externalName',
      'Service/internal spec.ports[0].name',
      'Service/internal spec.ports[0].nodePort',
      'Service/internal spec.ports[1].port',
      'Service/internal spec.loadBalancerSourceRanges',
      'Service/internal spec.sessionAffinityConfig.clientIP.timeoutSeconds',
      'DaemonSet/log-agent spec.template.spec.volumes[0].hostPath.type',
    ];
    for (const kubernetesVersion of VERSIONS) {
      const errors = schemaErrors(refused, kubernetesVersion);
      expect(errors.map((f) => `${f.kind}/${f.name} ${f.path}`)).toEqual(expected);
      // 1.34's definitions carry the enums 1.28's lack: the place is reported once, in the API server's words.
      expect(errors.filter((f) => f.path === 'webhooks[0].failurePolicy').map((f) => f.message)).toEqual(['got "fail"; expected one of "Fail", "Ignore"']);
    }
    const messages = schemaErrors(refused).map((f) => `${f.name} ${f.path}: ${f.message}`);
    for (const message of [
      'gatekeeper-like-validating webhooks[0].name: got "validation.gatekeeper"; expected a fully qualified name of at least three labels separated by dots, such as "validate.example.com"',
      'gatekeeper-like-validating webhooks[0].sideEffects: got "Some"; expected None or NoneOnDryRun (admissionregistration.k8s.io/v1 refuses webhooks with side effects Some or Unknown)',
      'gatekeeper-like-validating webhooks[0].timeoutSeconds: got 60; expected 1 to 30 seconds',
      'gatekeeper-like-validating webhooks[0].clientConfig.service.port: got 0; expected a port number from 1 to 65535',
      'gatekeeper-like-validating webhooks[1].name: got "validation.gatekeeper" again (webhooks[0] has it); webhook names must be unique within a configuration',
      'gatekeeper-like-validating webhooks[1].admissionReviewVersions: got ["v2"]; expected at least one AdmissionReview version the API server knows: v1 or v1beta1',
      'gatekeeper-like-validating webhooks[1].clientConfig: sets both url and service; expected exactly one of them',
      'gatekeeper-like-validating webhooks[2].clientConfig: sets neither url nor service; expected exactly one of them',
      'gatekeeper-like-validating webhooks[6].clientConfig.url: got "http://policy.example.org:8080/validate"; the API server calls webhooks over https only, not http (expected https://host[/path])',
      'acme-critical value: got 1500000000; expected at most 1000000000 (higher values are reserved for the system-node-critical and system-cluster-critical classes)',
      'nfs-recycle reclaimPolicy: got "Recycle"; expected "Delete" or "Retain" (a StorageClass may not Recycle its volumes)',
      'nfs-recycle volumeBindingMode: got "Delayed"; expected one of "Immediate", "WaitForFirstConsumer"',
      'tenant-defaults spec.limits[0].default.cpu: got "8" for cpu, above max "4"; a default limit must lie from min to max',
      'tenant-defaults spec.limits[0].defaultRequest.memory: got "64Mi" for memory, above the default limit "8Mi"; a default request may not exceed the default limit',
      'tenant-defaults spec.limits[0].maxLimitRequestRatio.cpu: got "500m" for cpu; expected a ratio of at least 1 (a limit is never below its request)',
      'acme-aggregate-nothing aggregationRule.clusterRoleSelectors: got unset; an aggregationRule needs at least one clusterRoleSelector (or drop aggregationRule)',
      'public-headless spec.clusterIP: got "None" with type LoadBalancer; a LoadBalancer Service needs a cluster IP (headless, "None", is for ClusterIP Services)',
      'public-headless spec.ports[1]: port 443/TCP again (spec.ports[0] has it); each port and protocol may appear once',
      'public-headless spec.ports[2].name: required field is missing; a Service with more than one port must name each',
      'public-headless spec.loadBalancerSourceRanges[2]: got "office"; expected a CIDR such as "203.0.113.0/24" or "2001:db8::/32"',
      'legacy-api spec.externalName: got "https://api.example.com/v1"; expected a DNS name: a DNS-1123 subdomain (lower-case alphanumerics, "-" and ".", at most 253 characters), a trailing dot allowed, such as "db.example.com"',
      'internal spec.ports[0].nodePort: got 30080 with type ClusterIP; a nodePort may be set only on NodePort and LoadBalancer Services',
      'log-agent spec.template.spec.volumes[0].hostPath.type: got "directory"; expected one of "", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"',
    ]) expect(messages).toContain(message);
    // A URL's query and user information may hold credentials: the message names the URL without them.
    expect(messages).toContain('gatekeeper-like-validating webhooks[3].clientConfig.url: got "https://policy.example.org/validate?…"; query parameters are not permitted in a webhook URL (expected https://host[/path])');
    expect(messages).toContain('gatekeeper-like-validating webhooks[4].clientConfig.url: got "https://…@policy.example.org/validate"; user information (user@) is not permitted in a webhook URL (expected https://host[/path])');
    expect(messages.filter((m) => /s3cr3t|hunter2|admin:/.test(m))).toEqual([]);
  });

  test('the forms add-on charts render are accepted under both versions: boundary values, "" where the API server reads it as unset, a nodePort outside the default range', () => {
    const accepted = objects('cluster/api-server-accepts.yaml');
    for (const kubernetesVersion of VERSIONS) {
      expect(schemaErrors(accepted, kubernetesVersion).map(line)).toEqual([]);
      expect(PolicyCheck.run(accepted, { kubernetesVersion, level: PodSecurityLevel.PRIVILEGED }).errors.map(line)).toEqual([]);
    }
  });

  test('the reserved system- priority classes pass only as Kubernetes defines them; a nodePort beyond 65535 is refused whatever the range; a ratio above max / min is refused', () => {
    const priority = (name: string, value: number, globalDefault?: boolean) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, globalDefault });
    const service = (nodePort: number) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `np${nodePort}`, namespace: 'x' },
      spec: { type: 'NodePort', selector: { app: 'a' }, ports: [{ port: 80, nodePort }] },
    });
    const ratio = (maxLimitRequestRatio: string) => ({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: `ratio-${maxLimitRequestRatio}`, namespace: 'x' },
      spec: { limits: [{ type: 'Container', min: { cpu: '500m' }, max: { cpu: '1' }, maxLimitRequestRatio: { cpu: maxLimitRequestRatio } }] },
    });
    const set = [priority('system-node-critical', 2000001000), priority('system-cluster-critical', 2000000000, true), priority('system-node-critical', 5),
      service(8080), service(70000), ratio('2'), ratio('3')];
    expect(schemaErrors(set).map((f) => `${f.name} ${f.path}: ${f.message}`)).toEqual([
      'system-cluster-critical metadata.name: got "system-cluster-critical" with value 2000000000 and globalDefault true; names starting with "system-" are reserved: only system-node-critical (value 2000001000) and system-cluster-critical (value 2000000000), not global defaults',
      'system-node-critical metadata.name: got "system-node-critical" with value 5; names starting with "system-" are reserved: only system-node-critical (value 2000001000) and system-cluster-critical (value 2000000000), not global defaults',
      'np70000 spec.ports[0].nodePort: got 70000; expected a port in the cluster\'s node port range (30000-32767 by default)',
      'ratio-3 spec.limits[0].maxLimitRequestRatio.cpu: got "3" for cpu, above max / min = 2 (max "1", min "500m"); no pod could use the ratio',
    ]);
  });
});
