/**
 * Objects that point at each other keep agreeing when a value changes, and value names stay put
 * when objects are added; proven with the real helm:
 * - an Ingress backend that gives a Service port by number follows that Service's `port` value;
 * - the claim a workload mounts first keeps `persistence.*` when a second claim is added (Rescan's backup);
 * - NOTES.txt offers a browser URL only for web ports.
 */
import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { addWeb, tempDir, webChart } from './fixtures';
import { expectSameObjects, namespaceObjects, render, renderNotes } from './harness';
import { ContainerImage, DeploymentManifest, HealthEndpoint, ProbeKind, Protocol } from '../../src';
import { Rescan } from '../../src/blueprints/rescan';
import { HelmChart } from '../../src/helm/helm-chart';
import { assertValidManifests, findObject } from '../util/manifests';

let work: string;
beforeAll(() => { work = tempDir('helm-follow'); });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function write(id: string, build: (app: App) => Chart): { dir: string; plain: any[] } {
  const app = new App({ outdir: `${work}/${id}` });
  const chart = build(app);
  const helm = new HelmChart(app, 'helm', { chartName: id, chartVersion: '1.0.0', chart });
  app.synth();
  return { dir: helm.writeTo(), plain: chart.toJson() };
}

test('an Ingress backend port given by number follows the Service port value', () => {
  const { dir, plain } = write('port', (app) => webChart(app, 'shop', { backendPort: 'number', servicePort: 8080 }));
  expect(findObject(plain, 'Ingress', 'web').spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 8080 });
  expectSameObjects(render(dir, 'shop'), plain);
  const rendered = render(dir, 'shop', ['--set', 'service.port=9090']);
  assertValidManifests(rendered);
  expect(findObject(rendered, 'Service', 'web').spec.ports[0].port).toBe(9090);
  expect(findObject(rendered, 'Ingress', 'web').spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 9090 });
});

test('Rescan with a backup claim: the claim the app mounts keeps persistence.*, the backup claim is named', () => {
  const build = (backup: boolean) => (app: App) => {
    const chart = new Chart(app, 'rescan', { disableResourceNameHashes: true });
    new Rescan(chart, 'rescan', { imageTag: '1.0.0', backup: backup ? {} : undefined });
    return chart;
  };
  const without = write('rescan-plain', build(false));
  const withBackup = write('rescan-backup', build(true));
  const valuesOf = (dir: string) => YAML.parse(fs.readFileSync(`${dir}/values.yaml`, 'utf8'));
  // The SQLite claim has one writer: helm uninstall keeps it (and its data).
  expect(valuesOf(without.dir).persistence).toEqual({ size: '1Gi', storageClass: '', existingClaim: '', resourcePolicy: 'keep' });
  const values = valuesOf(withBackup.dir);
  expect(values.persistence).toEqual(valuesOf(without.dir).persistence);
  // The backup CronJob gets a section of its own, with the claim only it writes.
  expect(Object.keys(values).filter((k) => k.startsWith('persistence'))).toEqual(['persistence']);
  expect(values.rescanBackup).toMatchObject({
    schedule: expect.any(String), persistence: { size: expect.any(String) }, image: { repository: expect.any(String) },
  });
  expectSameObjects(render(withBackup.dir, 'rescan'), withBackup.plain, namespaceObjects(withBackup.dir));
  const rendered = render(withBackup.dir, 'rescan', ['--set', 'persistence.size=2Gi']);
  expect(findObject(rendered, 'PersistentVolumeClaim', 'rescan-data-pvc').spec.resources.requests.storage).toBe('2Gi');
  const backupClaim = findObject(withBackup.plain, 'PersistentVolumeClaim', 'rescan-backup-pvc');
  expect(findObject(rendered, 'PersistentVolumeClaim', 'rescan-backup-pvc').spec).toEqual(backupClaim.spec);
});

