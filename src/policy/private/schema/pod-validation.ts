/**
 * Internal to `policy`: what the API server's validation refuses in a pod spec though the OpenAPI
 * definitions allow it (the schema rule reports each as a schema problem): a container without
 * `image`, ephemeral containers in a manifest, the Linux-only security fields on a Windows pod,
 * `allowPrivilegeEscalation: false` beside `privileged: true` or an added `CAP_SYS_ADMIN`,
 * Bidirectional mount propagation in a container that is not privileged, a hostPort other than its
 * containerPort on the host network, tolerations whose key, operator, value, effect and
 * tolerationSeconds do not go together, probes and lifecycle on an init container that is no native
 * sidecar under the version, a container `restartPolicy` the version refuses (`restartFieldFates`,
 * which the restart rules read too), a seccomp or AppArmor profile of type Localhost without
 * localhostProfile (or one beside another type), a hostPath volume's type; in a Job's or CronJob's
 * pod template, a restartPolicy other than OnFailure or Never (unset is Always), one other than Never
 * beside a podFailurePolicy, a CronJob's schedule the cron parser refuses and its TZ= where the
 * version refuses it.
 *
 * Only values the API server surely refuses are reported; a value of the wrong type is the schema's.
 */
import { isObject, list, oneOf, SchemaProblem, show } from './metadata';
import { featureGates, FeatureGates, sidecarVersionsText } from './versions';
import { LINUX_ONLY_CONTAINER_SECURITY_FIELDS, LINUX_ONLY_POD_SECURITY_FIELDS } from '../../../core/pod-security-controls';
import { cronParseProblem } from '../../../core/rules/schedule';
import { ContainerRef, objectRef, PodTemplateRef, podTemplateOf } from '../../../manifests';

/**
 * What the API server's validation refuses in a pod spec though the OpenAPI definitions allow it:
 * a container without `image` (the definitions leave it optional for "higher level config
 * management"), ephemeral containers in a manifest (they are added to a running pod through its
 * `ephemeralcontainers` subresource), the Linux-only security fields on a Windows pod, the security
 * contexts, mounts, host ports and tolerations that contradict themselves, and a Job's restart
 * policy. `nulls` are the JSON pointers of the fields the object set to null (they are gone from
 * `obj`); `version` is the Kubernetes version checked ("1.28").
 */
export function podValidationProblems(obj: any, nulls: ReadonlySet<string>, version: string): SchemaProblem[] {
  const ref = objectRef(obj);
  const pod = ref && podTemplateOf(ref);
  if (!pod) return [];
  const out: SchemaProblem[] = pod.containers.filter(({ c }) => c.image === undefined || c.image === '').map(({ c, path }) => {
    const pointer = `/${path.replace(/\[(\d+)\]/g, '.$1').split('.').join('/')}/image`;
    return {
      path: `${path}.image`,
      message: nulls.has(pointer) ? 'got null; a container needs an image (null leaves the field unset)'
        : c.image === '' ? 'got ""; a container needs an image' : 'required field is missing (a container needs an image)',
    };
  });
  if (Array.isArray(pod.spec.ephemeralContainers) && pod.spec.ephemeralContainers.length) {
    out.push({
      path: `${pod.specPath}.ephemeralContainers`,
      message: 'cannot be set when the pod is created; ephemeral containers are added to a running pod (kubectl debug)',
    });
  }
  if (pod.windows) out.push(...linuxOnlyOnWindows(pod));
  out.push(...initContainerProblems(pod, version), ...containerProblems(pod), ...tolerationProblems(pod), ...jobProblems(pod, version),
    ...profileProblems(pod, version));
  list(pod.spec.volumes).forEach((v: any, i) => out.push(...hostPathTypeProblems(v?.hostPath, `${pod.specPath}.volumes[${i}].hostPath.type`)));
  return out;
}

/**
 * A seccomp or AppArmor profile whose type and localhostProfile do not go together, at the pod's
 * and each container's securityContext: type Localhost needs localhostProfile (a path relative to
 * the kubelet's profile folder; AppArmor's is not blank or padded), another type takes none.
 * AppArmor's field comes with Kubernetes 1.30 (before it, the schema refuses the field itself).
 */
