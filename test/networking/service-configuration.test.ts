import { Testing } from 'cdk8s';
import {
  ExternalTrafficPolicy, Protocol, ServiceConfiguration, ServiceConfigurationProps, ServiceType, SessionAffinity,
} from '../../src';
import { findObject, synthManifests } from '../util/manifests';

function chartWith(build: (chart: any) => void, namespace = 'shop') {
  const chart = Testing.chart();
  (chart as any).namespace = namespace;
  build(chart);
  return chart;
}

const SELECTOR = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop' };

/** Props of a valid Service "api" with one port 80 -> 8080, overridden by `props`. */
function serviceProps(props: Partial<ServiceConfigurationProps> = {}): ServiceConfigurationProps {
  return {
    serviceName: 'api',
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    selectorLabels: SELECTOR,
    ...props,
  };
}

/** Synthesizes a chart (namespace "shop") built by `build` and returns the error message. */
function errorOf(build: (chart: any) => void): string {
  const chart = chartWith(build);
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the synth to fail');
}

describe('ServiceConfiguration', () => {
  test('synthesizes a Service (snapshot)', () => {
    const objects = synthManifests(chartWith((c) => new ServiceConfiguration(c, 'svc', serviceProps({
      serviceType: ServiceType.LOAD_BALANCER,
      ports: [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'dns', port: 53, protocol: Protocol.UDP },
        { name: 'dns-tcp', port: 53, protocol: Protocol.TCP },
      ],
      sessionAffinity: SessionAffinity.CLIENT_IP,
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      labels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/managed-by': 'cdk8s-deploykit' },
    }))));
    expect(objects).toHaveLength(1);
    const service = findObject(objects, 'Service', 'api');
    expect(service.metadata).toEqual({
      name: 'api',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/managed-by': 'cdk8s-deploykit' },
    });
    expect(service.spec).toEqual({
      type: 'LoadBalancer',
      selector: SELECTOR,
      sessionAffinity: 'ClientIP',
      externalTrafficPolicy: 'Local',
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
      ],
    });
    expect(objects).toMatchSnapshot();
  });

  test('targetPort defaults to port and protocol to TCP; type defaults to ClusterIP', () => {
    let svc!: ServiceConfiguration;
    const objects = synthManifests(chartWith((c) => {
      svc = new ServiceConfiguration(c, 'svc', serviceProps({ ports: [{ name: 'http', port: 8080 }] }));
    }));
    expect(svc.serviceType).toBe(ServiceType.CLUSTER_IP);
    expect(svc.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    expect(findObject(objects, 'Service', 'api').spec).toEqual({
      type: 'ClusterIP', selector: SELECTOR, ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
  });

  test('a headless Service has clusterIP None', () => {
    const objects = synthManifests(chartWith((c) => new ServiceConfiguration(c, 'svc', serviceProps({ headless: true }))));
    expect(findObject(objects, 'Service', 'api').spec.clusterIP).toBe('None');
  });

  test('dnsName with an explicit namespace', () => {
    let svc!: ServiceConfiguration;
    const objects = synthManifests(chartWith((c) => {
      svc = new ServiceConfiguration(c, 'svc', serviceProps({ serviceName: 'orders', namespace: 'payments' }));
    }));
    expect(svc.namespace).toBe('payments');
    expect(svc.dnsName).toBe('orders.payments.svc.cluster.local');
    expect(findObject(objects, 'Service', 'orders').metadata.namespace).toBe('payments');
  });

  test('dnsName with the chart\'s namespace', () => {
    let svc!: ServiceConfiguration;
    const objects = synthManifests(chartWith((c) => {
      svc = new ServiceConfiguration(c, 'svc', serviceProps({ serviceName: 'orders' }));
    }, 'shop'));
    expect(svc.dnsName).toBe('orders.shop.svc.cluster.local');
    expect(findObject(objects, 'Service', 'orders').metadata.namespace).toBe('shop');
  });

  test('dnsName in a chart without a namespace uses "default"', () => {
    let svc!: ServiceConfiguration;
    const chart = Testing.chart();
    svc = new ServiceConfiguration(chart, 'svc', serviceProps({ serviceName: 'orders' }));
    const objects = synthManifests(chart);
    expect(svc.dnsName).toBe('orders.default.svc.cluster.local');
    expect(findObject(objects, 'Service', 'orders').metadata.namespace).toBeUndefined();
  });

  test('dnsName with a custom clusterDomain', () => {
    let svc!: ServiceConfiguration;
    synthManifests(chartWith((c) => {
      svc = new ServiceConfiguration(c, 'svc', serviceProps({ serviceName: 'orders', clusterDomain: 'corp.internal' }));
    }));
    expect(svc.dnsName).toBe('orders.shop.svc.corp.internal');
  });

  test('a target whose pod labels and container ports match synthesizes', () => {
    synthManifests(chartWith((c) => {
      const svc = new ServiceConfiguration(c, 'svc', serviceProps());
      svc.addTarget({ path: 'test/api', podLabels: { ...SELECTOR, 'app.kubernetes.io/version': '1.0.0' }, containerPorts: [8080, 9090] });
    }));
  });
});

describe('ServiceConfiguration rules', () => {
  const reject = (props: Partial<ServiceConfigurationProps>) => errorOf((c) => new ServiceConfiguration(c, 'svc', serviceProps(props)));

  test.each<[string, Partial<ServiceConfigurationProps>, RegExp]>([
    ['serviceName "Bad_Name"', { serviceName: 'Bad_Name' },
      /\[test\/svc\] serviceName: got "Bad_Name"; expected a DNS-1035 label \(a Service name\): 1-63 lowercase letters, digits or "-"/],
    ['a serviceName starting with a digit', { serviceName: '1api' },
      /\[test\/svc\] serviceName: got "1api"; expected a DNS-1035 label \(a Service name\): .*starting with a letter/],
    ['a 64-character serviceName', { serviceName: 'a'.repeat(64) },
      /\[test\/svc\] serviceName: got "a{64}"; expected a DNS-1035 label \(a Service name\): 1-63 lowercase letters/],
    ['a bad namespace', { namespace: 'Payments' }, /\[test\/svc\] namespace: got "Payments"; expected a DNS-1123 label/],
    ['a bad clusterDomain', { clusterDomain: 'Cluster_Local' }, /\[test\/svc\] clusterDomain: got "Cluster_Local"; expected a DNS-1123 subdomain/],
    ['empty ports', { ports: [] }, /\[test\/svc\] ports: got \[\]; expected at least one port/],
    ['duplicate port numbers', { ports: [{ name: 'http', port: 80 }, { name: 'web', port: 80 }] },
      /\[test\/svc\] ports: got "80\/TCP"; expected unique port numbers per protocol/],
    ['duplicate port names', { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] },
      /\[test\/svc\] ports: got "http"; expected unique port names/],
    ['port 0', { ports: [{ name: 'http', port: 0, targetPort: 8080 }] },
      /\[test\/svc\] ports\[0\].port: got 0; expected an integer from 1 to 65535/],
    ['port 65536', { ports: [{ name: 'http', port: 65536, targetPort: 8080 }] },
      /\[test\/svc\] ports\[0\].port: got 65536; expected an integer from 1 to 65535/],
    ['targetPort 65536', { ports: [{ name: 'http', port: 80, targetPort: 65536 }] },
      /\[test\/svc\] ports\[0\].targetPort: got 65536; expected an integer from 1 to 65535/],
    ['a bad port name', { ports: [{ name: 'HTTP_Port', port: 80 }] },
      /\[test\/svc\] ports\[0\].name: got "HTTP_Port"; expected a port name: at most 15 lowercase letters, digits or "-"/],
    ['a 16-character port name', { ports: [{ name: 'a'.repeat(16), port: 80 }] }, /\[test\/svc\] ports\[0\].name: got "a{16}"; expected a port name/],
    ['externalTrafficPolicy on ClusterIP', { externalTrafficPolicy: ExternalTrafficPolicy.LOCAL },
      /\[test\/svc\] externalTrafficPolicy: got "Local"; expected no externalTrafficPolicy on a ClusterIP Service \(only NodePort or LoadBalancer\)/],
    ['headless with LoadBalancer', { headless: true, serviceType: ServiceType.LOAD_BALANCER },
      /\[test\/svc\] headless: got true; expected a headless Service to be of type ClusterIP/],
    ['an empty selector', { selectorLabels: {} },
      /\[test\/svc\] selectorLabels: got \{\}; expected at least one selector label, matching the workload's pod labels/],
    ['a bad selector label value', { selectorLabels: { app: 'not ok' } }, /\[test\/svc\] selectorLabels.*got .*not ok.*; expected a label value/],
  ])('rejects %s, naming the field and the expected form', (_what, props, message) => {
    expect(reject(props)).toMatch(message);
  });

  test('the same port number on TCP and UDP is allowed', () => {
    synthManifests(chartWith((c) => new ServiceConfiguration(c, 'svc', serviceProps({
      ports: [{ name: 'dns', port: 53, protocol: Protocol.UDP }, { name: 'dns-tcp', port: 53 }],
    }))));
  });

  test('externalTrafficPolicy is allowed on NodePort', () => {
    const objects = synthManifests(chartWith((c) => new ServiceConfiguration(c, 'svc', serviceProps({
      serviceType: ServiceType.NODE_PORT, externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER,
    }))));
    expect(findObject(objects, 'Service', 'api').spec).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Cluster' });
  });

  test('addTarget: a selector that does not match the pod labels is refused', () => {
    const message = errorOf((c) => {
      const svc = new ServiceConfiguration(c, 'svc', serviceProps({ selectorLabels: { app: 'api' } }));
      svc.addTarget({ path: 'test/api', podLabels: { app: 'web' }, containerPorts: [8080] });
    });
    expect(message).toMatch(/\[test\/svc\] selectorLabels.app: got "api"; expected a label of the pods of test\/api \(they have \{"app":"web"\}\)/);
  });

  test('addTarget: a selector key the pods lack is refused', () => {
    const message = errorOf((c) => {
      const svc = new ServiceConfiguration(c, 'svc', serviceProps({ selectorLabels: { app: 'api', tier: 'backend' } }));
      svc.addTarget({ path: 'test/api', podLabels: { app: 'api' }, containerPorts: [8080] });
    });
    expect(message).toMatch(/\[test\/svc\] selectorLabels.tier: got "backend"; expected a label of the pods of test\/api/);
    expect(message).not.toMatch(/selectorLabels.app:/);
  });

  test('addTarget: a targetPort that is no container port is refused', () => {
    const message = errorOf((c) => {
      const svc = new ServiceConfiguration(c, 'svc', serviceProps({ ports: [{ name: 'http', port: 80, targetPort: 8081 }] }));
      svc.addTarget({ path: 'test/api', podLabels: SELECTOR, containerPorts: [8080, 9090] });
    });
    expect(message).toMatch(/\[test\/svc\] ports\[0\].targetPort: got 8081; expected a container port of test\/api \(8080, 9090\)/);
  });

  test('addTarget: a workload without container ports says so', () => {
    const message = errorOf((c) => {
      const svc = new ServiceConfiguration(c, 'svc', serviceProps());
      svc.addTarget({ path: 'test/worker', podLabels: SELECTOR, containerPorts: [] });
    });
    expect(message).toMatch(/\[test\/svc\] ports\[0\].targetPort: got 8080; expected a container port of test\/worker \(none declared\)/);
  });

  test('several mistakes are reported together', () => {
    const message = errorOf((c) => {
      const svc = new ServiceConfiguration(c, 'svc', {
        serviceName: 'Bad_Name',
        ports: [{ name: 'http', port: 0, targetPort: 8080 }, { name: 'http', port: 443, targetPort: 8443 }],
        selectorLabels: { app: 'api' },
        externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      });
      svc.addTarget({ path: 'test/api', podLabels: { app: 'web' }, containerPorts: [8080] });
    });
    expect(message).toMatch(/Validation failed with the following errors/);
    expect(message).toMatch(/\[test\/svc\] serviceName: got "Bad_Name"/);
    expect(message).toMatch(/\[test\/svc\] ports\[0\].port: got 0/);
    expect(message).toMatch(/\[test\/svc\] ports: got "http"; expected unique port names/);
    expect(message).toMatch(/\[test\/svc\] externalTrafficPolicy: got "Local"/);
    expect(message).toMatch(/\[test\/svc\] selectorLabels.app: got "api"; expected a label of the pods of test\/api/);
    expect(message).toMatch(/\[test\/svc\] ports\[1\].targetPort: got 8443; expected a container port of test\/api \(8080\)/);
  });
});
