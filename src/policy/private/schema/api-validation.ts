/**
 * Internal to `policy`: what the API server's validation refuses though the OpenAPI definitions
 * allow it, object by object (the schema rule reports each as a schema problem):
 *
 * - in a pod spec (`podValidationProblems`): a container without `image`, ephemeral containers in a
 *   manifest, the Linux-only security fields on a Windows pod, `allowPrivilegeEscalation: false`
 *   beside `privileged: true` or an added `CAP_SYS_ADMIN`, Bidirectional mount propagation in a
 *   container that is not privileged, a hostPort other than its containerPort on the host network,
 *   tolerations whose key, operator, value, effect and tolerationSeconds do not go together, probes
 *   and lifecycle on an init container that is no native sidecar under the version, and a container
 *   `restartPolicy` the version refuses (`restartFieldFates`, which the restart rules read too), and
 *   a seccomp or AppArmor profile of type Localhost without localhostProfile (or one beside another type);
 * - in a Job's or CronJob's pod template, a restartPolicy other than OnFailure or Never (unset is
 *   Always), and one other than Never beside a podFailurePolicy; a CronJob's schedule the cron
 *   parser refuses, and its TZ= where the version refuses it;
 * - in a workload's update strategy and a PodDisruptionBudget (`objectValidationProblems`): counts
 *   and percentages the API server refuses, a rolling update that can move no pod, a rollingUpdate
 *   under a strategy that has none, and both minAvailable and maxUnavailable;
 * - in cluster-level objects (`objectValidationProblems` too), after Kubernetes' own validation on
 *   create, the same in 1.28 and 1.34: admission webhooks (fully qualified, unique names; exactly one
 *   of url and service; an https URL without user, query or fragment; a port from 1 to 65535; no
 *   side effects; a timeout from 1 to 30 seconds; a known AdmissionReview version; the policy enums
 *   the 1.28 definitions lack), PriorityClass (the user range, the reserved system- names, the
 *   preemption policy), StorageClass (a qualified provisioner, Delete or Retain, the binding mode),
 *   LimitRange (min <= defaultRequest <= default <= max, ratios), a ClusterRole's aggregationRule
 *   without selectors, a Service's ports, type, externalName, source ranges and affinity timeout, and
 *   a hostPath volume's type (in a pod and a PersistentVolume).
 * - in a HorizontalPodAutoscaler, a metric without the source of its type, or whose target lacks the
 *   value its type takes (a Pods metric has no utilization, a Resource metric no total value).
 *
 * Only values the API server surely refuses are reported; a value of the wrong type is the schema's.
 */
import { isIPv6 } from 'net';
import { SchemaProblem, show } from './metadata';
import { featureGates, FeatureGates, sidecarVersionsText } from './versions';
import { LINUX_ONLY_CONTAINER_SECURITY_FIELDS, LINUX_ONLY_POD_SECURITY_FIELDS } from '../../../core/pod-security-controls';
import { countOrPercent, countOrPercentValue } from '../../../core/rules/numbers';
import { parseQuantity } from '../../../core/rules/quantity';
import { cronParseProblem } from '../../../core/rules/schedule';
import { ContainerRef, objectRef, PodTemplateRef, podTemplateOf } from '../../../manifests';

const isObject = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

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
  if (!pod.runsToCompletion) return [];
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

/**
 * What the API server refuses in a workload's update strategy and in a PodDisruptionBudget: counts
 * and percentages of the wrong form, a rolling update that may move no pod (maxUnavailable and
 * maxSurge both 0, once defaulted), a rollingUpdate under a strategy without one, and a budget
 * setting both minAvailable and maxUnavailable; and in the cluster-level objects of
 * `clusterObjectProblems`.
 */