function profileProblems(pod: PodTemplateRef, version: string): SchemaProblem[] {
  const withAppArmor = Number(version.split('.')[1]) >= 30;
  const contexts: Array<[string, unknown]> = [[`${pod.specPath}.securityContext`, pod.spec.securityContext]];
  for (const { c, path, list: from } of pod.containers) if (from !== 'ephemeralContainers') contexts.push([`${path}.securityContext`, c.securityContext]);
  const out: SchemaProblem[] = [];
  for (const [at, sc] of contexts) {
    if (!isObject(sc)) continue;
    for (const [field, name] of [['seccompProfile', 'seccomp'], ...(withAppArmor ? [['appArmorProfile', 'AppArmor']] : [])]) {
      const profile = sc[field];
      if (!isObject(profile) || typeof profile.type !== 'string' || profile.type === '') continue;
      const path = `${at}.${field}.localhostProfile`;
      const local = profile.localhostProfile;
      if (profile.type !== 'Localhost') {
        if (local !== undefined) out.push({ path, message: `got ${show(local)} beside type ${show(profile.type)}; localhostProfile can only be set when the ${name} type is Localhost (drop it)` });
        continue;
      }
      const expected = name === 'seccomp' ? 'expected the profile\'s file, relative to the kubelet\'s seccomp folder, such as "profiles/audit.json"'
        : 'expected the name of an AppArmor profile loaded on the node, such as "k8s-deny-write", neither blank nor padded with whitespace';
      if (local === undefined) {
        out.push({ path, message: `required field is missing: the ${name} type Localhost needs localhostProfile, the profile to load; ${expected} (or use type RuntimeDefault)` });
      } else if (typeof local !== 'string') {
        continue; // the schema reports a localhostProfile that is no string
      } else if (name === 'seccomp' && (local.startsWith('/') || local.split('/').includes('..'))) {
        out.push({ path, message: `got ${show(local)}; ${expected} (no leading "/", no ".." segment)` });
      } else if (name === 'AppArmor' && (local.trim() === '' || local.trim() !== local)) {
        out.push({ path, message: `got ${show(local)}; ${expected}` });
      }
    }
  }
  return out;
}

/** What the API server of a version does on create with a container's `restartPolicy` or `restartPolicyRules`. */
export interface RestartFieldFate {
  readonly container: ContainerRef;
  readonly field: 'restartPolicy' | 'restartPolicyRules';
  readonly value: unknown;
  /** `kept`: it applies; `dropped`: the API server removes it, silently; `refused`: it refuses the object. */
  readonly fate: 'kept' | 'dropped' | 'refused';
  /** The feature gate whose default decides it. */
  readonly gate: keyof FeatureGates;
}

/**
 * The fate of each `restartPolicy` and `restartPolicyRules` of a pod's init and regular containers
 * (ephemeral containers are refused as a whole in a manifest) under a version's feature gates, as
 * its API server strips the fields of disabled gates before it validates (`dropDisabledFields`):
 *
 * - SidecarContainers off (1.28): every init container's `restartPolicy` is dropped, so a native
 *   sidecar becomes an ordinary init container;
 * - ContainerRestartRules off (1.34): `restartPolicyRules`, a regular container's `restartPolicy` and
 *   an init container's other than `Always` are dropped;
 * - ContainerRestartRules absent (before 1.34): a regular container's `restartPolicy` is refused, and
 *   an init container's other than `Always` too where sidecars are on (1.29 to 1.33).
 *
 * `restartPolicyRules` where ContainerRestartRules is absent is an unknown field of the schema.
 */
export function restartFieldFates(pod: PodTemplateRef, gates: FeatureGates): RestartFieldFate[] {
  const out: RestartFieldFate[] = [];
  for (const container of pod.containers) {
    if (container.list === 'ephemeralContainers') continue;
    const { c } = container;
    const add = (field: RestartFieldFate['field'], fate: RestartFieldFate['fate'], gate: keyof FeatureGates) =>
      out.push({ container, field, value: c[field], fate, gate });
    const restarts = gates.ContainerRestartRules;
    const byRestartRules = restarts === 'on' ? 'kept' : restarts === 'off' ? 'dropped' : 'refused';
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      if (container.list === 'containers') add('restartPolicy', byRestartRules, 'ContainerRestartRules');
      else if (gates.SidecarContainers !== 'on') add('restartPolicy', 'dropped', 'SidecarContainers');
      else if (c.restartPolicy === 'Always') add('restartPolicy', 'kept', 'SidecarContainers');
      else add('restartPolicy', byRestartRules, 'ContainerRestartRules');
    }
    if (c.restartPolicyRules !== undefined && c.restartPolicyRules !== null && restarts !== 'absent') {
      add('restartPolicyRules', byRestartRules, 'ContainerRestartRules');
    }
  }
  return out;
}

/** Whether an init container runs as a native sidecar under a version's gates: `restartPolicy: Always`, kept. */
export function runsAsSidecar(container: ContainerRef, gates: FeatureGates): boolean {
  return container.sidecar && gates.SidecarContainers === 'on';
}

