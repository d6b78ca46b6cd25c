import { Chart, Testing, Yaml } from 'cdk8s';
import { IngressConfiguration, IngressConfigurationProps } from '../../src/networking/ingress-configuration';
import { ServiceConfiguration } from '../../src/networking/service-configuration';
import { PolicyCheck } from '../../src/policy/policy-check';
import { findObject, synthError, synthManifests } from '../util/manifests';

interface Fixture {
  chart: Chart;
  frontend: ServiceConfiguration;
  backend: ServiceConfiguration;
}

function services(namespace = 'todo'): Fixture {
  const chart = Testing.chart();
  const frontend = new ServiceConfiguration(chart, 'todo-frontend-svc', {
    serviceName: 'todo-frontend',
    namespace,
    ports: [{ name: 'http', port: 80, targetPort: 3000 }],
    selectorLabels: { 'app.kubernetes.io/name': 'todo-frontend' },
  });
  const backend = new ServiceConfiguration(chart, 'todo-backend-svc', {
    serviceName: 'todo-backend',
    namespace,
    ports: [{ name: 'http', port: 8000 }, { name: 'metrics', port: 9090 }],
    selectorLabels: { 'app.kubernetes.io/name': 'todo-backend' },
  });
  return { chart, frontend, backend };
}

function todoIngress(overrides: (f: Fixture) => Partial<IngressConfigurationProps> = () => ({})): Fixture & { ingress: IngressConfiguration } {
  const f = services();
  const ingress = new IngressConfiguration(f.chart, 'todo-ingress', {
    name: 'todo',
    namespace: 'todo',
    hostname: 'todo.example.com',
    pathPrefixes: [
      { pathPrefix: '/', service: f.frontend },
      { pathPrefix: '/api', service: f.backend, servicePort: 8000 },
    ],
    tlsConfiguration: { secretName: 'todo-tls' },
    loadBalancerAnnotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '5m' },
    rateLimiting: { requestsPerSecond: 10, burstMultiplier: 3, connections: 20 },
    appName: 'todo-frontend',
    instance: 'todo',
    partOf: 'todo-chatbot',
    ...overrides(f),
  });
  return { ...f, ingress };
}


