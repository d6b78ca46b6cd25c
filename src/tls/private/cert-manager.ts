import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyEncoding,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
} from '../../imports/certificates-cert-manager.io';
import { CertificateType } from '../certificate-types';
import { Issuer } from '../issuer';
import { isIpAddress } from './certificate-rules';

/*
 * The cert-manager alternative to generating key material at synth: Issuer and Certificate resources
 * (cert-manager.io/v1) that make cert-manager write the `kubernetes.io/tls` Secret in the cluster.
 *
 * - self-signed: Issuer `<name>-selfsigned` (selfSigned) and Certificate `<name>`;
 * - CA: Issuer `<name>-selfsigned`, root CA Certificate `<name>-ca` (isCA, Secret `<name>-ca`),
 *   Issuer `<name>-ca-issuer` (ca from Secret `<name>-ca`) and the leaf Certificate `<name>`.
 * cert-manager's CA issuer also puts the CA into the leaf Secret as `ca.crt`.
 */

/** Lifetime of a root CA issued by cert-manager, as a Go duration (ten years). @internal */
export const CERT_MANAGER_CA_DURATION = '87600h';

/** What the cert-manager resources say. @internal */
export interface CertManagerOptions {
  readonly name: string;
  readonly namespace?: string;
  readonly certType: CertificateType;
  readonly serverName: string;
  readonly sanNames: readonly string[];
  readonly keySize: number;
  readonly validityDays: number;
  readonly renewalWindowDays: number;
  readonly labels: Record<string, string>;
}

/** The names of the objects `emitCertManagerResources` creates. @internal */
export function certManagerNames(name: string, certType: CertificateType): string[] {
  const names = [`${name}-selfsigned`, name];
  return certType === CertificateType.AUTO_GENERATED_CA ? [...names, `${name}-ca`, `${name}-ca-issuer`] : names;
}

function nonEmpty(values: string[]): string[] | undefined {
  return values.length > 0 ? values : undefined;
}

function hours(days: number): string {
  return `${days * 24}h`;
}

/** Adds the Issuers and Certificates for one bundle to `scope`. @internal */
export function emitCertManagerResources(scope: Construct, o: CertManagerOptions): ApiObject {
  const meta = (name: string) => ({ name, namespace: o.namespace, labels: { ...o.labels } });
  const privateKey = {
    algorithm: CertificateSpecPrivateKeyAlgorithm.RSA,
    size: o.keySize,
    encoding: CertificateSpecPrivateKeyEncoding.PKCS8,
    rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
  };
  const selfSigned = new Issuer(scope, 'SelfSignedIssuer', { metadata: meta(`${o.name}-selfsigned`), spec: { selfSigned: {} } });
  let leafIssuer = selfSigned.name;

  if (o.certType === CertificateType.AUTO_GENERATED_CA) {
    const caName = `${o.name}-ca`;
    new Certificate(scope, 'RootCaCertificate', {
      metadata: meta(caName),
      spec: {
        isCa: true,
        commonName: `${o.serverName} root CA`.slice(0, 64),
        secretName: caName,
        duration: CERT_MANAGER_CA_DURATION,
        renewBefore: hours(o.renewalWindowDays),
        privateKey,
        usages: [CertificateSpecUsages.CERT_SIGN, CertificateSpecUsages.CRL_SIGN, CertificateSpecUsages.DIGITAL_SIGNATURE],
        issuerRef: { name: selfSigned.name, kind: 'Issuer', group: 'cert-manager.io' },
        secretTemplate: { labels: { ...o.labels } },
      },
    });
    const caIssuer = new Issuer(scope, 'CaIssuer', { metadata: meta(`${o.name}-ca-issuer`), spec: { ca: { secretName: caName } } });
    leafIssuer = caIssuer.name;
  }

  return new Certificate(scope, 'Certificate', {
    metadata: meta(o.name),
    spec: {
      secretName: o.name,
      commonName: o.serverName.slice(0, 64),
      dnsNames: nonEmpty(o.sanNames.filter((n) => !isIpAddress(n))),
      ipAddresses: nonEmpty(o.sanNames.filter((n) => isIpAddress(n))),
      duration: hours(o.validityDays),
      renewBefore: hours(o.renewalWindowDays),
      privateKey,
      usages: [CertificateSpecUsages.SERVER_AUTH, CertificateSpecUsages.DIGITAL_SIGNATURE, CertificateSpecUsages.KEY_ENCIPHERMENT],
      issuerRef: { name: leafIssuer, kind: 'Issuer', group: 'cert-manager.io' },
      secretTemplate: { labels: { ...o.labels } },
    },
  });
}
