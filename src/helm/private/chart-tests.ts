/**
 * What the chart's `helm test` checks and the values it reads (the file itself is written by
 * `files/test-hook.ts`): every TCP port of every Service that selects the pods of a long-running
 * workload, by its in-cluster DNS name, with the pinned busybox image of `tests.image.*`.
 */
import { imageParams } from './derive/workloads/images';
import { ParamSpec, DocPlan } from './model/template-model';
import { valuesRef } from './model/values-paths';
import { ReleaseNames } from './release-names';
import { KubeObject, ManifestSet } from '../../manifests';

/** The pinned image of the test pod. */
const TEST_IMAGE = 'docker.io/library/busybox:1.36.1';
const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/** The values of the test pod. */
export function testParams(): ParamSpec[] {
  return imageParams(['tests', 'image'], TEST_IMAGE, 'Always')!;
}

/** One host and port the test connects to. */
export interface TestTarget {
  readonly service: string;
  readonly host: string;
  readonly port: string;
}

/** The Service plans the test checks: those selecting the pods of a long-running workload. */
export function testedServices(plans: readonly DocPlan[]): DocPlan[] {
  const services = plans.filter((p) => p.doc.kind === 'Service' && p.doc.spec?.type !== 'ExternalName');
  if (services.length === 0) return [];
  const set = new ManifestSet(plans.filter((p) => LONG_RUNNING.includes(p.doc.kind)).map((p) => p.doc));
  return services.filter((plan) => set.podsSelectedByMap(plan.doc.spec?.selector, plan.doc.metadata?.namespace ?? '').length > 0);
}

/** Every host and port the test connects to, as template text (they follow the release name and namespace). */
export function testTargets(plans: readonly DocPlan[], release: ReleaseNames): TestTarget[] {
  const out: TestTarget[] = [];
  for (const plan of testedServices(plans)) {
    const svc: KubeObject = plan.doc;
    const name = String(svc.metadata?.name);
    // Inside the shell script, not a YAML value: the bare name, never quoted.
    const host = `${release.has(name, 'Service') ? `{{ ${release.expr(name, 'Service')} }}` : name}.{{ .Release.Namespace }}.svc.cluster.local`;
    const portValue = plan.params.find((p) => p.path[p.path.length - 1] === 'port' && p.path[p.path.length - 2] === 'service')
      ?? plan.params.find((p) => p.path[p.path.length - 1] === 'port');
    (svc.spec?.ports ?? []).forEach((port, i) => {
      if ((port?.protocol ?? 'TCP') !== 'TCP' || !Number.isInteger(port?.port)) return;
      out.push({ service: name, host, port: i === 0 && portValue ? `{{ ${valuesRef(portValue.path)} }}` : String(port.port) });
    });
  }
  return out;
}
