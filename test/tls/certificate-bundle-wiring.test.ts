/** A CertificateBundle plugged into the workload (mounted) and the Ingress (TLS), as users wire it. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  CertificateBundle, CertificateType, ContainerImage, DeploymentManifest, DeploymentManifestProps, Environment,
  IngressConfiguration,
} from '../../src';
import { findObject, synthError, synthManifests } from '../util/manifests';

let storeDir: string;
beforeEach(() => {
  storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-wiring-'));
});
afterEach(() => fs.rmSync(storeDir, { recursive: true, force: true }));

function webCert(chart: Chart, certType = CertificateType.AUTO_GENERATED_SELFSIGNED): CertificateBundle {
  return new CertificateBundle(chart, 'web-cert', {
    serverName: 'web.example.com',
    certType,
    environment: Environment.DEVELOPMENT,
    store: { directory: storeDir },
  });
}

function web(chart: Chart, props: Partial<DeploymentManifestProps>): DeploymentManifest {
  return new DeploymentManifest(chart, 'web', {
    image: new ContainerImage(chart, 'web-image', { repository: 'acme/web', tag: '2.1.0' }),
    ports: [{ containerPort: 8443, name: 'https' }],
    ...props,
  });
}

test('a CA-issued bundle is mounted read-only into the pods and serves the Ingress TLS', () => {
  const chart = Testing.chart();
  const bundle = webCert(chart, CertificateType.AUTO_GENERATED_CA);
  const manifest = web(chart, { serverName: 'web.example.com', certificateBundle: bundle, certificateMountPath: '/etc/web/tls' });
  new IngressConfiguration(chart, 'web-ingress', {
    name: 'web',
    hostname: 'web.example.com',
    pathPrefixes: [{ pathPrefix: '/', service: manifest.service! }],
    tlsConfiguration: { secretName: bundle.secretName },
  });
  const objects = synthManifests(chart);

  const pod = findObject(objects, 'Deployment', 'web').spec.template.spec;
  const volume = pod.volumes.find((v: any) => v.secret?.secretName === bundle.secretName);
  expect(volume).toBeDefined();
  expect(pod.containers[0].volumeMounts).toContainEqual({ name: volume.name, mountPath: '/etc/web/tls', readOnly: true });

  const ingress = findObject(objects, 'Ingress', 'web');
  expect(ingress.spec.tls).toEqual([{ hosts: ['web.example.com'], secretName: bundle.secretName }]);

  const secret = findObject(objects, 'Secret', bundle.secretName);
  expect(secret.type).toBe('kubernetes.io/tls');
  expect(Object.keys(secret.stringData).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
  const caConfigMap = findObject(objects, 'ConfigMap', bundle.caConfigMapName!);
  expect(Object.keys(caConfigMap.data)).toEqual(['ca.crt']);
  expect(JSON.stringify(caConfigMap)).not.toMatch(/PRIVATE KEY/);
});

test('the deployment manifest\'s serverName must be among the bundle\'s SANs (seed 000)', () => {
  const chart = Testing.chart();
  web(chart, { serverName: 'shop.example.com', certificateBundle: webCert(chart) });
  expect(synthError(chart)).toMatch(/\[test\/web\] certificateBundle.sanNames: got \["web.example.com"\]; expected a list of names that includes the server name "shop.example.com"/);
});

test('a SAN list without the server name is one finding, at the bundle, not again at the manifest that shares the name', () => {
  const chart = Testing.chart();
  const bundle = new CertificateBundle(chart, 'web-cert', {
    serverName: 'web.example.com',
    sanNames: ['other.example.com'],
    certType: CertificateType.AUTO_GENERATED_SELFSIGNED,
    environment: Environment.DEVELOPMENT,
    store: { directory: storeDir },
  });
  web(chart, { serverName: 'web.example.com', certificateBundle: bundle });
  expect(synthError(chart)).toBe([
    'Validation failed with the following errors:',
    '  [test/web-cert] sanNames: got ["other.example.com"]; expected a list of names that includes the server name "web.example.com"',
  ].join('\n'));
});

test('without a serverName the manifest takes the bundle\'s and mounts it at /etc/tls', () => {
  const chart = Testing.chart();
  const manifest = web(chart, { certificateBundle: webCert(chart) });
  const mounts = findObject(synthManifests(chart), 'Deployment', 'web').spec.template.spec.containers[0].volumeMounts;
  expect(manifest.serverName).toBe('web.example.com');
  expect(mounts).toContainEqual(expect.objectContaining({ mountPath: '/etc/tls', readOnly: true }));
});
