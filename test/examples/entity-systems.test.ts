/**
 * The five systems of entity-systems.ts, as their new users check them: the synth warns only where
 * they expect it; `deploykit check` on the plain YAML finds no error and only the warnings listed
 * here (each one a careful user accepts: one replica in development, a worker that serves no port);
 * every object passes the Kubernetes schema and the restricted profile; the Helm chart passes
 * `helm lint --strict` with each values file, renders each environment's plain YAML with the release
 * named after the chart, and with another release in another namespace renders objects that
 * `deploykit check` passes and that resolve inside the release; names are the DNS-1123 names the user
 * gave, and Service DNS names are `<service>.<namespace>.svc.cluster.local` of a Service here. The
 * compose project validates against the Compose Specification and holds no secret value.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { KubernetesSystem, SystemOptions, agents, arena, pipeline, recipes, tooling } from './entity-systems';
import { PolicyCheck, Warnings } from '../../src';
import { dns1123Subdomain } from '../../src/core/rules/names';
import { expectLintWithEveryValuesFile, unresolved } from '../helm/acceptance';
import { tempDir } from '../helm/fixtures';
import { expectSameObjects, namespaceObjects, render, secretsWithData } from '../helm/harness';
import { composeTextProblems } from '../util/compose-schema';
import { assertValidManifests } from '../util/manifests';

const ROOT = path.resolve(__dirname, '..', '..');

interface Case {
  readonly name: string;
  readonly build: (o: SystemOptions) => KubernetesSystem;
  /** The synth's warnings (construct path and message start). */
  readonly synthWarnings: string[];
  /** `deploykit check`'s warnings on the plain YAML: `rule Kind/name` (any environment). */
  readonly checkWarnings: string[];
}

const CASES: Case[] = [
  { name: 'arena', build: arena, synthWarnings: [], checkWarnings: [] },
  {
    name: 'tooling',
    build: tooling,
    synthWarnings: [],
    // Development runs one pod of each: the user's choice, which they accept there.
    checkWarnings: ['replicas-min-two Deployment/ops-console', 'replicas-min-two Deployment/wiki'],
  },
  {
    name: 'pipeline',
    build: pipeline,
    synthWarnings: ['pipeline/worker no container ports'],
    checkWarnings: ['probe-liveness-present Deployment/ingest-worker'],
  },
  { name: 'agents', build: agents, synthWarnings: [], checkWarnings: [] },
];

let work: string;
const savedPassphrase = process.env.DEPLOYKIT_CERT_PASSPHRASE;
beforeAll(() => {
  work = tempDir('entity-systems');
  process.env.DEPLOYKIT_CERT_PASSPHRASE = 'a-passphrase-only-this-test-knows';
});
afterAll(() => {
  if (savedPassphrase === undefined) delete process.env.DEPLOYKIT_CERT_PASSPHRASE;
  else process.env.DEPLOYKIT_CERT_PASSPHRASE = savedPassphrase;
  fs.rmSync(work, { recursive: true, force: true });
});

/** `level rule Kind/name` of each finding of a report. */
const findingLines = (findings: any[]) => findings.map((f) => `${f.level} ${f.rule} ${f.kind}/${f.name}`);

/** Every in-cluster Service DNS name in the objects. */
function dnsNamesIn(objects: any[]): string[] {
  return JSON.stringify(objects).match(/[a-z0-9]([-a-z0-9]*[a-z0-9])?\.[a-z0-9-]+\.svc(\.cluster\.local)?/g) ?? [];
}

