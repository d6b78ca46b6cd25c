/**
 * The chart of the project's own TodoChatbot blueprint (DeploymentManifest, StatefulManifest, ...),
 * production environment: lint, default render plus namespace.yaml equals the plain YAML, a section
 * value acts alone.
 */
import * as fs from 'fs';
import { App } from 'cdk8s';
import { tempDir } from './fixtures';
import { expectSameObjects, namespaceObjects, render } from './harness';
import { todoChatbotCharts } from '../../examples/todo-chatbot';
import { HelmChart } from '../../src/helm/helm-chart';
import { assertValidManifests, findObject } from '../util/manifests';
import { runHelm } from '../util/tools';

let work: string;

beforeAll(() => { work = tempDir('helm-todo'); });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('TodoChatbot (production) becomes a chart whose default render is the plain YAML', () => {
  const app = new App({ outdir: work });
  const [production] = todoChatbotCharts(app);
  const helm = new HelmChart(app, 'helm', { chartName: 'todo-chatbot', chartVersion: '1.0.0', appVersion: '1.0.0', chart: production });
  app.synth();
  const dir = helm.writeTo();
  const lint = runHelm(['lint', '--strict', dir]);
  expect(lint.stderr).toBe('');
  expect(lint.status).toBe(0);

  const plain = production.toJson();
  const rendered = render(dir, 'todo');
  expectSameObjects(rendered, plain, namespaceObjects(dir));
  assertValidManifests(rendered);

  const changed = render(dir, 'todo', ['--set', 'todoBackend.image.tag=1.1.0', '--set', 'todoBackend.autoscaling.enabled=false', '--set', 'todoBackend.replicaCount=3']);
  assertValidManifests(changed);
  const backend = findObject(changed, 'Deployment', 'todo-backend');
  expect(backend.spec.template.spec.containers[0].image).toBe('todo-backend:1.1.0');
  expect(backend.spec.replicas).toBe(3);
  expect(changed.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name)).toEqual(['todo-frontend']);
  expect(findObject(changed, 'Deployment', 'todo-frontend')).toEqual(findObject(rendered, 'Deployment', 'todo-frontend'));
});
