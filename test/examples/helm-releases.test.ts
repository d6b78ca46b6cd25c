/**
 * The example charts (dist/helm/rescan, todo-app, rcc-remote and toolhive) as a Helm user uses them, with the real
 * helm: releases side by side in one namespace, another namespace, the standard values of a workload
 * section, global.imageRegistry, config checksums, the helm test, lint with each values file.
 * (examples.test.ts proves the default render equals the plain YAML of each environment.)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { synthesizeBeforeAll } from './example-site';
import { synthRccRemote } from '../../examples/rcc-remote';
import { ExampleOutput, synthRescan } from '../../examples/rescan';
import { synthTodoChatbot } from '../../examples/todo-chatbot';
import { synthToolHive } from '../../examples/toolhive';
import {
  allImages, expectLintWithEveryValuesFile, expectReleasesApart, kindNames, namespaceLeftovers, podSpecOfWorkload, unresolved,
} from '../helm/acceptance';
import { render } from '../helm/harness';
import { SectionWorkload, expectStandardValues } from '../helm/standard-values';
import { assertValidManifests, findObject } from '../util/manifests';

interface System {
  readonly chart: string;
  readonly namespace: string;
  readonly synth: (outdir: string) => ExampleOutput;
  /** Secrets the user creates (the chart never holds secret values). */
  readonly external: string[];
  readonly target: SectionWorkload;
  readonly others: SectionWorkload[];
  /** A config value (`--set` key) and the workload whose pods read it; none when no pod reads a ConfigMap of the chart. */
  readonly config?: { readonly key: string; readonly workload: SectionWorkload };
}

const BACKEND: SectionWorkload = { kind: 'Deployment', name: 'todo-backend', section: ['todoBackend'] };
const FRONTEND: SectionWorkload = { kind: 'Deployment', name: 'todo-frontend', section: ['todoFrontend'] };
const POSTGRES: SectionWorkload = { kind: 'StatefulSet', name: 'todo-postgres', section: ['todoPostgres'] };
const RESCAN: SectionWorkload = { kind: 'Deployment', name: 'rescan-app', section: [] };
const RCC: SectionWorkload = { kind: 'Deployment', name: 'rcc-remote', section: [] };
// The UI is the target of the standard values: the API has a ServiceAccount of its own (its RBAC).
const TOOLHIVE_UI: SectionWorkload = { kind: 'Deployment', name: 'toolhive-ui', section: ['toolhiveUi'] };
const TOOLHIVE_API: SectionWorkload = { kind: 'Deployment', name: 'toolhive-api', section: ['toolhiveApi'] };
const TOOLHIVE_OTHERS: SectionWorkload[] = [
  TOOLHIVE_API,
  { kind: 'Deployment', name: 'github', section: ['github'] },
  { kind: 'Deployment', name: 'fetch', section: ['fetch'] },
  { kind: 'Deployment', name: 'time', section: ['time'] },
];

const SYSTEMS: System[] = [
  { chart: 'rescan', namespace: 'rescan', synth: synthRescan, external: ['rescan-secrets'], target: RESCAN, others: [], config: { key: 'config.NODE_ENV', workload: RESCAN } },
  {
    chart: 'todo-app',
    namespace: 'todo',
    synth: synthTodoChatbot,
    external: ['todo-postgres-credentials', 'todo-backend-secrets', 'todo-ai-provider'],
    target: BACKEND,
    others: [FRONTEND, POSTGRES],
    config: { key: 'todoBackend.config.LOG_LEVEL', workload: BACKEND },
  },
  {
    chart: 'rcc-remote',
    namespace: 'rcc-remote',
    synth: synthRccRemote,
    // The TLS Secret is cert-manager's; the catalog metadata ConfigMap is for people and tools, no pod reads it.
    external: [],
    target: RCC,
    others: [],
  },
  {
    chart: 'toolhive',
    namespace: 'toolhive',
    synth: synthToolHive,
    external: ['github-mcp-token', 'toolhive-registry-credentials', 'toolhive-tls'],
    target: TOOLHIVE_UI,
    others: TOOLHIVE_OTHERS,
    config: { key: 'toolhiveApi.configToolhiveApiConfig.CATALOG_DIR', workload: TOOLHIVE_API },
  },
];

const { outputs } = synthesizeBeforeAll('examples-releases', SYSTEMS.map((s) => [s.chart, s.synth] as const));

