/**
 * Internal to `ManifestPolicy`: an index of synthesized objects by namespace, the pod templates they
 * hold, label-selector matching and the shared helpers of the rule files. Not exported from `src/index.ts`.
 */

/** Every rule id `ManifestPolicy` declares (the merged rules of the shared reference "manifest-checks", section 5). */
export type RuleId =
  | 'image-pinned-tag' | 'image-pull-policy-always'
  | 'resources-memory-limit' | 'resources-cpu-request' | 'resources-memory-request' | 'resources-cpu-limit'
  | 'resources-ephemeral-storage'
  | 'env-no-duplicate-names' | 'env-no-literal-secrets' | 'configmap-no-secret-content'
  | 'probe-readiness-present' | 'probe-liveness-present' | 'probe-not-identical' | 'probe-port-exposed'
  | 'port-names-valid' | 'container-read-only-root-fs'
  | 'selector-matches-template' | 'service-selects-pods' | 'ingress-backend-exists' | 'ingress-tls'
  | 'service-not-nodeport' | 'networkpolicy-covers-pod' | 'networkpolicy-selects-something'
  | 'pdb-present' | 'pdb-has-policy' | 'pdb-allows-eviction' | 'pdb-unhealthy-eviction-policy'
  | 'replicas-min-two' | 'hpa-no-static-replicas' | 'hpa-target-exists' | 'hpa-min-replicas'
  | 'pod-anti-affinity' | 'deployment-rolling-update' | 'stable-api-versions' | 'label-values-valid'
  | 'sa-token-not-automounted' | 'sa-exists' | 'no-ssh-port' | 'pod-high-uid-gid';

/** One synthesized object with its identity. */
export interface ObjectRef {
  readonly raw: any;
  readonly kind: string;
  readonly name: string;
  /** `metadata.namespace`, `''` when unset (then it only matches other objects without a namespace). */
  readonly namespace: string;
}

/** Which container list a container comes from. */
export type ContainerList = 'initContainers' | 'containers' | 'ephemeralContainers';

export interface ContainerRef {
  readonly c: any;
  readonly path: string;
  readonly list: ContainerList;
}

/** A pod spec inside an object (a Pod, a workload's `spec.template`, a CronJob's job template). */
export interface PodTemplate {
  readonly obj: ObjectRef;
  readonly labels: { [key: string]: string };
  readonly spec: any;
  readonly metaPath: string;
  readonly specPath: string;
  /** Job or CronJob: runs to completion, so probes, Services and replicas do not apply. */
  readonly runsToCompletion: boolean;
  readonly containers: ContainerRef[];
}

/** Records one violation of `control` on `obj`. */
export type Report = (obj: ObjectRef, control: RuleId, path: string, message: string) => void;

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);
const CONTAINER_LISTS: ContainerList[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** The synthesized objects, grouped so cross-object rules match within one namespace. */
export class ManifestIndex {
  public readonly objects: ObjectRef[] = [];
  public readonly pods: PodTemplate[] = [];

  constructor(manifests: any[]) {
    for (const raw of manifests ?? []) {
      if (!raw || typeof raw !== 'object') continue;
      const obj: ObjectRef = {
        raw,
        kind: String(raw.kind),
        name: String(raw.metadata?.name ?? raw.metadata?.generateName ?? '<unnamed>'),
        namespace: typeof raw.metadata?.namespace === 'string' ? raw.metadata.namespace : '',
      };
      this.objects.push(obj);
      const pod = podTemplate(obj);
      if (pod) this.pods.push(pod);
    }
  }

  /** Objects of `kind` in `namespace`, in synthesis order. */
  public ofKind(kind: string, namespace?: string): ObjectRef[] {
    return this.objects.filter((o) => o.kind === kind && (namespace === undefined || o.namespace === namespace));
  }

  /** Pod templates in `namespace`. */
  public podsIn(namespace: string): PodTemplate[] {
    return this.pods.filter((p) => p.obj.namespace === namespace);
  }

  /** The pod template of this object, if it holds one. */
  public podOf(obj: ObjectRef): PodTemplate | undefined {
    return this.pods.find((p) => p.obj === obj);
  }

  /** The HorizontalPodAutoscaler (in the object's namespace) whose `scaleTargetRef` names this object. */
  public autoscalerOf(obj: ObjectRef): ObjectRef | undefined {
    return this.ofKind('HorizontalPodAutoscaler', obj.namespace).find((hpa) => refersTo(hpa.raw.spec?.scaleTargetRef, obj));
  }

  /** Non-ExternalName Services in the pod's namespace whose selector matches the pod's labels. */
  public servicesSelecting(pod: PodTemplate): ObjectRef[] {
    return this.ofKind('Service', pod.obj.namespace)
      .filter((s) => s.raw.spec?.type !== 'ExternalName' && mapSelects(s.raw.spec?.selector, pod.labels));
  }
}

/** True when `ref` (`{ apiVersion?, kind, name }`) names `obj`. */
export function refersTo(ref: any, obj: ObjectRef): boolean {
  if (!ref || ref.kind !== obj.kind || ref.name !== obj.name) return false;
  return ref.apiVersion === undefined || ref.apiVersion === obj.raw.apiVersion;
}

function podTemplate(obj: ObjectRef): PodTemplate | undefined {
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
  spec = spec ?? {};
  const containers: ContainerRef[] = [];
  for (const list of CONTAINER_LISTS) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    cs.forEach((c, i) => containers.push({ c: c ?? {}, path: `${specPath}.${list}[${i}]`, list }));
  }
  return {
    obj,
    labels: stringMap(meta?.labels),
    spec,
    metaPath,
    specPath,
    runsToCompletion: obj.kind === 'Job' || obj.kind === 'CronJob',
    containers,
  };
}

function stringMap(v: any): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

/** A Service-style selector (plain map): true when non-empty and every pair is among the labels. */
export function mapSelects(selector: any, labels: { [key: string]: string }): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === String(v));
}

/**
 * A `LabelSelector` (`matchLabels` + `matchExpressions`): an unset selector selects nothing, an empty
 * one (`{}`) selects everything.
 */
export function labelSelectorMatches(selector: any, labels: { [key: string]: string }): boolean {
  if (!selector || typeof selector !== 'object') return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== String(v)) return false;
  }
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e?.key);
    const values: string[] = Array.isArray(e?.values) ? e.values.map(String) : [];
    switch (e?.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** True when the selector has no requirement at all. */
export function isEmptySelector(selector: any): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0
    && (!Array.isArray(selector.matchExpressions) || selector.matchExpressions.length === 0));
}

const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why `name` is not an IANA_SVC_NAME (<= 15 chars, a-z0-9 and `-`, at least one letter, no `--`); undefined when it is. */
export function ianaSvcNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'longer than 15 characters';
  if (!IANA_SVC_NAME.test(name)) return 'not lower-case alphanumerics and "-", starting and ending alphanumeric';
  if (name.includes('--')) return 'contains "--"';
  if (!/[a-z]/.test(name)) return 'has no letter';
  return undefined;
}

/** `5`, `"5"` → 5; `"50%"` → undefined (not an absolute count). */
export function intOrUndefined(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** `"50%"` → 50; anything else → undefined. */
export function percentOrUndefined(v: unknown): number | undefined {
  if (typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v)) return Number(v.slice(0, -1));
  return undefined;
}

/** JSON text of a value for messages (`unset` for undefined). */
export function show(v: unknown): string {
  return v === undefined ? 'unset' : JSON.stringify(v);
}
