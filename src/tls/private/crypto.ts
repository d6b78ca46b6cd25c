import * as crypto from 'crypto';
import * as forge from 'node-forge';
import { isIpAddress } from './certificate-rules';

/*
 * Key generation and certificate issuing.
 *
 * Keys come from Node's native RSA generator (OpenSSL; the async form runs on the libuv thread pool,
 * so many keys are generated concurrently). node-forge builds the X.509 structure; the signature is
 * computed by Node as well (RSASSA-PKCS1-v1_5 over forge's DigestInfo): measured on a 2048-bit key,
 * forge's pure-JS signing takes ~33 ms per certificate against ~0.4 ms native.
 */

const A = forge.asn1;

/** A new RSA private key (unencrypted PKCS#8 PEM), generated synchronously. @internal */
export function generateRsaKeySync(bits: number): string {
  return crypto.generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

/** A new RSA private key (unencrypted PKCS#8 PEM), generated on the thread pool. @internal */
export function generateRsaKey(bits: number): Promise<string> {
  return new Promise((resolve, reject) => {
    crypto.generateKeyPair('rsa', {
      modulusLength: bits,
      publicExponent: 0x10001,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }, (err, _publicKey, privateKey) => {
      if (err) reject(err);
      else resolve(privateKey);
    });
  });
}

/** A forge signer whose RSA operation is done by Node (same bytes as forge's RSASSA-PKCS1-v1_5). */
function nativeSigner(keyPem: string): forge.pki.rsa.PrivateKey {
  const key = crypto.createPrivateKey(keyPem);
  const sign = (md: forge.md.MessageDigest): string => {
    const digestInfo = A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, [
      A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, [
        A.create(A.Class.UNIVERSAL, A.Type.OID, false, A.oidToDer(forge.pki.oids.sha256).getBytes()),
        A.create(A.Class.UNIVERSAL, A.Type.NULL, false, ''),
      ]),
      A.create(A.Class.UNIVERSAL, A.Type.OCTETSTRING, false, md.digest().getBytes()),
    ]);
    const der = Buffer.from(A.toDer(digestInfo).getBytes(), 'binary');
    return crypto.privateEncrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, der).toString('binary');
  };
  return { sign } as unknown as forge.pki.rsa.PrivateKey;
}

function publicKeyOf(keyPem: string): forge.pki.PublicKey {
  const spki = crypto.createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString();
  return forge.pki.publicKeyFromPem(spki);
}

/** A positive random serial number of 128 bits, DER-minimal (first byte 0x01-0x7f). */
function randomSerial(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] = bytes[0] % 0x80 || 0x01;
  return bytes.toString('hex');
}

function toPem(cert: forge.pki.Certificate): string {
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

/** Validity window of a new certificate. @internal */
export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** A CA that signs a leaf: its certificate and private key (PEM). @internal */
export interface SigningCa {
  readonly certPem: string;
  readonly keyPem: string;
}

/** What a server certificate says. @internal */
export interface LeafRequest {
  readonly serverName: string;
  readonly sanNames: readonly string[];
  readonly validity: Validity;
  /** The leaf's own private key (PEM). */
  readonly keyPem: string;
}

/**
 * Issues a server certificate: subject CN=serverName, the SANs as DNS and IP entries,
 * basicConstraints CA:false, keyUsage digitalSignature+keyEncipherment, extKeyUsage serverAuth.
 * Self-signed without `ca`. @internal
 */
export function issueServerCertificate(req: LeafRequest, ca?: SigningCa): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOf(req.keyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = req.validity.notBefore;
  cert.validity.notAfter = req.validity.notAfter;
  const subject = [{ name: 'commonName', value: req.serverName.slice(0, 64) }];
  cert.setSubject(subject);
  const caCert = ca ? forge.pki.certificateFromPem(ca.certPem) : undefined;
  cert.setIssuer(caCert ? caCert.subject.attributes : subject);
  const altNames = req.sanNames.map((n) => (isIpAddress(n) ? { type: 7, ip: n } : { type: 2, value: n }));
  const extensions: any[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
    { name: 'subjectKeyIdentifier' },
  ];
  if (caCert) {
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() });
  }
  cert.setExtensions(extensions);
  cert.sign(nativeSigner(ca ? ca.keyPem : req.keyPem), forge.md.sha256.create());
  return toPem(cert);
}

/**
 * Issues a self-signed root CA: basicConstraints CA:true (pathLen 0), keyUsage keyCertSign+cRLSign. @internal
 */
export function issueRootCa(commonName: string, validity: Validity, keyPem: string): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOf(keyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = validity.notBefore;
  cert.validity.notAfter = validity.notAfter;
  const subject = [
    { name: 'commonName', value: commonName.slice(0, 64) },
    { name: 'organizationName', value: 'cdk8s-deploykit' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(nativeSigner(keyPem), forge.md.sha256.create());
  return toPem(cert);
}

/** What a certificate says, as far as bundles care. @internal */
export interface CertificateFacts {
  readonly subjectCommonName?: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DNS names and IP addresses from subjectAltName, in order. */
  readonly sanNames: string[];
  readonly isCa: boolean;
}

/** Reads the facts of the first certificate in a PEM text; throws on anything that is not one. @internal */
export function certificateFacts(pem: string): CertificateFacts {
  const x509 = new crypto.X509Certificate(pem);
  const sanNames = (x509.subjectAltName ?? '')
    .split(', ')
    .filter((s) => s.length > 0)
    .map((s) => s.replace(/^DNS:/, '').replace(/^IP Address:/, ''))
    .map(normaliseIp);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1];
  return {
    subjectCommonName: cn,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    sanNames,
    isCa: x509.ca,
  };
}

/** OpenSSL prints IPv6 SANs expanded ("0:0:0:0:0:0:0:1"); give the compressed form ("::1"). */
function normaliseIp(value: string): string {
  if (!value.includes(':')) return value;
  try {
    return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  } catch {
    return value;
  }
}

/** Parses a private key (PEM, optionally encrypted); throws a message without key material. @internal */
export function parsePrivateKey(pem: string, passphrase?: string): crypto.KeyObject {
  try {
    return crypto.createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch {
    if (/ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(pem)) {
      throw new Error(passphrase === undefined ? 'the key is encrypted and no passphrase is set' : 'the passphrase does not decrypt the key');
    }
    throw new Error('not a readable PEM private key');
  }
}

/** The key as unencrypted PKCS#8 PEM (the form the Secret carries). @internal */
export function toPkcs8Pem(key: crypto.KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Whether the certificate's public key belongs to `key`. @internal */
export function isKeyPair(certPem: string, key: crypto.KeyObject): boolean {
  try {
    return new crypto.X509Certificate(certPem).checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** Whether `certPem` was issued and signed by `caPem` (issuer name and signature). @internal */
export function isSignedBy(certPem: string, caPem: string): boolean {
  try {
    const cert = new crypto.X509Certificate(certPem);
    const ca = new crypto.X509Certificate(caPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** The certificate (PEM) re-encoded in one canonical form: "\n" line ends, one trailing newline. @internal */
export function canonicalPem(pem: string): string {
  return `${pem.replace(/\r\n/g, '\n').trim()}\n`;
}
