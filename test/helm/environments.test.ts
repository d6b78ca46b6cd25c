/**
 * One Helm chart from environments that really differ, built from the entity constructs (issue 23):
 * development (1 replica, no autoscaler), staging (2 replicas) and production (3 replicas, an
 * autoscaler, a PodDisruptionBudget). Every difference the library makes between them is a value or a
 * switch, and `helm template -f values-<env>.yaml` renders each environment's plain YAML object by
 * object, proven with the real helm. A difference the user made that no value holds stops the synth
 * naming the construct path, the field as a JSON pointer and both environments' values.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { expectLintWithEveryValuesFile, expectReleasesApart, namespaceLeftovers } from './acceptance';
import { tempDir } from './fixtures';
import { expectSameObjects, namespaceObjects, render } from './harness';
import { ConfigMapConfiguration } from '../../src/config/config-map-configuration';
import { Environment } from '../../src/core/environment';
import { HelmChart } from '../../src/helm/helm-chart';
import { IngressConfiguration } from '../../src/networking/ingress-configuration';
import { Namespace } from '../../src/networking/namespace';
import { ContainerImage } from '../../src/pod/container-image';
import { HealthEndpoint, ProbeKind } from '../../src/pod/health-endpoint';
import { ResourceLimits } from '../../src/pod/resource-limits';
import { CertificateBundle } from '../../src/tls/certificate-bundle';
import { CertificateProvider, CertificateType } from '../../src/tls/certificate-types';
import { DeploymentManifest } from '../../src/workloads/deployment-manifest';
import { assertValidManifests, findObject, objectsOfKind } from '../util/manifests';

const NS = 'shop';
const ENVIRONMENTS = [
  { name: 'development', environment: Environment.DEVELOPMENT, host: 'shop.dev.example.com' },
  { name: 'staging', environment: Environment.STAGING, host: 'shop.staging.example.com' },
  { name: 'production', environment: Environment.PRODUCTION, host: 'shop.example.com' },
];

interface ShopOptions {
  /** Production only: an Ingress and a ConfigMap of dashboards the other environments lack. */
  readonly productionExtras?: boolean;
  /** Development's API probes its liveness more patiently, and has a startup probe. */
  readonly developmentProbes?: boolean;
  /** What production's API runs, and its ports (differences no value holds). */
  readonly productionCommand?: string[];
  readonly productionMetricsPort?: boolean;
  /** The worker runs in production only. */
  readonly workerInProductionOnly?: boolean;
  /** Production's worker checks its liveness with a command (an exec probe); elsewhere with HTTP. */
  readonly productionExecLiveness?: boolean;
}

/** The shop in one environment: an API (1, 2 or 3+ replicas), a worker (2 replicas everywhere), their config, an Ingress. */
function shop(app: App, env: typeof ENVIRONMENTS[number], o: ShopOptions = {}): Chart {
  const chart = new Chart(app, env.name, { namespace: NS });
  const environment = env.environment;
  const production = environment === Environment.PRODUCTION;
  new Namespace(chart, 'namespace', { name: NS, environment });
  const image = new ContainerImage(chart, 'api-image', { registry: 'ghcr.io', repository: 'acme/shop-api', tag: '1.4.2', environment });
  const config = new ConfigMapConfiguration(chart, 'api-config', {
    name: 'api-config', namespace: NS, configData: { LOG_LEVEL: production ? 'info' : 'debug' }, consumeAsEnv: true,
  });
  const scale = env.name === 'development' ? { replicaCount: 1 } : env.name === 'staging' ? { replicaCount: 2 }
    : { scalingConfig: { minReplicas: 3, maxReplicas: 6, targetCpuPercent: 70 } };
  const api = new DeploymentManifest(chart, 'api', {
    environment,
    namespace: NS,
    image,
    command: production && o.productionCommand ? o.productionCommand : ['shop-api'],
    ports: production && o.productionMetricsPort ? [{ containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] : [{ containerPort: 8080 }],
    configMaps: [config],
    resourceLimits: production
      ? new ResourceLimits(chart, 'api-resources', { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } })
      : undefined,
    healthEndpoints: environment === Environment.DEVELOPMENT && o.developmentProbes ? [
      new HealthEndpoint(chart, 'api-live', { kind: ProbeKind.LIVENESS, failureThreshold: 10 }),
      new HealthEndpoint(chart, 'api-ready', { kind: ProbeKind.READINESS }),
      new HealthEndpoint(chart, 'api-start', { kind: ProbeKind.STARTUP, periodSeconds: 5 }),
    ] : undefined,
    ...scale,
  });
  if (!o.workerInProductionOnly || production) {
    new DeploymentManifest(chart, 'worker', {
      environment,
      namespace: NS,
      image: new ContainerImage(chart, 'worker-image', { registry: 'ghcr.io', repository: 'acme/shop-worker', tag: '1.4.2', environment }),
      ports: [{ containerPort: 9000 }],
      replicaCount: 2,
      healthEndpoints: production && o.productionExecLiveness ? [
        new HealthEndpoint(chart, 'worker-live', { kind: ProbeKind.LIVENESS, command: ['shop-worker', 'healthcheck'], periodSeconds: 30 }),
        new HealthEndpoint(chart, 'worker-ready', { kind: ProbeKind.READINESS }),
      ] : undefined,
    });
  }
  new IngressConfiguration(chart, 'ingress', { name: 'api', namespace: NS, hostname: env.host, pathPrefixes: [{ pathPrefix: '/', service: api.service! }] });
  if (production && o.productionExtras) {
    new IngressConfiguration(chart, 'admin', { name: 'admin', namespace: NS, hostname: 'admin.example.com', pathPrefixes: [{ pathPrefix: '/', service: api.service! }] });
    new ConfigMapConfiguration(chart, 'dashboards', { name: 'dashboards', namespace: NS, configData: { 'shop.json': '{"title":"Shop"}' } });
  }
  return chart;
}

