import { registerCrd, validateObject } from './k8s-schema';

function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
        spec: {
          containers: [{
            name: 'web',
            image: 'nginx:1.25',
            ports: [{ containerPort: 8080 }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '1Gi' } },
            readinessProbe: { httpGet: { path: '/', port: 'http' } },
          }],
        },
      },
    },
  };
}

describe('validateObject', () => {
  test('a valid Deployment passes', () => {
    expect(validateObject(deployment())).toEqual([]);
  });

  test('wrong type is rejected with its path', () => {
    const d = deployment();
    d.spec.replicas = '3';
    const errors = validateObject(d);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Deployment\/web: spec\.replicas: got "3"; must be integer/);
  });

  test('bad quantity is rejected with its path', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.requests.cpu = 'lots';
    expect(validateObject(d)).toEqual([
      expect.stringMatching(/^Deployment\/web: spec\.template\.spec\.containers\[0\]\.resources\.requests\.cpu: got "lots"; expected a number or a Kubernetes quantity/),
    ]);
  });

  test.each(['500m', '1.5', '128Mi', '1e3', '.5', 2])('quantity %p is accepted', (q) => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.limits.cpu = q;
    expect(validateObject(d)).toEqual([]);
  });

  test('unknown field is rejected with its path', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    d.metadata.labelz = {};
    const errors = validateObject(d);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringContaining('spec.template.spec.containers[0].imagePullPolicyy: unknown field'),
      expect.stringContaining('metadata.labelz: unknown field'),
    ]));
    expect(errors).toHaveLength(2);
  });

  test('unknown kind and wrong apiVersion are rejected', () => {
    expect(validateObject({ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      expect.stringMatching(/^Widget\/w: apiVersion\/kind: .*not a Kubernetes 1\.28 kind/),
    ]);
    expect(validateObject({ ...deployment(), apiVersion: 'extensions/v1beta1' })[0]).toMatch(/Deployment is served as apps\/v1/);
  });

  test('missing or malformed names are rejected', () => {
    const d = deployment();
    delete d.metadata.name;
    expect(validateObject(d)).toEqual([expect.stringContaining('metadata.name: required field is missing')]);
    expect(validateObject({ ...deployment(), metadata: { name: 'Web_1' } })).toEqual([
      expect.stringContaining('metadata.name: got "Web_1"; expected a DNS-1123 subdomain'),
    ]);
    expect(validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cfg-' } })).toEqual([]);
  });

  test('required fields and IntOrString', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80, targetPort: 'http' }] } };
    expect(validateObject(svc)).toEqual([]);
    svc.spec.ports[0].targetPort = 1.5 as any;
    expect(validateObject(svc)).toEqual([expect.stringContaining('spec.ports[0].targetPort: got 1.5; expected an integer or a string')]);
    const d = deployment();
    delete d.spec.template.spec.containers[0].name;
    expect(validateObject(d)).toEqual([expect.stringContaining('spec.template.spec.containers[0].name: required field is missing')]);
  });
});

describe('registerCrd', () => {
  const crd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.dev
spec:
  group: example.dev
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: { type: string }
            kind: { type: string }
            metadata: { type: object }
            spec:
              type: object
              required: [size]
              properties:
                size: { type: integer }
                port: { x-kubernetes-int-or-string: true }
                note: { type: string, nullable: true }
                extra: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;

  test('custom resources are validated by group/version and kind', () => {
    registerCrd(crd);
    const w = { apiVersion: 'example.dev/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 2, port: 'http', note: null, extra: { any: 1 } } };
    expect(validateObject(w)).toEqual([]);
    const errors = validateObject({ ...w, spec: { size: 'two', colour: 'red' } });
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(expect.arrayContaining([
      'Widget/w: spec.colour: unknown field "colour"',
      'Widget/w: spec.size: got "two"; must be integer',
    ]));
    expect(validateObject({ ...w, apiVersion: 'example.dev/v2' })[0]).toMatch(/not a Kubernetes 1\.28 kind/);
  });

  test('the prometheus-operator CRDs of test/crds are registered: ServiceMonitor and PrometheusRule are checked against their schemas', () => {
    // test/setup/validate-every-synth.ts registers every CRD of test/crds.
    const monitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'api' } }, endpoints: [{ port: 'http', interval: '15s' }] },
    };
    expect(validateObject(monitor)).toEqual([]);
    expect(validateObject({ ...monitor, spec: { ...monitor.spec, endpoints: [{ port: 'http', interval: 'often', every: 1 }] } })).toEqual(expect.arrayContaining([
      'ServiceMonitor/api: spec.endpoints[0].every: unknown field "every"',
      expect.stringMatching(/^ServiceMonitor\/api: spec\.endpoints\[0\]\.interval: got "often"; must match pattern/),
    ]));
    const rule = (strategy: string) => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'api' },
      spec: { groups: [{ name: 'api.rules', partial_response_strategy: strategy, rules: [{ alert: 'Down', expr: 'up == 0' }] }] },
    });
    // The CRD's pattern is RE2's case-insensitive "^(?i)(abort|warn)?$".
    expect([validateObject(rule('Abort')), validateObject(rule('WARN'))]).toEqual([[], []]);
    expect(validateObject(rule('retry'))[0]).toMatch(/spec\.groups\[0\]\.partial_response_strategy: got "retry"; must match pattern/);
  });
});
