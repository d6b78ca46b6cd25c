/**
 * Kinds beyond Deployments and StatefulSets: DaemonSets, Jobs and CronJobs get a values section of
 * their own (image, resources, a CronJob's schedule, the standard pod values); RBAC objects and CRDs
 * the chart knows nothing about (a ServiceMonitor, a PrometheusRule) become release-aware templates:
 * their names, the names they use of the release's objects, their selectors and namespaces follow
 * the release. Proven with the real helm.
 */
import * as fs from 'fs';
import { ApiObject, App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { expectReleasesApart, namespaceLeftovers } from './acceptance';
import { addWeb, labels, tempDir } from './fixtures';
import { expectSameObjects, render, renderFailure } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { assertValidManifests, findObject } from '../util/manifests';

const NS = 'ops';
const RESTRICTED = {
  runAsNonRoot: true,
  runAsUser: 1000,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function podSpec(name: string, image: string, extra: any = {}): k8s.PodSpec {
  return {
    automountServiceAccountToken: false,
    containers: [{ name, image, securityContext: RESTRICTED, resources: { limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') } } }],
    ...extra,
  };
}

function opsChart(app: App): Chart {
  const chart = new Chart(app, 'ops', { namespace: NS });
  addWeb(chart, { name: 'api', system: 'ops', ingress: false });
  const agent = { 'app.kubernetes.io/name': 'agent', 'app.kubernetes.io/instance': 'ops' };
  new k8s.KubeDaemonSet(chart, 'agent', {
    metadata: { name: 'agent', labels: labels('agent', 'ops') },
    spec: { selector: { matchLabels: agent }, template: { metadata: { labels: agent }, spec: podSpec('agent', 'ghcr.io/acme/agent:0.9.0', { serviceAccountName: 'agent' }) } },
  });
  new k8s.KubeJob(chart, 'migrate', {
    metadata: { name: 'migrate', labels: labels('migrate', 'ops') },
    spec: { template: { spec: podSpec('migrate', 'ghcr.io/acme/migrate:1.0.0', { restartPolicy: 'Never' }) } },
  });
  new k8s.KubeCronJob(chart, 'report', {
    metadata: { name: 'report', labels: labels('report', 'ops') },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: podSpec('report', 'ghcr.io/acme/report:1.0.0', { restartPolicy: 'OnFailure' }) } } } },
  });
  new k8s.KubeServiceAccount(chart, 'agent-sa', { metadata: { name: 'agent', labels: labels('agent', 'ops') } });
  new k8s.KubeRole(chart, 'agent-role', {
    metadata: { name: 'agent-reader', labels: labels('agent', 'ops') },
    rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['api-config'], verbs: ['get'] }],
  });
  new k8s.KubeRoleBinding(chart, 'agent-binding', {
    metadata: { name: 'agent-reader', labels: labels('agent', 'ops') },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'agent-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'agent', namespace: NS }],
  });
  new k8s.KubeConfigMap(chart, 'api-config', { metadata: { name: 'api-config', labels: labels('api', 'ops') }, data: { MODE: 'ops' } });
  new ApiObject(chart, 'monitor', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'api', labels: labels('api', 'ops') },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      namespaceSelector: { matchNames: [NS] },
      endpoints: [{ port: 'http', interval: '30s' }],
    },
  });
  new ApiObject(chart, 'rules', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'api-alerts', labels: labels('api', 'ops') },
    spec: { groups: [{ name: 'api', rules: [{ alert: 'ApiDown', expr: `up{namespace="${NS}",service="api"} == 0`, for: '5m' }] }] },
  });
  return chart;
}

let work: string;
let dir: string;
let plain: any[];
let values: any;

