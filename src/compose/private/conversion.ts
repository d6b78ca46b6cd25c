/**
 * Turns synthesized Kubernetes objects (`chart.toJson()`) into a Compose Specification document
 * (internal; the public entry point is ComposeFile).
 *
 * It reads only the objects: every Deployment annotated `deploykit.io/manifest-type: docker-compose`
 * becomes a service, together with the ConfigMaps, Secrets, PersistentVolumeClaims and Services
 * its pods use. Secret values are never copied: a compose secret reads an environment variable
 * of the key's name, or a file when the key is no variable name.
 */
import {
  ComposeConfig, ComposeDocument, ComposeFileReference, ComposeProblem, ComposeSecret, ComposeService, ComposeVolumeMount,
} from './compose-model';
import { isEnvVarName } from './compose-rules';
import {
  compare, comparePorts, escapeInterpolation, healthcheckFor, joinPath, nameOf, namespaceOf, projectedKeys,
  protocolSuffix, resources, secretKeys, sortedObject, sortedRecord, sortReferences, targetPort, toBytes,
  wrap, wrapText,
} from './conversion-helpers';
import { composeMemory } from './quantities';
import { DOCKER_COMPOSE, ENVIRONMENT_LABEL, MANIFEST_TYPE_ANNOTATION } from '../../core/conventions';
import { ManifestSet } from '../../manifests';

/** What the conversion needs besides the objects. */
export interface ComposeSynthOptions {
  /** Compose project name (top-level `name`). */
  readonly projectName: string;
  /** Where the objects come from, for the header (a chart's id). */
  readonly source: string;
  /** Environment written into the header and each service's labels. */
  readonly environment?: string;
}

/** The document and the header lines that explain it. */
export interface ComposeSynthResult {
  readonly document: ComposeDocument;
  /** Comment lines for the top of the file (without "#"). */
  readonly header: string[];
}

// The objects are plain JSON of unknown shape: read them defensively.
type KubeObject = any;

const PULL_POLICY: Record<string, string> = { Always: 'always', IfNotPresent: 'missing', Never: 'never' };

/** The docker-compose Deployments among the objects, by name (then namespace). */
export function composeDeployments(objects: readonly KubeObject[]): KubeObject[] {
  return objects
    .filter((o) => o?.kind === 'Deployment' && o.metadata?.annotations?.[MANIFEST_TYPE_ANNOTATION] === DOCKER_COMPOSE)
    .sort((a, b) => compare(nameOf(a), nameOf(b)) || compare(namespaceOf(a), namespaceOf(b)));
}

/** The rules a compose conversion needs from the objects; each broken one is a problem. */
export function composeProblems(objects: readonly KubeObject[]): ComposeProblem[] {
  const problems: ComposeProblem[] = [];
  const set = new ManifestSet(objects);
  const deployments = composeDeployments(objects);
  if (deployments.length === 0) {
    const others = objects.filter((o) => o?.kind === 'Deployment').map(nameOf).sort(compare);
    problems.push({
      field: 'chart',
      value: others.length === 0 ? 'no Deployment' : `only Deployments without the docker-compose type: ${others.join(', ')}`,
      expected: `at least one Deployment of a DeploymentManifest with type ManifestType.DOCKER_COMPOSE (annotated ${MANIFEST_TYPE_ANNOTATION}: ${DOCKER_COMPOSE})`,
    });
  }
  const seen = new Set<string>();
  for (const d of deployments) {
    const name = nameOf(d);
    if (seen.has(name)) {
      problems.push({ field: `deployments.${name}`, value: `${name} in namespace ${namespaceOf(d) || '(none)'}`, expected: 'one docker-compose Deployment of this name (it becomes the compose service name)' });
    }
    seen.add(name);
    const replicas = d.spec?.replicas;
    if (typeof replicas === 'number' && replicas > 1) {
      problems.push({ field: `deployments.${name}.replicas`, value: replicas, expected: '1: a docker-compose service runs a single container (replica_count is 1 for docker-compose)' });
    }
    const hpa = set.autoscalerOf(set.refOf(d)!);
    if (hpa && (hpa.raw.spec?.maxReplicas ?? 1) > 1) {
      problems.push({ field: `deployments.${name}.autoscaler`, value: `${hpa.name} (up to ${hpa.raw.spec.maxReplicas} replicas)`, expected: 'no autoscaling: a docker-compose service runs a single container (leave scalingConfig unset)' });
    }
  }
  return problems;
}

