/**
 * A chart made from a plain cdk8s-plus-28 app (no cdk8s-deploykit construct: hash-suffixed names,
 * `cdk8s.io/metadata.addr` selectors, NetworkPolicies from `connections.allowFrom`) behaves as a Helm
 * user expects, proven with the real helm: the release named after the chart renders the plain YAML,
 * other releases live side by side in one namespace, another namespace moves everything, the standard
 * values land in the right pod spec, global.imageRegistry moves every image, a changed config value
 * changes the pods' checksum, the helm test checks every Service, and lint passes with each values file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import {
  allImages, expectLintWithEveryValuesFile, expectReleasesApart, kindNames, namespaceLeftovers, podSpecOfWorkload, unresolved,
} from './acceptance';
import { tempDir } from './fixtures';
import { expectSameObjects, render, renderFailure } from './harness';
import { PLAIN_NAMESPACE, plainApp } from './plain-app';
import { expectStandardValues } from './standard-values';
import { HelmChart } from '../../src/helm/helm-chart';
import { RestrictedProfile } from '../../src/policy';
import { assertValidManifests, findObject } from '../util/manifests';

let work: string;
let dir: string;
let production: any[];
let development: any[];
let values: any;

/** The workload (and its values section) whose first container runs `repository`. */
function workload(objects: any[], repository: string): { kind: string; name: string; section: string[] } {
  const dep = objects.find((o) => o.kind === 'Deployment' && o.spec.template.spec.containers[0].image.includes(repository));
  const section = Object.keys(values).find((k) => values[k]?.image?.repository === repository)!;
  return { kind: 'Deployment', name: dep.metadata.name, section: [section] };
}

