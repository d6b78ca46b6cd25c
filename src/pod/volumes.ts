import { k8s } from 'cdk8s-plus-28';
import { WorkloadVolume } from './workload-volume';
import { Findings } from '../core/findings';
import { dns1123Label } from '../core/rules/names';
import { byteQuantity } from '../core/rules/quantity';
import { absolutePath } from '../core/rules/urls';
import { duplicates } from '../core/text';

/** Pod volumes and the matching container mounts. @internal */
export interface PodVolumes {
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
}

/**
 * A volume of the pod and where its problems are reported: `volumes[2]` for one listed in the
 * `volumes` prop (its name, mount path, size and source are checked there); the prop its mount path
 * came from (`certificateMountPath`); or nowhere for the volume of an entity (a PersistentStorage, a
 * ConfigMapConfiguration), which checks its own.
 * @internal
 */
export interface PodVolumeEntry {
  readonly volume: WorkloadVolume;
  readonly field?: string;
  /** True for a volume of the `volumes` prop. */
  readonly listed?: boolean;
}

/** The entries of a `volumes` prop, each named by its own index. @internal */
export function listedVolumes(field: string, volumes: readonly WorkloadVolume[] | undefined): PodVolumeEntry[] {
  return (volumes ?? []).map((volume, i) => ({ volume, field: `${field}[${i}]`, listed: true }));
}

/**
 * Turns WorkloadVolumes into pod volumes and mounts, recording a finding for each volume that
 * names no source or several, and for names or mount paths used twice (under `field`).
 * @internal
 */
export function buildPodVolumes(findings: Findings, field: string, entries: readonly PodVolumeEntry[]): PodVolumes {
  const volumes: k8s.Volume[] = [];
  const mounts: k8s.VolumeMount[] = [];
  for (const { volume: v, field: at, listed } of entries) {
    if (listed) {
      findings.check(`${at}.name`, v.name, dns1123Label);
      findings.check(`${at}.mountPath`, v.mountPath, absolutePath);
      findings.check(`${at}.sizeLimit`, v.sizeLimit, byteQuantity);
      const sources = [v.secretName, v.configMapName, v.claimName, v.emptyDir ? 'emptyDir' : undefined].filter((s) => s !== undefined);
      if (sources.length !== 1) {
        findings.add(`${at}`, v.name, 'exactly one source: secretName, configMapName, claimName or emptyDir');
      }
    } else if (at !== undefined) {
      findings.check(at, v.mountPath, absolutePath);
    }
    // A stand-in for a bad item (the runtime check reported it) has no name or mount path: nothing to mount.
    if (typeof v.name !== 'string' || typeof v.mountPath !== 'string') continue;
    volumes.push({
      name: v.name,
      secret: v.secretName ? { secretName: v.secretName } : undefined,
      configMap: v.configMapName ? { name: v.configMapName } : undefined,
      persistentVolumeClaim: v.claimName ? { claimName: v.claimName } : undefined,
      emptyDir: v.emptyDir ? { sizeLimit: v.sizeLimit ? k8s.Quantity.fromString(v.sizeLimit) : undefined } : undefined,
    });
    const readOnly = v.readOnly ?? (v.secretName !== undefined || v.configMapName !== undefined);
    mounts.push({ name: v.name, mountPath: v.mountPath, readOnly: readOnly || undefined });
  }
  for (const dup of duplicates(entries.map((e) => e.volume.name))) findings.add(`${field}`, dup, 'unique volume names');
  for (const dup of duplicates(entries.map((e) => e.volume.mountPath))) findings.add(`${field}`, dup, 'unique mount paths');
  return { volumes, mounts };
}

/** A volume name derived from a mount path: "/app/backend/public/uploads" gives "app-backend-public-uploads". @internal */
export function volumeNameForPath(path: string): string {
  const name = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (name || 'root').slice(0, 63).replace(/-+$/, '');
}

/**
 * A ConfigMap or Secret as a read-only volume whose files are its keys, at `mountPath` (else the
 * object's default); a missing or relative path is a finding of the object.
 * @internal
 */
export function dataVolume(
  findings: Findings,
  objectName: string,
  defaultMountPath: string | undefined,
  mountPath: string | undefined,
  source: { configMapName?: string; secretName?: string },
): WorkloadVolume {
  const path = mountPath ?? defaultMountPath;
  if (path === undefined) {
    findings.add('mountPath', undefined, 'an absolute mount path: set mountPath or pass one to volume()');
  } else if (mountPath !== undefined) {
    findings.check('volume(mountPath)', mountPath, absolutePath);
  }
  return {
    name: volumeNameForObject(objectName),
    mountPath: path ?? '',
    readOnly: true,
    ...source,
  };
}

/** A pod volume name (DNS-1123 label) derived from an object name (DNS-1123 subdomain). @internal */
export function volumeNameForObject(objectName: string): string {
  return objectName.replace(/\./g, '-').slice(0, 63).replace(/-+$/, '');
}

/** Where in-cluster Kubernetes clients (client-go, the official SDKs) read the ServiceAccount's token, CA and namespace. @internal */
export const SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The ServiceAccount token of a pod as an explicit projected volume, with what automounting gives
 * (a bound token the kubelet rotates, the cluster CA, the namespace) at the path clients read. A
 * pod that mounts it this way sets `automountServiceAccountToken: false`, so only the containers
 * given the mount hold a token, not every container of the pod.
 * @internal
 */
export function serviceAccountTokenVolume(): { volume: k8s.Volume; mount: k8s.VolumeMount } {
  const name = 'kube-api-access';
  return {
    volume: {
      name,
      projected: {
        defaultMode: 0o444,
        sources: [
          // An hour; the kubelet renews the token before it expires and clients reread the file.
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
    mount: { name, mountPath: SERVICE_ACCOUNT_TOKEN_PATH, readOnly: true },
  };
}
