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
    expect(container.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '200m', 'memory': '200Mi', 'ephemeral-storage': '1Gi' },
    });
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

describe('Rescan backup (seed 003 future enhancement "Backup CronJob")', () => {
  test('no backup objects by default', () => {
    const { objects } = synthRescan();
    expect(objectsOfKind(objects, 'CronJob')).toEqual([]);
    expect(objects.filter((o) => o.metadata.name.startsWith('rescan-backup'))).toEqual([]);
  });

  test('backup: {} adds the claim rescan-backup-pvc and the CronJob rescan-backup, all valid and restricted', () => {
    const { objects } = synthRescan({ backup: {} });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/rescan',
      'ConfigMap/rescan-config',
      'Secret/rescan-secrets',
      'PersistentVolumeClaim/rescan-data-pvc',
      'Deployment/rescan-app',
      'Service/rescan-service',
      'NetworkPolicy/rescan-app',
      'PersistentVolumeClaim/rescan-backup-pvc',
      'CronJob/rescan-backup',
      'NetworkPolicy/rescan-backup',
    ]);
    // The objects that exist without a backup are unchanged by it.
    const without = synthRescan().objects;
    expect(objects.slice(0, without.length)).toEqual(without);

    const claim = findObject(objects, 'PersistentVolumeClaim', 'rescan-backup-pvc');
    expect(claim.metadata.namespace).toBe('rescan');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
  });

  test('the CronJob runs an online SQLite backup nightly, read-only on rescan-data-pvc, next to rescan-app', () => {
    const job = findObject(synthRescan({ backup: {} }).objects, 'CronJob', 'rescan-backup');
    expect(job.metadata.namespace).toBe('rescan');
    expect(job.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'rescan-backup', 'app.kubernetes.io/part-of': 'rescan' });
    expect(job.spec).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    const pod = job.spec.jobTemplate.spec.template.spec;
    // The backup pods must not carry app=rescan, or rescan-service would send them traffic.
    expect(job.spec.jobTemplate.spec.template.metadata.labels.app).toBeUndefined();
    const [container] = pod.containers;
    expect(container.image).toBe('keinos/sqlite3:3.44.2');
    // SQLite's online backup into a .partial file, renamed once its integrity check passes.
    expect(container.command).toEqual(['sh', '-c', 'set -eu; f="/backup/rescan-$(date -u +%Y%m%d%H%M%S).db"; '
      + 'sqlite3 -readonly /app/data/rescan.db ".backup \'$f.partial\'" && [ "$(sqlite3 -readonly "$f.partial" \'PRAGMA integrity_check\')" = ok ]'
      + ' || { rm -f "$f.partial"; exit 1; }; mv "$f.partial" "$f"']);
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'rescan-data-pvc', mountPath: '/app/data', readOnly: true },
      { name: 'rescan-backup-pvc', mountPath: '/backup' },
    ]);
    expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'rescan' } } },
    ]);
  });

  test('schedule, image, size and storage class can be chosen', () => {
    const { objects } = synthRescan({
      environment: Environment.DEVELOPMENT,
      backup: { schedule: '@daily', image: { registry: 'registry.local:5000', repository: 'tools/sqlite', tag: '3.45.1' }, size: '5Gi', storageClass: 'local-path' },
    });
    const job = findObject(objects, 'CronJob', 'rescan-backup');
    expect(job.spec.schedule).toBe('@daily');
    expect(job.spec.jobTemplate.spec.template.spec.containers[0].image).toBe('registry.local:5000/tools/sqlite:3.45.1');
    expect(job.spec.jobTemplate.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(findObject(objects, 'PersistentVolumeClaim', 'rescan-backup-pvc').spec).toEqual({
      accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '5Gi' } },
    });
  });

  test('a bad schedule, a latest backup image and a bad size are refused', () => {
    expect(synthError({ backup: { schedule: '0 3 * *' } })).toMatch(/\[test\/rescan\/backup\] schedule: got "0 3 \* \*"; expected a 5-field cron expression/);
    expect(synthError({ backup: { image: { repository: 'keinos/sqlite3', tag: 'latest' } } })).toMatch(
      /\[test\/rescan\/backup\] image.tag: got "latest"; expected a pinned semantic version/);
    expect(synthError({ backup: { size: 'lots' } })).toMatch(/\[test\/rescan\/backup-storage\] size: got "lots"; expected/);
  });
});

describe('Rescan rules (seed 003)', () => {
  test('more than one replica with the SQLite volume is refused, on the field that sets it', () => {
    const message = synthError({ replicaCount: 2 });
    expect(message).toMatch(/\[test\/rescan\/app\] replicaCount: got 2; expected 1 while the ReadWriteOnce volume "rescan-data-pvc" is mounted \(a single writer, as for SQLite\), with no autoscaling above 1; or a StatefulManifest/);
    expect(message).not.toMatch(/storage:/);
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
