import { Chart, Testing, Yaml } from 'cdk8s';
import { AccessMode, PersistentStorage } from '../../src/config/persistent-storage';
import { Environment } from '../../src/core/environment';
import { cronSchedule } from '../../src/core/rules/schedule';
import { ContainerImage } from '../../src/pod/container-image';
import { ResourceLimits } from '../../src/pod/resource-limits';
import { SecurityProfile } from '../../src/pod/security-profile';
import { PolicyCheck } from '../../src/policy/policy-check';
import { ScheduledBackup, ScheduledBackupProps } from '../../src/workloads/scheduled-backup';
import { findObject, synthManifests } from '../util/manifests';
import { DEFAULT_CONTAINER_SECURITY_CONTEXT } from '../util/security-context';

const COMMAND = ['sh', '-c', 'sqlite3 -readonly /app/data/rescan.db ".backup \'/backup/rescan.db\'"'];

interface Setup {
  /** Overrides of the ScheduledBackup props. */
  readonly props?: Partial<ScheduledBackupProps>;
  readonly sourceMode?: AccessMode;
  readonly targetMode?: AccessMode;
  readonly targetName?: string;
  readonly tag?: string;
}

function build(setup: Setup = {}): { chart: Chart; backup: ScheduledBackup } {
  const chart = Testing.chart();
  const common = { namespace: 'rescan', instance: 'rescan', partOf: 'rescan' };
  const source = new PersistentStorage(chart, 'data', {
    ...common, name: 'rescan-data-pvc', appName: 'rescan', size: '1Gi', mountPath: '/app/data', accessMode: setup.sourceMode,
  });
  const target = new PersistentStorage(chart, 'backup-storage', {
    ...common, name: setup.targetName ?? 'rescan-backup-pvc', appName: 'rescan-backup', size: '1Gi', mountPath: '/backup', accessMode: setup.targetMode,
  });
  const backup = new ScheduledBackup(chart, 'backup', {
    ...common,
    name: 'rescan-backup',
    appName: 'rescan-backup',
    schedule: '0 3 * * *',
    image: new ContainerImage(chart, 'image', { repository: 'keinos/sqlite3', tag: setup.tag ?? '3.44.2' }),
    command: COMMAND,
    source,
    target,
    affinityToPodLabels: { app: 'rescan' },
    ...setup.props,
  });
  return { chart, backup };
}

function cronJob(setup: Setup = {}): any {
  return findObject(synthManifests(build(setup).chart), 'CronJob', 'rescan-backup');
}

