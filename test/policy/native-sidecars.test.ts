/**
 * Native sidecars (init containers with `restartPolicy: Always`) and per-container restart policies,
 * as each Kubernetes version the check knows treats them (`--kubernetes-version`): 1.28 drops an
 * init container's restartPolicy (SidecarContainers alpha, off by default) and refuses a regular
 * container's; 1.34 runs sidecars, and drops the restart policies of its alpha ContainerRestartRules.
 * Where sidecars run, every rule over the pod's running containers sees them. Fixtures:
 * test/policy/fixtures/versions/native-sidecars.yaml and restart-policies.yaml.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { FIXTURES, line, objects, ROOT } from './fixture-objects';
import { PodSecurityLevel, PolicyCheck, PolicyCheckOptions, PolicyFinding } from '../../src';

const SIDECARS = 'versions/native-sidecars.yaml';
const RESTARTS = 'versions/restart-policies.yaml';
const RESTART_RULES = ['k8s-schema', 'native-sidecar-supported', 'restart-policy-kept'];

const run = (set: any[], options: PolicyCheckOptions = {}) => PolicyCheck.run(set, options).findings;
/** A finding as "level rule Kind/name path: message". */
const full = (f: PolicyFinding) => `${line(f)}: ${f.message}`;
const deploykit = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'deploykit'), ...args], { cwd: ROOT, encoding: 'utf8' });

/** The pod spec of a named workload of a set. */
const podOf = (set: any[], name: string) => set.find((o) => o.metadata.name === name && o.spec?.template).spec.template.spec;

const SIDECAR_VERSIONS = 'Kubernetes 1.29 and later (the SidecarContainers feature gate: alpha and off by default in 1.28, '
  + 'beta and on by default from 1.29, GA in 1.33; deploykit check --kubernetes-version 1.34)';

