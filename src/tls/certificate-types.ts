/** Where a CertificateBundle's certificate comes from (seed Certificate Bundle `cert_type`). */
export enum CertificateType {
  /** You supply `serverCert`, `serverKey` and optionally `rootCa` (PEM). */
  CUSTOM = 'custom',
  /** A self-signed server certificate (CA:false, serverAuth) is generated. */
  AUTO_GENERATED_SELFSIGNED = 'auto-generated-selfsigned',
  /** A root CA and a server certificate signed by it are generated; the CA is published as `ca.crt`. */
  AUTO_GENERATED_CA = 'auto-generated-ca',
}

/** Who produces the key material of a generated bundle. */
export enum CertificateProvider {
  /**
   * cdk8s-deploykit generates keys and certificates at synth time (node-forge + Node crypto) and
   * writes them into a `kubernetes.io/tls` Secret; the material is kept in the certificate store so
   * that the next synth reproduces the same Secret.
   */
  GENERATED_AT_SYNTH = 'generated-at-synth',
  /**
   * cert-manager issues the certificate in the cluster: the bundle emits Issuer and Certificate
   * resources (cert-manager.io/v1) and no key material at all.
   */
  CERT_MANAGER = 'cert-manager',
}

/** The source of "now" for expiry checks, validity dates and renewal. Inject one in tests. */
export interface ICertificateClock {
  /** The current time. */
  now(): Date;
}

/** Where and how generated key material is kept between synths. */
export interface CertificateStoreOptions {
  /**
   * Folder of the store, relative to the current working directory (or absolute).
   * Keep it out of version control (the default is in the project's .gitignore).
   * @default ".deploykit/certs"
   */
  readonly directory?: string;
  /**
   * Environment variable that holds the passphrase the store encrypts private keys with
   * (PKCS#8, AES-256-CBC). Without it, development and staging keep keys unencrypted in files of
   * mode 0600 (with one warning); production refuses to generate.
   * @default "DEPLOYKIT_CERT_PASSPHRASE"
   */
  readonly passphraseEnvVar?: string;
  /**
   * A stored certificate that expires within this many days is regenerated at the next synth;
   * a custom certificate that expires within it gets a warning.
   * @default 30
   */
  readonly renewalWindowDays?: number;
  /**
   * Source of the current time.
   * @default - the system clock
   */
  readonly clock?: ICertificateClock;
}

/**
 * The PEM files a CertificateBundle wrote (`writeFiles`): for docker-compose (read-only compose
 * secrets), `kubectl create secret tls` or `helm install --set-file`. Paths are as the folder was given.
 */
export interface CertificateFiles {
  /** The folder holding the files: `<directory>/<secretName>`. */
  readonly directory: string;
  /** The server certificate (and any intermediates), `tls.crt`. */
  readonly certificateFile: string;
  /** The unencrypted private key, `tls.key`, file mode 0600. */
  readonly keyFile: string;
  /** The CA certificate, `ca.crt`, when the bundle has a CA. */
  readonly caFile?: string;
  /**
   * The command that creates the bundle's Secret from the files:
   * `kubectl --namespace <ns> create secret tls <secretName> --cert=<tls.crt> --key=<tls.key>`.
   */
  readonly createSecretCommand: string;
}
