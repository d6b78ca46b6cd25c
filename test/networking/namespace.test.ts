import { Chart, Testing, Yaml } from 'cdk8s';
import { Environment } from '../../src/core/environment';
import { Namespace, NamespaceProps, PodSecurityLevel } from '../../src/networking/namespace';
import { findObject, synthError, synthManifests } from '../util/manifests';

function rescanNamespace(overrides: Partial<NamespaceProps> = {}, chart: Chart = Testing.chart()): { chart: Chart; ns: Namespace } {
  const ns = new Namespace(chart, 'rescan', {
    name: 'rescan',
    environment: Environment.PRODUCTION,
    labels: { app: 'rescan' },
    ...overrides,
  });
  return { chart, ns };
}


describe('Namespace', () => {
  test('renders the seed 003 rescan Namespace (snapshot)', () => {
    const { chart } = rescanNamespace();
    expect(Yaml.stringify(...synthManifests(chart))).toMatchSnapshot();
  });

  test('name, seed labels and restricted Pod Security labels', () => {
    const { chart, ns } = rescanNamespace();
    expect(ns.namespaceName).toBe('rescan');
    expect(ns.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
    const objects = synthManifests(chart);
    expect(objects).toHaveLength(1);
    const obj = findObject(objects, 'Namespace', 'rescan');
    expect(obj.apiVersion).toBe('v1');
    expect(obj.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'rescan',
      'app.kubernetes.io/instance': 'rescan',
      'app.kubernetes.io/managed-by': 'cdk8s-deploykit',
      'app': 'rescan',
      'environment': 'production',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.28',
    });
  });

  test('a weaker enforced level keeps audit and warn at restricted', () => {
    const { chart } = rescanNamespace({ name: 'rescan-dev', environment: Environment.DEVELOPMENT, podSecurityLevel: PodSecurityLevel.BASELINE });
    const labels = findObject(synthManifests(chart), 'Namespace', 'rescan-dev').metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(labels['pod-security.kubernetes.io/audit']).toBe('restricted');
    expect(labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(labels.environment).toBe('development');
  });

  test('no environment label without environment', () => {
    const { chart } = rescanNamespace({ environment: undefined });
    expect(findObject(synthManifests(chart), 'Namespace', 'rescan').metadata.labels.environment).toBeUndefined();
  });

  test('a Namespace in a chart with a namespace is still cluster-scoped', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'rescan' });
    rescanNamespace({}, chart);
    const obj = findObject(synthManifests(chart), 'Namespace', 'rescan');
    expect(obj.metadata.namespace).toBeUndefined();
  });

  describe('rules', () => {
    test('name must be a DNS-1123 label', () => {
      const { chart } = rescanNamespace({ name: 'rescan.prod' });
      expect(() => synthManifests(chart)).toThrow(/name: got "rescan.prod"; expected a DNS-1123 label/);
    });

    test.each(['default', 'kube-system', 'kube-rescan'])('name %s is reserved', (name) => {
      const { chart } = rescanNamespace({ name });
      expect(() => synthManifests(chart)).toThrow(new RegExp(`name: got "${name}"; expected a namespace of your own: not "default" and not starting with "kube-"`));
    });

    test('user labels must not set the Pod Security labels', () => {
      const { chart } = rescanNamespace({ labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } });
      expect(() => synthManifests(chart)).toThrow(/labels\.pod-security\.kubernetes\.io\/enforce: got "privileged"; expected no pod-security\.kubernetes\.io\/\* label: set podSecurityLevel instead/);
    });

    test('an environment label must agree with environment', () => {
      const { chart } = rescanNamespace({ labels: { environment: 'staging' } });
      expect(() => synthManifests(chart)).toThrow(/labels\.environment: got "staging"; expected the same value as environment \("production"\)/);
    });

    test('labels and label props must be valid', () => {
      const { chart } = rescanNamespace({ labels: { app: 'rescan app' }, instance: 'x'.repeat(64) });
      expect(() => synthManifests(chart)).toThrow(/labels\.app: got "rescan app"; expected a label value/);
      expect(() => synthManifests(chart)).toThrow(/instance: got "x{64}"; expected a label value/);
    });

    test('several mistakes are reported together', () => {
      const { chart } = rescanNamespace({ name: 'Rescan', labels: { 'bad key!': 'x', 'environment': 'dev' } });
      const lines = synthError(chart).split('\n').filter((l) => l.startsWith('  [test/rescan]'));
      expect(lines).toEqual([
        expect.stringMatching(/name: got "Rescan"; expected a DNS-1123 label/),
        expect.stringMatching(/labels key: got "bad key!"; expected a label key/),
        expect.stringMatching(/labels\.environment: got "dev"; expected the same value as environment/),
      ]);
    });
  });
});