test('NOTES.txt: a browser URL only for web ports; other Services get a plain port-forward', () => {
  const { dir } = write('notes', (app) => {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    addWeb(chart, { name: 'web', ingress: false });
    addWeb(chart, { name: 'db', ingress: false, servicePort: 5432, servicePortName: 'postgres' });
    addWeb(chart, { name: 'api', ingress: false, servicePort: 9000, servicePortName: 'http-api' });
    return chart;
  });
  const lines = (args: string[] = []) => renderNotes(dir, 'shop', args).split('\n');
  expect(lines()).toEqual(expect.arrayContaining([
    '  kubectl --namespace shop port-forward svc/web 8080:80   # then open http://127.0.0.1:8080/',
    '  kubectl --namespace shop port-forward svc/api 8080:9000   # then open http://127.0.0.1:8080/',
    '  kubectl --namespace shop port-forward svc/db 5432:5432   # then connect to 127.0.0.1:5432',
  ]));
  expect(lines().filter((l) => l.includes('svc/db') && l.includes('http'))).toEqual([]);
  expect(lines(['--set', 'db.service.port=6543'])).toContain('  kubectl --namespace shop port-forward svc/db 5432:6543   # then connect to 127.0.0.1:5432');
});

test('NOTES.txt: a UDP port is named with its protocol, and kubectl port-forward (TCP only) is never offered for it', () => {
  const { dir } = write('udp-notes', (app) => {
    const chart = new Chart(app, 'games', { namespace: 'games' });
    const image = (id: string) => new ContainerImage(chart, `${id}-image`, { repository: `acme/${id}`, tag: '1.0.0' });
    // UDP only, inside the cluster.
    new DeploymentManifest(chart, 'dns', {
      name: 'dns',
      image: image('dns'),
      ports: [{ name: 'dns', containerPort: 5353, protocol: Protocol.UDP }],
      healthEndpoints: [
        new HealthEndpoint(chart, 'dns-live', { kind: ProbeKind.LIVENESS, command: ['dns-check', '--alive'] }),
        new HealthEndpoint(chart, 'dns-ready', { kind: ProbeKind.READINESS, command: ['dns-check', '--ready'] }),
      ],
    });
    // A UDP game port first, a TCP admin port second.
    new DeploymentManifest(chart, 'game', {
      name: 'game',
      image: image('game'),
      ports: [{ name: 'game', containerPort: 7777, protocol: Protocol.UDP }, { name: 'http-admin', containerPort: 8080 }],
      healthEndpoints: [
        new HealthEndpoint(chart, 'game-live', { kind: ProbeKind.LIVENESS, endpointPath: '/live', portName: 'http-admin' }),
        new HealthEndpoint(chart, 'game-ready', { kind: ProbeKind.READINESS, portName: 'http-admin' }),
      ],
    });
    return chart;
  });
  const lines = (args: string[] = []) => renderNotes(dir, 'games', args).split('\n');
  const notes = lines();
  expect(notes).toEqual(expect.arrayContaining([
    '  dns.games.svc.cluster.local:5353 (UDP)',
    '  game.games.svc.cluster.local:7777 (UDP)',
    '  # svc/dns serves UDP only, which kubectl port-forward does not carry (TCP only): reach it from a pod in the cluster, or through a LoadBalancer or NodePort Service',
    '  kubectl --namespace games port-forward svc/game 8080:8080   # then open http://127.0.0.1:8080/; its UDP ports are not forwarded (kubectl port-forward carries TCP only)',
  ]));
  expect(notes.filter((l) => /port-forward svc\/dns|port-forward svc\/game \d+:7777/.test(l))).toEqual([]);
  // As a LoadBalancer: the external port is named with its protocol.
  expect(lines(['--set', 'dns.service.type=LoadBalancer'])).toContain('  kubectl --namespace games get svc dns --watch   # wait for EXTERNAL-IP, then port 5353 (UDP)');
});
