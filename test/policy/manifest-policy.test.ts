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
  const set = { deployment, service, pdb, networkPolicy, hpa, ingress, configMap, serviceAccount };
  return { ...set, objects: () => Object.values(set) };
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

// [control, level, mutation, "Kind/name" of the object holding the violation, path]
const cases: Array<[string, PolicyLevel, Mutation, string, string]> = [
  ['image-pinned-tag', E, (s) => { c0(s).image = 'registry.example/web:latest'; }, 'Deployment/web', `${C0}.image`],
  ['image-pinned-tag', E, (s) => { init0(s).image = 'registry.example:5000/migrate'; }, 'Deployment/web', `${I0}.image`],
  ['image-pull-policy-always', W, (s) => { delete c0(s).imagePullPolicy; }, 'Deployment/web', `${C0}.imagePullPolicy`],
  ['resources-memory-limit', E, (s) => { delete c0(s).resources.limits.memory; }, 'Deployment/web', `${C0}.resources.limits.memory`],
  ['resources-memory-limit', E, (s) => { delete init0(s).resources; }, 'Deployment/web', `${I0}.resources.limits.memory`],
  ['resources-cpu-request', W, (s) => { delete c0(s).resources.requests.cpu; }, 'Deployment/web', `${C0}.resources.requests.cpu`],
  ['resources-memory-request', W, (s) => { c0(s).resources.requests.memory = '0'; }, 'Deployment/web', `${C0}.resources.requests.memory`],
  ['resources-cpu-limit', W, (s) => { delete c0(s).resources.limits.cpu; }, 'Deployment/web', `${C0}.resources.limits.cpu`],
  ['resources-ephemeral-storage', W, (s) => { delete c0(s).resources.limits['ephemeral-storage']; }, 'Deployment/web', `${C0}.resources.limits.ephemeral-storage`],
  ['resources-ephemeral-storage', W, (s) => { delete c0(s).resources.requests['ephemeral-storage']; }, 'Deployment/web', `${C0}.resources.requests.ephemeral-storage`],
  ['env-no-duplicate-names', E, (s) => { c0(s).env.push({ name: 'LOG_LEVEL', value: 'debug' }); }, 'Deployment/web', `${C0}.env[3].name`],
  ['env-no-literal-secrets', E, (s) => { c0(s).env.push({ name: 'Api_Token', value: 'abc123' }); }, 'Deployment/web', `${C0}.env[3].value`],
  ['env-no-literal-secrets', E, (s) => { c0(s).env.push({ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAEXAMPLE' }); }, 'Deployment/web', `${C0}.env[3].value`],
  ['env-no-literal-secrets', E, (s) => { init0(s).env = [{ name: 'TLS_KEY', value: PEM }]; }, 'Deployment/web', `${I0}.env[0].value`],
  ['configmap-no-secret-content', W, (s) => { s.configMap.data.DB_PASSWORD = 'hunter2'; }, 'ConfigMap/web', 'data.DB_PASSWORD'],
  ['configmap-no-secret-content', W, (s) => { s.configMap.data['tls.key'] = PEM; }, 'ConfigMap/web', 'data.tls.key'],
  ['probe-readiness-present', W, (s) => { delete c0(s).readinessProbe; }, 'Deployment/web', `${C0}.readinessProbe`],
  ['probe-liveness-present', W, (s) => { delete c0(s).livenessProbe; }, 'Deployment/web', `${C0}.livenessProbe`],
  ['probe-not-identical', W, (s) => { c0(s).livenessProbe = { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 30 }; }, 'Deployment/web', `${C0}.livenessProbe`],
  ['probe-port-exposed', W, (s) => { c0(s).readinessProbe.httpGet.port = 'metrics'; }, 'Deployment/web', `${C0}.readinessProbe.httpGet.port`],
  ['probe-port-exposed', W, (s) => { c0(s).startupProbe = { tcpSocket: { port: 9000 } }; }, 'Deployment/web', `${C0}.startupProbe.tcpSocket.port`],
  ['port-names-valid', W, (s) => { c0(s).ports.push({ name: 'prometheus-metrics', containerPort: 9090 }); }, 'Deployment/web', `${C0}.ports[1].name`],
  ['port-names-valid', W, (s) => { s.service.spec.ports[0].targetPort = 'Http'; }, 'Service/web', 'spec.ports[0].targetPort'],
  ['container-read-only-root-fs', E, (s) => { init0(s).securityContext.readOnlyRootFilesystem = false; }, 'Deployment/web', `${I0}.securityContext.readOnlyRootFilesystem`],
  ['container-read-only-root-fs', E, (s) => { delete c0(s).securityContext; }, 'Deployment/web', `${C0}.securityContext.readOnlyRootFilesystem`],
  ['selector-matches-template', E, (s) => { s.deployment.spec.selector = { matchLabels: { app: 'shop' } }; }, 'Deployment/web', 'spec.selector'],
  ['selector-matches-template', E, (s) => { s.deployment.spec.selector.matchExpressions = [{ key: 'version', operator: 'NotIn', values: ['1.0.0'] }]; }, 'Deployment/web', 'spec.selector'],
  ['selector-matches-template', E, (s) => { s.deployment.spec.selector = {}; }, 'Deployment/web', 'spec.selector'],
  ['service-selects-pods', E, (s) => { s.service.spec.selector = { app: 'webshop' }; }, 'Service/web', 'spec.selector'],
  ['service-selects-pods', E, (s) => { delete s.service.spec.selector; }, 'Service/web', 'spec.selector'],
  ['service-selects-pods', E, (s) => { s.service.metadata.namespace = 'other'; }, 'Service/web', 'spec.selector'],
  ['ingress-backend-exists', W, (s) => { s.ingress.spec.rules[0].http.paths[0].backend.service.name = 'shop'; },
    'Ingress/web', 'spec.rules[0].http.paths[0].backend.service.name'],
  ['ingress-backend-exists', W, (s) => { s.ingress.spec.rules[0].http.paths[0].backend.service.port = { number: 8080 }; },
    'Ingress/web', 'spec.rules[0].http.paths[0].backend.service.port'],
  ['ingress-backend-exists', W, (s) => { s.ingress.spec.defaultBackend = { service: { name: 'web', port: { name: 'https' } } }; },
    'Ingress/web', 'spec.defaultBackend.service.port'],
  ['ingress-tls', W, (s) => { delete s.ingress.spec.tls; }, 'Ingress/web', 'spec.tls'],
  ['service-not-nodeport', W, (s) => { s.service.spec.type = 'NodePort'; }, 'Service/web', 'spec.type'],
  ['networkpolicy-covers-pod', W, (s) => { s.networkPolicy.spec.policyTypes = ['Ingress']; delete s.networkPolicy.spec.egress; },
    'Deployment/web', 'spec.template.metadata.labels'],
  ['networkpolicy-covers-pod', W, (s) => { s.networkPolicy.metadata.namespace = 'other'; }, 'Deployment/web', 'spec.template.metadata.labels'],
  ['networkpolicy-selects-something', W, (s) => { s.networkPolicy.spec.podSelector = { matchLabels: { app: 'shop' } }; }, 'NetworkPolicy/web', 'spec.podSelector'],
  ['pdb-present', W, (s) => { s.pdb.spec.selector = { matchLabels: { app: 'shop' } }; }, 'Deployment/web', 'spec.template.metadata.labels'],
  ['pdb-has-policy', W, (s) => { delete s.pdb.spec.maxUnavailable; }, 'PodDisruptionBudget/web', 'spec'],
  ['pdb-allows-eviction', W, (s) => { s.pdb.spec.maxUnavailable = '0%'; }, 'PodDisruptionBudget/web', 'spec.maxUnavailable'],
  ['pdb-allows-eviction', W, (s) => { delete s.pdb.spec.maxUnavailable; s.pdb.spec.minAvailable = '100%'; }, 'PodDisruptionBudget/web', 'spec.minAvailable'],
  ['pdb-allows-eviction', W, (s) => { delete s.pdb.spec.maxUnavailable; s.pdb.spec.minAvailable = 2; }, 'PodDisruptionBudget/web', 'spec.minAvailable'],
  ['pdb-unhealthy-eviction-policy', W, (s) => { delete s.pdb.spec.unhealthyPodEvictionPolicy; }, 'PodDisruptionBudget/web', 'spec.unhealthyPodEvictionPolicy'],
  ['replicas-min-two', W, (s) => { s.hpa.spec.scaleTargetRef.name = 'api'; s.deployment.spec.replicas = 1; }, 'Deployment/web', 'spec.replicas'],
  ['hpa-no-static-replicas', W, (s) => { s.deployment.spec.replicas = 3; }, 'Deployment/web', 'spec.replicas'],
  ['hpa-target-exists', W, (s) => { s.hpa.spec.scaleTargetRef.kind = 'StatefulSet'; }, 'HorizontalPodAutoscaler/web', 'spec.scaleTargetRef'],
  ['hpa-target-exists', W, (s) => { s.hpa.spec.scaleTargetRef.apiVersion = 'apps/v1beta2'; }, 'HorizontalPodAutoscaler/web', 'spec.scaleTargetRef'],
  ['hpa-min-replicas', W, (s) => { delete s.hpa.spec.minReplicas; }, 'HorizontalPodAutoscaler/web', 'spec.minReplicas'],
  ['hpa-min-replicas', W, (s) => { s.hpa.spec.maxReplicas = 2; }, 'HorizontalPodAutoscaler/web', 'spec.maxReplicas'],
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
  ['pod-high-uid-gid', W, (s) => { pod(s).securityContext.runAsUser = 1000; }, 'Deployment/web', 'spec.template.spec.securityContext.runAsUser'],
  ['pod-high-uid-gid', W, (s) => { init0(s).securityContext.runAsGroup = 999; }, 'Deployment/web', `${I0}.securityContext.runAsGroup`],
];

describe('ManifestPolicy', () => {
  test('a compliant Deployment with Service, PDB, NetworkPolicy, HPA, Ingress with TLS, ConfigMap and ServiceAccount has no violation at all', () => {
    const objects = compliant().objects();
    expect(ManifestPolicy.check(objects)).toEqual([]);
    expect(ManifestPolicy.errors(objects)).toEqual([]);
    expect(RestrictedProfile.check(objects)).toEqual([]);
  });

  test.each(cases.map(([control, level, mutate, object, path]) => [control, level, path, object, mutate] as const))(
    '%s (%s): %s of %s', (control, level, path, object, mutate) => {
      const s = compliant();
      mutate(s);
      const [kind, name] = object.split('/');
      expect(ManifestPolicy.check(s.objects())).toEqual(expect.arrayContaining([
        { kind, name, control, path, level, message: expect.any(String) },
      ]));
    });

  test('the table covers every rule the policy declares, with the declared level', () => {
    const declared = ManifestPolicy.rules();
    expect([...new Set(cases.map((c) => c[0]))].sort()).toEqual(declared.map((r) => r.id).sort());
    for (const [control, level] of cases) expect(declared.find((r) => r.id === control)?.level).toBe(level);
    for (const r of declared) expect(r.description).toMatch(/\S/);
  });

  test('exactly the rules at least two linters block on (or PSS needs) are errors', () => {
    expect(ManifestPolicy.rules().filter((r) => r.level === PolicyLevel.ERROR).map((r) => r.id).sort()).toEqual([
      'container-read-only-root-fs', 'env-no-duplicate-names', 'env-no-literal-secrets', 'image-pinned-tag',
      'resources-memory-limit', 'selector-matches-template', 'service-selects-pods',
    ]);
  });

  test('every violation carries the level of its rule; errors() keeps only ERROR', () => {
    const s = compliant();
    c0(s).image = 'web';
    delete s.ingress.spec.tls;
    const all = ManifestPolicy.check(s.objects());
    expect(all.map((v) => `${v.level} ${v.control}`)).toEqual(['error image-pinned-tag', 'warning ingress-tls']);
    expect(ManifestPolicy.errors(s.objects()).map((v) => v.control)).toEqual(['image-pinned-tag']);
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
    const controls = ManifestPolicy.check([...s.objects(), cron, job, svc]).map((v) => `${v.kind}/${v.name} ${v.control}`);
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
      .map((v) => v.control);
    expect(controls).toEqual(['replicas-min-two']);
  });

  test('ignores non-objects and kinds it does not know; RestrictedProfile violations have no level', () => {
    expect(ManifestPolicy.check([null, 'x', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' } }] as any[])).toEqual([]);
    const s = compliant();
    pod(s).hostPID = true;
    expect(RestrictedProfile.check(s.objects())[0]).not.toHaveProperty('level');
  });
});
