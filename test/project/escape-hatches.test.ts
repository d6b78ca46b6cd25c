import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import {
  ConfigMapConfiguration, ContainerImage, DeploymentManifest, IngressConfiguration, Namespace, PersistentStorage, Rescan,
  SecretConfiguration, ServiceConfiguration, StatefulManifest,
} from '../../src';
import { synthManifests } from '../util/manifests';

/*
 * Every construct exposes the objects it makes as public readonly properties, as cdk8s-plus exposes
 * `apiObject`: an escape hatch for any field the props do not cover.
 */
const kindOf = (o: ApiObject | undefined) => o?.toJson().kind;

test('DeploymentManifest exposes its Deployment, Service, autoscaler, disruption budget and NetworkPolicy', () => {
  const chart = Testing.chart();
  const web = new DeploymentManifest(chart, 'web', {
    image: new ContainerImage(chart, 'image', { repository: 'nginx', tag: '1.27.0' }),
    ports: [{ containerPort: 8080 }],
    scalingConfig: { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 70 },
  });
  expect([web.deployment, web.service?.apiObject, web.autoscaler, web.disruptionBudget, web.networkPolicy].map(kindOf))
    .toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']);

  // The escape hatch reaches a field no prop covers.
  web.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'high'));
  const deployment = synthManifests(chart).find((o) => o.kind === 'Deployment');
  expect(deployment.spec.template.spec.priorityClassName).toBe('high');
});

test('StatefulManifest exposes its StatefulSet, headless Service, disruption budget and NetworkPolicy', () => {
  const chart = Testing.chart();
  const db = new StatefulManifest(chart, 'db', {
    image: new ContainerImage(chart, 'image', { repository: 'postgres', tag: '16.4.0' }),
    ports: [{ containerPort: 5432 }],
    replicaCount: 2,
    volumeClaim: { name: 'data', mountPath: '/var/lib/postgresql/data', size: '1Gi' },
  });
  expect([db.statefulSet, db.service.apiObject, db.disruptionBudget, db.networkPolicy].map(kindOf))
    .toEqual(['StatefulSet', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']);
});

test('single-object entities expose their object as apiObject', () => {
  const chart = Testing.chart();
  const service = new ServiceConfiguration(chart, 'svc', {
    serviceName: 'web', selectorLabels: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  });
  const entities: Array<[string, ApiObject | undefined]> = [
    ['Namespace', new Namespace(chart, 'ns', { name: 'shop' }).apiObject],
    ['ConfigMap', new ConfigMapConfiguration(chart, 'cm', { name: 'web-config', configData: { LOG_LEVEL: 'info' } }).apiObject],
    ['Secret', new SecretConfiguration(chart, 'secret', { name: 'web-secret', secretData: { TOKEN: 'x' } }).apiObject],
    ['PersistentVolumeClaim', new PersistentStorage(chart, 'pvc', { name: 'data', size: '1Gi', mountPath: '/data' }).apiObject],
    ['Service', service.apiObject],
    ['Ingress', new IngressConfiguration(chart, 'ing', { name: 'web', hostname: 'shop.example.com', pathPrefixes: [{ pathPrefix: '/', service }] }).apiObject],
  ];
  expect(entities.map(([, o]) => kindOf(o))).toEqual(entities.map(([k]) => k));
});

test('blueprints expose the entities they compose', () => {
  const chart = Testing.chart();
  const rescan = new Rescan(chart, 'rescan', { ingress: { hostname: 'rescan.example.com' } });
  expect([rescan.namespace.apiObject, rescan.config.apiObject, rescan.data.apiObject, rescan.app.deployment, rescan.ingress?.apiObject].map(kindOf))
    .toEqual(['Namespace', 'ConfigMap', 'PersistentVolumeClaim', 'Deployment', 'Ingress']);
});
