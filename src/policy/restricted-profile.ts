/**
 * Pod Security Standards (policy v1.28), baseline + restricted, over synthesized objects.
 * Control ids are the Pod Security Admission check ids (see docs/DESIGN.md, `src/policy/`).
 */
import { PolicyLevel, PolicyRule, PolicyViolation, RestrictedProfileOptions } from './policy-types';
import { PodSecurityLevel } from '../core/pod-security';
import { checkArgsOrThrow } from '../core/validation';
import { ContainerRef, ManifestSet, ObjectRef, PodTemplateRef } from '../manifests';

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);
const SECCOMP_ALLOWED = new Set(['RuntimeDefault', 'Localhost']);
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const B = PodSecurityLevel.BASELINE;
const R = PodSecurityLevel.RESTRICTED;
/** Every control: its Pod Security Standards level and what compliance means. */
const CONTROLS: { readonly [control: string]: [PodSecurityLevel, string] } = {
  windowsHostProcess: [B, 'no Windows HostProcess pod or container'],
  hostNamespaces: [B, 'hostNetwork, hostPID and hostIPC are unset or false'],
  privileged: [B, 'no privileged container'],
  capabilities_baseline: [B, 'containers add only the default capabilities of a container runtime'],
  hostPathVolumes: [B, 'no hostPath volume'],
  hostPorts: [B, 'no container port sets a hostPort'],
  appArmorProfile: [B, 'AppArmor profiles are unset, runtime/default or localhost/<profile>'],
  seLinuxOptions: [B, 'SELinux type is a container type; user and role are unset'],
  procMount: [B, 'procMount is unset or Default'],
  seccompProfile_baseline: [B, 'no seccomp profile is Unconfined'],
  sysctls: [B, 'only the safe sysctls are set'],
  restrictedVolumes: [R, 'volumes are configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret'],
  allowPrivilegeEscalation: [R, 'every container sets allowPrivilegeEscalation: false'],
  runAsNonRoot: [R, 'runAsNonRoot is true for the pod or every container, and never false'],
  runAsUser: [R, 'runAsUser is never 0'],
  seccompProfile_restricted: [R, 'the pod or every container sets seccomp RuntimeDefault or Localhost'],
  capabilities_restricted: [R, 'every container drops ALL capabilities and adds at most NET_BIND_SERVICE'],
};

/**
 * Checks pod specs against every Pod Security Standards v1.28 baseline and restricted control.
 *
 * Pod specs are found in Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
 * Job (`spec.template`) and CronJob (`spec.jobTemplate.spec.template`); init, regular and ephemeral
 * containers are all checked. Other kinds are ignored.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, RestrictedProfile } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 * });
 *
 * // Every Pod Security Standards v1.28 baseline and restricted control, on every pod template:
 * // an empty list, since the library's pods are restricted by default.
 * const violations = RestrictedProfile.check(chart.toJson());
 */
export class RestrictedProfile {
  /**
   * Returns every violation in the given manifests (plain objects, e.g. from `chart.toJson()`), each
   * an ERROR tagged with its control's level; empty when all comply.
   */
  public static check(manifests: any[], options: RestrictedProfileOptions = {}): PolicyViolation[] {
    checkArgsOrThrow('RestrictedProfile', 'static check', [manifests, options]);
    // JavaScript's null means "not set", as jsii treats it.
    return RestrictedProfile._checkSet(new ManifestSet(manifests ?? []), options ?? {});
  }

  /** Every control, with its Pod Security Standards level (every violation is an ERROR). */
  public static rules(): PolicyRule[] {
    return Object.entries(CONTROLS).map(([id, [podSecurityLevel, description]]) => ({ id, level: PolicyLevel.ERROR, description, podSecurityLevel }));
  }

  /**
   * `check` over an index already built; with `sink`, each violation goes there with its object
   * instead (and the result is empty). @internal
   */
  public static _checkSet(index: ManifestSet, options: RestrictedProfileOptions = {},
    sink?: (obj: ObjectRef, v: PolicyViolation) => void): PolicyViolation[] {
    const level = options.level ?? PodSecurityLevel.RESTRICTED;
    if (level === PodSecurityLevel.PRIVILEGED) return [];
    const out: PolicyViolation[] = [];
    for (const pod of index.pods) {
      const { kind, name, namespace } = pod.obj;
      new PodChecker(pod, (control, path, message) => {
        const podSecurityLevel = CONTROLS[control][0];
        if (level === PodSecurityLevel.BASELINE && podSecurityLevel !== PodSecurityLevel.BASELINE) return;
        const where = { kind, name, ...(namespace ? { namespace } : {}) };
        const v: PolicyViolation = { ...where, control, path, message, level: PolicyLevel.ERROR, podSecurityLevel };
        if (sink) sink(pod.obj, v); else out.push(v);
      }).run();
    }
    return out;
  }
}

