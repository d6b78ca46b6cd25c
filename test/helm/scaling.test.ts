/**
 * Workloads whose scale is not a values switch, derived from the objects: a Deployment mounting a
 * ReadWriteOnce or ReadWriteOncePod claim (one writer) gets `replicaCount` with `maximum: 1` and no
 * autoscaling values or HPA template; a StatefulSet gets no autoscaling values or HPA template at all.
 * Objects that contradict this (more replicas, an HPA) stop synthesis with a clear message.
 */
import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { addWeb, labels, tempDir, webChart } from './fixtures';
import { expectSameObjects, render, renderFailure } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

const SCHEMA_ERROR = "values don't meet the specifications of the schema(s)";

let work: string;
beforeAll(() => { work = tempDir('helm-scaling'); });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Written { dir: string; plain: any[]; files: { [file: string]: string } }

function write(id: string, build: (app: App) => Chart): Written {
  const app = new App({ outdir: `${work}/${id}` });
  const chart = build(app);
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
  app.synth();
  return { dir: helm.writeTo(), plain: chart.toJson(), files: helm.synthesizeFiles() };
}

/** A StatefulSet with a claim template per pod, like a single-primary database. */
function addDatabase(chart: Chart, replicas: number | undefined): void {
  const selector = { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'shop' };
  new k8s.KubeStatefulSet(chart, 'db', {
    metadata: { name: 'db', labels: labels('db', 'shop') },
    spec: {
      replicas,
      serviceName: 'db',
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: labels('db', 'shop') },
        spec: {
          automountServiceAccountToken: false,
          containers: [{ name: 'db', image: 'postgres:16.4', volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }] }],
        },
      },
      volumeClaimTemplates: [{
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } } },
      }],
    },
  });
}

describe.each(['ReadWriteOnce', 'ReadWriteOncePod'])('a Deployment mounting a %s claim', (accessMode) => {
  let w: Written;
  beforeAll(() => {
    w = write(`single-${accessMode}`, (app) => webChart(app, 'shop', { storage: '1Gi', accessMode, replicas: 1 }));
  });

  test('replicaCount has maximum 1 and says why; there are no autoscaling values and no HPA template', () => {
    const schema = JSON.parse(w.files['values.schema.json']);
    expect(schema.properties.replicaCount).toMatchObject({ type: 'integer', minimum: 1, maximum: 1 });
    expect(schema.properties.replicaCount.description).toContain(`at most 1, and no autoscaling: it mounts the ${accessMode} PersistentVolumeClaim web-data, which only one pod can write`);
    expect(schema.properties.autoscaling).toBeUndefined();
    const values = YAML.parse(w.files['values.yaml']);
    expect(values.replicaCount).toBe(1);
    expect(values.autoscaling).toBeUndefined();
    expect(Object.keys(w.files).filter((f) => f.includes('horizontalpodautoscaler'))).toEqual([]);
    const dep = w.files['templates/deployment-web.yaml'];
    expect(dep).toMatch(/^ {2}replicas: \{\{ \.Values\.replicaCount \| int64 \}\}$/m);
    expect(dep).not.toContain('autoscaling');
    expect(w.files['README.md']).not.toContain('| `autoscaling.');
  });

  test('lint passes and the default render is the plain YAML', () => {
    const lint = runHelm(['lint', '--strict', w.dir]);
    expect({ stderr: lint.stderr, status: lint.status }).toEqual({ stderr: '', status: 0 });
    const rendered = render(w.dir, 'shop');
    expectSameObjects(rendered, w.plain);
    assertValidManifests(rendered);
  });

  test('--set replicaCount=2 fails on the maximum; --set autoscaling.enabled=true is an unknown key', () => {
    const two = renderFailure(w.dir, 'shop', ['--set', 'replicaCount=2']);
    expect(two).toContain(SCHEMA_ERROR);
    expect(two).toContain('replicaCount: Must be less than or equal to 1');
    const hpa = renderFailure(w.dir, 'shop', ['--set', 'autoscaling.enabled=true']);
    expect(hpa).toContain(SCHEMA_ERROR);
    expect(hpa).toContain('Additional property autoscaling is not allowed');
  });
});

