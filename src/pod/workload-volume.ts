/**
 * A volume mounted into a workload's containers. Set exactly one source: `secretName`,
 * `configMapName`, `claimName` or `emptyDir`.
 *
 * Entities that own data (SecretConfiguration, ConfigMapConfiguration, PersistentStorage,
 * CertificateBundle) hand out one of these; `DeploymentManifest` mounts it.
 */
export interface WorkloadVolume {
  /** Volume name in the pod spec (DNS-1123 label). */
  readonly name: string;
  /** Where the volume appears in every container (absolute path). */
  readonly mountPath: string;
  /**
   * Mount read-only.
   * @default - true for secrets and config maps, false otherwise
   */
  readonly readOnly?: boolean;
  /** Source: a Secret of this name. */
  readonly secretName?: string;
  /** Source: a ConfigMap of this name. */
  readonly configMapName?: string;
  /** Source: a PersistentVolumeClaim of this name. */
  readonly claimName?: string;
  /** Source: an emptyDir scratch volume (lost when the pod goes). */
  readonly emptyDir?: boolean;
  /**
   * Size limit of an emptyDir volume, such as "64Mi".
   * @default - no limit
   */
  readonly sizeLimit?: string;
}
