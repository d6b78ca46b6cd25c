import {
  containersOf, ingressBackends, labelSelectorMatches, ManifestSet, mapSelects, podRequests, POD_KINDS, referencedNames,
} from '../../src/manifests';

const podSpec = (name = 'app') => ({ containers: [{ name, image: 'nginx:1.27.0', resources: { requests: { cpu: '250m', memory: '128Mi' } } }] });
const deployment = (name: string, extra: any = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, tier: 'web' } }, spec: podSpec() }, ...extra },
});
const hpa = (target: string, min: number, max: number) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: target, namespace: 'shop' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: min, maxReplicas: max },
});

describe('pod templates', () => {
  test('every pod kind is found, with the path of its pod spec', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec() },
      ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'].map((kind) => ({
        kind, metadata: { name: kind.toLowerCase() }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: podSpec() } },
      })),
      { kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: podSpec() } } } } },
      { kind: 'ConfigMap', metadata: { name: 'cm' } },
    ];
    const set = new ManifestSet(objects);
    expect(set.pods.map((p) => p.obj.kind)).toEqual([...POD_KINDS]);
    expect(set.pods.map((p) => p.specPath)).toEqual([
      'spec', ...Array(6).fill('spec.template.spec'), 'spec.jobTemplate.spec.template.spec',
    ]);
    expect(set.pods.filter((p) => p.runsToCompletion).map((p) => p.obj.kind)).toEqual(['Job', 'CronJob']);
  });

  test('containers: init (sidecars marked), regular and ephemeral, with their paths', () => {
    const spec = {
      initContainers: [{ name: 'migrate' }, { name: 'proxy', restartPolicy: 'Always' }],
      containers: [{ name: 'app' }, null],
      ephemeralContainers: [{ name: 'debug' }],
    };
    expect(containersOf(spec).map((c) => [c.c.name, c.list, c.sidecar, c.path])).toEqual([
      ['migrate', 'initContainers', false, 'spec.initContainers[0]'],
      ['proxy', 'initContainers', true, 'spec.initContainers[1]'],
      ['app', 'containers', false, 'spec.containers[0]'],
      [undefined, 'containers', false, 'spec.containers[1]'],
      ['debug', 'ephemeralContainers', false, 'spec.ephemeralContainers[0]'],
    ]);
  });

  test('anything that is not an object is skipped, never thrown on', () => {
    expect(new ManifestSet([null, 3, 'x', [], { kind: 'Pod' }] as any[]).objects.map((o) => o.name)).toEqual(['<unnamed>']);
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  test('matchLabels and every matchExpressions operator', () => {
    expect(labelSelectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { app: 'api' } }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Sometimes' }] }, labels)).toBe(false);
  });
  test('an empty LabelSelector selects everything, an unset one nothing; an empty map selects nothing', () => {
    expect(labelSelectorMatches({}, labels)).toBe(true);
    expect(labelSelectorMatches(undefined, labels)).toBe(false);
    expect(mapSelects({}, labels)).toBe(false);
    expect(mapSelects({ app: 'web' }, labels)).toBe(true);
  });
});

describe('relations of a workload', () => {
  const web = deployment('web', { replicas: 3 });
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  const otherNs = { ...svc, metadata: { name: 'web', namespace: 'other' } };
  const pdb = { kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] } } };
  const denyAll = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {} } };
  const set = new ManifestSet([web, svc, otherNs, pdb, denyAll, hpa('web', 2, 6)]);
  const ref = set.find('Deployment', 'web', 'shop')!;
  const pod = set.podOf(ref)!;

  test('Services, budgets and policies of the same namespace that select its pods', () => {
    expect(set.servicesSelecting(pod).map((s) => `${s.namespace}/${s.name}`)).toEqual(['shop/web']);
    expect(set.disruptionBudgetsSelecting(pod).map((p) => p.name)).toEqual(['web']);
    expect(set.networkPoliciesSelecting(pod).map((p) => p.name)).toEqual(['deny']);
    expect(set.podsSelectedByService(set.find('Service', 'web', 'shop')!)).toEqual([pod]);
  });

  test('the autoscaler of a workload and the workload of an autoscaler', () => {
    const scaler = set.autoscalerOf(ref)!;
    expect(scaler.name).toBe('web');
    expect(set.scaleTargetOf(scaler)).toBe(ref);
  });

  test('ConfigMaps, Secrets and claims its pods read', () => {
    const spec = {
      volumes: [{ name: 'a', configMap: { name: 'cm1' } }, { name: 'b', persistentVolumeClaim: { claimName: 'data' } },
        { name: 'c', projected: { sources: [{ secret: { name: 's1' } }, { configMap: { name: 'cm2' } }] } }],
      containers: [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's2', key: 'k' } } }], envFrom: [{ configMapRef: { name: 'cm3' } }] }],
    };
    expect([...referencedNames(spec, 'ConfigMap')]).toEqual(['cm1', 'cm2', 'cm3']);
    expect([...referencedNames(spec, 'Secret')]).toEqual(['s1', 's2']);
    expect([...referencedNames(spec, 'PersistentVolumeClaim')]).toEqual(['data']);
  });
});

