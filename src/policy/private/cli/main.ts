/**
 * `deploykit check <files|folders|->`: the policy engine as a command for any manifests. Exit 0 when
 * no error stands, 1 on an error finding, 2 when an input could not be read (the other inputs are
 * still checked and reported) or the command line is wrong.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { parse as parseYaml } from 'yaml';
import { formatJson, formatTable } from './formats';
import { checkInputs, exitCode } from './run';
import { formatSarif } from './sarif';
import { PodSecurityLevel } from '../../../core/pod-security';
import { PolicyCheck } from '../../policy-check';
import { PolicyCheckOptions } from '../../policy-report';
import { DEFAULT_KUBERNETES_VERSION, knownKubernetesVersion, KUBERNETES_VERSIONS } from '../schema/k8s-schema';

const USAGE = `Usage: deploykit check [options] <file|folder|->...

Checks Kubernetes manifests (YAML or JSON, many documents, List kinds; folders recursively; - for
stdin) against the Kubernetes schema made strict (null for an optional field is unset, as the API
server reads it), the Pod Security Standards and the kube-score / Polaris / kube-linter rules,
that each object is there once, and that the
NetworkPolicies admit every flow the objects declare. Waive a finding on its object with the
annotation deploykit.dev/waive: "<rule-id>: <reason>".

Options:
  --format table|json|sarif   output (default: table)
  --level restricted|baseline|privileged
                              Pod Security Standards level the cluster enforces (default: restricted)
  --kubernetes-version <v>    the Kubernetes version whose schema applies: ${KUBERNETES_VERSIONS.join(', ')}
                              (default: ${DEFAULT_KUBERNETES_VERSION})
  --rules <id,...>            run only these rules
  --skip <id,...>             do not run these rules
  --ingress-controller-namespace <ns>     where the ingress controller runs (default: ingress-nginx)
  --ingress-controller-pod-labels <k=v,...>
                              its pod labels (default: app.kubernetes.io/name=ingress-nginx,
                              app.kubernetes.io/instance=ingress-nginx,
                              app.kubernetes.io/component=controller)
  --prometheus-namespace <ns> where Prometheus runs (default: monitoring)
  --prometheus-pod-labels <k=v,...>
                              its pod labels (default: app.kubernetes.io/name=prometheus)
  --cluster-dns-namespace <ns>
                              where the cluster DNS runs (default: kube-system)
  --cluster-dns-pod-labels <k=v,...>
                              its pod labels (default: k8s-app=kube-dns)
  --config <file>             YAML or JSON with any of: format, level, kubernetesVersion, rules,
                              skip, schema, minReplicas, minimumRunAsId, requireExplicitPullAlways,
                              probesPerContainer, requireDropAll, checkSystemRbac,
                              ingressControllerNamespace,
                              ingressControllerPodLabels, prometheusNamespace,
                              prometheusPodLabels, clusterDnsNamespace, clusterDnsPodLabels
                              (label settings are mappings; the command line wins)
  --list-rules                print every rule with its level and exit
  -h, --help                  print this help

Exit status: 0 no error, 1 an error finding, 2 an unreadable input or a wrong command line.
`;

const FORMATS = ['table', 'json', 'sarif'];
const LEVELS: string[] = Object.values(PodSecurityLevel);
const CONFIG_KEYS: { [key: string]: 'string' | 'strings' | 'number' | 'boolean' | 'labels' } = {
  format: 'string',
  level: 'string',
  kubernetesVersion: 'string',
  rules: 'strings',
  skip: 'strings',
  schema: 'boolean',
  minReplicas: 'number',
  minimumRunAsId: 'number',
  requireExplicitPullAlways: 'boolean',
  probesPerContainer: 'boolean',
  requireDropAll: 'boolean',
  checkSystemRbac: 'boolean',
  ingressControllerNamespace: 'string',
  ingressControllerPodLabels: 'labels',
  prometheusNamespace: 'string',
  prometheusPodLabels: 'labels',
  clusterDnsNamespace: 'string',
  clusterDnsPodLabels: 'labels',
};
/** The command-line flags of the outside world's places: flag → option (`*PodLabels` take k=v,...). */
const PLACE_FLAGS: { [flag: string]: string } = {
  'ingress-controller-namespace': 'ingressControllerNamespace',
  'ingress-controller-pod-labels': 'ingressControllerPodLabels',
  'prometheus-namespace': 'prometheusNamespace',
  'prometheus-pod-labels': 'prometheusPodLabels',
  'cluster-dns-namespace': 'clusterDnsNamespace',
  'cluster-dns-pod-labels': 'clusterDnsPodLabels',
};