/** Converts the objects. Call `composeProblems` first: this assumes they pass. */
export function synthesizeCompose(objects: readonly KubeObject[], options: ComposeSynthOptions): ComposeSynthResult {
  const state = new ConversionState(objects);
  const services: Record<string, ComposeService> = {};
  const serviceNotes: string[] = [];
  for (const deployment of composeDeployments(objects)) {
    const notes: string[] = [];
    services[nameOf(deployment)] = convertDeployment(deployment, state, notes, options.environment);
    for (const note of notes) serviceNotes.push(`${nameOf(deployment)}: ${note}`);
  }

  const document: ComposeDocument = { name: options.projectName, services };
  if (state.volumes.size > 0) document.volumes = Object.fromEntries([...state.volumes].sort(compare).map((v) => [v, {}]));
  if (state.secrets.size > 0) document.secrets = sortedRecord(state.secrets);
  if (state.configs.size > 0) document.configs = sortedRecord(state.configs);

  const header: string[] = [
    `docker-compose file of the compose project "${options.projectName}"${options.environment ? ` (${options.environment})` : ''}, generated by`,
    `cdk8s-deploykit from the Kubernetes objects of ${options.source}. Edit the cdk8s app, not this file.`,
  ];
  const envVars = [...new Set([
    ...state.passedThrough,
    ...[...state.secrets.values()].map((s) => s.environment).filter((e): e is string => e !== undefined),
  ])].sort(compare);
  const files = [...new Set([...state.secrets.values()].map((s) => s.file).filter((f): f is string => f !== undefined))].sort(compare);
  if (envVars.length > 0 || files.length > 0) {
    header.push('');
    header.push('No secret value is written in this file.');
  }
  if (envVars.length > 0) {
    header.push('Secret environment variables come from the shell that runs docker compose: export these first:');
    header.push(...wrap(envVars, '    '));
  }
  if (files.length > 0) {
    header.push('Secret files (under /run/secrets/ unless mounted elsewhere) are read from these files beside this one');
    header.push('(keep them out of version control):');
    header.push(...wrap(files, '    '));
  }
  if (state.envFiles.size > 0 || state.bindSources.size > 0) header.push('');
  if (state.envFiles.size > 0) {
    header.push('ConfigMaps and Secrets that are not part of the chart are read as env files; create them');
    header.push('(KEY=value lines; keep those holding secrets out of version control):');
    header.push(...wrap([...state.envFiles].sort(compare), '  '));
  }
  if (state.bindSources.size > 0) {
    header.push('Mounted ConfigMaps and Secrets that are not part of the chart are read from these folders:');
    header.push(...wrap([...state.bindSources].sort(compare), '  '));
  }
  if (serviceNotes.length > 0) {
    header.push('');
    for (const note of serviceNotes) header.push(...wrapText(note, '  '));
  }
  const leftOut = objects
    .filter((o) => o?.kind && !state.used.has(o))
    .map((o) => `${o.kind} ${nameOf(o)}`)
    .sort(compare);
  if (leftOut.length > 0) {
    header.push('');
    header.push(...wrapText(`Objects without a docker-compose counterpart, left out: ${leftOut.join(', ')}.`, '  '));
  }
  return { document: escapeInterpolation(document), header };
}

/** Lookups over the objects and the top-level entries the services share. */
class ConversionState {
  /** Named volumes (PersistentVolumeClaim names). */
  public readonly volumes = new Set<string>();
  public readonly secrets = new Map<string, ComposeSecret>();
  /** Environment variables passed through from the shell that runs docker compose. */
  public readonly passedThrough = new Set<string>();

  /** Top-level configs (non-secret content written inline). */
  public readonly configs = new Map<string, ComposeConfig>();
  /** Env files standing in for ConfigMaps and Secrets outside the chart. */
  public readonly envFiles = new Set<string>();
  /** Local folders standing in for mounted ConfigMaps and Secrets outside the chart. */
  public readonly bindSources = new Set<string>();
  /** Objects the conversion consumed. */
  public readonly used = new Set<KubeObject>();

  public readonly set: ManifestSet;

  constructor(objects: readonly KubeObject[]) {
    this.set = new ManifestSet(objects);
  }

  public find(kind: string, namespace: string, name: string): KubeObject | undefined {
    const found = this.set.find(kind, name, namespace)?.raw;
    if (found) this.used.add(found);
    return found;
  }

  /** Adds `name` to `env` without a value: compose takes it from its own environment. */
  public passThrough(env: Record<string, string | null>, name: string): void {
    env[name] = null;
    this.passedThrough.add(name);
  }

  /** The compose secret for one key of a Kubernetes Secret: its name. */
  public secret(secretName: string, key: string): string {
    const name = `${secretName}.${key}`;
    this.secrets.set(name, isEnvVarName(key) ? { environment: key } : { file: `./secrets/${secretName}/${key}` });
    return name;
  }

  /** The compose config for one key of a ConfigMap (non-secret content, written inline): its name. */
  public config(configMapName: string, key: string, content: string): string {
    const name = `${configMapName}.${key}`;
    this.configs.set(name, { content });
    return name;
  }
}

