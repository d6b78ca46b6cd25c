/**
 * Test certificates made independently of the code under test: Node generates the keys, node-forge
 * builds and signs the certificates with its own RSA implementation.
 */
import * as crypto from 'crypto';
import * as forge from 'node-forge';
import { ICertificateClock } from '../../src/tls/certificate-types';

export const NOW = new Date('2030-06-01T00:00:00Z');
export const DAY = 86_400_000;

export function clockAt(date: Date): ICertificateClock {
  return { now: () => date };
}

export function daysAfter(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY);
}

export function newKeyPem(bits = 2048): string {
  return crypto.generateKeyPairSync('rsa', {
    modulusLength: bits,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

export interface TestCertOptions {
  readonly keyPem: string;
  readonly commonName: string;
  readonly sans?: string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly isCa?: boolean;
  /** Signs with this CA instead of self-signing. */
  readonly issuer?: { certPem: string; keyPem: string };
}

export function newCertPem(o: TestCertOptions): string {
  const key = forge.pki.privateKeyFromPem(o.keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '0a' + crypto.randomBytes(8).toString('hex');
  cert.validity.notBefore = o.notBefore ?? daysAfter(NOW, -10);
  cert.validity.notAfter = o.notAfter ?? daysAfter(NOW, 355);
  const subject = [{ name: 'commonName', value: o.commonName }];
  cert.setSubject(subject);
  const issuer = o.issuer ? forge.pki.certificateFromPem(o.issuer.certPem) : undefined;
  cert.setIssuer(issuer ? issuer.subject.attributes : subject);
  const ext: any[] = [{ name: 'basicConstraints', cA: !!o.isCa }];
  if (o.sans) ext.push({ name: 'subjectAltName', altNames: o.sans.map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) });
  if (o.isCa) ext.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true });
  cert.setExtensions(ext);
  const signer = forge.pki.privateKeyFromPem(o.issuer ? o.issuer.keyPem : o.keyPem) as forge.pki.rsa.PrivateKey;
  cert.sign(signer, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export { synthError } from '../util/manifests';

/** The message lacks any sign of this key: the PEM label and every chunk of its body. */
export function expectNoKeyMaterial(message: string, keyPems: string[]): void {
  expect(message).not.toContain('PRIVATE KEY');
  for (const pem of keyPems) {
    const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    for (let i = 0; i + 24 <= body.length; i += 48) expect(message).not.toContain(body.slice(i, i + 24));
  }
}

export function parseCert(pem: string): forge.pki.Certificate {
  return forge.pki.certificateFromPem(pem);
}

/** SANs of a forge certificate: DNS names and IPs in order. */
export function sansOf(cert: forge.pki.Certificate): string[] {
  const ext = cert.getExtension('subjectAltName') as any;
  return (ext?.altNames ?? []).map((a: any) => (a.type === 7 ? a.ip : a.value));
}
