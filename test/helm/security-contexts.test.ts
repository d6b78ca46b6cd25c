/**
 * `podSecurityContext` and `securityContext` (helm create's names) per workload section: the plain
 * contexts by default, Helm's map merge for what the user sets, each environment's own contexts in
 * its values file, and a schema that refuses whatever breaks the restricted Pod Security Standard.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as YAML from 'yaml';
import { podSpecOfWorkload } from './acceptance';
import { addWeb, tempDir, webChart } from './fixtures';
import { expectSameObjects, render, renderFailure } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { assertValidManifests } from '../util/manifests';
import { runHelm } from '../util/tools';

const SCHEMA_ERROR = "values don't meet the specifications of the schema(s)";

let work: string;
let dir: string;
let multi: string;
let loose: string;
let plainProduction: any[];
let plainDevelopment: any[];

/** The web Deployment of `chart`, to patch one environment's contexts. */
function web(chart: Chart): ApiObject {
  return chart.node.findChild('web') as ApiObject;
}

beforeAll(() => {
  work = tempDir('helm-security-contexts');
  const app = new App({ outdir: work });
  const chart = webChart(app, 'default');
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '0.1.0', chart });

  // Development runs as another user and keeps seccomp on the container only (still restricted).
  const production = webChart(app, 'production');
  const development = webChart(app, 'development', { replicas: 1 });
  web(development).addJsonPatch(
    JsonPatch.replace('/spec/template/spec/securityContext/runAsUser', 20002),
    JsonPatch.replace('/spec/template/spec/securityContext/fsGroup', 20002),
    JsonPatch.remove('/spec/template/spec/securityContext/seccompProfile'),
    JsonPatch.replace('/spec/template/spec/containers/0/securityContext/runAsUser', 20002),
  );
  const envs = new HelmChart(app, 'helm-envs', {
    chartName: 'shop-envs', chartVersion: '0.1.0', chart: production, environments: [{ name: 'development', chart: development }],
  });

  // A pod the plain YAML does not keep restricted: the chart cannot refuse its own defaults.
  const privileged = new Chart(app, 'privileged', { namespace: 'shop' });
  addWeb(privileged, { ingress: false });
  web(privileged).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));
  const looseHelm = new HelmChart(app, 'helm-loose', { chartName: 'loose', chartVersion: '0.1.0', chart: privileged });

  app.synth();
  dir = helm.writeTo();
  multi = envs.writeTo();
  loose = looseHelm.writeTo();
  plainProduction = production.toJson();
  plainDevelopment = development.toJson();
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const pod = (objects: any[]) => podSpecOfWorkload(objects, 'Deployment', 'web').spec;

test('the defaults are the plain contexts, so the default render is the plain YAML', () => {
  const values = YAML.parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8'));
  const plain = pod(render(dir, 'shop'));
  expect(values.podSecurityContext).toEqual(plain.securityContext);
  expect(values.securityContext).toEqual(plain.containers[0].securityContext);
  expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 10001 });
  expect(runHelm(['lint', '--strict', dir])).toMatchObject({ status: 0, stderr: '' });
});

test('a partial map set by the user is merged into the plain context key by key, and the pods stay restricted', () => {
  const rendered = render(dir, 'shop', ['--set', 'podSecurityContext.fsGroup=2000', '--set', 'securityContext.readOnlyRootFilesystem=false',
    '--set-json', 'securityContext.capabilities={"add":["NET_BIND_SERVICE"]}']);
  assertValidManifests(rendered);
  const spec = pod(rendered);
  expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } });
  expect(spec.containers[0].securityContext).toEqual({
    runAsNonRoot: true,
    runAsUser: 10001,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: false,
    capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
});

