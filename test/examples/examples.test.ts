/**
 * The example systems as `npx cdk8s synth` writes them (examples/main.ts), built in-process into a
 * temp dir: plain YAML per environment plus a Helm chart per system, proven with the real helm.
 * With default values the chart renders the production plain YAML, with `-f values-<env>.yaml`
 * that environment's plain YAML (minus only the helm.sh/chart and managed-by labels), except the
 * Namespace: no template renders it; it is plain YAML in namespace.yaml (values.yaml) and
 * namespace-<env>.yaml (values-<env>.yaml), applied before `helm install`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { synthesizeBeforeAll } from './example-site';
import { ExampleOutput, synthRescan } from '../../examples/rescan';
import { synthTodoChatbot } from '../../examples/todo-chatbot';
import { synthToolHive } from '../../examples/toolhive';
import { parseRendered, tempDir } from '../helm/fixtures';
import { expectSameObjects, namespaceObjects, render, renderFailure, renderNotes } from '../helm/harness';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

/** Variables the examples read credentials from: unset here, so no secret reaches the output. */
interface System {
  readonly chart: string;
  readonly release: string;
  readonly namespace: string;
  readonly synth: (outdir: string) => ExampleOutput;
  /** Plain YAML file of each environment, under <outdir>/<system>/. */
  readonly plain: { readonly production: string; readonly development: string };
}

const SYSTEMS: System[] = [
  {
    chart: 'rescan',
    release: 'rescan',
    namespace: 'rescan',
    synth: synthRescan,
    plain: { production: 'rescan/rescan.k8s.yaml', development: 'rescan/rescan-development.k8s.yaml' },
  },
  {
    chart: 'todo-app',
    release: 'todo-app',
    namespace: 'todo',
    synth: synthTodoChatbot,
    plain: { production: 'todo-chatbot/todo-chatbot.k8s.yaml', development: 'todo-chatbot/todo-chatbot-development.k8s.yaml' },
  },
  {
    chart: 'toolhive',
    release: 'toolhive',
    namespace: 'toolhive',
    synth: synthToolHive,
    plain: { production: 'toolhive/toolhive.k8s.yaml', development: 'toolhive/toolhive-development.k8s.yaml' },
  },
];

const site = synthesizeBeforeAll('examples', SYSTEMS.map((s) => [s.chart, s.synth] as const));
const outputs = site.outputs;

function plainObjects(file: string): any[] {
  return parseRendered(fs.readFileSync(path.join(site.dir, file), 'utf8'));
}

/** Chart files, relative and "/"-separated, sorted. */
function chartFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** Values with every entry under a `secret` map replaced (none are expected: credentials stay outside). */
function withoutSecretMaterial(values: any): any {
  if (Array.isArray(values)) return values.map(withoutSecretMaterial);
  if (!values || typeof values !== 'object') return values;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k === 'secret' ? '<redacted>' : withoutSecretMaterial(v)]));
}