function synthError(setup: Setup): string {
  try {
    synthManifests(build(setup).chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the synth to fail');
}

describe('ScheduledBackup', () => {
  test('renders a restricted, non-overlapping backup CronJob (snapshot)', () => {
    const objects = synthManifests(build().chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'PersistentVolumeClaim/rescan-data-pvc',
      'PersistentVolumeClaim/rescan-backup-pvc',
      'CronJob/rescan-backup',
      'NetworkPolicy/rescan-backup',
    ]);
    expect(Yaml.stringify(findObject(objects, 'CronJob', 'rescan-backup'))).toMatchSnapshot();
  });

  test('a NetworkPolicy denies the backup pods all ingress and egress (they open no connection)', () => {
    const objects = synthManifests(build().chart);
    const policy = findObject(objects, 'NetworkPolicy', 'rescan-backup');
    expect(policy.metadata.namespace).toBe('rescan');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'rescan-backup', 'app.kubernetes.io/instance': 'rescan' } },
      policyTypes: ['Ingress', 'Egress'],
    });
    expect(PolicyCheck.run(objects).findings.filter((f) => f.rule === 'networkpolicy-covers-pod')).toEqual([]);
  });

  test('the NetworkPolicy selects the backup pods by name and instance only: pods whose other labels change (a Helm chart\'s managed-by) stay selected', () => {
    const objects = synthManifests(build({ props: { labels: { team: 'data' } } }).chart);
    const pod = findObject(objects, 'CronJob', 'rescan-backup').spec.jobTemplate.spec.template;
    // The pods carry managed-by, part-of and the user's labels; the selector holds none of them.
    expect(pod.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'cdk8s-deploykit', 'app.kubernetes.io/part-of': 'rescan', 'team': 'data' });
    expect(Object.keys(findObject(objects, 'NetworkPolicy', 'rescan-backup').spec.podSelector.matchLabels).sort())
      .toEqual(['app.kubernetes.io/instance', 'app.kubernetes.io/name']);
    // The pods as a Helm release renders them (managed-by: Helm): still covered by the policy.
    const released = structuredClone(objects);
    const releasedPod = findObject(released, 'CronJob', 'rescan-backup').spec.jobTemplate.spec.template;
    releasedPod.metadata.labels = { ...pod.metadata.labels, 'app.kubernetes.io/managed-by': 'Helm', 'team': 'platform' };
    const rules = (os: any[]) => PolicyCheck.run(os).findings.filter((f) => f.rule.startsWith('networkpolicy-')).map((f) => `${f.rule} ${f.kind}/${f.name}`);
    expect(rules(released)).toEqual([]);
    // A policy selecting by every label of the plain pods (as it did) misses them: the check says so.
    const bySelectorOfAll = structuredClone(released);
    findObject(bySelectorOfAll, 'NetworkPolicy', 'rescan-backup').spec.podSelector = { matchLabels: pod.metadata.labels };
    expect(rules(bySelectorOfAll).sort()).toEqual(['networkpolicy-covers-pod CronJob/rescan-backup', 'networkpolicy-selects-something NetworkPolicy/rescan-backup']);
  });

  test('batch/v1 CronJob: schedule, Forbid, history limits, deadlines, no TTL', () => {
    const job = cronJob();
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.metadata.namespace).toBe('rescan');
    expect(job.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'rescan-backup',
      'app.kubernetes.io/instance': 'rescan',
      'app.kubernetes.io/part-of': 'rescan',
      'app.kubernetes.io/managed-by': 'cdk8s-deploykit',
    });
    expect(job.spec.schedule).toBe('0 3 * * *');
    expect('timeZone' in job.spec).toBe(false);
    expect(job.spec.concurrencyPolicy).toBe('Forbid');
    expect(job.spec.successfulJobsHistoryLimit).toBe(3);
    expect(job.spec.failedJobsHistoryLimit).toBe(1);
    expect(job.spec.startingDeadlineSeconds).toBe(300);
    const jobSpec = job.spec.jobTemplate.spec;
    expect(jobSpec.backoffLimit).toBe(2);
    expect(jobSpec.activeDeadlineSeconds).toBe(600);
    expect('ttlSecondsAfterFinished' in jobSpec).toBe(false);
    expect(jobSpec.template.spec.restartPolicy).toBe('OnFailure');
    expect(jobSpec.template.metadata.labels).toEqual(job.metadata.labels);
  });

  test('the limits, deadlines and time zone can be set', () => {
    const job = cronJob({
      props: {
        schedule: '@weekly',
        timeZone: 'Europe/Berlin',
        successfulJobsHistoryLimit: 0,
        failedJobsHistoryLimit: 10,
        backoffLimit: 0,
        activeDeadlineSeconds: 3600,
        startingDeadlineSeconds: 60,
      },
    });
    expect(job.spec).toMatchObject({
      schedule: '@weekly', timeZone: 'Europe/Berlin', successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 10, startingDeadlineSeconds: 60,
    });
    expect(job.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 3600 });
  });

  test('container: image, command, default resources, restricted security context', () => {
    const pod = cronJob().spec.jobTemplate.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
      fsGroupChangePolicy: 'OnRootMismatch',
    });
    expect(pod.containers).toHaveLength(1);
    const [container] = pod.containers;
    expect(container.name).toBe('rescan-backup');
    expect(container.image).toBe('keinos/sqlite3:3.44.2');
    expect(container.imagePullPolicy).toBe('Always');
    expect(container.command).toEqual(COMMAND);
    expect(container.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(container.securityContext).toEqual(DEFAULT_CONTAINER_SECURITY_CONTEXT);
    expect(container.livenessProbe).toBeUndefined();
    expect(container.ports).toBeUndefined();
  });

  test('given resource limits and security profile are used', () => {
    const chart = Testing.chart();
    const source = new PersistentStorage(chart, 'data', { name: 'data', size: '1Gi', mountPath: '/data' });
    const target = new PersistentStorage(chart, 'bak', { name: 'bak', size: '1Gi', mountPath: '/bak' });
    new ScheduledBackup(chart, 'backup', {
      name: 'db-backup',
      schedule: '*/15 * * * *',
      command: ['true'],
      source,
      target,
      image: new ContainerImage(chart, 'image', { repository: 'busybox', tag: '1.36.1' }),
      resourceLimits: new ResourceLimits(chart, 'limits', { limits: { cpu: '100m', memory: '64Mi' } }),
      securityProfile: new SecurityProfile(chart, 'security', { runAsUser: 2000, runAsGroup: 2000 }),
    });
    const pod = findObject(synthManifests(chart), 'CronJob', 'db-backup').spec.jobTemplate.spec.template.spec;
    expect(pod.containers[0].resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '64Mi', 'ephemeral-storage': '256Mi' },
      limits: { 'cpu': '100m', 'memory': '64Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(pod.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000 });
    // No affinity was asked for.
    expect(pod.affinity).toBeUndefined();
  });

  test('volumes: /tmp scratch, the source read-only, the target read-write', () => {
    const pod = cronJob().spec.jobTemplate.spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'rescan-data-pvc', persistentVolumeClaim: { claimName: 'rescan-data-pvc' } },
      { name: 'rescan-backup-pvc', persistentVolumeClaim: { claimName: 'rescan-backup-pvc' } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'rescan-data-pvc', mountPath: '/app/data', readOnly: true },
      { name: 'rescan-backup-pvc', mountPath: '/backup' },
    ]);
  });

  test('a ReadWriteOnce source pins the pod to the node of the workload pods (required podAffinity)', () => {
    const pod = cronJob().spec.jobTemplate.spec.template.spec;
    expect(pod.affinity).toEqual({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{
          topologyKey: 'kubernetes.io/hostname',
          labelSelector: { matchLabels: { app: 'rescan' } },
        }],
      },
    });
  });

  test('a ReadWriteMany source needs no affinity', () => {
    const pod = cronJob({ sourceMode: AccessMode.READ_WRITE_MANY }).spec.jobTemplate.spec.template.spec;
    expect(pod.affinity).toBeUndefined();
  });

  test('public properties', () => {
    const { backup } = build();
    expect(backup.name).toBe('rescan-backup');
    expect(backup.schedule).toBe('0 3 * * *');
    expect(backup.namespace).toBe('rescan');
    expect(backup.podLabels['app.kubernetes.io/name']).toBe('rescan-backup');
    expect(backup.cronJob.kind).toBe('CronJob');
  });

  test('a development image may use latest and is pulled IfNotPresent', () => {
    const container = cronJob({ tag: 'latest', props: { environment: Environment.DEVELOPMENT } }).spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.image).toBe('keinos/sqlite3:latest');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });
});

