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
import { ingressBackends, ManifestSet } from '../../manifests';

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
  /**
   * An IP address of the host on which ports that are only reachable inside the cluster are
   * published too (for local debugging); unset: they are only exposed to the other services.
   * @default - none
   */
  readonly publishInternalPortsOn?: string;
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
  const routes = ingressRoutes(objects);
  const services: Record<string, ComposeService> = {};
  const serviceNotes: string[] = [];
  const ports: PortsSeen = { published: false, internal: false, routed: new Set() };
  for (const deployment of composeDeployments(objects)) {
    const notes: string[] = [];
    Object.assign(services, convertDeployment(deployment, state, notes, options, routes, ports));
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
  if (ports.published || ports.internal) {
    header.push('');
    header.push(...portsHeader(ports, options.publishInternalPortsOn));
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

/** What the services' ports were, for the header. */
interface PortsSeen {
  /** A port is published on all the host's addresses (NodePort, LoadBalancer, Ingress backend). */
  published: boolean;
  /** A port is reachable inside the cluster only. */
  internal: boolean;
  /** "Ingress <name>" of each Ingress whose backend port is published. */
  readonly routed: Set<string>;
}

/** One port of the long-running service: the host (Service) port, the container port, the protocol. */
interface ServicePort {
  readonly port: number | string;
  readonly target: number | string;
  readonly suffix: string;
  /** Reachable from outside the cluster: published on every address of the host. */
  readonly external: boolean;
}

/** "<namespace>/<service>" → the Ingresses routing to each of its ports (by number or name). */
type IngressRoutes = Map<string, Array<{ readonly port: number | string; readonly ingress: string }>>;

function ingressRoutes(objects: readonly KubeObject[]): IngressRoutes {
  const routes: IngressRoutes = new Map();
  for (const ingress of objects.filter((o) => o?.kind === 'Ingress')) {
    for (const backend of ingressBackends(ingress)) {
      if (backend.serviceName === undefined || backend.port === undefined) continue;
      const key = `${namespaceOf(ingress)}/${backend.serviceName}`;
      routes.set(key, [...(routes.get(key) ?? []), { port: backend.port, ingress: nameOf(ingress) }]);
    }
  }
  return routes;
}

/** The Ingresses that route to a port of the Service, by its number or name. */
function routedBy(svc: KubeObject, port: KubeObject, routes: IngressRoutes): string[] {
  return (routes.get(`${namespaceOf(svc)}/${nameOf(svc)}`) ?? [])
    .filter((r) => r.port === port.port || (typeof port.name === 'string' && port.name !== '' && r.port === port.name))
    .map((r) => r.ingress);
}

/** "address:" for a `ports` entry; an IPv6 address in brackets. */
function hostAddress(address: string): string {
  return address.includes(':') ? `[${address}]:` : `${address}:`;
}

function comparePortNumbers(a: ServicePort, b: ServicePort): number {
  const n = (v: number | string) => (typeof v === 'number' ? v : Number.MAX_SAFE_INTEGER);
  return (n(a.port) - n(b.port)) || (n(a.target) - n(b.target)) || compare(`${a.port}:${a.target}${a.suffix}`, `${b.port}:${b.target}${b.suffix}`);
}

/** The header's lines on what is published and what is exposed. */
function portsHeader(ports: PortsSeen, address: string | undefined): string[] {
  const lines: string[] = [];
  if (ports.published) {
    lines.push(...wrapText('Published on every address of the host (`ports`): the ports of NodePort and LoadBalancer Services, and the Service ports an Ingress routes to.', '  '));
    if (ports.routed.size > 0) {
      lines.push(...wrapText(`docker compose has no ingress controller, so the backend ports of ${[...ports.routed].sort(compare).join(', ')} are published as they are: put a reverse proxy in front for the host names, paths and TLS.`, '  '));
    }
  }
  if (ports.internal) {
    lines.push(...wrapText(address !== undefined
      ? `The ports only reachable inside the cluster are published on ${address} only (publishInternalPortsOn, for debugging).`
      : 'The ports only reachable inside the cluster (ClusterIP Services, workloads without a Service) are exposed to the other services of this file only (`expose`); ComposeFile publishInternalPortsOn: "127.0.0.1" publishes them on that address for debugging.', '  '));
  }
  return lines;
}

/** The Deployment as services: one per init container (one-shot, in order) and the long-running one. */
function convertDeployment(
  d: KubeObject, state: ConversionState, notes: string[], options: ComposeSynthOptions, routes: IngressRoutes, seen: PortsSeen,
): Record<string, ComposeService> {
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
  const servicePorts: ServicePort[] = [];
  const aliases = new Set<string>();
  for (const svc of state.set.servicesSelecting(template).map((s) => s.raw)) {
    state.used.add(svc);
    const svcName = nameOf(svc);
    if (svcName !== name) aliases.add(svcName);
    if (namespace) aliases.add(`${svcName}.${namespace}.svc.cluster.local`);
    const outside = svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
    for (const port of svc.spec?.ports ?? []) {
      const target = targetPort(port.targetPort ?? port.port, containerPorts);
      const ingresses = routedBy(svc, port, routes);
      for (const ingress of ingresses) seen.routed.add(`Ingress ${ingress}`);
      servicePorts.push({ port: port.port, target, suffix: protocolSuffix(port.protocol), external: outside || ingresses.length > 0 });
      // Inside the compose network the other services reach the container itself: no Service port.
      if (port.port !== target) notes.push(`the other services reach ${svcName} on container port ${target}${protocolSuffix(port.protocol)}, not on its Service port ${port.port} (compose maps no ports inside its network).`);
    }
  }
  if (servicePorts.length === 0) {
    for (const port of containerPorts) {
      servicePorts.push({ port: port.containerPort, target: port.containerPort, suffix: protocolSuffix(port.protocol), external: false });
    }
  }
  const published = new Set<string>();
  const exposed = new Set<string>();
  const address = options.publishInternalPortsOn;
  // A port both published and internal (two Services select the pods) is published: the wider reach wins.
  const external = servicePorts.filter((p) => p.external);
  for (const p of [...servicePorts].sort(comparePortNumbers)) {
    const mapping = `${p.port}:${p.target}${p.suffix}`;
    if (p.external) {
      published.add(mapping);
      seen.published = true;
    } else if (address !== undefined) {
      if (external.some((e) => `${e.port}:${e.target}${e.suffix}` === mapping)) continue;
      published.add(`${hostAddress(address)}${mapping}`);
      seen.internal = true;
    } else {
      if (external.some((e) => e.target === p.target && e.suffix === p.suffix)) continue;
      exposed.add(`${p.target}${p.suffix}`);
      seen.internal = true;
    }
  }
  services[name] = assemble(parts, {
    ports: published.size > 0 ? [...published] : undefined,
    expose: exposed.size > 0 ? [...exposed].sort(comparePorts) : undefined,
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
  readonly expose?: string[];
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
  if (extras.expose) service.expose = extras.expose;
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