export function objectValidationProblems(obj: any): SchemaProblem[] {
  const cluster = clusterObjectProblems(obj);
  if (cluster) return cluster;
  const spec = isObject(obj?.spec) ? obj.spec : undefined;
  if (!spec) return [];
  switch (obj.kind) {
    case 'Deployment': {
      const strategy = isObject(spec.strategy) ? spec.strategy : {};
      if (strategy.type === 'Recreate') {
        return strategy.rollingUpdate !== undefined
          ? [{ path: 'spec.strategy.rollingUpdate', message: 'cannot be set when strategy type is Recreate (the API server refuses it; drop rollingUpdate)' }] : [];
      }
      // The API server defaults an unset maxSurge and maxUnavailable to 25%.
      return rollingUpdateProblems(strategy.rollingUpdate, 'spec.strategy.rollingUpdate', '25%', '25%');
    }
    case 'DaemonSet': {
      const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
      if (strategy.type === 'OnDelete') return [];
      // The API server defaults an unset maxUnavailable to 1 and maxSurge to 0.
      return rollingUpdateProblems(strategy.rollingUpdate, 'spec.updateStrategy.rollingUpdate', 1, 0);
    }
    case 'StatefulSet': {
      const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
      return strategy.type === 'OnDelete' && strategy.rollingUpdate !== undefined
        ? [{ path: 'spec.updateStrategy.rollingUpdate', message: 'cannot be set when updateStrategy type is OnDelete (the API server refuses it; drop rollingUpdate)' }] : [];
    }
    case 'HorizontalPodAutoscaler':
      return autoscalerProblems(obj.apiVersion, spec);
    case 'PodDisruptionBudget': {
      const out = budgetProblems(spec.minAvailable, 'spec.minAvailable', 100).concat(budgetProblems(spec.maxUnavailable, 'spec.maxUnavailable', 100));
      if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
        out.push({ path: 'spec.maxUnavailable', message: 'cannot be set together with minAvailable (the API server refuses both); keep one' });
      }
      return out;
    }
    default:
      return [];
  }
}

/** A count or percentage the API server refuses (a string of digits without "%" among them). */
function budgetProblems(value: unknown, path: string, maxPercent?: number): SchemaProblem[] {
  if (typeof value !== 'number' && typeof value !== 'string') return [];
  const expected = countOrPercent(maxPercent)(value);
  return expected ? [{ path, message: `got ${show(value)}; expected ${expected}` }] : [];
}

