/** How a Secret's values reach the cluster. */
export enum SecretDeliveryMode {
  /**
   * A `v1 Secret` holding the values (base64 is no encryption): for output that never leaves the
   * machine that applies it.
   */
  PLAIN = 'plain',
  /**
   * No object at all: the Secret is created outside the manifests (`kubectl create secret`, an
   * operator) and referenced by name.
   */
  OUT_OF_BAND = 'out-of-band',
  /**
   * A Bitnami `SealedSecret` (bitnami.com/v1alpha1): each value encrypted at synth to the
   * sealed-secrets controller's certificate; only the controller in the cluster can decrypt it, so
   * the output may be committed.
   */
  SEALED = 'sealed',
  /**
   * An External Secrets Operator `ExternalSecret` (external-secrets.io/v1): the values stay in a
   * secret store (Vault, a cloud secret manager...) the operator reads; the manifests hold only the
   * reference.
   */
  EXTERNAL = 'external',
}

/** Where a SealedSecret may be decrypted (the sealed-secrets controller's scopes). */
export enum SealingScope {
  /** Only as a Secret of the same name in the same namespace (the controller's default). */
  STRICT = 'strict',
  /** As a Secret of any name in the same namespace. */
  NAMESPACE_WIDE = 'namespace-wide',
  /** As a Secret of any name in any namespace. */
  CLUSTER_WIDE = 'cluster-wide',
}

/** The kind of store an ExternalSecret reads. */
export enum SecretStoreKind {
  /** A `SecretStore` in the Secret's namespace. */
  SECRET_STORE = 'SecretStore',
  /** A cluster-wide `ClusterSecretStore`. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/** How values are sealed for the sealed-secrets controller. */
export interface SealingOptions {
  /**
   * The controller's certificate, PEM, as `kubeseal --fetch-cert` prints it (public, safe to
   * commit). Give this or `certificateFile`.
   * @default - read from `certificateFile`
   */
  readonly certificate?: string;
  /**
   * A file holding the controller's certificate (PEM), relative to the working directory or
   * absolute. Give this or `certificate`.
   * @default - `certificate`
   */
  readonly certificateFile?: string;
  /**
   * Where the SealedSecret may be decrypted. Strict and namespace-wide need the Secret's namespace
   * (its own or the chart's).
   * @default SealingScope.STRICT
   */
  readonly scope?: SealingScope;
  /**
   * Folder that keeps what was sealed between synths (per key a keyed digest and the ciphertext,
   * never a value), so an unchanged value keeps its ciphertext. Keep it with the certificate store,
   * out of version control.
   * @default ".deploykit/sealed"
   */
  readonly storeDirectory?: string;
  /**
   * Environment variable whose passphrase keys the digests in the store; without it a random key
   * kept beside them (file mode 0600) does.
   * @default "DEPLOYKIT_CERT_PASSPHRASE"
   */
  readonly passphraseEnvVar?: string;
}

/** Where one key of an ExternalSecret comes from. */
export interface ExternalSecretKey {
  /** The key in the Kubernetes Secret, such as "DATABASE_PASSWORD". */
  readonly secretKey: string;
  /**
   * The secret in the store (a Vault path, an AWS secret name...).
   * @default - the `remoteKey` of the ExternalSecretOptions
   */
  readonly remoteKey?: string;
  /**
   * The property of that secret (a field of a JSON secret or of a Vault KV entry).
   * @default - the `secretKey`
   */
  readonly property?: string;
}

/** How an ExternalSecret reads the values from a secret store. */
export interface ExternalSecretOptions {
  /**
   * Name of the SecretStore or ClusterSecretStore (installed with the External Secrets Operator).
   * Required, here or in a `SecretDelivery` default.
   * @default - the SecretDelivery default's
   */
  readonly storeName?: string;
  /**
   * The kind of store.
   * @default SecretStoreKind.SECRET_STORE
   */
  readonly storeKind?: SecretStoreKind;
  /**
   * The secret in the store every key reads unless its mapping names another.
   * @default - the Secret's name
   */
  readonly remoteKey?: string;
  /**
   * Per key: the remote key and property it reads.
   * @default - each key reads the property of its own name from `remoteKey`
   */
  readonly keys?: ExternalSecretKey[];
  /**
   * How often the operator reads the store again, a Go duration such as "1h" or "15m" ("0s": once).
   * @default "1h"
   */
  readonly refreshInterval?: string;
}

/**
 * How a Secret is delivered: a plain Secret, out of band, sealed or external. Set it on a
 * `SecretConfiguration` or `CertificateBundle` (`delivery`), or once for a chart or app with a
 * `SecretDelivery`; an entity's own options override the default field by field.
 */
export interface SecretDeliveryOptions {
  /**
   * The delivery mode.
   * @default - the SecretDelivery default's mode, else SecretDeliveryMode.PLAIN
   */
  readonly mode?: SecretDeliveryMode;
  /**
   * Sealing options (SEALED).
   * @default - the SecretDelivery default's
   */
  readonly sealing?: SealingOptions;
  /**
   * External store options (EXTERNAL).
   * @default - the SecretDelivery default's
   */
  readonly external?: ExternalSecretOptions;
}
