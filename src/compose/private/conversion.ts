/**
 * Turns synthesized Kubernetes objects (`chart.toJson()`) into a Compose Specification document
 * (internal; the public entry point is ComposeFile).
 *
 * It reads only the objects: every Deployment annotated `deploykit.io/manifest-type: docker-compose`
 * becomes a service, together with the ConfigMaps, Secrets, PersistentVolumeClaims and Services
 * its pods use. Secret values are never copied: a compose secret reads an environment variable
 * of the key's name, or a file when the key is no variable name.
 */
import * as path from 'path';
import { ComposeDocument, ComposeProblem, ComposeService } from './compose-model';
import { ContainerParts, convertContainer, PodContext } from './container-service';
import {
  compare, comparePorts, escapeInterpolation, healthcheckFor, nameOf, namespaceOf, protocolSuffix, sortedObject,
  sortedRecord, targetPort, wrap, wrapText,
} from './conversion-helpers';
import { ConversionState } from './conversion-state';
import {
  COMPOSE_BIND_ANNOTATION_PREFIX, COMPOSE_HEALTHCHECK_ANNOTATION, COMPOSE_SKIP_ANNOTATION_PREFIX, DOCKER_COMPOSE,
  ENVIRONMENT_LABEL, MANIFEST_TYPE_ANNOTATION,
} from '../../core/conventions';
import { ManifestSet } from '../../manifests';

/** What the conversion needs besides the objects. */
export interface ComposeSynthOptions {
  /** Compose project name (top-level `name`). */
  readonly projectName: string;
  /** Where the objects come from, for the header (a chart's id). */
  readonly source: string;
  /** Environment written into the header and each service's labels. */
  readonly environment?: string;
  /**
   * The folder the file is written to (absolute): local folders named by bind annotations (relative
   * to the working directory) are written relative to it.
   * @default - the working directory
   */
  readonly directory?: string;
}

/** The document and the header lines that explain it. */
export interface ComposeSynthResult {
  readonly document: ComposeDocument;
  /** Comment lines for the top of the file (without "#"). */
  readonly header: string[];
}

