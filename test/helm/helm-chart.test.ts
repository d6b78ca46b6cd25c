/**
 * HelmChart props (seed entities Helm Chart / Chart Metadata): bad metadata is reported as Findings;
 * good metadata lands in Chart.yaml, and dependency values are allowed by the schema.
 */
import { App, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { HelmChart, HelmChartProps } from '../../src/helm/helm-chart';

function setup(): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'demo' });
  new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'cm' }, data: { A: '1' } });
  return { app, chart };
}

test('bad chart metadata is reported, one line per field', () => {
  const { app, chart } = setup();
  const other = new Chart(app, 'o');
  const props: HelmChartProps = {
    chartName: 'Demo_Chart',
    chartVersion: '1.0',
    appVersion: ' ',
    chart,
    environments: [{ name: 'prod', chart: other }, { name: 'prod', chart: other }, { name: 'default', chart: other }],
    dependencies: [{ name: 'postgresql', version: 'latest!', repository: 'ftp://charts.example.com' }],
    maintainers: [{ name: '', email: 'nobody', url: 'example.com' }],
  };
  new HelmChart(app, 'helm', props);
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toContain('[helm] chartName: got "Demo_Chart"; expected a DNS-1123 label');
  expect(message).toContain('chartVersion: got "1.0"; expected a semantic version');
  expect(message).toContain('appVersion: got " "');
  expect(message).toContain('environments[1].name: got "prod"; expected a name used by one environment only');
  expect(message).toContain('environments[2].name: got "default"; expected a name other than "default"');
  expect(message).toContain('dependencies[0].version: got "latest!"; expected a SemVer version or range');
  expect(message).toContain('dependencies[0].repository: got "ftp://charts.example.com"; expected a chart repository');
  expect(message).toContain('maintainers[0].name: got ""; expected a name');
  expect(message).toContain('maintainers[0].email: got "nobody"; expected an e-mail address');
  expect(message).toContain('maintainers[0].url: got "example.com"; expected an http:// or https:// URL');
});

test('Chart.yaml carries the metadata; the schema admits the dependency values', () => {
  const { app, chart } = setup();
  const helm = new HelmChart(app, 'helm', {
    chartName: 'demo',
    chartVersion: '2.0.0-rc.1+build.5',
    appVersion: '1.4',
    description: 'Demo',
    chart,
    dependencies: [{ name: 'postgresql', version: '^15.5.0', repository: 'oci://registry-1.docker.io/bitnamicharts', condition: 'postgresql.enabled' }],
    maintainers: [{ name: 'Ops', email: 'ops@example.com' }],
  });
  const files = helm.synthesizeFiles();
  expect(YAML.parse(files['Chart.yaml'])).toEqual({
    apiVersion: 'v2',
    name: 'demo',
    description: 'Demo',
    type: 'application',
    version: '2.0.0-rc.1+build.5',
    appVersion: '1.4',
    kubeVersion: '>=1.28.0-0',
    dependencies: [{ name: 'postgresql', version: '^15.5.0', repository: 'oci://registry-1.docker.io/bitnamicharts', condition: 'postgresql.enabled' }],
    maintainers: [{ name: 'Ops', email: 'ops@example.com' }],
  });
  const schema = JSON.parse(files['values.schema.json']);
  expect(schema.properties.postgresql).toEqual({ type: 'object', description: 'Values of the postgresql dependency chart' });
  expect(schema.properties.config.properties.A.type).toEqual(['string', 'number', 'boolean']);
});

