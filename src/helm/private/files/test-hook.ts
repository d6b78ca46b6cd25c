/**
 * templates/tests/test-connection.yaml: the chart's `helm test` hook. One Pod that connects to every
 * TCP port of every Service that selects the pods of a long-running workload (by its in-cluster DNS
 * name, so it follows the release name and namespace) and fails when one does not answer. It passes
 * the restricted Pod Security Standards profile, and its image is a pinned busybox given by
 * `tests.image.*` (moved by `global.imageRegistry` like every image). Where NetworkPolicies are
 * enforced, `networkPolicy.allowTests` admits it.
 */
import { WAIVE_ANNOTATION } from '../../../core/conventions';
import { ManifestSet } from '../../../manifests';
import { TEST_COMPONENT } from '../derive/guards';
import { imageExpr, imageParams } from '../derive/images';
import { CHART_LABEL_EXPR, ReleaseNames, withReleaseHeader } from '../release-names';
import { DocPlan, ParamSpec, valuesRef } from '../template-model';

/** Path of the test file in the chart. */
export const TEST_FILE = 'templates/tests/test-connection.yaml';

/** The pinned image of the test pod. */
const TEST_IMAGE = 'docker.io/library/busybox:1.36.1';
const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/** The values of the test pod. */
export function testParams(): ParamSpec[] {
  return imageParams(['tests', 'image'], TEST_IMAGE, 'Always')!;
}

/** One host and port the test connects to. */
interface Target {
  readonly service: string;
  readonly host: string;
  readonly port: string;
}

/** The Service plans the test checks: those selecting the pods of a long-running workload. */
export function testedServices(plans: readonly DocPlan[]): DocPlan[] {
  const services = plans.filter((p) => p.doc.kind === 'Service' && p.doc.spec?.type !== 'ExternalName');
  if (services.length === 0) return [];
  const set = new ManifestSet(plans.filter((p) => LONG_RUNNING.includes(p.doc.kind)).map((p) => p.doc));
  return services.filter((plan) => set.podsSelectedByMap(plan.doc.spec?.selector, plan.doc.metadata?.namespace ?? '').length > 0);
}

function targets(plans: readonly DocPlan[], release: ReleaseNames): Target[] {
  const out: Target[] = [];
  for (const plan of testedServices(plans)) {
    const svc = plan.doc;
    const name = svc.metadata?.name;
    // Inside the shell script, not a YAML value: the bare name, never quoted.
    const host = `${release.has(name, 'Service') ? `{{ ${release.expr(name, 'Service')} }}` : name}.{{ .Release.Namespace }}.svc.cluster.local`;
    const portValue = plan.params.find((p) => p.path[p.path.length - 1] === 'port' && p.path[p.path.length - 2] === 'service')
      ?? plan.params.find((p) => p.path[p.path.length - 1] === 'port');
    (svc.spec?.ports ?? []).forEach((port: any, i: number) => {
      if ((port?.protocol ?? 'TCP') !== 'TCP' || !Number.isInteger(port?.port)) return;
      out.push({ service: name, host, port: i === 0 && portValue ? `{{ ${valuesRef(portValue.path)} }}` : String(port.port) });
    });
  }
  return out;
}

/** The test template, or undefined when no Service selects a long-running workload's pods. */
export function testHookTemplate(chartName: string, plans: readonly DocPlan[], release: ReleaseNames): string | undefined {
  const list = targets(plans, release);
  if (list.length === 0) return undefined;
  const checks = list.map((t) => `          nc -z -w 5 ${t.host} ${t.port} && echo "${t.service} (${t.host}:${t.port}) answers"`);
  const securityContext = [
    'runAsNonRoot: true',
    'runAsUser: 65534',
    'runAsGroup: 65534',
    'seccompProfile:',
    '  type: RuntimeDefault',
  ];
  const body = [
    `# The helm test of ${chartName}: every Service of the release answers on its TCP ports (helm test <release>).`,
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${release.text(`${chartName}-test-connection`, 'Pod')}`,
    '  namespace: {{ .Release.Namespace }}',
    '  labels:',
    // Its own name label: a Service selecting the chart's pods by name and instance must not select the test pod.
    `    app.kubernetes.io/name: ${JSON.stringify(`${chartName}-test-connection`)}`,
    `    app.kubernetes.io/instance: {{ ${release.releaseInstanceExpr()} | quote }}`,
    `    app.kubernetes.io/component: ${TEST_COMPONENT}`,
    '    app.kubernetes.io/managed-by: {{ .Release.Service | quote }}',
    `    helm.sh/chart: ${CHART_LABEL_EXPR}`,
    '  annotations:',
    '    helm.sh/hook: test',
    '    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded',
    // What a one-shot test pod does on purpose, waived with the reason (deploykit check reads it).
    `    ${WAIVE_ANNOTATION}: |-`,
    '      probe-liveness-present: the helm test pod runs its checks once and exits; there is no process to restart',
    '      networkpolicy-covers-pod: the helm test pod opens connections only and lives for the test; networkPolicy.allowTests admits it to the pods it checks',
    'spec:',
    '  restartPolicy: Never',
    '  automountServiceAccountToken: false',
    '  securityContext:',
    ...securityContext.map((l) => `    ${l}`),
    '  containers:',
    '    - name: test-connection',
    `      image: ${imageExpr(['tests', 'image'])}`,
    `      imagePullPolicy: {{ ${valuesRef(['tests', 'image', 'pullPolicy'])} | quote }}`,
    '      command:',
    '        - sh',
    '        - -c',
    '        - |',
    '          set -e',
    ...checks,
    '      securityContext:',
    '        allowPrivilegeEscalation: false',
    '        capabilities:',
    '          drop:',
    '            - ALL',
    '        privileged: false',
    '        readOnlyRootFilesystem: true',
    ...securityContext.map((l) => `        ${l}`),
    '      resources:',
    '        requests:',
    '          cpu: 10m',
    '          memory: 16Mi',
    '          ephemeral-storage: 16Mi',
    '        limits:',
    '          cpu: 100m',
    '          memory: 32Mi',
    '          ephemeral-storage: 32Mi',
    '',
  ].join('\n');
  return withReleaseHeader(release, body);
}
