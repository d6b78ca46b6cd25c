import { ApiObject, Chart, Testing } from 'cdk8s';
import { PodSecurityLevel } from '../../src/core/pod-security';
import { PolicyLevel, RestrictedProfile } from '../../src/policy';
import { assertValidManifests, findObject, objectsOfKind, synthManifests } from '../util/manifests';

function container(name = 'app'): any {
  return {
    name,
    image: 'registry.example/app:1.0.0',
    ports: [{ containerPort: 8080 }],
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    },
  };
}

function pod(): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app', annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } },
    spec: {
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
        seLinuxOptions: { type: 'container_t' },
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
      },
      initContainers: [container('init')],
      containers: [container()],
      volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg' } }],
    },
  };
}

type Mutation = (p: any) => void;
const c0 = (p: any) => p.spec.containers[0];
const sc0 = (p: any) => c0(p).securityContext;

// [control, mutation, path expected in the violation]
const cases: Array<[string, Mutation, string]> = [
  ['windowsHostProcess', (p) => { p.spec.securityContext.windowsOptions = { hostProcess: true }; }, 'spec.securityContext.windowsOptions.hostProcess'],
  ['windowsHostProcess', (p) => { sc0(p).windowsOptions = { hostProcess: true }; }, 'spec.containers[0].securityContext.windowsOptions.hostProcess'],
  ['hostNamespaces', (p) => { p.spec.hostNetwork = true; }, 'spec.hostNetwork'],
  ['hostNamespaces', (p) => { p.spec.hostPID = true; }, 'spec.hostPID'],
  ['hostNamespaces', (p) => { p.spec.hostIPC = true; }, 'spec.hostIPC'],
  ['privileged', (p) => { p.spec.initContainers[0].securityContext.privileged = true; }, 'spec.initContainers[0].securityContext.privileged'],
  ['capabilities_baseline', (p) => { sc0(p).capabilities.add = ['SYS_ADMIN']; }, 'spec.containers[0].securityContext.capabilities.add'],
  ['hostPathVolumes', (p) => { p.spec.volumes.push({ name: 'host', hostPath: { path: '/etc' } }); }, 'spec.volumes[2].hostPath'],
  ['hostPorts', (p) => { c0(p).ports[0].hostPort = 8080; }, 'spec.containers[0].ports[0].hostPort'],
  ['appArmorProfile', (p) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'; },
    'metadata.annotations.container.apparmor.security.beta.kubernetes.io/app'],
  ['seLinuxOptions', (p) => { p.spec.securityContext.seLinuxOptions.type = 'spc_t'; }, 'spec.securityContext.seLinuxOptions.type'],
  ['seLinuxOptions', (p) => { sc0(p).seLinuxOptions = { user: 'system_u' }; }, 'spec.containers[0].securityContext.seLinuxOptions.user'],
  ['seLinuxOptions', (p) => { sc0(p).seLinuxOptions = { role: 'sysadm_r' }; }, 'spec.containers[0].securityContext.seLinuxOptions.role'],
  ['procMount', (p) => { sc0(p).procMount = 'Unmasked'; }, 'spec.containers[0].securityContext.procMount'],
  ['seccompProfile_baseline', (p) => { sc0(p).seccompProfile = { type: 'Unconfined' }; }, 'spec.containers[0].securityContext.seccompProfile.type'],
  ['seccompProfile_baseline', (p) => { p.spec.securityContext.seccompProfile.type = 'Unconfined'; }, 'spec.securityContext.seccompProfile.type'],
  ['seccompProfile_restricted', (p) => { delete p.spec.securityContext.seccompProfile; }, 'spec.containers[0].securityContext.seccompProfile.type'],
  ['sysctls', (p) => { p.spec.securityContext.sysctls.push({ name: 'kernel.msgmax', value: '1' }); }, 'spec.securityContext.sysctls[1].name'],
  ['restrictedVolumes', (p) => { p.spec.volumes.push({ name: 'nfs', nfs: { server: 'nfs', path: '/' } }); }, 'spec.volumes[2].nfs'],
  ['allowPrivilegeEscalation', (p) => { delete sc0(p).allowPrivilegeEscalation; }, 'spec.containers[0].securityContext.allowPrivilegeEscalation'],
  ['allowPrivilegeEscalation', (p) => { sc0(p).allowPrivilegeEscalation = true; }, 'spec.containers[0].securityContext.allowPrivilegeEscalation'],
  ['runAsNonRoot', (p) => { delete p.spec.securityContext.runAsNonRoot; }, 'spec.containers[0].securityContext.runAsNonRoot'],
  ['runAsNonRoot', (p) => { sc0(p).runAsNonRoot = false; }, 'spec.containers[0].securityContext.runAsNonRoot'],
  ['runAsNonRoot', (p) => { p.spec.securityContext.runAsNonRoot = false; }, 'spec.securityContext.runAsNonRoot'],
  ['runAsUser', (p) => { p.spec.securityContext.runAsUser = 0; }, 'spec.securityContext.runAsUser'],
  ['runAsUser', (p) => { sc0(p).runAsUser = 0; }, 'spec.containers[0].securityContext.runAsUser'],
  ['capabilities_restricted', (p) => { sc0(p).capabilities.drop = ['NET_RAW']; }, 'spec.containers[0].securityContext.capabilities.drop'],
  ['capabilities_restricted', (p) => { delete sc0(p).capabilities; }, 'spec.containers[0].securityContext.capabilities.drop'],
  ['capabilities_restricted', (p) => { sc0(p).capabilities.add = ['CHOWN']; }, 'spec.containers[0].securityContext.capabilities.add'],
  ['privileged', (p) => { p.spec.ephemeralContainers = [{ ...container('debug'), securityContext: { ...container().securityContext, privileged: true } }]; },
    'spec.ephemeralContainers[0].securityContext.privileged'],
];