beforeAll(() => {
  work = tempDir('helm-plain-app');
  const app = new App({ outdir: path.join(work, 'dist') });
  const chart = plainApp(app);
  // The development environment is the same app in an app of its own (cdk8s-plus names hash the construct path).
  const devApp = new App({ outdir: path.join(work, 'dev') });
  const dev = plainApp(devApp, 'store', { apiTag: '1.3.0-rc.1' });
  const helm = new HelmChart(app, 'helm', {
    chartName: 'store', chartVersion: '0.3.0', chart, defaultEnvironmentName: 'production', environments: [{ name: 'development', chart: dev }],
  });
  app.synth();
  devApp.synth();
  production = chart.toJson();
  development = dev.toJson();
  dir = helm.writeTo();
  values = YAML.parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('helm lint --strict passes with values.yaml and each values file', () => {
  expectLintWithEveryValuesFile(dir);
});

test('the release named after the chart renders the plain YAML; -f values-development.yaml the development YAML', () => {
  expect(path.basename(dir)).toBe('store');
  const rendered = render(dir, PLAIN_NAMESPACE, [], 'store');
  expectSameObjects(rendered, production);
  assertValidManifests(rendered);
  expect(RestrictedProfile.check(rendered)).toEqual([]);
  expectSameObjects(render(dir, PLAIN_NAMESPACE, ['-f', path.join(dir, 'values-development.yaml')], 'store'), development);
  expect(YAML.parse(fs.readFileSync(path.join(dir, 'values-development.yaml'), 'utf8'))).toMatchObject({ environment: 'development' });
});

test('releases alpha and beta (and the plain one beside them) in one namespace share no object name, resolve inside themselves and select only their own pods', () => {
  const { alpha } = expectReleasesApart(dir, PLAIN_NAMESPACE);
  // The hash-suffixed selectors get the release's instance label, and their own label follows the
  // release name: the plain release's selectors (the plain YAML's, without an instance label) select
  // the pods that carry the plain value, which alpha's pods no longer do.
  const api = workload(production, 'acme/api');
  const dep = findObject(alpha, 'Deployment', `alpha-store-${api.name.slice('store-'.length)}`);
  const plainSelector = findObject(production, 'Deployment', api.name).spec.selector.matchLabels;
  expect(Object.keys(plainSelector)).toEqual(['cdk8s.io/metadata.addr']);
  expect(dep.spec.selector.matchLabels).toEqual({ 'cdk8s.io/metadata.addr': `alpha-${plainSelector['cdk8s.io/metadata.addr']}`, 'app.kubernetes.io/instance': 'alpha' });
  expect(dep.spec.template.metadata.labels).toMatchObject(dep.spec.selector.matchLabels);
  // The DNS name in the environment variable and in the ConfigMap names alpha's Service.
  const svc = alpha.find((o) => o.kind === 'Service' && o.metadata.name.includes('api-service')).metadata.name;
  const web = workload(production, 'acme/web');
  const env = podSpecOfWorkload(alpha, 'Deployment', `alpha-store-${web.name.slice('store-'.length)}`).spec.containers[0].env;
  expect(env).toContainEqual({ name: 'API_HOST', value: `${svc}.${PLAIN_NAMESPACE}.svc.cluster.local` });
  expect(alpha.find((o) => o.kind === 'ConfigMap').data.API_URL).toBe(`http://${svc}.${PLAIN_NAMESPACE}.svc.cluster.local:8080`);
});

test('--namespace other moves every object and leaves no reference to the original namespace', () => {
  for (const release of ['store', 'alpha']) {
    const rendered = render(dir, 'other', [], release, true);
    assertValidManifests(rendered);
    expect(rendered.filter((o) => o.metadata.namespace !== 'other').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    expect(namespaceLeftovers(rendered, PLAIN_NAMESPACE)).toEqual([]);
    expect(unresolved(rendered, 'other')).toEqual([]);
  }
});

test('the standard values of a section land in the pod spec of its workload only', () => {
  expectStandardValues(dir, PLAIN_NAMESPACE, workload(production, 'acme/web'), [workload(production, 'acme/api')]);
});

test('init container and sidecar images have values; global.imageRegistry moves every image, the helm test\'s too', () => {
  const web = workload(production, 'acme/web');
  const section = values[web.section[0]];
  expect(section.initContainers.waitForApi.image).toMatchObject({ registry: '', repository: 'busybox', tag: '1.36.1' });
  expect(section.sidecars.proxy.image).toMatchObject({ registry: 'docker.io', repository: 'envoyproxy/envoy', tag: 'v1.29.1' });
  const pinned = render(dir, PLAIN_NAMESPACE, ['--set', `${web.section[0]}.sidecars.proxy.image.tag=v1.30.0`]);
  expect(podSpecOfWorkload(pinned, 'Deployment', web.name).spec.containers[1].image).toBe('docker.io/envoyproxy/envoy:v1.30.0');
  const moved = render(dir, PLAIN_NAMESPACE, ['--set', 'global.imageRegistry=registry.internal:5000'], 'store', true);
  assertValidManifests(moved);
  const images = allImages(moved);
  expect(images.length).toBe(allImages(production).length + 1);
  expect(images.filter((i) => !i.startsWith('registry.internal:5000/'))).toEqual([]);
  expect(images).toContain('registry.internal:5000/busybox:1.36.1');
  const secrets = render(dir, PLAIN_NAMESPACE, ['--set-json', 'global.imagePullSecrets=[{"name":"mirror"}]']);
  for (const kind of ['Deployment']) {
    for (const d of secrets.filter((o) => o.kind === kind)) expect(d.spec.template.spec.imagePullSecrets).toEqual([{ name: 'mirror' }]);
  }
});

test('a changed config value changes the checksum of the pods that read the ConfigMap, and only theirs', () => {
  const web = workload(production, 'acme/web');
  const api = workload(production, 'acme/api');
  const checksum = (args: string[], w: { kind: string; name: string }) => podSpecOfWorkload(render(dir, PLAIN_NAMESPACE, args), w.kind, w.name).meta.annotations?.['checksum/config'];
  const before = checksum([], web);
  expect(before).toMatch(/^[0-9a-f]{64}$/);
  const after = checksum(['--set', `${web.section[0]}.config.LOG_LEVEL=debug`], web);
  expect(after).toMatch(/^[0-9a-f]{64}$/);
  expect(after).not.toBe(before);
  expect(checksum([], api)).toBeUndefined();
});

test('helm test: a restricted pod with a pinned image from tests.image checks every Service of the release', () => {
  const tests = render(dir, PLAIN_NAMESPACE, ['--show-only', 'templates/tests/test-connection.yaml'], 'alpha', true);
  expect(kindNames(tests)).toEqual(['Pod/alpha-store-test-connection']);
  const [pod] = tests;
  expect(pod.metadata.annotations['helm.sh/hook']).toBe('test');
  assertValidManifests(tests);
  expect(pod.spec.containers[0].image).toBe('docker.io/library/busybox:1.36.1');
  const script = pod.spec.containers[0].command.join(' ');
  const services = render(dir, PLAIN_NAMESPACE, [], 'alpha').filter((o) => o.kind === 'Service');
  for (const s of services) expect(script).toContain(`nc -z -w 5 ${s.metadata.name}.${PLAIN_NAMESPACE}.svc.cluster.local ${s.spec.ports[0].port}`);
  expect(renderFailure(dir, PLAIN_NAMESPACE, ['--set', 'tests.image.tag=latest'])).toContain('tests.image.tag: Must not validate the schema (not)');
  // networkPolicy.allowTests admits the test pod where NetworkPolicies are enforced.
  const allowed = render(dir, PLAIN_NAMESPACE, ['--set', 'networkPolicy.allowTests=true'], 'alpha');
  const policy = allowed.find((o) => o.kind === 'NetworkPolicy' && o.spec.ingress);
  expect(policy.spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'helm-test', 'app.kubernetes.io/instance': 'alpha' } } }] });
});