describe.each(SYSTEMS)('$chart', (system) => {
  const dir = () => outputs.get(system.chart)!.helmDir;

  test('plain YAML goes to <outdir>/<system>/, the chart to <outdir>/helm/<chart>/', () => {
    const out = outputs.get(system.chart)!;
    expect(out.helmDir).toBe(path.join(site.dir, 'helm', system.chart));
    expect(path.relative(site.dir, out.plainDir)).toBe(path.dirname(system.plain.production));
    for (const file of Object.values(system.plain)) expect(fs.existsSync(path.join(site.dir, file))).toBe(true);
    expect(out.charts.map((c) => c.name)).toEqual(['production', 'development']);
  });

  test('helm lint --strict passes with values.yaml and with each values file', () => {
    for (const args of [[], ['-f', path.join(dir(), 'values-development.yaml')], ['-f', path.join(dir(), 'values-production.yaml')]]) {
      const r = runHelm(['lint', '--strict', dir(), ...args]);
      expect({ args, stderr: r.stderr, status: r.status }).toEqual({ args, stderr: '', status: 0 });
      expect(r.stdout).toContain('0 chart(s) failed');
    }
  });

  test('default values render the production plain objects, with the Namespace from namespace.yaml', () => {
    const rendered = render(dir(), system.namespace, [], system.release);
    expectSameObjects(rendered, plainObjects(system.plain.production), namespaceObjects(dir()));
    assertValidManifests(rendered);
  });

  test('-f values-development.yaml renders the development plain objects, with the Namespace from namespace-development.yaml', () => {
    const rendered = render(dir(), system.namespace, ['-f', path.join(dir(), 'values-development.yaml')], system.release);
    expectSameObjects(rendered, plainObjects(system.plain.development), namespaceObjects(dir(), 'namespace-development.yaml'));
    assertValidManifests(rendered);
  });

  test('-f values-production.yaml renders the production plain objects, with the Namespace from namespace-production.yaml', () => {
    const rendered = render(dir(), system.namespace, ['-f', path.join(dir(), 'values-production.yaml')], system.release);
    expectSameObjects(rendered, plainObjects(system.plain.production), namespaceObjects(dir(), 'namespace-production.yaml'));
    assertValidManifests(rendered);
  });

  test('no template renders a Namespace; the namespace files hold it with the restricted Pod Security labels', () => {
    for (const args of [[], ['-f', path.join(dir(), 'values-development.yaml')], ['--set', 'networkPolicy.enabled=false']]) {
      const kinds = render(dir(), system.namespace, args, system.release).map((o) => o.kind);
      expect({ args, namespaces: kinds.filter((k) => k === 'Namespace') }).toEqual({ args, namespaces: [] });
    }
    expect(chartFiles(dir()).filter((f) => f.startsWith('templates/namespace'))).toEqual([]);
    for (const [file, environment] of [['namespace.yaml', 'production'], ['namespace-production.yaml', 'production'], ['namespace-development.yaml', 'development']]) {
      const [ns] = namespaceObjects(dir(), file);
      expect({ file, name: ns.metadata.name, labels: ns.metadata.labels }).toEqual({
        file,
        name: system.namespace,
        labels: expect.objectContaining({
          'environment': environment,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        }),
      });
      expect(ns.metadata.namespace).toBeUndefined();
    }
  });

  test('NOTES.txt, the README and the values files say: create the namespace, then helm install into it', () => {
    const c = system.chart;
    const ns = system.namespace;
    const notes = fs.readFileSync(path.join(dir(), 'templates', 'NOTES.txt'), 'utf8');
    expect(notes).toContain(`  kubectl apply -f ./${c}/namespace.yaml\n  helm install ${c} ./${c} --namespace ${ns}\n`);
    expect(notes).toContain(`  kubectl apply -f ./${c}/namespace-development.yaml\n  helm install ${c} ./${c} -f ./${c}/values-development.yaml --namespace ${ns}\n`);
    expect(notes).toContain('  kubectl create namespace {{ .Release.Namespace }}\n');
    expect(notes).toMatch(/^ {2}kubectl label namespace \{\{ \.Release\.Namespace \}\} .*pod-security\.kubernetes\.io\/enforce=restricted/m);
    const readme = fs.readFileSync(path.join(dir(), 'README.md'), 'utf8');
    expect(readme).toContain(`kubectl apply -f ./${c}/namespace.yaml\nhelm install ${c} ./${c} --namespace ${ns}\n`);
    expect(readme).toContain(`kubectl apply -f ./${c}/namespace-development.yaml\nhelm install ${c} ./${c} -f ./${c}/values-development.yaml --namespace ${ns}\n`);
    expect(readme).toMatch(/^kubectl label namespace <namespace> .*pod-security\.kubernetes\.io\/enforce=restricted/m);
    expect(readme).toContain('`values.yaml` goes with `namespace.yaml`, `values-<env>.yaml` with\n`namespace-<env>.yaml`');
    expect(fs.readFileSync(path.join(dir(), 'values-development.yaml'), 'utf8')).toContain(`# kubectl apply -f ./${c}/namespace-development.yaml`);
  });

  test('helm package makes a .tgz that keeps the namespace files', () => {
    const out = tempDir('examples-package');
    try {
      const r = runHelm(['package', dir(), '--destination', out]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(fs.readdirSync(out)).toEqual([`${system.chart}-1.0.0.tgz`]);
      const list = spawnSync('tar', ['-tzf', path.join(out, `${system.chart}-1.0.0.tgz`)], { encoding: 'utf8' });
      expect(list.stdout.split('\n').filter((f) => /namespace/.test(f)).sort()).toEqual(
        ['namespace-development.yaml', 'namespace-production.yaml', 'namespace.yaml'].map((f) => `${system.chart}/${f}`),
      );
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('chart files, Chart.yaml and values', () => {
    const values = YAML.parse(fs.readFileSync(path.join(dir(), 'values.yaml'), 'utf8'));
    expect({
      files: chartFiles(dir()),
      chart: YAML.parse(fs.readFileSync(path.join(dir(), 'Chart.yaml'), 'utf8')),
      values: withoutSecretMaterial(values),
    }).toMatchSnapshot();
    expect(withoutSecretMaterial(values)).toEqual(values);
  });
});

test('Rescan: --set image.tag moves the image and its version labels, never the selectors', () => {
  const dir = outputs.get('rescan')!.helmDir;
  const rendered = render(dir, 'rescan', ['--set', 'image.tag=2.0.0'], 'rescan');
  assertValidManifests(rendered);
  const app = findObject(rendered, 'Deployment', 'rescan-app');
  expect(app.spec.template.spec.containers[0].image).toBe('rescan:2.0.0');
  expect(app.metadata.labels['app.kubernetes.io/version']).toBe('v2.0.0');
  expect(app.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/version': 'v2.0.0', 'version': 'v2.0.0' });
  expect(app.spec.selector.matchLabels).toEqual({ app: 'rescan' });
  expect(findObject(rendered, 'Service', 'rescan-service').metadata.labels['app.kubernetes.io/version']).toBe('v2.0.0');
  expect(findObject(rendered, 'Service', 'rescan-service').spec.selector).toEqual({ app: 'rescan' });
});

test('Rescan: one SQLite writer: replicaCount is at most 1 and there is no autoscaling', () => {
  const dir = outputs.get('rescan')!.helmDir;
  const two = renderFailure(dir, 'rescan', ['--set', 'replicaCount=2']);
  expect(two).toContain("values don't meet the specifications of the schema(s)");
  expect(two).toContain('replicaCount: Must be less than or equal to 1');
  const hpa = renderFailure(dir, 'rescan', ['--set', 'autoscaling.enabled=true']);
  expect(hpa).toContain('Additional property autoscaling is not allowed');
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'values.schema.json'), 'utf8'));
  expect(schema.properties.replicaCount).toMatchObject({ type: 'integer', minimum: 1, maximum: 1 });
  expect(schema.properties.replicaCount.description).toContain('it mounts the ReadWriteOnce PersistentVolumeClaim rescan-data-pvc, which only one pod can write');
  expect(chartFiles(dir).filter((f) => f.includes('horizontalpodautoscaler'))).toEqual([]);
  expect(findObject(render(dir, 'rescan', ['--set', 'replicaCount=1'], 'rescan'), 'Deployment', 'rescan-app').spec.replicas).toBe(1);
});

test('Todo: no HPA for the todo-postgres StatefulSet; frontend and backend keep theirs', () => {
  const dir = outputs.get('todo-app')!.helmDir;
  // Each workload's file holds its autoscaler.
  const withHpa = chartFiles(dir).filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('kind: HorizontalPodAutoscaler'));
  expect(withHpa).toEqual(['templates/deployment-todo-backend.yaml', 'templates/deployment-todo-frontend.yaml']);
  const hpas = (args: string[]) => render(dir, 'todo', args, 'todo-app').filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec.scaleTargetRef.name).sort();
  expect(hpas([])).toEqual(['todo-backend', 'todo-frontend']);
  expect(hpas(['-f', path.join(dir, 'values-development.yaml')])).toEqual(['todo-backend', 'todo-frontend']);
  expect(renderFailure(dir, 'todo', ['--set', 'todoPostgres.autoscaling.enabled=true'])).toContain('Additional property autoscaling is not allowed');
  expect(findObject(render(dir, 'todo', ['--set', 'todoFrontend.autoscaling.enabled=false'], 'todo-app'), 'Deployment', 'todo-frontend').spec.replicas).toBe(1);
});

