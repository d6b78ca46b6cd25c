import { Testing, Yaml } from 'cdk8s';
import { Environment, Rescan, RescanProps, ServiceType } from '../../src';
import { findObject, objectsOfKind, synthManifests } from '../util/manifests';

const AI = { apiKey: 'test-key-not-real', endpoint: 'https://your-resource.openai.azure.com/', modelDeployment: 'gpt-4o' };

function synthRescan(props: RescanProps = {}) {
  const chart = Testing.chart();
  const rescan = new Rescan(chart, 'rescan', { azureOpenAi: AI, ...props });
  return { rescan, objects: synthManifests(chart) };
}

function synthError(props: RescanProps): string {
  const chart = Testing.chart();
  new Rescan(chart, 'rescan', { azureOpenAi: AI, ...props });
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth succeeded, but an error was expected');
}

describe('Rescan blueprint (seed 003)', () => {
  test('synthesizes the seed\'s objects with their exact names', () => {
    const { objects } = synthRescan();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/rescan',
      'ConfigMap/rescan-config',
      'Secret/rescan-secrets',
      'PersistentVolumeClaim/rescan-data-pvc',
      'Deployment/rescan-app',
      'Service/rescan-service',
      'NetworkPolicy/rescan-app',
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('namespace rescan with app/environment labels and restricted Pod Security Admission', () => {
    const ns = findObject(synthRescan({ environment: Environment.STAGING }).objects, 'Namespace', 'rescan');
    expect(ns.metadata.labels).toMatchObject({
      'app': 'rescan',
      'environment': 'staging',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  test('deployment rescan-app: one SQLite writer, seed labels, rolling update 1/0, 10 revisions', () => {
    const deployment = findObject(synthRescan().objects, 'Deployment', 'rescan-app');
    expect(deployment.metadata.namespace).toBe('rescan');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'rescan' } });
    expect(deployment.spec.template.metadata.labels).toMatchObject({ app: 'rescan', version: 'v1.0.0' });
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(deployment.spec.revisionHistoryLimit).toBe(10);
  });

  test('container rescan: image, port, resources, probes, env and volumes', () => {
    const pod = findObject(synthRescan().objects, 'Deployment', 'rescan-app').spec.template.spec;
    const [container] = pod.containers;
    expect(container.name).toBe('rescan');
    expect(container.image).toBe('rescan:1.0.0');
    expect(container.imagePullPolicy).toBe('Always');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '200Mi' } });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 3000, scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 3000, scheme: 'HTTP' });
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'rescan-config' } }, { secretRef: { name: 'rescan-secrets' } }]);
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'app-backend-public-uploads', mountPath: '/app/backend/public/uploads' },
      { name: 'rescan-data-pvc', mountPath: '/app/data' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'app-backend-public-uploads', emptyDir: {} },
      { name: 'rescan-data-pvc', persistentVolumeClaim: { claimName: 'rescan-data-pvc' } },
    ]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  test('development pulls IfNotPresent; a registry prefixes the image', () => {
    const container = findObject(synthRescan({ environment: Environment.DEVELOPMENT, registry: 'registry.local:5000', imageTag: '1.2.0' }).objects,
      'Deployment', 'rescan-app').spec.template.spec.containers[0];
    expect(container.image).toBe('registry.local:5000/rescan:1.2.0');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });

  test('service rescan-service: ClusterIP 3000 -> 3000, selector app=rescan, stable DNS name', () => {
    const { rescan, objects } = synthRescan();
    expect(rescan.dnsName).toBe('rescan-service.rescan.svc.cluster.local');
    expect(findObject(objects, 'Service', 'rescan-service').spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'rescan' },
      ports: [{ name: 'http', port: 3000, targetPort: 3000, protocol: 'TCP' }],
    });
    expect(findObject(synthRescan({ serviceType: ServiceType.LOAD_BALANCER }).objects, 'Service', 'rescan-service').spec.type).toBe('LoadBalancer');
  });

  test('config map, secret and volume claim hold the seed\'s data', () => {
    const { objects } = synthRescan();
    expect(findObject(objects, 'ConfigMap', 'rescan-config').data).toEqual({
      PORT: '3000',
      NODE_ENV: 'production',
      EDUCATIONAL_MODE: 'true',
      DATABASE_URL: 'sqlite:./data/rescan.db',
      MAX_FILE_SIZE: '5242880',
      MAX_CONCURRENT_REQUESTS: '5',
    });
    const secret = findObject(objects, 'Secret', 'rescan-secrets');
    expect(secret.type).toBe('Opaque');
    expect(Object.keys(secret.stringData)).toEqual(['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_MODEL_DEPLOYMENT']);
    expect(findObject(objects, 'PersistentVolumeClaim', 'rescan-data-pvc').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    });
  });

  test('without credentials no Secret is emitted; the pods still reference rescan-secrets', () => {
    const chart = Testing.chart();
    new Rescan(chart, 'rescan');
    const objects = synthManifests(chart);
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
    expect(findObject(objects, 'Deployment', 'rescan-app').spec.template.spec.containers[0].envFrom).toContainEqual({ secretRef: { name: 'rescan-secrets' } });
  });

  test('an optional Ingress with TLS routes to rescan-service', () => {
    const ingress = findObject(synthRescan({ ingress: { hostname: 'rescan.example.com', tlsSecretName: 'rescan-tls' } }).objects, 'Ingress', 'rescan-ingress');
    expect(ingress.spec.tls).toEqual([{ hosts: ['rescan.example.com'], secretName: 'rescan-tls' }]);
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'rescan-service', port: { number: 3000 } } });
  });

  test('the same input synthesizes byte-identical YAML', () => {
    const render = () => {
      const chart = Testing.chart();
      new Rescan(chart, 'rescan', { azureOpenAi: AI });
      return Yaml.stringify(...Testing.synth(chart));
    };
    expect(render()).toBe(render());
  });
});

