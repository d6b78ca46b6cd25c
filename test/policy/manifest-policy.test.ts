import { PodSecurityLevel } from '../../src/core/pod-security';
import { ManifestPolicy, PolicyLevel, RestrictedProfile } from '../../src/policy';

const NS = 'shop';
const LABELS = { app: 'web' };

function container(name: string): any {
  return {
    name,
    image: `registry.example/${name}:1.0.0`,
    imagePullPolicy: 'Always',
    resources: {
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    },
  };
}

/** A fully compliant web app: Deployment, Service, PDB, NetworkPolicy, HPA, Ingress with TLS, ConfigMap, ServiceAccount. */
function compliant() {
  const meta = (name: string) => ({ name, namespace: NS, labels: { ...LABELS, version: '1.0.0' } });
  const web = {
    ...container('web'),
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'web-db', key: 'password' } } },
      { name: 'PASSWORD_FILE', value: '/run/secrets/db/password' },
    ],
    readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
  };
  const deployment: any = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web'),
    spec: {
      selector: { matchLabels: LABELS, matchExpressions: [{ key: 'version', operator: 'Exists' }] },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...LABELS, version: '1.0.0' } },
        spec: {
          serviceAccountName: 'web',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: LABELS } } },
              ],
            },
          },
          initContainers: [container('migrate')],
          containers: [web],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
  const service: any = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('web'),
    spec: { type: 'ClusterIP', selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  const pdb: any = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta('web'),
    spec: { maxUnavailable: 1, selector: { matchLabels: LABELS }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  };
  const networkPolicy: any = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta('web'),
    spec: {
      podSelector: { matchLabels: LABELS },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: 8080, protocol: 'TCP' }] }],
      egress: [{}],
    },
  };
  const hpa: any = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta('web'),
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 },
  };
  const ingress: any = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta('web'),
    spec: {
      tls: [{ hosts: ['shop.example.com'], secretName: 'web-tls' }],
      rules: [{
        host: 'shop.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
      }],
    },
  };
  const configMap: any = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('web'), data: { LOG_LEVEL: 'info', TOKEN_TTL_SECONDS: '' } };
  const serviceAccount: any = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('web'), automountServiceAccountToken: false };
  const role: any = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta('web'),
    rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['web'], verbs: ['get', 'watch'] }],
  };
  const roleBinding: any = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta('web'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'web' },
    subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: NS }],
  };
  const set = { deployment, service, pdb, networkPolicy, hpa, ingress, configMap, serviceAccount, role, roleBinding };
  const objectsExtra: any[] = [];
  return { ...set, objectsExtra, objects: () => [...Object.values(set), ...objectsExtra] };
}

type AppSet = ReturnType<typeof compliant>;
type Mutation = (s: AppSet) => void;
const pod = (s: AppSet) => s.deployment.spec.template.spec;
const c0 = (s: AppSet) => pod(s).containers[0];
const init0 = (s: AppSet) => pod(s).initContainers[0];
const C0 = 'spec.template.spec.containers[0]';
const I0 = 'spec.template.spec.initContainers[0]';
const E = PolicyLevel.ERROR;
const W = PolicyLevel.WARNING;
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n';
// Token-shaped test values made up here (not real credentials).
const SLACK = ['xoxb', '1234567890', 'abcdefghijklmnop'].join('-');
const GITHUB = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiJkZXBsb3lraXQifQ', 'c2lnbmF0dXJlLW5vdC1yZWFs'].join('.');
const SECRETS = ['hunter2', 's3cret-pw', SLACK, GITHUB, JWT, 'AKIAEXAMPLE', 'abc123', 'MIIB', 'f3b2c1d4e5a6978812ab34cd56ef7890'];
/** The NetworkPolicy admits port 8081 too (the Ingress sends traffic there once the Service targets it). */
const admit8081 = (s: AppSet) => { s.networkPolicy.spec.ingress[0].ports.push({ port: 8081, protocol: 'TCP' }); };
/** Mounts a new claim `web-data` with one access mode in the web pods. */
const addClaim = (s: AppSet, mode: string) => {
  s.objectsExtra.push({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'web-data', namespace: NS },
    spec: { accessModes: [mode], resources: { requests: { storage: '1Gi' } } },
  });
  pod(s).volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'web-data' } });
};
/** A second compliant Deployment, `api`, with the same pods as `web`. */
const apiDeployment = () => {
  const d = JSON.parse(JSON.stringify(compliant().deployment));
  d.metadata.name = 'api';
  return d;
};

