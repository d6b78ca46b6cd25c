import { Testing, Yaml } from 'cdk8s';
import { SecretConfiguration } from '../../src/config/secret-configuration';
import { Warnings } from '../../src/core/construct-warnings';
import { Environment } from '../../src/core/environment';
import { ContainerImage } from '../../src/pod/container-image';
import { HealthEndpoint, ProbeKind } from '../../src/pod/health-endpoint';
import { ResourceLimits } from '../../src/pod/resource-limits';
import { TaintEffect } from '../../src/pod/scheduling';
import { SecurityProfile } from '../../src/pod/security-profile';
import { StatefulManifest, StatefulManifestProps } from '../../src/workloads/stateful-manifest';
import { findObject, objectsOfKind, synthManifests } from '../util/manifests';
import { DEFAULT_CONTAINER_SECURITY_CONTEXT } from '../util/security-context';

function chartWith(build: (chart: any) => void, namespace = 'shop') {
  const chart = Testing.chart();
  (chart as any).namespace = namespace;
  build(chart);
  return chart;
}

function db(chart: any, props: Partial<StatefulManifestProps> = {}) {
  return new StatefulManifest(chart, 'db', {
    image: new ContainerImage(chart, 'db-image', { repository: 'bitnami/postgresql', tag: '16.4.0' }),
    ports: [{ name: 'postgresql', containerPort: 5432 }],
    volumeClaim: { name: 'data', mountPath: '/bitnami/postgresql', size: '2Gi' },
    ...props,
  });
}

