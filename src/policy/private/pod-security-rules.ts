/**
 * Internal to `RestrictedProfile`: the Pod Security Standards (policy v1.28) controls, baseline and
 * restricted, each with its level, what compliance means and its check. Control ids are the Pod
 * Security Admission check ids (see docs/DESIGN.md, `src/policy/`). Every violation is an ERROR.
 */
import { family, list, Rule, RuleFamily, RuleScope, text } from './rule-kit';
import { PodSecurityLevel } from '../../core/pod-security';
import { BASELINE_CAPABILITIES, RESTRICTED_PROFILE_TYPES, SAFE_SYSCTLS, SELINUX_TYPES } from '../../core/pod-security-controls';
import { ContainerRef, PodTemplateRef } from '../../manifests';
import { PolicyLevel } from '../policy-types';

const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** The pod-level security context and its path. */
function podContext(pod: PodTemplateRef): { psc: any; pscPath: string } {
  const psc = pod.spec.securityContext;
  return { psc: psc && typeof psc === 'object' ? psc : {}, pscPath: `${pod.specPath}.securityContext` };
}

/** Linux pods (not `os.name: windows`): the restricted Linux-only controls apply to them. */
function linux(pod: PodTemplateRef): boolean {
  return !pod.windows;
}

/**
 * What to add to a capability message when a name differs from an allowed one only in case or a
 * `CAP_` prefix: Pod Security admission compares the names exactly.
 */
function spellingHint(names: unknown[], allowed: readonly string[]): string {
  const near = names.some((n) => typeof n === 'string' && !allowed.includes(n)
    && allowed.includes(n.toUpperCase().replace(/^CAP_/, '')));
  return near ? ' (Pod Security admission compares names exactly: upper case, no CAP_ prefix)' : '';
}

/** A container's security context (`{}` when unset) and its path. */
function containerContext({ c, path }: ContainerRef): { sc: any; scPath: string } {
  const sc = c.securityContext;
  return { sc: sc && typeof sc === 'object' ? sc : {}, scPath: `${path}.securityContext` };
}

function capabilityList(sc: any, field: 'add' | 'drop'): unknown[] {
  return list(sc.capabilities?.[field]);
}

function seLinux(sc: any, scPath: string, at: RuleScope): void {
  const opts = sc?.seLinuxOptions;
  if (!opts || typeof opts !== 'object') return;
  const p = `${scPath}.seLinuxOptions`;
  if (opts.type !== undefined && !SELINUX_TYPES.includes(opts.type)) {
    at.report(`${p}.type`, `type is ${JSON.stringify(opts.type)}; must be unset, container_t, container_init_t or container_kvm_t`);
  }
  for (const f of ['user', 'role']) {
    if (opts[f] !== undefined && opts[f] !== '') at.report(`${p}.${f}`, `${f} is ${JSON.stringify(opts[f])}; must be unset or empty`);
  }
}

function runAsUserZero(sc: any, scPath: string, at: RuleScope): void {
  if (sc?.runAsUser === 0) at.report(`${scPath}.runAsUser`, 'runAsUser is 0 (root); must be unset or non-zero');
}

const B = PodSecurityLevel.BASELINE;
const R = PodSecurityLevel.RESTRICTED;

