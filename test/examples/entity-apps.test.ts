/**
 * Two systems a new user builds from the entities alone (entity-apps.ts), in development and
 * production: the synth gives no error and no warning, `deploykit check` finds no error, every pod
 * passes the restricted Pod Security Standards, every Service DNS name handed to a pod is
 * `<service>.<namespace>.svc.cluster.local` of a Service in the output, and every object name is
 * the DNS-1123 name the user gave, without a cdk8s hash suffix.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { EntityApp, EntityAppOptions, notes, shop } from './entity-apps';
import { ContainerImage, DeploymentManifest, Environment, HealthEndpoint, PolicyCheck, ProbeKind, RestrictedProfile, Warnings } from '../../src';
import { dns1123Subdomain } from '../../src/core/rules/names';
import { tempDir } from '../helm/fixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const SYSTEMS: Array<[string, (o: EntityAppOptions) => EntityApp]> = [['shop', shop], ['notes', notes]];
const ENVIRONMENTS = [Environment.DEVELOPMENT, Environment.PRODUCTION];

/** The objects of each system in production: every name as the user wrote it (or the certificate's, from its construct id). */
const PRODUCTION_OBJECTS: { [system: string]: string[] } = {
  shop: [
    'Certificate/shop-tls', 'Certificate/shop-tls-ca', 'ConfigMap/api-config', 'Deployment/api', 'Deployment/worker', 'HorizontalPodAutoscaler/api',
    'Ingress/shop', 'Issuer/shop-tls-ca-issuer', 'Issuer/shop-tls-selfsigned', 'Namespace/shop', 'NetworkPolicy/api', 'NetworkPolicy/postgres',
    'NetworkPolicy/worker', 'PersistentVolumeClaim/uploads', 'PodDisruptionBudget/api', 'PrometheusRule/api', 'SealedSecret/db-credentials',
    'Service/api', 'Service/postgres', 'Service/worker', 'ServiceMonitor/api', 'StatefulSet/postgres',
  ],
  notes: [
    'Certificate/notes-certificate-tls', 'Certificate/notes-certificate-tls-ca', 'CronJob/notes-backup', 'Deployment/notes-api', 'Deployment/notes-web',
    'Ingress/notes', 'Issuer/notes-certificate-tls-ca-issuer', 'Issuer/notes-certificate-tls-selfsigned', 'Namespace/notes', 'NetworkPolicy/notes-api',
    'NetworkPolicy/notes-backup', 'NetworkPolicy/notes-web', 'PersistentVolumeClaim/notes-backups', 'PersistentVolumeClaim/notes-data',
    'PodDisruptionBudget/notes-web', 'PodMonitor/notes-web', 'PrometheusRule/notes-web', 'Service/notes-api', 'Service/notes-api-internal', 'Service/notes-web',
  ],
};

let work: string;
const savedPassphrase = process.env.DEPLOYKIT_CERT_PASSPHRASE;
beforeAll(() => {
  work = tempDir('entity-apps');
  // Production keeps generated keys only encrypted, as the README says: a user sets the passphrase.
  process.env.DEPLOYKIT_CERT_PASSPHRASE = 'a-passphrase-only-this-test-knows';
});
afterAll(() => {
  if (savedPassphrase === undefined) delete process.env.DEPLOYKIT_CERT_PASSPHRASE;
  else process.env.DEPLOYKIT_CERT_PASSPHRASE = savedPassphrase;
  fs.rmSync(work, { recursive: true, force: true });
});

/** Every string in `value`, with its place. */
function strings(value: unknown, at = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  return [];
}

describe.each(SYSTEMS)('%s', (name, system) => {
  describe.each(ENVIRONMENTS)('%s', (environment) => {
    let built: EntityApp;
    let objects: any[];
    let outdir: string;

    beforeAll(() => {
      outdir = path.join(work, `${name}-${environment}`);
      built = system({ environment, outdir, stateDir: path.join(work, 'state') });
      built.app.synth();
      objects = built.chart.toJson();
    });

    test('synthesizes with no warning', () => {
      expect(objects.length).toBeGreaterThan(10);
      expect(Warnings.of(built.app)).toEqual([]);
    });

    test('deploykit check finds no error and no warning', () => {
      const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'deploykit'), 'check', '--format', 'json', outdir], { cwd: ROOT, encoding: 'utf8' });
      const report = JSON.parse(run.stdout);
      const findings = (report.findings ?? []).map((f: any) => `${f.level} ${f.rule} ${f.kind}/${f.name} ${f.path}: ${f.message}`);
      expect(findings).toEqual([]);
      expect(run.status).toBe(0);
    });

    test('every pod passes the restricted Pod Security Standards', () => {
      expect(RestrictedProfile.check(objects)).toEqual([]);
    });

    test('Service DNS names handed to pods are <service>.<namespace>.svc.cluster.local of a Service here', () => {
      const services = new Set(objects.filter((o) => o.kind === 'Service').map((o) => `${o.metadata.name}.${o.metadata.namespace}.svc.cluster.local`));
      for (const dnsName of Object.values(built.dnsNames)) expect(services).toContain(dnsName);
      const referenced = objects.flatMap((o) => strings(o.data ?? o.spec?.template?.spec ?? {}))
        .flatMap(([, v]) => v.match(/[a-z0-9.-]+\.svc(\.[a-z0-9.-]+)?/g) ?? []);
      expect(referenced.length).toBeGreaterThan(0);
      for (const dnsName of referenced) expect(services).toContain(dnsName);
    });

    test('object names are DNS-1123 names without a hash suffix', () => {
      for (const o of objects) {
        const objectName: string = o.metadata.name;
        expect(dns1123Subdomain(objectName)).toBeUndefined();
        // cdk8s appends "-c8" plus 6 hex digits to names it makes up; the entities never let it.
        expect(objectName).not.toMatch(/-c8[0-9a-f]{6}$/);
        if (o.metadata.namespace !== undefined) expect(o.metadata.namespace).toBe(built.namespace);
      }
      if (environment === Environment.PRODUCTION) expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(PRODUCTION_OBJECTS[name]);
    });
  });
});

test('a workload given a readiness endpoint only is warned at synth, as deploykit check warns (probe-liveness-present)', () => {
  const chart = Testing.chart();
  const web = new DeploymentManifest(chart, 'web', {
    image: new ContainerImage(chart, 'web-image', { repository: 'acme/notes-web', tag: '2.0.1' }),
    ports: [{ containerPort: 8080 }],
    healthEndpoints: [new HealthEndpoint(chart, 'web-ready', { kind: ProbeKind.READINESS, endpointPath: '/' })],
  });
  const objects = Testing.synth(chart);
  expect(PolicyCheck.run(objects).findings.map((f) => `${f.level} ${f.rule} ${f.kind}/${f.name}`)).toEqual(['warning probe-liveness-present Deployment/web']);
  expect(Warnings.of(web).map((w) => w.message)).toEqual([expect.stringMatching(/^healthEndpoints has no liveness endpoint: a hung process is never restarted/)]);
});