describe('RestrictedProfile', () => {
  test('a compliant pod passes', () => {
    expect(RestrictedProfile.check([pod()])).toEqual([]);
  });

  test('seccomp on every container instead of the pod, runAsNonRoot on every container, NET_BIND_SERVICE and localhost profiles pass', () => {
    const p = pod();
    delete p.spec.securityContext.seccompProfile;
    delete p.spec.securityContext.runAsNonRoot;
    p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'localhost/custom';
    for (const c of [...p.spec.initContainers, ...p.spec.containers]) {
      c.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' };
      c.securityContext.runAsNonRoot = true;
      c.securityContext.capabilities.add = ['NET_BIND_SERVICE'];
    }
    expect(RestrictedProfile.check([p])).toEqual([]);
  });

  test.each(cases.map(([control, mutate, path]) => [control, path, mutate] as const))('%s: rejects a bad %s', (control, path, mutate) => {
    const p = pod();
    mutate(p);
    const violations = RestrictedProfile.check([p]);
    expect(violations).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'Pod', name: 'app', rule: control, path, message: expect.any(String), level: PolicyLevel.ERROR }),
    ]));
    // The mutation breaks only that control, or a restricted control the baseline one implies.
    const implied: { [c: string]: string[] } = {
      hostPathVolumes: ['restrictedVolumes'], capabilities_baseline: ['capabilities_restricted'], seccompProfile_baseline: ['seccompProfile_restricted'],
    };
    expect(new Set(violations.map((v) => v.rule))).toEqual(new Set([control, ...implied[control] ?? []].filter((c) =>
      c === control || violations.some((v) => v.rule === c))));
    expect(violations.filter((v) => v.rule !== control).every((v) => (implied[control] ?? []).includes(v.rule))).toBe(true);
  });

  test.each(cases.map(([control, mutate]) => [control, mutate] as const))('%s is tagged with its level; baseline checks only baseline controls', (control, mutate) => {
    const p = pod();
    mutate(p);
    const level = RestrictedProfile.rules().find((r) => r.id === control)!.podSecurityLevel;
    expect(RestrictedProfile.check([p]).find((v) => v.rule === control)?.podSecurityLevel).toBe(level);
    const atBaseline = RestrictedProfile.check([p], { level: PodSecurityLevel.BASELINE }).map((v) => v.rule);
    expect(atBaseline.includes(control)).toBe(level === PodSecurityLevel.BASELINE);
    expect(RestrictedProfile.check([p], { level: PodSecurityLevel.PRIVILEGED })).toEqual([]);
  });

  test('a pod only the restricted level refuses passes baseline', () => {
    const p = pod();
    delete p.spec.securityContext;
    delete c0(p).securityContext;
    expect(RestrictedProfile.check([p], { level: PodSecurityLevel.BASELINE })).toEqual([]);
    expect(new Set(RestrictedProfile.check([p]).map((v) => v.rule))).toEqual(new Set([
      'allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted',
    ]));
    expect(new Set(RestrictedProfile.check([p]).map((v) => v.podSecurityLevel))).toEqual(new Set([PodSecurityLevel.RESTRICTED]));
  });

  test('every control of PSS v1.28 is covered by the table', () => {
    expect([...new Set(cases.map((c) => c[0]))].sort()).toEqual([
      'allowPrivilegeEscalation', 'appArmorProfile', 'capabilities_baseline', 'capabilities_restricted',
      'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'privileged', 'procMount', 'restrictedVolumes',
      'runAsNonRoot', 'runAsUser', 'seLinuxOptions', 'seccompProfile_baseline', 'seccompProfile_restricted',
      'sysctls', 'windowsHostProcess',
    ]);
  });

  test('windows pods skip the Linux-only restricted checks but not baseline', () => {
    const p = pod();
    p.spec.os = { name: 'windows' };
    delete p.spec.securityContext.seccompProfile;
    delete p.spec.containers[0].securityContext;
    delete p.spec.securityContext.runAsNonRoot;
    p.spec.hostNetwork = true;
    const controls = RestrictedProfile.check([p]).map((v) => v.rule);
    expect(controls).toContain('hostNamespaces');
    expect(controls).toContain('runAsNonRoot');
    expect(controls).not.toContain('allowPrivilegeEscalation');
    expect(controls).not.toContain('seccompProfile_restricted');
    expect(controls).not.toContain('capabilities_restricted');
  });

  test('pod specs in Deployment and CronJob are found and checked; other kinds are ignored', () => {
    const spec = pod().spec;
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { ...spec, hostPID: true } } },
    };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: 'Never', containers: [{ name: 'job', image: 'job:1' }] } } } } },
    };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, spec: { hostPID: true } };
    const violations = RestrictedProfile.check([deployment, cron, cm]);
    expect(violations).toContainEqual(expect.objectContaining({ kind: 'Deployment', name: 'web', rule: 'hostNamespaces', path: 'spec.template.spec.hostPID' }));
    expect(violations.filter((v) => v.kind === 'CronJob').map((v) => `${v.rule} ${v.path}`).sort()).toEqual([
      'allowPrivilegeEscalation spec.jobTemplate.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
      'capabilities_restricted spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.drop',
    ]);
    expect(violations.filter((v) => v.kind === 'ConfigMap')).toEqual([]);
  });
});

