import { includesName } from '../../src/core/rules/names';
import { certificatePemText, coversHost, daysUntil, nameCovers, pemLabels, privateKeyPemText, rsaKeySize, subjectAltName, validityDays } from '../../src/tls/private/certificate-rules';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUAAAA\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n-----END PRIVATE KEY-----\n';

describe('certificate rules', () => {
  test('rsaKeySize rejects other sizes, accepts 2048/3072/4096', () => {
    for (const bad of [1024, 2047, 8192, 2048.5]) expect(rsaKeySize(bad)).toBe('an RSA key size of 2048, 3072 or 4096 bits');
    for (const ok of [2048, 3072, 4096]) expect(rsaKeySize(ok)).toBeUndefined();
  });

  test('validityDays rejects 0, fractions and more than ten years', () => {
    for (const bad of [0, -1, 1.5, 3651]) expect(validityDays(bad)).toBe('a whole number of days from 1 to 3650');
    for (const ok of [1, 365, 3650]) expect(validityDays(ok)).toBeUndefined();
  });

  test('subjectAltName rejects non-names, accepts host names, wildcards and IPs', () => {
    for (const bad of ['', 'not a name', 'API.example.com', 'http://x.example.com', 'a..b', '*.*.example.com']) {
      expect(subjectAltName(bad)).toContain('a DNS host name');
    }
    for (const ok of ['api.example.com', '*.example.com', 'localhost', 'rccremote', '10.0.0.1', '::1', 'fd00::1']) expect(subjectAltName(ok)).toBeUndefined();
  });

  test('includesName and coversHost reject lists without the server name', () => {
    expect(includesName('api.example.com')(['www.example.com'])).toBe('a list of names that includes the server name "api.example.com"');
    expect(includesName('api.example.com')(['*.example.com'])).toBeDefined();
    expect(includesName('api.example.com')(['API.example.com'])).toBeUndefined();
    expect(coversHost('api.example.com')(['www.example.com', '*.other.com'])).toBeDefined();
    expect(coversHost('api.example.com')(['*.example.com'])).toBeUndefined();
  });

  test('nameCovers: a wildcard stands for exactly one label', () => {
    expect(nameCovers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(nameCovers('*.example.com', 'example.com')).toBe(false);
    expect(nameCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(nameCovers('a.example.com', 'A.EXAMPLE.COM')).toBe(true);
  });

  test('PEM text rules reject non-PEM and the wrong block, without echoing the input', () => {
    expect(certificatePemText('hello')).toBe('a PEM certificate ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----")');
    expect(certificatePemText(KEY)).toBeDefined();
    expect(certificatePemText(CERT)).toBeUndefined();
    expect(privateKeyPemText(CERT)).toBe('one PEM private key block (PKCS#8, PKCS#1, SEC1 or encrypted PKCS#8)');
    expect(privateKeyPemText(KEY + KEY)).toBeDefined();
    expect(privateKeyPemText(KEY)).toBeUndefined();
    expect(privateKeyPemText('MIIEvQIBADANBgkqhkiG9w0B')).not.toContain('MIIE');
    expect(pemLabels(CERT + KEY)).toEqual(['CERTIFICATE', 'PRIVATE KEY']);
  });

  test('daysUntil is negative once the date has passed', () => {
    const now = new Date('2030-01-10T00:00:00Z');
    expect(daysUntil(new Date('2030-01-09T00:00:00Z'), now)).toBe(-1);
    expect(daysUntil(new Date('2030-01-20T12:00:00Z'), now)).toBe(10.5);
  });
});
