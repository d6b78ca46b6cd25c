/**
 * The policy findings a workload's own defaults and forced choices raise, waived by the workload
 * itself with the reason (`Waivers`, read by `PolicyCheck` and `deploykit check`), so that an entity
 * used with its defaults passes the library's own checks. Values the caller chose (one replica in
 * development, an autoscaler down to one) keep their findings: the caller waives them, if at all.
 *
 * A waiver depends on the props, never on the environment alone: a Helm chart holds one template
 * for every environment of a system, so a workload's annotations must be the same in each. The
 * waivers of development's image defaults are therefore added in every environment; outside
 * development they find nothing to waive (the images pull Always and ContainerImage refuses `latest`).
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { WorkloadProps } from './workload-props';
import { ContainerImage, ImagePullPolicy } from '../pod/container-image';
import { Waivers } from '../policy/waivers';

/** The reason of each waiver a workload adds. @internal */
export const OWN_WAIVER_REASONS = {
  pullPolicy: 'development pulls IfNotPresent (ContainerImage\'s default there), so an image loaded into the local cluster (minikube image load) is used as it is; staging and production pull Always',
  latestTag: 'development may run an image built locally as latest; ContainerImage refuses latest in staging and production',
  tcpProbes: 'a server without an HTTP health path (tcpHealthCheck) is probed by a TCP connect for liveness and readiness alike; liveness allows 6 failures against readiness\' 3, so a busy pod leaves the Service before it is restarted',
  singleWriter: (claim: string) => `one pod writes the single-writer volume ${claim} (ReadWriteOnce): a second one could not attach it`,
  recreate: (claim: string) => `the pod of the single-writer volume ${claim} (ReadWriteOnce) is replaced, not surged: a new pod could not attach the volume while the old one holds it`,
};

/**
 * Development's image defaults: IfNotPresent (when every image of the pod follows the environment's
 * pull policy; one given IfNotPresent or Never by hand keeps its finding) and `latest` (when an image
 * is referenced by tag). @internal
 */
export function waiveEnvironmentImageDefaults(apiObject: ApiObject, images: ReadonlyArray<ContainerImage | undefined>): void {
  const given = images.filter((i): i is ContainerImage => i !== undefined);
  if (given.length === 0) return;
  // Whether every image follows its environment's default, not what the image's own `environment` makes
  // of it here: an image of development pulls IfNotPresent in every environment of the system.
  if (given.every((i) => (i._givenPullPolicy ?? ImagePullPolicy.ALWAYS) === ImagePullPolicy.ALWAYS)) {
    Waivers.add(apiObject, 'image-pull-policy-always', OWN_WAIVER_REASONS.pullPolicy);
  }
  if (given.some((i) => i.digest === undefined)) Waivers.add(apiObject, 'image-pinned-tag', OWN_WAIVER_REASONS.latestTag);
}

/** The images of a workload's containers: the main one, its init containers and its sidecars. @internal */
export function workloadImages(props: WorkloadProps): Array<ContainerImage | undefined> {
  return [props.image, ...(props.initContainers ?? []).map((i) => i.image), ...(props.sidecars ?? []).map((s) => s.image)];
}

/** The one replica and the Recreate strategy a single-writer volume forces on a Deployment. @internal */
export function waiveSingleWriter(apiObject: ApiObject, claim: string, recreate: boolean): void {
  if (recreate) Waivers.add(apiObject, 'deployment-rolling-update', OWN_WAIVER_REASONS.recreate(claim));
  Waivers.add(apiObject, 'replicas-min-two', OWN_WAIVER_REASONS.singleWriter(claim));
}

/**
 * Liveness and readiness that both connect to the same TCP port (`tcpHealthCheck`), when no other
 * container of the pod has identical probes of another kind (those keep their finding). @internal
 */
export function waiveTcpProbes(apiObject: ApiObject, spec: k8s.PodSpec | undefined): void {
  let tcp = false;
  for (const c of spec?.containers ?? []) {
    const live = probeTarget(c.livenessProbe);
    if (live === undefined || live !== probeTarget(c.readinessProbe)) continue;
    if (!live.startsWith('tcp ')) return;
    tcp = true;
  }
  if (tcp) Waivers.add(apiObject, 'probe-not-identical', OWN_WAIVER_REASONS.tcpProbes);
}

/** What a probe checks, to compare liveness with readiness: handler and target. */
function probeTarget(probe: k8s.Probe | undefined): string | undefined {
  if (!probe) return undefined;
  if (probe.tcpSocket) return `tcp ${probe.tcpSocket.port.value}`;
  if (probe.httpGet) return `http ${probe.httpGet.path ?? '/'} ${probe.httpGet.port.value}`;
  if (probe.exec) return `exec ${JSON.stringify(probe.exec.command ?? [])}`;
  if (probe.grpc) return `grpc ${probe.grpc.service ?? ''} ${probe.grpc.port}`;
  return undefined;
}