describe('native sidecars under each Kubernetes version', () => {
  test('1.28: each native sidecar is an error naming the version that runs it, and its probes and lifecycle are refused', () => {
    const found = run(objects(SIDECARS));
    expect(found.filter((f) => f.level === 'error').map(line)).toEqual([
      'error k8s-schema Deployment/checkout spec.template.spec.initContainers[1].lifecycle',
      'error k8s-schema Deployment/checkout spec.template.spec.initContainers[1].readinessProbe',
      'error k8s-schema Deployment/checkout spec.template.spec.initContainers[1].startupProbe',
      'error native-sidecar-supported Deployment/checkout spec.template.spec.initContainers[1].restartPolicy',
      'error k8s-schema Deployment/reports spec.template.spec.initContainers[0].livenessProbe',
      'error k8s-schema Deployment/reports spec.template.spec.initContainers[0].readinessProbe',
      'error native-sidecar-supported Deployment/reports spec.template.spec.initContainers[0].restartPolicy',
      'error native-sidecar-supported Job/export spec.template.spec.initContainers[0].restartPolicy',
    ]);
    expect(found.filter((f) => f.level !== 'error').map(line)).toEqual([]);
    const job = found.find((f) => f.name === 'export')!;
    expect(full(job)).toBe('error native-sidecar-supported Job/export spec.template.spec.initContainers[0].restartPolicy: '
      + 'restartPolicy is "Always" (init container log-shipper as a native sidecar), which Kubernetes 1.28 drops on create: it runs as an '
      + 'ordinary init container, and a sidecar that never exits keeps the pod from starting. '
      + `Native sidecars run on ${SIDECAR_VERSIONS}; on 1.28, run it as a regular container`);
    expect(found.find((f) => f.path.endsWith('initContainers[1].startupProbe'))!.message).toBe(
      'cannot be set on an init container without restartPolicy: Always; Kubernetes 1.28 drops restartPolicy: Always from init containers, '
      + `so init container "mesh-proxy" runs to completion like any other; a native sidecar may set it on ${SIDECAR_VERSIONS}`);
  });

  test('1.34: the same mesh proxy, authenticating proxy and Job log shipper, with probes, a preStop hook and ports Services target: no finding', () => {
    expect(run(objects(SIDECARS), { kubernetesVersion: '1.34' }).map(line)).toEqual([]);
    // As a user runs it: exit 1 with the errors under the default 1.28, exit 0 under 1.34.
    const old = deploykit(['check', `${FIXTURES}/${SIDECARS}`]);
    expect(old.stdout).toContain('deploykit check (restricted): 9 objects in 1 file: 8 errors, 0 warnings');
    expect(old.status).toBe(1);
    const current = deploykit(['check', '--kubernetes-version', '1.34', `${FIXTURES}/${SIDECARS}`]);
    expect(current.stdout).toBe('deploykit check (restricted, Kubernetes 1.34): 9 objects in 1 file: 0 errors, 0 warnings, 0 waived, 0 skipped, 0 unreadable\n');
    expect(current.status).toBe(0);
  });

  test('a sidecar\'s ports are the pod\'s: a Service may target them; a plain init container\'s port has no endpoints', () => {
    const set = objects(SIDECARS);
    // The config renderer runs to completion before the containers start: a Service targeting its port gets no endpoints.
    podOf(set, 'checkout').initContainers[0].ports = [{ name: 'render-http', containerPort: 9000 }];
    set.find((o) => o.kind === 'Service' && o.metadata.name === 'checkout-mesh-metrics').spec.ports[0].targetPort = 'render-http';
    expect(run(set, { kubernetesVersion: '1.34' }).map(full)).toEqual([
      'error service-target-port-name Service/checkout-mesh-metrics spec.ports[0].targetPort: targetPort "render-http" (TCP) is no port name '
      + 'of the containers of the pods of Deployment checkout; the Service gets no endpoints for port 15090',
    ]);
  });

  test('a sidecar\'s probes are the pod\'s: its readinessProbe makes the pod ready behind a Service; without it the pod has none', () => {
    const set = objects(SIDECARS);
    delete podOf(set, 'reports').initContainers[0].readinessProbe;
    expect(run(set, { kubernetesVersion: '1.34' }).map(full)).toEqual([
      'warning probe-readiness-present Deployment/reports spec.template.spec.containers[0].readinessProbe: no container of the pod has a '
      + 'readinessProbe, though Service reports sends it traffic',
    ]);
    // With probesPerContainer every regular container needs its own, the sidecar's notwithstanding.
    expect(run(objects(SIDECARS), { kubernetesVersion: '1.34', probesPerContainer: true }).map(line)).toEqual([
      'warning probe-readiness-present Deployment/reports spec.template.spec.containers[0].readinessProbe',
    ]);
    // A sidecar's probes are checked as a container's: a liveness check identical to the readiness check.
    const same = objects(SIDECARS);
    const proxy = podOf(same, 'reports').initContainers[0];
    proxy.livenessProbe = proxy.readinessProbe;
    expect(run(same, { kubernetesVersion: '1.34' }).map(line)).toEqual([
      'warning probe-not-identical Deployment/reports spec.template.spec.initContainers[0].livenessProbe',
    ]);
  });

  test('resources, security advice and the Pod Security Standards apply to a sidecar as to a container', () => {
    const set = objects(SIDECARS);
    const proxy = podOf(set, 'checkout').initContainers[1];
    delete proxy.resources.limits.memory;
    proxy.securityContext = { privileged: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, capabilities: { add: ['NET_ADMIN'] } };
    const at = 'Deployment/checkout spec.template.spec.initContainers[1]';
    expect(run(set, { kubernetesVersion: '1.34', level: PodSecurityLevel.BASELINE }).map(line)).toEqual([
      `error privileged ${at}.securityContext.privileged`,
      `error capabilities_baseline ${at}.securityContext.capabilities.add`,
      `warning resources-memory-limit ${at}.resources.limits.memory`,
      `warning container-read-only-root-fs ${at}.securityContext.readOnlyRootFilesystem`,
      `warning container-drop-capabilities ${at}.securityContext.capabilities.drop`,
    ]);
    expect(run(set, { kubernetesVersion: '1.34' }).filter((f) => f.level === 'error').map(line)).toEqual([
      `error privileged ${at}.securityContext.privileged`,
      `error capabilities_baseline ${at}.securityContext.capabilities.add`,
      `error allowPrivilegeEscalation ${at}.securityContext.allowPrivilegeEscalation`,
      `error capabilities_restricted ${at}.securityContext.capabilities.drop`,
      `error capabilities_restricted ${at}.securityContext.capabilities.add`,
    ]);
  });
});

