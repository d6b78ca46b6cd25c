import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { singleWriterMode } from '../core/conventions';
import { Findings } from '../core/findings';
import { objectLabels, checkObjectLabels, ObjectLabelProps } from '../core/labels';
import { dns1123Label, dns1123Subdomain } from '../core/rules/names';
import { byteQuantity, compareQuantities } from '../core/rules/quantity';
import { absolutePath } from '../core/rules/urls';
import { checkProps } from '../core/validation';
import { volumeNameForObject } from '../pod/volumes';
import { WorkloadVolume } from '../pod/workload-volume';

/** How a volume may be mounted (PersistentVolumeClaim `accessModes`). */
export enum AccessMode {
  /** Read-write by the pods of one node. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Read-only by many nodes. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Read-write by many nodes (needs a storage class that supports it, such as NFS or CephFS). */
  READ_WRITE_MANY = 'ReadWriteMany',
  /** Read-write by a single pod. */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
}

/** Props of a PersistentStorage (seed 003 PersistentVolumeClaim). */
export interface PersistentStorageProps extends ObjectLabelProps {
  /** The PersistentVolumeClaim name (DNS-1123 subdomain), such as "rescan-data-pvc". */
  readonly name: string;
  /**
   * Namespace of the claim.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * How the volume may be mounted.
   * @default AccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: AccessMode;
  /** Requested size, a byte quantity such as "1Gi". */
  readonly size: string;
  /**
   * The smallest acceptable `size`, a byte quantity such as "500Mi".
   * @default - no minimum
   */
  readonly minimumSize?: string;
  /**
   * StorageClass of the claim, such as "local-path".
   * @default - the cluster's default StorageClass (`storageClassName` omitted)
   */
  readonly storageClass?: string;
  /** Where the volume is mounted in the workload's containers (absolute path), such as "/app/data". */
  readonly mountPath: string;
}

/**
 * Persistent storage as a PersistentVolumeClaim (seed 003 `rescan-data-pvc`), mounted by a workload
 * through `volume()`.
 *
 * Rules (each a synth finding): a valid name, namespace and StorageClass name, a byte-quantity size
 * of at least `minimumSize`, and an absolute mount path. Whether the access mode suits the workload's
 * replica count is checked by `DeploymentManifest` with `PersistentStorage.isSingleWriter`.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, PersistentStorage } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * // A ReadWriteOnce claim mounted at /app/data: the Deployment keeps one replica.
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 *   replicaCount: 1,
 *   storage: [new PersistentStorage(chart, 'api-data', { name: 'api-data', size: '1Gi', mountPath: '/app/data' })],
 * });
 * app.synth();
 */
export class PersistentStorage extends Construct {
  /**
   * Whether volumes of this access mode can be written by one node or pod only
   * (ReadWriteOnce, ReadWriteOncePod): a Deployment with more than one replica cannot share them.
   */
  public static isSingleWriter(accessMode: AccessMode): boolean {
    return singleWriterMode([accessMode]) !== undefined;
  }

  /** The PersistentVolumeClaim name. */
  public readonly claimName: string;
  /** The access mode. */
  public readonly accessMode: AccessMode;
  /** Where the volume is mounted. */
  public readonly mountPath: string;
  /** The requested size. */
  public readonly size: string;
  /** The PersistentVolumeClaim object (an escape hatch). */
  public readonly apiObject: k8s.KubePersistentVolumeClaim;

  constructor(scope: Construct, id: string, props: PersistentStorageProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'PersistentStorageProps', props);
    this.claimName = props.name;
    this.accessMode = props.accessMode ?? AccessMode.READ_WRITE_ONCE;
    this.mountPath = props.mountPath;
    this.size = props.size;

    findings.check('name', props.name, dns1123Subdomain);
    findings.check('namespace', props.namespace, dns1123Label);
    findings.check('storageClass', props.storageClass, dns1123Subdomain);
    if (props.mountPath === undefined) findings.add('mountPath', undefined, 'an absolute path such as "/app/data"');
    findings.check('mountPath', props.mountPath, absolutePath);
    if (props.mountPath === '/') findings.add('mountPath', props.mountPath, 'a folder below "/", such as "/app/data"');
    checkObjectLabels(findings, props, props.name);

    if (props.size === undefined) findings.add('size', undefined, 'a byte quantity such as "1Gi"');
    const sizeOk = findings.check('size', props.size, byteQuantity);
    const minimumOk = findings.check('minimumSize', props.minimumSize, byteQuantity);
    if (sizeOk && minimumOk && props.size !== undefined && props.minimumSize !== undefined
      && compareQuantities(props.size, props.minimumSize) < 0) {
      findings.add('size', props.size, `at least ${JSON.stringify(props.minimumSize)} (minimumSize)`);
    }
    this.apiObject = new k8s.KubePersistentVolumeClaim(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: {
          ...objectLabels(props.name ?? '', props),
        },
      },
      spec: {
        accessModes: [this.accessMode],
        storageClassName: props.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(props.size ?? '') } },
      },
    });
  }

  /** The claim as a volume mounted at `mountPath` (read-only for READ_ONLY_MANY). */
  public volume(): WorkloadVolume {
    return {
      name: volumeNameForObject(this.claimName ?? ''),
      mountPath: this.mountPath,
      readOnly: this.accessMode === AccessMode.READ_ONLY_MANY,
      claimName: this.claimName,
    };
  }
}
