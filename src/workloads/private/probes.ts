import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Findings } from '../../core/findings';
import { Protocol } from '../../core/protocol';
import { addWarning } from '../../core/warnings';
import { HealthEndpoint, ProbeKind } from '../../pod/health-endpoint';

/** A container port with its name and protocol filled in. @internal */
export interface ResolvedPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

/** What decides the probes of one container. @internal */
export interface ProbeInput {
  /** Prefix of the finding fields ("" for the main container, "sidecars[0]." for a sidecar). */
  readonly field: string;
  /** Prefix of the ids of default HealthEndpoints created under the scope. */
  readonly idPrefix: string;
  readonly ports: ResolvedPort[];
  readonly healthEndpoints?: HealthEndpoint[];
  /** Create HTTP liveness and readiness endpoints on the first port when none are given. */
  readonly defaultProbes: boolean;
  /** TCP connects to the first port for every kind no health endpoint covers. */
  readonly tcpHealthCheck?: boolean;
}

/** The TCP probes of a server that speaks no HTTP: startup allows 30 x 5 s for a first initialization. */
function tcpProbes(port: number, covered: Set<ProbeKind>): Partial<Record<ProbeKind, k8s.Probe>> {
  const tcp = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
    tcpSocket: { port: k8s.IntOrString.fromNumber(port) },
    timeoutSeconds: 5,
    periodSeconds,
    failureThreshold,
    initialDelaySeconds: 0,
    successThreshold: 1,
  });
  const out: Partial<Record<ProbeKind, k8s.Probe>> = {};
  if (!covered.has(ProbeKind.STARTUP)) out[ProbeKind.STARTUP] = tcp(5, 30);
  if (!covered.has(ProbeKind.READINESS)) out[ProbeKind.READINESS] = tcp(10, 3);
  if (!covered.has(ProbeKind.LIVENESS)) out[ProbeKind.LIVENESS] = tcp(10, 6);
  return out;
}

/**
 * The probes of one container by kind: its health endpoints (each aimed at a declared port), else
 * default HTTP endpoints on the first port; TCP connects for uncovered kinds when asked.
 * @internal
 */
export function containerProbes(scope: Construct, findings: Findings, input: ProbeInput): Partial<Record<ProbeKind, k8s.Probe>> {
  const ports = input.ports;
  const firstPort = ports[0]?.containerPort;
  const useDefaults = input.defaultProbes && !input.tcpHealthCheck && firstPort !== undefined;
  const endpoints = input.healthEndpoints ?? (useDefaults ? [
    new HealthEndpoint(scope, `${input.idPrefix}liveness`, { kind: ProbeKind.LIVENESS }),
    new HealthEndpoint(scope, `${input.idPrefix}readiness`, { kind: ProbeKind.READINESS }),
  ] : []);
  const probes: Partial<Record<ProbeKind, k8s.Probe>> = {};
  endpoints.forEach((endpoint, i) => {
    const at = `${input.field}healthEndpoints[${i}]`;
    if (probes[endpoint.kind]) findings.add(`${at}.kind`, endpoint.kind, 'at most one health endpoint per kind');
    // The kubelet probes any port number, declared or not (CoreDNS probes an undeclared 8181), so
    // only a port name that resolves to nothing breaks the probe.
    if (endpoint.port !== undefined && !ports.some((p) => p.containerPort === endpoint.port)) {
      addWarning(scope, `${at}.port: ${endpoint.port} is no declared container port (${ports.map((p) => p.containerPort).join(', ') || 'none declared'}); `
        + 'the kubelet probes it all the same, but declare it so readers and tools see what the container serves');
    }
    if (endpoint.portName !== undefined && !ports.some((p) => p.name === endpoint.portName)) {
      findings.add(`${at}.portName`, endpoint.portName, `a declared container port name (${ports.map((p) => p.name).filter(Boolean).join(', ') || 'none declared'})`);
    }
    if (endpoint.command === undefined && endpoint.port === undefined && endpoint.portName === undefined && firstPort === undefined) {
      findings.add(`${at}.port`, undefined, 'a port, since the container declares none; or a command (an exec HealthEndpoint) for a worker that serves no port');
    }
    probes[endpoint.kind] = endpoint.toProbe(firstPort ?? 1);
  });
  if (input.tcpHealthCheck) {
    if (firstPort === undefined) findings.add(`${input.field}tcpHealthCheck`, true, 'a container port to connect to');
    Object.assign(probes, tcpProbes(firstPort ?? 1, new Set(endpoints.map((e) => e.kind))));
  }
  return probes;
}

/** The probe fields of a container. @internal */
export function probeFields(probes: Partial<Record<ProbeKind, k8s.Probe>>): Pick<k8s.Container, 'startupProbe' | 'livenessProbe' | 'readinessProbe'> {
  return {
    startupProbe: probes[ProbeKind.STARTUP],
    livenessProbe: probes[ProbeKind.LIVENESS],
    readinessProbe: probes[ProbeKind.READINESS],
  };
}