describe('replicas', () => {
  test('explicit, unset (the API default 1, not "explicitly below 2"), and HPA-managed (may scale)', () => {
    const set = new ManifestSet([deployment('fixed', { replicas: 3 }), deployment('unset'), deployment('scaled'), hpa('scaled', 2, 5)]);
    const of = (name: string) => set.replicas(set.find('Deployment', name)!);
    expect(of('fixed')).toEqual({ explicit: 3, desired: 3, max: 3, mayScale: false });
    expect(of('unset')).toEqual({ explicit: undefined, desired: 1, max: 1, mayScale: false });
    expect(of('scaled')).toMatchObject({ explicit: undefined, desired: 2, max: 5, mayScale: true });
  });

  test('a single-writer claim is found through the pods that mount it', () => {
    const claim = (name: string, mode: string) => ({ kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'shop' }, spec: { accessModes: [mode] } });
    const mounting = (claimName: string) => deployment(`uses-${claimName}`, {
      template: { metadata: { labels: { app: claimName } }, spec: { ...podSpec(), volumes: [{ name: 'd', persistentVolumeClaim: { claimName } }] } },
    });
    const set = new ManifestSet([claim('rwo', 'ReadWriteOnce'), claim('rwx', 'ReadWriteMany'), mounting('rwo'), mounting('rwx')]);
    expect(set.singleWriterClaimOf(set.find('Deployment', 'uses-rwo')!)).toMatchObject({ mode: 'ReadWriteOnce', claim: { name: 'rwo' } });
    expect(set.singleWriterClaimOf(set.find('Deployment', 'uses-rwx')!)).toBeUndefined();
  });
});

describe('resources', () => {
  test('a pod asks the sum of its containers and sidecars, or its largest init container', () => {
    const c = (cpu: string, memory: string, restartPolicy?: string) => ({ restartPolicy, resources: { requests: { cpu, memory } } });
    expect(podRequests({ containers: [c('250m', '128Mi'), c('250m', '128Mi')] })).toEqual({ cpu: 0.5, memory: 256 * 2 ** 20 });
    expect(podRequests({ initContainers: [c('2', '1Gi')], containers: [c('250m', '128Mi')] })).toEqual({ cpu: 2, memory: 2 ** 30 });
    expect(podRequests({ initContainers: [c('100m', '64Mi', 'Always')], containers: [c('250m', '128Mi')] })).toEqual({ cpu: 0.35, memory: 192 * 2 ** 20 });
    // A request defaults to the limit.
    expect(podRequests({ containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }] })).toEqual({ cpu: 1, memory: 2 ** 30 });
  });

  test('demand at maximum scale: autoscaler maximum, surge on request, claims', () => {
    const set = new ManifestSet([deployment('web', { replicas: 2 }), hpa('web', 2, 4),
      { kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'shop' }, spec: { resources: { requests: { storage: '1Gi' } } } }]);
    const plain = set.resourceDemand();
    expect(plain.cpuCores).toBeCloseTo(1);
    expect(plain.storageBytes).toBe(2 ** 30);
    expect(plain.breakdown).toEqual(['Deployment shop/web: 4 pods x (250m CPU, 128Mi)', 'PersistentVolumeClaim shop/data: 1024Mi']);
    // 25% default surge of 4 pods is one more pod during a rollout.
    expect(set.resourceDemand({ withSurge: true }).cpuCores).toBeCloseTo(1.25);
  });
});

describe('Ingress backends', () => {
  test('the v1 form, the legacy form and a backend without a Service are all read', () => {
    const ingress = {
      spec: {
        defaultBackend: { service: { name: 'web', port: { number: 80 } } },
        rules: [{
          http: {
            paths: [
              { backend: { serviceName: 'old', servicePort: 8080 } },
              { backend: { service: { port: { name: 'http' } } } },
              { backend: { resource: { kind: 'Bucket', name: 'b' } } },
            ],
          },
        }],
      },
    };
    expect(ingressBackends(ingress)).toEqual([
      { path: 'spec.defaultBackend', serviceName: 'web', port: 80, legacy: false },
      { path: 'spec.rules[0].http.paths[0].backend', serviceName: 'old', port: 8080, legacy: true },
      { path: 'spec.rules[0].http.paths[1].backend', serviceName: undefined, port: 'http', legacy: false },
    ]);
  });
});