test('a Deployment with a ReadWriteMany claim keeps replicaCount without a maximum, and autoscaling', () => {
  const w = write('shared', (app) => webChart(app, 'shop', { storage: '1Gi', accessMode: 'ReadWriteMany', replicas: 2 }));
  const schema = JSON.parse(w.files['values.schema.json']);
  expect(schema.properties.replicaCount.maximum).toBeUndefined();
  expect(schema.properties.autoscaling.properties.enabled.type).toBe('boolean');
  // The workload's file holds its autoscaler, rendered only while autoscaling is on.
  expect(w.files['templates/deployment-web.yaml']).toMatch(/\{\{- if \.Values\.autoscaling\.enabled \}\}\n---\n# HorizontalPodAutoscaler web:/);
});

test('a single-writer Deployment with more replicas, or with an HPA, stops synthesis naming the claim', () => {
  const app = new App({ outdir: `${work}/bad` });
  const two = webChart(app, 'two', { storage: '1Gi', accessMode: 'ReadWriteOnce', replicas: 2 });
  const scaled = webChart(app, 'scaled', { storage: '1Gi', accessMode: 'ReadWriteOnce', hpa: { min: 1, max: 3, cpu: 80 } });
  const message = (chart: Chart) => {
    try {
      new HelmChart(app, `helm-${chart.node.id}`, { chartName: `shop-${chart.node.id}`, chartVersion: '1.0.0', chart }).synthesizeFiles();
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };
  expect(message(two)).toContain('[two/web] spec.replicas: got 2; expected at most 1 replica: it mounts the ReadWriteOnce PersistentVolumeClaim web-data, '
    + 'which only one pod can write (such as a SQLite file); use 1 replica, a ReadWriteMany claim, or a StatefulSet');
  const hpa = message(scaled);
  expect(hpa).toMatch(/^ {2}\[scaled\/[^\]]+\] spec\.scaleTargetRef: got Deployment shop\/web; expected no HorizontalPodAutoscaler for it: it mounts the ReadWriteOnce PersistentVolumeClaim web-data/m);
  expect(hpa).toContain('so the chart has no autoscaling for it; remove the HorizontalPodAutoscaler, or use a ReadWriteMany claim');
});

describe('a StatefulSet', () => {
  let w: Written;
  beforeAll(() => {
    w = write('stateful', (app) => {
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      addWeb(chart, {});
      addDatabase(chart, 1);
      return chart;
    });
  });

  test('gets replicaCount but no autoscaling values and no HPA template; the web Deployment keeps its own', () => {
    const values = YAML.parse(w.files['values.yaml']);
    expect(values.db.replicaCount).toBe(1);
    expect(values.db.autoscaling).toBeUndefined();
    expect(values.web.autoscaling).toMatchObject({ enabled: false });
    const schema = JSON.parse(w.files['values.schema.json']);
    expect(schema.properties.db.properties.replicaCount.maximum).toBeUndefined();
    expect(schema.properties.db.properties.replicaCount.description).toContain('no autoscaling: each pod of a StatefulSet has its own identity and volume');
    expect(w.files['templates/deployment-web.yaml']).toContain('# HorizontalPodAutoscaler web:');
    expect(w.files['templates/statefulset-db.yaml']).not.toContain('HorizontalPodAutoscaler');
    expect(w.files['templates/statefulset-db.yaml']).toMatch(/^ {2}replicas: \{\{ \.Values\.db\.replicaCount \| int64 \}\}$/m);
  });

  test('default render is the plain YAML; replicaCount scales it on purpose; autoscaling is an unknown key', () => {
    expectSameObjects(render(w.dir, 'shop'), w.plain);
    expect(findObject(render(w.dir, 'shop', ['--set', 'db.replicaCount=3']), 'StatefulSet', 'db').spec.replicas).toBe(3);
    expect(renderFailure(w.dir, 'shop', ['--set', 'db.autoscaling.enabled=true'])).toContain('Additional property autoscaling is not allowed');
    const both = render(w.dir, 'shop', ['--set', 'web.autoscaling.enabled=true']);
    expect(both.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec.scaleTargetRef.name)).toEqual(['web']);
  });
});

test('a StatefulSet without replicas renders none until replicaCount differs from 1', () => {
  const w = write('stateful-default', (app) => {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    addDatabase(chart, undefined);
    return chart;
  });
  expect(w.plain[0].spec.replicas).toBeUndefined();
  expectSameObjects(render(w.dir, 'shop'), w.plain);
  expect(findObject(render(w.dir, 'shop', ['--set', 'replicaCount=2']), 'StatefulSet', 'db').spec.replicas).toBe(2);
});

test('an HPA for a StatefulSet stops synthesis', () => {
  const app = new App({ outdir: `${work}/stateful-hpa` });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  addDatabase(chart, undefined);
  new k8s.KubeHorizontalPodAutoscalerV2(chart, 'db-hpa', {
    metadata: { name: 'db', labels: labels('db', 'shop') },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, minReplicas: 1, maxReplicas: 3 },
  });
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
  expect(() => helm.synthesizeFiles()).toThrow(
    '[shop/db-hpa] spec.scaleTargetRef: got StatefulSet shop/db; expected no HorizontalPodAutoscaler for it: each pod of a StatefulSet has its own identity and volume, '
    + 'and scaling a single-primary database is not a values switch, so the chart has no autoscaling for it; remove the HorizontalPodAutoscaler',
  );
});

describe('autoscaling on cpu utilization needs cpu requests in the resources values', () => {
  let w: Written;
  beforeAll(() => {
    w = write('cpu-requests', (app) => webChart(app, 'shop', { hpa: { min: 2, max: 4, cpu: 70 } }));
  });

  test('resources without requests.cpu and limits.cpu fail the render while autoscaling is enabled, with a message naming both values', () => {
    const failure = renderFailure(w.dir, 'shop', ['--set', 'resources.requests.cpu=null', '--set', 'resources.limits.cpu=null']);
    expect(failure).toContain('resources sets neither requests.cpu nor limits.cpu while autoscaling.enabled is true: the HorizontalPodAutoscaler scales on cpu utilization, '
      + 'a percentage of the requests, and could not act; set resources.requests.cpu');
  });

  test('the default render is the plain YAML; a cpu limit alone, or autoscaling off, renders', () => {
    expectSameObjects(render(w.dir, 'shop'), w.plain);
    const limited = render(w.dir, 'shop', ['--set', 'resources.requests.cpu=null']);
    assertValidManifests(limited);
    expect(findObject(limited, 'Deployment', 'web').spec.template.spec.containers[0].resources.requests.cpu).toBeUndefined();
    const off = render(w.dir, 'shop', ['--set', 'resources.requests.cpu=null', '--set', 'resources.limits.cpu=null', '--set', 'autoscaling.enabled=false']);
    expect(off.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  });
});
