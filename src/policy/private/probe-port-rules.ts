/**
 * Internal to `ManifestPolicy`: the rules over a pod's probes and container ports.
 */
import { containerPorts, family, list, RuleFamily, RuleScope, show, text } from './rule-kit';
import { ianaSvcNameProblem } from '../../core/rules/names';
import { ContainerRef, PodTemplateRef, runningContainers } from '../../manifests';
import { PolicyLevel } from '../policy-types';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'];

/** Regular containers: the ones `probesPerContainer` asks a probe of. */
function regular(pod: PodTemplateRef): ContainerRef[] {
  return pod.containers.filter((c) => c.list === 'containers');
}

/**
 * Whether a container has a probe, or will have it: a mesh injector completes a placeholder container
 * (`injected`) with its proxy, which has a readinessProbe on the proxy's status port (no other probe).
 */
function hasProbe(container: ContainerRef, probe: string): boolean {
  return Boolean(container.c[probe]) || (container.injected && probe === 'readinessProbe');
}

/**
 * A probe on one container that runs for the pod's life (a regular one or a native sidecar, whose
 * readiness counts for the pod's) (kube-score), or on each regular container with
 * `probesPerContainer` (Polaris). A plain init container runs to completion: it has no probes.
 */
function probePresent(pod: PodTemplateRef, probe: string, at: RuleScope, why: string): void {
  const containers = regular(pod);
  if (!at.tuning.probesPerContainer) {
    if (containers.length === 0 || runningContainers(pod).some((c) => hasProbe(c, probe))) return;
    at.report(`${containers[0].path}.${probe}`, `no container of the pod has a ${probe}${why}`);
    return;
  }
  for (const container of containers) {
    if (!hasProbe(container, probe)) at.report(`${container.path}.${probe}`, `container ${text(container.c.name)} has no ${probe}${why}`);
  }
}

/** Every probe port of the containers that run for the pod's life (regular ones and native sidecars). */
function probePorts(pod: PodTemplateRef): Array<{ container: ContainerRef; probe: string; port: unknown; at: string }> {
  const out: Array<{ container: ContainerRef; probe: string; port: unknown; at: string }> = [];
  for (const container of runningContainers(pod)) {
    for (const probe of PROBES) {
      for (const handler of HANDLERS) {
        const port = container.c[probe]?.[handler]?.port;
        if (port !== undefined) out.push({ container, probe, port, at: `${container.path}.${probe}.${handler}.port` });
      }
    }
  }
  return out;
}

/**
 * The Service that sends traffic to a long-running pod none of whose running containers has a probe
 * (a Service that publishes pods before they are ready aside). That is one error; the warnings about
 * a missing readiness or liveness probe then add nothing.
 */
function unprobedBehindService(pod: PodTemplateRef, at: RuleScope): { running: ContainerRef[]; service: string } | undefined {
  if (pod.runsToCompletion) return undefined;
  const running = runningContainers(pod);
  if (running.length === 0 || running.some((c) => PROBES.some((probe) => hasProbe(c, probe)))) return undefined;
  const service = at.index.servicesSelecting(pod).find((s) => s.raw.spec?.publishNotReadyAddresses !== true);
  return service ? { running, service: service.name } : undefined;
}

const isNamedPort = (port: unknown): port is string => typeof port === 'string' && !/^\d+$/.test(port);

/** What a probe checks (handler and target), for comparing readiness with liveness. */
function probeHandler(p: any): string | undefined {
  if (!p) return undefined;
  if (p.httpGet) return `httpGet ${p.httpGet.path ?? '/'} on port ${text(p.httpGet.port)}`;
  if (p.tcpSocket) return `tcpSocket on port ${text(p.tcpSocket.port)}`;
  if (p.exec) return `exec ${JSON.stringify(p.exec.command ?? [])}`;
  if (p.grpc) return `grpc${p.grpc.service ? ` service ${text(p.grpc.service)}` : ''} on port ${text(p.grpc.port)}`;
  return undefined;
}

