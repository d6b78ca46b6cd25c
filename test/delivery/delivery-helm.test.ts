/**
 * A chart of objects with a SealedSecret and an ExternalSecret, proven with the real helm: it lints
 * strictly and renders the plain objects; the sealed data is no value (ciphertext for one cluster)
 * and the SealedSecret, the ExternalSecret and the Secrets they make keep their names under any
 * release (a sealed value opens only under its name); the ExternalSecret's store is a value.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import {
  ContainerImage, DeploymentManifest, HelmChart, SecretConfiguration, SecretDelivery, SecretDeliveryMode, SecretStoreKind,
} from '../../src';
import { tempDir } from '../helm/fixtures';
import { chartFileTexts, expectSameObjects, render } from '../helm/harness';
import { assertValidManifests, findObject } from '../util/manifests';
import { CONTROLLER_CERT_FILE, unseal } from '../util/sealed-secrets';
import { runHelm } from '../util/tools';

const PASSWORD = 'db-Passw0rd-for-the-chart-test';

let work: string;
let dir: string;
let plain: any[];
let files: Map<string, string>;

beforeAll(() => {
  work = tempDir('delivery-helm');
  const app = new App({ outdir: path.join(work, 'dist') });
  const chart = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  new SecretDelivery(chart, 'delivery', {
    mode: SecretDeliveryMode.SEALED,
    sealing: { certificateFile: CONTROLLER_CERT_FILE, storeDirectory: path.join(work, 'sealed') },
  });
  const database = new SecretConfiguration(chart, 'database', { name: 'database', secretData: { DB_PASSWORD: PASSWORD } });
  // Named like the Deployment: the ExternalSecret's target must not follow the Deployment's release name.
  const api = new SecretConfiguration(chart, 'api-secrets', {
    name: 'api',
    requiredKeys: ['API_TOKEN'],
    delivery: { mode: SecretDeliveryMode.EXTERNAL, external: { storeName: 'vault', storeKind: SecretStoreKind.CLUSTER_SECRET_STORE } },
  });
  new DeploymentManifest(chart, 'api', {
    name: 'api',
    image: new ContainerImage(chart, 'image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.0.0' }),
    ports: [{ containerPort: 8080 }],
    replicaCount: 2,
    secrets: [database, api],
  });
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
  app.synth();
  plain = chart.toJson();
  dir = helm.writeTo(path.join(work, 'helm'));
  files = chartFileTexts(dir);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('helm lint --strict passes', () => {
  const r = runHelm(['lint', '--strict', dir]);
  expect({ stderr: r.stderr, status: r.status }).toEqual({ stderr: '', status: 0 });
});

test('the default values render the plain objects, SealedSecret and ExternalSecret included', () => {
  const rendered = render(dir, 'shop');
  expectSameObjects(rendered, plain);
  assertValidManifests(rendered);
  expect(unseal(findObject(rendered, 'SealedSecret', 'database'))).toEqual({ DB_PASSWORD: PASSWORD });
});

test('no value in any chart file; the sealed data is no value to override', () => {
  for (const [file, text] of files) {
    expect({ file, leaks: text.includes(PASSWORD) }).toEqual({ file, leaks: false });
  }
  const values = YAML.parse(files.get('values.yaml')!);
  expect(values.secretStores).toEqual({ vault: 'vault' });
  expect(JSON.stringify(values)).not.toMatch(/encryptedData|DB_PASSWORD/);
  // The workloads read these Secrets as the chart makes them: no existingSecret, no "create it first".
  expect(values.existingSecret).toBeUndefined();
  expect(files.get('templates/NOTES.txt')).not.toMatch(/kubectl .*create secret/);
  const schema = JSON.parse(files.get('values.schema.json')!);
  expect(schema.properties.secretStores.properties.vault).toMatchObject({ type: 'string', pattern: expect.any(String) });
});

test('secretStores.<name> sets the store of the ExternalSecrets, and nothing else', () => {
  const rendered = render(dir, 'shop', ['--set', 'secretStores.vault=team-vault']);
  expect(findObject(rendered, 'ExternalSecret', 'api').spec.secretStoreRef).toEqual({ name: 'team-vault', kind: 'ClusterSecretStore' });
  const byDefault = render(dir, 'shop');
  expect(rendered.filter((o) => o.kind !== 'ExternalSecret')).toEqual(byDefault.filter((o) => o.kind !== 'ExternalSecret'));
  const invalid = runHelm(['template', 'shop', dir, '--set', 'secretStores.vault=Not_A_Name']);
  expect(invalid.status).not.toBe(0);
  expect(invalid.stderr).toContain('secretStores.vault');
});

test('under another release the SealedSecret, the ExternalSecret and their Secrets keep their names', () => {
  const rendered = render(dir, 'shop', [], 'eu-west');
  const deployment = rendered.find((o) => o.kind === 'Deployment');
  expect(deployment.metadata.name).not.toBe('api');
  const sealed = findObject(rendered, 'SealedSecret', 'database');
  expect(sealed.metadata.namespace).toBe('shop');
  expect(unseal(sealed)).toEqual({ DB_PASSWORD: PASSWORD });
  expect(findObject(rendered, 'ExternalSecret', 'api').spec.target.name).toBe('api');
  expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'database' } }, { secretRef: { name: 'api' } }]);
});