describe('restart policies and sidecar-only fields where a version does not take them', () => {
  test('1.28: probes and lifecycle on a plain init container and a regular container\'s restartPolicy are refused; an init container\'s other restartPolicy is dropped', () => {
    const found = run(objects(RESTARTS), { rules: RESTART_RULES });
    expect(found.map(full)).toEqual([
      'error k8s-schema Deployment/billing spec.template.spec.initContainers[0].lifecycle: cannot be set on an init container without '
      + 'restartPolicy: Always; init container "migrate" runs to completion before the containers start; only a native sidecar (restartPolicy: Always) may set it',
      'error k8s-schema Deployment/billing spec.template.spec.initContainers[0].readinessProbe: cannot be set on an init container without '
      + 'restartPolicy: Always; init container "migrate" runs to completion before the containers start; only a native sidecar (restartPolicy: Always) may set it',
      'error k8s-schema Deployment/billing spec.template.spec.containers[0].restartPolicy: got "Always"; Kubernetes 1.28 refuses restartPolicy on '
      + 'a regular container "billing" (the pod\'s restartPolicy governs it): only an init container may set it, to "Always", which makes it a native sidecar',
      'error k8s-schema Pod/batch-step spec.containers[0].restartPolicyRules: unknown field "restartPolicyRules" in Kubernetes 1.28',
      'error k8s-schema Pod/batch-step spec.containers[0].restartPolicy: got "Never"; Kubernetes 1.28 refuses restartPolicy on a regular container '
      + '"step" (the pod\'s restartPolicy governs it): only an init container may set it, to "Always", which makes it a native sidecar',
      'warning restart-policy-kept Pod/batch-step spec.initContainers[0].restartPolicy: restartPolicy of init container fetch is "Never", which '
      + 'Kubernetes 1.28 drops on create (the SidecarContainers feature gate: alpha and off by default in 1.28, beta and on by default from 1.29, '
      + 'GA in 1.33), so the init container runs to completion like any other, retried as the pod\'s restartPolicy says; remove it',
    ]);
  });

  test('1.34: probes and lifecycle on a plain init container are still refused; per-container restart policies and rules are dropped (alpha, off by default)', () => {
    const found = run(objects(RESTARTS), { kubernetesVersion: '1.34', rules: RESTART_RULES });
    const gate = 'which Kubernetes 1.34 drops on create (the ContainerRestartRules feature gate: alpha and off by default from 1.34)';
    expect(found.map(full)).toEqual([
      'error k8s-schema Deployment/billing spec.template.spec.initContainers[0].lifecycle: cannot be set on an init container without '
      + 'restartPolicy: Always; init container "migrate" runs to completion before the containers start; only a native sidecar (restartPolicy: Always) may set it',
      'error k8s-schema Deployment/billing spec.template.spec.initContainers[0].readinessProbe: cannot be set on an init container without '
      + 'restartPolicy: Always; init container "migrate" runs to completion before the containers start; only a native sidecar (restartPolicy: Always) may set it',
      `warning restart-policy-kept Deployment/billing spec.template.spec.containers[0].restartPolicy: restartPolicy of container billing is "Always", ${gate}, `
      + 'so the pod\'s restartPolicy governs the container; remove it (a native sidecar is an init container with restartPolicy: Always)',
      `warning restart-policy-kept Pod/batch-step spec.initContainers[0].restartPolicy: restartPolicy of init container fetch is "Never", ${gate}, `
      + 'so the init container runs to completion like any other, retried as the pod\'s restartPolicy says; remove it, or set "Always" to make it a native sidecar',
      `warning restart-policy-kept Pod/batch-step spec.containers[0].restartPolicy: restartPolicy of container step is "Never", ${gate}, `
      + 'so the pod\'s restartPolicy governs the container; remove it (a native sidecar is an init container with restartPolicy: Always)',
      'warning restart-policy-kept Pod/batch-step spec.containers[0].restartPolicyRules: restartPolicyRules of container step is '
      + `[{"action":"Restart","exitCodes":{"operator":"In","values":[42]}}], ${gate}, so the pod's restartPolicy governs the container; remove it`,
    ]);
  });

  test('without those fields, and with probes on a running container instead, no finding under either version', () => {
    const set = objects(RESTARTS);
    const billing = podOf(set, 'billing');
    delete billing.initContainers[0].readinessProbe;
    delete billing.initContainers[0].lifecycle;
    delete billing.containers[0].restartPolicy;
    const step = set.find((o) => o.kind === 'Pod').spec;
    delete step.initContainers[0].restartPolicy;
    delete step.containers[0].restartPolicy;
    delete step.containers[0].restartPolicyRules;
    for (const kubernetesVersion of ['1.28', '1.34']) {
      expect(run(set, { kubernetesVersion, rules: RESTART_RULES }).map(line)).toEqual([]);
    }
  });
});