function rollingUpdateProblems(rollingUpdate: unknown, path: string, unavailableDefault: number | string,
  surgeDefault: number | string): SchemaProblem[] {
  if (!isObject(rollingUpdate)) return [];
  const out = [...budgetProblems(rollingUpdate.maxUnavailable, `${path}.maxUnavailable`, 100), ...budgetProblems(rollingUpdate.maxSurge, `${path}.maxSurge`)];
  const unavailable = rollingUpdate.maxUnavailable ?? unavailableDefault;
  const surge = rollingUpdate.maxSurge ?? surgeDefault;
  if (!out.length && countOrPercentValue(unavailable) === 0 && countOrPercentValue(surge) === 0) {
    out.push({
      path: `${path}.maxUnavailable`,
      message: `got ${show(unavailable)} with maxSurge ${show(surge)}${rollingUpdate.maxSurge === undefined ? ' (the default)' : ''}; the update could move no pod, so the API server refuses it: let maxSurge or maxUnavailable be above 0`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cluster-level objects: admission webhooks, priority and storage classes, limit ranges,
// aggregated ClusterRoles, Services and hostPath volumes, as the API server validates them on create.
// ---------------------------------------------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const isLabel = (s: string) => s.length <= 63 && DNS1123_LABEL.test(s);
const isSubdomain = (s: string) => s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
const isPort = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
const SUBDOMAIN_TEXT = 'a DNS-1123 subdomain (lower-case alphanumerics, "-" and ".", at most 253 characters)';
const LABEL_TEXT = 'a DNS-1123 label (lower-case alphanumerics and "-", at most 63 characters)';
const PORT_TEXT = 'a port number from 1 to 65535';
const oneOf = (value: unknown, allowed: readonly string[]) => `got ${show(value)}; expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;

/** An optional DNS-1123 subdomain prefix and "/", then a name of at most 63 alphanumerics, "-", "_" and "." (Kubernetes' qualified name). */
function isQualifiedName(s: string): boolean {
  const parts = s.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && (parts[0] === '' || !isSubdomain(parts[0]))) return false;
  return name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}

/** The problems of the cluster-level kinds this section knows, or undefined for another kind. */
function clusterObjectProblems(obj: any): SchemaProblem[] | undefined {
  if (!isObject(obj)) return undefined;
  switch (`${obj.apiVersion} ${obj.kind}`) {
    case 'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration':
    case 'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration':
      return webhookProblems(obj, obj.kind === 'MutatingWebhookConfiguration');
    case 'scheduling.k8s.io/v1 PriorityClass':
      return priorityClassProblems(obj);
    case 'storage.k8s.io/v1 StorageClass':
      return storageClassProblems(obj);
    case 'v1 LimitRange':
      return limitRangeProblems(obj.spec);
    case 'rbac.authorization.k8s.io/v1 ClusterRole':
      return isObject(obj.aggregationRule) && !list(obj.aggregationRule.clusterRoleSelectors).length
        ? [{ path: 'aggregationRule.clusterRoleSelectors', message: `got ${obj.aggregationRule.clusterRoleSelectors === undefined ? 'unset' : show(obj.aggregationRule.clusterRoleSelectors)}; an aggregationRule needs at least one clusterRoleSelector (or drop aggregationRule)` }]
        : [];
    case 'v1 Service':
      return isObject(obj.spec) ? serviceProblems(obj.spec) : [];
    case 'v1 PersistentVolume':
      return hostPathTypeProblems(obj.spec?.hostPath, 'spec.hostPath.type');
    default:
      return undefined;
  }
}

const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];

/** A hostPath volume's `type` outside its enum (the 1.28 definitions have none). */
function hostPathTypeProblems(hostPath: unknown, path: string): SchemaProblem[] {
  const type = isObject(hostPath) ? hostPath.type : undefined;
  return typeof type === 'string' && !HOST_PATH_TYPES.includes(type) ? [{ path, message: oneOf(type, HOST_PATH_TYPES) }] : [];
}

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const NO_SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const ADMISSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];

/**
 * A webhook configuration's webhooks as the API server validates them on create: each name fully
 * qualified (a DNS-1123 subdomain of at least three labels) and unique, exactly one of
 * clientConfig.url and clientConfig.service, an https URL without user information, query or
 * fragment, a service port from 1 to 65535 and a path of DNS-1123 subdomains, no side effects, a
 * timeout from 1 to 30 seconds, an AdmissionReview version it knows, and the enum values of
 * failurePolicy, matchPolicy and reinvocationPolicy (which the 1.28 definitions lack).
 */
function webhookProblems(obj: any, mutating: boolean): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const names = new Map<string, number>();
  list(obj.webhooks).forEach((hook: any, i) => {
    if (!isObject(hook)) return;
    const at = `webhooks[${i}]`;
    const add = (field: string, message: string) => out.push({ path: `${at}.${field}`, message });
    const name = hook.name;
    if (typeof name === 'string') {
      const example = 'such as "validate.example.com"';
      if (name === '') add('name', `got ""; a webhook needs a fully qualified name (${example})`);
      else if (!isSubdomain(name)) add('name', `got ${show(name)}; expected a fully qualified name: ${SUBDOMAIN_TEXT} of at least three labels, ${example}`);
      else if (name.split('.').length < 3) add('name', `got ${show(name)}; expected a fully qualified name of at least three labels separated by dots, ${example}`);
      if (name !== '' && names.has(name)) add('name', `got ${show(name)} again (webhooks[${names.get(name)}] has it); webhook names must be unique within a configuration`);
      else if (name !== '') names.set(name, i);
    }
    const enumField = (field: string, allowed: readonly string[]) => {
      if (typeof hook[field] === 'string' && !allowed.includes(hook[field])) add(field, oneOf(hook[field], allowed));
    };
    enumField('failurePolicy', FAILURE_POLICIES);
    enumField('matchPolicy', MATCH_POLICIES);
    if (mutating) enumField('reinvocationPolicy', REINVOCATION_POLICIES);
    if (typeof hook.sideEffects === 'string' && !NO_SIDE_EFFECTS.includes(hook.sideEffects)) {
      add('sideEffects', `got ${show(hook.sideEffects)}; expected None or NoneOnDryRun (admissionregistration.k8s.io/v1 refuses webhooks with side effects Some or Unknown)`);
    }
    if (typeof hook.timeoutSeconds === 'number' && (hook.timeoutSeconds < 1 || hook.timeoutSeconds > 30)) {
      add('timeoutSeconds', `got ${hook.timeoutSeconds}; expected 1 to 30 seconds`);
    }
    out.push(...admissionReviewVersionProblems(hook.admissionReviewVersions, `${at}.admissionReviewVersions`));
    if (isObject(hook.clientConfig)) out.push(...clientConfigProblems(hook.clientConfig, `${at}.clientConfig`));
  });
  return out;
}

function admissionReviewVersionProblems(versions: unknown, path: string): SchemaProblem[] {
  if (!Array.isArray(versions)) return [];
  const known = ADMISSION_REVIEW_VERSIONS.join(' or ');
  if (!versions.length) return [{ path, message: `got []; expected at least one AdmissionReview version the API server knows: ${known}` }];
  const out: SchemaProblem[] = [];
  const seen = new Set<unknown>();
  versions.forEach((v, i) => {
    if (typeof v !== 'string') return;
    if (seen.has(v)) out.push({ path: `${path}[${i}]`, message: `got ${show(v)} again; each version may be listed once` });
    else if (v.length > 63 || !DNS1035_LABEL.test(v)) out.push({ path: `${path}[${i}]`, message: `got ${show(v)}; expected a version name such as "v1" (a DNS-1035 label: lower-case alphanumerics and "-", starting with a letter)` });
    seen.add(v);
  });
  if (!versions.some((v) => ADMISSION_REVIEW_VERSIONS.includes(v))) {
    out.push({ path, message: `got ${show(versions)}; expected at least one AdmissionReview version the API server knows: ${known}` });
  }
  return out;
}

function clientConfigProblems(cc: Record<string, any>, at: string): SchemaProblem[] {
  const hasUrl = cc.url !== undefined;
  const hasService = cc.service !== undefined;
  if (hasUrl === hasService) {
    return [{ path: at, message: `${hasUrl ? 'sets both url and service' : 'sets neither url nor service'}; expected exactly one of them` }];
  }
  if (typeof cc.url === 'string') {
    const why = webhookUrlProblem(cc.url);
    return why ? [{ path: `${at}.url`, message: `got ${show(why.shown)}; ${why.problem} (expected https://host[/path])` }] : [];
  }
  const service = cc.service;
  if (!isObject(service)) return [];
  const out: SchemaProblem[] = [];
  for (const field of ['name', 'namespace']) {
    if (service[field] === '') out.push({ path: `${at}.service.${field}`, message: `got ""; the webhook's Service needs a ${field}` });
  }
  if (typeof service.port === 'number' && !isPort(service.port)) {
    out.push({ path: `${at}.service.port`, message: `got ${service.port}; expected ${PORT_TEXT}` });
  }
  if (typeof service.path === 'string') {
    const why = servicePathProblem(service.path);
    if (why) out.push({ path: `${at}.service.path`, message: `got ${show(service.path)}; ${why}` });
  }
  return out;
}

/**
 * What the API server refuses in a webhook URL, read as Go's url.Parse reads it: a scheme other
 * than https, no host, user information, a query or a fragment. `shown` is the URL without its user
 * information and query (they may hold credentials).
 */
function webhookUrlProblem(url: string): { shown: string; problem: string } | undefined {
  const hash = url.indexOf('#');
  const fragment = hash >= 0 ? url.slice(hash + 1) : '';
  let rest = hash >= 0 ? url.slice(0, hash) : url;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : '';
  rest = schemeMatch ? rest.slice(schemeMatch[0].length) : rest;
  const q = rest.indexOf('?');
  const query = q >= 0 ? rest.slice(q + 1) : '';
  rest = q >= 0 ? rest.slice(0, q) : rest;
  let host = '';
  let user = false;
  let afterAuthority = rest;
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end >= 0 ? rest.slice(2, end) : rest.slice(2);
    afterAuthority = end >= 0 ? rest.slice(end) : '';
    const at = authority.lastIndexOf('@');
    user = at >= 0;
    host = authority.slice(at + 1);
  }
  const shown = `${schemeMatch ? schemeMatch[0] : ''}${rest.startsWith('//') ? `//${user ? '…@' : ''}${host}` : ''}${afterAuthority}${query ? '?…' : ''}${fragment ? `#${fragment}` : ''}`;
  if (scheme !== 'https') return { shown, problem: scheme ? `the API server calls webhooks over https only, not ${scheme}` : 'a webhook URL needs the https scheme' };
  if (!host) return { shown, problem: 'a webhook URL needs a host' };
  if (user) return { shown, problem: 'user information (user@) is not permitted in a webhook URL' };
  if (query) return { shown, problem: 'query parameters are not permitted in a webhook URL' };
  if (fragment) return { shown, problem: 'a fragment (#...) is not permitted in a webhook URL' };
  return undefined;
}

/** A webhook Service's path the API server refuses: not starting with "/", or a segment that is empty or no DNS-1123 subdomain. */
function servicePathProblem(path: string): string | undefined {
  if (path === '' || path === '/') return undefined;
  const expected = `expected a path of "/"-separated segments, each ${SUBDOMAIN_TEXT}`;
  if (path === '//') return `segment 0 is empty; ${expected}`;
  const problems: string[] = [];
  if (!path.startsWith('/')) problems.push('it does not start with "/"');
  let rest = path.slice(1);
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  rest.split('/').forEach((segment, i) => {
    if (segment === '') problems.push(`segment ${i} is empty`);
    else if (!isSubdomain(segment)) problems.push(`segment ${i} ${show(segment)} is not`);
  });
  return problems.length ? `${problems.join(', ')}; ${expected}` : undefined;
}

/** The highest value a PriorityClass not named system-* may have. */
const HIGHEST_USER_PRIORITY = 1_000_000_000;
/** The system priority classes, the only names with the system- prefix the API server accepts, and their values. */
const SYSTEM_PRIORITY_CLASSES: { readonly [name: string]: number } = { 'system-node-critical': 2_000_001_000, 'system-cluster-critical': 2_000_000_000 };
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

/** A PriorityClass's name with the reserved system- prefix, a value above the user range, and its preemption policy. */
function priorityClassProblems(obj: any): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const name = obj.metadata?.name;
  const value = typeof obj.value === 'number' ? obj.value : 0;
  if (typeof name === 'string' && name.startsWith('system-')) {
    const known = SYSTEM_PRIORITY_CLASSES[name];
    if (known === undefined || known !== value || obj.globalDefault === true) {
      out.push({
        path: 'metadata.name',
        message: `got ${show(name)}${known !== undefined ? ` with value ${value}${obj.globalDefault === true ? ' and globalDefault true' : ''}` : ''}; names starting with "system-" are reserved: only system-node-critical (value 2000001000) and system-cluster-critical (value 2000000000), not global defaults`,
      });
    }
  } else if (value > HIGHEST_USER_PRIORITY) {
    out.push({ path: 'value', message: `got ${value}; expected at most ${HIGHEST_USER_PRIORITY} (higher values are reserved for the system-node-critical and system-cluster-critical classes)` });
  }
  if (typeof obj.preemptionPolicy === 'string' && !PREEMPTION_POLICIES.includes(obj.preemptionPolicy)) {
    out.push({ path: 'preemptionPolicy', message: oneOf(obj.preemptionPolicy, PREEMPTION_POLICIES) });
  }
  return out;
}

const STORAGE_RECLAIM_POLICIES = ['Delete', 'Retain'];
const VOLUME_BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

/** A StorageClass's provisioner (set, a qualified name), reclaimPolicy (Delete or Retain: no Recycle) and volumeBindingMode. */
function storageClassProblems(obj: any): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const provisioner = obj.provisioner;
  if (provisioner === '') {
    out.push({ path: 'provisioner', message: 'got ""; a StorageClass needs a provisioner, such as "ebs.csi.aws.com" or "kubernetes.io/no-provisioner"' });
  } else if (typeof provisioner === 'string' && !isQualifiedName(provisioner.toLowerCase())) {
    out.push({
      path: 'provisioner',
      message: `got ${show(provisioner)}; expected a qualified name: an optional DNS-1123 subdomain and "/", then at most 63 alphanumerics, "-", "_" or "." (such as "ebs.csi.aws.com" or "kubernetes.io/no-provisioner")`,
    });
  }
  const reclaim = obj.reclaimPolicy;
  if (typeof reclaim === 'string' && reclaim !== '' && !STORAGE_RECLAIM_POLICIES.includes(reclaim)) {
    out.push({ path: 'reclaimPolicy', message: `got ${show(reclaim)}; expected "Delete" or "Retain" (a StorageClass may not Recycle its volumes)` });
  }
  if (typeof obj.volumeBindingMode === 'string' && !VOLUME_BINDING_MODES.includes(obj.volumeBindingMode)) {
    out.push({ path: 'volumeBindingMode', message: oneOf(obj.volumeBindingMode, VOLUME_BINDING_MODES) });
  }
  return out;
}