test.each([
  ['podSecurityContext.runAsNonRoot=false', 'podSecurityContext.runAsNonRoot'],
  ['podSecurityContext.runAsUser=0', 'podSecurityContext.runAsUser'],
  ['securityContext.runAsUser=0', 'securityContext.runAsUser'],
  ['securityContext.runAsNonRoot=false', 'securityContext.runAsNonRoot'],
  ['securityContext.privileged=true', 'securityContext.privileged'],
  ['securityContext.allowPrivilegeEscalation=true', 'securityContext.allowPrivilegeEscalation'],
  ['securityContext.capabilities.add={SYS_ADMIN}', 'securityContext.capabilities.add.0'],
  ['securityContext.capabilities.drop={NET_RAW}', 'securityContext.capabilities.drop'],
  ['securityContext.seccompProfile.type=Unconfined', 'securityContext.seccompProfile.type'],
  ['podSecurityContext.seccompProfile.type=Unconfined', 'podSecurityContext.seccompProfile.type'],
  ['podSecurityContext.windowsOptions.hostProcess=true', 'podSecurityContext.windowsOptions.hostProcess'],
  ['securityContext.procMount=Unmasked', 'securityContext.procMount'],
  ['podSecurityContext.sysctls[0].name=kernel.msgmax', 'podSecurityContext.sysctls.0.name'],
  // null removes a key from Helm's merge: what restricted needs and the plain context holds stays required.
  ['podSecurityContext.runAsNonRoot=null', 'runAsNonRoot is required'],
  ['securityContext.allowPrivilegeEscalation=null', 'allowPrivilegeEscalation is required'],
])('--set %s is refused by the schema', (set, where) => {
  const err = renderFailure(dir, 'shop', ['--set', set]);
  expect(err).toContain(SCHEMA_ERROR);
  expect(err).toContain(where);
});