// [control, level, mutation, "Kind/name" of the object holding the violation, path]: each mutation breaks only that rule.
const cases: Array<[string, PolicyLevel, Mutation, string, string]> = [
  ['image-pinned-tag', W, (s) => { c0(s).image = 'registry.example/web:latest'; }, 'Deployment/web', `${C0}.image`],
  ['image-pinned-tag', W, (s) => { init0(s).image = 'registry.example:5000/migrate'; init0(s).imagePullPolicy = 'Always'; }, 'Deployment/web', `${I0}.image`],
  ['image-pull-policy-always', W, (s) => { delete c0(s).imagePullPolicy; }, 'Deployment/web', `${C0}.imagePullPolicy`],
  ['image-pull-policy-always', W, (s) => { init0(s).imagePullPolicy = 'IfNotPresent'; }, 'Deployment/web', `${I0}.imagePullPolicy`],
  ['resources-memory-limit', W, (s) => { delete c0(s).resources.limits.memory; }, 'Deployment/web', `${C0}.resources.limits.memory`],
  ['resources-memory-limit', W, (s) => { delete init0(s).resources.limits.memory; }, 'Deployment/web', `${I0}.resources.limits.memory`],
  ['resources-cpu-request', W, (s) => { delete c0(s).resources.requests.cpu; }, 'Deployment/web', `${C0}.resources.requests.cpu`],
  ['resources-memory-request', W, (s) => { c0(s).resources.requests.memory = '0'; }, 'Deployment/web', `${C0}.resources.requests.memory`],
  ['resources-cpu-limit', W, (s) => { delete c0(s).resources.limits.cpu; }, 'Deployment/web', `${C0}.resources.limits.cpu`],
  ['resources-ephemeral-storage', W, (s) => { delete c0(s).resources.limits['ephemeral-storage']; }, 'Deployment/web', `${C0}.resources.limits.ephemeral-storage`],
  ['resources-ephemeral-storage', W, (s) => { delete c0(s).resources.requests['ephemeral-storage']; }, 'Deployment/web', `${C0}.resources.requests.ephemeral-storage`],
  ['env-no-duplicate-names', E, (s) => { c0(s).env.push({ name: 'LOG_LEVEL', value: 'debug' }); }, 'Deployment/web', `${C0}.env[3].name`],
  ['env-no-literal-secrets', E, (s) => { c0(s).env.push({ name: 'Api_Token', value: 'abc123' }); }, 'Deployment/web', `${C0}.env[3].value`],
  ['env-no-literal-secrets', E, (s) => { c0(s).env.push({ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAEXAMPLE' }); }, 'Deployment/web', `${C0}.env[3].value`],
  ['env-no-literal-secrets', E, (s) => { init0(s).env = [{ name: 'TLS_KEY', value: PEM }]; }, 'Deployment/web', `${I0}.env[0].value`],
  ['env-no-literal-secrets', E, (s) => { c0(s).env.push({ name: 'GREETING', value: SLACK }); }, 'Deployment/web', `${C0}.env[3].value`],
  ['env-no-literal-secrets', E, (s) => { c0(s).env.push({ name: 'AZURE_OPENAI_KEY', value: 'f3b2c1d4e5a6978812ab34cd56ef7890' }); }, 'Deployment/web', `${C0}.env[3].value`],
  // ManifestPolicy checks for Kubernetes 1.28, which drops an init container's restartPolicy (native sidecars run from 1.29).
  ['native-sidecar-supported', E, (s) => { init0(s).restartPolicy = 'Always'; }, 'Deployment/web', `${I0}.restartPolicy`],
  ['restart-policy-kept', W, (s) => { init0(s).restartPolicy = 'OnFailure'; }, 'Deployment/web', `${I0}.restartPolicy`],
  // Issue 19: a secret-named ConfigMap key with a real-looking value exposes a secret: an error (it was a warning).
  ['configmap-no-secret-content', E, (s) => { s.configMap.data.DB_PASSWORD = 'hunter2'; }, 'ConfigMap/web', 'data.DB_PASSWORD'],
  ['secret-placeholder', W, (s) => { s.configMap.data.DB_PASSWORD = 'changeme'; }, 'ConfigMap/web', 'data.DB_PASSWORD'],
  ['secret-placeholder', W, (s) => { c0(s).env.push({ name: 'API_TOKEN', value: '<your token>' }); }, 'Deployment/web', `${C0}.env[3].value`],
  ['secret-values', E, (s) => { s.configMap.data['tls.key'] = PEM.replace(/-----/g, '--'); }, 'ConfigMap/web', 'data.tls.key'],
  ['secret-values', E, (s) => { s.configMap.data.DATABASE_URL = 'postgres://app:s3cret-pw@db.shop:5432/app'; }, 'ConfigMap/web', 'data.DATABASE_URL'],
  ['secret-values', E, (s) => { s.service.metadata.annotations = { 'example.dev/token': GITHUB }; }, 'Service/web', 'metadata.annotations.example.dev/token'],
  ['secret-values', E, (s) => { c0(s).args = ['--listen=:8080', '--db-password=hunter22']; }, 'Deployment/web', `${C0}.args[1]`],
  ['secret-values', E, (s) => { c0(s).args = ['--api-token', 'abc123def']; }, 'Deployment/web', `${C0}.args[1]`],
  ['secret-values', E, (s) => { c0(s).command = ['serve', `--key=${JWT}`]; }, 'Deployment/web', `${C0}.command[1]`],
  ['secret-values', E, (s) => { c0(s).livenessProbe = { exec: { command: ['pg_isready', '--password', 'hunter22'] } }; }, 'Deployment/web', `${C0}.livenessProbe.exec.command[2]`],
  ['probe-readiness-present', W, (s) => { delete c0(s).readinessProbe; }, 'Deployment/web', `${C0}.readinessProbe`],
  ['probe-present-behind-service', E, (s) => { delete c0(s).readinessProbe; delete c0(s).livenessProbe; }, 'Deployment/web', `${C0}.readinessProbe`],
  ['probe-liveness-present', W, (s) => { delete c0(s).livenessProbe; }, 'Deployment/web', `${C0}.livenessProbe`],
  ['probe-not-identical', W, (s) => { c0(s).livenessProbe = { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 30 }; }, 'Deployment/web', `${C0}.livenessProbe`],
  ['probe-port-exposed', W, (s) => { c0(s).startupProbe = { tcpSocket: { port: 9000 } }; }, 'Deployment/web', `${C0}.startupProbe.tcpSocket.port`],
  ['probe-named-port-exists', E, (s) => { c0(s).readinessProbe.httpGet.port = 'metrics'; }, 'Deployment/web', `${C0}.readinessProbe.httpGet.port`],
  ['container-port-valid', E, (s) => { c0(s).ports.push({ name: 'admin', protocol: 'TCP' }); }, 'Deployment/web', `${C0}.ports[1].containerPort`],
  ['container-port-valid', E, (s) => { c0(s).ports.push({ name: 'http', containerPort: 8081 }); }, 'Deployment/web', `${C0}.ports[1].name`],
  ['port-names-unique', W, (s) => { init0(s).ports = [{ name: 'http', containerPort: 8080 }]; }, 'Deployment/web', `${C0}.ports[0].name`],
  ['port-names-valid', E, (s) => { c0(s).ports.push({ name: 'prometheus-metrics', containerPort: 9090 }); }, 'Deployment/web', `${C0}.ports[1].name`],
  // The container declares the name too, or the Service would have no endpoints (service-target-port-name).
  ['port-names-valid', E, (s) => { c0(s).ports.push({ name: 'Http', containerPort: 8081 }); s.service.spec.ports[0].targetPort = 'Http'; admit8081(s); },
    'Service/web', 'spec.ports[0].targetPort'],
  ['container-read-only-root-fs', W, (s) => { init0(s).securityContext.readOnlyRootFilesystem = false; }, 'Deployment/web', `${I0}.securityContext.readOnlyRootFilesystem`],
  ['container-read-only-root-fs', W, (s) => { delete c0(s).securityContext.readOnlyRootFilesystem; }, 'Deployment/web', `${C0}.securityContext.readOnlyRootFilesystem`],
  ['container-drop-capabilities', W, (s) => { c0(s).securityContext.capabilities.drop = ['NET_RAW']; }, 'Deployment/web', `${C0}.securityContext.capabilities.drop`],
  ['selector-matches-template', E, (s) => { s.deployment.spec.selector.matchExpressions = [{ key: 'version', operator: 'NotIn', values: ['1.0.0'] }]; }, 'Deployment/web', 'spec.selector'],
  ['selector-matches-template', E, (s) => { s.deployment.spec.selector = {}; }, 'Deployment/web', 'spec.selector'],
  ['service-selects-pods', W, (s) => { s.service.spec.selector = { app: 'webshop' }; }, 'Service/web', 'spec.selector'],
  ['service-target-port-name', E, (s) => { s.service.spec.ports[0].targetPort = 'web'; }, 'Service/web', 'spec.ports[0].targetPort'],
  ['service-target-port-name', E, (s) => { s.service.spec.ports[0].protocol = 'UDP'; }, 'Service/web', 'spec.ports[0].targetPort'],
  ['service-target-port-declared', W, (s) => { s.service.spec.ports.push({ name: 'metrics', port: 9090 }); }, 'Service/web', 'spec.ports[1].port'],
  ['service-target-port-declared', W, (s) => { s.service.spec.ports[0].targetPort = 8081; admit8081(s); }, 'Service/web', 'spec.ports[0].targetPort'],
  ['ingress-backend-exists', W, (s) => { s.ingress.spec.rules[0].http.paths[0].backend.service.port = { number: 8080 }; },
    'Ingress/web', 'spec.rules[0].http.paths[0].backend.service.port'],
  ['ingress-backend-exists', W, (s) => { s.ingress.spec.defaultBackend = { service: { name: 'web', port: { name: 'https' } } }; },
    'Ingress/web', 'spec.defaultBackend.service.port'],
  ['ingress-backend-exists', W, (s) => { s.ingress.spec.rules[0].http.paths[0].backend = { service: { port: { number: 80 } } }; },
    'Ingress/web', 'spec.rules[0].http.paths[0].backend.service.name'],
  ['ingress-backend-exists', W, (s) => { s.ingress.spec.rules[0].http.paths[0].backend = { serviceName: 'shop', servicePort: 80 }; },
    'Ingress/web', 'spec.rules[0].http.paths[0].backend.serviceName'],
  ['ingress-backend-exists', W, (s) => { s.ingress.spec.rules[0].http.paths[0].backend = { serviceName: 'web', servicePort: 'https' }; },
    'Ingress/web', 'spec.rules[0].http.paths[0].backend.servicePort'],
  ['ingress-tls', W, (s) => { delete s.ingress.spec.tls; }, 'Ingress/web', 'spec.tls'],
  ['service-not-nodeport', W, (s) => { s.service.spec.type = 'NodePort'; }, 'Service/web', 'spec.type'],
  ['networkpolicy-covers-pod', W, (s) => { s.networkPolicy.spec.policyTypes = ['Ingress']; delete s.networkPolicy.spec.egress; },
    'Deployment/web', 'spec.template.metadata.labels'],
  ['networkpolicy-blocks-flow', E, (s) => { s.networkPolicy.spec.ingress[0].from = [{ podSelector: { matchLabels: { app: 'web' } } }]; },
    'NetworkPolicy/web', 'spec.ingress'],
  ['networkpolicy-blocks-flow', E, (s) => { s.networkPolicy.spec.egress = [{ to: [{ podSelector: {} }] }]; }, 'NetworkPolicy/web', 'spec.egress'],
  ['networkpolicy-selects-something', W, (s) => {
    s.objectsExtra.push({ ...s.networkPolicy, metadata: { ...s.networkPolicy.metadata, name: 'shop' }, spec: { ...s.networkPolicy.spec, podSelector: { matchLabels: { app: 'shop' } } } });
  }, 'NetworkPolicy/shop', 'spec.podSelector'],
  ['pdb-present', W, (s) => { s.pdb.spec.selector = { matchLabels: { app: 'shop' } }; }, 'Deployment/web', 'spec.template.metadata.labels'],
  ['pdb-has-policy', W, (s) => { delete s.pdb.spec.maxUnavailable; }, 'PodDisruptionBudget/web', 'spec'],
  ['pdb-allows-eviction', W, (s) => { s.pdb.spec.maxUnavailable = '0%'; }, 'PodDisruptionBudget/web', 'spec.maxUnavailable'],
  ['pdb-allows-eviction', W, (s) => { delete s.pdb.spec.maxUnavailable; s.pdb.spec.minAvailable = '100%'; }, 'PodDisruptionBudget/web', 'spec.minAvailable'],
  ['pdb-allows-eviction', W, (s) => { delete s.pdb.spec.maxUnavailable; s.pdb.spec.minAvailable = 2; }, 'PodDisruptionBudget/web', 'spec.minAvailable'],
  ['pdb-unhealthy-eviction-policy', W, (s) => { delete s.pdb.spec.unhealthyPodEvictionPolicy; }, 'PodDisruptionBudget/web', 'spec.unhealthyPodEvictionPolicy'],
  ['replicas-min-two', W, (s) => { s.hpa.spec.scaleTargetRef.name = 'api'; s.objectsExtra.push(apiDeployment()); s.deployment.spec.replicas = 1; delete pod(s).affinity; },
    'Deployment/web', 'spec.replicas'],
  ['hpa-no-static-replicas', W, (s) => { s.deployment.spec.replicas = 3; }, 'Deployment/web', 'spec.replicas'],
  ['hpa-target-exists', W, (s) => { s.objectsExtra.push({ ...s.hpa, metadata: { ...s.hpa.metadata, name: 'db' }, spec: { ...s.hpa.spec, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' } } }); },
    'HorizontalPodAutoscaler/db', 'spec.scaleTargetRef'],
  ['hpa-replica-range', E, (s) => { s.hpa.spec.minReplicas = 3; s.hpa.spec.maxReplicas = 2; }, 'HorizontalPodAutoscaler/web', 'spec.maxReplicas'],
  ['hpa-utilization-requests', E, (s) => {
    s.hpa.spec.metrics = [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'proxy', target: { type: 'Utilization', averageUtilization: 70 } } }];
  }, 'HorizontalPodAutoscaler/web', 'spec.metrics[0]'],
  ['single-writer-claim-replicas', E, (s) => { addClaim(s, 'ReadWriteOnce'); }, 'Deployment/web', 'spec.template.spec.volumes[1].persistentVolumeClaim.claimName'],
  ['single-writer-claim-replicas', E, (s) => { addClaim(s, 'ReadWriteOncePod'); s.hpa.spec.scaleTargetRef.name = 'api'; s.objectsExtra.push(apiDeployment()); s.deployment.spec.replicas = 3; },
    'Deployment/web', 'spec.template.spec.volumes[1].persistentVolumeClaim.claimName'],
  ['hpa-min-replicas', W, (s) => { s.hpa.spec.minReplicas = 1; s.hpa.spec.maxReplicas = 1; s.hpa.spec.maxReplicas = 2; }, 'HorizontalPodAutoscaler/web', 'spec.minReplicas'],
  ['hpa-min-replicas', W, (s) => { s.hpa.spec.maxReplicas = 2; }, 'HorizontalPodAutoscaler/web', 'spec.maxReplicas'],
  ['hpa-can-act', E, (s) => { s.objectsExtra.push({ ...s.hpa, metadata: { ...s.hpa.metadata, name: 'web-memory' } }); }, 'HorizontalPodAutoscaler/web-memory', 'spec.scaleTargetRef'],
  ['pod-anti-affinity', W, (s) => { delete pod(s).affinity; }, 'Deployment/web', 'spec.template.spec.affinity.podAntiAffinity'],
  ['pod-anti-affinity', W, (s) => { pod(s).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey = 'topology.kubernetes.io/zone'; },
    'Deployment/web', 'spec.template.spec.affinity.podAntiAffinity'],
  ['deployment-rolling-update', W, (s) => { s.deployment.spec.strategy = { type: 'Recreate' }; }, 'Deployment/web', 'spec.strategy.type'],
  ['stable-api-versions', W, (s) => { s.pdb.apiVersion = 'policy/v1beta1'; }, 'PodDisruptionBudget/web', 'apiVersion'],
  ['stable-api-versions', W, (s) => { s.ingress.apiVersion = 'extensions/v1beta1'; }, 'Ingress/web', 'apiVersion'],
  ['label-values-valid', W, (s) => { s.service.metadata.labels.version = '1.0.0-'; }, 'Service/web', 'metadata.labels.version'],
  ['label-values-valid', W, (s) => { s.deployment.spec.template.metadata.labels.team = 'web shop'; }, 'Deployment/web', 'spec.template.metadata.labels.team'],
  ['sa-token-not-automounted', W, (s) => { delete pod(s).automountServiceAccountToken; delete s.serviceAccount.automountServiceAccountToken; },
    'Deployment/web', 'spec.template.spec.automountServiceAccountToken'],
  ['sa-token-not-automounted', W, (s) => { pod(s).automountServiceAccountToken = true; }, 'Deployment/web', 'spec.template.spec.automountServiceAccountToken'],
  ['sa-exists', W, (s) => { pod(s).serviceAccountName = 'shop'; }, 'Deployment/web', 'spec.template.spec.serviceAccountName'],
  ['sa-exists', W, (s) => { pod(s).serviceAccount = 'web'; }, 'Deployment/web', 'spec.template.spec.serviceAccount'],
  ['no-ssh-port', W, (s) => { c0(s).ports.push({ name: 'ssh', containerPort: 22 }); }, 'Deployment/web', `${C0}.ports[1].containerPort`],
  ['pod-high-uid-gid', W, (s) => { pod(s).securityContext.runAsUser = 999; }, 'Deployment/web', 'spec.template.spec.securityContext.runAsUser'],
  ['pod-high-uid-gid', W, (s) => { init0(s).securityContext.runAsGroup = 999; }, 'Deployment/web', `${I0}.securityContext.runAsGroup`],
  ['rbac-no-cluster-admin', W, (s) => { s.roleBinding.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }; },
    'RoleBinding/web', 'roleRef.name'],
  ['rbac-no-wildcards', W, (s) => { s.role.rules[0].verbs = ['*']; }, 'Role/web', 'rules[0].verbs'],
  ['rbac-no-wildcards', W, (s) => { s.role.rules[0] = { apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }; }, 'Role/web', 'rules[0].resources'],
  // "pods/*" is no RBAC wildcard: it matches no resource, so it grants nothing (and no exec).
  ['rbac-no-wildcards', W, (s) => { s.role.rules.push({ apiGroups: [''], resources: ['pods/*'], verbs: ['create'] }); }, 'Role/web', 'rules[1].resources'],
  ['rbac-no-exec-attach', W, (s) => { s.role.rules.push({ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['create'] }); }, 'Role/web', 'rules[1].resources'],
  ['rbac-no-exec-attach', W, (s) => { s.role.rules.push({ apiGroups: [''], resources: ['pods/attach'], verbs: ['get'] }); }, 'Role/web', 'rules[1].resources'],
  ['rbac-no-secret-read', W, (s) => { s.role.rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }); }, 'Role/web', 'rules[1].resources'],
  ['rbac-no-escalation', W, (s) => { s.role.rules.push({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind', 'escalate'] }); }, 'Role/web', 'rules[1].verbs'],
  ['rbac-no-escalation', W, (s) => { s.role.rules.push({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }); }, 'Role/web', 'rules[1].verbs'],
  ['object-unique', E, (s) => { s.objectsExtra.push(JSON.parse(JSON.stringify(s.configMap))); }, 'ConfigMap/web', 'metadata.name'],
];
/** Rules whose violations name another object (the declarer of a flow, the first of two objects). */
const RELATED = new Set(['networkpolicy-blocks-flow', 'object-unique']);

describe('ManifestPolicy', () => {
  test('a compliant Deployment with Service, PDB, NetworkPolicy, HPA, Ingress with TLS, ConfigMap and ServiceAccount has no violation at all', () => {
    const objects = compliant().objects();
    expect(ManifestPolicy.check(objects)).toEqual([]);
    expect(ManifestPolicy.errors(objects)).toEqual([]);
    expect(RestrictedProfile.check(objects)).toEqual([]);
  });

  test('stable-api-versions: an API group named like an Object member (constructor, toString) has no stable version to name', () => {
    const object = (apiVersion: string) => ({ apiVersion, kind: 'Widget', metadata: { name: 'w', namespace: NS } });
    const messages = (apiVersion: string) => ManifestPolicy.check([object(apiVersion)]).filter((f) => f.rule === 'stable-api-versions').map((f) => f.message);
    expect(messages('policy/v1beta1')).toEqual(['apiVersion policy/v1beta1 is not the stable version; use policy/v1']);
    for (const apiVersion of ['constructor/v1', 'toString/v1', '__proto__/v1', 'hasOwnProperty/v1']) expect(messages(apiVersion)).toEqual([]);
  });

  test.each(cases.map(([control, level, mutate, object, path]) => [control, level, path, object, mutate] as const))(
    '%s (%s): %s of %s', (control, level, path, object, mutate) => {
      const s = compliant();
      mutate(s);
      const [kind, name] = object.split('/');
      const found = ManifestPolicy.check(s.objects());
      expect(found).toEqual(expect.arrayContaining([
        {
          kind,
          name,
          namespace: NS,
          rule: control,
          path,
          level,
          message: expect.any(String),
          ...(RELATED.has(control) ? { relatedObjectIndex: expect.any(Number) } : {}),
        },
      ]));
      // One manifest set breaking only that rule.
      expect([...new Set(found.map((v) => v.rule))]).toEqual([control]);
      // Secret values are never shown.
      for (const v of found) for (const secret of SECRETS) expect(v.message).not.toContain(secret);
    });

  test('the table covers every rule the policy declares, with the declared level', () => {
    const declared = ManifestPolicy.rules();
    expect([...new Set(cases.map((c) => c[0]))].sort()).toEqual(declared.map((r) => r.id).sort());
    for (const [control, level] of cases) expect(declared.find((r) => r.id === control)?.level).toBe(level);
    for (const r of declared) expect(r.description).toMatch(/\S/);
  });

  test('an autoscaler of a kind without a scale subresource cannot act (an error); another group\'s kind is trusted to scale', () => {
    const targeting = (apiVersion: string, kind: string) => {
      const s = compliant();
      s.hpa.spec.scaleTargetRef = { apiVersion, kind, name: 'web' };
      return ManifestPolicy.check(s.objects()).filter((f) => f.rule === 'hpa-can-act').map((f) => `${f.path}: ${f.message}`);
    };
    expect(targeting('apps/v1', 'DaemonSet')).toEqual([
      'spec.scaleTargetRef.kind: got "DaemonSet"; a DaemonSet has no scale subresource, so the autoscaler cannot act: target a Deployment or StatefulSet',
    ]);
    expect(targeting('v1', 'Pod')).toHaveLength(1);
    expect(targeting('argoproj.io/v1alpha1', 'Rollout')).toEqual([]);
    expect(targeting('apps/v1', 'StatefulSet')).toEqual([]);
    expect(targeting('apps/v1', 'Deployment')).toEqual([]);
  });

  test('a topologySpreadConstraint over nodes for the pod\'s own labels spreads the replicas as podAntiAffinity does; over zones or other pods it does not', () => {
    const spreadBy = (constraint: any) => {
      const s = compliant();
      delete pod(s).affinity;
      pod(s).topologySpreadConstraints = [constraint];
      return ManifestPolicy.check(s.objects()).filter((f) => f.rule === 'pod-anti-affinity').length;
    };
    const anti = pod(compliant()).affinity.podAntiAffinity;
    const own = { matchLabels: { ...anti.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels } };
    expect(spreadBy({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: own })).toBe(0);
    expect(spreadBy({ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: own })).toBe(1);
    expect(spreadBy({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'other' } } })).toBe(1);
  });

  test('a pod without any probe behind a Service is an error; one probe of any kind, or a Service that publishes pods before they are ready, is not', () => {
    const rulesOf = (mutate: (s: any) => void) => {
      const s = compliant();
      delete c0(s).readinessProbe;
      delete c0(s).livenessProbe;
      mutate(s);
      return ManifestPolicy.check(s.objects()).filter((f) => f.rule === 'probe-present-behind-service').map((f) => f.message);
    };
    expect(rulesOf(() => undefined)).toEqual([expect.stringMatching(/no container of the pod has a probe, though Service web sends it traffic/)]);
    expect(rulesOf((s) => { c0(s).startupProbe = { tcpSocket: { port: 8080 } }; })).toEqual([]);
    expect(rulesOf((s) => { s.service.spec.publishNotReadyAddresses = true; })).toEqual([]);
  });

  test('a bare Pod that runs to completion (a helm test hook with the app\'s labels) needs no probe behind the Service; one that restarts Always does', () => {
    const errorsOfPod = (restartPolicy?: string) => {
      const s = compliant();
      s.objectsExtra.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-test-connection', namespace: NS, labels: { ...LABELS }, annotations: { 'helm.sh/hook': 'test' } },
        spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ ...container('wget'), command: ['wget', 'web:80'] }] },
      });
      return ManifestPolicy.check(s.objects()).filter((f) => f.name === 'web-test-connection' && f.rule.startsWith('probe-')).map((f) => f.rule);
    };
    expect(errorsOfPod('Never')).toEqual([]);
    expect(errorsOfPod('OnFailure')).toEqual([]);
    expect(errorsOfPod()).toEqual(['probe-present-behind-service']);
  });

  test('errors: what the API server refuses, what breaks at run time, and secrets', () => {
    expect(ManifestPolicy.rules().filter((r) => r.level === PolicyLevel.ERROR).map((r) => r.id).sort()).toEqual([
      'configmap-no-secret-content', 'container-port-valid', 'env-no-duplicate-names', 'env-no-literal-secrets',
      'hpa-can-act', 'hpa-replica-range', 'hpa-utilization-requests', 'native-sidecar-supported', 'networkpolicy-blocks-flow', 'object-unique', 'port-names-valid', 'probe-named-port-exists', 'probe-present-behind-service',
      'secret-values', 'selector-matches-template', 'service-target-port-name', 'single-writer-claim-replicas',
    ]);
  });

  test('warnings, however many linters block on them: what real clusters run (an unpinned image, no memory limit, a writable root filesystem), and a Service whose pods may come from outside the input', () => {
    const level = (id: string) => ManifestPolicy.rules().find((r) => r.id === id)?.level;
    for (const id of ['image-pinned-tag', 'resources-memory-limit', 'container-read-only-root-fs', 'service-selects-pods']) expect(level(id)).toBe(PolicyLevel.WARNING);
    const s = compliant();
    c0(s).image = 'web';
    delete c0(s).resources.limits.memory;
    delete c0(s).securityContext.readOnlyRootFilesystem;
    expect(ManifestPolicy.check(s.objects()).map((v) => `${v.level} ${v.rule}`)).toEqual([
      'warning image-pinned-tag', 'warning resources-memory-limit', 'warning container-read-only-root-fs',
    ]);
    expect(ManifestPolicy.errors(s.objects())).toEqual([]);
  });

  test('every violation carries the level of its rule; errors() keeps only ERROR', () => {
    const s = compliant();
    c0(s).env.push({ name: 'LOG_LEVEL', value: 'debug' });
    delete s.ingress.spec.tls;
    const all = ManifestPolicy.check(s.objects());
    expect(all.map((v) => `${v.level} ${v.rule}`)).toEqual(['error env-no-duplicate-names', 'warning ingress-tls']);
    expect(ManifestPolicy.errors(s.objects()).map((v) => v.rule)).toEqual(['env-no-duplicate-names']);
  });

  test('digests pin an image; a registry port is not a tag', () => {
    const s = compliant();
    c0(s).image = 'registry.example:5000/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
    init0(s).image = 'registry.example:5000/migrate:2.1';
    expect(ManifestPolicy.check(s.objects())).toEqual([]);
  });

  test('the pod inherits automountServiceAccountToken: false from its ServiceAccount', () => {
    const s = compliant();
    delete pod(s).automountServiceAccountToken;
    expect(ManifestPolicy.check(s.objects())).toEqual([]);
  });

  test('Jobs and CronJobs skip probe and replica rules but not container rules', () => {
    const s = compliant();
    const jobPod = (image: string) => ({
      metadata: { labels: { app: 'web-backup' } },
      spec: {
        restartPolicy: 'OnFailure',
        automountServiceAccountToken: false,
        securityContext: { runAsUser: 10001, runAsGroup: 10001 },
        containers: [{ ...container('backup'), image }],
      },
    });
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup', namespace: NS },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: jobPod('backup:latest') } } },
    };
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: NS }, spec: { template: jobPod('migrate:1.0.0') } };
    // A Service selecting the job pods must not demand readiness probes from them.
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backup', namespace: NS }, spec: { selector: { app: 'web-backup' }, ports: [{ port: 80 }] } };
    s.networkPolicy.spec.podSelector = {};
    const controls = ManifestPolicy.check([...s.objects(), cron, job, svc]).map((v) => `${v.kind}/${v.name} ${v.rule}`);
    expect(controls).toEqual(['CronJob/backup image-pinned-tag']);
  });

  test('an empty podSelector covers every pod of its namespace; implied policyTypes come from the rules', () => {
    const s = compliant();
    s.networkPolicy.spec = { podSelector: {}, ingress: [{}], egress: [{}] };
    expect(ManifestPolicy.check(s.objects())).toEqual([]);
    s.networkPolicy.spec = { podSelector: {}, ingress: [{}] };
    expect(ManifestPolicy.check(s.objects()).map((v) => v.message)).toEqual(['the NetworkPolicies selecting these pods do not cover Egress']);
  });

  test('a single-replica Deployment needs no PDB or anti-affinity; a PDB minAvailable below the replicas allows eviction', () => {
    const s = compliant();
    s.hpa.spec.scaleTargetRef.name = 'api';
    s.deployment.spec.replicas = 3;
    delete s.pdb.spec.maxUnavailable;
    s.pdb.spec.minAvailable = 2;
    const objects = s.objects().filter((o) => o.kind !== 'HorizontalPodAutoscaler');
    expect(ManifestPolicy.check(objects)).toEqual([]);
    s.deployment.spec.replicas = 1;
    delete s.deployment.spec.template.spec.affinity;
    const controls = ManifestPolicy.check(s.objects().filter((o) => o.kind !== 'HorizontalPodAutoscaler').filter((o) => o.kind !== 'PodDisruptionBudget'))
      .map((v) => v.rule);
    expect(controls).toEqual(['replicas-min-two']);
  });

  test('replicas-min-two and sa-exists say what the user wrote: the replicas given once, unset as unset, no namespace as none', () => {
    const s = compliant();
    s.hpa.spec.scaleTargetRef.name = 'api';
    s.deployment.spec.replicas = 1;
    const messages = (objects: any[]) => ManifestPolicy.check(objects).map((v) => v.message);
    const withoutHpa = () => s.objects().filter((o) => o.kind !== 'HorizontalPodAutoscaler');
    expect(messages(withoutHpa())).toContain('spec.replicas is 1; run at least 2 for availability');
    delete s.deployment.spec.replicas;
    expect(messages(withoutHpa())).toContain('spec.replicas is unset (1 replica); run at least 2 for availability');
    pod(s).serviceAccountName = 'builder';
    const noNamespace = withoutHpa().map((o) => (o.kind === 'Deployment' ? { ...o, metadata: { ...o.metadata, namespace: undefined } } : o));
    expect(messages(noNamespace)).toContain(
      "ServiceAccount builder is not among the objects of the namespace kubectl's context names (the object sets none)");
  });

  test('ignores non-objects and kinds it does not know; RestrictedProfile violations are errors of a Pod Security level', () => {
    expect(ManifestPolicy.check([null, 'x', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' } }] as any[])).toEqual([]);
    const s = compliant();
    pod(s).hostPID = true;
    expect(RestrictedProfile.check(s.objects())[0]).toMatchObject({ rule: 'hostNamespaces', level: E, podSecurityLevel: PodSecurityLevel.BASELINE });
  });
});

describe('replicas and Ingress semantics of the peers', () => {
  const withoutHpa = (s: AppSet) => s.objects().filter((o) => o.kind !== 'HorizontalPodAutoscaler');
  const controls = (objects: any[], options = {}) => ManifestPolicy.check(objects, options).map((v) => v.rule);

  test('an unset replicas may be scaled: it still needs a PodDisruptionBudget and host anti-affinity (kube-score, Polaris)', () => {
    const s = compliant();
    delete pod(s).affinity;
    s.pdb.spec.selector = { matchLabels: { app: 'shop' } };
    expect(controls(withoutHpa(s))).toEqual(['pdb-present', 'replicas-min-two', 'pod-anti-affinity']); // catalog order
  });

  test('replicas explicitly below 2 exempt a workload from the PodDisruptionBudget and anti-affinity rules', () => {
    const s = compliant();
    delete pod(s).affinity;
    s.pdb.spec.selector = { matchLabels: { app: 'shop' } };
    s.deployment.spec.replicas = 1;
    expect(controls(withoutHpa(s))).toEqual(['replicas-min-two']);
  });

  test('an HPA-managed workload with replicas unset needs a PodDisruptionBudget; an autoscaler that never exceeds one pod does not', () => {
    const s = compliant();
    s.pdb.spec.selector = { matchLabels: { app: 'shop' } };
    expect(controls(s.objects())).toEqual(['pdb-present']);
    s.hpa.spec.minReplicas = 1;
    s.hpa.spec.maxReplicas = 1;
    delete pod(s).affinity;
    expect(controls(s.objects())).toEqual(['hpa-min-replicas', 'hpa-min-replicas']);
  });

  test('a StatefulSet with replicas unset needs its PodDisruptionBudget too', () => {
    const s = compliant();
    const sts = JSON.parse(JSON.stringify(s.deployment));
    sts.kind = 'StatefulSet';
    sts.metadata.name = 'db';
    delete sts.spec.strategy;
    sts.spec.serviceName = 'web';
    sts.spec.template.metadata.labels = { ...sts.spec.template.metadata.labels, app: 'web' };
    s.pdb.spec.selector = { matchLabels: { app: 'shop' } };
    const found = ManifestPolicy.check([...s.objects(), sts]).filter((v) => v.kind === 'StatefulSet');
    expect(found.map((v) => v.rule)).toEqual(['pdb-present']);
  });

  test('a legacy Ingress backend (serviceName/servicePort) that matches a Service and port passes', () => {
    const s = compliant();
    s.ingress.spec.rules[0].http.paths[0].backend = { serviceName: 'web', servicePort: 80 };
    s.ingress.spec.defaultBackend = { serviceName: 'web', servicePort: 'http' };
    expect(ManifestPolicy.check(s.objects())).toEqual([]);
  });
});

describe('networkpolicy-covers-pod: only pods a Kubernetes NetworkPolicy would govern', () => {
  const covers = (objects: any[]) => ManifestPolicy.check(objects).filter((v) => v.rule === 'networkpolicy-covers-pod').map((v) => v.path);
  const withoutPolicy = () => compliant().objects().filter((o) => o.kind !== 'NetworkPolicy');
  const calicoPolicy = (namespace?: string) => ({
    apiVersion: 'projectcalico.org/v3',
    kind: namespace ? 'NetworkPolicy' : 'GlobalNetworkPolicy',
    metadata: { name: 'default-deny', ...(namespace ? { namespace } : {}) },
    spec: { selector: 'all()', types: ['Ingress', 'Egress'] },
  });

  test('a pod no NetworkPolicy selects, or whose policies cover Ingress only, is warned', () => {
    expect(covers(withoutPolicy())).toEqual(['spec.template.metadata.labels']);
    const s = compliant();
    s.networkPolicy.spec.policyTypes = ['Ingress'];
    delete s.networkPolicy.spec.egress;
    expect(covers(s.objects())).toEqual(['spec.template.metadata.labels']);
  });

  test('host-network pods and pods under another engine\'s policies (in their namespace or cluster-wide) are not warned', () => {
    const s = compliant();
    const hostNetwork = withoutPolicy().map((o) => (o.kind === 'Deployment'
      ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, hostNetwork: true } } } } : o));
    expect(covers(hostNetwork)).toEqual([]);
    expect(covers([...withoutPolicy(), calicoPolicy(s.deployment.metadata.namespace)])).toEqual([]);
    expect(covers([...withoutPolicy(), calicoPolicy()])).toEqual([]);
    expect(covers([...withoutPolicy(), calicoPolicy('elsewhere')])).toEqual(['spec.template.metadata.labels']);
  });
});

