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
