/**
 * Sidecars of every workload: further regular containers (Kubernetes 1.28 keeps native sidecars
 * behind an alpha gate) with the workload's restricted security, resources and probes like the
 * main container; their ports join the pod's Service and NetworkPolicy. Also tcpHealthCheck and pod
 * annotations on a DeploymentManifest.
 */
import { Chart, Testing } from 'cdk8s';
import {
  ContainerImage, DeploymentManifest, HealthEndpoint, ProbeKind, ResourceLimits, SecretConfiguration, SidecarSpec, StatefulManifest,
} from '../../src';
import { findObject, synthError, synthManifests } from '../util/manifests';

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

const image = (c: Chart, id: string, repository: string) => new ContainerImage(c, id, { registry: 'ghcr.io', repository, tag: '1.0.0' });

function withSidecar(extra: Partial<ConstructorParameters<typeof DeploymentManifest>[2]> = {}, sidecar: any = {}) {
  const c = chart();
  new DeploymentManifest(c, 'api', {
    image: image(c, 'api-image', 'acme/api'),
    ports: [{ containerPort: 8080 }],
    secrets: [new SecretConfiguration(c, 'creds', { name: 'api-credentials', existingSecret: true, requiredKeys: ['TOKEN'] })],
    sidecars: [{ name: 'metrics', image: image(c, 'exporter-image', 'acme/exporter'), ports: [{ name: 'metrics', containerPort: 9100 }], env: { TARGET: 'http://localhost:8080' }, ...sidecar }],
    ...extra,
  });
  return c;
}

const pod = (objects: any[], kind = 'Deployment', name = 'api') => findObject(objects, kind, name).spec.template.spec;