test('Todo: the environment value says production (the Namespace label); production refuses the image tag latest; the notes say how to start minikube', () => {
  const dir = outputs.get('todo-app')!.helmDir;
  const values = YAML.parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8'));
  expect(values.environment).toBe('production');
  expect(YAML.parse(fs.readFileSync(path.join(dir, 'values-development.yaml'), 'utf8')).environment).toBe('development');
  const latest = renderFailure(dir, 'todo', ['--set', 'todoBackend.image.tag=latest']);
  expect(latest).toContain("values don't meet the specifications of the schema(s)");
  expect(latest).toContain('(root): Must validate "then" as "if" was valid');
  expect(latest).toContain('todoBackend.image.tag: Must not validate the schema (not)');
  // Development keeps its latest tags; the same values with environment production are refused.
  expect(render(dir, 'todo', ['-f', path.join(dir, 'values-development.yaml')]).length).toBeGreaterThan(0);
  const promoted = renderFailure(dir, 'todo', ['-f', path.join(dir, 'values-development.yaml'), '--set', 'environment=production']);
  expect(promoted).toContain('todoFrontend.image.tag: Must not validate the schema (not)');
  expect(renderFailure(dir, 'todo', ['--set', 'environment=qa'])).toContain('environment must be one of the following: "development", "staging", "production"');
  const notes = fs.readFileSync(path.join(dir, 'templates', 'NOTES.txt'), 'utf8');
  expect(notes).toContain('  minikube start --profile todo-local --cpus 4 --memory 4096MB --disk-size 20000MB --kubernetes-version v1.28.3\n');
  expect(notes).toContain('  minikube addons enable ingress --profile todo-local\n');
});