describe.each(SYSTEMS)('$chart', (system) => {
  const dir = () => outputs.get(system.chart)!.helmDir;

  test('helm lint --strict passes with values.yaml and each values file', () => {
    expectLintWithEveryValuesFile(dir());
  });

  test('releases alpha and beta in one namespace share no (kind, name), resolve inside themselves and select only their own pods', () => {
    expectReleasesApart(dir(), system.namespace, system.external);
    expectReleasesApart(dir(), system.namespace, system.external, ['-f', path.join(dir(), 'values-development.yaml')]);
  });

  test('--namespace other moves every object and leaves no reference to the original namespace', () => {
    for (const release of [system.chart, 'alpha']) {
      const rendered = render(dir(), 'other', [], release, true);
      assertValidManifests(rendered);
      expect(rendered.filter((o) => o.metadata.namespace !== 'other').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
      expect(namespaceLeftovers(rendered, system.namespace)).toEqual([]);
      expect(unresolved(rendered, 'other', system.external)).toEqual([]);
    }
  });

  test('the standard values of a workload section land in its pod spec only', () => {
    expectStandardValues(dir(), system.namespace, system.target, system.others);
  });

  test('global.imageRegistry moves every image (the helm test\'s too); global.imagePullSecrets reaches every pod', () => {
    const moved = render(dir(), system.namespace, ['--set', 'global.imageRegistry=registry.internal:5000', '--set-json', 'global.imagePullSecrets=[{"name":"mirror"}]'], system.chart, true);
    assertValidManifests(moved);
    const images = allImages(moved);
    expect(images.length).toBeGreaterThan(1);
    expect(images.filter((i) => !i.startsWith('registry.internal:5000/'))).toEqual([]);
    for (const w of [system.target, ...system.others]) expect(podSpecOfWorkload(moved, w.kind, w.name).spec.imagePullSecrets).toEqual([{ name: 'mirror' }]);
  });

  test('a changed config value changes the checksum of the pods that read it; a pod that reads none has no checksum', () => {
    const checksum = (args: string[], workload: SectionWorkload) =>
      podSpecOfWorkload(render(dir(), system.namespace, args), workload.kind, workload.name).meta.annotations?.['checksum/config'];
    if (system.config) {
      const { key, workload } = system.config;
      expect(checksum([], workload)).toMatch(/^[0-9a-f]{64}$/);
      expect(checksum(['--set', `${key}=changed`], workload)).not.toBe(checksum([], workload));
    } else {
      expect(checksum([], system.target)).toBeUndefined();
    }
  });

  test('the helm test template checks every Service of the release with a restricted pod', () => {
    const tests = render(dir(), system.namespace, ['--show-only', 'templates/tests/test-connection.yaml'], system.chart, true);
    expect(kindNames(tests)).toEqual([`Pod/${system.chart}-test-connection`]);
    assertValidManifests(tests);
    const script = tests[0].spec.containers[0].command.join('\n');
    for (const s of render(dir(), system.namespace).filter((o) => o.kind === 'Service')) {
      expect(script).toContain(`nc -z -w 5 ${s.metadata.name}.${system.namespace}.svc.cluster.local ${s.spec.ports[0].port}`);
      // No Service sends traffic to the test pod.
      const selected = Object.entries(s.spec.selector ?? {}).every(([k, v]) => tests[0].metadata.labels[k] === v);
      expect(`${s.metadata.name} selects the test pod: ${selected}`).toBe(`${s.metadata.name} selects the test pod: false`);
    }
  });
});

test('Todo: DATABASE_URL and the backend URL follow the release name and namespace', () => {
  const dir = outputs.get('todo-app')!.helmDir;
  const config = (objects: any[], name: string) => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith(name)).data;
  const plain = render(dir, 'todo');
  expect(config(plain, 'todo-backend-config').DATABASE_URL).toBe('postgresql://todo@todo-postgres.todo.svc.cluster.local:5432/todo');
  const alpha = render(dir, 'staging', [], 'alpha');
  expect(config(alpha, 'todo-backend-config').DATABASE_URL).toBe('postgresql://todo@alpha-todo-app-todo-postgres.staging.svc.cluster.local:5432/todo');
  expect(config(alpha, 'todo-frontend-config').BACKEND_INTERNAL_URL).toBe('http://alpha-todo-app-todo-backend-service.staging.svc.cluster.local:8000');
  // A URL the user sets is rewritten only where it names a Service of the chart.
  const own = render(dir, 'staging', ['--set', 'todoBackend.config.DATABASE_URL=postgresql://app@db.example.com:5432/todo'], 'alpha');
  expect(config(own, 'todo-backend-config').DATABASE_URL).toBe('postgresql://app@db.example.com:5432/todo');
});

test('Todo: the ingress controller\'s namespace the NetworkPolicies admit is a value', () => {
  const dir = outputs.get('todo-app')!.helmDir;
  const values = YAML.parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8'));
  expect(values.networkPolicy.ingressControllerNamespace).toBe('ingress-nginx');
  const rendered = render(dir, 'todo', ['--set', 'networkPolicy.ingressControllerNamespace=traefik']);
  const from = findObject(rendered, 'NetworkPolicy', 'todo-frontend').spec.ingress.flatMap((r: any) => r.from ?? []);
  expect(from).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } });
});

test('Rescan: the SQLite claim is kept on uninstall, and persistence.existingClaim replaces it', () => {
  const dir = outputs.get('rescan')!.helmDir;
  const claim = findObject(render(dir, 'rescan'), 'PersistentVolumeClaim', 'rescan-data-pvc');
  expect(claim.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
  const existing = render(dir, 'rescan', ['--set', 'persistence.existingClaim=rescan-data-restored']);
  expect(existing.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
  const volumes = podSpecOfWorkload(existing, 'Deployment', 'rescan-app').spec.volumes;
  expect(volumes).toContainEqual({ name: 'rescan-data-pvc', persistentVolumeClaim: { claimName: 'rescan-data-restored' } });
});
