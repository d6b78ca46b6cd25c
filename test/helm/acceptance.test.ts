/**
 * The acceptance checks themselves refuse what they look for: a reference outside the release, a
 * selector that reaches another release's pods, a leftover of the original namespace.
 */
import { crossSelections, namespaceLeftovers, unresolved } from './acceptance';

const pod = (labels: Record<string, string>, spec: any = {}) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x:1', ...spec }] } });
const deployment = (name: string, labels: Record<string, string>, spec: any = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'ns' }, spec: { selector: { matchLabels: labels }, template: pod(labels, spec) },
});
const service = (name: string, selector: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns' }, spec: { selector } });

test('unresolved names what does not resolve inside the release', () => {
  const objects = [
    deployment('web', { app: 'web' }, { envFrom: [{ configMapRef: { name: 'gone' } }], env: [{ name: 'API', value: 'http://api.other.svc.cluster.local' }] }),
    service('web', { app: 'nothing' }),
  ];
  expect(unresolved(objects, 'ns')).toEqual([
    'Deployment/web reads ConfigMap gone',
    'Service/web selects no pod',
    'DNS name api.other.svc.cluster.local',
  ]);
  expect(unresolved([deployment('web', { app: 'web' }), service('web', { app: 'web' })], 'ns')).toEqual([]);
});

test('crossSelections names the selectors of one release that reach the pods of another', () => {
  const alpha = [deployment('alpha-web', { app: 'web' }), service('alpha-web', { app: 'web' })];
  const beta = [deployment('beta-web', { app: 'web' })];
  expect(crossSelections(alpha, beta)).toEqual(['Deployment/alpha-web', 'Service/alpha-web']);
  const instance = (release: string) => ({ 'app': 'web', 'app.kubernetes.io/instance': release });
  const alphaOwn = [deployment('alpha-web', instance('alpha')), service('alpha-web', instance('alpha'))];
  expect(crossSelections(alphaOwn, [deployment('beta-web', instance('beta'))])).toEqual([]);
});

test('namespaceLeftovers names every reference to the original namespace', () => {
  const objects = [{
    kind: 'NetworkPolicy',
    metadata: { name: 'np', namespace: 'todo' },
    spec: { ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'todo' } } }] }], note: 'db.todo.svc' },
  }];
  expect(namespaceLeftovers(objects, 'todo')).toEqual([
    'NetworkPolicy/np /metadata/namespace',
    'NetworkPolicy/np /spec/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io/metadata.name',
    'NetworkPolicy/np DNS name in todo',
  ]);
});
