/**
 * SealedSecrets and ExternalSecrets against the shipped CRD schemas (crds/: sealed-secrets 0.36.6,
 * external-secrets 2.9.0), `PolicyCheck` and the real `deploykit check` command: no error, no
 * warning, nothing skipped; sealed data is ciphertext, not a secret value.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing, Yaml } from 'cdk8s';
import {
  ContainerImage, DeploymentManifest, PolicyCheck, SecretConfiguration, SecretDelivery, SecretDeliveryMode, SecretType,
} from '../../src';
import { tempDir } from '../helm/fixtures';
import { validateObject } from '../util/k8s-schema';
import { findObject } from '../util/manifests';
import { CONTROLLER_CERT_FILE } from '../util/sealed-secrets';

const ROOT = path.resolve(__dirname, '..', '..');
// A Google API key's form (AIza + 35 characters): what the secret detector looks for in any string.
const TOKEN_LIKE = 'AIzaSyA1234567890abcdefghijklmnopqrstuv';

let work: string;
let objects: any[];
beforeAll(() => {
  work = tempDir('delivery-policy');
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new SecretDelivery(chart, 'delivery', {
    mode: SecretDeliveryMode.SEALED,
    sealing: { certificateFile: CONTROLLER_CERT_FILE, storeDirectory: path.join(work, 'sealed') },
  });
  const sealed = new SecretConfiguration(chart, 'api-secrets', { name: 'api-secrets', secretData: { API_KEY: TOKEN_LIKE } });
  const registry = new SecretConfiguration(chart, 'registry', {
    name: 'registry',
    secretType: SecretType.DOCKER_CONFIG_JSON,
    requiredKeys: ['.dockerconfigjson'],
    delivery: { mode: SecretDeliveryMode.EXTERNAL, external: { storeName: 'vault' } },
  });
  new DeploymentManifest(chart, 'api', {
    image: new ContainerImage(chart, 'image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.0.0' }),
    ports: [{ containerPort: 8080 }],
    replicaCount: 2,
    secrets: [sealed, registry],
  });
  objects = Testing.synth(chart);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the shipped CRD schemas', () => {
  test('accept both kinds as synthesized', () => {
    expect(validateObject(findObject(objects, 'SealedSecret', 'api-secrets'))).toEqual([]);
    expect(validateObject(findObject(objects, 'ExternalSecret', 'registry'))).toEqual([]);
  });

  test('refuse a SealedSecret or an ExternalSecret that breaks them (so they are applied)', () => {
    const sealed = structuredClone(findObject(objects, 'SealedSecret', 'api-secrets'));
    delete sealed.spec.encryptedData;
    sealed.spec.template.kind = 'Secret';
    expect(validateObject(sealed).sort()).toEqual([
      'SealedSecret/api-secrets: spec.encryptedData: required field is missing',
      'SealedSecret/api-secrets: spec.template.kind: unknown field "kind"',
    ]);
    const external = structuredClone(findObject(objects, 'ExternalSecret', 'registry'));
    external.spec.secretStoreRef.kind = 'Vault';
    external.spec.data[0].secretKey = 'not a key!';
    const problems = validateObject(external).join('\n');
    expect(problems).toContain('spec.secretStoreRef.kind: got "Vault"; expected one of ["SecretStore","ClusterSecretStore"]');
    expect(problems).toContain('spec.data[0].secretKey: got "not a key!"; must match pattern');
    // v1beta1 is no longer served.
    expect(validateObject({ ...external, apiVersion: 'external-secrets.io/v1beta1' })).toEqual([
      'ExternalSecret/registry: apiVersion/kind: "external-secrets.io/v1beta1" "ExternalSecret" is not a Kubernetes 1.28 kind; ExternalSecret is served as external-secrets.io/v1',
    ]);
  });
});

describe('PolicyCheck', () => {
  test('no error, no warning and nothing skipped for the objects', () => {
    const report = PolicyCheck.run(objects);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.skipped).toEqual([]);
  });

  test('sealed data is ciphertext, not a secret value: the same text in a ConfigMap is one', () => {
    const sealed = structuredClone(findObject(objects, 'SealedSecret', 'api-secrets'));
    sealed.spec.encryptedData.API_KEY = TOKEN_LIKE;
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leak', namespace: 'shop' }, data: { note: TOKEN_LIKE } };
    const report = PolicyCheck.run([sealed, configMap], { rules: ['secret-values'] });
    expect(report.findings.map((f) => `${f.kind}/${f.name} ${f.path}`)).toEqual(['ConfigMap/leak data.note']);
  });
});

test('deploykit check: the written objects pass with no error and no warning', () => {
  const file = path.join(work, 'shop.k8s.yaml');
  Yaml.save(file, objects);
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'deploykit'), 'check', file], { cwd: ROOT, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim().split('\n').pop()).toBe(`deploykit check (restricted): ${objects.length} objects in 1 file: 0 errors, 0 warnings, 0 waived, 0 skipped, 0 unreadable`);
  expect(run.status).toBe(0);
});
