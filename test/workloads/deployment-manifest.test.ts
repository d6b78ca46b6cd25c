import { Testing, Yaml } from 'cdk8s';
import {
  ContainerImage, DeploymentManifest, Environment, HealthEndpoint, ManifestType, PersistentStorage, ProbeKind, Protocol,
  PolicyCheck, ResourceLimits, SecurityProfile, ServiceType, TaintEffect, TolerationOperator, Warnings,
} from '../../src';
import { findObject, objectsOfKind, synthManifests } from '../util/manifests';
import { DEFAULT_CONTAINER_SECURITY_CONTEXT } from '../util/security-context';

function chartWith(build: (chart: any) => void, namespace = 'shop') {
  const chart = Testing.chart();
  (chart as any).namespace = namespace;
  build(chart);
  return chart;
}

function api(chart: any, props: Partial<ConstructorParameters<typeof DeploymentManifest>[2]> = {}) {
  return new DeploymentManifest(chart, 'api', {
    image: new ContainerImage(chart, 'api-image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }),
    ports: [{ containerPort: 8080 }],
    ...props,
  });
}

describe('DeploymentManifest', () => {
  test('synthesizes a secure Deployment, Service, PDB and NetworkPolicy with stable names', () => {
    const chart = chartWith((c) => api(c));
    const objects = synthManifests(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/api', 'Service/api', 'PodDisruptionBudget/api', 'NetworkPolicy/api',
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('pod and container securityContext pass the restricted profile by default', () => {
    const objects = synthManifests(chartWith((c) => api(c)));
    const pod = findObject(objects, 'Deployment', 'api').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' },
    });
    const container = pod.containers[0];
    expect(container.securityContext).toEqual(DEFAULT_CONTAINER_SECURITY_CONTEXT);
    // The read-only root filesystem leaves /tmp writable through an emptyDir.
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  test('probes, resources, image and labels', () => {
    const objects = synthManifests(chartWith((c) => api(c, {
      healthEndpoints: [
        new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, endpointPath: '/health', timeoutSeconds: 5, failureThreshold: 4 }),
        new HealthEndpoint(c, 'ready', { kind: ProbeKind.READINESS, endpointPath: '/ready', portName: 'http' }),
        new HealthEndpoint(c, 'start', { kind: ProbeKind.STARTUP, port: 8080, periodSeconds: 5, failureThreshold: 10 }),
      ],
      resourceLimits: new ResourceLimits(c, 'res', { requests: { cpu: '0.1', memory: '128Mi' }, limits: { cpu: '200m', memory: '200Mi' } }),
    })));
    const deployment = findObject(objects, 'Deployment', 'api');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.livenessProbe).toEqual({
      httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 5, failureThreshold: 4, periodSeconds: 10, initialDelaySeconds: 0, successThreshold: 1,
    });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
    expect(container.readinessProbe.timeoutSeconds).toBe(30);
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/health/startup', port: 8080 }, periodSeconds: 5, failureThreshold: 10 });
    expect(container.resources).toEqual({
      requests: { 'cpu': '0.1', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '200m', 'memory': '200Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(container.image).toBe('ghcr.io/acme/api:1.4.2');
    expect(container.imagePullPolicy).toBe('Always');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' });
    expect(deployment.metadata.labels['app.kubernetes.io/version']).toBe('1.4.2');
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(deployment.spec.revisionHistoryLimit).toBe(10);
  });

  test('default resources are complete: cpu, memory and ephemeral storage, requested and limited', () => {
    const container = findObject(synthManifests(chartWith((c) => api(c))), 'Deployment', 'api').spec.template.spec.containers[0];
    expect(container.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    });
  });

  test('the Service has the DNS name <service>.<namespace>.svc.cluster.local and targets the container port', () => {
    let manifest!: DeploymentManifest;
    const objects = synthManifests(chartWith((c) => {
      manifest = api(c, { service: { serviceName: 'api-service', serviceType: ServiceType.LOAD_BALANCER } });
    }));
    expect(manifest.dnsName).toBe('api-service.shop.svc.cluster.local');
    const service = findObject(objects, 'Service', 'api-service');
    expect(service.metadata.namespace).toBe('shop');
    expect(service.spec).toEqual({
      type: 'LoadBalancer',
      selector: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' },
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
  });

  test('scalingConfig gives an autoscaling/v2 HPA and leaves replicas to it', () => {
    const objects = synthManifests(chartWith((c) => api(c, { scalingConfig: { minReplicas: 2, maxReplicas: 5, targetCpuPercent: 70 } })));
    expect(findObject(objects, 'Deployment', 'api').spec.replicas).toBeUndefined();
    const hpa = findObject(objects, 'HorizontalPodAutoscaler', 'api');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
  });

  test('a single replica gets no PodDisruptionBudget; development pulls IfNotPresent and may use latest', () => {
    const objects = synthManifests(chartWith((c) => new DeploymentManifest(c, 'web', {
      environment: Environment.DEVELOPMENT,
      replicaCount: 1,
      image: new ContainerImage(c, 'web-image', { repository: 'web' }),
      ports: [{ containerPort: 3000 }],
    })));
    expect(objectsOfKind(objects, 'PodDisruptionBudget')).toEqual([]);
    const deployment = findObject(objects, 'Deployment', 'web');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({ image: 'web:latest', imagePullPolicy: 'IfNotPresent' });
  });

  test('a single-writer volume switches the default strategy to Recreate; an explicit rollingUpdate wins', () => {
    const build = (rollingUpdate?: { maxSurge: number; maxUnavailable: number }) => findObject(synthManifests(chartWith((c) => api(c, {
      replicaCount: 1,
      storage: [new PersistentStorage(c, 'data', { name: 'api-data', size: '1Gi', mountPath: '/data' })],
      rollingUpdate,
    }))), 'Deployment', 'api');
    expect(build().spec.strategy).toEqual({ type: 'Recreate' });
    expect(build({ maxSurge: 1, maxUnavailable: 0 }).spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  test('pod labels add to the selector labels, never replace them', () => {
    const deployment = findObject(synthManifests(chartWith((c) => api(c, { podLabels: { tier: 'web' } }))), 'Deployment', 'api');
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'tier': 'web', 'app.kubernetes.io/name': 'api' });
  });

  test('the NetworkPolicy admits only the declared ports', () => {
    const policy = findObject(synthManifests(chartWith((c) => api(c, { ports: [{ containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }))), 'NetworkPolicy', 'api');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } });
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }] }]);
  });

  test('synthesizing twice gives byte-identical YAML', () => {
    const scalingConfig = { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 60 };
    const render = () => Yaml.stringify(...Testing.synth(chartWith((c) => api(c, { scalingConfig }))));
    expect(render()).toBe(render());
  });
});