/** Every control, in the order `RestrictedProfile.rules()` lists them. */
export const POD_SECURITY_RULES = family(RuleFamily.POD_SECURITY, [
  {
    id: 'windowsHostProcess',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'no Windows HostProcess pod or container',
    pod: (pod, at) => {
      const { psc, pscPath } = podContext(pod);
      const check = (sc: any, p: string) => {
        if (sc?.windowsOptions?.hostProcess === true) at.report(`${p}.windowsOptions.hostProcess`, 'hostProcess is true; must be unset or false');
      };
      check(psc, pscPath);
      for (const c of pod.containers) check(c.c.securityContext, `${c.path}.securityContext`);
    },
  },
  {
    id: 'hostNamespaces',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'hostNetwork, hostPID and hostIPC are unset or false',
    pod: (pod, at) => {
      for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
        if (pod.spec[f] === true) at.report(`${pod.specPath}.${f}`, `${f} is true; must be unset or false`);
      }
    },
  },
  {
    id: 'privileged',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'no privileged container',
    pod: (pod, at) => {
      for (const c of pod.containers) {
        const { sc, scPath } = containerContext(c);
        if (sc.privileged === true) at.report(`${scPath}.privileged`, 'privileged is true; must be unset or false');
      }
    },
  },
  {
    id: 'capabilities_baseline',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'containers add only the default capabilities of a container runtime',
    pod: (pod, at) => {
      for (const c of pod.containers) {
        const { sc, scPath } = containerContext(c);
        const notBaseline = capabilityList(sc, 'add').filter((a) => !(typeof a === 'string' && BASELINE_CAPABILITIES.includes(a)));
        if (notBaseline.length) {
          at.report(`${scPath}.capabilities.add`,
            `adds ${notBaseline.map(text).join(', ')}; only ${BASELINE_CAPABILITIES.join(', ')} may be added${spellingHint(notBaseline, BASELINE_CAPABILITIES)}`);
        }
      }
    },
  },
  {
    id: 'hostPathVolumes',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'no hostPath volume',
    pod: (pod, at) => {
      list(pod.spec.volumes).forEach((v: any, i: number) => {
        if (v?.hostPath !== undefined) at.report(`${pod.specPath}.volumes[${i}].hostPath`, `volume ${text(v.name)} uses hostPath; hostPath volumes are forbidden`);
      });
    },
  },
  {
    id: 'hostPorts',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'no container port sets a hostPort',
    pod: (pod, at) => {
      for (const { c, path } of pod.containers) {
        list(c.ports).forEach((port: any, i: number) => {
          if (port?.hostPort !== undefined && port.hostPort !== 0) at.report(`${path}.ports[${i}].hostPort`, `hostPort is ${text(port.hostPort)}; must be unset or 0`);
        });
      }
    },
  },
  {
    id: 'appArmorProfile',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'AppArmor profiles are unset, runtime/default or localhost/<profile>',
    pod: (pod, at) => {
      const annotations = pod.meta.annotations;
      for (const [k, v] of Object.entries(annotations && typeof annotations === 'object' ? annotations : {})) {
        if (!k.startsWith(APPARMOR_PREFIX)) continue;
        const value = typeof v === 'string' ? v : '';
        if (value === '' || value === 'runtime/default' || value.startsWith('localhost/')) continue;
        at.report(`${pod.metaPath}.annotations.${k}`, `AppArmor profile is ${JSON.stringify(value)}; must be unset, runtime/default or localhost/<profile>`);
      }
    },
  },
  {
    id: 'seLinuxOptions',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'SELinux type is a container type; user and role are unset',
    pod: (pod, at) => {
      for (const c of pod.containers) {
        const { sc, scPath } = containerContext(c);
        seLinux(sc, scPath, at);
      }
      const { psc, pscPath } = podContext(pod);
      seLinux(psc, pscPath, at);
    },
  },
  {
    id: 'procMount',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'procMount is unset or Default',
    pod: (pod, at) => {
      for (const c of pod.containers) {
        const { sc, scPath } = containerContext(c);
        if (sc.procMount !== undefined && sc.procMount !== 'Default') {
          at.report(`${scPath}.procMount`, `procMount is ${JSON.stringify(sc.procMount)}; must be unset or Default`);
        }
      }
    },
  },
  {
    id: 'seccompProfile_baseline',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'no seccomp profile is Unconfined',
    pod: (pod, at) => {
      const { psc, pscPath } = podContext(pod);
      if (psc.seccompProfile?.type === 'Unconfined') {
        at.report(`${pscPath}.seccompProfile.type`, 'seccomp profile is Unconfined; must be RuntimeDefault or Localhost');
      }
      for (const { c, path } of pod.containers) {
        if (c.securityContext?.seccompProfile?.type === 'Unconfined') {
          at.report(`${path}.securityContext.seccompProfile.type`, 'seccomp profile is Unconfined; must be RuntimeDefault or Localhost');
        }
      }
    },
  },
  {
    id: 'sysctls',
    podSecurityLevel: B,
    level: PolicyLevel.ERROR,
    description: 'only the safe sysctls are set',
    pod: (pod, at) => {
      const { psc, pscPath } = podContext(pod);
      list(psc.sysctls).forEach((s: any, i: number) => {
        if (!SAFE_SYSCTLS.includes(s?.name)) {
          at.report(`${pscPath}.sysctls[${i}].name`, `sysctl ${JSON.stringify(s?.name)} is not in the safe set (${SAFE_SYSCTLS.join(', ')})`);
        }
      });
    },
  },
  {
    id: 'restrictedVolumes',
    podSecurityLevel: R,
    level: PolicyLevel.ERROR,
    description: 'volumes are configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret',
    pod: (pod, at) => {
      list(pod.spec.volumes).forEach((v: any, i: number) => {
        for (const source of Object.keys(v && typeof v === 'object' ? v : {})) {
          if (source === 'name' || RESTRICTED_VOLUME_SOURCES.has(source)) continue;
          at.report(`${pod.specPath}.volumes[${i}].${source}`,
            `volume ${text(v.name)} uses ${source}; only ${[...RESTRICTED_VOLUME_SOURCES].join(', ')} are allowed`);
        }
      });
    },
  },
  {
    id: 'allowPrivilegeEscalation',
    podSecurityLevel: R,
    level: PolicyLevel.ERROR,
    description: 'every container sets allowPrivilegeEscalation: false',
    pod: (pod, at) => {
      if (!linux(pod)) return;
      for (const c of pod.containers) {
        const { sc, scPath } = containerContext(c);
        if (sc.allowPrivilegeEscalation !== false) {
          at.report(`${scPath}.allowPrivilegeEscalation`, `allowPrivilegeEscalation is ${JSON.stringify(sc.allowPrivilegeEscalation) ?? 'unset'}; must be explicitly false`);
        }
      }
    },
  },
  {
    id: 'runAsNonRoot',
    podSecurityLevel: R,
    level: PolicyLevel.ERROR,
    description: 'runAsNonRoot is true for the pod or every container, and never false',
    pod: (pod, at) => {
      const { psc, pscPath } = podContext(pod);
      if (psc.runAsNonRoot === false) at.report(`${pscPath}.runAsNonRoot`, 'runAsNonRoot is false; must be true');
      for (const { c, path } of pod.containers) {
        const v = c.securityContext?.runAsNonRoot;
        const p = `${path}.securityContext.runAsNonRoot`;
        if (v === false) at.report(p, 'runAsNonRoot is false; must be true');
        else if (v !== true && psc.runAsNonRoot !== true) at.report(p, 'runAsNonRoot is unset here and not true at pod level; must be true');
      }
    },
  },
  {
    id: 'runAsUser',
    podSecurityLevel: R,
    level: PolicyLevel.ERROR,
    description: 'runAsUser is never 0',
    pod: (pod, at) => {
      for (const c of pod.containers) {
        const { sc, scPath } = containerContext(c);
        runAsUserZero(sc, scPath, at);
      }
      const { psc, pscPath } = podContext(pod);
      runAsUserZero(psc, pscPath, at);
    },
  },
  {
    id: 'seccompProfile_restricted',
    podSecurityLevel: R,
    level: PolicyLevel.ERROR,
    description: 'the pod or every container sets seccomp RuntimeDefault or Localhost',
    pod: (pod, at) => {
      if (!linux(pod)) return;
      const { psc, pscPath } = podContext(pod);
      const podType = psc.seccompProfile?.type;
      if (podType !== undefined && podType !== 'Unconfined' && !RESTRICTED_PROFILE_TYPES.includes(podType)) {
        at.report(`${pscPath}.seccompProfile.type`, `seccomp profile is ${JSON.stringify(podType)}; must be RuntimeDefault or Localhost`);
      }
      const podOk = RESTRICTED_PROFILE_TYPES.includes(podType);
      for (const { c, path } of pod.containers) {
        const type = c.securityContext?.seccompProfile?.type;
        const p = `${path}.securityContext.seccompProfile.type`;
        if (type === 'Unconfined') continue; // seccompProfile_baseline's
        if (type !== undefined && !RESTRICTED_PROFILE_TYPES.includes(type)) {
          at.report(p, `seccomp profile is ${JSON.stringify(type)}; must be RuntimeDefault or Localhost`);
        } else if (type === undefined && !podOk) {
          at.report(p, 'seccomp profile is unset here and at pod level; set RuntimeDefault or Localhost on the pod or on every container');
        }
      }
    },
  },
  {
    id: 'capabilities_restricted',
    podSecurityLevel: R,
    level: PolicyLevel.ERROR,
    description: 'every container drops ALL capabilities and adds at most NET_BIND_SERVICE',
    pod: (pod, at) => {
      if (!linux(pod)) return;
      for (const c of pod.containers) {
        const { sc, scPath } = containerContext(c);
        const drop = capabilityList(sc, 'drop');
        if (!drop.some((d) => d === 'ALL')) {
          at.report(`${scPath}.capabilities.drop`, `capabilities.drop does not contain ALL; must drop ALL${spellingHint(drop, ['ALL'])}`);
        }
        const notAllowed = capabilityList(sc, 'add').filter((a) => a !== 'NET_BIND_SERVICE');
        if (notAllowed.length) {
          at.report(`${scPath}.capabilities.add`,
            `adds ${notAllowed.map(text).join(', ')}; only NET_BIND_SERVICE may be added${spellingHint(notAllowed, ['NET_BIND_SERVICE'])}`);
        }
      }
    },
  },
]);

/** The controls a namespace enforcing `level` checks: all at RESTRICTED, the baseline ones at BASELINE, none at PRIVILEGED. */
export function podSecurityControls(level: PodSecurityLevel = PodSecurityLevel.RESTRICTED): Rule[] {
  if (level === PodSecurityLevel.PRIVILEGED) return [];
  return POD_SECURITY_RULES.filter((r) => level === PodSecurityLevel.RESTRICTED || r.podSecurityLevel === PodSecurityLevel.BASELINE);
}
