import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { CertificateBundle } from '../../src/tls/certificate-bundle';
import { CertificateProvider, CertificateType } from '../../src/tls/certificate-types';
import { registerCrd, validateObject } from '../util/k8s-schema';
import { findObject, synthManifests } from '../util/manifests';

const CRDS = path.join(__dirname, '..', '..', 'crds');

beforeAll(() => {
  for (const file of ['cert-manager.io_certificates.yaml', 'cert-manager.io_issuers.yaml']) {
    registerCrd(fs.readFileSync(path.join(CRDS, file), 'utf8'));
  }
});

function certManager(certType: CertificateType) {
  const chart = Testing.chart();
  const b = new CertificateBundle(chart, 'api', {
    serverName: 'api.example.com',
    sanNames: ['api.example.com', 'api.shop.svc', '10.0.0.7'],
    certType,
    provider: CertificateProvider.CERT_MANAGER,
    namespace: 'shop',
    keySize: 3072,
    validityDays: 90,
    store: { renewalWindowDays: 15 },
  });
  return { chart, b };
}

describe('CertificateBundle with cert-manager', () => {
  test('the CRD schemas are active: a Certificate without issuerRef and an Issuer with an unknown field fail', () => {
    const bad = validateObject({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'x' }, spec: { secretName: 'x' } });
    expect(bad).toEqual(expect.arrayContaining([expect.stringContaining('spec.issuerRef: required field is missing')]));
    const badIssuer = validateObject({ apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'x' }, spec: { selfSigned: {}, bogus: 1 } });
    expect(badIssuer).toEqual(expect.arrayContaining([expect.stringContaining('unknown field "bogus"')]));
  });

  test('self-signed: a SelfSigned Issuer and a Certificate, no key material (snapshot)', () => {
    const { chart, b } = certManager(CertificateType.AUTO_GENERATED_SELFSIGNED);
    const objects = synthManifests(chart);
    for (const o of objects) expect(validateObject(o)).toEqual([]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Issuer/api-tls-selfsigned', 'Certificate/api-tls']);
    const cert = findObject(objects, 'Certificate', 'api-tls');
    expect(cert.spec).toMatchObject({
      secretName: 'api-tls',
      commonName: 'api.example.com',
      dnsNames: ['api.example.com', 'api.shop.svc'],
      ipAddresses: ['10.0.0.7'],
      duration: '2160h',
      renewBefore: '360h',
      privateKey: { algorithm: 'RSA', size: 3072, encoding: 'PKCS8', rotationPolicy: 'Always' },
      usages: ['server auth', 'digital signature', 'key encipherment'],
      issuerRef: { name: 'api-tls-selfsigned', kind: 'Issuer', group: 'cert-manager.io' },
    });
    expect(JSON.stringify(objects)).not.toContain('-----BEGIN');
    expect(b.secretName).toBe('api-tls');
    expect(b.caConfigMapName).toBeUndefined();
    expect(b.volume('/tls').secretName).toBe('api-tls');
    expect(() => b.certificatePem).toThrow('cert-manager writes it to Secret "api-tls" in the cluster');
    expect(objects).toMatchSnapshot();
  });

  test('CA: SelfSigned Issuer, root CA Certificate (isCA), CA Issuer and the leaf Certificate (snapshot)', () => {
    const { chart } = certManager(CertificateType.AUTO_GENERATED_CA);
    const objects = synthManifests(chart);
    for (const o of objects) expect(validateObject(o)).toEqual([]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Issuer/api-tls-selfsigned', 'Certificate/api-tls-ca', 'Issuer/api-tls-ca-issuer', 'Certificate/api-tls',
    ]);
    const root = findObject(objects, 'Certificate', 'api-tls-ca');
    expect(root.spec).toMatchObject({ isCA: true, secretName: 'api-tls-ca', issuerRef: { name: 'api-tls-selfsigned' } });
    expect(root.spec.usages).toEqual(['cert sign', 'crl sign', 'digital signature']);
    expect(findObject(objects, 'Issuer', 'api-tls-ca-issuer').spec).toEqual({ ca: { secretName: 'api-tls-ca' } });
    expect(findObject(objects, 'Certificate', 'api-tls').spec.issuerRef).toEqual({ name: 'api-tls-ca-issuer', kind: 'Issuer', group: 'cert-manager.io' });
    for (const o of objects) expect(o.metadata.namespace).toBe('shop');
    expect(JSON.stringify(objects)).not.toContain('-----BEGIN');
    expect(objects).toMatchSnapshot();
  });

  test('writes nothing to the certificate store', () => {
    const cwdStore = path.resolve('.deploykit', 'certs');
    const before = fs.existsSync(cwdStore) ? fs.readdirSync(cwdStore) : [];
    synthManifests(certManager(CertificateType.AUTO_GENERATED_CA).chart);
    expect(fs.existsSync(cwdStore) ? fs.readdirSync(cwdStore) : []).toEqual(before);
  });
});