beforeAll(() => {
  work = tempDir('helm-other-kinds');
  const app = new App({ outdir: work });
  const chart = opsChart(app);
  const helm = new HelmChart(app, 'helm', { chartName: 'ops', chartVersion: '1.0.0', chart });
  app.synth();
  plain = chart.toJson();
  dir = helm.writeTo();
  values = YAML.parse(fs.readFileSync(`${dir}/values.yaml`, 'utf8'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('the release named after the chart renders the plain YAML', () => {
  const rendered = render(dir, NS);
  expectSameObjects(rendered, plain);
  assertValidManifests(rendered.filter((o) => !o.apiVersion.startsWith('monitoring.coreos.com/')));
});

test('DaemonSets, Jobs and CronJobs get sections of their own: image, resources, schedule and the standard pod values', () => {
  // The one Deployment keeps the top level.
  expect(values.image.repository).toBe('acme/web');
  expect(values.agent).toMatchObject({ image: { registry: 'ghcr.io', repository: 'acme/agent', tag: '0.9.0' }, resources: { limits: { cpu: '100m' } }, nodeSelector: {} });
  expect(values.agent.replicaCount).toBeUndefined();
  expect(values.migrate.image.tag).toBe('1.0.0');
  expect(values.report).toMatchObject({ schedule: '0 3 * * *', image: { tag: '1.0.0' } });
  const rendered = render(dir, NS, [
    '--set', 'report.schedule=30 2 * * 1', '--set', 'report.image.tag=1.1.0', '--set', 'migrate.resources.limits.memory=128Mi',
    '--set-json', 'agent.tolerations=[{"operator":"Exists"}]',
  ]);
  assertValidManifests(rendered.filter((o) => !o.apiVersion.startsWith('monitoring.coreos.com/')));
  const report = findObject(rendered, 'CronJob', 'report');
  expect(report.spec.schedule).toBe('30 2 * * 1');
  expect(report.spec.jobTemplate.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/report:1.1.0');
  expect(findObject(rendered, 'Job', 'migrate').spec.template.spec.containers[0].resources.limits.memory).toBe('128Mi');
  expect(findObject(rendered, 'DaemonSet', 'agent').spec.template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  expect(renderFailure(dir, NS, ['--set', 'report.schedule=often'])).toContain('report.schedule: Does not match pattern');
});

test('another release renames RBAC, ServiceMonitor and PrometheusRule objects and every name they use', () => {
  // The monitoring.coreos.com CRDs are not part of this suite: those two objects skip the schema check.
  const { alpha } = expectReleasesApart(dir, NS, [], [], ['monitoring.coreos.com']);
  expect(findObject(alpha, 'RoleBinding', 'alpha-ops-agent-reader')).toMatchObject({
    roleRef: { kind: 'Role', name: 'alpha-ops-agent-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'alpha-ops-agent', namespace: NS }],
  });
  expect(findObject(alpha, 'Role', 'alpha-ops-agent-reader').rules[0].resourceNames).toEqual(['alpha-ops-api-config']);
  expect(findObject(alpha, 'DaemonSet', 'alpha-ops-agent').spec.template.spec.serviceAccountName).toBe('alpha-ops-agent');
  // The plain ServiceMonitor selects by app.kubernetes.io/name alone, so that label follows the
  // release name in alpha (its Services, pods and selectors): the plain release's monitor never
  // scrapes alpha's Services.
  const monitor = findObject(alpha, 'ServiceMonitor', 'alpha-ops-api');
  expect(monitor.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'alpha-ops-api', 'app.kubernetes.io/instance': 'alpha' });
  expect(findObject(alpha, 'Service', 'alpha-ops-api').metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'alpha-ops-api', 'app.kubernetes.io/instance': 'alpha' });
  const other = render(dir, 'staging', [], 'alpha');
  expect(findObject(other, 'ServiceMonitor', 'alpha-ops-api').spec.namespaceSelector.matchNames).toEqual(['staging']);
  expect(findObject(other, 'RoleBinding', 'alpha-ops-agent-reader').subjects[0].namespace).toBe('staging');
  expect(namespaceLeftovers(other, NS)).toEqual([]);
  // PromQL matchers on the namespace and on a Service of the chart (the `service` label
  // prometheus-operator gives every target) follow the release: the alert watches alpha's Service.
  expect(findObject(other, 'PrometheusRule', 'alpha-ops-api-alerts').spec.groups[0].rules[0].expr).toBe('up{namespace="staging",service="alpha-ops-api"} == 0');
});

test('the schema stays strict in every section: unknown keys are refused', () => {
  expect(renderFailure(dir, NS, ['--set', 'agent.nodeSelectr.disk=ssd'])).toContain('Additional property nodeSelectr is not allowed');
  expect(renderFailure(dir, NS, ['--set', 'serviceAccount.craete=true'])).toContain('Additional property craete is not allowed');
  expect(renderFailure(dir, NS, ['--set', 'report.image.registri=x'])).toContain('Additional property registri is not allowed');
  expect(renderFailure(dir, NS, ['--set-json', 'agent.tolerations={"operator":"Exists"}'])).toContain('agent.tolerations: Invalid type. Expected: array, given: object');
});