describe('sidecars', () => {
  test('a sidecar is a regular container with the main container\'s security, resources and volumes, and probes of its own', () => {
    const objects = synthManifests(withSidecar());
    const spec = pod(objects);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['api', 'metrics']);
    expect(spec.initContainers).toBeUndefined();
    const [main, sidecar] = spec.containers;
    expect(sidecar.securityContext).toEqual(main.securityContext);
    expect(sidecar.securityContext).toMatchObject({
      runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(sidecar.resources).toEqual(main.resources);
    expect(sidecar.volumeMounts).toEqual(main.volumeMounts);
    expect(sidecar.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 9100, scheme: 'HTTP' });
    expect(sidecar.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 9100, scheme: 'HTTP' });
    expect(sidecar.ports).toEqual([{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }]);
    expect(sidecar.image).toBe('ghcr.io/acme/exporter:1.0.0');
    expect(sidecar.imagePullPolicy).toBe('Always');
    // Only its own environment: no envFrom of the workload's secrets.
    expect(sidecar.env).toEqual([{ name: 'TARGET', value: 'http://localhost:8080' }]);
    expect(sidecar.envFrom).toBeUndefined();
    expect(main.envFrom).toEqual([{ secretRef: { name: 'api-credentials' } }]);
    expect(objects).toMatchSnapshot();
  });

  test('its ports join the Service and the NetworkPolicy', () => {
    const objects = synthManifests(withSidecar());
    expect(findObject(objects, 'Service', 'api').spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' },
    ]);
    expect(findObject(objects, 'NetworkPolicy', 'api').spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }, { port: 9100, protocol: 'TCP' }]);
  });

  test('own resources, given probes, TCP probes, or none without ports', () => {
    const c = chart();
    new DeploymentManifest(c, 'api', {
      image: image(c, 'api-image', 'acme/api'),
      ports: [{ containerPort: 8080 }],
      sidecars: [
        {
          name: 'proxy',
          image: image(c, 'proxy-image', 'acme/proxy'),
          ports: [{ name: 'proxy', containerPort: 9000 }],
          healthEndpoints: [new HealthEndpoint(c, 'proxy-ready', { kind: ProbeKind.READINESS, endpointPath: '/ready' })],
          tcpHealthCheck: true,
          resourceLimits: new ResourceLimits(c, 'proxy-res', { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } }),
        },
        { name: 'shipper', image: image(c, 'shipper-image', 'acme/shipper'), args: ['--follow', '/tmp/app.log'] },
      ],
    });
    const [, proxy, shipper] = pod(synthManifests(c)).containers;
    expect(proxy.resources).toEqual({
      requests: { 'cpu': '50m', 'memory': '32Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '100m', 'memory': '64Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(proxy.readinessProbe.httpGet).toEqual({ path: '/ready', port: 9000, scheme: 'HTTP' });
    expect(proxy.livenessProbe.tcpSocket).toEqual({ port: 9000 });
    expect(proxy.startupProbe.tcpSocket).toEqual({ port: 9000 });
    expect([shipper.livenessProbe, shipper.readinessProbe, shipper.ports]).toEqual([undefined, undefined, undefined]);
    expect(shipper.args).toEqual(['--follow', '/tmp/app.log']);
  });

  test('a StatefulManifest takes sidecars too', () => {
    const c = chart();
    new StatefulManifest(c, 'db', {
      image: image(c, 'db-image', 'acme/db'),
      ports: [{ name: 'db', containerPort: 5432 }],
      tcpHealthCheck: true,
      volumeClaim: { name: 'data', mountPath: '/data', size: '1Gi' },
      sidecars: [{ name: 'exporter', image: image(c, 'exp-image', 'acme/db-exporter'), ports: [{ name: 'metrics', containerPort: 9187 }] }],
    });
    const objects = synthManifests(c);
    expect(pod(objects, 'StatefulSet', 'db').containers.map((x: any) => x.name)).toEqual(['db', 'exporter']);
    expect(findObject(objects, 'Service', 'db').spec.ports.map((p: any) => p.port)).toEqual([5432, 9187]);
  });

  test('tcpHealthCheck and pod annotations on a DeploymentManifest', () => {
    const c = chart();
    const api = new DeploymentManifest(c, 'api', {
      image: image(c, 'api-image', 'acme/api'),
      ports: [{ containerPort: 7000 }],
      tcpHealthCheck: true,
      podAnnotations: { 'example.com/team': 'payments' },
    });
    api.addPodAnnotation('prometheus.io/scrape', 'true');
    const deployment = findObject(synthManifests(c), 'Deployment', 'api');
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'example.com/team': 'payments', 'prometheus.io/scrape': 'true' });
    const main = deployment.spec.template.spec.containers[0];
    const tcp = [main.startupProbe, main.readinessProbe, main.livenessProbe].map((p) => p.tcpSocket);
    expect(tcp).toEqual([{ port: 7000 }, { port: 7000 }, { port: 7000 }]);
  });

  test.each<[string, (c: Chart) => Partial<SidecarSpec>, RegExp]>([
    ['a sidecar named like the main container', () => ({ name: 'api' }), /\[test\/api\] containers: got "api"; expected unique container names in the pod/],
    ['a sidecar name that is no DNS label', () => ({ name: 'Metrics_Exporter' }), /sidecars\[0\]\.name: got "Metrics_Exporter"; expected a DNS-1123 label/],
    ['a sidecar port the main container has', () => ({ ports: [{ name: 'alt', containerPort: 8080 }] }), /ports: got "8080\/TCP"; expected unique container ports in the pod/],
    ['a sidecar port name the main container has', () => ({ ports: [{ name: 'http', containerPort: 9100 }] }), /ports: got "http"; expected unique port names in the pod/],
    ['a bad sidecar port', () => ({ ports: [{ name: 'metrics', containerPort: 0 }] }), /sidecars\[0\]\.ports\[0\]\.containerPort: got 0; expected an integer from 1 to 65535/],
    ['a literal credential in a sidecar', () => ({ env: { API_TOKEN: 'abc' } }), /sidecars\[0\]\.env\.API_TOKEN: got <redacted>; expected no credential as a literal environment variable/],
    ['a probe on a port name the sidecar lacks', (c) => ({ healthEndpoints: [new HealthEndpoint(c, 'bad', { kind: ProbeKind.LIVENESS, portName: 'admin' })] }),
      /sidecars\[0\]\.healthEndpoints\[0\]\.portName: got "admin"; expected a declared container port name \(metrics\)/],
    ['TCP probes without a port', () => ({ ports: undefined, tcpHealthCheck: true }), /sidecars\[0\]\.tcpHealthCheck: got true; expected a container port to connect to/],
  ])('refuses %s', (_what, sidecar, message) => {
    const c = chart();
    new DeploymentManifest(c, 'api', {
      image: image(c, 'api-image', 'acme/api'),
      ports: [{ containerPort: 8080 }],
      sidecars: [{ name: 'metrics', image: image(c, 'exporter-image', 'acme/exporter'), ports: [{ name: 'metrics', containerPort: 9100 }], ...sidecar(c) }],
    });
    expect(synthError(c)).toMatch(message);
  });

  test('refuses a latest sidecar image in production and a bad annotation key', () => {
    const c = chart();
    const api = new DeploymentManifest(c, 'api', {
      image: image(c, 'api-image', 'acme/api'),
      sidecars: [{ name: 'proxy', image: new ContainerImage(c, 'latest', { repository: 'acme/proxy', tag: 'latest' }) }],
    });
    api.addPodAnnotation('bad key!', 'x');
    const message = synthError(c);
    expect(message).toMatch(/sidecars\[0\]\.image\.tag: got "latest"; expected a pinned semantic version \(or a digest\) in production/);
    expect(message).toMatch(/podAnnotations key: got "bad key!"; expected a label key/);
  });
});