describe('DeploymentManifest port names', () => {
  test('only a TCP first port is named http by default: a UDP port keeps no name (meshes read the name as the protocol)', () => {
    const tcpFirst = synthManifests(chartWith((c) => api(c, { ports: [{ containerPort: 8080 }, { containerPort: 5353, protocol: Protocol.UDP }] })));
    expect(findObject(tcpFirst, 'Service', 'api').spec.ports.map((p: any) => `${p.name} ${p.protocol}`)).toEqual(['http TCP', 'port-1 UDP']);
    const udpFirst = synthManifests(chartWith((c) => api(c, {
      ports: [{ containerPort: 5353, protocol: Protocol.UDP }, { containerPort: 5353 }],
      healthEndpoints: [
        new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, endpointPath: '/health', port: 5353 }),
        new HealthEndpoint(c, 'ready', { kind: ProbeKind.READINESS, endpointPath: '/ready', port: 5353 }),
      ],
    })));
    expect(findObject(udpFirst, 'Deployment', 'api').spec.template.spec.containers[0].ports.map((p: any) => p.name ?? null)).toEqual([null, null]);
    expect(findObject(udpFirst, 'Service', 'api').spec.ports.map((p: any) => `${p.name} ${p.protocol}`)).toEqual(['port-0 UDP', 'port-1 TCP']);
  });
});

