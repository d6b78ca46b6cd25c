import { ObjectRef, objectRef, readingPass, stringMap } from './objects';

/** Kinds whose pod template sits at `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** Every kind that holds a pod spec: Pod, the template kinds above, and CronJob (in its job template). */
export const POD_KINDS: readonly string[] = ['Pod', ...TEMPLATE_KINDS, 'CronJob'];

/** Which container list a container comes from. */
export type ContainerList = 'initContainers' | 'containers' | 'ephemeralContainers';
const CONTAINER_LISTS: ContainerList[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** One container of a pod spec, with the path of its place in the object. */
export interface ContainerRef {
  /** The container as given (`{}` for a null entry). */
  readonly c: any;
  /** For example `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly list: ContainerList;
  /** An init container with `restartPolicy: Always`: it runs beside the containers for the pod's life. */
  readonly sidecar: boolean;
  /**
   * A placeholder a mesh injector completes at admission (`injectedAtAdmission`): its image, and the
   * proxy's probes, are the injector's, not the manifest's.
   */
  readonly injected: boolean;
}

/** A pod spec inside an object (a Pod, a workload's `spec.template`, a CronJob's job template). */
export interface PodTemplateRef {
  readonly obj: ObjectRef;
  /** The pod's labels. */
  readonly labels: { [key: string]: string };
  /** The pod's metadata (`{}` when unset). */
  readonly meta: any;
  /** The pod spec (`{}` when unset). */
  readonly spec: any;
  readonly metaPath: string;
  readonly specPath: string;
  /**
   * A Job's or CronJob's pod, or a bare Pod whose restartPolicy is Never or OnFailure (a helm test
   * hook, a one-off task): it runs to completion, so probes, Services and replicas do not apply.
   */
  readonly runsToCompletion: boolean;
  /** `spec.os.name: windows`: the Linux-only security fields do not apply (the API server refuses them). */
  readonly windows: boolean;
  /** Init, regular and ephemeral containers, in that order. */
  readonly containers: ContainerRef[];
}

/** The pod template an object holds, or undefined for kinds without one. */
export function podTemplateOf(obj: ObjectRef): PodTemplateRef | undefined {
  // Inside `readingUnchanged` a reference is read once, so its pod template too.
  const pods = readingPass()?.pods as Map<ObjectRef, PodTemplateRef | null> | undefined;
  if (!pods) return readPodTemplate(obj);
  const known = pods.get(obj);
  if (known !== undefined) return known ?? undefined;
  const pod = readPodTemplate(obj);
  pods.set(obj, pod ?? null);
  return pod;
}

function readPodTemplate(obj: ObjectRef): PodTemplateRef | undefined {
  const raw = obj.raw;
  let meta: any;
  let spec: any;
  let metaPath: string;
  let specPath: string;
  if (obj.kind === 'Pod') {
    [meta, spec, metaPath, specPath] = [raw.metadata, raw.spec, 'metadata', 'spec'];
  } else if (TEMPLATE_KINDS.has(obj.kind)) {
    [meta, spec, metaPath, specPath] = [raw.spec?.template?.metadata, raw.spec?.template?.spec, 'spec.template.metadata', 'spec.template.spec'];
  } else if (obj.kind === 'CronJob') {
    const t = raw.spec?.jobTemplate?.spec?.template;
    [meta, spec, metaPath, specPath] = [t?.metadata, t?.spec, 'spec.jobTemplate.spec.template.metadata', 'spec.jobTemplate.spec.template.spec'];
  } else {
    return undefined;
  }
  spec = spec && typeof spec === 'object' ? spec : {};
  return {
    obj,
    labels: stringMap(meta?.labels),
    meta: meta && typeof meta === 'object' ? meta : {},
    spec,
    metaPath,
    specPath,
    runsToCompletion: obj.kind === 'Job' || obj.kind === 'CronJob' || (obj.kind === 'Pod' && ['Never', 'OnFailure'].includes(spec.restartPolicy)),
    windows: spec.os?.name === 'windows',
    containers: containersOf(spec, specPath, meta),
  };
}

/**
 * A container a mesh injector completes at admission: Istio's gateway injection, a pod that asks for
 * injection (`sidecar.istio.io/inject: "true"` as label or annotation, or an
 * `inject.istio.io/templates` annotation) and a container whose image is `auto`. The injector sets
 * the proxy's image and adds its probes (readiness on the proxy's status port), so a gateway chart
 * renders neither. Without the injection markers, `auto` is an image name like any other.
 */
export function injectedAtAdmission(meta: any, container: any): boolean {
  if (container?.image !== 'auto') return false;
  const labels = stringMap(meta?.labels);
  const annotations = stringMap(meta?.annotations);
  return labels['sidecar.istio.io/inject'] === 'true' || annotations['sidecar.istio.io/inject'] === 'true'
    || typeof annotations['inject.istio.io/templates'] === 'string';
}

/** The pod spec of a raw object (any pod kind), or undefined. */
export function podSpecOf(raw: unknown): any {
  const obj = objectRef(raw);
  return obj ? podTemplateOf(obj)?.spec : undefined;
}

/**
 * The containers that run for the pod's life, in the pod spec's order: native sidecars (init
 * containers with `restartPolicy: Always`, started first) and the regular containers. A Service
 * routes to their ports and the kubelet probes them; a plain init container runs to completion first.
 */
export function runningContainers(pod: PodTemplateRef): ContainerRef[] {
  return pod.containers.filter((c) => c.list === 'containers' || c.sidecar);
}

/** Every container of a pod spec: init (sidecars among them), regular and ephemeral; `meta` is the pod's metadata. */
export function containersOf(spec: any, specPath = 'spec', meta?: any): ContainerRef[] {
  const containers: ContainerRef[] = [];
  for (const list of CONTAINER_LISTS) {
    const cs = spec?.[list];
    if (!Array.isArray(cs)) continue;
    cs.forEach((c, i) => {
      const container = c && typeof c === 'object' ? c : {};
      containers.push({
        c: container,
        path: `${specPath}.${list}[${i}]`,
        list,
        sidecar: list === 'initContainers' && container.restartPolicy === 'Always',
        injected: list !== 'ephemeralContainers' && injectedAtAdmission(meta, container),
      });
    });
  }
  return containers;
}
