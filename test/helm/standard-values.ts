/**
 * The standard values of a workload section (helm create and Bitnami), set with --set/--set-json,
 * checked in the rendered pod spec of that workload and nowhere else.
 */
import { podSpecOfWorkload } from './acceptance';
import { render } from './harness';
import { assertValidManifests } from '../util/manifests';

/** A workload whose values live in `section` (`[]` for the top level). */
export interface SectionWorkload {
  readonly kind: string;
  readonly name: string;
  readonly section: string[];
}

const TOLERATION = { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' };
const AFFINITY = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } };
const SPREAD = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { tier: 'web' } } };

/** The --set-json arguments of every standard pod value for the section. */
function standardArgs(section: string[]): string[] {
  const key = (k: string) => [...section, k].join('.');
  const json = (k: string, v: unknown) => ['--set-json', `${key(k)}=${JSON.stringify(v)}`];
  return [
    ...json('nodeSelector', { disk: 'ssd' }),
    ...json('tolerations', [TOLERATION]),
    ...json('affinity', AFFINITY),
    ...json('topologySpreadConstraints', [SPREAD]),
    ...json('podAnnotations', { 'example.com/owner': 'team-a' }),
    ...json('podLabels', { tier: 'web' }),
    ...json('imagePullSecrets', [{ name: 'regcred' }]),
    ...json('priorityClassName', 'high'),
    ...json('extraEnvVars', [{ name: 'EXTRA', value: 'on' }]),
    ...json('extraVolumes', [{ name: 'extra', emptyDir: {} }]),
    ...json('extraVolumeMounts', [{ name: 'extra', mountPath: '/extra' }]),
    ...json('serviceAccount', { create: true, name: '', annotations: { 'iam.example.com/role': 'web' }, automountServiceAccountToken: true }),
    ...json('image.registry', 'mirror.example.com'),
  ];
}

/**
 * Renders with every standard value of `target`'s section set and asserts each landed in its pod
 * spec (and a created ServiceAccount), while the other workloads render as with defaults.
 */
export function expectStandardValues(dir: string, namespace: string, target: SectionWorkload, others: SectionWorkload[] = []): void {
  const defaults = render(dir, namespace);
  const rendered = render(dir, namespace, standardArgs(target.section));
  assertValidManifests(rendered);
  const pod = podSpecOfWorkload(rendered, target.kind, target.name);
  const before = podSpecOfWorkload(defaults, target.kind, target.name);
  const spec = pod.spec;
  const first = spec.containers[0];
  expect({
    nodeSelector: spec.nodeSelector,
    tolerations: spec.tolerations?.slice(-1),
    affinity: spec.affinity,
    spread: spec.topologySpreadConstraints?.slice(-1),
    annotation: pod.meta.annotations?.['example.com/owner'],
    label: pod.labels.tier,
    pullSecrets: spec.imagePullSecrets?.slice(-1),
    priorityClassName: spec.priorityClassName,
    env: first.env?.slice(-1),
    volume: spec.volumes?.slice(-1),
    mount: first.volumeMounts?.slice(-1),
    automount: spec.automountServiceAccountToken,
    image: first.image,
  }).toEqual({
    nodeSelector: { ...before.spec.nodeSelector, disk: 'ssd' },
    tolerations: [TOLERATION],
    affinity: AFFINITY,
    spread: [SPREAD],
    annotation: 'team-a',
    label: 'web',
    pullSecrets: [{ name: 'regcred' }],
    priorityClassName: 'high',
    env: [{ name: 'EXTRA', value: 'on' }],
    volume: [{ name: 'extra', emptyDir: {} }],
    mount: [{ name: 'extra', mountPath: '/extra' }],
    automount: true,
    image: expect.stringMatching(/^mirror\.example\.com\//),
  });
  // The plain items stay, before the added ones; the selector labels keep their values.
  expect(spec.volumes.slice(0, -1)).toEqual(before.spec.volumes ?? []);
  expect(pod.labels).toEqual({ ...before.labels, tier: 'web' });
  // serviceAccount.create: a ServiceAccount the pods run as, with the annotations.
  const sa = rendered.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === spec.serviceAccountName);
  expect(sa?.metadata.annotations).toEqual({ 'iam.example.com/role': 'web' });
  expect(defaults.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === spec.serviceAccountName)).toBe(false);
  // serviceAccount.name alone: the pods run as that (existing) ServiceAccount, none is created.
  const named = render(dir, namespace, ['--set', `${[...target.section, 'serviceAccount', 'name'].join('.')}=builder`]);
  expect(podSpecOfWorkload(named, target.kind, target.name).spec.serviceAccountName).toBe('builder');
  expect(named.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name)).not.toContain('builder');
  // The other workloads render as with the defaults.
  for (const o of others) {
    expect({ o, pod: podSpecOfWorkload(rendered, o.kind, o.name).spec }).toEqual({ o, pod: podSpecOfWorkload(defaults, o.kind, o.name).spec });
  }
}