/** Resources whose request and limit must be equal: hugepages and extended resources outside kubernetes.io. */
const noOvercommit = (resource: string) => resource.startsWith('hugepages-') || (resource.includes('/') && !resource.includes('kubernetes.io/'));

/**
 * A LimitRange's limits as the API server validates them: one limit per type, no defaults on a Pod
 * limit, min or max storage on a PersistentVolumeClaim limit, and per resource min <= defaultRequest
 * <= default <= max, a maxLimitRequestRatio of at least 1 and at most max / min, and default equal to
 * defaultRequest for resources that cannot be overcommitted. A quantity that does not parse is the
 * schema's.
 */
function limitRangeProblems(spec: any): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const types = new Map<string, number>();
  list(spec?.limits).forEach((limit: any, i) => {
    if (!isObject(limit)) return;
    const at = `spec.limits[${i}]`;
    if (typeof limit.type === 'string') {
      if (types.has(limit.type)) out.push({ path: `${at}.type`, message: `got ${show(limit.type)} again (spec.limits[${types.get(limit.type)}] has it); a LimitRange has one limit per type` });
      else types.set(limit.type, i);
    }
    const field = (name: string): Record<string, unknown> => (isObject(limit[name]) ? limit[name] : {});
    if (limit.type === 'Pod') {
      for (const f of ['default', 'defaultRequest']) {
        if (Object.keys(field(f)).length) out.push({ path: `${at}.${f}`, message: `cannot be set when type is Pod (a Pod limit has no ${f === 'default' ? 'default limits' : 'default requests'}; set them on a Container limit)` });
      }
    }
    if (limit.type === 'PersistentVolumeClaim' && field('min').storage === undefined && field('max').storage === undefined) {
      out.push({ path: at, message: 'a PersistentVolumeClaim limit needs min.storage or max.storage (it has neither)' });
    }
    const quantities = (name: string) => {
      const m = new Map<string, { text: string; value: number }>();
      if (name.startsWith('default') && limit.type === 'Pod') return m;
      for (const [k, v] of Object.entries(field(name))) {
        const value = typeof v === 'number' || typeof v === 'string' ? parseQuantity(String(v)) : undefined;
        if (value !== undefined) m.set(k, { text: String(v), value });
      }
      return m;
    };
    const [max, min, def, req, ratio] = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'].map(quantities);
    const keys = [...new Set([max, min, def, req, ratio].flatMap((m) => [...m.keys()]))];
    // Relative tolerance: "0.5" and "500m" are equal.
    const above = (a: number, b: number) => a - b > 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    for (const k of keys) {
      const [mx, mn, d, r, q] = [max.get(k), min.get(k), def.get(k), req.get(k), ratio.get(k)];
      const add = (f: string, message: string) => out.push({ path: `${at}.${f}.${k}`, message });
      if (mn && mx && above(mn.value, mx.value)) add('min', `got ${show(mn.text)} for ${k}, above max ${show(mx.text)}; min may not exceed max`);
      if (r && mn && above(mn.value, r.value)) add('defaultRequest', `got ${show(r.text)} for ${k}, below min ${show(mn.text)}; a default request must lie from min to max`);
      if (r && mx && above(r.value, mx.value)) add('defaultRequest', `got ${show(r.text)} for ${k}, above max ${show(mx.text)}; a default request must lie from min to max`);
      if (r && d && above(r.value, d.value)) add('defaultRequest', `got ${show(r.text)} for ${k}, above the default limit ${show(d.text)}; a default request may not exceed the default limit`);
      if (d && mn && above(mn.value, d.value)) add('default', `got ${show(d.text)} for ${k}, below min ${show(mn.text)}; a default limit must lie from min to max`);
      if (d && mx && above(d.value, mx.value)) add('default', `got ${show(d.text)} for ${k}, above max ${show(mx.text)}; a default limit must lie from min to max`);
      if (q && above(1, q.value)) {
        add('maxLimitRequestRatio', `got ${show(q.text)} for ${k}; expected a ratio of at least 1 (a limit is never below its request)`);
      } else if (q && mn && mx && mn.value > 0 && above(q.value, mx.value / mn.value)) {
        add('maxLimitRequestRatio', `got ${show(q.text)} for ${k}, above max / min = ${Number((mx.value / mn.value).toPrecision(6))} (max ${show(mx.text)}, min ${show(mn.text)}); no pod could use the ratio`);
      }
      if (noOvercommit(k) && d && r && (above(d.value, r.value) || above(r.value, d.value))) {
        add('defaultRequest', `got ${show(r.text)} for ${k}, beside the default limit ${show(d.text)}; ${k} cannot be overcommitted, so its default request must equal its default limit`);
      }
    }
  });
  return out;
}