// The objects are plain JSON of unknown shape: read them defensively.
type KubeObject = any;

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
    Object.assign(services, convertDeployment(deployment, state, notes, options));
    for (const note of new Set(notes)) serviceNotes.push(`${nameOf(deployment)}: ${note}`);
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
  if (state.localFolders.size > 0) {
    if (state.envFiles.size === 0 && state.bindSources.size === 0) header.push('');
    header.push('Local folders mounted read-only (relative to this file):');
    header.push(...wrap([...state.localFolders].sort(compare), '  '));
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

/** The Deployment as services: one per init container (one-shot, in order) and the long-running one. */
function convertDeployment(d: KubeObject, state: ConversionState, notes: string[], options: ComposeSynthOptions): Record<string, ComposeService> {
  state.used.add(d);
  const name = nameOf(d);
  const namespace = namespaceOf(d);
  const template = state.set.podOf(state.set.refOf(d)!)!;
  const pod = template.spec;
  const annotations: Record<string, string> = d.metadata?.annotations ?? {};
  const context: PodContext = { pod, namespace, binds: bindsOf(annotations, options.directory) };
  const containers: KubeObject[] = pod.containers ?? [];
  const c: KubeObject = containers[0] ?? {};
  if (containers.length > 1) notes.push(`only the first container (${c.name}) runs; left out: ${containers.slice(1).map((x) => x.name).join(', ')}.`);

  const labels: Record<string, string> = { ...(d.metadata?.labels ?? {}) };
  if (options.environment) labels[ENVIRONMENT_LABEL] = options.environment;
  const services: Record<string, ComposeService> = {};

  // --- init containers: one-shot services, each after the one before --------------------------------
  let previous: string | undefined;
  const inits: string[] = [];
  for (const init of pod.initContainers ?? []) {
    const skipped = annotations[`${COMPOSE_SKIP_ANNOTATION_PREFIX}${init.name}`];
    if (skipped !== undefined) {
      notes.push(`init container ${init.name} has no service: ${skipped}.`);
      continue;
    }
    const serviceName = `${name}-${init.name}`;
    services[serviceName] = assemble(convertContainer(init, context, state, notes), {
      dependsOn: previous ? [previous] : [],
      restart: 'no',
      labels,
    });
    inits.push(serviceName);
    previous = serviceName;
  }
  if (inits.length > 0) notes.push(`init containers run as one-shot services before it starts (depends_on: service_completed_successfully): ${inits.join(', ')}.`);

  // --- the long-running container ----------------------------------------------------------------
  const parts = convertContainer(c, context, state, notes);
  const containerPorts: KubeObject[] = c.ports ?? [];
  const published = new Set<string>();
  const aliases = new Set<string>();
  for (const svc of state.set.servicesSelecting(template).map((s) => s.raw)) {
    state.used.add(svc);
    const svcName = nameOf(svc);
    if (svcName !== name) aliases.add(svcName);
    if (namespace) aliases.add(`${svcName}.${namespace}.svc.cluster.local`);
    for (const port of svc.spec?.ports ?? []) {
      published.add(`${port.port}:${targetPort(port.targetPort ?? port.port, containerPorts)}${protocolSuffix(port.protocol)}`);
    }
  }
  if (published.size === 0) {
    for (const port of containerPorts) published.add(`${port.containerPort}:${port.containerPort}${protocolSuffix(port.protocol)}`);
  }
  services[name] = assemble(parts, {
    ports: published.size > 0 ? [...published].sort(comparePorts) : undefined,
    healthcheck: healthcheckFor(c, notes, healthcheckCommandOf(annotations, notes)),
    stopGracePeriod: typeof pod.terminationGracePeriodSeconds === 'number' ? `${pod.terminationGracePeriodSeconds}s` : undefined,
    dependsOn: inits,
    restart: 'unless-stopped',
    labels,
    aliases: [...aliases].sort(compare),
  });
  return services;
}

/** What a service adds to its container's fields. */
interface ServiceExtras {
  readonly ports?: string[];
  readonly healthcheck?: ComposeService['healthcheck'];
  readonly stopGracePeriod?: string;
  /** Services that must have completed successfully first. */
  readonly dependsOn: string[];
  readonly restart: string;
  readonly labels: Record<string, string>;
  readonly aliases?: string[];
}

/** The service's keys in the order of the file. */
function assemble(parts: ContainerParts, extras: ServiceExtras): ComposeService {
  const service: ComposeService = { ...parts.head } as ComposeService;
  if (extras.ports) service.ports = extras.ports;
  if (parts.volumes) service.volumes = parts.volumes;
  if (parts.tmpfs) service.tmpfs = parts.tmpfs;
  if (extras.healthcheck) service.healthcheck = extras.healthcheck;
  if (parts.deploy) service.deploy = parts.deploy;
  if (extras.stopGracePeriod) service.stop_grace_period = extras.stopGracePeriod;
  if (extras.dependsOn.length > 0) {
    service.depends_on = Object.fromEntries(extras.dependsOn.map((s) => [s, { condition: 'service_completed_successfully' }]));
  }
  service.restart = extras.restart;
  if (Object.keys(extras.labels).length > 0) service.labels = sortedObject(extras.labels);
  if (extras.aliases && extras.aliases.length > 0) service.networks = { default: { aliases: extras.aliases } };
  return service;
}

/** Pod volume → local folder (relative to the file) from the bind annotations. */
function bindsOf(annotations: Record<string, string>, directory: string | undefined): Map<string, string> {
  const binds = new Map<string, string>();
  for (const [key, folder] of Object.entries(annotations)) {
    if (!key.startsWith(COMPOSE_BIND_ANNOTATION_PREFIX)) continue;
    const absolute = path.resolve(folder);
    const relative = path.relative(directory ?? process.cwd(), absolute).split(path.sep).join('/');
    binds.set(key.slice(COMPOSE_BIND_ANNOTATION_PREFIX.length), relative.startsWith('../') ? relative : `./${relative || '.'}`.replace(/\/\.$/, ''));
  }
  return binds;
}

/** The healthcheck command of the annotation, when it is a JSON array of words. */
function healthcheckCommandOf(annotations: Record<string, string>, notes: string[]): string[] | undefined {
  const text = annotations[COMPOSE_HEALTHCHECK_ANNOTATION];
  if (text === undefined) return undefined;
  try {
    const command = JSON.parse(text);
    if (Array.isArray(command) && command.length > 0 && command.every((w) => typeof w === 'string' && w !== '')) return command;
  } catch {
    // reported below
  }
  notes.push(`the ${COMPOSE_HEALTHCHECK_ANNOTATION} annotation is no JSON array of words, such as ["curl", "-fsk"]; no healthcheck.`);
  return undefined;
}
