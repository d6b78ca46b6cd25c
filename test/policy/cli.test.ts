/**
 * The real command: `npx deploykit check` (bin/deploykit, which runs the TypeScript sources in a
 * checkout and lib/ in the package) on the fixtures in test/policy/fixtures, on stdin, and on the
 * example systems' output.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import '@microsoft/jest-sarif';
import { synthRccRemote } from '../../examples/rcc-remote';
import { synthRescan } from '../../examples/rescan';
import { synthTodoChatbot } from '../../examples/todo-chatbot';
import { tempDir } from '../helm/fixtures';
import { runHelm } from '../util/tools';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = 'test/policy/fixtures';

interface Run { status: number; stdout: string; stderr: string }

/**
 * Runs `npx deploykit <args>` (npx resolves the package's own bin); with `viaNpx: false` the same
 * bin/deploykit with node, which spares npm's start-up on a loaded machine.
 */
function deploykit(args: string[], input?: string, viaNpx = false): Run {
  const [command, prefix] = viaNpx ? ['npx', ['--no-install', 'deploykit']] : [process.execPath, [path.join(ROOT, 'bin', 'deploykit')]];
  const r = spawnSync(command, [...prefix, ...args], { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const npx = (args: string[], input?: string) => deploykit(args, input, true);

const summaryOf = (run: Run) => run.stdout.trim().split('\n').pop();

describe('deploykit check', () => {
  test('compliant files and folders (multi-document YAML, JSON) exit 0 with no finding', () => {
    const run = npx(['check', `${FIXTURES}/compliant`]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('deploykit check (restricted): 7 objects in 3 files: 0 errors, 0 warnings, 0 waived, 0 skipped, 0 unreadable\n');
    expect(run.status).toBe(0);
  });

  test('an error finding exits 1; the table groups findings by file and object, with lines', () => {
    const run = npx(['check', `${FIXTURES}/edge/root-pod.yaml`, `${FIXTURES}/compliant`]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain([
      `${FIXTURES}/edge/root-pod.yaml`,
      '  Pod legacy/legacy (line 3)',
      '    error    allowPrivilegeEscalation   spec.containers[0].securityContext.allowPrivilegeEscalation (line 25)',
      '                                        allowPrivilegeEscalation is unset; must be explicitly false',
    ].join('\n'));
    expect(summaryOf(run)).toBe('deploykit check (restricted): 9 objects in 4 files: 3 errors, 0 warnings, 0 waived, 0 skipped, 0 unreadable');
  });

  test('--level baseline passes a pod that only the restricted level refuses', () => {
    const run = npx(['check', '--level', 'baseline', `${FIXTURES}/edge/root-pod.yaml`]);
    expect(summaryOf(run)).toBe('deploykit check (baseline): 2 objects in 1 file: 0 errors, 0 warnings, 0 waived, 0 skipped, 0 unreadable');
    expect(run.status).toBe(0);
  });

  test('warnings alone exit 0: unset replicas, RBAC grants', () => {
    const run = deploykit(['check', `${FIXTURES}/edge/unset-replicas.yaml`, `${FIXTURES}/edge/rbac.yaml`]);
    expect(run.status).toBe(0);
    for (const rule of ['replicas-min-two', 'pdb-present', 'pod-anti-affinity', 'rbac-no-cluster-admin', 'rbac-no-exec-attach', 'rbac-no-secret-read']) {
      expect(run.stdout).toMatch(new RegExp(`warning  ${rule} `));
    }
  });

  test('a YAML syntax error names the file and line, exits 2, and the other files are still checked', () => {
    const run = npx(['check', `${FIXTURES}/broken`, `${FIXTURES}/edge/root-pod.yaml`, 'test/policy/fixtures/missing.yaml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`deploykit: cannot read ${FIXTURES}/broken/syntax.yaml:7: Flow sequence in block collection must be sufficiently indented`);
    expect(run.stderr).toContain('deploykit: cannot read test/policy/fixtures/missing.yaml: no such file or folder');
    expect(run.stdout).toContain('error    runAsNonRoot');
    expect(summaryOf(run)).toBe('deploykit check (restricted): 2 objects in 2 files: 3 errors, 0 warnings, 0 waived, 0 skipped, 2 unreadable');
  });

  test('stdin (-), a List kind, and --format json', () => {
    const input = fs.readFileSync(path.join(ROOT, FIXTURES, 'edge/legacy-ingress.yaml'), 'utf8');
    const run = deploykit(['check', '--format', 'json', '-'], input);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toEqual({ files: 1, objects: 1, errors: 2, warnings: 1, waived: 0, skipped: 0, unreadable: 0 });
    expect(report.findings.map((f: any) => [f.file, f.line, f.kind, f.rule, f.level, f.path])).toEqual([
      ['-', 23, 'Ingress', 'k8s-schema', 'error', 'spec.rules[0].http.paths[0].backend.serviceName'],
      ['-', 24, 'Ingress', 'k8s-schema', 'error', 'spec.rules[0].http.paths[0].backend.servicePort'],
      ['-', 23, 'Ingress', 'ingress-backend-exists', 'warning', 'spec.rules[0].http.paths[0].backend.serviceName'],
    ]);
  });

  test('--format sarif is a valid SARIF 2.1.0 log (checked against its published schema), with waivers as suppressions', () => {
    const dir = tempDir('sarif');
    const waived = fs.readFileSync(path.join(ROOT, FIXTURES, 'edge/rbac.yaml'), 'utf8')
      .replace('name: ci-admin\n', 'name: ci-admin\n  annotations:\n    deploykit.dev/waive: "rbac-no-cluster-admin: the CI cluster is disposable"\n');
    fs.writeFileSync(path.join(dir, 'rbac.yaml'), waived);
    const run = npx(['check', '--format', 'sarif', `${FIXTURES}/edge/root-pod.yaml`, path.join(dir, 'rbac.yaml'), `${FIXTURES}/broken/syntax.yaml`]);
    expect(run.status).toBe(2);
    const log = JSON.parse(run.stdout);
    expect(log).toBeValidSarifLog();
    const results = log.runs[0].results;
    // Objects in input order; one object's findings in catalog order (deploykit check --list-rules).
    expect(results.map((r: any) => r.ruleId)).toEqual([
      'allowPrivilegeEscalation', 'runAsNonRoot', 'seccompProfile_restricted', 'rbac-no-cluster-admin', 'rbac-no-exec-attach', 'rbac-no-secret-read',
    ]);
    expect(results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'test/policy/fixtures/edge/root-pod.yaml' }, region: { startLine: 25 } });
    expect(results[3].suppressions).toEqual([{ kind: 'inSource', justification: 'the CI cluster is disposable' }]);
    expect(log.runs[0].tool.driver.rules[results[0].ruleIndex].id).toBe('allowPrivilegeEscalation');
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/^unreadable input: Flow sequence/);
  });

  test('--rules, --skip and --config choose rules and thresholds; a waiver without a reason is an error', () => {
    const dir = tempDir('config');
    fs.writeFileSync(path.join(dir, 'deploykit.yaml'), 'level: baseline\nskip: [waiver-reason]\nminReplicas: 1\n');
    const pod = `${FIXTURES}/edge/root-pod.yaml`;
    expect(deploykit(['check', '--rules', 'runAsNonRoot,allowPrivilegeEscalation', pod]).stdout).toMatch(/: 2 errors, 0 warnings/);
    expect(deploykit(['check', '--skip', 'runAsNonRoot', '--skip', 'allowPrivilegeEscalation,seccompProfile_restricted', pod]).status).toBe(0);
    const noReason = `${FIXTURES}/edge/waiver-without-reason.yaml`;
    expect(deploykit(['check', noReason]).stdout).toContain('error    waiver-reason');
    const configured = deploykit(['check', '--config', path.join(dir, 'deploykit.yaml'), noReason, `${FIXTURES}/edge/unset-replicas.yaml`]);
    // The unwaived finding is configmap-no-secret-content: an error since issue 19 (a secret-named key with a real-looking value).
    expect(summaryOf(configured)).toBe('deploykit check (baseline): 3 objects in 2 files: 1 error, 2 warnings, 0 waived, 0 skipped, 0 unreadable');
    expect(configured.stdout).not.toContain('waiver-reason');
    expect(configured.stdout).not.toContain('replicas-min-two');
  });

  test('one object twice in a file exits 1, naming the lines of both', () => {
    const file = `${FIXTURES}/edge/duplicate-object.yaml`;
    const run = deploykit(['check', file]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain([
      `${file}`,
      '  ConfigMap shop/settings (line 10)',
      '    error    object-unique  metadata.name (line 13)',
    ].join('\n'));
    expect(run.stdout).toContain('ConfigMap shop/settings is in the input twice');
    expect(run.stdout).toContain(`[ConfigMap settings at ${file}:2]`);
    expect(summaryOf(run)).toBe('deploykit check (restricted): 2 objects in 1 file: 1 error, 0 warnings, 0 waived, 0 skipped, 0 unreadable');
    // Two files holding one object are alternatives (the outputs of two environments), not a duplicate.
    const dir = tempDir('alternatives');
    const [first, second] = fs.readFileSync(path.join(ROOT, file), 'utf8').split('---\n');
    fs.writeFileSync(path.join(dir, 'production.yaml'), first);
    fs.writeFileSync(path.join(dir, 'development.yaml'), second);
    expect(deploykit(['check', dir]).status).toBe(0);
  });

  test('a ServiceMonitor the NetworkPolicy blocks exits 1, naming the flow; where Prometheus runs is an option', () => {
    const file = `${FIXTURES}/flows/blocked-scrape.yaml`;
    const run = deploykit(['check', file]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('  NetworkPolicy shop/api (line 75)\n    error    networkpolicy-blocks-flow  spec.ingress (line 85)');
    expect(run.stdout).toContain('ServiceMonitor shop/api -> Deployment shop/api :8080 blocked by NetworkPolicy shop/api (ingress)');
    expect(run.stdout).toContain(`[ServiceMonitor api at ${file}:92]`);
    expect(summaryOf(run)).toBe('deploykit check (restricted): 5 objects in 1 file: 1 error, 0 warnings, 0 waived, 0 skipped, 0 unreadable');
    // A Prometheus in the ingress controller's namespace is admitted: by flags or by --config.
    const flags = deploykit(['check', '--prometheus-namespace', 'ingress-nginx', '--prometheus-pod-labels', 'app=prometheus,team=ops', file]);
    expect(flags.status).toBe(0);
    const dir = tempDir('flow-config');
    fs.writeFileSync(path.join(dir, 'deploykit.yaml'), 'prometheusNamespace: ingress-nginx\nprometheusPodLabels: { app: prometheus }\n');
    expect(deploykit(['check', '--config', path.join(dir, 'deploykit.yaml'), file]).status).toBe(0);
    // The ingress controller and DNS settings are read too.
    const json = JSON.parse(deploykit(['check', '--format', 'json', '--cluster-dns-namespace', 'dns', '--ingress-controller-pod-labels', 'app=nginx', file]).stdout);
    expect(json.findings.map((f: any) => [f.rule, f.line, f.related])).toEqual([['networkpolicy-blocks-flow', 85, { file, line: 92 }]]);
    const bad = deploykit(['check', '--prometheus-pod-labels', 'prometheus', file]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--prometheus-pod-labels takes labels as key=value,key=value; got "prometheus"');
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'prometheusPodLabels: [prometheus]\n');
    expect(deploykit(['check', '--config', path.join(dir, 'bad.yaml'), file]).stderr).toContain('prometheusPodLabels must be a mapping of label keys to string values');
    // A setting named like an Object member is unknown, not "a function".
    fs.writeFileSync(path.join(dir, 'member.yaml'), 'toString: yes\n');
    expect(deploykit(['check', '--config', path.join(dir, 'member.yaml'), file]).stderr).toContain('has an unknown setting "toString"');
  });

  test('--help names the options for the outside world with their defaults', () => {
    const help = deploykit(['check', '--help']).stdout;
    for (const option of ['--ingress-controller-namespace', '--ingress-controller-pod-labels', '--prometheus-namespace', '--prometheus-pod-labels',
      '--cluster-dns-namespace', '--cluster-dns-pod-labels']) expect(help).toContain(option);
    for (const fallback of ['(default: ingress-nginx)', '(default: monitoring)', '(default: app.kubernetes.io/name=prometheus)', '(default: kube-system)', '(default: k8s-app=kube-dns)']) {
      expect(help).toContain(fallback);
    }
  });

  test('a wrong command line exits 2 with the usage; --list-rules lists every rule', () => {
    const typo = deploykit(['check', '--skip', 'runAsNonroot', `${FIXTURES}/compliant`]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^deploykit: unknown rule id\(s\): runAsNonroot \(see deploykit check --list-rules\)\n\nUsage: deploykit check/);
    expect(deploykit(['check', '--format', 'xml', 'x.yaml']).stderr).toMatch(/--format must be one of table, json, sarif; got "xml"/);
    expect(deploykit(['lint']).status).toBe(2);
    const rules = deploykit(['check', '--list-rules']).stdout.trim().split('\n');
    expect(rules).toContain('runAsNonRoot\terror (restricted)\trunAsNonRoot is true for the pod or every container, and never false');
    expect(rules.find((r) => r.startsWith('secret-values\terror\t'))).toBeDefined();
  });
});

describe('the example systems pass deploykit check', () => {
  let out: string;
  beforeAll(() => {
    out = tempDir('examples-check');
    synthRescan(out);
    synthTodoChatbot(out);
    synthRccRemote(out);
  });

  test('every plain YAML output: no error, no warning; each exception is a waiver with its reason', () => {
    const run = npx(['check', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(summaryOf(run)).toMatch(/: 0 errors, 0 warnings, \d+ waived, 3 skipped, 0 unreadable$/);
    // The Helm charts are skipped whole: their templates are not YAML until rendered.
    expect(run.stdout).toContain('helm/rescan: a Helm chart: its templates are not manifests until rendered');
    const report = JSON.parse(deploykit(['check', '--format', 'json', out]).stdout);
    expect(report.findings).toEqual([]);
    for (const w of report.waivers) expect(w.reason).toMatch(/\S{3}/);
  });

  test.each([['rescan'], ['todo-app'], ['rcc-remote']])('the %s Helm chart rendered with its default values passes on stdin', (chart) => {
    const rendered = runHelm(['template', chart, path.join(out, 'helm', chart)]);
    expect(rendered.status).toBe(0);
    const run = deploykit(['check', '-'], rendered.stdout);
    expect(summaryOf(run)).toMatch(/: 0 errors, 0 warnings, \d+ waived, 0 skipped, 0 unreadable$/);
    expect(run.status).toBe(0);
  });
});