describe('IngressConfiguration', () => {
  test('renders the seed 002 ingress (snapshot)', () => {
    const { chart } = todoIngress();
    const ingress = synthManifests(chart).filter((o) => o.kind === 'Ingress');
    expect(Yaml.stringify(...ingress)).toMatchSnapshot();
  });

  test('name, labels, class, TLS, rules and annotations', () => {
    const { chart, ingress } = todoIngress();
    expect(ingress.ingressName).toBe('todo');
    expect(ingress.hostname).toBe('todo.example.com');
    expect(ingress.ingressClassName).toBe('nginx');
    expect(ingress.url).toBe('https://todo.example.com');
    const obj = findObject(synthManifests(chart), 'Ingress', 'todo');
    expect(obj.apiVersion).toBe('networking.k8s.io/v1');
    expect(obj.metadata.namespace).toBe('todo');
    expect(obj.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'todo-frontend',
      'app.kubernetes.io/instance': 'todo',
      'app.kubernetes.io/part-of': 'todo-chatbot',
      'app.kubernetes.io/managed-by': 'cdk8s-deploykit',
    });
    expect(obj.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-body-size': '5m',
      'nginx.ingress.kubernetes.io/limit-rps': '10',
      'nginx.ingress.kubernetes.io/limit-burst-multiplier': '3',
      'nginx.ingress.kubernetes.io/limit-connections': '20',
    });
    expect(obj.spec.ingressClassName).toBe('nginx');
    expect(obj.spec.tls).toEqual([{ hosts: ['todo.example.com'], secretName: 'todo-tls' }]);
    expect(obj.spec.rules).toEqual([{
      host: 'todo.example.com',
      http: {
        paths: [
          { path: '/', pathType: 'Prefix', backend: { service: { name: 'todo-frontend', port: { number: 80 } } } },
          { path: '/api', pathType: 'Prefix', backend: { service: { name: 'todo-backend', port: { number: 8000 } } } },
        ],
      },
    }]);
  });

  test('defaults: first service port, TLS from the Secret <name>-tls, no annotations, https URL', () => {
    const { chart, ingress } = todoIngress((f) => ({
      pathPrefixes: [{ pathPrefix: '/metrics', service: f.backend }],
      tlsConfiguration: undefined,
      loadBalancerAnnotations: undefined,
      rateLimiting: undefined,
      ingressClassName: 'traefik',
    }));
    expect(ingress.url).toBe('https://todo.example.com');
    expect(ingress.tlsSecretName).toBe('todo-tls');
    const obj = findObject(synthManifests(chart), 'Ingress', 'todo');
    expect(obj.metadata.annotations).toBeUndefined();
    expect(obj.spec.tls).toEqual([{ hosts: ['todo.example.com'], secretName: 'todo-tls' }]);
    expect(obj.spec.ingressClassName).toBe('traefik');
    expect(obj.spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 8000 });
  });

  test('plainHttp serves plain HTTP: no TLS, an http URL, and PolicyCheck warns (ingress-tls)', () => {
    const { chart, ingress } = todoIngress(() => ({ tlsConfiguration: undefined, plainHttp: true }));
    expect(ingress.url).toBe('http://todo.example.com');
    expect(ingress.tlsSecretName).toBeUndefined();
    const objects = synthManifests(chart);
    expect(findObject(objects, 'Ingress', 'todo').spec.tls).toBeUndefined();
    expect(PolicyCheck.run(objects).warnings.map((w) => w.rule)).toContain('ingress-tls');
    // With the default TLS the same Ingress raises no such warning.
    expect(PolicyCheck.run(synthManifests(todoIngress(() => ({ tlsConfiguration: undefined })).chart)).warnings.map((w) => w.rule)).not.toContain('ingress-tls');
  });

  test('plainHttp beside a tlsConfiguration is refused, naming both', () => {
    const { chart } = todoIngress(() => ({ plainHttp: true }));
    expect(() => synthManifests(chart)).toThrow(/\[test\/todo-ingress\] plainHttp: got true; expected no tlsConfiguration beside it \(the Secret "todo-tls" would not be used\)/);
  });

  test('rate limiting with requests per second only', () => {
    const { chart } = todoIngress(() => ({ rateLimiting: { requestsPerSecond: 5 }, loadBalancerAnnotations: undefined }));
    expect(findObject(synthManifests(chart), 'Ingress', 'todo').metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/limit-rps': '5',
    });
  });

  test('a wildcard host is accepted', () => {
    const { chart } = todoIngress(() => ({ hostname: '*.todo.example.com' }));
    expect(findObject(synthManifests(chart), 'Ingress', 'todo').spec.rules[0].host).toBe('*.todo.example.com');
  });

  describe('rules', () => {
    test('name must be a DNS-1123 subdomain', () => {
      const { chart } = todoIngress(() => ({ name: 'Todo Ingress' }));
      expect(() => synthManifests(chart)).toThrow(/name: got "Todo Ingress"; expected a DNS-1123 subdomain/);
    });

    test('namespace must be a DNS-1123 label', () => {
      const { chart } = todoIngress(() => ({ namespace: 'Todo' }));
      expect(() => synthManifests(chart)).toThrow(/namespace: got "Todo"; expected a DNS-1123 label/);
    });

    test.each(['https://todo.example.com', 'Todo.Example.com', 'todo..example.com', 'todo.*.example.com'])('hostname %s is refused', (hostname) => {
      const { chart } = todoIngress(() => ({ hostname }));
      const escaped = hostname.replace(/[.*/]/g, '\\$&');
      expect(() => synthManifests(chart)).toThrow(new RegExp(`hostname: got "${escaped}"; expected a DNS host name such as "app\\.example\\.com"`));
    });

    test('at least one path', () => {
      const { chart } = todoIngress(() => ({ pathPrefixes: [] }));
      expect(() => synthManifests(chart)).toThrow(/pathPrefixes: got \[\]; expected at least one path/);
    });

    test.each(['api', '/api//v1', '/a b', '/../etc', '/api/./x'])('path prefix %s is refused', (pathPrefix) => {
      const { chart } = todoIngress((f) => ({ pathPrefixes: [{ pathPrefix, service: f.backend }] }));
      const escaped = pathPrefix.replace(/[.*/]/g, '\\$&');
      expect(() => synthManifests(chart)).toThrow(new RegExp(`pathPrefixes\\[0\\]\\.pathPrefix: got "${escaped}"; expected a path prefix such as "/" or "/api": starts with "/"`));
    });

    test('path prefixes must be unique, trailing "/" ignored', () => {
      const { chart } = todoIngress((f) => ({
        pathPrefixes: [
          { pathPrefix: '/api', service: f.backend },
          { pathPrefix: '/api/', service: f.frontend },
        ],
      }));
      expect(() => synthManifests(chart)).toThrow(/pathPrefixes: got "\/api"; expected unique path prefixes/);
    });

    test('servicePort must be one of the service ports', () => {
      const { chart } = todoIngress((f) => ({ pathPrefixes: [{ pathPrefix: '/api', service: f.backend, servicePort: 3000 }] }));
      expect(() => synthManifests(chart)).toThrow(/pathPrefixes\[0\]\.servicePort: got 3000; expected one of the ports of Service "todo-backend": 8000, 9090/);
    });

    test('the service must be in the Ingress namespace', () => {
      const { chart } = todoIngress(() => ({ namespace: 'other' }));
      expect(() => synthManifests(chart)).toThrow(/pathPrefixes\[0\]\.service: got "todo-frontend in namespace todo"; expected a Service in the Ingress's namespace "other"/);
    });

    test('tlsConfiguration.secretName must be a DNS-1123 subdomain', () => {
      const { chart } = todoIngress(() => ({ tlsConfiguration: { secretName: 'TLS_Secret' } }));
      expect(() => synthManifests(chart)).toThrow(/tlsConfiguration\.secretName: got "TLS_Secret"; expected a DNS-1123 subdomain/);
    });

    test('ingressClassName must be a DNS-1123 subdomain', () => {
      const { chart } = todoIngress(() => ({ ingressClassName: 'NGINX' }));
      expect(() => synthManifests(chart)).toThrow(/ingressClassName: got "NGINX"; expected a DNS-1123 subdomain/);
    });

    test('annotation keys must be well-formed', () => {
      const { chart } = todoIngress(() => ({ loadBalancerAnnotations: { 'bad annotation': 'x' } }));
      expect(() => synthManifests(chart)).toThrow(/loadBalancerAnnotations key: got "bad annotation"; expected an annotation key/);
    });

    test('limit-* annotations conflict with rateLimiting', () => {
      const { chart } = todoIngress(() => ({ loadBalancerAnnotations: { 'nginx.ingress.kubernetes.io/limit-rps': '100' } }));
      expect(() => synthManifests(chart)).toThrow(/loadBalancerAnnotations\.nginx\.ingress\.kubernetes\.io\/limit-rps: got "100"; expected no limit-\* annotation next to rateLimiting/);
    });

    test.each([
      ['requestsPerSecond', { requestsPerSecond: 0 }, '0'],
      ['requestsPerSecond', { requestsPerSecond: 2.5 }, '2.5'],
      ['burstMultiplier', { requestsPerSecond: 5, burstMultiplier: -1 }, '-1'],
      ['connections', { requestsPerSecond: 5, connections: 0.5 }, '0.5'],
    ])('rateLimiting.%s must be a positive whole number (%j)', (field, rateLimiting, shown) => {
      const { chart } = todoIngress(() => ({ rateLimiting }));
      expect(() => synthManifests(chart)).toThrow(new RegExp(`rateLimiting\\.${field}: got ${shown.replace('.', '\\.')}; expected a positive whole number`));
    });

    test('labels and label props must be valid', () => {
      const { chart } = todoIngress(() => ({ labels: { team: 'web team' }, appName: 'Todo!' }));
      expect(() => synthManifests(chart)).toThrow(/labels\.team: got "web team"; expected a label value/);
      expect(() => synthManifests(chart)).toThrow(/appName: got "Todo!"; expected a label value/);
    });

    test('several mistakes are reported together', () => {
      const { chart } = todoIngress((f) => ({
        hostname: 'localhost.',
        pathPrefixes: [
          { pathPrefix: 'api', service: f.backend, servicePort: 1 },
          { pathPrefix: '/', service: f.frontend },
          { pathPrefix: '/', service: f.frontend },
        ],
        rateLimiting: { requestsPerSecond: 0 },
      }));
      const lines = synthError(chart).split('\n').filter((l) => l.startsWith('  [test/todo-ingress]'));
      expect(lines).toEqual([
        expect.stringMatching(/hostname: got "localhost\."/),
        expect.stringMatching(/pathPrefixes\[0\]\.pathPrefix: got "api"/),
        expect.stringMatching(/pathPrefixes\[0\]\.servicePort: got 1/),
        expect.stringMatching(/pathPrefixes: got "\/"; expected unique path prefixes/),
        expect.stringMatching(/rateLimiting\.requestsPerSecond: got 0/),
      ]);
    });
  });
});
