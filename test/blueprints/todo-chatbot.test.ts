import { App, Chart, Testing } from 'cdk8s';
import { todoChatbotCharts, TODO_CLUSTER } from '../../examples/todo-chatbot';
import { TodoChatbot } from '../../src/blueprints/todo-chatbot';
import { TodoChatbotProps } from '../../src/blueprints/todo-chatbot-props';
import { Environment } from '../../src/core/environment';
import { CertificateProvider } from '../../src/tls/certificate-types';
import { findObject, objectsOfKind, synthManifests } from '../util/manifests';

function build(props: TodoChatbotProps = {}) {
  const chart = new Chart(Testing.app(), 'todo-chatbot', { disableResourceNameHashes: true });
  const todo = new TodoChatbot(chart, 'todo-chatbot', props);
  return { chart, todo };
}

const SECRETS = { databasePassword: 'example-db-password', jwtSecret: 'example-jwt-secret' };
const container = (objects: any[], kind: string, name: string) => findObject(objects, kind, name).spec.template.spec.containers[0];

describe('TodoChatbot', () => {
  test('every object has a stable name and passes the 1.28 schema and the restricted profile', () => {
    const objects = synthManifests(build({ ...SECRETS, cluster: TODO_CLUSTER }).chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/todo',
      'Secret/todo-postgres-credentials', 'ConfigMap/todo-postgres-config',
      'Service/todo-postgres', 'StatefulSet/todo-postgres', 'NetworkPolicy/todo-postgres',
      'ConfigMap/todo-backend-config', 'Secret/todo-backend-secrets',
      'Deployment/todo-backend', 'Service/todo-backend-service', 'HorizontalPodAutoscaler/todo-backend',
      'PodDisruptionBudget/todo-backend', 'NetworkPolicy/todo-backend',
      'ConfigMap/todo-frontend-config',
      'Deployment/todo-frontend', 'Service/todo-frontend-service', 'HorizontalPodAutoscaler/todo-frontend',
      'PodDisruptionBudget/todo-frontend', 'NetworkPolicy/todo-frontend',
      'Ingress/todo-ingress',
    ]);
    for (const o of objects) if (o.kind !== 'Namespace') expect(o.metadata.namespace).toBe('todo');
    expect(objects).toMatchSnapshot();
  });

  test('DNS names and the database URL', () => {
    const { todo } = build();
    expect(todo.namespaceName).toBe('todo');
    expect(todo.frontendDnsName).toBe('todo-frontend-service.todo.svc.cluster.local');
    expect(todo.backendDnsName).toBe('todo-backend-service.todo.svc.cluster.local');
    expect(todo.databaseDnsName).toBe('todo-postgres.todo.svc.cluster.local');
    expect(todo.database.podDnsName(0)).toBe('todo-postgres-0.todo-postgres.todo.svc.cluster.local');
    expect(todo.databaseUrl).toBe('postgresql://todo@todo-postgres.todo.svc.cluster.local:5432/todo');
  });

  test('ConfigMaps hold no password; the Secrets are referenced by every consumer', () => {
    const objects = synthManifests(build(SECRETS).chart);
    expect(findObject(objects, 'ConfigMap', 'todo-backend-config').data).toEqual({
      DATABASE_URL: 'postgresql://todo@todo-postgres.todo.svc.cluster.local:5432/todo', LOG_LEVEL: 'info',
    });
    expect(findObject(objects, 'ConfigMap', 'todo-frontend-config').data).toEqual({
      API_BASE_URL: '/api', BACKEND_INTERNAL_URL: 'http://todo-backend-service.todo.svc.cluster.local:8000',
    });
    expect(findObject(objects, 'ConfigMap', 'todo-postgres-config').data).toEqual({ POSTGRES_USER: 'todo', POSTGRES_DB: 'todo' });
    expect(findObject(objects, 'Secret', 'todo-postgres-credentials').stringData).toEqual({ POSTGRES_PASSWORD: 'example-db-password' });
    expect(findObject(objects, 'Secret', 'todo-backend-secrets').stringData).toEqual({ JWT_SECRET: 'example-jwt-secret' });
    expect(container(objects, 'Deployment', 'todo-backend').envFrom).toEqual([
      { configMapRef: { name: 'todo-backend-config' } },
      { secretRef: { name: 'todo-postgres-credentials' } },
      { secretRef: { name: 'todo-backend-secrets' } },
      { secretRef: { name: 'todo-ai-provider' } },
    ]);
    expect(container(objects, 'StatefulSet', 'todo-postgres').envFrom).toEqual([
      { configMapRef: { name: 'todo-postgres-config' } }, { secretRef: { name: 'todo-postgres-credentials' } },
    ]);
    expect(container(objects, 'Deployment', 'todo-frontend').envFrom).toEqual([{ configMapRef: { name: 'todo-frontend-config' } }]);
  });

  test('without secret values every Secret is managed outside the chart', () => {
    const objects = synthManifests(build().chart);
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
  });

  test('images, ports, services and probes', () => {
    const objects = synthManifests(build().chart);
    const frontend = container(objects, 'Deployment', 'todo-frontend');
    const backend = container(objects, 'Deployment', 'todo-backend');
    const postgres = container(objects, 'StatefulSet', 'todo-postgres');
    expect([frontend.image, backend.image, postgres.image]).toEqual(['todo-frontend:1.0.0', 'todo-backend:1.0.0', 'bitnamilegacy/postgresql:16.4.0']);
    expect([frontend.imagePullPolicy, backend.imagePullPolicy, postgres.imagePullPolicy]).toEqual(['Always', 'Always', 'Always']);
    expect(frontend.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(backend.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(postgres.ports).toEqual([{ name: 'postgresql', containerPort: 5432, protocol: 'TCP' }]);
    expect(findObject(objects, 'Service', 'todo-frontend-service').spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 3000, protocol: 'TCP' }]);
    expect(findObject(objects, 'Service', 'todo-backend-service').spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 8000, protocol: 'TCP' }]);
    expect(findObject(objects, 'Service', 'todo-postgres').spec.clusterIP).toBe('None');
    expect(findObject(objects, 'StatefulSet', 'todo-postgres').spec.serviceName).toBe('todo-postgres');

    const http = (path: string, port: number, periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path, port, scheme: 'HTTP' }, timeoutSeconds: 5, periodSeconds, failureThreshold, initialDelaySeconds: 0, successThreshold: 1,
    });
    expect(frontend.startupProbe).toEqual(http('/', 3000, 10, 10));
    expect(frontend.readinessProbe).toEqual(http('/', 3000, 10, 3));
    expect(frontend.livenessProbe).toEqual(http('/', 3000, 10, 3));
    expect(backend.startupProbe).toEqual(http('/health', 8000, 10, 10));
    expect(backend.readinessProbe).toEqual(http('/health', 8000, 10, 3));
    expect(backend.livenessProbe).toEqual(http('/health', 8000, 10, 3));
    const tcp = (periodSeconds: number, failureThreshold: number) => ({
      tcpSocket: { port: 5432 }, timeoutSeconds: 5, periodSeconds, failureThreshold, initialDelaySeconds: 0, successThreshold: 1,
    });
    expect(postgres.startupProbe).toEqual(tcp(5, 30));
    expect(postgres.readinessProbe).toEqual(tcp(10, 3));
    expect(postgres.livenessProbe).toEqual(tcp(10, 6));
  });

  test('requests, limits and securityContexts', () => {
    const objects = synthManifests(build().chart);
    expect(container(objects, 'Deployment', 'todo-frontend').resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(container(objects, 'Deployment', 'todo-backend').resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '1', 'memory': '512Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(container(objects, 'StatefulSet', 'todo-postgres').resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '512Mi' },
    });
    const restricted = (uid: number) => ({
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const pod = (uid: number) => ({ runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } });
    for (const [kind, name, uid] of [['Deployment', 'todo-frontend', 1000], ['Deployment', 'todo-backend', 1000], ['StatefulSet', 'todo-postgres', 1001]] as const) {
      const spec = findObject(objects, kind, name).spec.template.spec;
      expect(spec.securityContext).toEqual(pod(uid));
      expect(spec.containers[0].securityContext).toEqual(restricted(uid));
      expect(spec.automountServiceAccountToken).toBe(false);
    }
    const mounts = (kind: string, name: string) => container(objects, kind, name).volumeMounts.map((m: any) => m.mountPath);
    expect(mounts('Deployment', 'todo-frontend')).toEqual(['/tmp', '/app/.next/cache']);
    expect(mounts('Deployment', 'todo-backend')).toEqual(['/tmp']);
    expect(mounts('StatefulSet', 'todo-postgres')).toEqual([
      '/tmp', '/opt/bitnami/postgresql/conf', '/opt/bitnami/postgresql/tmp', '/opt/bitnami/postgresql/logs', '/bitnami/postgresql',
    ]);
  });

  test('autoscalers, disruption budgets and the database volume', () => {
    const objects = synthManifests(build({ databaseStorageClass: 'standard' }).chart);
    for (const name of ['todo-frontend', 'todo-backend']) {
      expect(findObject(objects, 'HorizontalPodAutoscaler', name).spec).toMatchObject({
        scaleTargetRef: { kind: 'Deployment', name }, minReplicas: 2, maxReplicas: 4,
      });
      expect(findObject(objects, 'PodDisruptionBudget', name).spec.maxUnavailable).toBe(1);
      expect(findObject(objects, 'Deployment', name).spec.replicas).toBeUndefined();
    }
    const db = findObject(objects, 'StatefulSet', 'todo-postgres');
    expect(db.spec.replicas).toBe(1);
    expect(db.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(db.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '5Gi' } },
    });
  });

  test('the Ingress routes / to the frontend and /api to the backend, with TLS and rate limits', () => {
    const ingress = findObject(synthManifests(build({ hostname: 'todo.example.com', tlsSecretName: 'todo-tls' }).chart), 'Ingress', 'todo-ingress');
    expect(ingress.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/limit-rps': '10',
      'nginx.ingress.kubernetes.io/limit-burst-multiplier': '5',
      'nginx.ingress.kubernetes.io/limit-connections': '20',
    });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['todo.example.com'], secretName: 'todo-tls' }],
      rules: [{
        host: 'todo.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'todo-frontend-service', port: { number: 3000 } } } },
            { path: '/api', pathType: 'Prefix', backend: { service: { name: 'todo-backend-service', port: { number: 8000 } } } },
          ],
        },
      }],
    });
  });

  test('tlsCertificate makes the Ingress certificate: cert-manager issues todo-tls for the host name', () => {
    const objects = synthManifests(build({ hostname: 'todo.example.com', tlsCertificate: CertificateProvider.CERT_MANAGER }).chart);
    expect(findObject(objects, 'Ingress', 'todo-ingress').spec.tls).toEqual([{ hosts: ['todo.example.com'], secretName: 'todo-tls' }]);
    const certificate = findObject(objects, 'Certificate', 'todo-tls');
    expect(certificate.metadata.namespace).toBe('todo');
    expect(certificate.spec).toMatchObject({ secretName: 'todo-tls', dnsNames: ['todo.example.com'] });
    expect(objectsOfKind(objects, 'Issuer').map((o) => o.metadata.name)).toEqual(['todo-tls-selfsigned', 'todo-tls-ca-issuer']);
    // The Namespace comes first, so the issuers can be applied in one go.
    expect(objects[0].kind).toBe('Namespace');
    expect(JSON.stringify(objects)).not.toMatch(/PRIVATE KEY/);
  });

  test('NetworkPolicies: ingress controller to frontend and backend, frontend to backend, backend to database', () => {
    const objects = synthManifests(build().chart);
    const controller = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
    const pods = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'todo-chatbot' } } });
    // DNS only to the cluster DNS pods (kube-dns / CoreDNS in kube-system).
    const dns = { to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] };
    const frontend = findObject(objects, 'NetworkPolicy', 'todo-frontend').spec;
    expect(frontend.ingress).toEqual([{ from: [controller], ports: [{ port: 3000, protocol: 'TCP' }] }]);
    expect(frontend.egress).toEqual([dns, { to: [pods('todo-backend')] }]);
    const backend = findObject(objects, 'NetworkPolicy', 'todo-backend').spec;
    expect(backend.ingress).toEqual([{ from: [controller, pods('todo-frontend')], ports: [{ port: 8000, protocol: 'TCP' }] }]);
    expect(backend.egress).toEqual([{}]); // the AI provider's API is outside the cluster
    const database = findObject(objects, 'NetworkPolicy', 'todo-postgres').spec;
    expect(database.ingress).toEqual([{ from: [pods('todo-backend')], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    expect(database.egress).toEqual([dns]);
  });

  test('the example charts: production pinned, development with latest pulled IfNotPresent, both fit the cluster', () => {
    const [production, development] = todoChatbotCharts(new App());
    expect([production.node.id, development.node.id]).toEqual(['todo-chatbot', 'todo-chatbot-development']);
    const prod = synthManifests(production);
    const dev = synthManifests(development);
    expect(container(prod, 'Deployment', 'todo-backend').image).toBe('todo-backend:1.0.0');
    expect(container(dev, 'Deployment', 'todo-backend')).toMatchObject({ image: 'todo-backend:latest', imagePullPolicy: 'IfNotPresent' });
    expect(findObject(dev, 'HorizontalPodAutoscaler', 'todo-frontend').spec.maxReplicas).toBe(2);
    const cluster = (production.node.findChild('todo-chatbot') as TodoChatbot).cluster!;
    expect(cluster.startCommand()).toBe('minikube start --profile todo-local --cpus 4 --memory 4096MB --disk-size 20000MB --kubernetes-version v1.28.3');
    expect(cluster.checkFits(prod)).toEqual([]);
  });
});

