/**
 * Every example system works as deployed: each flow its objects declare (the ingress controller to
 * Ingress backends, Prometheus to ServiceMonitor targets, restricted egress to the cluster DNS, pods
 * to the Services they name, instances to their network permissions) passes its NetworkPolicies,
 * in the plain YAML of every environment and in the Helm charts rendered by the real helm with each
 * values file, for the plain release and another one in another namespace. And a NetworkPolicy
 * planted in a system that blocks one flow fails the synth, naming that flow.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { synthesizeBeforeAll } from './example-site';
import { synthRccRemote } from '../../examples/rcc-remote';
import { ExampleOutput, synthRescan } from '../../examples/rescan';
import { synthTodoChatbot } from '../../examples/todo-chatbot';
import { synthToolHive } from '../../examples/toolhive';
import { ClusterAccessLevel, McpTransport, Rescan, ToolHiveRegistry } from '../../src';
import { blockedFlows, declaredFlows, describeBlockedFlow, ManifestSet } from '../../src/manifests';
import { parseRendered } from '../helm/fixtures';
import { namespaceObjects, render } from '../helm/harness';

const SYSTEMS: Array<{ name: string; namespace: string; synth: (outdir: string) => ExampleOutput }> = [
  { name: 'rescan', namespace: 'rescan', synth: synthRescan },
  { name: 'todo-app', namespace: 'todo', synth: synthTodoChatbot },
  { name: 'rcc-remote', namespace: 'rcc-remote', synth: synthRccRemote },
  { name: 'toolhive', namespace: 'toolhive', synth: synthToolHive },
];

const { outputs } = synthesizeBeforeAll('examples-flows', SYSTEMS.map((s) => [s.name, s.synth] as const));

/** The blocked flows of some objects, end to end; and how many flows they declare. */
function check(objects: any[]): { blocked: string[]; declared: string[] } {
  const set = new ManifestSet(objects);
  return {
    blocked: blockedFlows(set).map(describeBlockedFlow),
    declared: declaredFlows(set).map((f) => `${f.kind}: ${f.from.text} -> ${f.to.text} :${f.port}`),
  };
}

describe.each(SYSTEMS)('$name', (system) => {
  const output = () => outputs.get(system.name)!;

  test('the plain YAML of every environment declares flows and blocks none', () => {
    const files = fs.readdirSync(output().plainDir).filter((f) => f.endsWith('.k8s.yaml')).sort();
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const { blocked, declared } = check(parseRendered(fs.readFileSync(path.join(output().plainDir, file), 'utf8')));
      expect({ file, blocked }).toEqual({ file, blocked: [] });
      // Every system restricts some egress, so at least its DNS lookups are a flow.
      expect(declared.some((f) => f.startsWith('dns: '))).toBe(true);
    }
  });

  test('the Helm chart blocks no flow: each values file, the plain release and another release in another namespace', () => {
    const dir = output().helmDir;
    const valuesFiles = ['', ...fs.readdirSync(dir).filter((f) => /^values-.+\.yaml$/.test(f)).sort()];
    for (const values of valuesFiles) {
      const args = values ? ['-f', path.join(dir, values)] : [];
      const namespaces = namespaceObjects(dir, values ? values.replace(/^values-/, 'namespace-') : 'namespace.yaml');
      for (const [release, namespace] of [[system.name, system.namespace], ['other', 'elsewhere']]) {
        const objects = render(dir, namespace, args, release);
        const { blocked, declared } = check([...namespace === system.namespace ? namespaces : [], ...objects]);
        expect({ values, release, blocked }).toEqual({ values, release, blocked: [] });
        expect(declared.length).toBeGreaterThan(0);
      }
    }
  });
});

test('ToolHive: Prometheus reaches the API and every instance that serves metrics, in the plain YAML and the chart', () => {
  const toolhive = outputs.get('toolhive')!;
  const scrapes = (objects: any[]) => check(objects).declared.filter((f) => f.startsWith('metrics: ')).sort();
  const expected = [
    'metrics: ServiceMonitor toolhive/fetch -> Deployment toolhive/fetch :8080',
    'metrics: ServiceMonitor toolhive/github -> Deployment toolhive/github :8080',
    'metrics: ServiceMonitor toolhive/toolhive-api -> Deployment toolhive/toolhive-api :8080',
  ];
  for (const file of ['toolhive.k8s.yaml', 'toolhive-development.k8s.yaml']) {
    expect(scrapes(parseRendered(fs.readFileSync(path.join(toolhive.plainDir, file), 'utf8')))).toEqual(expected);
  }
  expect(scrapes(render(toolhive.helmDir, 'toolhive'))).toEqual(expected);
});

describe('a NetworkPolicy planted in a system that blocks one flow fails the synth, naming that flow', () => {
  test('ToolHive: Prometheus locked out of the fetch instance', () => {
    const chart = Testing.chart();
    new ToolHiveRegistry(chart, 'toolhive', {
      cluster: {
        name: 'Production',
        endpoint: 'https://api.example.com:6443',
        context: 'admin@prod',
        version: '1.28',
        accessLevel: ClusterAccessLevel.ADMIN,
        capabilities: ['prometheus-operator'],
      },
      registries: [{ name: 'official', url: 'https://registry.example.com/v0/servers' }],
      servers: [{ registry: 'official', name: 'fetch', version: '1.2.0', image: 'registry.example.com/mcp/fetch:1.2.0', transport: McpTransport.HTTP, metricsPath: '/metrics' }],
    });
    expect(() => chart.toJson()).not.toThrow();
    // Prometheus may now reach only the API's pods: its scrape of fetch is stopped on the way out.
    new k8s.KubeNetworkPolicy(chart, 'prometheus-egress', {
      metadata: { name: 'prometheus-egress', namespace: 'monitoring' },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'toolhive-api' } } }] }],
      },
    });
    const message = errorOf(() => chart.toJson());
    const flows = message.split('\n').filter((l) => l.includes('networkpolicy-blocks-flow'));
    expect(flows).toHaveLength(1);
    expect(flows[0]).toContain('[test] policy test/prometheus-egress (NetworkPolicy prometheus-egress) spec.egress');
    expect(flows[0]).toContain('ServiceMonitor toolhive/fetch -> Deployment toolhive/fetch :8080 blocked by NetworkPolicy monitoring/prometheus-egress (egress)');
  });

  test('Rescan: a cluster DNS that admits only its own namespace', () => {
    const chart = Testing.chart();
    new Rescan(chart, 'rescan', { imageTag: '1.0.0' });
    expect(() => chart.toJson()).not.toThrow();
    new k8s.KubeNetworkPolicy(chart, 'dns-lockdown', {
      metadata: { name: 'dns-lockdown', namespace: 'kube-system' },
      spec: { podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
    });
    const message = errorOf(() => chart.toJson());
    expect(message).toContain('Deployment rescan/rescan-app -> cluster DNS (namespace kube-system, k8s-app=kube-dns) :53/UDP blocked by NetworkPolicy kube-system/dns-lockdown (ingress)');
    expect(message.split('\n').filter((l) => l.includes('networkpolicy-blocks-flow'))).toHaveLength(1);
  });
});

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the synth to fail');
}