describe('cron schedule rule', () => {
  test.each([
    '0 3 * * *', '*/5 * * * *', '0 0-23/2 * * 1-5', '0,15,30,45 * 1,15 * *', '30 2 * 1-12/3 0', '59 23 31 12 6',
    '5/10 * * * *', '  0 3 * * *  ', '@hourly', '@daily', '@weekly', '@monthly', '@yearly', '@annually', '@midnight',
    // What Kubernetes' parser (robfig/cron's standard one) takes beyond plain numbers: names in any
    // case, ? for any value, a step beyond the range, empty list items, a sign, @every and a Go duration.
    '0 3 * * MON', '0 3 * * mon-fri', '0 0 1 JAN,jul *', '0 0 1 jan-dec/3 SUN', '0 3 ? * *', '0 3 * * ?', '*/90 * * * *',
    '0,,5 * * * *', '+5 * * * *', '0 3 * * SAT/1', '@every 1h', '@every 1h30m', '@every 1.5h', '@every 90s', '@every 0',
  ])('%p is accepted', (schedule) => {
    expect(cronSchedule(schedule)).toBeUndefined();
  });

  test.each([
    ['', /5-field cron expression/],
    ['0 3 * *', /5-field cron expression "minute hour day-of-month month day-of-week"/],
    ['0 3 * * * *', /5-field cron expression/],
    ['60 * * * *', /minute \(field 1\) within 0-59 \(got "60"\)/],
    ['0 24 * * *', /hour \(field 2\) within 0-23 \(got "24"\)/],
    ['0 3 0 * *', /day-of-month \(field 3\) within 1-31 \(got "0"\)/],
    ['0 3 * 13 *', /month \(field 4\) within 1-12 or JAN-DEC \(got "13"\)/],
    ['0 3 * * 7', /day-of-week \(field 5\) within 0-6 or SUN-SAT \(got "7"\)/],
    ['0 3 * * 1-9', /day-of-week \(field 5\) within 0-6 or SUN-SAT \(got "1-9"\)/],
    ['*/0 * * * *', /minute \(field 1\) with a step of at least 1 \(got "\*\/0"\)/],
    ['0 5-2 * * *', /hour \(field 2\) with a range whose start is at most its end/],
    ['0 3 * * mon-sun', /day-of-week \(field 5\) with a range whose start is at most its end \(got "mon-sun"\)/],
    ['0 3 * * MONDAY', /day-of-week \(field 5\) as \*, \?, n, a-b, \*\/n, n\/s or a-b\/n \(numbers or names such as SUN\) \(got "MONDAY"\)/],
    ['0 3 * FRI *', /month \(field 4\) as .* \(numbers or names such as JAN\) \(got "FRI"\)/],
    ['0 3 L * *', /day-of-month \(field 3\) as/],
    ['1-2-3 * * * *', /minute \(field 1\) with one "-" in a range/],
    ['*/5/2 * * * *', /minute \(field 1\) with one "\/" in a step/],
    ['0 3 * * 1#2', /day-of-week \(field 5\) as/],
    [', * * * *', /minute \(field 1\) naming at least one value \(got ",", so the schedule never fires\)/],
    ['@every 1d', /@every and a duration such as "1h30m"/],
    ['@every', /or one of @yearly/],
    ['@daily ', /or one of @yearly/],
    ['@reboot', /or one of @yearly/],
    ['0 3 * * * 2025', /5-field cron expression/],
    ['TZ=UTC 0 3 * * *', /without a TZ= or CRON_TZ= prefix: set timeZone instead/],
    ['CRON_TZ=Europe/Berlin @daily', /without a TZ= or CRON_TZ= prefix: set timeZone instead/],
  ])('%p is refused', (schedule, message) => {
    expect(cronSchedule(schedule)).toMatch(message);
  });
});

