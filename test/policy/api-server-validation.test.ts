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

describe('autoscaler metrics and security profiles, as the API server validates them', () => {
  const schemaErrors = (set: any[], kubernetesVersion = '1.28') =>
    PolicyCheck.run(set, { kubernetesVersion, rules: ['k8s-schema'] }).errors.map((f) => `${f.name} ${f.path}: ${f.message}`);
  const hpa = (name: string, metrics: any[]) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'shop' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 5, metrics },
  });
  const utilization = { type: 'Utilization', averageUtilization: 70 };

  test('a target its metric type does not take, a metric without its source or with another\'s, values not above 0 are refused', () => {
    const refused = [
      hpa('pods-utilization', [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: utilization } }]),
      hpa('object-utilization', [{ type: 'Object', object: { metric: { name: 'rps' }, describedObject: { apiVersion: 'v1', kind: 'Service', name: 'api' }, target: utilization } }]),
      hpa('external-both', [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10', averageValue: '2' } } }]),
      hpa('resource-value', [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Value', value: '500m' } } }]),
      hpa('no-source', [{ type: 'Resource', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } }]),
      hpa('bad-type', [{ type: 'Custom', resource: { name: 'cpu', target: utilization } }]),
      hpa('zero', [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '0' } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'api', target: { type: 'Percent', averageUtilization: 50 } } },
      ]),
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'v1-zero', namespace: 'shop' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 3, targetCPUUtilizationPercentage: 0 },
      },
    ];
    const expected = [
      'pods-utilization spec.metrics[0].pods.target: got type "Utilization" with averageUtilization 70; a Pods metric\'s target sets averageValue (type AverageValue), the per-pod value; a Pods metric has no utilization or total value',
      'object-utilization spec.metrics[0].object.target: got type "Utilization" with averageUtilization 70; an Object metric\'s target sets value (type Value) or averageValue (type AverageValue); an Object metric has no utilization',
      'external-both spec.metrics[0].external.target.averageValue: cannot be set together with value; an External metric\'s target sets one of them, by its type',
      'resource-value spec.metrics[0].resource.target: got type "Value" with value "500m"; a Resource metric\'s target sets averageUtilization (type Utilization) or averageValue (type AverageValue); a Resource metric has no total value',
      'no-source spec.metrics[0].pods: cannot be set in a metric of type "Resource", which takes resource only (the API server refuses the pair)',
      'no-source spec.metrics[0].resource: required field is missing: a metric of type "Resource" describes its source in resource',
      'bad-type spec.metrics[0].type: got "Custom"; expected one of "Object", "Pods", "Resource", "ContainerResource", "External"',
      'zero spec.metrics[0].resource.target.averageUtilization: got 0; expected a utilization of at least 1 (percent of the requests)',
      'zero spec.metrics[1].pods.target.averageValue: got "0"; expected a quantity above 0',
      'zero spec.metrics[2].containerResource.target.type: got "Percent"; expected one of "Utilization", "Value", "AverageValue"',
      'v1-zero spec.targetCPUUtilizationPercentage: got 0; expected a utilization of at least 1 (percent of the pods\' cpu requests)',
    ];
    for (const version of ['1.28', '1.34']) expect(schemaErrors(refused, version)).toEqual(expected);
  });

  test('each metric type with the target it takes is accepted', () => {
    const accepted = [
      hpa('all', [
        { type: 'Resource', resource: { name: 'cpu', target: utilization } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'api', target: utilization } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
        { type: 'Object', object: { metric: { name: 'rps' }, describedObject: { apiVersion: 'v1', kind: 'Service', name: 'api' }, target: { type: 'Value', value: '2k' } } },
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
      ]),
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'v1', namespace: 'shop' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 3, targetCPUUtilizationPercentage: 60 },
      },
      hpa('defaulted', []),
    ];
    for (const version of ['1.28', '1.34']) expect(schemaErrors(accepted, version)).toEqual([]);
  });

  const pod = (name: string, podProfile: any, containerContext: any) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: { securityContext: podProfile, containers: [{ name: 'app', image: 'registry.example/app:1.0.0', securityContext: containerContext }] },
  });

  test('a seccomp profile of type Localhost without localhostProfile, or one beside another type, is refused at the pod and the container', () => {
    const refused = [
      pod('no-file', { seccompProfile: { type: 'Localhost' } }, { seccompProfile: { type: 'Localhost' } }),
      pod('stray', { seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'profiles/audit.json' } }, { seccompProfile: { type: 'Localhost', localhostProfile: '/var/lib/kubelet/seccomp/audit.json' } }),
    ];
    const expected = [
      'no-file spec.securityContext.seccompProfile.localhostProfile: required field is missing: the seccomp type Localhost needs localhostProfile, the profile to load; '
        + 'expected the profile\'s file, relative to the kubelet\'s seccomp folder, such as "profiles/audit.json" (or use type RuntimeDefault)',
      'no-file spec.containers[0].securityContext.seccompProfile.localhostProfile: required field is missing: the seccomp type Localhost needs localhostProfile, the profile to load; '
        + 'expected the profile\'s file, relative to the kubelet\'s seccomp folder, such as "profiles/audit.json" (or use type RuntimeDefault)',
      'stray spec.securityContext.seccompProfile.localhostProfile: got "profiles/audit.json" beside type "RuntimeDefault"; localhostProfile can only be set when the seccomp type is Localhost (drop it)',
      'stray spec.containers[0].securityContext.seccompProfile.localhostProfile: got "/var/lib/kubelet/seccomp/audit.json"; '
        + 'expected the profile\'s file, relative to the kubelet\'s seccomp folder, such as "profiles/audit.json" (no leading "/", no ".." segment)',
    ];
    for (const version of ['1.28', '1.34']) expect(schemaErrors(refused, version)).toEqual(expected);
    const accepted = [
      pod('local', { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } }, { seccompProfile: { type: 'RuntimeDefault' } }),
      pod('default', { seccompProfile: { type: 'RuntimeDefault' } }, { seccompProfile: { type: 'Localhost', localhostProfile: 'operator/shop/app.json' } }),
    ];
    for (const version of ['1.28', '1.34']) expect(schemaErrors(accepted, version)).toEqual([]);
  });

  test('an AppArmor profile of type Localhost needs localhostProfile under 1.34 (1.28 has no appArmorProfile field)', () => {
    const refused = [pod('armor', { appArmorProfile: { type: 'Localhost' } }, { appArmorProfile: { type: 'Localhost', localhostProfile: ' k8s-deny-write' } })];
    expect(schemaErrors(refused, '1.34')).toEqual([
      'armor spec.securityContext.appArmorProfile.localhostProfile: required field is missing: the AppArmor type Localhost needs localhostProfile, the profile to load; '
        + 'expected the name of an AppArmor profile loaded on the node, such as "k8s-deny-write", neither blank nor padded with whitespace (or use type RuntimeDefault)',
      'armor spec.containers[0].securityContext.appArmorProfile.localhostProfile: got " k8s-deny-write"; '
        + 'expected the name of an AppArmor profile loaded on the node, such as "k8s-deny-write", neither blank nor padded with whitespace',
    ]);
    // Under 1.28 the field itself is unknown: one error each, no word about localhostProfile.
    expect(schemaErrors(refused, '1.28').every((e) => !e.includes('localhostProfile'))).toBe(true);
    expect(schemaErrors(refused, '1.28')).toHaveLength(2);
    const accepted = [pod('armor', { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-deny-write' } }, { appArmorProfile: { type: 'RuntimeDefault' } })];
    expect(schemaErrors(accepted, '1.34')).toEqual([]);
  });
});

describe('CronJob schedules, as the API server parses them (robfig/cron\'s standard parser)', () => {
  const cronJob = (name: string, schedule: string, timeZone?: string) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'shop' },
    spec: {
      schedule,
      ...(timeZone ? { timeZone } : {}),
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'job', image: 'registry.example/job:1.0.0' }] } } } },
    },
  });
  const schemaErrors = (set: any[], kubernetesVersion: string) =>
    PolicyCheck.run(set, { kubernetesVersion, rules: ['k8s-schema'] }).errors.map((f) => `${f.name} ${f.path}: ${f.message.split('; a 5-field')[0]}`);

  test('a schedule the parser refuses is an error under each version', () => {
    const refused = [
      cronJob('seven', '0 3 * * 7'), cronJob('six-fields', '0 0 3 * * *'), cronJob('bad-name', '0 3 * * MONDAY'),
      cronJob('zero-step', '*/0 * * * *'), cronJob('reboot', '@reboot'), cronJob('every-day', '@every 1d'), cronJob('empty', ''),
    ];
    const expected = [
      'seven spec.schedule: got "0 3 * * 7"; expected day-of-week (field 5) within 0-6 or SUN-SAT (got "7")',
      'six-fields spec.schedule: got "0 0 3 * * *"; expected a 5-field cron expression "minute hour day-of-month month day-of-week" such as "0 3 * * *" '
        + '(each field * or ?, a number, a range a-b, a step */n, a/n or a-b/n, or a comma list; months JAN-DEC and weekdays SUN-SAT by name too), '
        + 'or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration> such as "@every 1h30m"',
      'bad-name spec.schedule: got "0 3 * * MONDAY"; expected day-of-week (field 5) as *, ?, n, a-b, */n, n/s or a-b/n (numbers or names such as SUN) (got "MONDAY")',
      'zero-step spec.schedule: got "*/0 * * * *"; expected minute (field 1) with a step of at least 1 (got "*/0")',
      'reboot spec.schedule: got "@reboot"; expected a 5-field cron expression "minute hour day-of-month month day-of-week" such as "0 3 * * *" '
        + '(each field * or ?, a number, a range a-b, a step */n, a/n or a-b/n, or a comma list; months JAN-DEC and weekdays SUN-SAT by name too), '
        + 'or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration> such as "@every 1h30m"',
      'every-day spec.schedule: got "@every 1d"; expected @every and a duration such as "1h30m", "90s" or "1.5h" (got "@every 1d")',
      'empty spec.schedule: got ""; expected a 5-field cron expression "minute hour day-of-month month day-of-week" such as "0 3 * * *" '
        + '(each field * or ?, a number, a range a-b, a step */n, a/n or a-b/n, or a comma list; months JAN-DEC and weekdays SUN-SAT by name too), '
        + 'or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration> such as "@every 1h30m"',
    ];
    // (Each message after a field's problem ends with the form of a schedule, cut here.)
    for (const version of ['1.28', '1.34']) expect(schemaErrors(refused, version)).toEqual(expected);
  });

  test('names, ?, steps beyond the range, descriptors and @every are accepted; a TZ= prefix parses, and only the version decides on it', () => {
    const accepted = [
      cronJob('names', '30 2 * JAN-MAR mon-fri'), cronJob('any', '0 3 ? * ?'), cronJob('wide-step', '*/90 * * * *'),
      cronJob('list', '0,,30 * * * *'), cronJob('midnight', '@midnight'), cronJob('every', '@every 1h30m'),
    ];
    for (const version of ['1.28', '1.34']) expect(schemaErrors(accepted, version)).toEqual([]);
    const zoned = [cronJob('zoned', 'CRON_TZ=Europe/Berlin 0 3 * * *')];
    expect(schemaErrors(zoned, '1.28')).toEqual([]);
    expect(schemaErrors(zoned, '1.34')).toEqual([
      'zoned spec.schedule: got "CRON_TZ=Europe/Berlin 0 3 * * *"; Kubernetes 1.34 refuses TZ= or CRON_TZ= in a new CronJob\'s schedule: set timeZone instead',
    ]);
    // A prefix without the schedule after it is refused by the parser under each version.
    for (const version of ['1.28', '1.34']) {
      expect(schemaErrors([cronJob('bare', 'TZ=UTC')], version)[0]).toBe('bare spec.schedule: got "TZ=UTC"; expected a time zone prefix followed by a space and the schedule');
    }
  });
});