describe('StatefulManifest', () => {
  test('synthesizes a headless Service, a StatefulSet with a claim template and a NetworkPolicy with stable names', () => {
    const objects = synthManifests(chartWith((c) => db(c)));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/db', 'StatefulSet/db', 'NetworkPolicy/db',
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('the headless Service names the pods; the StatefulSet points at it', () => {
    let manifest!: StatefulManifest;
    const objects = synthManifests(chartWith((c) => {
      manifest = db(c, { serviceName: 'db-headless' });
    }));
    const service = findObject(objects, 'Service', 'db-headless');
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      selector: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'db' },
      ports: [{ name: 'postgresql', port: 5432, targetPort: 5432, protocol: 'TCP' }],
    });
    expect(findObject(objects, 'StatefulSet', 'db').spec.serviceName).toBe('db-headless');
    expect(manifest.dnsName).toBe('db-headless.shop.svc.cluster.local');
    expect(manifest.podDnsName(0)).toBe('db-0.db-headless.shop.svc.cluster.local');
  });

  test('one ReadWriteOnce claim per replica, mounted in the container; its labels carry no version', () => {
    const objects = synthManifests(chartWith((c) => db(c, {
      volumeClaim: { name: 'data', mountPath: '/var/lib/data', size: '5Gi', storageClass: 'standard', minimumSize: '1Gi' },
    })));
    const set = findObject(objects, 'StatefulSet', 'db');
    expect(set.spec.volumeClaimTemplates).toEqual([{
      metadata: {
        name: 'data',
        labels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'db', 'app.kubernetes.io/managed-by': 'cdk8s-deploykit' },
      },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } },
    }]);
    const container = set.spec.template.spec.containers[0];
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/var/lib/data' }]);
    // The claim is no pod volume: the controller adds it per replica.
    expect(set.spec.template.spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(set.spec.replicas).toBe(1);
    expect(set.metadata.labels['app.kubernetes.io/version']).toBe('16.4.0');
  });

  test('the pod is secure by default, exactly like a DeploymentManifest pod', () => {
    const pod = findObject(synthManifests(chartWith((c) => db(c))), 'StatefulSet', 'db').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].securityContext).toEqual(DEFAULT_CONTAINER_SECURITY_CONTEXT);
    expect(pod.containers[0].resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    });
    // A database speaks no HTTP: without health endpoints it is probed by TCP connects to its first
    // port, and the StatefulSet waives the identical liveness and readiness with the reason.
    expect(pod.containers[0].livenessProbe.tcpSocket).toEqual({ port: 5432 });
    expect(pod.containers[0].readinessProbe.tcpSocket).toEqual({ port: 5432 });
    const set = findObject(synthManifests(chartWith((c) => db(c))), 'StatefulSet', 'db');
    expect(set.metadata.annotations['deploykit.dev/waive']).toMatch(/^probe-not-identical: a server without an HTTP health path \(tcpHealthCheck\)/m);
  });

  test('tcpHealthCheck: false without health endpoints is refused: no probe at all behind the headless Service', () => {
    expect(() => synthManifests(chartWith((c) => db(c, { tcpHealthCheck: false })))).toThrow(
      /\[test\/db\] tcpHealthCheck: got false; expected a readiness HealthEndpoint \(ProbeKind.READINESS\) or tcpHealthCheck: true: the pods have no probe at all/);
  });

  test('a liveness endpoint alone leaves the pods unready-checked: a warning, not an error', () => {
    const chart = chartWith((c) => db(c, { tcpHealthCheck: false, healthEndpoints: [new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, endpointPath: '/live' })] }));
    const pod = findObject(synthManifests(chart), 'StatefulSet', 'db').spec.template.spec;
    expect(pod.containers[0].readinessProbe).toBeUndefined();
    expect(Warnings.of(chart).map((w) => w.message).join('\n')).toMatch(/no readiness probe: the headless Service db/);
  });

  test('tcpHealthCheck probes the first port for every kind no HTTP endpoint covers', () => {
    const container = findObject(synthManifests(chartWith((c) => db(c, {
      tcpHealthCheck: true,
      healthEndpoints: [new HealthEndpoint(c, 'ready', { kind: ProbeKind.READINESS, endpointPath: '/ready' })],
    }))), 'StatefulSet', 'db').spec.template.spec.containers[0];
    expect(container.startupProbe).toEqual({
      tcpSocket: { port: 5432 }, timeoutSeconds: 5, periodSeconds: 5, failureThreshold: 30, initialDelaySeconds: 0, successThreshold: 1,
    });
    expect(container.livenessProbe).toEqual({
      tcpSocket: { port: 5432 }, timeoutSeconds: 5, periodSeconds: 10, failureThreshold: 6, initialDelaySeconds: 0, successThreshold: 1,
    });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 5432, scheme: 'HTTP' });
  });

  test('secrets, resources and the security profile are the shared entities', () => {
    const objects = synthManifests(chartWith((c) => db(c, {
      environment: Environment.DEVELOPMENT,
      securityProfile: new SecurityProfile(c, 'sec', { runAsUser: 1001, runAsGroup: 1001, writablePaths: ['/tmp', '/opt/app/run'] }),
      resourceLimits: new ResourceLimits(c, 'res', { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
      secrets: [new SecretConfiguration(c, 'creds', { name: 'db-credentials', existingSecret: true, requiredKeys: ['POSTGRES_PASSWORD'] })],
      env: { POSTGRES_DB: 'shop' },
    })));
    const container = findObject(objects, 'StatefulSet', 'db').spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ secretRef: { name: 'db-credentials' } }]);
    expect(container.env).toEqual([{ name: 'POSTGRES_DB', value: 'shop' }]);
    expect(container.resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '256Mi' },
    });
    expect(container.securityContext.runAsUser).toBe(1001);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/opt/app/run', '/bitnami/postgresql']);
  });

  test('from two replicas: a PodDisruptionBudget and anti-affinity; the NetworkPolicy admits only the given peers', () => {
    const objects = synthManifests(chartWith((c) => db(c, {
      replicaCount: 3,
      networkPolicy: { ingressFrom: [{ podLabels: { app: 'api' } }], egressTo: [] },
    })));
    expect(objectsOfKind(objects, 'PodDisruptionBudget').map((o) => o.metadata.name)).toEqual(['db']);
    const set = findObject(objects, 'StatefulSet', 'db');
    expect(set.spec.replicas).toBe(3);
    expect(set.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    const policy = findObject(objects, 'NetworkPolicy', 'db');
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    expect(policy.spec.egress).toEqual([{
      to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    }]);
  });

  test('scheduling, extra volumes and the service account work as on a DeploymentManifest', () => {
    const pod = findObject(synthManifests(chartWith((c) => db(c, {
      nodeSelector: { disk: 'ssd' },
      tolerations: [{ key: 'dedicated', value: 'db', effect: TaintEffect.NO_SCHEDULE }],
      volumes: [{ name: 'backup-scratch', mountPath: '/scratch', emptyDir: true }],
      serviceAccountName: 'db-operator',
    }))), 'StatefulSet', 'db').spec.template.spec;
    expect(pod.nodeSelector).toEqual({ disk: 'ssd' });
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }]);
    expect(pod.volumes).toContainEqual({ name: 'backup-scratch', emptyDir: {} });
    expect(pod.serviceAccountName).toBe('db-operator');
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('synthesizing twice gives byte-identical YAML', () => {
    const render = () => Yaml.stringify(...Testing.synth(chartWith((c) => db(c, { replicaCount: 2 }))));
    expect(render()).toBe(render());
  });
});