describe.each(CASES)('$name', (c) => {
  let system: KubernetesSystem;
  let outdir: string;
  let helmDir: string;
  const plain = (chart: Chart) => chart.toJson();

  beforeAll(() => {
    outdir = path.join(work, c.name);
    system = c.build({ outdir, stateDir: path.join(work, 'state') });
    system.app.synth();
    system.helm.writeTo(path.join(work, 'helm'));
    helmDir = path.join(work, 'helm', c.name);
  });

  test('synthesizes with only the expected warnings', () => {
    const warnings = Warnings.of(system.app).map((w) => `${w.path} ${w.message}`);
    expect(warnings.length).toBe(c.synthWarnings.length);
    c.synthWarnings.forEach((w, i) => expect(warnings[i].startsWith(w)).toBe(true));
  });

  test('the check finds no error in each environment\'s plain YAML, and only the expected warnings; every object passes the schema', () => {
    const findings = system.charts.flatMap(([, chart]) => PolicyCheck.run(plain(chart)).findings);
    expect(findings.filter((f) => f.level === 'error').map((f) => `${f.rule} ${f.kind}/${f.name} ${f.path}: ${f.message}`)).toEqual([]);
    expect([...new Set(findings.map((f) => `${f.rule} ${f.kind}/${f.name}`))].sort()).toEqual(c.checkWarnings);
    for (const [, chart] of system.charts) assertValidManifests(plain(chart));
  });

  test('names are the DNS-1123 names given; Service DNS names are <service>.<namespace>.svc.cluster.local of a Service here', () => {
    for (const [, chart] of system.charts) {
      const objects = plain(chart);
      for (const o of objects) {
        expect(dns1123Subdomain(o.metadata.name)).toBeUndefined();
        expect(o.metadata.name).not.toMatch(/-c8[0-9a-f]{6}$/);
        if (o.metadata.namespace !== undefined) expect(o.metadata.namespace).toBe(system.namespace);
      }
      const services = new Set(objects.filter((o: any) => o.kind === 'Service').map((o: any) => `${o.metadata.name}.${system.namespace}.svc.cluster.local`));
      for (const dnsName of system.dnsNames) expect(services).toContain(dnsName);
      for (const dnsName of dnsNamesIn(objects)) expect(services).toContain(dnsName);
    }
  });

  test('helm lint --strict passes; the release named after the chart renders each environment\'s plain YAML', () => {
    expectLintWithEveryValuesFile(helmDir);
    system.charts.forEach(([env, chart], i) => {
      const args = i === 0 ? [] : ['-f', path.join(helmDir, `values-${env}.yaml`)];
      const objects = plain(chart);
      const hasNamespace = objects.some((o: any) => o.kind === 'Namespace');
      const namespaceFile = system.charts.length === 1 ? 'namespace.yaml' : `namespace-${env}.yaml`;
      const namespaces = hasNamespace ? namespaceObjects(helmDir, namespaceFile) : [];
      expectSameObjects(render(helmDir, system.namespace, args), objects, namespaces, secretsWithData(objects));
    });
  });

  test('another release in another namespace passes deploykit check and resolves inside itself', () => {
    const rendered = render(helmDir, 'other', [], 'alpha');
    expect(rendered.length).toBeGreaterThan(3);
    const report = PolicyCheck.run(rendered);
    expect(findingLines(report.findings).filter((l) => l.startsWith('error'))).toEqual([]);
    // The same warnings as the plain YAML of the default environment, on the release's objects.
    const expected = c.checkWarnings.filter((w) => system.charts.length === 1 || !w.startsWith('replicas-min-two'));
    expect([...new Set(report.findings.map((f) => `${f.rule} ${f.kind}`))].sort()).toEqual([...new Set(expected.map((w) => w.replace(/\/.*$/, '')))].sort());
    expect(unresolved(rendered, 'other', system.external)).toEqual([]);
    for (const o of rendered) expect(dns1123Subdomain(o.metadata.name)).toBeUndefined();
  });
});

test('deploykit check on the four systems\' output folders: no error, only the expected warnings', () => {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'deploykit'), 'check', '--format', 'json', ...CASES.map((c) => path.join(work, c.name))],
    { cwd: ROOT, encoding: 'utf8' });
  const findings: any[] = JSON.parse(run.stdout).findings ?? [];
  expect(findings.filter((f) => f.level === 'error').map((f) => `${f.rule} ${f.kind}/${f.name} ${f.path}: ${f.message}`)).toEqual([]);
  expect([...new Set(findings.map((f) => `${f.rule} ${f.kind}/${f.name}`))].sort()).toEqual(CASES.flatMap((c) => c.checkWarnings).sort());
  expect(run.status).toBe(0);
});

describe('recipes (docker-compose)', () => {
  test('the compose file validates against the Compose Specification, reaches the database by its Service DNS name, and holds no secret value', () => {
    const system = recipes();
    const text = system.compose.synthesizeFile();
    expect(composeTextProblems(text)).toEqual([]);
    const doc = YAML.parse(text, { version: '1.1' });
    expect(Object.keys(doc.services).sort()).toEqual(['recipes', 'recipes-db']);
    expect(system.databaseHost).toBe('recipes-db.homelab.svc.cluster.local');
    expect(doc.services.recipes.environment.DB_HOST).toBe(system.databaseHost);
    expect(doc.services['recipes-db'].networks.default.aliases).toContain(system.databaseHost);
    // The web app's LoadBalancer port is published on the host; the database is not open to the LAN.
    expect(doc.services.recipes.ports).toEqual(['8080:8080']);
    expect(doc.services['recipes-db'].ports).toBeUndefined();
    expect(doc.services['recipes-db'].expose).toEqual(['5432']);
    expect(Object.keys(doc.volumes).sort()).toEqual(['db-data', 'recipes-media']);
    expect(doc.services.recipes.secrets).toEqual([{ source: 'recipes-oidc.client.json', target: '/run/secrets/oidc/client.json' }]);
    for (const value of system.secretValues) expect(text).not.toContain(value);
  });
});
