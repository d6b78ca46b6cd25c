import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import {
  ComposeFile, ContainerImage, DeploymentManifest, HealthEndpoint, HealthEndpointProps, ManifestType, ProbeKind, ProbeScheme, Warnings,
} from '../../src';
import { composeTextProblems } from '../util/compose-schema';
import { findObject, synthManifests } from '../util/manifests';

const ROOT = path.resolve(__dirname, '..', '..');

function chartWith(build: (chart: any) => void, namespace = 'shop') {
  const chart = Testing.chart();
  (chart as any).namespace = namespace;
  build(chart);
  return chart;
}

function endpoint(props: HealthEndpointProps) {
  return new HealthEndpoint(Testing.chart(), 'e', props);
}

describe('HealthEndpoint', () => {
  test.each([
    [ProbeKind.LIVENESS, '/health/live'],
    [ProbeKind.READINESS, '/health/ready'],
    [ProbeKind.STARTUP, '/health/startup'],
  ])('a %s endpoint defaults to %s', (kind, defaultPath) => {
    const e = endpoint({ kind });
    expect(e.kind).toBe(kind);
    expect(e.endpointPath).toBe(defaultPath);
    expect(e.toProbe(8080).httpGet!.path).toBe(defaultPath);
  });

  test('toProbe fills in the defaults: the given port, timeout 30, 3 failures, every 10s, no delay', () => {
    expect(endpoint({ kind: ProbeKind.LIVENESS }).toProbe(8080)).toEqual({
      httpGet: { path: '/health/live', port: k8s.IntOrString.fromNumber(8080), scheme: 'HTTP' },
      timeoutSeconds: 30,
      failureThreshold: 3,
      periodSeconds: 10,
      initialDelaySeconds: 0,
      successThreshold: 1,
    });
  });

  test('toProbe uses the given path, port number, timeout, threshold, period and initial delay', () => {
    const probe = endpoint({
      kind: ProbeKind.READINESS, endpointPath: '/ready', port: 9090, timeoutSeconds: 5, failureThreshold: 6, periodSeconds: 15, initialDelaySeconds: 20,
    }).toProbe(8080);
    expect(probe).toEqual({
      httpGet: { path: '/ready', port: k8s.IntOrString.fromNumber(9090), scheme: 'HTTP' },
      timeoutSeconds: 5,
      failureThreshold: 6,
      periodSeconds: 15,
      initialDelaySeconds: 20,
      successThreshold: 1,
    });
  });

  test('toProbe aims at a port name when one is given', () => {
    const e = endpoint({ kind: ProbeKind.STARTUP, portName: 'http' });
    expect(e.portName).toBe('http');
    expect(e.port).toBeUndefined();
    expect(e.toProbe(8080).httpGet!.port).toEqual(k8s.IntOrString.fromString('http'));
  });

  test('scheme HTTPS: a TLS-only server is probed with TLS on its TLS port', () => {
    const e = endpoint({ kind: ProbeKind.LIVENESS, scheme: ProbeScheme.HTTPS, portName: 'https' });
    expect(e.scheme).toBe(ProbeScheme.HTTPS);
    expect(endpoint({ kind: ProbeKind.LIVENESS }).scheme).toBe(ProbeScheme.HTTP);
    expect(e.toProbe(4653).httpGet).toEqual({ path: '/health/live', port: k8s.IntOrString.fromString('https'), scheme: 'HTTPS' });

    const objects = synthManifests(chartWith((c) => new DeploymentManifest(c, 'tls', {
      image: new ContainerImage(c, 'image', { repository: 'acme/tls', tag: '1.0.0' }),
      ports: [{ name: 'https', containerPort: 8443 }],
      healthEndpoints: [
        new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, scheme: ProbeScheme.HTTPS, portName: 'https' }),
        new HealthEndpoint(c, 'ready', { kind: ProbeKind.READINESS, scheme: ProbeScheme.HTTPS, port: 8443 }),
      ],
    })));
    const container = findObject(objects, 'Deployment', 'tls').spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'https', scheme: 'HTTPS' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 8443, scheme: 'HTTPS' });
  });

  test('the edges of every range are accepted', () => {
    const chart = Testing.chart();
    new HealthEndpoint(chart, 'low', { kind: ProbeKind.LIVENESS, port: 1, timeoutSeconds: 1, failureThreshold: 1, periodSeconds: 1, initialDelaySeconds: 0 });
    new HealthEndpoint(chart, 'high', { kind: ProbeKind.LIVENESS, port: 65535, timeoutSeconds: 300, failureThreshold: 10, periodSeconds: 300, initialDelaySeconds: 3600 });
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('probes set on a DeploymentManifest (snapshot)', () => {
    const objects = synthManifests(chartWith((c) => new DeploymentManifest(c, 'api', {
      image: new ContainerImage(c, 'api-image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }),
      ports: [{ containerPort: 8080 }, { name: 'admin', containerPort: 9090 }],
      healthEndpoints: [
        new HealthEndpoint(c, 'startup', { kind: ProbeKind.STARTUP, periodSeconds: 5, failureThreshold: 10 }),
        new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, endpointPath: '/healthz', portName: 'admin', timeoutSeconds: 2, initialDelaySeconds: 15 }),
        new HealthEndpoint(c, 'ready', { kind: ProbeKind.READINESS, port: 8080, timeoutSeconds: 3 }),
      ],
    })));
    const container = findObject(objects, 'Deployment', 'api').spec.template.spec.containers[0];
    const probes = { startupProbe: container.startupProbe, livenessProbe: container.livenessProbe, readinessProbe: container.readinessProbe };
    expect(probes.startupProbe.httpGet).toEqual({ path: '/health/startup', port: 8080, scheme: 'HTTP' });
    expect(probes.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'admin', scheme: 'HTTP' });
    expect(probes.readinessProbe).toMatchObject({ httpGet: { path: '/health/ready', port: 8080 }, timeoutSeconds: 3, failureThreshold: 3 });
    expect(probes).toMatchSnapshot();
  });
});

