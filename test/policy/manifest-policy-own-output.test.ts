/**
 * What PolicyCheck (schema, Pod Security Standards restricted, ManifestPolicy, waivers) says about
 * our own output: the blueprints, the examples and the DeploymentManifest defaults have no error
 * and no warning; what they do on purpose is waived, each waiver with its reason.
 */
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { rccRemoteChart } from '../../examples/rcc-remote';
import { todoChatbotCharts } from '../../examples/todo-chatbot';
import { toolHiveProps } from '../../examples/toolhive';
import {
  CertificateProvider, ContainerImage, DeploymentManifest, Environment, PolicyCheck, Rescan, TodoChatbot, ToolHiveRegistry,
} from '../../src';
import { OWN_WAIVER_REASONS } from '../../src/workloads/own-waivers';

const AI = { apiKey: 'test-key-not-real', endpoint: 'https://your-resource.openai.azure.com/', modelDeployment: 'gpt-4o' };
const SECRETS = { databasePassword: 'example-db-password', jwtSecret: 'example-jwt-secret' };

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
}

const outputs: Array<[string, () => any[]]> = [
  ...[Environment.PRODUCTION, Environment.STAGING, Environment.DEVELOPMENT].map((environment): [string, () => any[]] =>
    [`RccRemote example (${environment})`, () => rccRemoteChart(new App(), environment).chart.toJson()]),
  ['Rescan defaults', () => {
    const c = chart();
    new Rescan(c, 'rescan');
    return c.toJson();
  }],
  ['Rescan with credentials, backup and TLS ingress (development)', () => {
    const c = chart();
    new Rescan(c, 'rescan', {
      environment: Environment.DEVELOPMENT,
      azureOpenAi: AI,
      backup: {},
      ingress: { hostname: 'rescan.example.com', tlsSecretName: 'rescan-tls' },
    });
    return c.toJson();
  }],
  ['TodoChatbot defaults', () => {
    const c = chart();
    new TodoChatbot(c, 'todo-chatbot');
    return c.toJson();
  }],
  ['TodoChatbot over plain HTTP', () => {
    const c = chart();
    new TodoChatbot(c, 'todo-chatbot', { plainHttp: true });
    return c.toJson();
  }],
  ['TodoChatbot with secrets and a cert-manager TLS certificate', () => {
    const c = chart();
    new TodoChatbot(c, 'todo-chatbot', { ...SECRETS, tlsCertificate: CertificateProvider.CERT_MANAGER });
    return c.toJson();
  }],
  ...[Environment.PRODUCTION, Environment.DEVELOPMENT].map((environment): [string, () => any[]] =>
    [`ToolHiveRegistry example (${environment})`, () => {
      const c = chart();
      new ToolHiveRegistry(c, 'toolhive', toolHiveProps(environment));
      return c.toJson();
    }]),
  ['DeploymentManifest defaults (image and one port)', () => {
    const c = chart();
    new DeploymentManifest(c, 'api', {
      image: new ContainerImage(c, 'api-image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }),
      ports: [{ containerPort: 8080 }],
    });
    return c.toJson();
  }],
  ['DeploymentManifest defaults (image only)', () => {
    const c = chart();
    new DeploymentManifest(c, 'worker', { image: new ContainerImage(c, 'worker-image', { repository: 'acme/worker', tag: '2.0.0' }) });
    return c.toJson();
  }],
];

/**
 * Warnings that stand for the caller's choice, which the library reports rather than waives: an
 * Ingress asked to serve plain HTTP, a workload without a port has no probe to offer (no health
 * endpoint given; the DeploymentManifest warns about it too).
 */
const USERS_CHOICES: { [output: string]: string[] } = {
  'TodoChatbot over plain HTTP': ['warning ingress-tls Ingress/todo-ingress'],
  'DeploymentManifest defaults (image only)': ['warning probe-liveness-present Deployment/worker'],
};

describe('PolicyCheck over our own output', () => {
  test.each(outputs)('%s has no error and no warning', (name, synth) => {
    const report = PolicyCheck.run(synth());
    expect(report.findings.map((f) => `${f.level} ${f.rule} ${f.kind}/${f.name}`)).toEqual(USERS_CHOICES[name] ?? []);
    for (const w of report.waivers) expect(w.reason.length).toBeGreaterThan(10);
  });

  test('the examples: the development chart\'s deliberate "latest" images are waived with their reason', () => {
    const charts = todoChatbotCharts(new App());
    for (const c of charts) expect(PolicyCheck.run(c.toJson()).findings).toEqual([]);
    const development = PolicyCheck.run(charts[1].toJson());
    expect(development.waived.filter((f) => f.rule === 'image-pinned-tag').map((f) => `${f.kind}/${f.name} ${f.path}: ${f.waiverReason}`)).toEqual([
      `Deployment/todo-backend spec.template.spec.containers[0].image: ${OWN_WAIVER_REASONS.latestTag}`,
      `Deployment/todo-frontend spec.template.spec.containers[0].image: ${OWN_WAIVER_REASONS.latestTag}`,
    ]);
  });

  test('the blueprints run the check inside app.synth(), unless told not to', () => {
    const bad = (policyCheck?: boolean) => {
      const c = chart();
      new Rescan(c, 'rescan', { policyCheck });
      new ApiObject(c, 'debug', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'rescan' }, spec: { hostPID: true, containers: [] } });
      return c;
    };
    expect(() => bad().toJson()).toThrow(/policy test\/debug \(Pod debug\) spec\.hostPID: got true; expected .+ \(error hostNamespaces/);
    expect(() => bad(false).toJson()).not.toThrow();
  });

  test('ToolHiveRegistry runs the check inside app.synth() too, unless told not to', () => {
    const bad = (policyCheck?: boolean) => {
      const c = chart();
      new ToolHiveRegistry(c, 'toolhive', { ...toolHiveProps(Environment.PRODUCTION), policyCheck });
      new ApiObject(c, 'debug', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'toolhive' }, spec: { hostPID: true, containers: [] } });
      return c;
    };
    expect(() => bad().toJson()).toThrow(/policy test\/debug \(Pod debug\) spec\.hostPID: got true; expected .+ \(error hostNamespaces/);
    expect(() => bad(false).toJson()).not.toThrow();
  });
});
