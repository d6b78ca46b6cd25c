/**
 * templates/tests/test-connection.yaml: the chart's `helm test` hook. One Pod that connects to every
 * TCP port of every Service that selects the pods of a long-running workload (by its in-cluster DNS
 * name, so it follows the release name and namespace) and fails when one does not answer. It passes
 * the restricted Pod Security Standards profile, and its image is a pinned busybox given by
 * `tests.image.*` (moved by `global.imageRegistry` like every image). Where NetworkPolicies are
 * enforced, `networkPolicy.allowTests` admits it.
 */
import { WAIVE_ANNOTATION } from '../../../core/conventions';
import { TestTarget } from '../chart-tests';
import { CHART_LABEL_KEYS, commonAnnotationLines, commonLabelLines } from '../derive/common-metadata';
import { TEST_COMPONENT } from '../derive/objects/guards';
import { imageExpr } from '../derive/workloads/images';
import { valuesRef } from '../model/values-paths';
import { CHART_LABEL_EXPR, ReleaseNames, withReleaseHeader } from '../release-names';

/** The labels of the test pod (commonLabels adds the others). */
const TEST_LABEL_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', ...CHART_LABEL_KEYS];

/** Path of the test file in the chart. */
export const TEST_FILE = 'templates/tests/test-connection.yaml';

/** The test template of the targets (`chart-tests.ts`), or undefined when there are none. */
export function testHookTemplate(chartName: string, list: readonly TestTarget[], release: ReleaseNames): string | undefined {
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
    commonLabelLines('    ', TEST_LABEL_KEYS),
    '  annotations:',
    '    helm.sh/hook: test',
    '    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded',
    // What a one-shot test pod does on purpose, waived with the reason (deploykit check reads it);
    // restartPolicy Never already tells the check that it runs to completion, so it needs no probes.
    `    ${WAIVE_ANNOTATION}: |-`,
    '      networkpolicy-covers-pod: the helm test pod opens connections only and lives for the test; networkPolicy.allowTests admits it to the pods it checks',
    commonAnnotationLines('    ', ['helm.sh/hook', 'helm.sh/hook-delete-policy', WAIVE_ANNOTATION]),
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