describe('TodoChatbot rules', () => {
  const synthError = (props: TodoChatbotProps): string => {
    try {
      Testing.synth(build(props).chart);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected synth to fail');
  };

  test.each([
    ['latest in production', { backendImage: { tag: 'latest' } },
      /\[todo-chatbot\/todo-chatbot\/backend\] image.tag: got "latest"; expected a pinned semantic version \(or a digest\) in production/],
    ['a postgres tag that is no semantic version', { databaseImage: { repository: 'postgres', tag: '16.4' } },
      /\[todo-chatbot\/todo-chatbot\/postgres-image\] tag: got "16.4"; expected an image tag that is a semantic version/],
    ['a cluster with too few CPUs', { cluster: { ...TODO_CLUSTER, cpus: 2 } },
      /\[todo-chatbot\/todo-chatbot\/cluster\] cpus: got 2; expected at least 3: the workloads request 2000m CPU and 2176Mi memory at maximum replicas plus rolling-update surge, and the control plane 750m CPU and 170Mi/],
    ['a cluster with too little memory', { cluster: { ...TODO_CLUSTER, memory: 2048 } },
      /cluster\] memory: got 2048; expected at least 2346 \(MB\)/],
    ['a cluster with too little disk', { cluster: { ...TODO_CLUSTER, diskSize: 4000 }, databaseStorageSize: '8Gi' },
      /cluster\] diskSize: got 4000; expected at least 8192 \(MB\): the persistent volume claims total 8192Mi \(StatefulSet todo\/todo-postgres claim data: 1 x 8192Mi\)/],
    ['Kubernetes 1.27', { cluster: { ...TODO_CLUSTER, kubernetesVersion: '1.27.4' } },
      /cluster\] kubernetesVersion: got "1.27.4"; expected at least 1.28/],
    ['a database volume below 1Gi', { databaseStorageSize: '512Mi' },
      /\[todo-chatbot\/todo-chatbot\/postgres\] volumeClaim.size: got "512Mi"; expected at least "1Gi" \(minimumSize\)/],
    ['a bad database user', { databaseUser: 'Todo-User' },
      /databaseUser: got "Todo-User"; expected a lower-case PostgreSQL identifier/],
    ['a bad hostname', { hostname: 'not a host' }, /\[todo-chatbot\/todo-chatbot\/ingress\] hostname: got "not a host"/],
    ['a reserved namespace', { namespace: 'kube-system' }, /namespace\] name: got "kube-system"; expected a namespace of your own/],
    ['an empty JWT secret', { jwtSecret: ' ' }, /backend-secrets\] secretData.JWT_SECRET: got <redacted>; expected a non-empty value/],
    ['HPA min above max', { frontendScaling: { minReplicas: 5, maxReplicas: 2, targetCpuPercent: 70 } },
      /frontend\] scalingConfig.maxReplicas: got 2; expected an integer from 5 to 1000/],
  ])('rejects %s', (_what, props, message) => {
    expect(synthError(props as TodoChatbotProps)).toMatch(message);
  });

  test('latest is allowed in development', () => {
    const { chart } = build({ environment: Environment.DEVELOPMENT, frontendImage: { tag: 'latest' }, backendImage: { tag: 'latest' } });
    expect(container(synthManifests(chart), 'Deployment', 'todo-frontend').image).toBe('todo-frontend:latest');
  });

  test('a secret value never appears in an error', () => {
    const message = synthError({ jwtSecret: 'sk-very-secret', databaseUser: 'BAD' });
    expect(message).toMatch(/databaseUser/);
    expect(message).not.toMatch(/sk-very-secret/);
  });
});
