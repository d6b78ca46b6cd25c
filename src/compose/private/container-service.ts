/**
 * One container of a pod as the fields of a compose service (internal): image, security context,
 * environment, secrets and configs, volumes and resources. The Deployment's main container and each
 * of its init containers (one-shot services) go through here.
 */
import { ComposeFileReference, ComposeResources, ComposeService, ComposeVolumeMount } from './compose-model';
import { isEnvVarName } from './compose-rules';
import { compare, configMapEntry, joinPath, projectedKeys, resources, secretKeys, sortedRecord, sortReferences, toBytes } from './conversion-helpers';
import { ConversionState } from './conversion-state';
import { composeMemory } from './quantities';

// The objects are plain JSON of unknown shape: read them defensively.
type KubeObject = any;

const PULL_POLICY: Record<string, string> = { Always: 'always', IfNotPresent: 'missing', Never: 'never' };

/** A container's service fields, in the order of the file; the caller adds ports, health and lifecycle. */
export interface ContainerParts {
  /** image ... configs. */
  readonly head: ComposeService;
  readonly volumes?: ComposeVolumeMount[];
  readonly tmpfs?: string[];
  readonly deploy?: { resources: { limits?: ComposeResources; reservations?: ComposeResources } };
}

/** Where the pod's volumes come from in compose: local folders standing in for some of them. */
export interface PodContext {
  readonly pod: KubeObject;
  readonly namespace: string;
  /** Pod volume name → local folder, bind-mounted read-only (bind annotations). */
  readonly binds: ReadonlyMap<string, string>;
}

