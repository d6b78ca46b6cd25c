import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Findings } from '../core/findings';
import { portName } from '../core/rules/names';
import { integerBetween, portNumber } from '../core/rules/numbers';
import { secretArguments } from '../core/secrets';
import { checkArgs, checkProps } from '../core/validation';

/** Which probe a health endpoint feeds (seeds 000, 002). */
export enum ProbeKind {
  /** Restart the container when it fails. */
  LIVENESS = 'liveness',
  /** Take the pod out of Service endpoints while it fails. */
  READINESS = 'readiness',
  /** Hold the other probes until the app has started. */
  STARTUP = 'startup',
}

/** The protocol a probe speaks to its endpoint. */
export enum ProbeScheme {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS: the kubelet connects with TLS and does not verify the certificate, so a server that only speaks TLS is probed on its TLS port. */
  HTTPS = 'HTTPS',
}

const SCHEMES: string[] = Object.values(ProbeScheme);

const DEFAULT_PATHS: Record<ProbeKind, string> = {
  [ProbeKind.LIVENESS]: '/health/live',
  [ProbeKind.READINESS]: '/health/ready',
  [ProbeKind.STARTUP]: '/health/startup',
};

/** Props of a HealthEndpoint (seed 000 Health Endpoint). */
export interface HealthEndpointProps {
  /** The probe this endpoint feeds. */
  readonly kind: ProbeKind;
  /**
   * A command the kubelet runs inside the container instead of an HTTP request (an `exec` probe):
   * healthy when it exits 0, such as ["/app/worker", "healthcheck"] or ["pg_isready", "-q"]. For a
   * worker that serves no port. It runs without a shell (write ["sh", "-c", "..."] for one) and must
   * hold no secret (read one from the environment in the command itself). Exclusive with
   * endpointPath, scheme, port and portName. docker-compose runs it as the service's `healthcheck`.
   * @default - an HTTP(S) GET of endpointPath
   */
  readonly command?: string[];
  /**
   * HTTP path, starting with "/".
   * @default "/health/live", "/health/ready" or "/health/startup" by kind
   */
  readonly endpointPath?: string;
  /**
   * The protocol: HTTPS for a server that only speaks TLS (probe its TLS port).
   * @default ProbeScheme.HTTP
   */
  readonly scheme?: ProbeScheme;
  /**
   * Container port number to probe; a port the container does not declare is probed all the same
   * (the kubelet needs no declaration), with a warning.
   * @default - the workload's first container port
   */
  readonly port?: number;
  /**
   * Container port name to probe instead of a number; must be a declared container port name.
   * @default - use `port`
   */
  readonly portName?: string;
  /**
   * Seconds before a probe times out (1-300).
   * @default 30 (the seed's default)
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the container counts as unhealthy (1-10).
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Seconds between probes (1-300).
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds after start before the first probe (0-3600).
   * @default 0
   */
  readonly initialDelaySeconds?: number;
}

/**
 * An HTTP or HTTPS health endpoint probed by the kubelet (seed 000 Health Endpoint; seed 002 startup,
 * readiness and liveness probes; seed 003 /health and /ready), or, with `command`, a command the
 * kubelet runs in the container (an `exec` probe, for a worker that serves no port). A docker-compose
 * manifest turns its liveness endpoint into the compose `healthcheck` (see
 * `DeploymentManifestProps.composeHealthcheckCommand`), and a command directly into one
 * (`test: ["CMD", ...]`).
 *
 * Rules (each a synth finding): a path starting with "/", a known scheme, a port number or a port
 * name (not both), the timings' ranges; a command of non-empty words, holding no secret (such as
 * `--password hunter2` or a token), given without endpointPath, scheme, port or portName.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, HealthEndpoint, ProbeKind, ProbeScheme } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ name: 'https', containerPort: 8443 }],
 *   healthEndpoints: [
 *     new HealthEndpoint(chart, 'api-live', {
 *       kind: ProbeKind.LIVENESS,
 *       endpointPath: '/health/live',
 *       scheme: ProbeScheme.HTTPS,
 *       portName: 'https',
 *       failureThreshold: 3,
 *     }),
 *     new HealthEndpoint(chart, 'api-ready', { kind: ProbeKind.READINESS, endpointPath: '/health/ready', scheme: ProbeScheme.HTTPS, portName: 'https' }),
 *   ],
 * });
 *
 * // A queue worker serves no port: its health is a command.
 * new DeploymentManifest(chart, 'worker', {
 *   image: new ContainerImage(chart, 'worker-image', { repository: 'acme/worker', tag: '1.4.2' }),
 *   healthEndpoints: [
 *     new HealthEndpoint(chart, 'worker-live', { kind: ProbeKind.LIVENESS, command: ['/app/worker', 'healthcheck'], periodSeconds: 30 }),
 *   ],
 * });
 * app.synth();
 */
