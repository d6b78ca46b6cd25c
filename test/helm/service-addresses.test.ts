/**
 * A Service address written `<service>:<port>` (no URL scheme) in env values and ConfigMap entries
 * follows the release's Service name, as the full DNS names and URLs do, when the name is a Service
 * of the chart and the port one of its ports: other `word:number` texts stay as written. Proven with
 * the real helm and a second release.
 */
import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { addWeb, labels, tempDir } from './fixtures';
import { render } from './harness';
import { HelmChart } from '../../src/helm/helm-chart';
import { findObject } from '../util/manifests';

const NS = 'shop';
let work: string;
let dir: string;

beforeAll(() => {
  work = tempDir('helm-service-addresses');
  const app = new App({ outdir: work });
  const chart = new Chart(app, 'shop', { namespace: NS });
  addWeb(chart, { name: 'db', ingress: false, servicePort: 5432, servicePortName: 'postgres' });
  addWeb(chart, {
    name: 'api',
    ingress: false,
    config: { DB_ADDR: 'db:5432', PEERS: 'db:5432,db:5433', OTHER_PORT: 'db:6543', RATIO: 'retries:3', LONGER: 'mydb:5432' },
  });
  const selector = { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/instance': 'shop' };
  new k8s.KubeDeployment(chart, 'worker', {
    metadata: { name: 'worker', labels: labels('worker', 'shop') },
    spec: {
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...labels('worker', 'shop'), ...selector } },
        spec: {
          automountServiceAccountToken: false,
          containers: [{
            name: 'worker',
            image: 'ghcr.io/acme/worker:1.0.0',
            securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
            env: [
              { name: 'DB_ADDR', value: 'db:5432' },
              { name: 'DB_OTHER_PORT', value: 'db:6543' },
              { name: 'TIMEOUT', value: 'timeout:30' },
            ],
          }],
        },
      },
    },
  });
  const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '0.1.0', chart });
  app.synth();
  dir = helm.writeTo();
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The rendered name of the Service that is `db` in the plain YAML (found by its selector). */
function dbName(objects: any[]): string {
  return objects.find((o) => o.kind === 'Service' && o.spec.selector['app.kubernetes.io/name'] === 'db').metadata.name;
}

function workerEnv(objects: any[]): Record<string, string> {
  const dep = objects.find((o) => o.kind === 'Deployment' && o.spec.template.spec.containers[0].name === 'worker');
  return Object.fromEntries(dep.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
}

function apiConfig(objects: any[]): Record<string, string> {
  return objects.find((o) => o.kind === 'ConfigMap').data;
}

test('the release named after the chart renders the addresses as written', () => {
  const rendered = render(dir, NS);
  expect(dbName(rendered)).toBe('db');
  expect(workerEnv(rendered)).toEqual({ DB_ADDR: 'db:5432', DB_OTHER_PORT: 'db:6543', TIMEOUT: 'timeout:30' });
  expect(findObject(rendered, 'ConfigMap', 'api-config').data).toEqual({
    DB_ADDR: 'db:5432', PEERS: 'db:5432,db:5433', OTHER_PORT: 'db:6543', RATIO: 'retries:3', LONGER: 'mydb:5432',
  });
});

test('in another release <service>:<port> follows the Service name; other ports and words stay', () => {
  const rendered = render(dir, NS, [], 'beta');
  const db = dbName(rendered);
  expect(db).not.toBe('db');
  expect(workerEnv(rendered)).toEqual({ DB_ADDR: `${db}:5432`, DB_OTHER_PORT: 'db:6543', TIMEOUT: 'timeout:30' });
  expect(apiConfig(rendered)).toEqual({
    DB_ADDR: `${db}:5432`, PEERS: `${db}:5432,db:5433`, OTHER_PORT: 'db:6543', RATIO: 'retries:3', LONGER: 'mydb:5432',
  });
});

test('a ConfigMap value set at install follows the release too, when it names the same Service and port', () => {
  const rendered = render(dir, NS, ['--set', 'api.config.DB_ADDR=db:5432/app', '--set', 'api.config.PEERS=db:5432 db:5432 db:54321 xdb:5432 db:5433'], 'beta');
  const config = apiConfig(rendered);
  const db = dbName(rendered);
  expect(config.DB_ADDR).toBe(`${db}:5432/app`);
  expect(config.PEERS).toBe(`${db}:5432 ${db}:5432 db:54321 xdb:5432 db:5433`);
});