export const PROBE_PORT_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'probe-readiness-present',
    level: PolicyLevel.WARNING,
    description: 'pods behind a Service have a readinessProbe (on one container, a native sidecar\'s counting and that of a proxy a mesh injector completes at admission, Istio\'s `image: auto`; or on every regular container with probesPerContainer; Jobs and CronJobs skipped)',
    pod: (pod, at) => {
      if (pod.runsToCompletion || unprobedBehindService(pod, at)) return;
      const services = at.index.servicesSelecting(pod);
      if (services.length) probePresent(pod, 'readinessProbe', at, `, though Service ${services[0].name} sends it traffic`);
    },
  },
  {
    id: 'probe-present-behind-service',
    level: PolicyLevel.ERROR,
    description: 'pods a Service sends traffic to have a probe (readiness, liveness or startup, that of a proxy a mesh injector completes at admission counting; Services with publishNotReadyAddresses, Jobs and CronJobs skipped): with none, the Service routes to pods that are not serving and a hung one is never taken out',
    pod: (pod, at) => {
      const unprobed = unprobedBehindService(pod, at);
      if (!unprobed) return;
      at.report(`${unprobed.running[0].path}.readinessProbe`,
        `no container of the pod has a probe, though Service ${unprobed.service} sends it traffic: new and hung pods get requests they cannot serve; add a readinessProbe (and a livenessProbe)`);
    },
  },
  {
    id: 'probe-liveness-present',
    level: PolicyLevel.WARNING,
    description: 'pods have a livenessProbe (on one container, a native sidecar\'s counting, or on every regular container with probesPerContainer; Jobs and CronJobs skipped)',
    pod: (pod, at) => {
      if (!pod.runsToCompletion && !unprobedBehindService(pod, at)) probePresent(pod, 'livenessProbe', at, '; a hung process is never restarted');
    },
  },
  {
    id: 'probe-not-identical',
    level: PolicyLevel.WARNING,
    description: 'readinessProbe and livenessProbe of a container check different things',
    pod: (pod, at) => {
      if (pod.runsToCompletion) return;
      for (const { c, path } of runningContainers(pod)) {
        const ready = probeHandler(c.readinessProbe);
        if (ready !== undefined && ready === probeHandler(c.livenessProbe)) {
          at.report(`${path}.livenessProbe`,
            `livenessProbe and readinessProbe of container ${text(c.name)} check the same thing (${ready}); a liveness check should be cheaper and independent of dependencies`);
        }
      }
    },
  },
  {
    id: 'probe-port-exposed',
    level: PolicyLevel.WARNING,
    description: 'a probe\'s port number is declared by a container of the pod',
    pod: (pod, at) => {
      const declared = new Set(containerPorts(pod).map(({ port }) => port?.containerPort).filter((n) => typeof n === 'number'));
      for (const { probe, port, at: where } of probePorts(pod)) {
        if (!isNamedPort(port) && !declared.has(Number(port))) at.report(where, `${probe} uses port ${show(port)}, which no container of the pod declares`);
      }
    },
  },
  {
    id: 'probe-named-port-exists',
    level: PolicyLevel.ERROR,
    description: 'a probe\'s named port is a port name of its own container (else the kubelet cannot run the probe)',
    pod: (pod, at) => {
      for (const { container: { c }, probe, port, at: where } of probePorts(pod)) {
        if (isNamedPort(port) && !list(c.ports).some((x) => x?.name === port)) {
          at.report(where, `${probe} uses the port name ${show(port)}, which container ${text(c.name)} does not define; the kubelet cannot run the probe`);
        }
      }
    },
  },
  {
    id: 'container-port-valid',
    level: PolicyLevel.ERROR,
    description: 'every container port sets containerPort (1-65535), and port names are unique within a container',
    pod: (pod, at) => {
      const names = new Map<ContainerRef, Set<string>>();
      for (const { container, port, at: where } of containerPorts(pod)) {
        const number = port?.containerPort;
        if (!Number.isInteger(number) || number < 1 || number > 65535) {
          at.report(`${where}.containerPort`, `containerPort is ${show(number)}; every port needs a containerPort from 1 to 65535`);
        }
        if (typeof port?.name !== 'string') continue;
        const seen = names.get(container) ?? new Set<string>();
        if (seen.has(port.name)) at.report(`${where}.name`, `port name ${show(port.name)} is used twice in container ${text(container.c.name)}; names must be unique`);
        seen.add(port.name);
        names.set(container, seen);
      }
    },
  },
  {
    id: 'port-names-unique',
    level: PolicyLevel.WARNING,
    description: 'a port name is used by one container of a pod only (a Service\'s named targetPort would be ambiguous)',
    pod: (pod, at) => {
      const owner = new Map<string, string>();
      for (const { container, port, at: where } of containerPorts(pod)) {
        if (typeof port?.name !== 'string') continue;
        const name = text(container.c.name);
        const other = owner.get(port.name);
        if (other !== undefined && other !== name) {
          at.report(`${where}.name`, `port name ${show(port.name)} is also a port of container ${other}; a named targetPort would be ambiguous`);
        }
        if (other === undefined) owner.set(port.name, name);
      }
    },
  },
  {
    id: 'port-names-valid',
    level: PolicyLevel.ERROR,
    description: 'container port names and Service targetPort names are IANA_SVC_NAMEs (<= 15 characters; else the API server refuses the object)',
    pod: (pod, at) => {
      for (const { port, at: where } of containerPorts(pod)) {
        if (typeof port?.name !== 'string') continue;
        const problem = ianaSvcNameProblem(port.name);
        if (problem) at.report(`${where}.name`, `port name ${show(port.name)} is ${problem}; must be an IANA_SVC_NAME, or the API server refuses the object`);
      }
    },
    kinds: ['Service'],
    object: (obj, at) => {
      list(obj.raw.spec?.ports).forEach((p: any, i: number) => {
        if (typeof p?.targetPort !== 'string') return;
        const problem = ianaSvcNameProblem(p.targetPort);
        if (problem) at.report(`spec.ports[${i}].targetPort`, `targetPort name ${show(p.targetPort)} is ${problem}; must be an IANA_SVC_NAME, or the API server refuses the object`);
      });
    },
  },
]);