export function convertContainer(c: KubeObject, context: PodContext, state: ConversionState, notes: string[]): ContainerParts {
  const { pod, namespace } = context;
  // Key order is the order in the file.
  const service = { image: c.image } as ComposeService;
  const pull = Object.prototype.hasOwnProperty.call(PULL_POLICY, c.imagePullPolicy) ? PULL_POLICY[c.imagePullPolicy] : undefined;
  if (pull) service.pull_policy = pull;
  if (c.command?.length) service.entrypoint = [...c.command];
  if (c.args?.length) service.command = [...c.args];
  if (c.workingDir) service.working_dir = c.workingDir;

  // --- security context ------------------------------------------------------------------------
  const podSecurity = pod.securityContext ?? {};
  const security = c.securityContext ?? {};
  const uid = security.runAsUser ?? podSecurity.runAsUser;
  const gid = security.runAsGroup ?? podSecurity.runAsGroup;
  if (uid !== undefined) service.user = gid !== undefined ? `${uid}:${gid}` : `${uid}`;
  if (security.readOnlyRootFilesystem === true) service.read_only = true;
  if (security.privileged === true) service.privileged = true;
  const drop: string[] = security.capabilities?.drop ?? [];
  if (drop.length > 0) service.cap_drop = drop.includes('ALL') ? ['ALL'] : [...new Set(drop)].sort(compare);
  const add: string[] = security.capabilities?.add ?? [];
  if (add.length > 0) service.cap_add = [...new Set(add)].sort(compare);
  const securityOpt: string[] = [];
  if (security.allowPrivilegeEscalation === false) securityOpt.push('no-new-privileges:true');
  const seccomp = security.seccompProfile ?? podSecurity.seccompProfile;
  if (seccomp?.type === 'Unconfined') securityOpt.push('seccomp:unconfined');
  if (seccomp?.type === 'Localhost') notes.push(`the Localhost seccomp profile ${seccomp.localhostProfile} is left out (Docker applies its default profile).`);
  if (securityOpt.length > 0) service.security_opt = securityOpt;

  // --- environment and secrets -----------------------------------------------------------------
  // A Map: an environment variable may be named __proto__ or constructor.
  const env = new Map<string, string | null>();
  const envFiles: string[] = [];
  const secrets: ComposeFileReference[] = [];
  const configs: ComposeFileReference[] = [];
  for (const source of c.envFrom ?? []) {
    const prefix: string = source.prefix ?? '';
    if (source.configMapRef?.name) {
      const name: string = source.configMapRef.name;
      const configMap = state.find('ConfigMap', namespace, name);
      if (configMap) {
        for (const [key, value] of Object.entries(configMap.data ?? {})) env.set(`${prefix}${key}`, String(value));
      } else {
        envFiles.push(`./${name}.env`);
      }
    }
    if (source.secretRef?.name) {
      const name: string = source.secretRef.name;
      const secret = state.find('Secret', namespace, name);
      if (secret) {
        for (const key of secretKeys(secret)) {
          // The app reads these as environment variables: pass them through from the shell running
          // docker compose (a bare key), so the value never lands in the file.
          if (isEnvVarName(`${prefix}${key}`)) state.passThrough(env, `${prefix}${key}`);
          else secrets.push({ source: state.secret(name, key), target: `${prefix}${key}` });
        }
      } else {
        envFiles.push(`./${name}.env`);
      }
    }
  }
  for (const e of c.env ?? []) {
    const from = e.valueFrom;
    if (from?.configMapKeyRef) {
      const configMap = state.find('ConfigMap', namespace, from.configMapKeyRef.name);
      const value = configMapEntry(configMap, from.configMapKeyRef.key);
      if (value !== undefined) env.set(e.name, String(value));
      else notes.push(`environment variable ${e.name} is left out: ConfigMap ${from.configMapKeyRef.name} (key ${from.configMapKeyRef.key}) is not in the chart.`);
    } else if (from?.secretKeyRef) {
      const name: string = from.secretKeyRef.name;
      state.find('Secret', namespace, name);
      state.passThrough(env, e.name);
    } else if (from) {
      notes.push(`environment variable ${e.name} is left out: ${Object.keys(from).join(', ')} has no docker-compose counterpart.`);
    } else {
      env.set(e.name, e.value ?? '');
    }
  }
  for (const file of envFiles) state.envFiles.add(file);

  // --- volumes -------------------------------------------------------------------------------
  const podVolumes = new Map<string, KubeObject>((pod.volumes ?? []).map((v: KubeObject) => [v.name, v]));
  const mounts: ComposeVolumeMount[] = [];
  const tmpfs: string[] = [];
  for (const mount of c.volumeMounts ?? []) {
    const volume = podVolumes.get(mount.name);
    if (!volume) continue;
    const path: string = mount.mountPath;
    const bound = context.binds.get(mount.name);
    if (mount.subPath || mount.subPathExpr) {
      notes.push(`the mount of volume ${mount.name} at ${path} is left out: subPath mounts have no docker-compose counterpart here.`);
      continue;
    }
    if (bound !== undefined) {
      state.localFolders.add(bound);
      mounts.push({ type: 'bind', source: bound, target: path, read_only: true });
    } else if (volume.emptyDir) {
      const size = volume.emptyDir.sizeLimit === undefined ? undefined : composeMemory(volume.emptyDir.sizeLimit);
      tmpfs.push(size === undefined ? path : `${path}:size=${toBytes(size)}`);
    } else if (volume.persistentVolumeClaim) {
      const claim: string = volume.persistentVolumeClaim.claimName;
      state.find('PersistentVolumeClaim', namespace, claim);
      state.volumes.add(claim);
      const readOnly = mount.readOnly === true || volume.persistentVolumeClaim.readOnly === true;
      mounts.push({ type: 'volume', source: claim, target: path, ...(readOnly ? { read_only: true } : {}) });
    } else if (volume.configMap) {
      const name: string = volume.configMap.name;
      const configMap = state.find('ConfigMap', namespace, name);
      if (configMap) {
        for (const { key, file } of projectedKeys(volume.configMap.items, Object.keys(configMap.data ?? {}))) {
          const content = configMapEntry(configMap, key);
          if (content !== undefined) configs.push({ source: state.config(name, key, String(content)), target: joinPath(path, file) });
        }
      } else {
        state.bindSources.add(`./configs/${name}`);
        mounts.push({ type: 'bind', source: `./configs/${name}`, target: path, read_only: true });
      }
    } else if (volume.secret) {
      const name: string = volume.secret.secretName;
      const secret = state.find('Secret', namespace, name);
      if (secret) {
        for (const { key, file } of projectedKeys(volume.secret.items, secretKeys(secret))) {
          secrets.push({ source: state.secret(name, key), target: joinPath(path, file) });
        }
      } else {
        state.bindSources.add(`./secrets/${name}`);
        mounts.push({ type: 'bind', source: `./secrets/${name}`, target: path, read_only: true });
      }
    } else {
      const kind = Object.keys(volume).filter((k) => k !== 'name').join(', ');
      notes.push(`volume ${mount.name} (${kind}) at ${path} is left out: it has no docker-compose counterpart.`);
    }
  }
  const fsGroup = podSecurity.fsGroup;
  if (fsGroup !== undefined && mounts.some((m) => m.type === 'volume')) {
    notes.push(`named volumes get no fsGroup (${fsGroup}): a new volume takes the owner of the image's folder at its mount path, so that folder must be writable by ${service.user ?? 'the container user'} in the image.`);
  }

  if (env.size > 0) service.environment = sortedRecord(env);
  if (envFiles.length > 0) service.env_file = [...new Set(envFiles)].sort(compare);
  if (secrets.length > 0) service.secrets = sortReferences(secrets);
  if (configs.length > 0) service.configs = sortReferences(configs);

  // --- resources -------------------------------------------------------------------------------
  const limits = resources(c.resources?.limits);
  const reservations = resources(c.resources?.requests);
  if (c.resources?.limits?.['ephemeral-storage'] !== undefined || c.resources?.requests?.['ephemeral-storage'] !== undefined) {
    notes.push('ephemeral-storage requests and limits are left out: docker compose has no counterpart.');
  }
  return {
    head: service,
    volumes: mounts.length > 0 ? mounts.sort((a, b) => compare(a.target, b.target)) : undefined,
    tmpfs: tmpfs.length > 0 ? tmpfs.sort(compare) : undefined,
    deploy: limits || reservations
      ? { resources: { ...(limits ? { limits } : {}), ...(reservations ? { reservations } : {}) } }
      : undefined,
  };
}
