/**
 * ExternalSecrets (external-secrets.io/v1): one per Secret, the store by name, each key mapped to a
 * remote key and property; the workloads keep reading the Secret by the same name. And the
 * SecretDelivery default, which every entity may override field by field.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  CertificateBundle, CertificateType, ContainerImage, DeploymentManifest, Environment, SecretConfiguration, SecretDelivery,
  SecretDeliveryMode, SecretStoreKind, SecretType,
} from '../../src';
import { tempDir } from '../helm/fixtures';
import { findObject, objectsOfKind } from '../util/manifests';
import { CONTROLLER_CERT_FILE, unseal } from '../util/sealed-secrets';

let work: string;
beforeAll(() => { work = tempDir('external'); });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('a SecretConfiguration: the ExternalSecret maps each required key; the workload reads the Secret by its name', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const secrets = new SecretConfiguration(chart, 'api-secrets', {
    name: 'api-secrets',
    requiredKeys: ['DATABASE_PASSWORD', 'API_TOKEN'],
    delivery: {
      mode: SecretDeliveryMode.EXTERNAL,
      external: {
        storeName: 'vault',
        storeKind: SecretStoreKind.CLUSTER_SECRET_STORE,
        remoteKey: 'shop/api',
        refreshInterval: '15m',
        keys: [{ secretKey: 'DATABASE_PASSWORD', remoteKey: 'shop/database', property: 'password' }],
      },
    },
  });
  new DeploymentManifest(chart, 'api', {
    image: new ContainerImage(chart, 'image', { repository: 'acme/api', tag: '1.0.0' }),
    ports: [{ containerPort: 8080 }],
    secrets: [secrets],
  });
  const objects = Testing.synth(chart);
  expect(secrets.deliveryMode).toBe(SecretDeliveryMode.EXTERNAL);
  expect(secrets.apiObject).toBeUndefined();
  expect(objectsOfKind(objects, 'Secret')).toEqual([]);
  const external = findObject(objects, 'ExternalSecret', 'api-secrets');
  expect(external.apiVersion).toBe('external-secrets.io/v1');
  expect(external.metadata.namespace).toBe('shop');
  expect(external.spec).toEqual({
    refreshInterval: '15m',
    secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
    target: { name: 'api-secrets', creationPolicy: 'Owner', template: { type: 'Opaque', metadata: { labels: external.metadata.labels } } },
    data: [
      { secretKey: 'DATABASE_PASSWORD', remoteRef: { key: 'shop/database', property: 'password' } },
      { secretKey: 'API_TOKEN', remoteRef: { key: 'shop/api', property: 'API_TOKEN' } },
    ],
  });
  const pod = findObject(objects, 'Deployment', 'api').spec.template.spec;
  expect(pod.containers[0].envFrom).toEqual([{ secretRef: { name: 'api-secrets' } }]);
  expect(external).toMatchSnapshot();
});

test('a CertificateBundle: tls.crt, tls.key and ca.crt from the store (upload what writeFiles() writes); the CA ConfigMap stays', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new CertificateBundle(chart, 'shop', {
    serverName: 'shop.example.com',
    certType: CertificateType.AUTO_GENERATED_CA,
    environment: Environment.DEVELOPMENT,
    store: { directory: path.join(work, 'certs') },
    delivery: { mode: SecretDeliveryMode.EXTERNAL, external: { storeName: 'vault' } },
  });
  const objects = Testing.synth(chart);
  const external = findObject(objects, 'ExternalSecret', 'shop-tls');
  expect(external.spec.target.template.type).toBe('kubernetes.io/tls');
  expect(external.spec.data).toEqual(['tls.crt', 'tls.key', 'ca.crt'].map((k) => ({ secretKey: k, remoteRef: { key: 'shop-tls', property: k } })));
  expect(external.spec.refreshInterval).toBe('1h');
  expect(external.spec.secretStoreRef).toEqual({ name: 'vault', kind: 'SecretStore' });
  expect(findObject(objects, 'ConfigMap', 'shop-tls-ca').data['ca.crt']).toContain('BEGIN CERTIFICATE');
  expect(JSON.stringify(objects)).not.toContain('PRIVATE KEY');
});

test('a SecretDelivery default applies to the Secrets under it; the nearest wins and entities override field by field', () => {
  const app = Testing.app();
  new SecretDelivery(app, 'app-default', { mode: SecretDeliveryMode.EXTERNAL, external: { storeName: 'app-vault' } });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const other = new Chart(app, 'other', { namespace: 'other' });
  new SecretDelivery(chart, 'chart-default', {
    mode: SecretDeliveryMode.SEALED,
    sealing: { certificateFile: CONTROLLER_CERT_FILE, storeDirectory: path.join(work, 'sealed') },
    external: { storeName: 'shop-vault', storeKind: SecretStoreKind.CLUSTER_SECRET_STORE },
  });
  // The chart's default: sealed.
  new SecretConfiguration(chart, 'sealed', { name: 'sealed', secretData: { API_KEY: 'value-1' } });
  // The entity overrides the mode; the store comes from the chart's default.
  new SecretConfiguration(chart, 'external', { name: 'external', requiredKeys: ['TOKEN'], delivery: { mode: SecretDeliveryMode.EXTERNAL } });
  // Plain on purpose, and out of band through existingSecret.
  new SecretConfiguration(chart, 'plain', { name: 'plain', secretData: { LOG_LEVEL_TOKEN: 'value-2' }, delivery: { mode: SecretDeliveryMode.PLAIN } });
  new SecretConfiguration(chart, 'outside', { name: 'outside', existingSecret: true, requiredKeys: ['X'] });
  // Another chart: the app's default.
  new SecretConfiguration(other, 'other', { name: 'other', requiredKeys: ['TOKEN'] });

  const shop = Testing.synth(chart);
  expect(shop.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['ExternalSecret/external', 'SealedSecret/sealed', 'Secret/plain']);
  expect(unseal(findObject(shop, 'SealedSecret', 'sealed'))).toEqual({ API_KEY: 'value-1' });
  expect(findObject(shop, 'ExternalSecret', 'external').spec.secretStoreRef).toEqual({ name: 'shop-vault', kind: 'ClusterSecretStore' });
  expect(findObject(shop, 'Secret', 'plain').stringData).toEqual({ LOG_LEVEL_TOKEN: 'value-2' });
  expect(findObject(Testing.synth(other), 'ExternalSecret', 'other').spec.secretStoreRef).toEqual({ name: 'app-vault', kind: 'SecretStore' });
  expect(SecretDelivery.of(chart)?.node.path).toBe('shop/chart-default');
  expect(SecretDelivery.of(other)?.node.path).toBe('app-default');
});

test('a registry credential (DOCKER_CONFIG_JSON) is how the pods pull their images', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const credential = new SecretConfiguration(chart, 'registry', {
    name: 'registry',
    secretType: SecretType.DOCKER_CONFIG_JSON,
    requiredKeys: ['.dockerconfigjson'],
    delivery: { mode: SecretDeliveryMode.EXTERNAL, external: { storeName: 'vault', keys: [{ secretKey: '.dockerconfigjson', remoteKey: 'ci/ghcr', property: 'dockerconfig' }] } },
  });
  new DeploymentManifest(chart, 'api', {
    image: new ContainerImage(chart, 'image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.0.0' }),
    ports: [{ containerPort: 8080 }],
    secrets: [credential],
  });
  const objects = Testing.synth(chart);
  const pod = findObject(objects, 'Deployment', 'api').spec.template.spec;
  expect(pod.imagePullSecrets).toEqual([{ name: 'registry' }]);
  expect(pod.containers[0].envFrom).toBeUndefined();
  expect(findObject(objects, 'ExternalSecret', 'registry').spec.target.template.type).toBe('kubernetes.io/dockerconfigjson');
});

test('a CertificateBundle out of band: no Secret object; the pods mount the Secret made from writeFiles()', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const bundle = new CertificateBundle(chart, 'shop', {
    serverName: 'shop.example.com',
    certType: CertificateType.AUTO_GENERATED_SELFSIGNED,
    environment: Environment.DEVELOPMENT,
    store: { directory: path.join(work, 'certs-oob') },
    delivery: { mode: SecretDeliveryMode.OUT_OF_BAND },
  });
  new DeploymentManifest(chart, 'api', {
    image: new ContainerImage(chart, 'image', { repository: 'acme/api', tag: '1.0.0' }),
    ports: [{ containerPort: 8443 }],
    serverName: 'shop.example.com',
    certificateBundle: bundle,
  });
  const objects = Testing.synth(chart);
  expect(objects.map((o) => o.kind)).not.toEqual(expect.arrayContaining(['Secret']));
  expect(bundle.deliveryMode).toBe(SecretDeliveryMode.OUT_OF_BAND);
  const pod = findObject(objects, 'Deployment', 'api').spec.template.spec;
  expect(pod.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ secret: expect.objectContaining({ secretName: 'shop-tls' }) })]));
  const files = bundle.writeFiles(path.join(work, 'files'));
  expect(files.createSecretCommand).toContain('create secret tls shop-tls');
});