export class HealthEndpoint extends Construct {
  /** The probe kind. */
  public readonly kind: ProbeKind;
  /** The command of an exec endpoint, when given. */
  public readonly command?: string[];
  /** The HTTP path (not probed by an exec endpoint). */
  public readonly endpointPath: string;
  /** The port number, when given. */
  public readonly port?: number;
  /** The port name, when given. */
  public readonly portName?: string;
  /** The protocol. */
  public readonly scheme: ProbeScheme;

  private readonly props: HealthEndpointProps;
  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: HealthEndpointProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'HealthEndpointProps', props);
    this.findings = findings;
    this.props = props;
    this.kind = props.kind;
    this.command = props.command === undefined ? undefined : [...props.command];
    this.endpointPath = props.endpointPath ?? DEFAULT_PATHS[props.kind] ?? '/';
    this.port = props.port;
    this.portName = props.portName;
    this.scheme = props.scheme ?? ProbeScheme.HTTP;

    if (!this.endpointPath.startsWith('/') || /\s/.test(this.endpointPath)) {
      findings.add('endpointPath', this.endpointPath, 'a path starting with "/" (for example "/health/live")');
    }
    // Checked at run time too: JavaScript callers may pass any string where the enum is typed.
    if (!SCHEMES.includes(this.scheme)) findings.add('scheme', this.scheme, `one of ${SCHEMES.join(', ')}`);
    findings.check('port', props.port, portNumber);
    findings.check('portName', props.portName, portName);
    if (props.port !== undefined && props.portName !== undefined) {
      findings.add('portName', props.portName, 'either port or portName, not both');
    }
    if (props.command !== undefined && !findings._hasTypeProblem('command')) this.checkCommand(props);
    findings.check('timeoutSeconds', props.timeoutSeconds, integerBetween(1, 300));
    findings.check('failureThreshold', props.failureThreshold, integerBetween(1, 10));
    findings.check('periodSeconds', props.periodSeconds, integerBetween(1, 300));
    findings.check('initialDelaySeconds', props.initialDelaySeconds, integerBetween(0, 3600));
  }

  /**
   * The Kubernetes probe, aimed at `defaultPort` when the endpoint names no port (an exec endpoint
   * needs none: `defaultPort` is not used).
   */
  public toProbe(defaultPort: number): k8s.Probe {
    [defaultPort] = checkArgs(this.findings, 'HealthEndpoint', 'toProbe', [defaultPort]) as [number];
    const port = this.portName !== undefined
      ? k8s.IntOrString.fromString(this.portName)
      : k8s.IntOrString.fromNumber(this.port ?? defaultPort);
    return {
      ...(this.command !== undefined
        ? { exec: { command: [...this.command] } }
        : { httpGet: { path: this.endpointPath, port, scheme: this.scheme } }),
      timeoutSeconds: this.props.timeoutSeconds ?? 30,
      failureThreshold: this.props.failureThreshold ?? 3,
      periodSeconds: this.props.periodSeconds ?? 10,
      initialDelaySeconds: this.props.initialDelaySeconds ?? 0,
      successThreshold: 1,
    };
  }

  /** The rules of an exec endpoint: a command of words with no secret, and no HTTP prop beside it. */
  private checkCommand(props: HealthEndpointProps): void {
    const command = props.command ?? [];
    const findings = this.findings;
    if (command.length === 0) {
      findings.add('command', command, 'a command of at least one word, such as ["/app/worker", "healthcheck"]');
    }
    command.forEach((word, i) => {
      if (word.trim() === '' || /[\r\n\0]/.test(word)) findings.add(`command[${i}]`, word, 'a non-empty word without line breaks');
    });
    for (const { index, why } of secretArguments(command)) {
      findings.addRedacted(`command[${index}]`,
        `no secret on the command line (it ${why}): the command and its output are visible in the pod spec and its events; let the command read the secret from the container's environment or a mounted file`);
    }
    for (const field of ['endpointPath', 'scheme', 'port', 'portName'] as const) {
      if (props[field] !== undefined) {
        findings.add(field, props[field], 'nothing beside command: an exec endpoint runs the command and probes no HTTP path or port');
      }
    }
  }
}
