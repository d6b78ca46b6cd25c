import { CertificateProvider, CertificateStoreOptions, CertificateType } from './certificate-types';
import { Environment } from '../core/environment';
import { SecretDeliveryOptions } from '../delivery/delivery-types';

/** Props of a CertificateBundle (seed Certificate Bundle). */
export interface CertificateBundleProps {
  /** The DNS host name the server answers to, such as "api.example.com"; the certificate's subject CN. */
  readonly serverName: string;
  /** Where the certificate comes from (seed `cert_type`). */
  readonly certType: CertificateType;
  /**
   * Subject alternative names: DNS host names and IP addresses. Must include `serverName`.
   * @default - [serverName]
   */
  readonly sanNames?: string[];
  /**
   * Lifetime of a generated certificate, in days (1-3650).
   * @default 365
   */
  readonly validityDays?: number;
  /**
   * RSA key size of generated keys: 2048, 3072 or 4096.
   * @default 2048
   */
  readonly keySize?: number;
  /** The server certificate, PEM (custom bundles only); may be followed by intermediate certificates. */
  readonly serverCert?: string;
  /**
   * The server certificate's private key, PEM (custom bundles only). An `ENCRYPTED PRIVATE KEY` is
   * decrypted with the passphrase from `store.passphraseEnvVar`.
   */
  readonly serverKey?: string;
  /**
   * The root CA that issued `serverCert`, PEM (custom bundles only); published as `ca.crt`.
   * @default - no CA
   */
  readonly rootCa?: string;
  /**
   * Who produces generated key material.
   * @default CertificateProvider.GENERATED_AT_SYNTH
   */
  readonly provider?: CertificateProvider;
  /**
   * Name of the TLS Secret (DNS-1123 subdomain); also the prefix of related objects.
   * @default - "<id>-tls"
   */
  readonly name?: string;
  /**
   * Namespace of the objects.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Where generated key material is kept between synths.
   * @default - ".deploykit/certs", passphrase from DEPLOYKIT_CERT_PASSPHRASE, 30 days renewal window
   */
  readonly store?: CertificateStoreOptions;
  /**
   * The environment; production (the default, as for every entity) refuses to keep generated keys
   * unencrypted: set the store's passphrase, or Environment.DEVELOPMENT for a local, 0600 key file.
   * @default Environment.PRODUCTION
   */
  readonly environment?: Environment;
  /**
   * Extra labels for every object.
   * @default - the standard app.kubernetes.io labels only
   */
  readonly labels?: { [key: string]: string };
  /**
   * How the TLS Secret (the key pair) reaches the cluster: a plain Secret, out of band (no Secret:
   * create it from `writeFiles()`), sealed (a SealedSecret only the cluster's sealed-secrets
   * controller decrypts) or external (an ExternalSecret reading `tls.crt`, `tls.key` and `ca.crt`
   * from a secret store). Fields not set here come from the nearest `SecretDelivery`. Not used with
   * CertificateProvider.CERT_MANAGER, which writes the Secret in the cluster.
   * @default - the nearest SecretDelivery's, else SecretDeliveryMode.PLAIN
   */
  readonly delivery?: SecretDeliveryOptions;
}
