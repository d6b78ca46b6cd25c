/**
 * A chart made from the library's entity constructs (no blueprint): a StatefulSet database, an API
 * Deployment with a ConfigMap and an autoscaler, a web Deployment and an Ingress. Each workload and
 * the ConfigMap carry an `app.kubernetes.io/instance` label of their own, so a release other than the
 * plain one prints several instance labels from its name. Proven with the real helm as a Helm user
 * meets it: lint, the plain render, releases side by side (the longest release name included), and
 * values that would break at run time refused with a clear message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { expectLintWithEveryValuesFile, expectReleasesApart } from './acceptance';
import { tempDir } from './fixtures';
import { expectSameObjects, render, renderFailure } from './harness';
import { ConfigMapConfiguration } from '../../src/config/config-map-configuration';
import { SecretConfiguration } from '../../src/config/secret-configuration';
import { Environment } from '../../src/core/environment';
import { HelmChart } from '../../src/helm/helm-chart';
import { IngressConfiguration } from '../../src/networking/ingress-configuration';
import { ContainerImage } from '../../src/pod/container-image';
import { ResourceLimits } from '../../src/pod/resource-limits';
import { DeploymentManifest } from '../../src/workloads/deployment-manifest';
import { StatefulManifest } from '../../src/workloads/stateful-manifest';

const NS = 'shop';

function shop(app: App, id: string, environment: Environment): Chart {
  const chart = new Chart(app, id, { namespace: NS });
  const image = (name: string, repository: string, tag: string) => new ContainerImage(chart, name, { registry: 'ghcr.io', repository, tag, environment });
  new StatefulManifest(chart, 'db', {
    environment,
    name: 'db',
    image: image('db-image', 'acme/db', '16.4.0'),
    ports: [{ containerPort: 5432 }],
    tcpHealthCheck: true,
    volumeClaim: { name: 'data', mountPath: '/var/lib/db', size: '2Gi' },
  });
  const production = environment === Environment.PRODUCTION;
  const api = new DeploymentManifest(chart, 'api', {
    environment,
    name: 'api',
    image: image('api-image', 'acme/api', '1.4.2'),
    ports: [{ containerPort: 8080 }],
    replicaCount: production ? 3 : 1,
    configMaps: [new ConfigMapConfiguration(chart, 'api-config', { name: 'api-config', configData: { DATABASE_HOST: `db.${NS}.svc.cluster.local` } })],
    secrets: [new SecretConfiguration(chart, 'db-secret', { name: 'db-credentials', existingSecret: true, requiredKeys: ['PASSWORD'] })],
    resourceLimits: new ResourceLimits(chart, 'api-resources', { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
    scalingConfig: production ? { minReplicas: 3, maxReplicas: 10, targetCpuPercent: 70 } : undefined,
  });
  const web = new DeploymentManifest(chart, 'web', {
    environment,
    name: 'web',
    image: image('web-image', 'acme/web', '2.0.0'),
    ports: [{ containerPort: 3000 }],
    env: { API_URL: `http://${api.dnsName}:8080` },
  });
  new IngressConfiguration(chart, 'ingress', {
    name: 'shop',
    hostname: 'shop.example.com',
    pathPrefixes: [{ pathPrefix: '/', service: web.service! }, { pathPrefix: '/api', service: api.service! }],
    tlsConfiguration: { secretName: 'shop-tls' },
  });
  return chart;
}

let work: string;
let dir: string;
let plain: any[];

beforeAll(() => {
  work = tempDir('helm-entities');
  const app = new App({ outdir: path.join(work, 'dist') });
  const production = shop(app, 'shop', Environment.PRODUCTION);
  const development = shop(app, 'shop-development', Environment.DEVELOPMENT);
  const helm = new HelmChart(app, 'helm', {
    chartName: 'shop',
    chartVersion: '0.1.0',
    appVersion: '1.4.2',
    chart: production,
    defaultEnvironmentName: 'production',
    environments: [{ name: 'development', chart: development }],
  });
  app.synth();
  plain = production.toJson();
  dir = helm.writeTo(path.join(work, 'helm'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('lint passes with each values file and the default render is the plain YAML', () => {
  expectLintWithEveryValuesFile(dir);
  expectSameObjects(render(dir, NS), plain);
});

test('releases side by side, the plain one and the longest name Helm allows included, keep apart with valid names and labels', () => {
  const external = ['db-credentials', 'shop-tls'];
  expectReleasesApart(dir, NS, external);
  expectReleasesApart(dir, NS, external, ['-f', path.join(dir, 'values-development.yaml')]);
});

test('an autoscaler whose minReplicas exceeds its maxReplicas (which the API server refuses) is refused, naming both values', () => {
  const args = ['--set', 'api.autoscaling.minReplicas=5', '--set', 'api.autoscaling.maxReplicas=2'];
  expect(renderFailure(dir, NS, args)).toContain('api.autoscaling.minReplicas (5) is more than api.autoscaling.maxReplicas (2)');
  // Equal bounds are fine, and a disabled autoscaler is not checked.
  const equal = render(dir, NS, ['--set', 'api.autoscaling.minReplicas=4', '--set', 'api.autoscaling.maxReplicas=4']);
  expect(equal.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'api').spec).toMatchObject({ minReplicas: 4, maxReplicas: 4 });
  expect(render(dir, NS, [...args, '--set', 'api.autoscaling.enabled=false']).filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name)).toEqual([]);
});

test('an image reference the container runtime would refuse (no repository, a tag with "+") is refused by the schema', () => {
  expect(renderFailure(dir, NS, ['--set', 'api.image.repository='])).toContain('api.image.repository');
  expect(renderFailure(dir, NS, ['--set', 'tests.image.repository='])).toContain('tests.image.repository');
  expect(renderFailure(dir, NS, ['--set', 'web.image.tag=2.0.0+build.1'])).toContain('web.image.tag');
  expect(render(dir, NS, ['--set', 'web.image.tag=2.0.1_rc.1']).find((o) => o.kind === 'Deployment' && o.metadata.name === 'web').spec.template.spec.containers[0].image)
    .toBe('ghcr.io/acme/web:2.0.1_rc.1');
});

test('values.yaml says what each group of values is for', () => {
  const text = fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8');
  expect(text).toContain('  # api.serviceAccount: ServiceAccount of the pods\n');
  expect(text).toContain('  # api.service: Service\n');
});