/** The fields the API server refuses on an init container that runs to completion (no kept `restartPolicy: Always`). */
const SIDECAR_ONLY_FIELDS = ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'];

/** Probes and lifecycle on an init container that runs to completion, and each `restartPolicy` the version refuses. */
function initContainerProblems(pod: PodTemplateRef, version: string): SchemaProblem[] {
  const gates = featureGates(version);
  const out: SchemaProblem[] = [];
  for (const container of pod.containers.filter((x) => x.list === 'initContainers' && !runsAsSidecar(x, gates))) {
    const { c, path } = container;
    // A sidecar as written whose restartPolicy the version drops: say why it is no sidecar here.
    const why = container.sidecar
      ? `Kubernetes ${version} drops restartPolicy: Always from init containers, so init container ${show(c.name)} runs to completion like any other; a native sidecar may set it on ${sidecarVersionsText()}`
      : `init container ${show(c.name)} runs to completion before the containers start; only a native sidecar (restartPolicy: Always) may set it`;
    for (const field of SIDECAR_ONLY_FIELDS.filter((f) => c[f] !== undefined)) {
      out.push({ path: `${path}.${field}`, message: `cannot be set on an init container without restartPolicy: Always; ${why}` });
    }
  }
  for (const f of restartFieldFates(pod, gates).filter((x) => x.fate === 'refused')) {
    const { c, path, list: containerList } = f.container;
    out.push({
      path: `${path}.${f.field}`,
      message: containerList === 'containers'
        ? `got ${show(f.value)}; Kubernetes ${version} refuses restartPolicy on a regular container ${show(c.name)} (the pod's restartPolicy governs it): only an init container may set it, to "Always", which makes it a native sidecar`
        : `got ${show(f.value)}; expected "Always", the only restartPolicy an init container may have (it makes init container ${show(c.name)} a native sidecar)`,
    });
  }
  return out;
}

/** The Linux-only security fields a Windows pod sets, each refused by the API server. */
function linuxOnlyOnWindows(pod: PodTemplateRef): SchemaProblem[] {
  const refused = (at: string, context: any, fields: readonly string[]) => fields
    .filter((f) => context && typeof context === 'object' && context[f] !== undefined && context[f] !== false)
    .map((f) => ({ path: `${at}.${f}`, message: `cannot be set on a Windows pod (spec.os.name: windows); ${f} is Linux-only` }));
  const out = refused(`${pod.specPath}.securityContext`, pod.spec.securityContext, LINUX_ONLY_POD_SECURITY_FIELDS);
  if (pod.spec.shareProcessNamespace !== undefined) {
    out.push({ path: `${pod.specPath}.shareProcessNamespace`, message: 'cannot be set on a Windows pod (spec.os.name: windows); shareProcessNamespace is Linux-only' });
  }
  for (const { c, path } of pod.containers) out.push(...refused(`${path}.securityContext`, c.securityContext, LINUX_ONLY_CONTAINER_SECURITY_FIELDS));
  return out;
}

/**
 * A container's security context that contradicts itself, a Bidirectional mount in a container that
 * is not privileged, and, on the host network, a hostPort other than the containerPort (the API
 * server sets an unset hostPort to the containerPort there, and checks only the regular containers).
 */
function containerProblems(pod: PodTemplateRef): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const { c, path, list: from } of pod.containers) {
    if (from === 'ephemeralContainers') continue;
    const sc = isObject(c.securityContext) ? c.securityContext : {};
    const privileged = sc.privileged === true;
    if (sc.allowPrivilegeEscalation === false) {
      if (privileged) {
        out.push({ path: `${path}.securityContext.allowPrivilegeEscalation`, message: 'got false beside privileged: true; a privileged container always escalates, so the API server refuses the pair (unset it)' });
      }
      if (list(sc.capabilities?.add).includes('CAP_SYS_ADMIN')) {
        out.push({ path: `${path}.securityContext.allowPrivilegeEscalation`, message: 'got false beside capabilities.add CAP_SYS_ADMIN; the API server refuses the pair (unset it, or do not add CAP_SYS_ADMIN)' });
      }
    }
    list(c.volumeMounts).forEach((m: any, i) => {
      if (isObject(m) && m.mountPropagation === 'Bidirectional' && !privileged) {
        out.push({ path: `${path}.volumeMounts[${i}].mountPropagation`, message: 'got "Bidirectional"; Bidirectional mount propagation is available only to privileged containers (set privileged: true, or use HostToContainer)' });
      }
    });
    if (pod.spec.hostNetwork === true && from === 'containers') {
      list(c.ports).forEach((p: any, i) => {
        if (isObject(p) && typeof p.hostPort === 'number' && p.hostPort !== 0 && typeof p.containerPort === 'number' && p.hostPort !== p.containerPort) {
          out.push({ path: `${path}.ports[${i}].hostPort`, message: `got ${p.hostPort}; on the host network (hostNetwork: true) a hostPort must equal its containerPort ${p.containerPort} (or be unset)` });
        }
      });
    }
  }
  return out;
}