type Report = (control: string, path: string, message: string) => void;

class PodChecker {
  private readonly spec: any;
  private readonly psc: any;
  private readonly pscPath: string;
  private readonly containers: ContainerRef[];
  private readonly linux: boolean;

  constructor(private readonly loc: PodTemplateRef, private readonly report: Report) {
    this.spec = loc.spec;
    this.psc = this.spec.securityContext ?? {};
    this.pscPath = `${loc.specPath}.securityContext`;
    this.containers = loc.containers;
    this.linux = this.spec.os?.name !== 'windows';
  }

  public run(): void {
    this.hostProcess();
    this.hostNamespaces();
    this.perContainer();
    this.volumes();
    this.appArmor();
    this.seLinux(this.psc, this.pscPath);
    this.seccomp();
    this.sysctls();
    this.runAsNonRoot();
    this.runAsUser(this.psc, this.pscPath);
  }

  private hostProcess(): void {
    const check = (sc: any, p: string) => {
      if (sc?.windowsOptions?.hostProcess === true) {
        this.report('windowsHostProcess', `${p}.windowsOptions.hostProcess`, 'hostProcess is true; must be unset or false');
      }
    };
    check(this.psc, this.pscPath);
    for (const { c, path } of this.containers) check(c.securityContext, `${path}.securityContext`);
  }