test('notes are appended to templates/NOTES.txt as written', () => {
  const { app, chart } = setup();
  const helm = new HelmChart(app, 'helm', {
    chartName: 'demo',
    chartVersion: '1.0.0',
    chart,
    notes: ['Start the cluster with:', '  minikube start --profile demo --cpus 4', 'Literal {{ braces }} stay text.'],
  });
  expect(helm.notes).toEqual(['Start the cluster with:', '  minikube start --profile demo --cpus 4', 'Literal {{ braces }} stay text.']);
  const notes = helm.synthesizeFiles()['templates/NOTES.txt'];
  expect(notes.endsWith('\n\nStart the cluster with:\n  minikube start --profile demo --cpus 4\nLiteral {{`{{`}} braces }} stay text.\n')).toBe(true);
  // After the variables of the release's names, the notes start with the release.
  expect(notes.replace(/^(\{\{- \$[^\n]*\n)*/, '').startsWith('{{ .Chart.Name }} {{ .Chart.Version }} is installed')).toBe(true);
});

test('defaultEnvironmentName: the default environment gets its own values file', () => {
  const { app, chart } = setup();
  const other = new Chart(app, 'o', { namespace: 'demo' });
  new k8s.KubeConfigMap(other, 'cm', { metadata: { name: 'cm' }, data: { A: '2' } });
  const files = new HelmChart(app, 'helm', {
    chartName: 'demo', chartVersion: '1.0.0', chart, defaultEnvironmentName: 'production', environments: [{ name: 'development', chart: other }],
  }).synthesizeFiles();
  expect(Object.keys(files).filter((f) => f.startsWith('values'))).toEqual(['values.yaml', 'values.schema.json', 'values-production.yaml', 'values-development.yaml']);
  // The environment names say which environment each is (production refuses the image tag latest).
  expect(YAML.parse(files['values-production.yaml'])).toEqual({ environment: 'production', config: { A: '1' } });
  expect(YAML.parse(files['values-development.yaml'])).toEqual({ environment: 'development', config: { A: '2' } });
  expect(files['README.md']).toContain('helm install demo ./demo -f ./demo/values-production.yaml --namespace demo');
});

test('Namespaces are no templates: each values file gets its namespace file, with that environment\'s Namespace', () => {
  const build = (defaultEnvironmentName?: string) => {
    const app = Testing.app();
    const charts = ['production', 'development'].map((env) => {
      const chart = new Chart(app, env, { namespace: 'demo' });
      new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'demo', labels: { 'environment': env, 'pod-security.kubernetes.io/enforce': 'restricted' } } });
      new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'cm' }, data: { A: env } });
      return chart;
    });
    return new HelmChart(app, 'helm', {
      chartName: 'demo', chartVersion: '1.0.0', chart: charts[0], defaultEnvironmentName, environments: [{ name: 'development', chart: charts[1] }],
    }).synthesizeFiles();
  };
  const envOf = (text: string) => YAML.parseAllDocuments(text).map((d) => d.toJSON().metadata.labels.environment);

  const named = build('production');
  expect(Object.keys(named).filter((f) => f.startsWith('namespace'))).toEqual(['namespace.yaml', 'namespace-production.yaml', 'namespace-development.yaml']);
  expect(Object.keys(named).filter((f) => /namespace/i.test(f) && f.startsWith('templates/'))).toEqual([]);
  expect(envOf(named['namespace.yaml'])).toEqual(['production']);
  expect(envOf(named['namespace-production.yaml'])).toEqual(['production']);
  expect(envOf(named['namespace-development.yaml'])).toEqual(['development']);
  expect(named['namespace-development.yaml']).toContain('#   kubectl apply -f ./demo/namespace-development.yaml\n#   helm install demo ./demo -f ./demo/values-development.yaml --namespace demo\n');
  expect(named['templates/NOTES.txt']).toContain('  kubectl label namespace {{ .Release.Namespace }} pod-security.kubernetes.io/enforce=restricted\n');

  const unnamed = build();
  expect(Object.keys(unnamed).filter((f) => f.startsWith('namespace'))).toEqual(['namespace.yaml', 'namespace-development.yaml']);
  expect(unnamed['README.md']).toContain('kubectl apply -f ./demo/namespace.yaml\nhelm install demo ./demo --namespace demo\n');
});

test('defaultEnvironmentName must be a DNS-1123 label other than "default", used once', () => {
  for (const [name, expected] of [
    ['Prod', 'defaultEnvironmentName: got "Prod"; expected a DNS-1123 label'],
    ['default', 'defaultEnvironmentName: got "default"; expected a name other than "default"'],
    ['development', 'environments[0].name: got "development"; expected a name used by one environment only'],
  ]) {
    const { app, chart } = setup();
    new HelmChart(app, 'helm', {
      chartName: 'demo', chartVersion: '1.0.0', chart, defaultEnvironmentName: name, environments: [{ name: 'development', chart: new Chart(app, 'o') }],
    });
    expect(() => app.synth()).toThrow(expected);
  }
});