test('Todo: the cert-manager Certificate follows the Ingress host and TLS values, and renders only with the Ingress TLS', () => {
  const dir = outputs.get('todo-app')!.helmDir;
  const certManager = (objects: any[]) => objects.filter((o) => ['Certificate', 'Issuer'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`).sort();
  const all = ['Certificate/todo-tls', 'Certificate/todo-tls-ca', 'Issuer/todo-tls-ca-issuer', 'Issuer/todo-tls-selfsigned'];
  expect(certManager(render(dir, 'todo', [], 'todo-app'))).toEqual(all);
  expect(certManager(render(dir, 'todo', ['--set', 'todoFrontend.ingress.enabled=false'], 'todo-app'))).toEqual([]);
  expect(certManager(render(dir, 'todo', ['--set', 'todoFrontend.ingress.tls.enabled=false'], 'todo-app'))).toEqual([]);
  const moved = render(dir, 'todo', ['--set', 'todoFrontend.ingress.hostname=todo.example.org', '--set', 'todoFrontend.ingress.tls.secretName=todo-example-tls'], 'todo-app');
  assertValidManifests(moved);
  expect(certManager(moved)).toEqual(all);
  const cert = findObject(moved, 'Certificate', 'todo-tls');
  expect(cert.spec).toMatchObject({ commonName: 'todo.example.org', dnsNames: ['todo.example.org'], secretName: 'todo-example-tls' });
  expect(findObject(moved, 'Ingress', 'todo-ingress').spec.tls).toEqual([{ hosts: ['todo.example.org'], secretName: 'todo-example-tls' }]);
  // The CA chain keeps its own names.
  expect(findObject(moved, 'Certificate', 'todo-tls-ca').spec.secretName).toBe('todo-tls-ca');
});

test('Todo: an Ingress backend follows the port value of the Service it points at', () => {
  const dir = outputs.get('todo-app')!.helmDir;
  const rendered = render(dir, 'todo', ['--set', 'todoFrontend.service.port=3100', '--set', 'todoBackend.service.port=8100'], 'todo-app');
  assertValidManifests(rendered);
  const backends = findObject(rendered, 'Ingress', 'todo-ingress').spec.rules[0].http.paths.map((p: any) => p.backend.service);
  expect(backends).toEqual([{ name: 'todo-frontend-service', port: { number: 3100 } }, { name: 'todo-backend-service', port: { number: 8100 } }]);
  expect(findObject(rendered, 'Service', 'todo-frontend-service').spec.ports[0].port).toBe(3100);
  expect(findObject(rendered, 'Service', 'todo-backend-service').spec.ports[0].port).toBe(8100);
});

test('Todo: NOTES.txt offers a browser URL for the web Services only, not for the database', () => {
  const lines = renderNotes(outputs.get('todo-app')!.helmDir, 'todo', [], 'todo-app').split('\n');
  expect(lines).toContain('  kubectl --namespace todo port-forward svc/todo-postgres 5432:5432   # then connect to 127.0.0.1:5432');
  expect(lines).toContain('  kubectl --namespace todo port-forward svc/todo-frontend-service 8080:3000   # then open http://127.0.0.1:8080/');
  expect(lines.filter((l) => l.includes('todo-postgres') && l.includes('http'))).toEqual([]);
});

/**
 * Every difference between two renders, as `Kind/name /json/path`: the rendered objects of both
 * must be the same set; a field present on one side only counts as a difference at its path.
 */
function differences(before: any[], after: any[]): string[] {
  const out: string[] = [];
  const walk = (key: string, a: any, b: any, at: string) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(key, a[k], b[k], `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      return;
    }
    out.push(`${key} ${at}`);
  };
  const keyed = (objects: any[]) => new Map(objects.map((o) => [`${o.kind}/${o.metadata?.name}`, o]));
  const a = keyed(before);
  const b = keyed(after);
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (!a.has(key) || !b.has(key)) out.push(`${key} ${a.has(key) ? 'removed' : 'added'}`);
    else walk(key, a.get(key), b.get(key), '');
  }
  return out.sort();
}

