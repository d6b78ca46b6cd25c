/**
 * One identity, one object: two objects with the same API group, kind, namespace and name in one
 * chart are one finding naming both construct paths, before any file is written, without the user
 * asking for the check; a Helm chart of such a chart is never written. Objects of one name in
 * different namespaces, or in different charts (environments of one app), are fine; cluster-scoped
 * kinds ignore the namespace; the chart's default namespace applies to objects without one.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, YamlOutputType } from 'cdk8s';
import {
  ConfigMapConfiguration, ContainerImage, DeploymentManifest, HelmChart, McpRegistry, McpServer, McpServerInstance, McpTransport, PolicyCheck,
} from '../../src';
import { identityKey, isClusterScoped } from '../../src/core/object-identity';
import { ManifestSet } from '../../src/manifests';

const image = (scope: Chart, id: string) => new ContainerImage(scope, id, { repository: 'acme/api', tag: '1.0.0' });

/** The validation error of a chart, or undefined when it synthesizes. */
function synthError(scope: Chart | App): string | undefined {
  try {
    if (scope instanceof App) scope.synth();
    else scope.toJson();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The identity findings of an error message. */
const identityLines = (message: string | undefined) => (message ?? '').split('\n').filter((l) => l.includes('one object per API group'));

describe('the identity key', () => {
  test('API group, kind, namespace and name; the version does not count; cluster-scoped kinds ignore the namespace', () => {
    expect(identityKey('apps/v1', 'Deployment', 'shop', 'api')).toBe(identityKey('apps/v1beta2', 'Deployment', 'shop', 'api'));
    expect(identityKey('apps/v1', 'Deployment', 'shop', 'api')).not.toBe(identityKey('apps/v1', 'Deployment', 'other', 'api'));
    expect(identityKey('v1', 'Service', 'shop', 'api')).not.toBe(identityKey('serving.knative.dev/v1', 'Service', 'shop', 'api'));
    expect(identityKey('rbac.authorization.k8s.io/v1', 'ClusterRole', 'shop', 'reader')).toBe(identityKey('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'reader'));
    expect(isClusterScoped('Namespace')).toBe(true);
    expect(isClusterScoped('ConfigMap')).toBe(false);
  });

  test('ManifestSet.duplicates: each later object of an identity, with the first', () => {
    const cm = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) } });
    const role = (namespace: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace } });
    const set = new ManifestSet([cm('a', 'shop'), cm('a', 'other'), cm('a', 'shop'), cm('b'), cm('b'), role('x'), role('y'), cm('a', 'shop')]);
    expect(set.duplicates().map((d) => [set.positionOf(d.first), set.positionOf(d.again)])).toEqual([[0, 2], [3, 4], [5, 6], [0, 7]]);
    // Helm hooks are created at their hook's time, apart from the release.
    const hook = { ...cm('a', 'shop'), metadata: { name: 'a', namespace: 'shop', annotations: { 'helm.sh/hook': 'pre-install' } } };
    expect(new ManifestSet([cm('a', 'shop'), hook]).duplicates()).toEqual([]);
  });
});