interface Built {
  readonly helm: HelmChart;
  readonly charts: Chart[];
}

function build(dir: string, o: ShopOptions = {}): Built {
  const app = new App({ outdir: dir });
  const charts = ENVIRONMENTS.map((e) => shop(app, e, o));
  const helm = new HelmChart(app, 'helm', {
    chartName: 'shop',
    chartVersion: '1.0.0',
    defaultEnvironmentName: 'development',
    chart: charts[0],
    environments: charts.slice(1).map((chart, i) => ({ name: ENVIRONMENTS[i + 1].name, chart })),
  });
  return { helm, charts };
}

/** The chart's error, or '' when it writes. */
function chartError(built: Built): string {
  try {
    built.helm.synthesizeFiles();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

const plainOf = (chart: Chart) => chart.toJson();
const values = (dir: string, env: string) => YAML.parse(fs.readFileSync(path.join(dir, `values-${env}.yaml`), 'utf8'));

describe('development (1 replica), staging (2) and production (3, an autoscaler, a PDB) in one chart', () => {
  let work: string;
  let built: Built;
  let dir: string;
  beforeAll(() => {
    work = tempDir('helm-environments');
    built = build(work);
    dir = built.helm.writeTo(work);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('the environments really differ: replicas, autoscaler, PDB, host anti-affinity, pull policy, resources', () => {
    const [dev, staging, prod] = built.charts.map(plainOf);
    const api = (objects: any[]) => findObject(objects, 'Deployment', 'api');
    expect(objectsOfKind(dev, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(objectsOfKind(prod, 'HorizontalPodAutoscaler').map((o) => o.spec.minReplicas)).toEqual([3]);
    expect(objectsOfKind(dev, 'PodDisruptionBudget').map((o) => o.metadata.name)).toEqual(['worker']);
    expect(objectsOfKind(staging, 'PodDisruptionBudget').map((o) => o.metadata.name).sort()).toEqual(['api', 'worker']);
    expect(api(dev).spec.template.spec.affinity).toBeUndefined();
    expect(api(staging).spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    expect(api(dev).spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(api(prod).spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(api(prod).spec.template.spec.containers[0].resources).not.toEqual(api(dev).spec.template.spec.containers[0].resources);
  });

  test('helm lint --strict passes with values.yaml and with each values file', () => {
    expectLintWithEveryValuesFile(dir);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('values-')).sort())
      .toEqual(['values-development.yaml', 'values-production.yaml', 'values-staging.yaml']);
  });

  test.each(ENVIRONMENTS.map((e, i) => [e.name, i] as const))('helm template -f values-%s.yaml renders that environment\'s plain YAML object by object', (name, i) => {
    const rendered = render(dir, NS, ['-f', path.join(dir, `values-${name}.yaml`)], 'shop');
    expectSameObjects(rendered, plainOf(built.charts[i]), namespaceObjects(dir, `namespace-${name}.yaml`));
    assertValidManifests(rendered);
  });

  test('what differs is values and switches, named as Helm charts name them', () => {
    const dev = values(dir, 'development');
    const staging = values(dir, 'staging');
    const prod = values(dir, 'production');
    expect(dev.api).toMatchObject({ replicaCount: 1, autoscaling: { enabled: false }, podAntiAffinityPreset: '', image: { pullPolicy: 'IfNotPresent' } });
    expect(staging.api).toMatchObject({ replicaCount: 2, autoscaling: { enabled: false }, podAntiAffinityPreset: 'soft', image: { pullPolicy: 'Always' } });
    expect(prod.api).toMatchObject({ autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 6 }, podAntiAffinityPreset: 'soft' });
    expect(prod.api.resources).toMatchObject({ limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '500m', memory: '512Mi' } });
    // The chart-wide PDB switch stays on (the worker has one everywhere); the API's own is off in development only.
    expect([dev.api.pdb.enabled, staging.api.pdb.enabled, prod.api.pdb.enabled]).toEqual([false, true, true]);
    expect(dev.pdb).toBeUndefined();
    expect(dev.ingress?.hostname ?? dev.api.ingress?.hostname).toBe('shop.dev.example.com');
    const template = fs.readFileSync(path.join(dir, 'templates', 'deployment-api.yaml'), 'utf8');
    expect(template).toContain('{{- if and .Values.pdb.enabled .Values.api.pdb.enabled }}');
    expect(template).toContain('{{- else if .Values.api.podAntiAffinityPreset }}');
    const schema = JSON.parse(fs.readFileSync(path.join(dir, 'values.schema.json'), 'utf8'));
    const resolve = (node: any) => (node.$ref ? schema.definitions[node.$ref.split('/').pop()] : node);
    expect(resolve(schema.properties.api.properties.podAntiAffinityPreset).enum).toEqual(['', 'soft', 'hard']);
    expect(resolve(schema.properties.api.properties.pdb.properties.enabled).description).toBe('Render PodDisruptionBudget shop/api (the development environment has none)');
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('| `api.podAntiAffinityPreset` | string | `""` |');
    expect({
      development: fs.readFileSync(path.join(dir, 'values-development.yaml'), 'utf8'),
      staging: fs.readFileSync(path.join(dir, 'values-staging.yaml'), 'utf8'),
      production: fs.readFileSync(path.join(dir, 'values-production.yaml'), 'utf8'),
    }).toMatchSnapshot();
  });

  test('podAntiAffinityPreset hard requires the spread, for this release\'s pods; affinity still replaces everything', () => {
    const prod = ['-f', path.join(dir, 'values-production.yaml')];
    const hard = findObject(render(dir, NS, [...prod, '--set', 'api.podAntiAffinityPreset=hard'], 'alpha'), 'Deployment', 'alpha-shop-api');
    expect(hard.spec.selector.matchLabels['app.kubernetes.io/instance']).toMatch(/^alpha/);
    expect(hard.spec.template.spec.affinity).toEqual({
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: hard.spec.selector.matchLabels }, topologyKey: 'kubernetes.io/hostname' }],
      },
    });
    const own = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['shop'] }] }] } } };
    const replaced = findObject(render(dir, NS, [...prod, '--set-json', `api.affinity=${JSON.stringify(own)}`], 'shop'), 'Deployment', 'api');
    expect(replaced.spec.template.spec.affinity).toEqual(own);
    const none = findObject(render(dir, NS, [...prod, '--set', 'api.podAntiAffinityPreset='], 'shop'), 'Deployment', 'api');
    expect(none.spec.template.spec.affinity).toBeUndefined();
  });

  test('a second release and another namespace still work with each values file', () => {
    for (const e of ENVIRONMENTS) {
      const args = ['-f', path.join(dir, `values-${e.name}.yaml`)];
      // The Ingress's TLS Secret is created outside the chart.
      const { alpha } = expectReleasesApart(dir, NS, ['api-tls'], args);
      expect(objectsOfKind(alpha, 'HorizontalPodAutoscaler').length).toBe(e.name === 'production' ? 1 : 0);
      const moved = render(dir, 'elsewhere', args, 'shop');
      expect(namespaceLeftovers(moved, NS)).toEqual([]);
    }
  });
});

