/**
 * The app test/policy/validation-plugin.test.ts synthesizes with the real `npx cdk8s synth`: one
 * compliant DeploymentManifest, and with PLUGIN_APP_BAD=1 also a hand-written Pod that runs
 * `nginx:latest` as root and sets one env var twice.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { ContainerImage, DeploymentManifest } from '../../../src';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
new DeploymentManifest(chart, 'api', {
  image: new ContainerImage(chart, 'api-image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }),
  ports: [{ containerPort: 8080 }],
  replicaCount: 2,
});
if (process.env.PLUGIN_APP_BAD === '1') {
  new ApiObject(chart, 'debug', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'debug' },
    spec: { containers: [{ name: 'debug', image: 'nginx:latest', env: [{ name: 'MODE', value: 'a' }, { name: 'MODE', value: 'b' }] }] },
  });
}
app.synth();