describe('in a synth', () => {
  test('two DeploymentManifests named api in one chart: one finding naming both construct paths', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new DeploymentManifest(chart, 'api-v1', { name: 'api', image: image(chart, 'i1'), ports: [{ containerPort: 8080 }] });
    new DeploymentManifest(chart, 'api-v2', { name: 'api', image: image(chart, 'i2'), ports: [{ containerPort: 8080 }] });
    const lines = identityLines(synthError(chart));
    expect(lines).toEqual([
      '  [shop] shop/api-v2: got the Deployment, Service, PodDisruptionBudget and NetworkPolicy "shop/api", which shop/api-v1 makes too; '
      + 'expected one object per API group, kind, namespace and name in a chart (kubectl apply keeps only the last Deployment, and a Helm chart '
      + 'cannot hold both): give one of them another name or namespace',
    ]);
  });

  test('two ConfigMapConfigurations named cfg: one finding; in two namespaces, or in two charts, none', () => {
    const chart = Testing.chart();
    new ConfigMapConfiguration(chart, 'first', { name: 'cfg', namespace: 'shop', configData: { A: '1' } });
    new ConfigMapConfiguration(chart, 'second', { name: 'cfg', namespace: 'shop', configData: { A: '2' } });
    expect(identityLines(synthError(chart))).toEqual([
      expect.stringMatching(/^ {2}\[test\] test\/second: got the ConfigMap "shop\/cfg", which test\/first makes too; expected one object per API group/),
    ]);

    const apart = Testing.chart();
    new ConfigMapConfiguration(apart, 'first', { name: 'cfg', namespace: 'shop', configData: { A: '1' } });
    new ConfigMapConfiguration(apart, 'second', { name: 'cfg', namespace: 'other', configData: { A: '2' } });
    expect(synthError(apart)).toBeUndefined();

    // Two environments of one app: each chart is its own output file.
    const app = Testing.app();
    for (const env of ['production', 'development']) new ConfigMapConfiguration(new Chart(app, env, { namespace: 'shop' }), 'cfg', { name: 'cfg', configData: { A: env } });
    expect(() => app.synth()).not.toThrow();

    // The same two charts written into one file are applied together: one finding, naming both.
    const oneFile = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_APP });
    for (const env of ['production', 'development']) new ConfigMapConfiguration(new Chart(oneFile, env, { namespace: 'shop' }), 'cfg', { name: 'cfg', configData: { A: env } });
    expect(identityLines(synthError(oneFile))).toEqual([
      '  [] development: got the ConfigMap "shop/cfg", which production makes too; expected one object per API group, kind, namespace and name '
      + 'in an app written to one file (kubectl apply keeps only the last ConfigMap, and a Helm chart cannot hold both): give one of them another name or namespace',
    ]);
  });

  test('two McpServerInstances of one server: one finding naming both instances', () => {
    const chart = new Chart(Testing.app(), 'toolhive', { namespace: 'toolhive' });
    const registry = new McpRegistry(chart, 'registry', { name: 'official', url: 'https://registry.example.com/v0/servers' });
    const server = new McpServer(chart, 'fetch', { registry, name: 'fetch', version: '1.0.0', image: 'ghcr.io/acme/mcp-fetch:1.0.0', transport: McpTransport.HTTP });
    new McpServerInstance(chart, 'fetch-a', { server });
    new McpServerInstance(chart, 'fetch-b', { server });
    const lines = identityLines(synthError(chart));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[toolhive] toolhive/fetch-b: got the Deployment, Service, PodDisruptionBudget and NetworkPolicy "toolhive/fetch", which toolhive/fetch-a makes too');
  });

  test('the chart\'s default namespace applies to objects without one; cluster-scoped kinds ignore the namespace; plain ApiObjects count', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new ConfigMapConfiguration(chart, 'cfg', { name: 'cfg', configData: { A: '1' } });
    new ApiObject(chart, 'plain', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' } });
    new ApiObject(chart, 'role-a', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace: 'a' } });
    new ApiObject(chart, 'role-b', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace: 'b' } });
    const lines = identityLines(synthError(chart));
    expect(lines).toEqual([
      expect.stringContaining('[shop] shop/plain: got the ConfigMap "shop/cfg", which shop/cfg makes too'),
      expect.stringContaining('[shop] shop/role-b: got the ClusterRole "reader", which shop/role-a makes too'),
    ]);
  });

  test('app.synth() reports it before any file is written; PolicyCheck.enable does not report it a second time', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-identity-'));
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new ConfigMapConfiguration(chart, 'first', { name: 'cfg', configData: { A: '1' } });
      new ConfigMapConfiguration(chart, 'second', { name: 'cfg', configData: { A: '2' } });
      PolicyCheck.enable(chart);
      let message = '';
      try {
        app.synth();
      } catch (e) {
        message = (e as Error).message;
      }
      expect(identityLines(message)).toHaveLength(1);
      expect(message).not.toContain('object-unique');
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a HelmChart of a chart of plain objects with one object twice is refused before helm or a file', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-identity-helm-'));
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
      new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
      const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
      expect(() => helm.writeTo(outdir)).toThrow(/\[shop\] shop\/b: got the ConfigMap "shop\/cfg", which shop\/a makes too/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