test('a seccomp profile of type Localhost without localhostProfile, or localhostProfile beside RuntimeDefault, is refused by the schema (the API server refuses both)', () => {
  for (const at of ['podSecurityContext', 'securityContext']) {
    const bare = renderFailure(dir, 'shop', ['--set', `${at}.seccompProfile.type=Localhost`]);
    expect(bare).toContain(SCHEMA_ERROR);
    expect(bare).toContain(`${at}.seccompProfile: localhostProfile is required`);
    const stray = renderFailure(dir, 'shop', ['--set', `${at}.seccompProfile.localhostProfile=profiles/web.json`]);
    expect(stray).toContain(SCHEMA_ERROR);
    expect(stray).toContain(`${at}.seccompProfile`);
  }
  const container = render(dir, 'shop', ['--set', 'securityContext.seccompProfile.type=Localhost', '--set', 'securityContext.seccompProfile.localhostProfile=profiles/web.json']);
  assertValidManifests(container);
  expect(pod(container).containers[0].securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/web.json' });
});

test('what restricted allows is accepted: NET_BIND_SERVICE, a Localhost profile, a safe sysctl', () => {
  const rendered = render(dir, 'shop', [
    '--set', 'securityContext.capabilities.add={NET_BIND_SERVICE}',
    '--set-json', 'podSecurityContext.seccompProfile={"type":"Localhost","localhostProfile":"profiles/web.json"}',
    '--set', 'podSecurityContext.sysctls[0].name=net.ipv4.ping_group_range', '--set', 'podSecurityContext.sysctls[0].value=0 1000',
  ]);
  assertValidManifests(rendered);
  expect(pod(rendered).securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/web.json' });
});

test('environments that differ in their contexts: each values file renders its own, one template for both', () => {
  const dev = YAML.parse(fs.readFileSync(path.join(multi, 'values-development.yaml'), 'utf8'));
  expect(dev.podSecurityContext).toMatchObject({ runAsUser: 20002, fsGroup: 20002, seccompProfile: null });
  expect(dev.securityContext).toMatchObject({ runAsUser: 20002 });
  expectSameObjects(render(multi, 'shop'), plainProduction);
  expectSameObjects(render(multi, 'shop', ['-f', path.join(multi, 'values-development.yaml')]), plainDevelopment);
  // The key only production's pod context holds is not required (development removes it).
  const schema = JSON.parse(fs.readFileSync(path.join(multi, 'values.schema.json'), 'utf8'));
  const podSchema = schema.properties.podSecurityContext ?? schema.definitions.podSecurityContext;
  expect(podSchema.required).toEqual(['runAsNonRoot']);
  expect(runHelm(['lint', '--strict', multi, '-f', path.join(multi, 'values-development.yaml')])).toMatchObject({ status: 0 });
});

test('a pod that is not restricted in the plain YAML keeps its defaults valid (no restricted checks on it)', () => {
  expect(runHelm(['lint', '--strict', loose])).toMatchObject({ status: 0, stderr: '' });
  expect(pod(render(loose, 'shop')).containers[0].securityContext.privileged).toBe(true);
  expect(renderFailure(dir, 'shop', ['--set', 'securityContext.privileged=true'])).toContain(SCHEMA_ERROR);
});

describe('securityContext reaches every container whose plain context is the first container\'s', () => {
  let sidecars: string;
  let plainProd: any[];
  let plainDev: any[];

  /** The web Deployment with init container `init` and sidecar `same` (the first container's context in both environments), sidecar `other` (its own). */
  function withSidecars(chart: Chart, runAsUser: number): Chart {
    const dep = web(chart);
    const first = (dep.toJson() as any).spec.template.spec.containers[0];
    const context = { ...first.securityContext, runAsUser };
    const container = (name: string, securityContext: any) => ({ name, image: `ghcr.io/acme/${name}:1.0.0`, securityContext });
    dep.addJsonPatch(
      JsonPatch.replace('/spec/template/spec/containers/0/securityContext/runAsUser', runAsUser),
      JsonPatch.add('/spec/template/spec/containers/-', container('same', context)),
      // Equal to the first container's in production only: development runs the first one as another user.
      JsonPatch.add('/spec/template/spec/containers/-', container('other', { ...first.securityContext, runAsUser: 10001, readOnlyRootFilesystem: true })),
      JsonPatch.add('/spec/template/spec/initContainers', [container('init', context)]),
    );
    return chart;
  }

  beforeAll(() => {
    const app = new App({ outdir: tempDir('helm-security-sidecars') });
    const production = withSidecars(webChart(app, 'production'), 10001);
    const development = withSidecars(webChart(app, 'development'), 20002);
    const helm = new HelmChart(app, 'helm-sidecars', {
      chartName: 'sidecars', chartVersion: '0.1.0', chart: production, environments: [{ name: 'development', chart: development }],
    });
    app.synth();
    sidecars = helm.writeTo();
    plainProd = production.toJson();
    plainDev = development.toJson();
  });

  const contexts = (objects: any[]) => {
    const spec = pod(objects);
    return Object.fromEntries([...spec.initContainers, ...spec.containers].map((c: any) => [c.name, c.securityContext]));
  };

  test('the defaults render each environment\'s plain YAML', () => {
    expect(contexts(plainProd).same).toEqual(contexts(plainProd).web);
    expect(contexts(plainProd).other).toEqual(contexts(plainProd).web);
    expect(contexts(plainDev).other).not.toEqual(contexts(plainDev).web);
    expectSameObjects(render(sidecars, 'shop'), plainProd);
    expectSameObjects(render(sidecars, 'shop', ['-f', path.join(sidecars, 'values-development.yaml')]), plainDev);
    expect(runHelm(['lint', '--strict', sidecars])).toMatchObject({ status: 0 });
  });

  test('a user who raises runAsUser changes the first container, the init container and the sidecar that shares its context; the other keeps its own', () => {
    const rendered = render(sidecars, 'shop', ['--set', 'securityContext.runAsUser=30003', '--set', 'securityContext.readOnlyRootFilesystem=false']);
    assertValidManifests(rendered);
    const c = contexts(rendered);
    expect([c.web.runAsUser, c.init.runAsUser, c.same.runAsUser, c.other.runAsUser]).toEqual([30003, 30003, 30003, 10001]);
    expect(c.same).toEqual(c.web);
    expect(c.init).toEqual(c.web);
    expect(c.other).toEqual(contexts(plainProd).other);
    const dev = contexts(render(sidecars, 'shop', ['-f', path.join(sidecars, 'values-development.yaml'), '--set', 'securityContext.runAsUser=30003']));
    expect([dev.web.runAsUser, dev.init.runAsUser, dev.same.runAsUser, dev.other.runAsUser]).toEqual([30003, 30003, 30003, 10001]);
  });

  test('the schema still refuses what breaks restricted for all of them', () => {
    expect(renderFailure(sidecars, 'shop', ['--set', 'securityContext.runAsUser=0'])).toContain('securityContext.runAsUser');
    const schema = JSON.parse(fs.readFileSync(path.join(sidecars, 'values.schema.json'), 'utf8'));
    const description = (schema.properties.securityContext ?? schema.definitions.securityContext).description;
    expect(description).toContain('and of every other (init) container whose plain context is the same');
  });
});