function convertDeployment(d: KubeObject, state: ConversionState, notes: string[], environment?: string): ComposeService {
  state.used.add(d);
  const namespace = namespaceOf(d);
  const template = state.set.podOf(state.set.refOf(d)!)!;
  const pod = template.spec;
  const containers: KubeObject[] = pod.containers ?? [];
  const c: KubeObject = containers[0] ?? {};
  if (containers.length > 1) notes.push(`only the first container (${c.name}) runs; left out: ${containers.slice(1).map((x) => x.name).join(', ')}.`);
  if ((pod.initContainers ?? []).length > 0) notes.push(`init containers left out: ${pod.initContainers.map((x: KubeObject) => x.name).join(', ')}.`);

  // Key order is the order in the file; `restart` is set after the fields it governs.
  const service = { image: c.image } as ComposeService;
  const pull = PULL_POLICY[c.imagePullPolicy];
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
  const env: Record<string, string | null> = {};
  const envFiles: string[] = [];
  const secrets: ComposeFileReference[] = [];
  const configs: ComposeFileReference[] = [];
  for (const source of c.envFrom ?? []) {
    const prefix: string = source.prefix ?? '';
    if (source.configMapRef?.name) {
      const name: string = source.configMapRef.name;
      const configMap = state.find('ConfigMap', namespace, name);
      if (configMap) {
        for (const [key, value] of Object.entries(configMap.data ?? {})) env[`${prefix}${key}`] = String(value);
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
      const value = configMap?.data?.[from.configMapKeyRef.key];
      if (value !== undefined) env[e.name] = String(value);
      else notes.push(`environment variable ${e.name} is left out: ConfigMap ${from.configMapKeyRef.name} (key ${from.configMapKeyRef.key}) is not in the chart.`);
    } else if (from?.secretKeyRef) {
      const name: string = from.secretKeyRef.name;
      state.find('Secret', namespace, name);
      state.passThrough(env, e.name);
    } else if (from) {
      notes.push(`environment variable ${e.name} is left out: ${Object.keys(from).join(', ')} has no docker-compose counterpart.`);
    } else {
      env[e.name] = e.value ?? '';
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
    if (mount.subPath || mount.subPathExpr) {
      notes.push(`the mount of volume ${mount.name} at ${path} is left out: subPath mounts have no docker-compose counterpart here.`);
      continue;
    }
    if (volume.emptyDir) {
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
          const content = configMap.data?.[key];
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

  if (Object.keys(env).length > 0) service.environment = sortedObject(env);
  if (envFiles.length > 0) service.env_file = [...new Set(envFiles)].sort(compare);
  if (secrets.length > 0) service.secrets = sortReferences(secrets);
  if (configs.length > 0) service.configs = sortReferences(configs);

  // --- ports and DNS names -----------------------------------------------------------------------
  const containerPorts: KubeObject[] = c.ports ?? [];
  const published = new Set<string>();
  const aliases = new Set<string>();
  for (const svc of state.set.servicesSelecting(template).map((s) => s.raw)) {
    state.used.add(svc);
    const svcName = nameOf(svc);
    if (svcName !== nameOf(d)) aliases.add(svcName);
    if (namespace) aliases.add(`${svcName}.${namespace}.svc.cluster.local`);
    for (const port of svc.spec?.ports ?? []) {
      published.add(`${port.port}:${targetPort(port.targetPort ?? port.port, containerPorts)}${protocolSuffix(port.protocol)}`);
    }
  }
  if (published.size === 0) {
    for (const port of containerPorts) published.add(`${port.containerPort}:${port.containerPort}${protocolSuffix(port.protocol)}`);
  }
  if (published.size > 0) service.ports = [...published].sort(comparePorts);
  if (mounts.length > 0) service.volumes = mounts.sort((a, b) => compare(a.target, b.target));
  if (tmpfs.length > 0) service.tmpfs = tmpfs.sort(compare);

  // --- health, resources, lifecycle --------------------------------------------------------------
  const healthcheck = healthcheckFor(c, notes);
  if (healthcheck) service.healthcheck = healthcheck;
  const limits = resources(c.resources?.limits);
  const reservations = resources(c.resources?.requests);
  if (limits || reservations) {
    service.deploy = { resources: { ...(limits ? { limits } : {}), ...(reservations ? { reservations } : {}) } };
  }
  if (c.resources?.limits?.['ephemeral-storage'] !== undefined || c.resources?.requests?.['ephemeral-storage'] !== undefined) {
    notes.push('ephemeral-storage requests and limits are left out: docker compose has no counterpart.');
  }
  if (typeof pod.terminationGracePeriodSeconds === 'number') service.stop_grace_period = `${pod.terminationGracePeriodSeconds}s`;
  service.restart = 'unless-stopped';

  const labels: Record<string, string> = { ...(d.metadata?.labels ?? {}) };
  if (environment) labels[ENVIRONMENT_LABEL] = environment;
  if (Object.keys(labels).length > 0) service.labels = sortedObject(labels);
  if (aliases.size > 0) service.networks = { default: { aliases: [...aliases].sort(compare) } };
  return service;
}
