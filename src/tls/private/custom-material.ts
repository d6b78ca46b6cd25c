import {
  certificatePemText,
  coversHost,
  daysUntil,
  nameCovers,
  privateKeyPemText,
} from './certificate-rules';
import { canonicalPem, certificateFacts, CertificateFacts, isKeyPair, isSignedBy, parsePrivateKey, toPkcs8Pem } from './crypto';
import { Material } from './store';
import { Findings } from '../../core/findings';

/*
 * Checks of a custom (user-supplied) bundle. Every problem is a finding naming the field; key fields
 * are recorded redacted and certificate fields by a short description, never by their text.
 */

/** Input of the custom checks. @internal */
export interface CustomInput {
  readonly serverName: string;
  readonly sanNames?: readonly string[];
  readonly serverCert?: string;
  readonly serverKey?: string;
  readonly rootCa?: string;
  readonly now: Date;
  /** A certificate expiring within this many days gets a warning. */
  readonly warnDays: number;
  readonly passphrase?: string;
  readonly passphraseEnvVar: string;
}

/** Result of the custom checks: the material when all passed, and warnings. @internal */
export interface CustomResult {
  readonly material?: Material;
  readonly warnings: string[];
}

function describeCert(facts: CertificateFacts): string {
  return `certificate CN=${facts.subjectCommonName ?? '(none)'}, SANs [${facts.sanNames.join(', ')}], valid until ${facts.notAfter.toISOString()}`;
}

function parseCert(findings: Findings, field: string, pem: string): CertificateFacts | undefined {
  if (/PRIVATE KEY/.test(pem)) {
    findings.addRedacted(field, 'a PEM certificate, not a private key (never put key material into this field)');
    return undefined;
  }
  if (certificatePemText(pem) !== undefined) {
    findings.add(field, `text of ${pem.length} characters without a PEM certificate block`, certificatePemText(pem)!);
    return undefined;
  }
  try {
    return certificateFacts(pem);
  } catch {
    findings.add(field, 'a CERTIFICATE block that does not parse', 'a PEM-encoded X.509 certificate');
    return undefined;
  }
}

/** Runs all custom checks, recording findings; returns the material when everything passed. @internal */
export function checkCustomMaterial(findings: Findings, input: CustomInput): CustomResult {
  const warnings: string[] = [];
  const before = findings.all.length;
  if (input.serverCert === undefined) findings.add('serverCert', undefined, 'the server certificate (PEM) for a custom bundle');
  if (input.serverKey === undefined) findings.addRedacted('serverKey', 'the private key (PEM) of serverCert for a custom bundle');

  const cert = input.serverCert === undefined ? undefined : parseCert(findings, 'serverCert', input.serverCert);
  const ca = input.rootCa === undefined ? undefined : parseCert(findings, 'rootCa', input.rootCa);

  let keyPem: string | undefined;
  if (input.serverKey !== undefined) {
    if (privateKeyPemText(input.serverKey) !== undefined) {
      findings.addRedacted('serverKey', privateKeyPemText(input.serverKey)!);
    } else {
      try {
        const encrypted = /ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(input.serverKey);
        const key = parsePrivateKey(input.serverKey, encrypted ? input.passphrase : undefined);
        keyPem = encrypted ? toPkcs8Pem(key) : canonicalPem(input.serverKey);
        if (cert && !isKeyPair(input.serverCert!, key)) {
          findings.addRedacted('serverKey', 'the private key that belongs to serverCert (the key and the certificate are not a pair)');
        }
      } catch (e) {
        const why = (e as Error).message;
        findings.addRedacted('serverKey', why.includes('passphrase')
          ? `an encrypted key that $${input.passphraseEnvVar} decrypts (${why})`
          : 'a PEM private key that parses (PKCS#8, PKCS#1 or encrypted PKCS#8)');
      }
    }
  }

  if (cert) {
    const left = daysUntil(cert.notAfter, input.now);
    if (left <= 0) {
      findings.add('serverCert', describeCert(cert), `a certificate that has not expired (it expired on ${cert.notAfter.toISOString()})`);
    } else if (left <= input.warnDays) {
      warnings.push(`serverCert expires in ${Math.floor(left)} days (${cert.notAfter.toISOString()}); renew it`);
    }
    findings.check('serverCert', cert.sanNames, coversHost(input.serverName));
    for (const name of input.sanNames ?? []) {
      if (!cert.sanNames.some((n) => nameCovers(n, name))) {
        findings.add('sanNames', name, `a name the certificate covers (its SANs are [${cert.sanNames.join(', ')}])`);
      }
    }
  }
  if (ca && !ca.isCa) findings.add('rootCa', describeCert(ca), 'a CA certificate (basicConstraints CA:true)');
  if (cert && ca && !isSignedBy(input.serverCert!, input.rootCa!)) {
    findings.add('rootCa', describeCert(ca), 'the CA that issued and signed serverCert (the chain does not verify)');
  }

  if (findings.all.length > before || keyPem === undefined) return { warnings };
  return {
    warnings,
    material: {
      certPem: canonicalPem(input.serverCert!),
      keyPem,
      caCertPem: input.rootCa === undefined ? undefined : canonicalPem(input.rootCa),
    },
  };
}
