/**
 * Every value documented in each example chart's values.yaml does what its comment says and keeps
 * the render valid, with the real helm (test/helm/values-sweep.ts walks the values from the file).
 * First the sweep is shown refusing a chart with a documented value no template reads.
 */
import * as fs from 'fs';
import * as path from 'path';
import { synthesizeBeforeAll } from './example-site';
import { synthRccRemote } from '../../examples/rcc-remote';
import { synthRccRemoteGitops } from '../../examples/rcc-remote-gitops';
import { synthRescan } from '../../examples/rescan';
import { synthTodoChatbot } from '../../examples/todo-chatbot';
import { synthToolHive } from '../../examples/toolhive';
import { PolicyCheckOptions } from '../../src/policy';
import { tempDir } from '../helm/fixtures';
import { sweepChart } from '../helm/values-sweep';

const CHARTS = [
  { chart: 'rescan', namespace: 'rescan', synth: synthRescan },
  { chart: 'todo-app', namespace: 'todo', synth: synthTodoChatbot },
  { chart: 'rcc-remote', namespace: 'rcc-remote', synth: synthRccRemote },
  { chart: 'toolhive', namespace: 'toolhive', synth: synthToolHive },
  { chart: 'rcc-remote-gitops', namespace: 'rcc-remote', synth: synthRccRemoteGitops },
] as const;

/** The check told where the values say the cluster DNS, the ingress controller and Prometheus run, as their user would. */
function checkOptions(values: any): PolicyCheckOptions {
  const np = values.networkPolicy ?? {};
  return {
    ...(np.namespaces?.kubeSystem ? { clusterDnsNamespace: np.namespaces.kubeSystem } : {}),
    ...(np.ingressControllerNamespace ? { ingressControllerNamespace: np.ingressControllerNamespace } : {}),
    ...(np.prometheusNamespace ? { prometheusNamespace: np.prometheusNamespace } : {}),
    ...(np.prometheusPodLabels ? { prometheusPodLabels: np.prometheusPodLabels } : {}),
  };
}

const { outputs } = synthesizeBeforeAll('examples-values-sweep', CHARTS.map((c) => [c.chart, c.synth] as const));

test('the sweep refuses a documented value that changes nothing, and one whose render breaks', () => {
  const work = tempDir('values-sweep-bad');
  try {
    const dir = path.join(work, 'rescan');
    fs.cpSync(outputs.get('rescan')!.helmDir, dir, { recursive: true });
    fs.appendFileSync(path.join(dir, 'values.yaml'), '\n# -- Turn on the audit log\nauditLog: false\n');
    const schemaFile = path.join(dir, 'values.schema.json');
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
    schema.properties.auditLog = { type: 'boolean', description: 'Turn on the audit log' };
    fs.writeFileSync(schemaFile, JSON.stringify(schema));
    // A template that writes priorityClassName into broken YAML.
    const template = path.join(dir, 'templates', 'deployment-rescan-app.yaml');
    const text = fs.readFileSync(template, 'utf8');
    const broken = text.replace('priorityClassName: {{ . | quote }}', 'priorityClassName: {{ . }}: x');
    expect(broken).not.toBe(text);
    fs.writeFileSync(template, broken);

    const result = sweepChart(dir, { namespace: 'rescan', checkOptions });
    expect(result.problems.filter((p) => /^(auditLog|priorityClassName)=/.test(p)).map((p) => p.replace(/=.*?: (helm fails|no effect).*/, ': $1'))).toEqual([
      'priorityClassName: helm fails',
      'auditLog: no effect',
    ]);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 120_000);

describe.each(CHARTS)('$chart', ({ chart, namespace }) => {
  test('every value of values.yaml changes the render as its comment says, valid, also as another release in another namespace', () => {
    const result = sweepChart(outputs.get(chart)!.helmDir, { namespace, otherRelease: 'other-rel', otherNamespace: 'other-ns', checkOptions });
    expect(result.problems).toEqual([]);
    // The sweep looked at every leaf (nothing was left out quietly).
    expect(result.batched.length + result.grouped.length + result.alone.length + result.refused.length).toBe(result.leaves);
  }, 180_000);
});