/**
 * A Service as the API server validates it on create (type unset is ClusterIP, protocol unset TCP):
 * ports (required unless headless or ExternalName; named when more than one, each name a DNS-1123
 * label and unique; numbers from 1 to 65535; each port and protocol once; a nodePort only for
 * NodePort and LoadBalancer, each once), headless only for ClusterIP, an ExternalName's DNS name and
 * no cluster IP, loadBalancerSourceRanges only for LoadBalancer and each a CIDR, and a ClientIP
 * affinity timeout from 1 to 86400 seconds. A sessionAffinityConfig under affinity None is dropped,
 * not refused; a nodePort outside the default 30000-32767 range is not reported, as clusters may
 * configure another range.
 */
function serviceProblems(spec: Record<string, any>): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const add = (path: string, message: string) => out.push({ path, message });
  const type = typeof spec.type === 'string' && spec.type !== '' ? spec.type : 'ClusterIP';
  const clusterIPs = list(spec.clusterIPs);
  const clusterIPPath = clusterIPs.length ? 'spec.clusterIPs[0]' : 'spec.clusterIP';
  const firstIP = clusterIPs.length ? clusterIPs[0] : spec.clusterIP;
  const headless = firstIP === 'None';
  const ports = list(spec.ports);
  if (!ports.length && !headless && type !== 'ExternalName') {
    add('spec.ports', `got ${spec.ports === undefined ? 'no ports' : '[]'}; a ${type} Service needs at least one port (only headless and ExternalName Services may have none)`);
  }
  if (headless && (type === 'LoadBalancer' || type === 'NodePort')) {
    add(clusterIPPath, `got "None" with type ${type}; a ${type} Service needs a cluster IP (headless, "None", is for ClusterIP Services)`);
  }
  if (type === 'ExternalName') {
    if (typeof firstIP === 'string' && firstIP !== '') add(clusterIPPath, `got ${show(firstIP)}; an ExternalName Service has no cluster IP (drop it)`);
    const name = typeof spec.externalName === 'string' ? spec.externalName : '';
    const cname = name.endsWith('.') ? name.slice(0, -1) : name;
    if (cname === '') {
      add('spec.externalName', `${spec.externalName === undefined ? 'required field is missing' : `got ${show(spec.externalName)}`}; a Service of type ExternalName needs externalName, the DNS name it aliases`);
    } else if (!isSubdomain(cname)) {
      add('spec.externalName', `got ${show(name)}; expected a DNS name: ${SUBDOMAIN_TEXT}, a trailing dot allowed, such as "db.example.com"`);
    }
  }
  const names = new Map<string, number>();
  const pairs = new Map<string, number>();
  const nodePorts = new Map<string, number>();
  ports.forEach((p: any, i) => {
    if (!isObject(p)) return;
    const at = `spec.ports[${i}]`;
    const name = typeof p.name === 'string' ? p.name : '';
    if (name === '' && ports.length > 1) {
      add(`${at}.name`, `${p.name === undefined ? 'required field is missing' : 'got ""'}; a Service with more than one port must name each`);
    } else if (name !== '') {
      if (!isLabel(name)) add(`${at}.name`, `got ${show(name)}; expected ${LABEL_TEXT}`);
      if (names.has(name)) add(`${at}.name`, `got ${show(name)} again (spec.ports[${names.get(name)}] has it); port names must be unique`);
      else names.set(name, i);
    }
    if (typeof p.port === 'number' && !isPort(p.port)) add(`${at}.port`, `got ${p.port}; expected ${PORT_TEXT}`);
    const protocol = typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP';
    if (typeof p.port === 'number') {
      const key = `${p.port}/${protocol}`;
      if (pairs.has(key)) add(at, `port ${key} again (spec.ports[${pairs.get(key)}] has it); each port and protocol may appear once`);
      else pairs.set(key, i);
    }
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
      if (type === 'ClusterIP') add(`${at}.nodePort`, `got ${p.nodePort} with type ClusterIP; a nodePort may be set only on NodePort and LoadBalancer Services`);
      else if (!isPort(p.nodePort)) add(`${at}.nodePort`, `got ${p.nodePort}; expected a port in the cluster's node port range (30000-32767 by default)`);
      const key = `${p.nodePort}/${protocol}`;
      if (nodePorts.has(key)) add(`${at}.nodePort`, `got ${p.nodePort} again for ${protocol} (spec.ports[${nodePorts.get(key)}] has it); each nodePort may appear once`);
      else nodePorts.set(key, i);
    }
  });
  const ranges = list(spec.loadBalancerSourceRanges);
  if (ranges.length) {
    if (type !== 'LoadBalancer') add('spec.loadBalancerSourceRanges', `set with type ${type}; loadBalancerSourceRanges may be used only with type LoadBalancer`);
    ranges.forEach((r, i) => {
      if (typeof r === 'string' && !isCidr(r.trim())) add(`spec.loadBalancerSourceRanges[${i}]`, `got ${show(r)}; expected a CIDR such as "203.0.113.0/24" or "2001:db8::/32"`);
    });
  }
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP' && typeof timeout === 'number' && (timeout < 1 || timeout > 86400)) {
    add('spec.sessionAffinityConfig.clientIP.timeoutSeconds', `got ${timeout}; expected 1 to 86400 seconds`);
  }
  return out;
}

