import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PEM_PRIVATE_KEY } from '../../core/secrets';

/*
 * The sealed-secrets controller's certificate: read once per text, checked the way kubeseal would
 * use it (an X.509 certificate holding an RSA public key, not expired). Only the public key and a
 * fingerprint of the certificate are kept.
 */

/** A usable controller certificate. @internal */
export interface ControllerCertificate {
  /** The RSA public key values are sealed with. */
  readonly publicKey: crypto.KeyObject;
  /** SHA-256 of the certificate (DER), hex: part of what a stored ciphertext was sealed for. */
  readonly fingerprint: string;
}

/** One problem with the certificate: which field, the value to show (never the PEM text) and what was expected. @internal */
export interface CertificateProblem {
  readonly field: string;
  readonly value: unknown;
  /** Show nothing of the value: it held a private key. */
  readonly redacted?: boolean;
  readonly expected: string;
}

/** The certificate, or the problems that keep it from being used. @internal */
export interface CertificateResult {
  readonly certificate?: ControllerCertificate;
  readonly problems: CertificateProblem[];
}

const FETCH = 'kubeseal --fetch-cert > controller.crt';
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const parsed = new Map<string, { certificate?: ControllerCertificate; keyType?: string; validTo?: Date; malformed?: boolean }>();

/** Parses a PEM text once (the same certificate usually seals many Secrets). */
function parse(text: string) {
  let entry = parsed.get(text);
  if (entry) return entry;
  const block = PEM_CERTIFICATE.exec(text)?.[0];
  try {
    if (!block) throw new Error('no certificate block');
    const x509 = new crypto.X509Certificate(block);
    const keyType = x509.publicKey.asymmetricKeyType;
    entry = {
      keyType,
      validTo: new Date(x509.validTo),
      certificate: keyType === 'rsa' ? { publicKey: x509.publicKey, fingerprint: crypto.createHash('sha256').update(x509.raw).digest('hex') } : undefined,
    };
  } catch {
    entry = { malformed: true };
  }
  parsed.set(text, entry);
  return entry;
}

/**
 * Reads and checks the controller certificate given as `certificate` (PEM text) or
 * `certificateFile`; `prefix` is the field path of the sealing options ("delivery.sealing").
 */
export function controllerCertificate(
  prefix: string, certificate: string | undefined, certificateFile: string | undefined, now: Date,
): CertificateResult {
  const field = (f: string) => `${prefix}.${f}`;
  if (certificate !== undefined && certificateFile !== undefined) {
    return { problems: [{ field: field('certificateFile'), value: certificateFile, expected: 'nothing when certificate is given: one source of the controller certificate' }] };
  }
  let text = certificate;
  let at = field('certificate');
  let shown = '(a certificate)';
  if (certificateFile !== undefined) {
    at = field('certificateFile');
    shown = certificateFile;
    try {
      text = fs.readFileSync(path.resolve(certificateFile), 'utf8');
    } catch {
      return { problems: [{ field: at, value: shown, expected: `a readable file holding the sealed-secrets controller's certificate (PEM; ${FETCH})` }] };
    }
  }
  if (text === undefined) {
    return { problems: [{ field: at, value: undefined, expected: `the sealed-secrets controller's certificate: certificate (PEM text) or certificateFile (${FETCH})` }] };
  }
  if (PEM_PRIVATE_KEY.test(text)) {
    return { problems: [{ field: at, value: undefined, redacted: true, expected: 'the controller\'s certificate only: this holds a private key, which never belongs in the manifests or their sources' }] };
  }
  const entry = parse(text);
  if (entry.malformed) {
    return { problems: [{ field: at, value: shown, expected: `a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----), as ${FETCH} writes it` }] };
  }
  if (!entry.certificate) {
    return { problems: [{ field: at, value: shown, expected: `a certificate of an RSA public key, as the sealed-secrets controller's is (this one holds a key of type ${entry.keyType})` }] };
  }
  if (entry.validTo!.getTime() < now.getTime()) {
    return {
      problems: [{
        field: at,
        value: shown,
        expected: `a certificate valid now (this one expired on ${entry.validTo!.toISOString().slice(0, 10)}); fetch the controller's current one: ${FETCH}`,
      }],
    };
  }
  return { certificate: entry.certificate, problems: [] };
}
