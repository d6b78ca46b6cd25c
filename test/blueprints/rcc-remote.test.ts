/**
 * The RccRemote blueprint (seed 000), for both targets: Kubernetes objects and the docker-compose
 * file made from the same description.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import * as YAML from 'yaml';
import {
  CatalogSource, CertificateProvider, CertificateType, ComposeFile, ContainerImage, Environment, HelmChart, ManifestType,
  RccRemote, RccRemoteProps, SampleCatalog,
} from '../../src';
import { clearFileDigests } from '../../src/config/sample-catalog';
import { renderNotes } from '../helm/harness';
import { composeTextProblems } from '../util/compose-schema';
import { findObject, objectsOfKind, synthError, synthManifests } from '../util/manifests';
import { DEFAULT_CONTAINER_SECURITY_CONTEXT } from '../util/security-context';

const ZIP = (() => {
  const zip = new AdmZip();
  zip.addFile('catalog/python311.yaml', Buffer.from('python: 3.11.5\n'));
  zip.getEntry('catalog/python311.yaml')!.header.time = new Date(2024, 0, 1);
  return zip.toBuffer();
})();
const ZIP_SHA = crypto.createHash('sha256').update(ZIP).digest('hex');

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-rcc-'));
  fs.mkdirSync(path.join(work, 'catalogs'));
  fs.writeFileSync(path.join(work, 'catalogs', 'python311.zip'), ZIP);
  clearFileDigests();
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

function rcc(chart: Chart, props: Partial<RccRemoteProps> = {}): RccRemote {
  const catalog = new SampleCatalog(chart, 'python311', {
    catalogName: 'python311',
    baseDirectory: work,
    zipFilePath: 'catalogs/python311.zip',
    pythonVersion: '3.11.5',
    condaDependencies: ['python=3.11.5'],
    robocorpHomePath: '/opt/robocorp',
    namespace: 'rcc-remote',
    sizeBytes: ZIP.length,
    checksumSha256: ZIP_SHA,
  });
  return new RccRemote(chart, 'rcc', {
    serverName: 'rcc.example.com',
    tls: { provider: CertificateProvider.CERT_MANAGER },
    image: { registry: 'ghcr.io', repository: 'acme/rccremote', tag: '18.17.2' },
    catalogs: [catalog],
    catalogSource: CatalogSource.fromImage(new ContainerImage(chart, 'catalog-image', { registry: 'ghcr.io', repository: 'acme/rcc-catalogs', tag: '1.0.0' })),
    ...props,
  });
}

function kubernetes(props: Partial<RccRemoteProps> = {}): { objects: any[]; rcc: RccRemote } {
  const chart = Testing.chart();
  const r = rcc(chart, props);
  return { objects: synthManifests(chart), rcc: r };
}

describe('RccRemote on Kubernetes (production)', () => {
  let objects: any[];
  let r: RccRemote;
  beforeEach(() => ({ objects, rcc: r } = kubernetes()));

  test('the objects and their names, the Namespace first (snapshot)', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/rcc-remote',
      'ConfigMap/python311-catalog',
      'Issuer/rcc-remote-tls-selfsigned',
      'Certificate/rcc-remote-tls-ca',
      'Issuer/rcc-remote-tls-ca-issuer',
      'Certificate/rcc-remote-tls',
      'PersistentVolumeClaim/rcc-remote-holotree',
      'Deployment/rcc-remote',
      'Service/rcc-remote',
      'HorizontalPodAutoscaler/rcc-remote',
      'PodDisruptionBudget/rcc-remote',
      'NetworkPolicy/rcc-remote',
    ]);
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
  });

  test('the Service and its DNS name; the certificate names serverName and the DNS name', () => {
    expect(r.dnsName).toBe('rcc-remote.rcc-remote.svc.cluster.local');
    expect(r.server.dnsName).toBe('rcc-remote.rcc-remote.svc.cluster.local');
    const svc = findObject(objects, 'Service', 'rcc-remote');
    expect(svc.metadata.namespace).toBe('rcc-remote');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'https', port: 4653, targetPort: 4653, protocol: 'TCP' }]);
    expect(findObject(objects, 'Certificate', 'rcc-remote-tls').spec.dnsNames).toEqual(['rcc.example.com', 'rcc-remote.rcc-remote.svc.cluster.local']);
  });

  test('probes: HTTPS on the TLS port, the seed\'s three paths, timeouts 1-300 and thresholds 1-10', () => {
    const c = findObject(objects, 'Deployment', 'rcc-remote').spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ name: 'https', containerPort: 4653, protocol: 'TCP' }]);
    expect(c.startupProbe).toEqual({
      httpGet: { path: '/health/startup', port: 'https', scheme: 'HTTPS' },
      periodSeconds: 10,
      timeoutSeconds: 30,
      failureThreshold: 10,
      initialDelaySeconds: 0,
      successThreshold: 1,
    });
    expect(c.livenessProbe).toEqual({
      httpGet: { path: '/health/live', port: 'https', scheme: 'HTTPS' },
      periodSeconds: 30,
      timeoutSeconds: 30,
      failureThreshold: 3,
      initialDelaySeconds: 0,
      successThreshold: 1,
    });
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/health/ready', port: 'https', scheme: 'HTTPS' },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
      initialDelaySeconds: 0,
      successThreshold: 1,
    });
  });

  test('the seed\'s security profile on the pod and every container; resources; TLS and holotree mounts', () => {
    const pod = findObject(objects, 'Deployment', 'rcc-remote').spec.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toEqual(DEFAULT_CONTAINER_SECURITY_CONTEXT);
    }
    const server = pod.containers[0];
    expect(server.name).toBe('rccremote');
    expect(server.image).toBe('ghcr.io/acme/rccremote:18.17.2');
    expect(server.resources).toEqual({
      requests: { 'cpu': '2', 'memory': '4Gi', 'ephemeral-storage': '256Mi' },
      limits: { 'cpu': '2', 'memory': '4Gi', 'ephemeral-storage': '1Gi' },
    });
    expect(server.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'rcc-remote-holotree', mountPath: '/opt/robocorp' },
      { name: 'rcc-remote-tls', mountPath: '/etc/tls', readOnly: true },
    ]);
    expect(server.env).toContainEqual({ name: 'TLS_CERT_FILE', value: '/etc/tls/tls.crt' });
    expect(server.env).toContainEqual({ name: 'ROBOCORP_HOME', value: '/opt/robocorp' });
  });

  test('the catalog init containers fetch the ZIP from the catalog image and verify its size and SHA-256 before importing', () => {
    const [fetch, imp] = findObject(objects, 'Deployment', 'rcc-remote').spec.template.spec.initContainers;
    expect(fetch).toMatchObject({ name: 'catalog-fetch', image: 'ghcr.io/acme/rcc-catalogs:1.0.0', command: ['cp', '/catalogs/python311.zip', '/mnt/catalogs/'] });
    expect(imp).toMatchObject({ name: 'catalog-import', image: 'ghcr.io/acme/rccremote:18.17.2' });
    expect(imp.command[2]).toContain(`verify python311.zip ${ZIP.length} ${ZIP_SHA}\nrcc holotree import python311.zip\n`);
    expect(imp.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '256Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('holotree claim from resourceLimits.storage, shared by the pods (ReadWriteMany); HPA, PDB and NetworkPolicy', () => {
    const pvc = findObject(objects, 'PersistentVolumeClaim', 'rcc-remote-holotree');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '50Gi' } } });
    const hpa = findObject(objects, 'HorizontalPodAutoscaler', 'rcc-remote');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6, metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 70 } } }] });
    expect(findObject(objects, 'Deployment', 'rcc-remote').spec.replicas).toBeUndefined();
    expect(findObject(objects, 'PodDisruptionBudget', 'rcc-remote').spec.maxUnavailable).toBe(1);
    expect(findObject(objects, 'NetworkPolicy', 'rcc-remote').spec.ingress).toEqual([{ ports: [{ port: 4653, protocol: 'TCP' }] }]);
  });
});

describe('RccRemote environments', () => {
  test.each([
    [Environment.DEVELOPMENT, { cpu: '500m', memory: '1Gi' }, '10Gi', [1, 2], 'IfNotPresent'],
    [Environment.STAGING, { cpu: '1', memory: '2Gi' }, '20Gi', [2, 4], 'Always'],
    [Environment.PRODUCTION, { cpu: '2', memory: '4Gi' }, '50Gi', [2, 6], 'Always'],
  ])('%s: resources, storage, scaling and pull policy', (environment, limits, storage, [min, max], pull) => {
    const { objects } = kubernetes({ environment });
    const pod = findObject(objects, 'Deployment', 'rcc-remote').spec.template.spec;
    expect(pod.containers[0].resources.limits).toEqual({ ...limits, 'ephemeral-storage': '1Gi' });
    expect(pod.containers[0].imagePullPolicy).toBe(pull);
    expect(pod.initContainers.map((c: any) => c.imagePullPolicy)).toEqual([pull, pull]);
    expect(findObject(objects, 'PersistentVolumeClaim', 'rcc-remote-holotree').spec.resources.requests.storage).toBe(storage);
    expect(findObject(objects, 'HorizontalPodAutoscaler', 'rcc-remote').spec).toMatchObject({ minReplicas: min, maxReplicas: max });
    expect(findObject(objects, 'Namespace', 'rcc-remote').metadata.labels.environment).toBe(environment);
  });

  test('a fixed replicaCount: 1 is refused in production, allowed in development', () => {
    const chart = Testing.chart();
    rcc(chart, { replicaCount: 1, holotreeAccessMode: undefined });
    expect(synthError(chart)).toMatch(/\[test\/rcc\/server\] replicaCount: got 1; expected 2 or more for a kubernetes manifest in production/);
    const dev = kubernetes({ environment: Environment.DEVELOPMENT, replicaCount: 1 }).objects;
    expect(findObject(dev, 'Deployment', 'rcc-remote').spec.replicas).toBe(1);
    expect(objectsOfKind(dev, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  test('the holotree must be 10 GB or more (the seed expects 10-100 GB); the port 1024-65535', () => {
    const chart = Testing.chart();
    rcc(chart, { resourceLimits: { storage: '5Gi' }, port: 443 });
    const message = synthError(chart);
    expect(message).toMatch(/\[test\/rcc\/holotree\] size: got "5Gi"; expected at least "10Gi"/);
    expect(message).toMatch(/\[test\/rcc\] port: got 443; expected an integer from 1024 to 65535/);
  });

  test('each certificate type: auto-generated-ca publishes the root CA for clients', () => {
    const store = { directory: path.join(work, 'store'), passphraseEnvVar: 'RCC_TEST_PASSPHRASE' };
    process.env.RCC_TEST_PASSPHRASE = 'test passphrase';
    try {
      const ca = kubernetes({ tls: { certType: CertificateType.AUTO_GENERATED_CA, store } });
      expect(ca.rcc.certificateBundle.caConfigMapName).toBe('rcc-remote-tls-ca');
      expect(findObject(ca.objects, 'ConfigMap', 'rcc-remote-tls-ca').data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const self = kubernetes({ tls: { certType: CertificateType.AUTO_GENERATED_SELFSIGNED, store } });
      expect(objectsOfKind(self.objects, 'ConfigMap').map((c) => c.metadata.name)).toEqual(['python311-catalog']);
      expect(findObject(self.objects, 'Secret', 'rcc-remote-tls').type).toBe('kubernetes.io/tls');
    } finally {
      delete process.env.RCC_TEST_PASSPHRASE;
    }
  });
});

describe('RccRemote as docker-compose', () => {
  function compose(props: Partial<RccRemoteProps> = {}): { text: string; doc: any; chart: Chart } {
    const app = Testing.app();
    const chart = new Chart(app, 'rcc-compose');
    rcc(chart, {
      type: ManifestType.DOCKER_COMPOSE,
      environment: Environment.DEVELOPMENT,
      tls: { certType: CertificateType.AUTO_GENERATED_CA, store: { directory: path.join(work, 'store') } },
      composeHealthcheckCommand: ['curl', '-fsk'],
      ...props,
    });
    const file = new ComposeFile(app, 'compose', { chart, projectName: 'rcc-remote', environment: Environment.DEVELOPMENT });
    Testing.synth(chart); // the objects it reads: 1.28 schema and the restricted profile
    const text = file.writeTo(path.join(work, 'out')) && fs.readFileSync(path.join(work, 'out', 'docker-compose.yaml'), 'utf8');
    return { text, doc: YAML.parse(text, { version: '1.1' }), chart };
  }

  test('validates against the Compose Specification schema (snapshot)', () => {
    const { text } = compose();
    expect(composeTextProblems(text)).toEqual([]);
    expect(text).toMatchSnapshot();
  });

  test('the server: one container, the security options, resources, TLS as read-only secrets, a healthcheck', () => {
    const { doc } = compose();
    expect(Object.keys(doc.services)).toEqual(['rcc-remote-catalog-import', 'rcc-remote']);
    const s = doc.services['rcc-remote'];
    expect(s).toMatchObject({
      user: '1000:1000',
      read_only: true,
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
      ports: ['4653:4653'],
      tmpfs: ['/tmp'],
      restart: 'unless-stopped',
      deploy: { resources: { limits: { cpus: '0.5', memory: '1G' }, reservations: { cpus: '0.5', memory: '1G' } } },
    });
    expect(s.healthcheck).toEqual({
      test: ['CMD', 'curl', '-fsk', 'https://127.0.0.1:4653/health/live'],
      interval: '30s',
      timeout: '30s',
      retries: 3,
      start_period: '100s',
    });
    expect(s.secrets).toEqual([
      { source: 'rcc-remote-tls.ca.crt', target: '/etc/tls/ca.crt' },
      { source: 'rcc-remote-tls.tls.crt', target: '/etc/tls/tls.crt' },
      { source: 'rcc-remote-tls.tls.key', target: '/etc/tls/tls.key' },
    ]);
    expect(doc.secrets['rcc-remote-tls.tls.key']).toEqual({ file: './secrets/rcc-remote-tls/tls.key' });
    expect(s.volumes).toEqual([{ type: 'volume', source: 'rcc-remote-holotree', target: '/opt/robocorp' }]);
    expect(s.networks.default.aliases).toEqual(['rcc-remote.rcc-remote.svc.cluster.local']);
  });

  test('the catalog import: a one-shot service on the read-only catalog folder, which the server waits for', () => {
    const { doc, text } = compose();
    const imp = doc.services['rcc-remote-catalog-import'];
    expect(imp.restart).toBe('no');
    expect(text).toContain('restart: "no"'); // quoted: YAML 1.1 would read a bare no as false
    expect(imp.volumes).toEqual([
      { type: 'bind', source: path.relative(path.join(work, 'out'), path.join(work, 'catalogs')), target: '/mnt/catalogs', read_only: true },
      { type: 'volume', source: 'rcc-remote-holotree', target: '/opt/robocorp' },
    ]);
    expect(imp.environment).toEqual({ CATALOG_DIR: '/mnt/catalogs', ROBOCORP_HOME: '/opt/robocorp' });
    expect(imp.entrypoint[2]).toContain(`verify python311.zip ${ZIP.length} ${ZIP_SHA}`);
    expect(imp).toMatchObject({ user: '1000:1000', read_only: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
    expect(doc.services['rcc-remote'].depends_on).toEqual({ 'rcc-remote-catalog-import': { condition: 'service_completed_successfully' } });
    expect(Object.keys(doc.services)).not.toContain('rcc-remote-catalog-fetch');
    expect(text.replace(/\n#\s+/g, ' ')).toContain('rcc-remote: init container catalog-fetch has no service: the catalog folder is bind-mounted read-only into the import instead.');
  });

  test('without a healthcheck command the header says why there is none', () => {
    const { doc, text } = compose({ composeHealthcheckCommand: undefined });
    expect(doc.services['rcc-remote'].healthcheck).toBeUndefined();
    expect(text.replace(/\n#\s+/g, ' ')).toContain('give the DeploymentManifest a composeHealthcheckCommand (such as ["curl", "-fsk"]) that the image has, to probe its liveness endpoint.');
  });

  test('one replica: more is refused', () => {
    const chart = Testing.chart();
    rcc(chart, { type: ManifestType.DOCKER_COMPOSE, replicaCount: 2, tls: { provider: CertificateProvider.CERT_MANAGER } });
    expect(synthError(chart)).toMatch(/replicaCount: got 2; expected 1 for a docker-compose manifest/);
  });
});

describe('RccRemote.helmNotes', () => {
  test('a generated bundle: the chart\'s NOTES print the kubectl create secret tls command of the written files', () => {
    const app = new App({ outdir: path.join(work, 'out') });
    const chart = new Chart(app, 'rcc-remote', { disableResourceNameHashes: true });
    const r = rcc(chart, {
      environment: Environment.STAGING,
      tls: { certType: CertificateType.AUTO_GENERATED_CA, store: { directory: path.join(work, 'store') } },
    });
    const files = r.certificateBundle.writeFiles(path.join(work, 'tls'));
    const helm = new HelmChart(app, 'helm', { chartName: 'rcc-remote', chartVersion: '1.0.0', chart, notes: r.helmNotes(files) });
    app.synth();
    const notes = renderNotes(helm.writeTo(path.join(work, 'helm')), 'rcc-remote');
    expect(notes).toContain('export RCC_REMOTE_ORIGIN=https://rcc.example.com:4653');
    expect(notes).toContain("kubectl --namespace rcc-remote get configmap rcc-remote-tls-ca -o jsonpath='{.data.ca\\.crt}' > rcc-remote-ca.crt");
    expect(notes).toContain(`  kubectl --namespace rcc-remote create secret tls rcc-remote-tls --cert=${files.certificateFile} --key=${files.keyFile}`);
    expect(notes).not.toContain('PRIVATE KEY');
  });
});