describe('manifest helpers', () => {
  function chart(hostPID: boolean): Chart {
    const c = new Chart(Testing.app(), 'test');
    const spec = pod().spec;
    new ApiObject(c, 'web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { ...spec, hostPID } } },
    });
    new ApiObject(c, 'nightly', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: 'Never' } } } } },
    });
    return c;
  }

  test('synthManifests returns valid objects; findObject and objectsOfKind locate them', () => {
    const objects = synthManifests(chart(false));
    expect(findObject(objects, 'CronJob', 'nightly').spec.schedule).toBe('0 3 * * *');
    expect(objectsOfKind(objects, 'Deployment').map((o) => o.metadata.name)).toEqual(['web']);
    expect(() => findObject(objects, 'Service', 'web')).toThrow('no Service named "web" among the synthesized objects; found: Deployment/web, CronJob/nightly');
  });

  test('assertValidManifests lists schema problems and policy violations together', () => {
    const objects = chart(true).toJson();
    objects[1].spec.schedule = 7;
    expect(() => assertValidManifests(objects)).toThrow(
      /2 problem\(s\)[\s\S]*schema: CronJob\/nightly: spec\.schedule: got 7; must be string[\s\S]*pod-security \(hostNamespaces\): Deployment\/web: spec\.template\.spec\.hostPID/,
    );
  });
});
