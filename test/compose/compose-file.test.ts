/**
 * ComposeFile: a docker-compose file made from the synthesized objects of a chart whose deployment
 * manifest is of type docker-compose (seed 000: replica_count 1 for docker-compose).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { composeFor, rescanLike, SECRET_VALUES } from './fixtures';
import {
  ContainerImage, DeploymentManifest, Environment, HealthEndpoint, IngressConfiguration, ManifestType, ProbeKind, Protocol, ServiceType,
} from '../../src';
import { ComposeFile, ComposeFileProps } from '../../src/compose/compose-file';
import { composeSchemaProblems, composeTextProblems } from '../util/compose-schema';

/** Parses the file as docker compose does (YAML 1.1: an unquoted `no` would be false). */
function parse(text: string): any {
  return YAML.parse(text, { version: '1.1' });
}

function synthError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the synth to fail, but it succeeded');
}

// Keys the Compose Specification allows at the places this synth writes (compose-spec.io).
const TOP_LEVEL_KEYS = ['name', 'services', 'volumes', 'secrets', 'configs', 'networks', 'version', 'include'];
const SERVICE_KEYS = [
  'image', 'pull_policy', 'entrypoint', 'command', 'working_dir', 'user', 'read_only', 'privileged', 'cap_drop',
  'cap_add', 'security_opt', 'environment', 'env_file', 'secrets', 'configs', 'ports', 'expose', 'volumes', 'tmpfs',
  'healthcheck', 'deploy', 'stop_grace_period', 'restart', 'labels', 'networks',
];
const SECRET_KEYS = ['name', 'environment', 'file', 'external', 'labels', 'driver', 'driver_opts', 'template_driver'];
const DURATION = /^(\d+(\.\d+)?(us|ms|s|m|h))+$/;