describe('ScheduledBackup rules', () => {
  test('a bad schedule names the field and the expected form', () => {
    expect(synthError({ props: { schedule: '0 25 * * *' } })).toMatch(
      /\[test\/backup\] schedule: got "0 25 \* \* \*"; expected hour \(field 2\) within 0-23 \(got "25"\); a 5-field cron expression/);
  });

  test('a missing schedule is refused', () => {
    expect(synthError({ props: { schedule: undefined as any } })).toMatch(/\[test\/backup\] schedule: got nothing; expected a 5-field cron expression/);
  });

  test('an unknown time zone is refused', () => {
    expect(synthError({ props: { timeZone: 'Mars/Olympus' } })).toMatch(/timeZone: got "Mars\/Olympus"; expected an IANA time zone name such as "Etc\/UTC"/);
    expect(synthError({ props: { timeZone: 'UTC 0' } })).toMatch(/timeZone: got "UTC 0"; expected an IANA time zone name/);
  });

  test.each([
    ['Rescan_Backup', /name: got "Rescan_Backup"; expected a DNS-1123 label/],
    ['a'.repeat(53), /name: got "a{53}"; expected a DNS-1123 label of at most 52 characters/],
  ])('name %p is refused', (name, message) => {
    expect(synthError({ props: { name } })).toMatch(message);
  });

  test('a bad namespace is refused', () => {
    expect(synthError({ props: { namespace: 'Rescan' } })).toMatch(/namespace: got "Rescan"; expected a DNS-1123 label/);
  });

  test('the source claim as the target is refused', () => {
    expect(synthError({ targetName: 'rescan-data-pvc' })).toMatch(
      /\[test\/backup\] target: got "rescan-data-pvc"; expected a claim other than the source "rescan-data-pvc"/);
  });

  test('a ReadWriteOncePod source and a ReadOnlyMany target are refused', () => {
    expect(synthError({ sourceMode: AccessMode.READ_WRITE_ONCE_POD })).toMatch(
      /source.accessMode: got "ReadWriteOncePod"; expected ReadWriteOnce, ReadOnlyMany or ReadWriteMany/);
    expect(synthError({ targetMode: AccessMode.READ_ONLY_MANY })).toMatch(
      /target.accessMode: got "ReadOnlyMany"; expected a writable access mode/);
  });

  test.each([
    ['successfulJobsHistoryLimit', 11],
    ['successfulJobsHistoryLimit', -1],
    ['failedJobsHistoryLimit', 11],
    ['failedJobsHistoryLimit', 1.5],
  ])('%s %p outside 0-10 is refused', (field, value) => {
    expect(synthError({ props: { [field]: value } })).toMatch(new RegExp(`${field}: got ${value}; expected an integer from 0 to 10`));
  });

  test.each([
    ['backoffLimit', 11, /backoffLimit: got 11; expected an integer from 0 to 10/],
    ['activeDeadlineSeconds', 0, /activeDeadlineSeconds: got 0; expected an integer from 1 to 86400/],
    ['startingDeadlineSeconds', 5, /startingDeadlineSeconds: got 5; expected an integer from 10 to 86400/],
  ])('%s %p is refused', (field, value, message) => {
    expect(synthError({ props: { [field]: value } })).toMatch(message);
  });

  test('a latest image tag in production is refused', () => {
    expect(synthError({ tag: 'latest' })).toMatch(/\[test\/backup\] image.tag: got "latest"; expected a pinned semantic version \(or a digest\) in production/);
  });

  test('an empty command is refused', () => {
    expect(synthError({ props: { command: [] } })).toMatch(/command: got \[\]; expected a non-empty command such as \["sh", "-c", "<backup command>"\]/);
  });

  test('affinity labels must be valid, non-empty and not the backup pods\' own', () => {
    expect(synthError({ props: { affinityToPodLabels: {} } })).toMatch(/affinityToPodLabels: got \{\}; expected at least one label/);
    expect(synthError({ props: { affinityToPodLabels: { app: 'bad value!' } } })).toMatch(/affinityToPodLabels.app: got "bad value!"/);
    expect(synthError({ props: { affinityToPodLabels: { 'app.kubernetes.io/name': 'rescan-backup' } } })).toMatch(
      /affinityToPodLabels: got .*; expected labels the backup pods do not carry themselves/);
  });

  test('bad object labels are refused', () => {
    expect(synthError({ props: { partOf: 'not valid!' } })).toMatch(/partOf: got "not valid!"/);
  });

  test('a mount path shared by source and target is refused', () => {
    const chart = Testing.chart();
    const source = new PersistentStorage(chart, 'data', { name: 'data', size: '1Gi', mountPath: '/data' });
    const target = new PersistentStorage(chart, 'bak', { name: 'bak', size: '1Gi', mountPath: '/data' });
    new ScheduledBackup(chart, 'backup', {
      name: 'db-backup',
      schedule: '@daily',
      command: ['true'],
      source,
      target,
      image: new ContainerImage(chart, 'image', { repository: 'busybox', tag: '1.36.1' }),
    });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/backup\] volumes: got "\/data"; expected unique mount paths/);
  });

  test('all findings are reported together', () => {
    const message = synthError({ tag: 'latest', props: { schedule: 'nope', successfulJobsHistoryLimit: 50 } });
    expect(message).toMatch(/schedule: got "nope"/);
    expect(message).toMatch(/successfulJobsHistoryLimit: got 50/);
    expect(message).toMatch(/image.tag: got "latest"/);
  });
});