describe('HealthEndpoint rules', () => {
  /** Synthesizes a chart holding only a HealthEndpoint at path test/p and returns the error message. */
  const errorFor = (props: HealthEndpointProps): string => {
    const chart = Testing.chart();
    new HealthEndpoint(chart, 'p', props);
    try {
      Testing.synth(chart);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`expected ${JSON.stringify(props)} to be rejected`);
  };
  const live = { kind: ProbeKind.LIVENESS };

  test.each<[string, HealthEndpointProps, RegExp]>([
    ['an endpointPath without a leading "/"', { ...live, endpointPath: 'health' },
      /\[test\/p\] endpointPath: got "health"; expected a path starting with "\/" \(for example "\/health\/live"\)/],
    ['an endpointPath with a space', { ...live, endpointPath: '/health check' },
      /\[test\/p\] endpointPath: got "\/health check"; expected a path starting with "\/"/],
    ['timeoutSeconds 0', { ...live, timeoutSeconds: 0 }, /\[test\/p\] timeoutSeconds: got 0; expected an integer from 1 to 300/],
    ['timeoutSeconds 301', { ...live, timeoutSeconds: 301 }, /\[test\/p\] timeoutSeconds: got 301; expected an integer from 1 to 300/],
    ['failureThreshold 0', { ...live, failureThreshold: 0 }, /\[test\/p\] failureThreshold: got 0; expected an integer from 1 to 10/],
    ['failureThreshold 11', { ...live, failureThreshold: 11 }, /\[test\/p\] failureThreshold: got 11; expected an integer from 1 to 10/],
    ['periodSeconds 0', { ...live, periodSeconds: 0 }, /\[test\/p\] periodSeconds: got 0; expected an integer from 1 to 300/],
    ['initialDelaySeconds -1', { ...live, initialDelaySeconds: -1 }, /\[test\/p\] initialDelaySeconds: got -1; expected an integer from 0 to 3600/],
    ['port 0', { ...live, port: 0 }, /\[test\/p\] port: got 0; expected an integer from 1 to 65535/],
    ['portName Bad_Name', { ...live, portName: 'Bad_Name' },
      /\[test\/p\] portName: got "Bad_Name"; expected a port name: at most 15 lowercase letters, digits or "-"/],
    ['a scheme other than HTTP or HTTPS', { ...live, scheme: 'TCP' as ProbeScheme },
      /\[test\/p\] scheme: got "TCP"; expected one of HTTP, HTTPS/],
    ['both port and portName', { ...live, port: 8080, portName: 'http' },
      /\[test\/p\] portName: got "http"; expected either port or portName, not both/],
  ])('rejects %s, naming the field and the expected form', (_what, props, message) => {
    expect(errorFor(props)).toMatch(message);
  });

  test('several mistakes are reported together', () => {
    const message = errorFor({ ...live, endpointPath: 'live', timeoutSeconds: 0, failureThreshold: 11, port: 0 });
    expect(message).toMatch(/\[test\/p\] endpointPath: got "live"/);
    expect(message).toMatch(/\[test\/p\] timeoutSeconds: got 0/);
    expect(message).toMatch(/\[test\/p\] failureThreshold: got 11/);
    expect(message).toMatch(/\[test\/p\] port: got 0/);
  });
});