/**
 * An IPv4 or IPv6 CIDR as the API server reads one (leniently: IPv4 octets with leading zeros and
 * host bits after the prefix are accepted).
 */
function isCidr(value: string): boolean {
  const slash = value.lastIndexOf('/');
  if (slash < 0 || !/^\d+$/.test(value.slice(slash + 1))) return false;
  const ip = value.slice(0, slash);
  const prefix = Number(value.slice(slash + 1));
  if (/^\d+(\.\d+){3}$/.test(ip)) return ip.split('.').every((o) => Number(o) <= 255) && prefix <= 32;
  return isIPv6(ip) && !ip.includes('%') && prefix <= 128;
}

/** Each metric source type of autoscaling/v2, its field, and the target values it takes (one of them, or both). */
interface MetricSource { readonly field: string; readonly values: readonly string[]; readonly both: boolean; readonly takes: string }
const METRIC_SOURCES: { readonly [type: string]: MetricSource } = {
  Object: { field: 'object', values: ['value', 'averageValue'], both: true, takes: 'value (type Value) or averageValue (type AverageValue); an Object metric has no utilization' },
  Pods: { field: 'pods', values: ['averageValue'], both: false, takes: 'averageValue (type AverageValue), the per-pod value; a Pods metric has no utilization or total value' },
  Resource: { field: 'resource', values: ['averageUtilization', 'averageValue'], both: false, takes: 'averageUtilization (type Utilization) or averageValue (type AverageValue); a Resource metric has no total value' },
  ContainerResource: { field: 'containerResource', values: ['averageUtilization', 'averageValue'], both: false, takes: 'averageUtilization (type Utilization) or averageValue (type AverageValue); a ContainerResource metric has no total value' },
  External: { field: 'external', values: ['value', 'averageValue'], both: false, takes: 'value (type Value) or averageValue (type AverageValue); an External metric has no utilization' },
};
const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];

