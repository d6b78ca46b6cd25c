import { Testing } from 'cdk8s';
import { ContainerImage, DeploymentManifest, SeccompProfileType, SecurityProfile, SecurityProfileProps } from '../../src';
import { findObject, synthManifests } from '../util/manifests';
import { DEFAULT_CONTAINER_SECURITY_CONTEXT } from '../util/security-context';

function chartWith(build: (chart: any) => void, namespace = 'shop') {
  const chart = Testing.chart();
  (chart as any).namespace = namespace;
  build(chart);
  return chart;
}

function api(chart: any, securityProfile?: SecurityProfile) {
  return new DeploymentManifest(chart, 'api', {
    image: new ContainerImage(chart, 'api-image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }),
    ports: [{ containerPort: 8080 }],
    securityProfile,
  });
}

/** The pod spec of the "api" Deployment built with a SecurityProfile of these props. */
function podWith(props: SecurityProfileProps) {
  const objects = synthManifests(chartWith((c) => api(c, new SecurityProfile(c, 'profile', props))));
  return findObject(objects, 'Deployment', 'api').spec.template.spec;
}

const CUSTOM: SecurityProfileProps = {
  runAsUser: 10001,
  allowedCapabilities: ['NET_BIND_SERVICE'],
  seccompProfile: SeccompProfileType.LOCALHOST,
  localhostProfile: 'profiles/api.json',
  selinuxOptions: { type: 'container_t' },
  writablePaths: ['/tmp', '/var/cache/app'],
};

describe('SecurityProfile', () => {
  test('a custom profile on a DeploymentManifest (snapshot)', () => {
    expect(podWith(CUSTOM)).toMatchSnapshot();
  });

  test('the custom profile sets the pod and container securityContext', () => {
    const pod = podWith(CUSTOM);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 1000,
      fsGroup: 1000,
      seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/api.json' },
      seLinuxOptions: { type: 'container_t' },
    });
    expect(pod.containers[0].securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/api.json' },
    });
  });

  test('every writable path becomes an emptyDir mounted at that path', () => {
    const pod = podWith(CUSTOM);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'var-cache-app', mountPath: '/var/cache/app' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'var-cache-app', emptyDir: {} },
    ]);
  });

  test('fsGroup and runAsGroup are used as given', () => {
    const pod = podWith({ runAsUser: 2000, runAsGroup: 3000, fsGroup: 4000 });
    expect(pod.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 3000, fsGroup: 4000 });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 3000 });
  });

  test('defaults: uid/gid 1000, read-only root filesystem with /tmp, drop ALL, RuntimeDefault', () => {
    const chart = Testing.chart();
    const profile = new SecurityProfile(chart, 'profile');
    expect(profile.runAsUser).toBe(1000);
    expect(profile.runAsGroup).toBe(1000);
    expect(profile.readOnlyRootFilesystem).toBe(true);
    expect(profile.writablePaths).toEqual(['/tmp']);
    expect(profile.podSecurityContext()).toEqual({
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(profile.containerSecurityContext()).toEqual(DEFAULT_CONTAINER_SECURITY_CONTEXT);
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('readOnlyRootFilesystem false gives a writable root and no emptyDir', () => {
    const pod = podWith({ readOnlyRootFilesystem: false, writablePaths: ['/tmp', '/data'] });
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(pod.containers[0].volumeMounts).toBeUndefined();
    expect(pod.volumes).toBeUndefined();
  });

  test('SELinux level alone is kept; an empty type is dropped', () => {
    const pod = podWith({ selinuxOptions: { level: 's0:c123,c456', type: '' } });
    expect(pod.securityContext.seLinuxOptions).toEqual({ level: 's0:c123,c456' });
  });
});

describe('SecurityProfile rules', () => {
  /** Synthesizes a chart holding only a SecurityProfile at path test/p and returns the error message. */
  const errorFor = (props: SecurityProfileProps): string => {
    const chart = Testing.chart();
    new SecurityProfile(chart, 'p', props);
    try {
      Testing.synth(chart);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`expected ${JSON.stringify(props)} to be rejected`);
  };

  test.each<[string, SecurityProfileProps, RegExp]>([
    ['runAsUser 0', { runAsUser: 0 }, /\[test\/p\] runAsUser: got 0; expected a non-root id: an integer greater than 0/],
    ['runAsGroup 0', { runAsGroup: 0 }, /\[test\/p\] runAsGroup: got 0; expected a non-root id: an integer greater than 0/],
    ['fsGroup -1', { fsGroup: -1 }, /\[test\/p\] fsGroup: got -1; expected a non-root id: an integer greater than 0/],
    ['a fractional runAsUser', { runAsUser: 1000.5 }, /\[test\/p\] runAsUser: got 1000.5; expected a non-root id/],
    ['allowedCapabilities SYS_ADMIN', { allowedCapabilities: ['NET_BIND_SERVICE', 'SYS_ADMIN'] },
      /\[test\/p\] allowedCapabilities\[1\]: got "SYS_ADMIN"; expected only NET_BIND_SERVICE \(the restricted Pod Security profile drops every other capability\)/],
    ['LOCALHOST without localhostProfile', { seccompProfile: SeccompProfileType.LOCALHOST },
      /\[test\/p\] localhostProfile: got nothing; expected the path of the Localhost seccomp profile \(for example "profiles\/app.json"\)/],
    ['localhostProfile without LOCALHOST', { localhostProfile: 'profiles/app.json' },
      /\[test\/p\] localhostProfile: got "profiles\/app.json"; expected no localhostProfile unless seccompProfile is LOCALHOST/],
    ['an absolute localhostProfile', { seccompProfile: SeccompProfileType.LOCALHOST, localhostProfile: '/var/lib/kubelet/seccomp/app.json' },
      /\[test\/p\] localhostProfile: got "\/var\/lib\/kubelet\/seccomp\/app.json"; expected a path relative to the kubelet seccomp directory, without "\.\."/],
    ['a localhostProfile with ".."', { seccompProfile: SeccompProfileType.LOCALHOST, localhostProfile: 'profiles/../../etc/app.json' },
      /\[test\/p\] localhostProfile: got "profiles\/..\/..\/etc\/app.json"; expected a path relative to the kubelet seccomp directory/],
    ['selinux type spc_t', { selinuxOptions: { type: 'spc_t' } },
      /\[test\/p\] selinuxOptions.type: got "spc_t"; expected one of container_t, container_init_t, container_kvm_t \(restricted Pod Security profile\)/],
    ['a selinux user', { selinuxOptions: { user: 'system_u' } },
      /\[test\/p\] selinuxOptions.user: got "system_u"; expected no SELinux user \(restricted Pod Security profile\)/],
    ['a selinux role', { selinuxOptions: { role: 'system_r' } },
      /\[test\/p\] selinuxOptions.role: got "system_r"; expected no SELinux role \(restricted Pod Security profile\)/],
    ['a relative writable path', { writablePaths: ['/tmp', 'tmp'] },
      /\[test\/p\] writablePaths\[1\]: got "tmp"; expected an absolute path starting with "\/", without spaces/],
  ])('rejects %s, naming the field and the expected form', (_what, props, message) => {
    expect(errorFor(props)).toMatch(message);
  });

  test('the accepted forms of the same fields synthesize', () => {
    const chart = Testing.chart();
    new SecurityProfile(chart, 'p', {
      runAsUser: 1,
      runAsGroup: 2147483647,
      fsGroup: 1,
      allowedCapabilities: ['NET_BIND_SERVICE'],
      seccompProfile: SeccompProfileType.LOCALHOST,
      localhostProfile: 'profiles/app.json',
      selinuxOptions: { type: 'container_init_t', level: 's0' },
      writablePaths: ['/tmp'],
    });
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('writable paths are not checked when the root filesystem is writable', () => {
    const chart = Testing.chart();
    const profile = new SecurityProfile(chart, 'p', { readOnlyRootFilesystem: false, writablePaths: ['tmp'] });
    expect(profile.writablePaths).toEqual([]);
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('several mistakes are reported together', () => {
    const message = errorFor({ runAsUser: 0, runAsGroup: 0, allowedCapabilities: ['SYS_ADMIN'], selinuxOptions: { type: 'spc_t' } });
    expect(message).toMatch(/\[test\/p\] runAsUser: got 0/);
    expect(message).toMatch(/\[test\/p\] runAsGroup: got 0/);
    expect(message).toMatch(/\[test\/p\] allowedCapabilities\[0\]: got "SYS_ADMIN"/);
    expect(message).toMatch(/\[test\/p\] selinuxOptions.type: got "spc_t"/);
  });
});