describe('objects some environments lack, and fields that differ', () => {
  let work: string;
  beforeAll(() => { work = tempDir('helm-environments-more'); });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('an Ingress and a ConfigMap production alone has render under their switches', () => {
    const built = build(path.join(work, 'extras'), { productionExtras: true });
    const dir = built.helm.writeTo(path.join(work, 'extras'));
    expectLintWithEveryValuesFile(dir);
    for (const [i, e] of ENVIRONMENTS.entries()) {
      const rendered = render(dir, NS, ['-f', path.join(dir, `values-${e.name}.yaml`)], 'shop');
      expectSameObjects(rendered, plainOf(built.charts[i]), namespaceObjects(dir, `namespace-${e.name}.yaml`));
    }
    expect(values(dir, 'development').dashboardsConfigMap).toEqual({ enabled: false });
    expect(values(dir, 'production').dashboardsConfigMap).toEqual({ enabled: true });
    expect(fs.readFileSync(path.join(dir, 'templates', 'configmap-dashboards.yaml'), 'utf8')).toContain('{{- if .Values.dashboardsConfigMap.enabled }}');
  });

  test('a workload production alone has renders under <section>.enabled with the objects that belong to it; the API keeps its values', () => {
    const built = build(path.join(work, 'worker'), { workerInProductionOnly: true });
    const dir = built.helm.writeTo(path.join(work, 'worker'));
    expectLintWithEveryValuesFile(dir);
    for (const [i, e] of ENVIRONMENTS.entries()) {
      const rendered = render(dir, NS, ['-f', path.join(dir, `values-${e.name}.yaml`)], 'shop');
      expectSameObjects(rendered, plainOf(built.charts[i]), namespaceObjects(dir, `namespace-${e.name}.yaml`));
    }
    // Development's objects alone would give the API the top-level values: it keeps `api.*` in every environment.
    expect(values(dir, 'development').api.replicaCount).toBe(1);
    expect([values(dir, 'development').worker.enabled, values(dir, 'production').worker.enabled]).toEqual([false, true]);
    const template = fs.readFileSync(path.join(dir, 'templates', 'deployment-worker.yaml'), 'utf8');
    expect(template.match(/^\{\{- if [^\n]*\}\}$/gm)).toEqual([
      '{{- if .Values.worker.enabled }}',
      '{{- if and .Values.worker.serviceAccount.create .Values.worker.enabled }}',
      '{{- if and .Values.worker.autoscaling.enabled .Values.worker.enabled }}',
      '{{- if and .Values.pdb.enabled .Values.worker.enabled }}',
      '{{- if and .Values.networkPolicy.enabled .Values.worker.enabled }}',
    ]);
    // Its autoscaler follows it: turned on where the worker is missing, nothing renders.
    const dev = render(dir, NS, ['-f', path.join(dir, 'values-development.yaml'), '--set', 'worker.autoscaling.enabled=true'], 'shop');
    expect(objectsOfKind(dev, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'templates', 'service-worker.yaml'), 'utf8')).toContain('{{- if .Values.worker.enabled }}');
  });

  test('probes that differ become values (livenessProbe, startupProbe), each environment\'s own', () => {
    const built = build(path.join(work, 'probes'), { developmentProbes: true });
    const dir = built.helm.writeTo(path.join(work, 'probes'));
    expectLintWithEveryValuesFile(dir);
    for (const [i, e] of ENVIRONMENTS.entries()) {
      const rendered = render(dir, NS, ['-f', path.join(dir, `values-${e.name}.yaml`)], 'shop');
      expectSameObjects(rendered, plainOf(built.charts[i]), namespaceObjects(dir, `namespace-${e.name}.yaml`));
    }
    expect(values(dir, 'development').api.livenessProbe.failureThreshold).toBe(10);
    // Helm merges a values file's map into values.yaml's: each key of development's startup probe is
    // null in production's file, which removes it (production has none; rendered above).
    const startup = values(dir, 'production').api.startupProbe;
    expect(Object.keys(startup).length).toBeGreaterThan(0);
    expect(Object.values(startup)).toEqual(Object.keys(startup).map(() => null));
    // The readiness probe is the same everywhere: it stays plain text.
    expect(values(dir, 'development').api.readinessProbe).toBeUndefined();
  });

  test('an exec liveness probe in one environment and an HTTP one in the others: each renders its own handler', () => {
    const built = build(path.join(work, 'exec-probes'), { productionExecLiveness: true });
    const dir = built.helm.writeTo(path.join(work, 'exec-probes'));
    expectLintWithEveryValuesFile(dir);
    for (const [i, e] of ENVIRONMENTS.entries()) {
      const rendered = render(dir, NS, ['-f', path.join(dir, `values-${e.name}.yaml`)], 'shop');
      expectSameObjects(rendered, plainOf(built.charts[i]), namespaceObjects(dir, `namespace-${e.name}.yaml`));
      const worker = rendered.find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'worker').spec.template.spec.containers[0];
      // Never both handlers: Kubernetes refuses a probe with two.
      expect(Object.keys(worker.livenessProbe).filter((k) => ['exec', 'httpGet'].includes(k))).toEqual([e.name === 'production' ? 'exec' : 'httpGet']);
    }
    expect(values(dir, 'production').worker.livenessProbe.exec).toEqual({ command: ['shop-worker', 'healthcheck'] });
    expect(values(dir, 'development').worker.livenessProbe.httpGet).toMatchObject({ path: '/health/live' });
  });

  test('a certificate cert-manager issues in production and the synth generates elsewhere is refused with the field and both values', () => {
    const app = new App({ outdir: path.join(work, 'certs') });
    const charts = ENVIRONMENTS.map((e) => {
      const chart = new Chart(app, e.name, { namespace: NS });
      const bundle = new CertificateBundle(chart, 'tls', {
        serverName: 'api.shop.svc',
        certType: CertificateType.AUTO_GENERATED_SELFSIGNED,
        namespace: NS,
        environment: e.environment,
        provider: e.name === 'production' ? CertificateProvider.CERT_MANAGER : CertificateProvider.GENERATED_AT_SYNTH,
        store: { directory: path.join(work, 'certs', 'store') },
      });
      const image = new ContainerImage(chart, 'image', { registry: 'ghcr.io', repository: 'acme/shop-api', tag: '1.4.2', environment: e.environment });
      new DeploymentManifest(chart, 'api', { environment: e.environment, namespace: NS, image, ports: [{ containerPort: 8443 }], certificateBundle: bundle, replicaCount: 2 });
      return chart;
    });
    const helm = new HelmChart(app, 'helm', {
      chartName: 'shop',
      chartVersion: '1.0.0',
      defaultEnvironmentName: 'development',
      chart: charts[0],
      environments: charts.slice(1).map((chart, i) => ({ name: ENVIRONMENTS[i + 1].name, chart })),
    });
    const message = chartError({ helm, charts });
    // Production's Secret is the release's (its Certificate writes it), development's is created outside the chart: no value says both.
    expect(message).toMatch(/\[production\/api\/Resource\] \/spec\/template\/spec\/volumes\/\d+\/secret\/secretName: got "tls-tls" in the production environment; expected "tls-tls" as in the development environment: Deployment shop\/api has this field in both, but the chart cannot template it the same way for both/);
    expect(message).not.toContain('{{');
  });

  test('a different command or set of ports is refused, naming the construct, the field as a JSON pointer and both values', () => {
    const message = chartError(build(path.join(work, 'command'), { productionCommand: ['shop-api', '--production'], productionMetricsPort: true }));
    expect(message).toContain('[production/api/Resource] /spec/template/spec/containers/0/command: got ["shop-api","--production"] in the production environment; '
      + 'expected ["shop-api"] as in the development environment: Deployment shop/api may differ between environments only in the chart\'s values, '
      + 'and no value holds this field: make it the same in every environment, or bind it with a ValueParameter');
    expect(message).toContain('[production/api/Resource] /spec/template/spec/containers/0/ports: got [{"containerPort":8080,"name":"http","protocol":"TCP"},'
      + '{"containerPort":9090,"name":"metrics","protocol":"TCP"}] in the production environment; expected [{"containerPort":8080,"name":"http","protocol":"TCP"}] as in the development environment');
    expect(message).toContain('[production/api/service/Resource] /spec/ports: got ');
    // Never a template line.
    expect(message).not.toContain('{{');
    expect(message).not.toMatch(/\bline \d+/);
  });
});