/**
 * What the API server refuses in an autoscaler's metrics though the schema allows it: a metric
 * source type it does not know, a metric without the field of its type or with the field of another,
 * a target without the value its source takes (a Pods metric has no utilization, a Resource metric
 * no total value; a Resource or External target with both of its values), a target type other than
 * Utilization, Value and AverageValue, and a value or utilization not above 0. autoscaling/v1's
 * targetCPUUtilizationPercentage becomes a Resource metric on cpu, so it too is at least 1.
 */
function autoscalerProblems(apiVersion: unknown, spec: Record<string, any>): SchemaProblem[] {
  if (apiVersion === 'autoscaling/v1') {
    const percent = spec.targetCPUUtilizationPercentage;
    return typeof percent === 'number' && percent < 1
      ? [{ path: 'spec.targetCPUUtilizationPercentage', message: `got ${show(percent)}; expected a utilization of at least 1 (percent of the pods' cpu requests)` }] : [];
  }
  const out: SchemaProblem[] = [];
  list(spec.metrics).forEach((metric, i) => {
    if (!isObject(metric) || typeof metric.type !== 'string') return; // the schema reports a metric without a type
    const at = `spec.metrics[${i}]`;
    const source = METRIC_SOURCES[metric.type];
    if (!source) {
      out.push({ path: `${at}.type`, message: `got ${show(metric.type)}; expected one of ${Object.keys(METRIC_SOURCES).map((t) => show(t)).join(', ')}` });
      return;
    }
    for (const other of Object.values(METRIC_SOURCES)) {
      if (other.field !== source.field && metric[other.field] !== undefined) {
        out.push({ path: `${at}.${other.field}`, message: `cannot be set in a metric of type ${show(metric.type)}, which takes ${source.field} only (the API server refuses the pair)` });
      }
    }
    const src = metric[source.field];
    if (!isObject(src)) {
      if (src === undefined) out.push({ path: `${at}.${source.field}`, message: `required field is missing: a metric of type ${show(metric.type)} describes its source in ${source.field}` });
      return;
    }
    out.push(...metricTargetProblems(src.target, `${at}.${source.field}.target`, metric.type, source));
  });
  return out;
}