describe('HealthEndpoint with a command (exec probe), for a worker that serves no port', () => {
  const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';

  /** Synthesizes the chart and returns the error message. */
  const errorOf = (build: (chart: any) => void): string => {
    const chart = Testing.chart();
    build(chart);
    try {
      Testing.synth(chart);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected the synth to fail');
  };

  test('refuses an empty command, an empty word, a secret on the command line and HTTP props beside it, all at once', () => {
    const message = errorOf((c) => {
      new HealthEndpoint(c, 'empty', { kind: ProbeKind.LIVENESS, command: [] });
      new HealthEndpoint(c, 'p', {
        kind: ProbeKind.LIVENESS,
        command: ['/app/worker', '', 'check', '--password', SECRET],
        endpointPath: '/healthz',
        scheme: ProbeScheme.HTTPS,
        port: 8080,
        portName: 'http',
      });
    });
    expect(message).toContain('[test/empty] command: got []; expected a command of at least one word, such as ["/app/worker", "healthcheck"]');
    expect(message).toContain('[test/p] command[1]: got ""; expected a non-empty word without line breaks');
    expect(message).toMatch(/\[test\/p\] command\[4\]: .*expected no secret on the command line \(it follows --password, a flag that names a secret\)/);
    for (const field of ['endpointPath: got "/healthz"', 'scheme: got "HTTPS"', 'port: got 8080', 'portName: got "http"']) {
      expect(message).toContain(`[test/p] ${field}; expected nothing beside command: an exec endpoint runs the command and probes no HTTP path or port`);
    }
    expect(message).not.toContain(SECRET);
  });

  test('JavaScript callers: a command that is no list of strings is a type finding', () => {
    const message = errorOf((c) => new HealthEndpoint(c, 'p', { kind: ProbeKind.LIVENESS, command: ['/app/worker', 7] as any }));
    expect(message).toMatch(/\[test\/p\] command\[1\]: got 7; expected a string/);
  });

  test('renders an exec probe; a port-less worker gets no "declare a port" warning and deploykit check finds no error', () => {
    const e = endpoint({ kind: ProbeKind.LIVENESS, command: ['/app/worker', 'healthcheck'], periodSeconds: 30, timeoutSeconds: 5 });
    expect(e.command).toEqual(['/app/worker', 'healthcheck']);
    expect(e.toProbe(1)).toEqual({
      exec: { command: ['/app/worker', 'healthcheck'] }, timeoutSeconds: 5, failureThreshold: 3, periodSeconds: 30, initialDelaySeconds: 0, successThreshold: 1,
    });

    let worker: DeploymentManifest | undefined;
    const chart = chartWith((c) => {
      worker = new DeploymentManifest(c, 'worker', {
        name: 'worker',
        image: new ContainerImage(c, 'image', { repository: 'acme/worker', tag: '1.4.2' }),
        replicaCount: 2,
        healthEndpoints: [
          new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, command: ['/app/worker', 'healthcheck', '--alive'], periodSeconds: 30 }),
          new HealthEndpoint(c, 'ready', { kind: ProbeKind.READINESS, command: ['/app/worker', 'healthcheck', '--queue'] }),
        ],
      });
    });
    const objects = synthManifests(chart);
    const container = findObject(objects, 'Deployment', 'worker').spec.template.spec.containers[0];
    expect(container.ports).toBeUndefined();
    expect(container.livenessProbe).toEqual({
      exec: { command: ['/app/worker', 'healthcheck', '--alive'] }, timeoutSeconds: 30, failureThreshold: 3, periodSeconds: 30, initialDelaySeconds: 0, successThreshold: 1,
    });
    expect(container.readinessProbe.exec).toEqual({ command: ['/app/worker', 'healthcheck', '--queue'] });
    expect(Warnings.of(worker!)).toEqual([]);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-exec-probe-'));
    try {
      const file = path.join(dir, 'worker.k8s.yaml');
      fs.writeFileSync(file, objects.map((o) => YAML.stringify(o)).join('---\n'));
      const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'deploykit'), 'check', '--format', 'json', file], { cwd: ROOT, encoding: 'utf8' });
      const report = JSON.parse(run.stdout);
      expect(report.findings.filter((f: any) => f.level === 'error')).toEqual([]);
      expect(report.summary.errors).toBe(0);
      expect(report.findings.filter((f: any) => f.rule.startsWith('probe-'))).toEqual([]);
      expect(run.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a port-less worker without a liveness probe is told to add an exec HealthEndpoint, not to declare a port', () => {
    let worker: DeploymentManifest | undefined;
    Testing.synth(chartWith((c) => {
      worker = new DeploymentManifest(c, 'worker', { image: new ContainerImage(c, 'image', { repository: 'acme/worker', tag: '1.4.2' }), replicaCount: 2 });
    }));
    const messages = Warnings.of(worker!).map((w) => w.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('for a worker that serves no port, add an exec HealthEndpoint (ProbeKind.LIVENESS with a `command` such as ["/app/worker", "healthcheck"])');
    // A port-less HTTP endpoint is still an error, which names the exec form.
    const message = errorOf((c) => new DeploymentManifest(c, 'worker', {
      image: new ContainerImage(c, 'image', { repository: 'acme/worker', tag: '1.4.2' }),
      healthEndpoints: [new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS })],
    }));
    expect(message).toContain('healthEndpoints[0].port: got nothing; expected a port, since the container declares none; or a command (an exec HealthEndpoint) for a worker that serves no port');
  });

  test('docker-compose: the exec liveness probe is the service healthcheck; a healthcheck command beside it is refused', () => {
    const build = (composeHealthcheckCommand?: string[]) => {
      const app = Testing.app();
      const chart = new Chart(app, 'jobs', { namespace: 'jobs' });
      new DeploymentManifest(chart, 'worker', {
        name: 'worker',
        type: ManifestType.DOCKER_COMPOSE,
        image: new ContainerImage(chart, 'image', { repository: 'acme/worker', tag: '1.4.2' }),
        healthEndpoints: [new HealthEndpoint(chart, 'live', { kind: ProbeKind.LIVENESS, command: ['/app/worker', 'healthcheck'], periodSeconds: 30, timeoutSeconds: 5, initialDelaySeconds: 20 })],
        composeHealthcheckCommand,
      });
      return { app, compose: new ComposeFile(app, 'compose', { chart, projectName: 'jobs' }) };
    };
    const text = build().compose.synthesizeFile();
    expect(composeTextProblems(text)).toEqual([]);
    const worker = YAML.parse(text, { version: '1.1' }).services.worker;
    expect(worker.healthcheck).toEqual({ test: ['CMD', '/app/worker', 'healthcheck'], interval: '30s', timeout: '5s', retries: 3, start_period: '20s' });
    expect(worker.ports).toBeUndefined();
    expect(worker.expose).toBeUndefined();

    const refused = build(['curl', '-fsk']);
    let message = '';
    try {
      refused.app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('composeHealthcheckCommand: got ["curl","-fsk"]; expected nothing: the liveness HealthEndpoint runs a command, which is the compose healthcheck as it is');
  });
});