describe('DeploymentManifest rules', () => {
  const reject = (build: (c: any) => void, ...messages: RegExp[]) => {
    const chart = chartWith(build);
    let error: Error | undefined;
    try {
      Testing.synth(chart);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeDefined();
    for (const m of messages) expect(error!.message).toMatch(m);
  };

  test.each([
    ['replicaCount 0', { replicaCount: 0 }, /\[.*api\] replicaCount: got 0; expected an integer from 1 to 1000/],
    ['a bad name', { name: 'API_Server' }, /name: got "API_Server"; expected a DNS-1123 label/],
    ['a bad serverName', { serverName: 'not a host' }, /serverName: got "not a host"; expected a DNS host name/],
    ['docker-compose with 3 replicas', { type: ManifestType.DOCKER_COMPOSE, replicaCount: 3 }, /replicaCount: got 3; expected 1 for a docker-compose manifest/],
    ['HPA min above max', { scalingConfig: { minReplicas: 4, maxReplicas: 2, targetCpuPercent: 50 } }, /scalingConfig.maxReplicas: got 2; expected an integer from 4 to 1000/],
    ['HPA target 150%', { scalingConfig: { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 150 } }, /scalingConfig.targetCpuPercent: got 150; expected an integer from 1 to 100/],
    ['a duplicate port', { ports: [{ containerPort: 80 }, { name: 'alt', containerPort: 80 }] }, /ports: got "80\/TCP"; expected unique container ports/],
    ['port 70000', { ports: [{ containerPort: 70000 }] }, /ports\[0\].containerPort: got 70000; expected an integer from 1 to 65535/],
    ['a literal password env', { env: { DB_PASSWORD: 'hunter2' } }, /env.DB_PASSWORD: got <redacted>; expected no credential as a literal environment variable: put it in a SecretConfiguration/],
    ['no update progress', { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }, /rollingUpdate: .*expected maxSurge or maxUnavailable above 0/],
    ['a pod label changing a selector label', { podLabels: { 'app.kubernetes.io/name': 'other' } },
      /podLabels.app.kubernetes.io\/name: got "other"; expected "api", the selector's value \(a pod label may not change a selector label\)/],
    ['a bad instance label', { instance: 'Bad Instance!' }, /\[test\/api\] instance: got "Bad Instance!"; expected a label value/],
    ['a partOf longer than a label value', { partOf: 'p'.repeat(70) }, /\[test\/api\] partOf: got "p{70}"; expected a label value/],
    ['a replicaCount outside the autoscaler range', { replicaCount: 9, scalingConfig: { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 70 } },
      /replicaCount: got 9; expected a count within scalingConfig's 2-4, or none: the autoscaler decides the replicas/],
    // JavaScript callers can pass any string where TypeScript sees the enums.
    ['a toleration operator', { tolerations: [{ key: 'gpu', operator: 'Maybe' as TolerationOperator }] }, /tolerations\[0\].operator: got "Maybe"; expected one of Equal, Exists/],
    ['a toleration effect', { tolerations: [{ key: 'gpu', effect: 'Sometimes' as TaintEffect }] }, /tolerations\[0\].effect: got "Sometimes"; expected one of NoSchedule, PreferNoSchedule, NoExecute/],
    ['a value with Exists', { tolerations: [{ key: 'gpu', operator: TolerationOperator.EXISTS, value: 'yes' }] }, /tolerations\[0\].value: got "yes"; expected no value with operator Exists/],
    ['a name that is no Service name', { name: '1api' }, /\[test\/api\/service\] serviceName: got "1api"; expected a DNS-1035 label/],
  ])('rejects %s', (_what, props, message) => {
    reject((c) => api(c, props as any), message);
  });

  test('scalingConfig with resourceLimits that request no cpu (main container or a sidecar) is refused; a cpu limit alone stands in for the request', () => {
    const scalingConfig = { minReplicas: 2, maxReplicas: 5, targetCpuPercent: 70 };
    const memoryOnly = (c: any, id: string) => new ResourceLimits(c, id, { limits: { memory: '256Mi' } });
    const image = (c: any) => new ContainerImage(c, 'proxy-image', { repository: 'acme/proxy', tag: '2.1.0' });
    reject((c) => api(c, { scalingConfig, resourceLimits: memoryOnly(c, 'main') }),
      /\[test\/api\] resourceLimits: got .*"memory":"256Mi".*; expected a cpu request \(requests.cpu, or limits.cpu, which becomes the request\) for the main container: scalingConfig scales on cpu utilization, a percentage of the requests, so without one the HorizontalPodAutoscaler cannot compute it and does not scale/);
    reject((c) => api(c, { scalingConfig, sidecars: [{ name: 'proxy', image: image(c), resourceLimits: memoryOnly(c, 'proxy') }] }),
      /\[test\/api\] sidecars\[0\].resourceLimits: got .*; expected a cpu request \(requests.cpu, or limits.cpu, which becomes the request\) for sidecar "proxy": scalingConfig scales on cpu utilization/);
    // Without scalingConfig the same limits are fine; with it, a cpu limit (or request) is enough.
    expect(() => Testing.synth(chartWith((c) => api(c, { resourceLimits: memoryOnly(c, 'main') })))).not.toThrow();
    const limited = chartWith((c) => api(c, {
      scalingConfig,
      resourceLimits: new ResourceLimits(c, 'main', { limits: { cpu: '500m', memory: '256Mi' }, requests: { memory: '128Mi' } }),
      sidecars: [{ name: 'proxy', image: image(c), resourceLimits: new ResourceLimits(c, 'proxy', { limits: { cpu: '100m', memory: '64Mi' } }) }],
    }));
    const objects = synthManifests(limited);
    expect(findObject(objects, 'Deployment', 'api').spec.template.spec.containers.map((x: any) => x.resources.limits.cpu)).toEqual(['500m', '100m']);
    // What the library emits passes deploykit check's rule on it.
    expect(PolicyCheck.run(objects, { rules: ['hpa-utilization-requests'] }).findings).toEqual([]);
  });

  test('env: a secret-like name whose value cannot be a secret is accepted; a placeholder warns (issue 19, the detector deploykit check uses)', () => {
    const chart = chartWith((c) => api(c, { env: { ALLOW_EMPTY_PASSWORD: 'yes', CASSANDRA_NUM_TOKENS: '256', TLS_SECRET_NAME: 'api-tls', API_TOKEN: 'xxxxx' } }));
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(Warnings.of(chart).map((w) => w.message)).toContainEqual(
      'env.API_TOKEN holds the placeholder "xxxxx" under a name that marks a secret (TOKEN): the real value belongs in a SecretConfiguration listed in `secrets`, not in a literal environment variable');
  });

  test('a secret inside a configuration file an env var holds (SPRING_APPLICATION_JSON) is refused at its path; references there are accepted', () => {
    reject((c) => api(c, { env: { SPRING_APPLICATION_JSON: '{"spring": {"datasource": {"password": "json-pw"}}}' } }),
      /env\.SPRING_APPLICATION_JSON: got <redacted>; expected no credential in a configuration file in a literal environment variable \(\.spring\.datasource\.password has a name that marks a secret\)/);
    const chart = chartWith((c) => api(c, { env: { SPRING_APPLICATION_JSON: '{"spring": {"datasource": {"password": "${DB_PASSWORD}"}}}' } }));
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('a literal secret value never appears in the error', () => {
    const chart = chartWith((c) => api(c, { env: { API_TOKEN: 'sk-very-secret' } }));
    expect(() => Testing.synth(chart)).toThrow(/API_TOKEN/);
    expect(() => Testing.synth(chart)).not.toThrow(/sk-very-secret/);
  });

  test('latest in production is refused, naming the field and the expected form', () => {
    reject((c) => new DeploymentManifest(c, 'web', {
      image: new ContainerImage(c, 'img', { repository: 'web', tag: 'latest' }),
    }), /image.tag: got "latest"; expected a pinned semantic version \(or a digest\) in production/);
  });

  test('a health endpoint on an undeclared port number is a warning and probes that port (the kubelet needs no declaration)', () => {
    const chart = chartWith((c) => api(c, {
      healthEndpoints: [
        new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, endpointPath: '/health', port: 9999 }),
        new HealthEndpoint(c, 'ready', { kind: ProbeKind.READINESS, endpointPath: '/ready' }),
      ],
    }));
    const deployment = findObject(synthManifests(chart), 'Deployment', 'api');
    expect(deployment.spec.template.spec.containers[0].livenessProbe.httpGet).toMatchObject({ path: '/health', port: 9999 });
    expect(Warnings.of(chart).map((w) => w.message)).toContainEqual(
      expect.stringMatching(/healthEndpoints\[0\]\.port: 9999 is no declared container port \(8080\); the kubelet probes it all the same/));
  });

  test('no probe at all behind the Service is refused in every environment; a liveness endpoint alone is a warning outside production', () => {
    reject((c) => api(c, { environment: Environment.DEVELOPMENT, healthEndpoints: [] }),
      /\[test\/api\] healthEndpoints: got \[\]; expected a readiness HealthEndpoint \(ProbeKind.READINESS\) or tcpHealthCheck: true: the pods have no probe at all, so the Service api sends traffic/);
    const chart = chartWith((c) => api(c, {
      environment: Environment.DEVELOPMENT,
      healthEndpoints: [new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, endpointPath: '/live' })],
    }));
    synthManifests(chart);
    expect(Warnings.of(chart).map((w) => w.message)).toContainEqual(
      'healthEndpoints has no readiness endpoint: the Service api would send traffic to pods that are not ready; add a readiness HealthEndpoint (ProbeKind.READINESS)');
  });

  test('a health endpoint on an undeclared port name is refused (the kubelet cannot resolve it)', () => {
    reject((c) => api(c, {
      healthEndpoints: [new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, portName: 'admin' })],
    }), /healthEndpoints\[0\].portName: got "admin"; expected a declared container port name/);
  });

  test('a service targetPort that is no container port is refused', () => {
    reject((c) => api(c, { service: { ports: [{ name: 'http', port: 80, targetPort: 8081 }] } }),
      /ports\[0\].targetPort: got 8081; expected a container port of .*api \(8080\)/);
  });

  test('all mistakes of one synth are reported together, each with its construct path', () => {
    reject((c) => {
      api(c, { replicaCount: 0, name: 'Bad_Name' });
      new SecurityProfile(c, 'root-profile', { runAsUser: 0, allowedCapabilities: ['SYS_ADMIN'] });
      new ResourceLimits(c, 'greedy', { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '500m', memory: 'lots' } });
    },
    /Validation failed with the following errors/,
    /\[test\/api\] replicaCount: got 0/,
    /\[test\/api\] name: got "Bad_Name"/,
    /\[test\/root-profile\] runAsUser: got 0; expected a non-root id/,
    /\[test\/root-profile\] allowedCapabilities\[0\]: got "SYS_ADMIN"; expected only NET_BIND_SERVICE/,
    /\[test\/greedy\] requests.cpu: got "2"; expected at most the limit "500m"/,
    /\[test\/greedy\] limits.memory: got "lots"; expected a byte quantity/);
  });
});
