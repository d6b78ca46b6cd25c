/**
 * Internal to `ManifestPolicy`: the rules over a pod's probes and container ports.
 */
import { list, Report, RuleId, show, Tuning } from './rule-kit';
import { ianaSvcNameProblem } from '../../core/rules/names';
import { ContainerRef, ManifestSet, PodTemplateRef } from '../../manifests';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'];

/** Runs the probe and port rules over one pod template. */
export function checkProbesAndPorts(index: ManifestSet, pod: PodTemplateRef, tuning: Tuning, out: Report): void {
  const report = (control: RuleId, path: string, message: string) => out(pod.obj, control, path, message);
  // Containers that run for the pod's life: regular ones and sidecars (init containers with restartPolicy Always).
  const running = pod.containers.filter((c) => c.list === 'containers' || c.sidecar);
  ports(pod, report);
  probePorts(pod, running, report);
  if (pod.runsToCompletion) return;
  const regular = pod.containers.filter((c) => c.list === 'containers');
  if (tuning.enabled('probe-readiness-present') || tuning.enabled('probe-liveness-present')) {
    const services = index.servicesSelecting(pod);
    if (services.length) probePresent(regular, 'readinessProbe', 'probe-readiness-present', tuning, report, `, though Service ${services[0].name} sends it traffic`);
    probePresent(regular, 'livenessProbe', 'probe-liveness-present', tuning, report, '; a hung process is never restarted');
  }
  for (const { c, path } of regular) {
    const ready = probeHandler(c.readinessProbe);
    if (ready !== undefined && ready === probeHandler(c.livenessProbe)) {
      report('probe-not-identical', `${path}.livenessProbe`,
        `livenessProbe and readinessProbe of container ${c.name} check the same thing (${ready}); a liveness check should be cheaper and independent of dependencies`);
    }
  }
}

/** A probe on one regular container of the pod (kube-score), or on each with `probesPerContainer` (Polaris). */
function probePresent(regular: ContainerRef[], probe: string, control: RuleId, tuning: Tuning,
  report: (control: RuleId, path: string, message: string) => void, why: string): void {
  if (!tuning.probesPerContainer) {
    if (regular.length === 0 || regular.some(({ c }) => c[probe])) return;
    report(control, `${regular[0].path}.${probe}`, `no container of the pod has a ${probe}${why}`);
    return;
  }
  for (const { c, path } of regular) {
    if (!c[probe]) report(control, `${path}.${probe}`, `container ${c.name} has no ${probe}${why}`);
  }
}

/** containerPort set and in range, port names unique, valid and used by one container only; no SSH. */
function ports(pod: PodTemplateRef, report: (control: RuleId, path: string, message: string) => void): void {
  const owner = new Map<string, string>();
  for (const { c, path } of pod.containers) {
    const names = new Set<string>();
    list(c.ports).forEach((port: any, i: number) => {
      const p = `${path}.ports[${i}]`;
      const number = port?.containerPort;
      if (!Number.isInteger(number) || number < 1 || number > 65535) {
        report('container-port-valid', `${p}.containerPort`, `containerPort is ${show(number)}; every port needs a containerPort from 1 to 65535`);
      }
      if (typeof port?.name === 'string') {
        if (names.has(port.name)) report('container-port-valid', `${p}.name`, `port name ${show(port.name)} is used twice in container ${c.name}; names must be unique`);
        names.add(port.name);
        const other = owner.get(port.name);
        if (other !== undefined && other !== c.name) {
          report('port-names-unique', `${p}.name`, `port name ${show(port.name)} is also a port of container ${other}; a named targetPort would be ambiguous`);
        }
        owner.set(port.name, owner.get(port.name) ?? String(c.name));
        const problem = ianaSvcNameProblem(port.name);
        if (problem) report('port-names-valid', `${p}.name`, `port name ${show(port.name)} is ${problem}; must be an IANA_SVC_NAME`);
      }
      if (number === 22 && (port.protocol ?? 'TCP') === 'TCP') {
        report('no-ssh-port', `${p}.containerPort`, `container ${c.name} exposes TCP port 22 (SSH); containers should not run SSH`);
      }
    });
  }
}

/** A probe's number port is declared by some container of the pod; a named port is its own container's. */
function probePorts(pod: PodTemplateRef, running: ContainerRef[], report: (control: RuleId, path: string, message: string) => void): void {
  const declared = new Set<number>();
  for (const { c } of pod.containers) for (const port of list(c.ports)) if (typeof port?.containerPort === 'number') declared.add(port.containerPort);
  for (const { c, path } of running) {
    for (const probe of PROBES) {
      for (const handler of HANDLERS) {
        const port = c[probe]?.[handler]?.port;
        if (port === undefined) continue;
        const at = `${path}.${probe}.${handler}.port`;
        if (typeof port === 'string' && !/^\d+$/.test(port)) {
          if (!list(c.ports).some((x) => x?.name === port)) {
            report('probe-named-port-exists', at, `${probe} uses the port name ${show(port)}, which container ${c.name} does not define; the kubelet cannot run the probe`);
          }
        } else if (!declared.has(Number(port))) {
          report('probe-port-exposed', at, `${probe} uses port ${show(port)}, which no container of the pod declares`);
        }
      }
    }
  }
}

/** What a probe checks (handler and target), for comparing readiness with liveness. */
function probeHandler(p: any): string | undefined {
  if (!p) return undefined;
  if (p.httpGet) return `httpGet ${p.httpGet.path ?? '/'} on port ${p.httpGet.port}`;
  if (p.tcpSocket) return `tcpSocket on port ${p.tcpSocket.port}`;
  if (p.exec) return `exec ${JSON.stringify(p.exec.command ?? [])}`;
  if (p.grpc) return `grpc ${p.grpc.service ?? ''} on port ${p.grpc.port}`;
  return undefined;
}