/** Tolerations whose parts the API server refuses together. */
function tolerationProblems(pod: PodTemplateRef): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  list(pod.spec.tolerations).forEach((t: any, i) => {
    if (!isObject(t)) return;
    const at = `${pod.specPath}.tolerations[${i}]`;
    const key = typeof t.key === 'string' ? t.key : '';
    const operator = typeof t.operator === 'string' ? t.operator : '';
    if (key === '' && operator !== 'Exists') {
      out.push({ path: `${at}.operator`, message: `got ${t.operator === undefined ? 'unset (Equal)' : show(t.operator)} with no key; a toleration without a key must use operator Exists (it then matches every taint)` });
    }
    if (operator === 'Exists' && typeof t.value === 'string' && t.value !== '') {
      out.push({ path: `${at}.value`, message: `got ${show(t.value)}; a toleration with operator Exists takes no value` });
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      out.push({ path: `${at}.effect`, message: `got ${t.effect === undefined ? 'effect unset' : show(t.effect)}; tolerationSeconds applies only to effect NoExecute (set effect: NoExecute, or drop tolerationSeconds)` });
    }
  });
  return out;
}

/**
 * A Job's pod template (a CronJob's too) restarts OnFailure or Never: unset is Always, which the API
 * server refuses; with a podFailurePolicy only Never. A CronJob takes its time zone in timeZone:
 * from Kubernetes 1.29 a TZ= or CRON_TZ= in the schedule is refused on create, before with timeZone.
 */
function jobProblems(pod: PodTemplateRef, version: string): SchemaProblem[] {
  if (pod.obj.kind !== 'Job' && pod.obj.kind !== 'CronJob') return [];
  const out: SchemaProblem[] = [];
  const raw = pod.obj.raw;
  const job = pod.obj.kind === 'CronJob' ? raw.spec?.jobTemplate?.spec : raw.spec;
  const jobPath = pod.obj.kind === 'CronJob' ? 'spec.jobTemplate.spec' : 'spec';
  const restart = pod.spec.restartPolicy;
  if (restart === undefined || restart === '' || restart === 'Always') {
    out.push({ path: `${pod.specPath}.restartPolicy`, message: `got ${restart === undefined ? 'unset (Always)' : show(restart)}; a Job's pods restart OnFailure or Never (the API server refuses Always, the default)` });
  } else if (restart === 'OnFailure' && isObject(job?.podFailurePolicy)) {
    out.push({ path: `${pod.specPath}.restartPolicy`, message: `got "OnFailure" beside ${jobPath}.podFailurePolicy; a Job with a pod failure policy must restart Never` });
  }
  const schedule = raw.spec?.schedule;
  const unparsed = pod.obj.kind === 'CronJob' && typeof schedule === 'string' ? cronParseProblem(schedule) : undefined;
  if (unparsed) out.push({ path: 'spec.schedule', message: `got ${show(schedule)}; expected ${unparsed}` });
  if (pod.obj.kind === 'CronJob' && typeof schedule === 'string' && schedule.includes('TZ')) {
    const minor = Number(version.split('.')[1]);
    if (minor >= 29) {
      out.push({ path: 'spec.schedule', message: `got ${show(schedule)}; Kubernetes ${version} refuses TZ= or CRON_TZ= in a new CronJob's schedule: set timeZone instead` });
    } else if (raw.spec?.timeZone !== undefined) {
      out.push({ path: 'spec.schedule', message: `got ${show(schedule)} beside timeZone; the API server refuses both: drop the TZ= or CRON_TZ= prefix` });
    }
  }
  return out;
}

const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];

/** A hostPath volume's `type` outside its enum (the 1.28 definitions have none). */
export function hostPathTypeProblems(hostPath: unknown, path: string): SchemaProblem[] {
  const type = isObject(hostPath) ? hostPath.type : undefined;
  return typeof type === 'string' && !HOST_PATH_TYPES.includes(type) ? [{ path, message: oneOf(type, HOST_PATH_TYPES) }] : [];
}