/** Where the command writes; the real process by default. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: () => string;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdin: () => fs.readFileSync(0, 'utf8'),
};

class UsageError extends Error {}

/** Runs the command with its arguments (without `node` and the script); resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    return run(argv, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`deploykit: ${e.message}\n\n${USAGE}`);
    return 2;
  }
}

function run(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command !== 'check') throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        'format': { type: 'string' },
        'level': { type: 'string' },
        'kubernetes-version': { type: 'string' },
        'rules': { type: 'string', multiple: true },
        'skip': { type: 'string', multiple: true },
        'config': { type: 'string' },
        'list-rules': { type: 'boolean' },
        'help': { type: 'boolean', short: 'h' },
        ...Object.fromEntries(Object.keys(PLACE_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (values['list-rules']) {
    for (const r of PolicyCheck.rules()) io.stdout(`${r.id}\t${r.level}${r.podSecurityLevel ? ` (${r.podSecurityLevel})` : ''}\t${r.description}\n`);
    return 0;
  }
  const config = values.config === undefined ? {} : readConfig(values.config);
  const ids = (v: string[] | undefined) => v?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const format = values.format ?? config.format ?? 'table';
  const level = values.level ?? config.level ?? PodSecurityLevel.RESTRICTED;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got "${format}"`);
  if (!LEVELS.includes(level)) throw new UsageError(`--level must be one of ${LEVELS.join(', ')}; got "${level}"`);
  const kubernetesVersion = values['kubernetes-version'] ?? config.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  if (!knownKubernetesVersion(kubernetesVersion)) {
    throw new UsageError(`--kubernetes-version must be one of ${KUBERNETES_VERSIONS.join(', ')} (the versions whose schema the check ships); got "${kubernetesVersion}"`);
  }
  if (positionals.length === 0) throw new UsageError('no file, folder or - (stdin) to check');
  const { format: _format, level: _level, kubernetesVersion: _version, ...tuning } = config;
  const places: { [option: string]: unknown } = {};
  for (const [flag, option] of Object.entries(PLACE_FLAGS)) {
    const value = (values as { [flag: string]: unknown })[flag];
    if (typeof value === 'string') places[option] = option.endsWith('PodLabels') ? labelsFlag(flag, value) : value;
  }
  const options: PolicyCheckOptions = {
    ...tuning,
    ...places,
    kubernetesVersion,
    level: level as PodSecurityLevel,
    rules: ids(values.rules) ?? config.rules,
    skip: ids(values.skip) ?? config.skip,
  };
  const known = new Set(PolicyCheck.rules().map((r) => r.id));
  const unknown = [...options.rules ?? [], ...options.skip ?? []].filter((id) => !known.has(id));
  if (unknown.length) throw new UsageError(`unknown rule id(s): ${unknown.join(', ')} (see deploykit check --list-rules)`);

  const outcome = checkInputs(positionals, options, io.stdin);
  const version = packageVersion();
  io.stdout(format === 'json' ? formatJson(outcome, version) : format === 'sarif' ? formatSarif(outcome, version) : formatTable(outcome));
  for (const u of outcome.unreadable) io.stderr(`deploykit: cannot read ${u.file}${u.line === undefined ? '' : `:${u.line}`}: ${u.message}\n`);
  return exitCode(outcome);
}

/** The settings of a `--config` file, each checked against its type. */
function readConfig(file: string): { [key: string]: any } {
  let value: any;
  try {
    value = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the config file ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`the config file ${file} must hold a mapping of settings`);
  for (const [key, v] of Object.entries(value)) {
    const type = Object.prototype.hasOwnProperty.call(CONFIG_KEYS, key) ? CONFIG_KEYS[key] : undefined;
    const ok = type === 'strings' ? Array.isArray(v) && v.every((s) => typeof s === 'string')
      : type === 'labels' ? !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string')
        : typeof v === type;
    if (!type) throw new UsageError(`the config file ${file} has an unknown setting "${key}"; settings: ${Object.keys(CONFIG_KEYS).join(', ')}`);
    const expected = type === 'strings' ? 'a list of rule ids' : type === 'labels' ? 'a mapping of label keys to string values' : `a ${type}`;
    if (!ok) throw new UsageError(`the config file ${file}: ${key} must be ${expected}`);
  }
  return value;
}

/** `k=v,k2=v2` as labels; a usage error for anything else. */
function labelsFlag(flag: string, text: string): { [key: string]: string } {
  const labels: { [key: string]: string } = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag} takes labels as key=value,key=value; got "${text}"`);
    labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  if (Object.keys(labels).length === 0) throw new UsageError(`--${flag} takes labels as key=value,key=value; got "${text}"`);
  return labels;
}

/** The version of the package this command ships in. */
function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