describe('StatefulManifest rules', () => {
  const reject = (build: (c: any) => void, ...messages: RegExp[]) => {
    let error: Error | undefined;
    try {
      Testing.synth(chartWith(build));
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeDefined();
    for (const m of messages) expect(error!.message).toMatch(m);
  };

  test.each([
    ['replicaCount 0', { replicaCount: 0 }, /\[test\/db\] replicaCount: got 0; expected an integer from 1 to 100/],
    ['a bad name', { name: 'Postgres_DB' }, /name: got "Postgres_DB"; expected a DNS-1123 label/],
    ['a name over 52 characters', { name: 'd'.repeat(53) }, /name: got "d{53}"; expected at most 52 characters/],
    ['no ports', { ports: [] }, /ports: got \[\]; expected at least one container port \(the headless Service/],
    ['a bad claim size', { volumeClaim: { name: 'data', mountPath: '/data', size: 'lots' } }, /volumeClaim.size: got "lots"; expected a byte quantity/],
    ['a claim below its minimum', { volumeClaim: { name: 'data', mountPath: '/data', size: '500Mi', minimumSize: '1Gi' } }, /volumeClaim.size: got "500Mi"; expected at least "1Gi" \(minimumSize\)/],
    ['a relative mount path', { volumeClaim: { name: 'data', mountPath: 'data', size: '1Gi' } }, /volumeClaim.mountPath: got "data"; expected an absolute path/],
    ['a bad claim name', { volumeClaim: { name: 'Data', mountPath: '/data', size: '1Gi' } }, /volumeClaim.name: got "Data"; expected a DNS-1123 label/],
    ['a claim over /tmp', { volumeClaim: { name: 'data', mountPath: '/tmp', size: '1Gi' } }, /volumeClaim.mountPath: got "\/tmp"; expected a mount path no other volume of the pod uses/],
    ['a literal password env', { env: { POSTGRES_PASSWORD: 'hunter2' } }, /env.POSTGRES_PASSWORD: got <redacted>; expected no credential as a literal environment variable/],
  ])('rejects %s', (_what, props, message) => {
    reject((c) => db(c, props as any), message);
  });

  test('latest in production is refused', () => {
    reject((c) => db(c, { image: new ContainerImage(c, 'latest-image', { repository: 'postgres' }) }),
      /image.tag: got "latest"; expected a pinned semantic version \(or a digest\) in production/);
  });

  test('a health endpoint on an undeclared port name is refused', () => {
    reject((c) => db(c, { healthEndpoints: [new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, portName: 'admin' })] }),
      /healthEndpoints\[0\].portName: got "admin"; expected a declared container port name/);
  });
});