describe('Rescan rules (seed 003)', () => {
  test('more than one replica with the SQLite volume is refused', () => {
    expect(synthError({ replicaCount: 2 })).toMatch(/\[test\/rescan\/app\] storage: got "rescan-data-pvc"; expected replicaCount 1 with no autoscaling while a ReadWriteOnce volume is mounted.*or a StatefulSet/);
  });

  test('zero replicas are refused', () => {
    expect(synthError({ replicaCount: 0 })).toMatch(/replicaCount: got 0; expected an integer from 1 to 1000/);
  });

  test.each([80, 70000, 3000.5])('PORT %p outside 1024-65535 is refused', (port) => {
    expect(synthError({ port })).toMatch(new RegExp(`\\[test/rescan\\] port: got ${port}; expected an integer from 1024 to 65535`));
  });

  test.each([
    'http://your-resource.openai.azure.com/',
    'https://example.com/v1/',
    'not a url',
  ])('Azure OpenAI endpoint %p is refused', (endpoint) => {
    expect(synthError({ azureOpenAi: { ...AI, endpoint } })).toMatch(/azureOpenAi.endpoint: got .*; expected an https URL that includes the "\/openai\/" path/);
  });

  test('an endpoint with the /openai/ path and the seed\'s *.openai.azure.com example are accepted', () => {
    expect(() => synthRescan({ azureOpenAi: { ...AI, endpoint: 'https://gateway.example.com/openai/deployments/' } })).not.toThrow();
    expect(() => synthRescan({ azureOpenAi: AI })).not.toThrow();
  });

  test('the endpoint error never echoes the API key', () => {
    expect(synthError({ azureOpenAi: { ...AI, endpoint: 'http://x' } })).not.toContain(AI.apiKey);
  });

  test('a volume smaller than 500Mi is refused', () => {
    expect(synthError({ storageSize: '100Mi' })).toMatch(/\[test\/rescan\/data\] size: got "100Mi"; expected at least "500Mi"/);
  });

  test('a latest image tag in production is refused', () => {
    expect(synthError({ imageTag: 'latest' })).toMatch(/image.tag: got "latest"; expected a pinned semantic version/);
  });
});