describe('tuning', () => {
  const controls = (objects: any[], options = {}) => ManifestPolicy.check(objects, options).map((v) => v.rule);

  test('rules and skip choose the rules; an unknown id is refused with the list of rules', () => {
    const s = compliant();
    c0(s).image = 'web:latest';
    delete s.ingress.spec.tls;
    expect(controls(s.objects())).toEqual(['image-pinned-tag', 'ingress-tls']);
    expect(controls(s.objects(), { rules: ['ingress-tls'] })).toEqual(['ingress-tls']);
    expect(controls(s.objects(), { skip: ['ingress-tls'] })).toEqual(['image-pinned-tag']);
    expect(() => ManifestPolicy.check(s.objects(), { skip: ['ingress-tsl'] })).toThrow(/unknown rule id\(s\): ingress-tsl; the rules are image-pinned-tag, /);
  });

  test('minReplicas sets the replica threshold of replicas-min-two and hpa-min-replicas', () => {
    const s = compliant();
    expect(controls(s.objects(), { minReplicas: 3 })).toEqual(['hpa-min-replicas']);
    s.hpa.spec.minReplicas = 3;
    expect(controls(s.objects(), { minReplicas: 3 })).toEqual([]);
  });

  test('minimumRunAsId: 1000 by default (the library default uid), 10000 for kube-score', () => {
    const s = compliant();
    pod(s).securityContext.runAsUser = 1000;
    pod(s).securityContext.runAsGroup = 1000;
    expect(controls(s.objects())).toEqual([]);
    expect(controls(s.objects(), { minimumRunAsId: 10000 })).toEqual(['pod-high-uid-gid', 'pod-high-uid-gid', 'pod-high-uid-gid', 'pod-high-uid-gid']);
  });

  test('an unset pull policy counts as Always for :latest and untagged images, unless requireExplicitPullAlways', () => {
    const s = compliant();
    delete c0(s).imagePullPolicy;
    c0(s).image = 'registry.example/web:latest';
    expect(controls(s.objects())).toEqual(['image-pinned-tag']);
    expect(controls(s.objects(), { requireExplicitPullAlways: true })).toEqual(['image-pinned-tag', 'image-pull-policy-always']);
  });

  test('probes per pod by default: a sidecar without probes passes, unless probesPerContainer', () => {
    const s = compliant();
    pod(s).containers.push({ ...container('log-shipper'), ports: [] });
    expect(controls(s.objects())).toEqual([]);
    expect(controls(s.objects(), { probesPerContainer: true })).toEqual(['probe-readiness-present', 'probe-liveness-present']);
  });

  test('dropping every default capability plus NET_RAW and NET_ADMIN passes, unless requireDropAll', () => {
    const s = compliant();
    c0(s).securityContext.capabilities.drop = [
      'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
      'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT', 'NET_RAW', 'cap_net_admin',
    ];
    expect(controls(s.objects())).toEqual([]);
    expect(controls(s.objects(), { requireDropAll: true })).toEqual(['container-drop-capabilities']);
  });

  test('bindings to the built-in edit and admin ClusterRoles grant exec and Secret reads; system: roles are exempt', () => {
    const s = compliant();
    s.roleBinding.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' };
    // Issue 19: edit (and admin) also grant impersonate on serviceaccounts, as Kubernetes' aggregated roles do.
    expect(controls(s.objects())).toEqual(['rbac-no-exec-attach', 'rbac-no-secret-read', 'rbac-no-escalation']);
    const systemRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:controller:x' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] };
    expect(controls([...compliant().objects(), systemRole])).toEqual([]);
  });

  test('a binding to a role of wildcards makes cluster administrators', () => {
    const s = compliant();
    s.role.rules = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
    // Issue 19: the role itself is reported as cluster-admin-like too (its other grants are implied, not repeated).
    expect(controls(s.objects())).toEqual(['rbac-no-cluster-admin', 'rbac-no-wildcards', 'rbac-no-wildcards', 'rbac-no-wildcards', 'rbac-no-cluster-admin']);
  });
});