describe('Rescan: the rescan-secrets Secret the chart only references follows existingSecret', () => {
  const dir = () => outputs.get('rescan')!.helmDir;

  test('values.yaml offers existingSecret, defaulting to the referenced name, and the schema checks it', () => {
    const values = YAML.parse(fs.readFileSync(path.join(dir(), 'values.yaml'), 'utf8'));
    expect(values.existingSecret).toBe('rescan-secrets');
    expect(plainObjects('rescan/rescan.k8s.yaml').filter((o) => o.kind === 'Secret')).toEqual([]);
    const schema = JSON.parse(fs.readFileSync(path.join(dir(), 'values.schema.json'), 'utf8'));
    expect(schema.properties.existingSecret).toMatchObject({ type: 'string' });
    expect(renderFailure(dir(), 'rescan', ['--set', 'existingSecret=Not_A_Name'])).toContain('existingSecret: Does not match pattern');
  });

  test('--set existingSecret=rescan-prod-secrets moves the Deployment\'s secretRef and nothing else', () => {
    const before = render(dir(), 'rescan', [], 'rescan');
    const after = render(dir(), 'rescan', ['--set', 'existingSecret=rescan-prod-secrets'], 'rescan');
    assertValidManifests(after);
    const envFrom = findObject(after, 'Deployment', 'rescan-app').spec.template.spec.containers[0].envFrom;
    expect(envFrom).toEqual([{ configMapRef: { name: 'rescan-config' } }, { secretRef: { name: 'rescan-prod-secrets' } }]);
    expect(differences(before, after)).toEqual(['Deployment/rescan-app /spec/template/spec/containers/0/envFrom/1/secretRef/name']);
    expect(findObject(before, 'Deployment', 'rescan-app').spec.template.spec.containers[0].envFrom[1]).toEqual({ secretRef: { name: 'rescan-secrets' } });
  });

  test('NOTES.txt and the README say to create it, under the name the values give', () => {
    expect(renderNotes(dir(), 'rescan', [], 'rescan')).toContain('  kubectl --namespace rescan create secret generic rescan-secrets --from-literal=<KEY>=<value>\n');
    expect(renderNotes(dir(), 'rescan', ['--set', 'existingSecret=rescan-prod-secrets'], 'rescan'))
      .toContain('  kubectl --namespace rescan create secret generic rescan-prod-secrets --from-literal=<KEY>=<value>\n');
    const readme = fs.readFileSync(path.join(dir(), 'README.md'), 'utf8');
    expect(readme).toContain('kubectl --namespace rescan create secret generic rescan-secrets --from-literal=<KEY>=<value>');
    expect(readme).toMatch(/^- `rescan-secrets` \(managed outside the chart .*\): another name goes in `existingSecret`$/m);
    expect(readme).toMatch(/^\| `existingSecret` \| string \| `"rescan-secrets"` \|/m);
  });
});