/** The structural rules of the Compose Specification this synth's output must follow. */
function expectComposeStructure(doc: any): void {
  expect(composeSchemaProblems(doc)).toEqual([]);
  expect(Object.keys(doc).filter((k) => !TOP_LEVEL_KEYS.includes(k))).toEqual([]);
  expect(doc.name).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
  expect(Object.keys(doc.services).length).toBeGreaterThan(0);
  for (const [name, service] of Object.entries<any>(doc.services)) {
    expect(name).toMatch(/^[a-zA-Z0-9._-]+$/);
    expect(Object.keys(service).filter((k) => !SERVICE_KEYS.includes(k))).toEqual([]);
    expect(typeof service.image).toBe('string');
    if (service.pull_policy !== undefined) expect(['always', 'never', 'missing', 'build', 'if_not_present']).toContain(service.pull_policy);
    for (const port of service.ports ?? []) expect(port).toMatch(/^((\d+\.){3}\d+:|\[[0-9a-f:]+\]:)?\d+:\d+(\/(tcp|udp|sctp))?$/);
    for (const port of service.expose ?? []) expect(port).toMatch(/^\d+(\/(tcp|udp|sctp))?$/);
    // A value is a string, or null: passed through from the shell (the compose spec allows both).
    for (const value of Object.values(service.environment ?? {})) expect(value === null || typeof value === 'string').toBe(true);
    for (const ref of [...(service.secrets ?? []), ...(service.configs ?? [])]) {
      expect(Object.keys(ref).sort()).toEqual(['source', 'target']);
    }
    for (const ref of service.secrets ?? []) expect(Object.keys(doc.secrets)).toContain(ref.source);
    for (const ref of service.configs ?? []) expect(Object.keys(doc.configs)).toContain(ref.source);
    for (const mount of service.volumes ?? []) {
      expect(['volume', 'bind']).toContain(mount.type);
      expect(mount.target).toMatch(/^\//);
      if (mount.type === 'volume') expect(Object.keys(doc.volumes)).toContain(mount.source);
    }
    for (const tmpfs of service.tmpfs ?? []) expect(tmpfs).toMatch(/^\/[^:]*(:size=\d+)?$/);
    const health = service.healthcheck;
    if (health) {
      expect(health.test[0]).toBe('CMD');
      for (const key of ['interval', 'timeout', 'start_period']) if (health[key] !== undefined) expect(health[key]).toMatch(DURATION);
      expect(Number.isInteger(health.retries)).toBe(true);
    }
    for (const group of ['limits', 'reservations']) {
      const r = service.deploy?.resources?.[group];
      if (!r) continue;
      expect(Object.keys(r).filter((k) => !['cpus', 'memory'].includes(k))).toEqual([]);
      if (r.cpus !== undefined) expect(r.cpus).toMatch(/^\d+(\.\d+)?$/);
      if (r.memory !== undefined) expect(r.memory).toMatch(/^\d+[KMGT]?$/);
    }
    expect(['no', 'always', 'on-failure', 'unless-stopped']).toContain(service.restart);
  }
  for (const [name, secret] of Object.entries<any>(doc.secrets ?? {})) {
    expect(name).toMatch(/^[a-zA-Z0-9._-]+$/);
    expect(Object.keys(secret).filter((k) => !SECRET_KEYS.includes(k))).toEqual([]);
    // Exactly one source, and never the value itself.
    expect(['environment', 'file'].filter((k) => secret[k] !== undefined)).toHaveLength(1);
    expect(secret.content).toBeUndefined();
  }
  for (const [name, volume] of Object.entries<any>(doc.volumes ?? {})) {
    expect(name).toMatch(/^[a-zA-Z0-9._-]+$/);
    expect(volume).toEqual({});
  }
}

describe('ComposeFile for a Rescan-like docker-compose manifest', () => {
  test('snapshot; the Kubernetes objects it reads stay valid and restricted', () => {
    const system = rescanLike();
    const compose = composeFor(system);
    Testing.synth(system.chart); // schema + Pod Security Standards restricted, with the annotation
    expect(compose.synthesizeFile()).toMatchSnapshot();
  });

  test('image, pull policy, ports, environment, volumes, tmpfs, security and resources', () => {
    const doc = parse(composeFor(rescanLike()).synthesizeFile());
    expect(doc.name).toBe('rescan');
    expect(Object.keys(doc.services)).toEqual(['rescan-app']);
    const app = doc.services['rescan-app'];
    expect(app.image).toBe('ghcr.io/acme/rescan:1.0.0');
    expect(app.pull_policy).toBe('always');
    // The ClusterIP Service rescan-service maps port 80 to the container's 3000: reachable inside the
    // cluster only, so the port is exposed to the other services, not published; its name stays resolvable.
    expect(app.ports).toBeUndefined();
    expect(app.expose).toEqual(['3000']);
    expect(app.networks).toEqual({ default: { aliases: ['rescan-service', 'rescan-service.rescan.svc.cluster.local'] } });
    // ConfigMap data and literal env, sorted; "$" escaped from compose interpolation.
    // Secret keys are passed through from the shell running docker compose (null: no value here).
    expect(app.environment).toEqual({
      AZURE_OPENAI_API_KEY: null,
      AZURE_OPENAI_ENDPOINT: null,
      AZURE_OPENAI_MODEL_DEPLOYMENT: null,
      DATABASE_URL: 'sqlite:./data/rescan.db',
      EDUCATIONAL_MODE: 'true',
      LOG_LEVEL: 'info',
      MAX_FILE_SIZE: '5242880',
      NODE_ENV: 'production',
      PORT: '3000',
      PRICE_FORMAT: '$$0.00',
    });
    expect(app.volumes).toEqual([{ type: 'volume', source: 'rescan-data-pvc', target: '/app/data' }]);
    expect(doc.volumes).toEqual({ 'rescan-data-pvc': {} });
    expect(app.tmpfs).toEqual(['/app/backend/public/uploads', '/tmp']);
    expect(app.user).toBe('1000:1000');
    expect(app.read_only).toBe(true);
    expect(app.cap_drop).toEqual(['ALL']);
    expect(app.cap_add).toBeUndefined();
    expect(app.security_opt).toEqual(['no-new-privileges:true']);
    expect(app.deploy).toEqual({
      resources: {
        limits: { cpus: '0.2', memory: '200M' },
        reservations: { cpus: '0.1', memory: '128M' },
      },
    });
    expect(app.restart).toBe('unless-stopped');
    expect(app.labels['deploykit.io/environment']).toBe('production');
    // HTTP probes need a tool in the image: no healthcheck.
    expect(app.healthcheck).toBeUndefined();
    expectComposeStructure(doc);
  });

  test('secret env vars pass through from the shell, mounted secrets come from files; no value is written', () => {
    const system = rescanLike();
    const text = composeFor(system).synthesizeFile();
    const doc = parse(text);
    expect(doc.secrets).toEqual({
      'rescan-credentials.credentials.json': { file: './secrets/rescan-credentials/credentials.json' },
    });
    expect(doc.services['rescan-app'].secrets).toEqual([
      { source: 'rescan-credentials.credentials.json', target: '/etc/rescan/credentials.json' },
    ]);
    for (const key of ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_MODEL_DEPLOYMENT']) {
      expect(doc.services['rescan-app'].environment[key]).toBeNull();
    }
    // The values are in the chart's Secret objects...
    const chartText = JSON.stringify(system.chart.toJson());
    for (const value of Object.values(SECRET_VALUES)) expect(chartText).toContain(JSON.stringify(value).slice(1, -1));
    // ...and nowhere in the compose file, plain or base64-encoded.
    for (const value of Object.values(SECRET_VALUES)) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(Buffer.from(value).toString('base64'));
    }
    for (const fragment of ['sk-test-', 'cs-test-', 'rescan-test.openai', 'gpt-4o-test']) expect(text).not.toContain(fragment);
    // The header says what to provide.
    expect(text).toContain('No secret value is written in this file.');
    expect(text).toMatch(/export these first:\n#\s+AZURE_OPENAI_API_KEY AZURE_OPENAI_ENDPOINT AZURE_OPENAI_MODEL_DEPLOYMENT\n/);
    expect(text).toMatch(/read from these files beside this one\n# \(keep them out of version control\):\n#\s+\.\/secrets\/rescan-credentials\/credentials\.json\n/);
  });

  test('the header says why the probes are not a healthcheck and what is left out', () => {
    const text = composeFor(rescanLike()).synthesizeFile();
    const header = text.slice(0, text.indexOf('\nname: '));
    expect(header.split('\n').every((line) => line === '' || line.startsWith('#'))).toBe(true);
    expect(header).toContain('# rescan-app: no healthcheck: its readiness (HTTP GET /ready on port 3000) and liveness (HTTP GET');
    expect(header).toContain('tool such as curl, wget');
    expect(header).toMatch(/left out: Namespace rescan, NetworkPolicy\n#\s+rescan-app\./);
  });

  test('two synths give byte-identical files', () => {
    const first = composeFor(rescanLike());
    const again = first.synthesizeFile();
    expect(first.synthesizeFile()).toBe(again);
    expect(composeFor(rescanLike()).synthesizeFile()).toBe(again);
  });

  test('writeTo writes <outdir>/docker-compose.yaml and returns its path', () => {
    const compose = composeFor(rescanLike());
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-'));
    try {
      const file = compose.writeTo(path.join(outdir, 'nested'));
      expect(file).toBe(path.join(outdir, 'nested', 'docker-compose.yaml'));
      expect(fs.readFileSync(file, 'utf8')).toBe(compose.synthesizeFile());
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('only a docker-compose manifest annotates its Deployment', () => {
    const compose = rescanLike();
    const kube = rescanLike({ type: ManifestType.KUBERNETES, replicaCount: 1 });
    const deploymentOf = (chart: Chart) => chart.toJson().find((o: any) => o.kind === 'Deployment');
    expect(deploymentOf(compose.chart).metadata.annotations).toEqual({ 'deploykit.io/manifest-type': 'docker-compose' });
    expect(Object.keys(deploymentOf(kube.chart).metadata.annotations ?? {}).filter((k) => k.startsWith('deploykit.io/'))).toEqual([]);
    expect(deploymentOf(kube.chart).spec).toEqual(deploymentOf(compose.chart).spec);
  });
});

describe('ComposeFile rules', () => {
  test('a chart without a docker-compose Deployment is refused', () => {
    const system = rescanLike({ type: ManifestType.KUBERNETES, replicaCount: 1 });
    const compose = composeFor(system);
    const expected = '[compose] chart: got "only Deployments without the docker-compose type: rescan-app"; expected at least one Deployment of a DeploymentManifest with type ManifestType.DOCKER_COMPOSE';
    expect(synthError(() => system.app.synth())).toContain(expected);
    expect(synthError(() => compose.synthesizeFile())).toContain(expected);
  });

  test('a chart with no Deployment at all is refused', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'empty');
    new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'cm' }, data: { A: '1' } });
    new ComposeFile(app, 'compose', { chart, projectName: 'empty' });
    expect(synthError(() => app.synth())).toContain('[compose] chart: got "no Deployment"; expected at least one Deployment');
  });

  test('a docker-compose Deployment with 2 replicas is refused', () => {
    const system = rescanLike({ replicaCount: 2, withStorage: false });
    const compose = composeFor(system);
    const message = synthError(() => system.app.synth());
    expect(message).toContain('[compose] deployments.rescan-app.replicas: got 2; expected 1: a docker-compose service runs a single container');
    // The manifest's own rule reports it too.
    expect(message).toContain('replicaCount: got 2; expected 1 for a docker-compose manifest');
    expect(synthError(() => compose.synthesizeFile())).toContain('deployments.rescan-app.replicas: got 2');
  });

  test('a docker-compose Deployment with an autoscaler is refused', () => {
    const system = rescanLike({ scaling: true, withStorage: false });
    composeFor(system);
    expect(synthError(() => system.app.synth())).toContain('[compose] deployments.rescan-app.autoscaler: got "rescan-app (up to 3 replicas)"; expected no autoscaling');
  });

  test.each([
    ['Rescan', 'uppercase'],
    ['rescan app', 'a space'],
    ['-rescan', 'a leading dash'],
    ['', 'empty'],
    ['r'.repeat(64), 'too long'],
  ])('project name %j (%s) is refused', (projectName) => {
    const system = rescanLike();
    const compose = composeFor(system, { projectName });
    const message = synthError(() => system.app.synth());
    expect(message).toContain(`[compose] projectName: got ${JSON.stringify(projectName)}; expected a compose project name: lowercase letters, digits, "-" and "_"`);
    expect(synthError(() => compose.synthesizeFile())).toContain('projectName: got');
  });

  test.each(['rescan', 'rescan_2', '0rescan', 'r'.repeat(63)])('project name %j is accepted', (projectName) => {
    const system = rescanLike();
    const doc = parse(composeFor(system, { projectName }).synthesizeFile());
    expect(doc.name).toBe(projectName);
  });

  test('all findings of the app are reported at once', () => {
    const system = rescanLike({ replicaCount: 2, withStorage: false });
    composeFor(system, { projectName: 'Bad Name' });
    const message = synthError(() => system.app.synth());
    expect(message).toContain('[compose] projectName: got "Bad Name"');
    expect(message).toContain('[compose] deployments.rescan-app.replicas: got 2');
  });
});

describe('ComposeFile conversions beyond the Rescan shape', () => {
  const labels = { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/instance': 'demo' };
  const secure: k8s.SecurityContext = {
    runAsNonRoot: true,
    runAsUser: 2000,
    runAsGroup: 3000,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };

  function demo(): { chart: Chart; compose: ComposeFile } {
    const app = Testing.app();
    const chart = new Chart(app, 'demo', { namespace: 'demo' });
    new k8s.KubeConfigMap(chart, 'settings', { metadata: { name: 'settings' }, data: { 'app.conf': 'mode=fast\nprice=$1\n', 'LEVEL': 'debug' } });
    new k8s.KubeSecret(chart, 'tls', { metadata: { name: 'worker-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'CERT-BODY', 'tls.key': 'KEY-BODY' } });
    new k8s.KubeDeployment(chart, 'worker', {
      metadata: { name: 'worker', labels, annotations: { 'deploykit.io/manifest-type': 'docker-compose' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'worker',
              image: 'registry.example.com/worker@sha256:' + 'a'.repeat(64),
              imagePullPolicy: 'IfNotPresent',
              command: ['/bin/worker'],
              args: ['--queue', 'jobs'],
              ports: [{ name: 'metrics', containerPort: 9090 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }],
              env: [
                { name: 'LEVEL_FROM_MAP', valueFrom: { configMapKeyRef: { name: 'settings', key: 'LEVEL' } } },
                { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
                // Names like Object members are variables like any other; the ConfigMap has no key toString.
                { name: '__proto__', value: 'p' },
                { name: 'constructor', value: 'c' },
                { name: 'FROM_MISSING_KEY', valueFrom: { configMapKeyRef: { name: 'settings', key: 'toString' } } },
              ],
              envFrom: [{ configMapRef: { name: 'external-config' } }, { secretRef: { name: 'external-secret' } }],
              resources: { limits: { 'cpu': k8s.Quantity.fromString('1500m'), 'memory': k8s.Quantity.fromString('1G'), 'ephemeral-storage': k8s.Quantity.fromString('1Gi') } },
              securityContext: secure,
              livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromNumber(9090) } },
              readinessProbe: { exec: { command: ['/bin/worker', 'check'] }, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 2, initialDelaySeconds: 4 },
              volumeMounts: [
                { name: 'settings', mountPath: '/etc/worker' },
                { name: 'tls', mountPath: '/etc/tls', readOnly: true },
                { name: 'cache', mountPath: '/cache' },
                { name: 'external', mountPath: '/etc/external' },
              ],
            }],
            volumes: [
              // The ConfigMap has no key toString: no file for it, as for any key it lacks.
              { name: 'settings', configMap: { name: 'settings', items: [{ key: 'app.conf', path: 'worker.conf' }, { key: 'toString', path: 'to-string.conf' }] } },
              { name: 'tls', secret: { secretName: 'worker-tls' } },
              { name: 'cache', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
              { name: 'external', secret: { secretName: 'not-in-chart' } },
            ],
          },
        },
      },
    });
    new k8s.KubeService(chart, 'worker-dns', {
      metadata: { name: 'worker-dns' },
      spec: { selector: labels, ports: [{ port: 53, targetPort: k8s.IntOrString.fromString('dns'), protocol: 'UDP' }, { port: 9090, targetPort: k8s.IntOrString.fromString('metrics') }] },
    });
    // A kubernetes-type Deployment in the same chart is left alone.
    new k8s.KubeDeployment(chart, 'api', {
      metadata: { name: 'api' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:1.0.0' }] } } },
    });
    const compose = new ComposeFile(app, 'compose', { chart, projectName: 'demo' });
    return { chart, compose };
  }

  test('exec probe, mounted ConfigMap and TLS Secret, objects outside the chart, named target ports', () => {
    const text = demo().compose.synthesizeFile();
    const doc = parse(text);
    expectComposeStructure(doc);
    expect(Object.keys(doc.services)).toEqual(['worker']);
    const worker = doc.services.worker;
    expect(worker.image).toBe('registry.example.com/worker@sha256:' + 'a'.repeat(64));
    expect(worker.pull_policy).toBe('missing');
    expect(worker.entrypoint).toEqual(['/bin/worker']);
    expect(worker.command).toEqual(['--queue', 'jobs']);
    expect(worker.user).toBe('2000:3000');
    expect(worker.cap_drop).toEqual(['ALL']);
    expect(worker.cap_add).toEqual(['NET_BIND_SERVICE']);
    expect(worker.ports).toBeUndefined();
    expect(worker.expose).toEqual(['5353/udp', '9090']);
    expect(worker.networks).toEqual({ default: { aliases: ['worker-dns', 'worker-dns.demo.svc.cluster.local'] } });
    // JSON.parse: "__proto__" is an own key of the expected map, as the YAML parser makes it.
    expect(worker.environment).toEqual(JSON.parse('{"DB_PASSWORD": null, "LEVEL_FROM_MAP": "debug", "__proto__": "p", "constructor": "c"}'));
    expect(Object.keys(worker.environment).sort()).toEqual(['DB_PASSWORD', 'LEVEL_FROM_MAP', '__proto__', 'constructor']);
    expect(text).toMatch(/# worker: environment variable FROM_MISSING_KEY is left out: ConfigMap settings \(key toString\) is\n#\s+not in the chart\./);
    expect(worker.env_file).toEqual(['./external-config.env', './external-secret.env']);
    expect(worker.healthcheck).toEqual({ test: ['CMD', '/bin/worker', 'check'], interval: '15s', timeout: '3s', retries: 2, start_period: '4s' });
    expect(worker.tmpfs).toEqual([`/cache:size=${64 * 1024 * 1024}`]);
    expect(worker.deploy).toEqual({ resources: { limits: { cpus: '1.5', memory: '1000000000' } } });
    expect(worker.configs).toEqual([{ source: 'settings.app.conf', target: '/etc/worker/worker.conf' }]);
    expect(doc.configs).toEqual({ 'settings.app.conf': { content: 'mode=fast\nprice=$$1\n' } });
    expect(worker.secrets).toEqual([
      { source: 'worker-tls.tls.crt', target: '/etc/tls/tls.crt' },
      { source: 'worker-tls.tls.key', target: '/etc/tls/tls.key' },
    ]);
    expect(doc.secrets).toEqual({
      'worker-tls.tls.crt': { file: './secrets/worker-tls/tls.crt' },
      'worker-tls.tls.key': { file: './secrets/worker-tls/tls.key' },
    });
    expect(worker.volumes).toEqual([{ type: 'bind', source: './secrets/not-in-chart', target: '/etc/external', read_only: true }]);
    expect(text).not.toContain('CERT-BODY');
    expect(text).not.toContain('KEY-BODY');
    expect(text).toMatch(/# worker: the healthcheck runs the readiness probe's command; left out: liveness \(HTTP GET\n#\s+\/healthz on port 9090\)\./);
    expect(text).toContain('ephemeral-storage requests and limits are left out');
    expect(text).toMatch(/env files; create them[\s\S]*#\s+\.\/external-config\.env \.\/external-secret\.env/);
    expect(text).toContain('Deployment api');
  });
});

describe('the Compose Specification schema (vendored in test/schemas, validated with ajv)', () => {
  test('refuses what docker compose refuses: an unknown key, restart: no read as a boolean, a bad depends_on condition', () => {
    expect(composeSchemaProblems({ name: 'x', services: { a: { image: 'a', colour: 'blue' } } }).join('\n'))
      .toMatch(/\/services\/a must NOT have additional properties \{"additionalProperty":"colour"\}/);
    expect(composeTextProblems('name: x\nservices:\n  a:\n    image: a\n    restart: no\n').join('\n'))
      .toMatch(/\/services\/a\/restart must be string/);
    expect(composeSchemaProblems({ name: 'x', services: { a: { image: 'a', depends_on: { b: { condition: 'done' } } }, b: { image: 'b' } } }).join('\n'))
      .toMatch(/\/services\/a\/depends_on\/b\/condition must be equal to one of the allowed values/);
  });

  test('the Rescan-like file validates', () => {
    const text = composeFor(rescanLike()).synthesizeFile();
    expect(composeTextProblems(text)).toEqual([]);
  });
});

describe('ComposeFile ports: published only where the objects reach outside the cluster', () => {
  /**
   * A home lab: a database behind a ClusterIP Service, a web app behind a LoadBalancer, an admin UI
   * behind a NodePort, a wiki behind a ClusterIP Service an Ingress routes to, and an exporter
   * without a Service.
   */
  function homeLab(props: Partial<ComposeFileProps> = {}): { app: App; compose: ComposeFile } {
    const app = Testing.app();
    const chart = new Chart(app, 'lab', { namespace: 'lab' });
    const environment = Environment.DEVELOPMENT;
    const type = ManifestType.DOCKER_COMPOSE;
    const image = (id: string, repository: string) => new ContainerImage(chart, `${id}-image`, { repository, tag: '1.0.0', environment });
    new DeploymentManifest(chart, 'db', {
      name: 'db', type, environment, image: image('db', 'library/postgres'), ports: [{ name: 'postgresql', containerPort: 5432 }], tcpHealthCheck: true,
    });
    new DeploymentManifest(chart, 'web', {
      name: 'web',
      type,
      environment,
      image: image('web', 'acme/web'),
      ports: [{ name: 'http', containerPort: 8080 }],
      tcpHealthCheck: true,
      service: { serviceType: ServiceType.LOAD_BALANCER },
    });
    new DeploymentManifest(chart, 'admin', {
      name: 'admin',
      type,
      environment,
      image: image('admin', 'acme/admin'),
      ports: [{ name: 'http', containerPort: 9000 }],
      tcpHealthCheck: true,
      service: { serviceType: ServiceType.NODE_PORT, ports: [{ name: 'http', port: 9000, targetPort: 9000 }, { name: 'syslog', port: 514, targetPort: 9000, protocol: Protocol.UDP }] },
    });
    const wiki = new DeploymentManifest(chart, 'wiki', {
      name: 'wiki',
      type,
      environment,
      image: image('wiki', 'acme/wiki'),
      tcpHealthCheck: true,
      ports: [{ name: 'http', containerPort: 3000 }, { name: 'metrics', containerPort: 9102 }],
      service: { ports: [{ name: 'http', port: 80, targetPort: 3000 }, { name: 'metrics', port: 9102, targetPort: 9102 }] },
    });
    new IngressConfiguration(chart, 'wiki-ingress', {
      name: 'wiki', hostname: 'wiki.home.arpa', plainHttp: true, pathPrefixes: [{ pathPrefix: '/', service: wiki.service!, servicePort: 80 }],
    });
    new DeploymentManifest(chart, 'exporter', {
      name: 'exporter',
      type,
      environment,
      image: image('exporter', 'acme/exporter'),
      ports: [{ name: 'metrics', containerPort: 9100 }],
      withoutService: true,
      healthEndpoints: [new HealthEndpoint(chart, 'exporter-live', { kind: ProbeKind.LIVENESS, endpointPath: '/metrics' })],
    });
    const compose = new ComposeFile(app, 'compose', { chart, projectName: 'lab', ...props });
    return { app, compose };
  }

  test('ClusterIP and Service-less ports are exposed only; NodePort, LoadBalancer and Ingress-routed ports are published; the header says why', () => {
    const text = homeLab().compose.synthesizeFile();
    expect(composeTextProblems(text)).toEqual([]);
    const doc = parse(text);
    expectComposeStructure(doc);
    const s = doc.services;
    expect(s.db.ports).toBeUndefined();
    expect(s.db.expose).toEqual(['5432']);
    expect(s.web.ports).toEqual(['8080:8080']);
    expect(s.web.expose).toBeUndefined();
    expect(s.admin.ports).toEqual(['514:9000/udp', '9000:9000']);
    // The Ingress routes to port 80 only: the metrics port stays inside.
    expect(s.wiki.ports).toEqual(['80:3000']);
    expect(s.wiki.expose).toEqual(['9102']);
    expect(s.exporter.ports).toBeUndefined();
    expect(s.exporter.expose).toEqual(['9100']);
    const header = text.slice(0, text.indexOf('\nname: ')).replace(/\n#\s+/g, ' ');
    expect(header).toContain('Published on every address of the host (`ports`): the ports of NodePort and LoadBalancer Services, and the Service ports an Ingress routes to.');
    expect(header).toContain('docker compose has no ingress controller, so the backend ports of Ingress wiki are published as they are');
    expect(header).toContain('exposed to the other services of this file only (`expose`)');
    expect(header).toContain('wiki: the other services reach wiki on container port 3000, not on its Service port 80');
  });

  test.each([
    ['127.0.0.1', '127.0.0.1:'],
    ['::1', '[::1]:'],
    ['192.168.1.10', '192.168.1.10:'],
  ])('publishInternalPortsOn %j publishes the internal ports on that address only', (address, prefix) => {
    const compose = homeLab({ publishInternalPortsOn: address }).compose;
    expect(compose.publishInternalPortsOn).toBe(address);
    const text = compose.synthesizeFile();
    expect(composeTextProblems(text)).toEqual([]);
    const doc = parse(text);
    expectComposeStructure(doc);
    const s = doc.services;
    expect(s.db.ports).toEqual([`${prefix}5432:5432`]);
    expect(s.web.ports).toEqual(['8080:8080']);
    expect(s.wiki.ports).toEqual(['80:3000', `${prefix}9102:9102`]);
    expect(s.exporter.ports).toEqual([`${prefix}9100:9100`]);
    for (const service of Object.values<any>(s)) expect(service.expose).toBeUndefined();
    expect(text.replace(/\n#\s+/g, ' ')).toContain(`published on ${address} only (publishInternalPortsOn, for debugging)`);
  });

  test('publishInternalPortsOn must be an IP address: every mistake is reported at once', () => {
    for (const bad of ['localhost', '127.0.0.1:8080', '999.0.0.1', '[::1]', '']) {
      const { app, compose } = homeLab({ publishInternalPortsOn: bad, projectName: 'Lab' });
      const message = synthError(() => app.synth());
      expect(message).toContain(`[compose] publishInternalPortsOn: got ${JSON.stringify(bad)}; expected an IP address such as "127.0.0.1" or "::1"`);
      expect(message).toContain('[compose] projectName: got "Lab"');
      expect(synthError(() => compose.synthesizeFile())).toContain('publishInternalPortsOn: got');
    }
    expect(() => homeLab({ publishInternalPortsOn: '0.0.0.0' }).compose.synthesizeFile()).not.toThrow();
  });
});