  private hostNamespaces(): void {
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (this.spec[f] === true) this.report('hostNamespaces', `${this.loc.specPath}.${f}`, `${f} is true; must be unset or false`);
    }
  }

  private perContainer(): void {
    for (const { c, path } of this.containers) {
      const sc = c.securityContext ?? {};
      const scPath = `${path}.securityContext`;
      if (sc.privileged === true) this.report('privileged', `${scPath}.privileged`, 'privileged is true; must be unset or false');
      const add: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
      const drop: unknown[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
      const notBaseline = add.filter((a) => !BASELINE_CAPABILITIES.has(String(a)));
      if (notBaseline.length) {
        this.report('capabilities_baseline', `${scPath}.capabilities.add`,
          `adds ${notBaseline.join(', ')}; only ${[...BASELINE_CAPABILITIES].join(', ')} may be added`);
      }
      (Array.isArray(c.ports) ? c.ports : []).forEach((port: any, i: number) => {
        if (port?.hostPort !== undefined && port.hostPort !== 0) {
          this.report('hostPorts', `${path}.ports[${i}].hostPort`, `hostPort is ${port.hostPort}; must be unset or 0`);
        }
      });
      this.seLinux(sc, scPath);
      if (sc.procMount !== undefined && sc.procMount !== 'Default') {
        this.report('procMount', `${scPath}.procMount`, `procMount is ${JSON.stringify(sc.procMount)}; must be unset or Default`);
      }
      if (sc.allowPrivilegeEscalation !== false && this.linux) {
        this.report('allowPrivilegeEscalation', `${scPath}.allowPrivilegeEscalation`,
          `allowPrivilegeEscalation is ${JSON.stringify(sc.allowPrivilegeEscalation) ?? 'unset'}; must be explicitly false`);
      }
      this.runAsUser(sc, scPath);
      if (this.linux) {
        if (!drop.some((d) => d === 'ALL')) {
          this.report('capabilities_restricted', `${scPath}.capabilities.drop`, 'capabilities.drop does not contain ALL; must drop ALL');
        }
        const notAllowed = add.filter((a) => a !== 'NET_BIND_SERVICE');
        if (notAllowed.length) {
          this.report('capabilities_restricted', `${scPath}.capabilities.add`,
            `adds ${notAllowed.join(', ')}; only NET_BIND_SERVICE may be added`);
        }
      }
    }
  }

  private volumes(): void {
    (Array.isArray(this.spec.volumes) ? this.spec.volumes : []).forEach((v: any, i: number) => {
      const p = `${this.loc.specPath}.volumes[${i}]`;
      if (v?.hostPath !== undefined) this.report('hostPathVolumes', `${p}.hostPath`, `volume ${v.name} uses hostPath; hostPath volumes are forbidden`);
      for (const source of Object.keys(v ?? {})) {
        if (source === 'name' || RESTRICTED_VOLUME_SOURCES.has(source)) continue;
        this.report('restrictedVolumes', `${p}.${source}`,
          `volume ${v.name} uses ${source}; only ${[...RESTRICTED_VOLUME_SOURCES].join(', ')} are allowed`);
      }
    });
  }

  private appArmor(): void {
    for (const [k, v] of Object.entries(this.loc.meta?.annotations ?? {})) {
      if (!k.startsWith(APPARMOR_PREFIX)) continue;
      const value = String(v ?? '');
      if (value === '' || value === 'runtime/default' || value.startsWith('localhost/')) continue;
      this.report('appArmorProfile', `${this.loc.metaPath}.annotations.${k}`,
        `AppArmor profile is ${JSON.stringify(value)}; must be unset, runtime/default or localhost/<profile>`);
    }
  }

  private seLinux(sc: any, scPath: string): void {
    const opts = sc?.seLinuxOptions;
    if (!opts) return;
    const p = `${scPath}.seLinuxOptions`;
    if (opts.type !== undefined && !SELINUX_TYPES.has(opts.type)) {
      this.report('seLinuxOptions', `${p}.type`, `type is ${JSON.stringify(opts.type)}; must be unset, container_t, container_init_t or container_kvm_t`);
    }
    for (const f of ['user', 'role']) {
      if (opts[f] !== undefined && opts[f] !== '') this.report('seLinuxOptions', `${p}.${f}`, `${f} is ${JSON.stringify(opts[f])}; must be unset or empty`);
    }
  }

  private seccomp(): void {
    const podType = this.psc.seccompProfile?.type;
    if (podType !== undefined && podType === 'Unconfined') {
      this.report('seccompProfile_baseline', `${this.pscPath}.seccompProfile.type`, 'seccomp profile is Unconfined; must be RuntimeDefault or Localhost');
    } else if (podType !== undefined && !SECCOMP_ALLOWED.has(podType) && this.linux) {
      this.report('seccompProfile_restricted', `${this.pscPath}.seccompProfile.type`, `seccomp profile is ${JSON.stringify(podType)}; must be RuntimeDefault or Localhost`);
    }
    const podOk = SECCOMP_ALLOWED.has(podType);
    for (const { c, path } of this.containers) {
      const type = c.securityContext?.seccompProfile?.type;
      const p = `${path}.securityContext.seccompProfile.type`;
      if (type === 'Unconfined') {
        this.report('seccompProfile_baseline', p, 'seccomp profile is Unconfined; must be RuntimeDefault or Localhost');
      } else if (!this.linux) {
        continue;
      } else if (type !== undefined && !SECCOMP_ALLOWED.has(type)) {
        this.report('seccompProfile_restricted', p, `seccomp profile is ${JSON.stringify(type)}; must be RuntimeDefault or Localhost`);
      } else if (type === undefined && !podOk) {
        this.report('seccompProfile_restricted', p, 'seccomp profile is unset here and at pod level; set RuntimeDefault or Localhost on the pod or on every container');
      }
    }
  }

  private sysctls(): void {
    (Array.isArray(this.psc.sysctls) ? this.psc.sysctls : []).forEach((s: any, i: number) => {
      if (!SAFE_SYSCTLS.has(s?.name)) {
        this.report('sysctls', `${this.pscPath}.sysctls[${i}].name`, `sysctl ${JSON.stringify(s?.name)} is not in the safe set (${[...SAFE_SYSCTLS].join(', ')})`);
      }
    });
  }

  private runAsNonRoot(): void {
    const pod = this.psc.runAsNonRoot;
    if (pod === false) this.report('runAsNonRoot', `${this.pscPath}.runAsNonRoot`, 'runAsNonRoot is false; must be true');
    for (const { c, path } of this.containers) {
      const v = c.securityContext?.runAsNonRoot;
      const p = `${path}.securityContext.runAsNonRoot`;
      if (v === false) this.report('runAsNonRoot', p, 'runAsNonRoot is false; must be true');
      else if (v !== true && pod !== true) this.report('runAsNonRoot', p, 'runAsNonRoot is unset here and not true at pod level; must be true');
    }
  }

  private runAsUser(sc: any, scPath: string): void {
    if (sc?.runAsUser === 0) this.report('runAsUser', `${scPath}.runAsUser`, 'runAsUser is 0 (root); must be unset or non-zero');
  }
}