describe('Todo: the Secrets the chart only references follow their existingSecret values', () => {
  const dir = () => outputs.get('todo-app')!.helmDir;
  const SECRETS = [
    { name: 'todo-postgres-credentials', value: 'todoPostgres.existingSecret', readers: ['StatefulSet/todo-postgres', 'Deployment/todo-backend'] },
    { name: 'todo-backend-secrets', value: 'todoBackend.secrets.todoBackendSecrets.existingSecret', readers: ['Deployment/todo-backend'] },
    { name: 'todo-ai-provider', value: 'todoBackend.secrets.todoAiProvider.existingSecret', readers: ['Deployment/todo-backend'] },
  ];
  const secretRefs = (objects: any[], kindName: string) => {
    const [kind, name] = kindName.split('/');
    return findObject(objects, kind, name).spec.template.spec.containers[0].envFrom.flatMap((e: any) => (e.secretRef ? [e.secretRef.name] : []));
  };

  test('values.yaml offers one existingSecret per Secret, defaulting to the referenced name', () => {
    const values = YAML.parse(fs.readFileSync(path.join(dir(), 'values.yaml'), 'utf8'));
    const at = (dotted: string) => dotted.split('.').reduce((v, k) => v?.[k], values);
    expect(SECRETS.map((s) => at(s.value))).toEqual(SECRETS.map((s) => s.name));
    expect(plainObjects('todo-chatbot/todo-chatbot.k8s.yaml').filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test.each(SECRETS)('--set $value moves every reference to $name and nothing else', (secret) => {
    const before = render(dir(), 'todo', [], 'todo-app');
    const after = render(dir(), 'todo', ['--set', `${secret.value}=todo-prod-secret`], 'todo-app');
    assertValidManifests(after);
    for (const reader of secret.readers) {
      const refs = secretRefs(after, reader);
      expect({ reader, refs: refs.filter((r: string) => r === 'todo-prod-secret').length, old: refs.includes(secret.name) }).toEqual({ reader, refs: 1, old: false });
    }
    const changed = differences(before, after);
    expect(changed.map((d) => d.replace(/ .*/, '')).sort()).toEqual([...secret.readers].sort());
    expect(changed.every((d) => /\/envFrom\/[0-9]+\/secretRef\/name$/.test(d))).toBe(true);
  });

  test('NOTES.txt and the README list each Secret and the value naming it', () => {
    const notes = renderNotes(dir(), 'todo', ['--set', 'todoBackend.secrets.todoAiProvider.existingSecret=my-ai'], 'todo-app');
    for (const name of ['todo-postgres-credentials', 'todo-backend-secrets', 'my-ai']) {
      expect(notes).toContain(`  kubectl --namespace todo create secret generic ${name} --from-literal=<KEY>=<value>\n`);
    }
    expect(notes).not.toContain('todo-ai-provider');
    const readme = fs.readFileSync(path.join(dir(), 'README.md'), 'utf8');
    for (const s of SECRETS) expect(readme).toContain(`another name goes in \`${s.value}\``);
  });
});

describe('Todo: overrides act only where meant, and the schema refuses bad values', () => {
  const dir = () => outputs.get('todo-app')!.helmDir;
  let defaults: any[];
  beforeAll(() => { defaults = render(dir(), 'todo', [], 'todo-app'); });

  test('todoFrontend.autoscaling.enabled=false with replicaCount=5: 5 replicas, no frontend HPA, nothing else changes', () => {
    const after = render(dir(), 'todo', ['--set', 'todoFrontend.autoscaling.enabled=false', '--set', 'todoFrontend.replicaCount=5'], 'todo-app');
    assertValidManifests(after);
    expect(findObject(after, 'Deployment', 'todo-frontend').spec.replicas).toBe(5);
    expect(findObject(defaults, 'Deployment', 'todo-frontend').spec.replicas).toBeUndefined();
    expect(after.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name)).toEqual(['todo-backend']);
    expect(differences(defaults, after)).toEqual([
      'Deployment/todo-frontend /spec/replicas',
      'HorizontalPodAutoscaler/todo-frontend removed',
    ]);
  });

  test('todoBackend.image.tag=2.0.0 changes only that container\'s image and the todo-backend version labels', () => {
    const after = render(dir(), 'todo', ['--set', 'todoBackend.image.tag=2.0.0'], 'todo-app');
    assertValidManifests(after);
    expect(findObject(after, 'Deployment', 'todo-backend').spec.template.spec.containers[0].image).toBe('todo-backend:2.0.0');
    const changed = differences(defaults, after);
    expect(changed).toContain('Deployment/todo-backend /spec/template/spec/containers/0/image');
    const others = changed.filter((d) => d !== 'Deployment/todo-backend /spec/template/spec/containers/0/image');
    expect(others.length).toBeGreaterThan(0);
    for (const d of others) {
      const [kindName, pointer] = d.split(' ');
      const [kind, name] = kindName.split('/');
      const obj = findObject(after, kind, name);
      const labelsAt = pointer.replace(/\/app\.kubernetes\.io~1version$/, '');
      const labelMap = labelsAt.split('/').slice(1).reduce((v: any, k) => v?.[k], obj);
      expect({ d, versionLabel: pointer.endsWith('/labels/app.kubernetes.io~1version'), value: labelMap?.['app.kubernetes.io/version'], of: labelMap?.['app.kubernetes.io/name'] })
        .toEqual({ d, versionLabel: true, value: expect.stringMatching(/^v?2\.0\.0$/), of: 'todo-backend' });
    }
    // The selectors never follow the tag.
    expect(findObject(after, 'Deployment', 'todo-backend').spec.selector).toEqual(findObject(defaults, 'Deployment', 'todo-backend').spec.selector);
  });

  test('todoFrontend.ingress.enabled=false removes the Ingress and the certificates that only serve it', () => {
    const values = YAML.parse(fs.readFileSync(path.join(dir(), 'values.yaml'), 'utf8'));
    expect(values.todoFrontend.ingress.enabled).toBe(true);
    const after = render(dir(), 'todo', ['--set', 'todoFrontend.ingress.enabled=false'], 'todo-app');
    assertValidManifests(after);
    expect(after.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(differences(defaults, after)).toEqual([
      'Certificate/todo-tls removed', 'Certificate/todo-tls-ca removed', 'Ingress/todo-ingress removed',
      'Issuer/todo-tls-ca-issuer removed', 'Issuer/todo-tls-selfsigned removed',
    ]);
  });

  test.each([
    [['--set', 'todoFrontend.replicaCount=-1'], 'todoFrontend.replicaCount: Must be greater than or equal to 1'],
    [['--set', 'todoFrontend.replicaCount=abc'], 'todoFrontend.replicaCount: Invalid type. Expected: integer, given: string'],
    [['--set', 'replicaCont=3'], 'Additional property replicaCont is not allowed'],
    [['--set', 'todoPostgres.persistence.size=lots'], 'todoPostgres.persistence.size: Does not match pattern'],
  ])('%j fails with a schema error', (args, message) => {
    const stderr = renderFailure(dir(), 'todo', args);
    expect(stderr).toContain("values don't meet the specifications of the schema(s)");
    expect(stderr).toContain(message);
  });
});

describe('Todo: the todo-postgres StatefulSet\'s claim template follows todoPostgres.persistence', () => {
  const dir = () => outputs.get('todo-app')!.helmDir;
  const claim = (objects: any[]) => findObject(objects, 'StatefulSet', 'todo-postgres').spec.volumeClaimTemplates[0];

  test('values.yaml holds the plain size and says the change applies to new installs', () => {
    const values = YAML.parse(fs.readFileSync(path.join(dir(), 'values.yaml'), 'utf8'));
    const plain = claim(plainObjects('todo-chatbot/todo-chatbot.k8s.yaml'));
    expect(values.todoPostgres.persistence).toEqual({ size: plain.spec.resources.requests.storage, storageClass: '' });
    const schema = JSON.parse(fs.readFileSync(path.join(dir(), 'values.schema.json'), 'utf8'));
    const size = schema.properties.todoPostgres.properties.persistence.properties.size;
    expect(size.description).toContain('Kubernetes refuses changing the volumeClaimTemplates of an existing StatefulSet: it applies to new installs');
    expect(claim(render(dir(), 'todo', [], 'todo-app'))).toEqual(plain);
  });

  test.each(['5Gi', '20Gi'])('--set todoPostgres.persistence.size=%s sets the claim template\'s request and nothing else', (size) => {
    const before = render(dir(), 'todo', [], 'todo-app');
    const after = render(dir(), 'todo', ['--set', `todoPostgres.persistence.size=${size}`, '--set', 'todoPostgres.persistence.storageClass=fast-ssd'], 'todo-app');
    assertValidManifests(after);
    expect(claim(after).spec).toMatchObject({ resources: { requests: { storage: size } }, storageClassName: 'fast-ssd' });
    const changed = differences(before, after);
    expect(changed.filter((d) => !d.endsWith('/resources/requests/storage'))).toEqual(['StatefulSet/todo-postgres /spec/volumeClaimTemplates/0/spec/storageClassName']);
    expect(changed.every((d) => d.startsWith('StatefulSet/todo-postgres /spec/volumeClaimTemplates/0/spec/'))).toBe(true);
  });
});