function metricTargetProblems(target: unknown, at: string, type: string, source: MetricSource): SchemaProblem[] {
  if (!isObject(target)) return []; // the schema reports a missing target
  const out: SchemaProblem[] = [];
  if (typeof target.type === 'string' && !TARGET_TYPES.includes(target.type)) {
    out.push({ path: `${at}.type`, message: `got ${show(target.type)}; expected one of ${TARGET_TYPES.map((t) => show(t)).join(', ')}` });
  }
  for (const key of ['value', 'averageValue']) {
    const v = target[key];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    const n = parseQuantity(String(v));
    if (n !== undefined && n <= 0) out.push({ path: `${at}.${key}`, message: `got ${show(v)}; expected a quantity above 0` });
  }
  if (typeof target.averageUtilization === 'number' && target.averageUtilization < 1) {
    out.push({ path: `${at}.averageUtilization`, message: `got ${show(target.averageUtilization)}; expected a utilization of at least 1 (percent of the requests)` });
  }
  const given = source.values.filter((k) => target[k] !== undefined);
  const metric = `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} metric's target`;
  if (given.length === 0) {
    const has = ['value', 'averageValue', 'averageUtilization'].filter((k) => target[k] !== undefined).map((k) => `${k} ${show(target[k])}`);
    out.push({
      path: at,
      message: `got type ${show(target.type)}${has.length ? ` with ${has.join(', ')}` : ' and no value'}; ${metric} sets ${source.takes}`,
    });
  } else if (given.length > 1 && !source.both) {
    out.push({ path: `${at}.${source.values[1]}`, message: `cannot be set together with ${source.values[0]}; ${metric} sets one of them, by its type` });
  }
  return out;
}
