import { describeObject, isKubernetesNetworkPolicy, ObjectRef, objectRef, refersTo } from './objects';
import { PodTemplateRef, podTemplateOf } from './pod-templates';
import { LabeledIndex, labelSelectorPairs, mapSelectorPairs, SelectorOwnerIndex } from './private/selector-index';
import { mebibytes, millicores, podRequests, quantityValue } from './quantities';
import { referencedNames, ReferencedKind } from './references';
import { labelSelectorMatches, mapSelects } from './selectors';
import { singleWriterMode } from '../core/conventions';
import { identityKey } from '../core/object-identity';

/** How many pods a workload runs, as the API server and its autoscaler decide. */
export interface Replicas {
  /** `spec.replicas` as written; undefined when unset (the API then defaults it to 1). */
  readonly explicit?: number;
  /** The HorizontalPodAutoscaler that manages the workload, if any. */
  readonly autoscaler?: ObjectRef;
  /** Pods in normal operation: `spec.replicas`, else the autoscaler's minimum, else the API default 1. */
  readonly desired: number;
  /** The most pods it may run: the autoscaler's maximum, else `desired`. */
  readonly max: number;
  /** An autoscaler manages it, so it may run more pods than `desired`. */
  readonly mayScale: boolean;
}

/** An object whose identity (API group, kind, namespace, name) an earlier object of the set has. */
export interface DuplicateObject {
  /** The first object with the identity. */
  readonly first: ObjectRef;
  /** A later one (kubectl apply would keep only the last). */
  readonly again: ObjectRef;
}

/** A claim only one writer may mount, and the mode that says so. */
export interface SingleWriterClaim {
  readonly claim: ObjectRef;
  readonly mode: string;
}

/**
 * The one reader of synthesized objects: any list of plain Kubernetes objects (`chart.toJson()`,
 * parsed YAML). It finds objects, the pod template of every workload kind, and the relations
 * between objects of one namespace (Services, autoscalers, disruption budgets, NetworkPolicies,
 * and the ConfigMaps, Secrets and claims a pod reads). It never changes an object.
 */
export class ManifestSet {
  /** Every object, in the given order (entries that are no object are skipped). */
  public readonly objects: ObjectRef[] = [];
  /** The pod template of every object that holds one. */
  public readonly pods: PodTemplateRef[] = [];
  private readonly podByObject = new Map<ObjectRef, PodTemplateRef>();
  private readonly refByRaw = new Map<any, ObjectRef>();
  private readonly byKind = new Map<string, ObjectRef[]>();
  // Indexes built once, so relations cost no pass over all objects (the set may hold thousands of apps).
  private readonly byKindNamespace = new Map<string, ObjectRef[]>();
  private readonly podsByNamespace = new Map<string, PodTemplateRef[]>();
  private readonly byIdentity = new Map<string, ObjectRef[]>();
  private readonly positions = new Map<ObjectRef, number>();
  private autoscalersByTarget?: Map<ObjectRef, ObjectRef>;
  // Selector indexes per kind and namespace, built on first use.
  private readonly owners = new Map<string, SelectorOwnerIndex<ObjectRef>>();
  private readonly labeled = new Map<string, LabeledIndex<PodTemplateRef>>();
  private readonly labeledObjects = new Map<string, LabeledIndex<ObjectRef>>();

  constructor(manifests: readonly unknown[]) {
    for (const raw of manifests ?? []) {
      const obj = objectRef(raw);
      if (!obj) continue;
      this.positions.set(obj, this.objects.length);
      this.objects.push(obj);
      this.refByRaw.set(raw, obj);
      push(this.byKind, obj.kind, obj);
      push(this.byKindNamespace, `${obj.kind}|${obj.namespace}`, obj);
      push(this.byIdentity, `${obj.namespace}|${obj.kind}|${obj.name}`, obj);
      const pod = podTemplateOf(obj);
      if (pod) {
        this.pods.push(pod);
        this.podByObject.set(obj, pod);
        push(this.podsByNamespace, obj.namespace, pod);
      }
    }
  }

  /** The position of an object of this set in the given list (-1 for an object not of this set). */
  public positionOf(obj: ObjectRef): number {
    return this.positions.get(obj) ?? -1;
  }

  /** The reference of a raw object of this set. */
  public refOf(raw: any): ObjectRef | undefined {
    return this.refByRaw.get(raw);
  }

  /** Objects of `kind` (in `namespace` when given), in the given order. */
  public ofKind(kind: string, namespace?: string): ObjectRef[] {
    return (namespace === undefined ? this.byKind.get(kind) : this.byKindNamespace.get(`${kind}|${namespace}`)) ?? [];
  }

  /** The object of `kind` named `name` (in `namespace` when given). */
  public find(kind: string, name: string, namespace?: string): ObjectRef | undefined {
    if (namespace !== undefined) return this.byIdentity.get(`${namespace}|${kind}|${name}`)?.[0];
    return this.ofKind(kind).find((o) => o.name === name);
  }

  /** Pod templates in `namespace`. */
  public podsIn(namespace: string): PodTemplateRef[] {
    return this.podsByNamespace.get(namespace) ?? [];
  }

  /** Namespaces that hold pod templates, in first-seen order. */
  public podNamespaces(): string[] {
    return [...this.podsByNamespace.keys()];
  }

  /**
   * The labels of a namespace as namespace selectors see them: a Namespace object's labels and
   * `kubernetes.io/metadata.name` (the API server sets it on every namespace); for a namespace the
   * set does not hold, that label only. Undefined for the unknown namespace `''` (objects without one).
   */
  public namespaceLabels(namespace: string): { [key: string]: string } | undefined {
    if (namespace === '') return undefined;
    return { ...this.find('Namespace', namespace, '')?.labels, 'kubernetes.io/metadata.name': namespace };
  }

  /**
   * Objects with the identity (API group, kind, namespace, name) of an earlier object, in order. Two
   * such objects are one object to the API server: `kubectl apply` keeps only the last. Helm hooks
   * (`helm.sh/hook`) are left out: Helm creates each at its hook's time, apart from the release.
   */
  public duplicates(): DuplicateObject[] {
    const first = new Map<string, ObjectRef>();
    const out: DuplicateObject[] = [];
    for (const obj of this.objects) {
      if (obj.raw.metadata?.name === undefined || obj.raw.metadata?.annotations?.['helm.sh/hook'] !== undefined) continue;
      const key = identityKey(obj.apiVersion, obj.kind, obj.namespace, obj.name);
      const earlier = first.get(key);
      if (earlier) out.push({ first: earlier, again: obj }); else first.set(key, obj);
    }
    return out;
  }

  /** The pod template of this object, if it holds one. */
  public podOf(obj: ObjectRef): PodTemplateRef | undefined {
    return this.podByObject.get(obj);
  }

  /** The HorizontalPodAutoscaler (in the object's namespace) whose `scaleTargetRef` names this object. */
  public autoscalerOf(obj: ObjectRef): ObjectRef | undefined {
    if (!this.autoscalersByTarget) {
      this.autoscalersByTarget = new Map();
      for (const hpa of this.ofKind('HorizontalPodAutoscaler')) {
        const target = this.scaleTargetOf(hpa);
        if (target && !this.autoscalersByTarget.has(target)) this.autoscalersByTarget.set(target, hpa);
      }
    }
    return this.autoscalersByTarget.get(obj);
  }

  /** The workload (in the autoscaler's namespace) its `scaleTargetRef` names. */
  public scaleTargetOf(hpa: ObjectRef): ObjectRef | undefined {
    const ref = hpa.raw.spec?.scaleTargetRef;
    if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
    return this.byIdentity.get(`${hpa.namespace}|${ref.kind}|${ref.name}`)?.find((o) => refersTo(ref, o));
  }

  /**
   * The Role or ClusterRole a RoleBinding or ClusterRoleBinding grants (`roleRef`), when it is among
   * the objects: a RoleBinding's Role is in its namespace; ClusterRoles have no namespace.
   */
  public roleOf(binding: ObjectRef): ObjectRef | undefined {
    const ref = binding.raw.roleRef;
    if (!ref || typeof ref.name !== 'string') return undefined;
    if (ref.kind === 'Role' && binding.kind === 'RoleBinding') return this.find('Role', ref.name, binding.namespace);
    if (ref.kind === 'ClusterRole') return this.find('ClusterRole', ref.name, '') ?? this.find('ClusterRole', ref.name);
    return undefined;
  }

  /** Non-ExternalName Services in the pod's namespace whose selector matches the pod's labels. */
  public servicesSelecting(pod: PodTemplateRef): ObjectRef[] {
    return this.ownersOf('Service', pod, (s) => mapSelectorPairs(s.raw.spec?.selector))
      .filter((s) => s.raw.spec?.type !== 'ExternalName' && mapSelects(s.raw.spec?.selector, pod.labels));
  }

  /** PodDisruptionBudgets in the pod's namespace whose selector matches the pod's labels. */
  public disruptionBudgetsSelecting(pod: PodTemplateRef): ObjectRef[] {
    return this.ownersOf('PodDisruptionBudget', pod, (pdb) => labelSelectorPairs(pdb.raw.spec?.selector))
      .filter((pdb) => labelSelectorMatches(pdb.raw.spec?.selector, pod.labels));
  }

  /** NetworkPolicies in the pod's namespace whose `podSelector` matches the pod's labels (`{}` selects all). */
  public networkPoliciesSelecting(pod: PodTemplateRef): ObjectRef[] {
    return this.networkPoliciesFor(pod.obj.namespace, pod.labels);
  }

  /** Kubernetes NetworkPolicies (not another engine's kind of that name) in `namespace` whose `podSelector` matches pods with these labels (pods in the set or not). */
  public networkPoliciesFor(namespace: string, labels: { [key: string]: string }): ObjectRef[] {
    return this.ownersIn('NetworkPolicy', namespace, labels, (np) => labelSelectorPairs(np.raw.spec?.podSelector))
      .filter((np) => isKubernetesNetworkPolicy(np) && labelSelectorMatches(np.raw.spec?.podSelector ?? {}, labels));
  }

  /** Objects of `kind` in `namespace` whose own labels a `LabelSelector` matches (the Services a ServiceMonitor selects). */
  public objectsMatching(kind: string, selector: any, namespace: string): ObjectRef[] {
    const key = `${kind}|${namespace}`;
    let index = this.labeledObjects.get(key);
    if (!index) {
      index = new LabeledIndex(this.ofKind(kind, namespace), (o) => o.labels);
      this.labeledObjects.set(key, index);
    }
    return index.candidates(labelSelectorPairs(selector)).filter((o) => labelSelectorMatches(selector, o.labels));
  }

  /** Pod templates a Service selects (none for ExternalName or selector-less Services). */
  public podsSelectedByService(service: ObjectRef): PodTemplateRef[] {
    if (service.raw.spec?.type === 'ExternalName') return [];
    return this.podsSelectedByMap(service.raw.spec?.selector, service.namespace);
  }

  /** Pod templates in `namespace` a Service-style selector (a plain label map) selects; an empty one selects none. */
  public podsSelectedByMap(selector: any, namespace: string): PodTemplateRef[] {
    return this.podCandidates(namespace, mapSelectorPairs(selector)).filter((p) => mapSelects(selector, p.labels));
  }

  /** Pod templates a `LabelSelector` (of a PDB, NetworkPolicy...) matches in `namespace`. */
  public podsMatching(selector: any, namespace: string): PodTemplateRef[] {
    return this.podCandidates(namespace, labelSelectorPairs(selector)).filter((p) => labelSelectorMatches(selector, p.labels));
  }

  /** Objects of `kind` in the pod's namespace that may select it (a superset of those that do, in order). */
  private ownersOf(kind: string, pod: PodTemplateRef, pairsOf: (o: ObjectRef) => [string, string][]): readonly ObjectRef[] {
    return this.ownersIn(kind, pod.obj.namespace, pod.labels, pairsOf);
  }

  /** Objects of `kind` in `namespace` that may select pods with these labels (a superset, in order). */
  private ownersIn(kind: string, namespace: string, labels: { [key: string]: string },
    pairsOf: (o: ObjectRef) => [string, string][]): readonly ObjectRef[] {
    const key = `${kind}|${namespace}`;
    let index = this.owners.get(key);
    if (!index) {
      index = new SelectorOwnerIndex(this.ofKind(kind, namespace), pairsOf);
      this.owners.set(key, index);
    }
    return index.candidates(labels);
  }

  /** Pod templates in `namespace` that may match a selector with these pairs (a superset, in order). */
  private podCandidates(namespace: string, pairs: [string, string][]): readonly PodTemplateRef[] {
    let index = this.labeled.get(namespace);
    if (!index) {
      index = new LabeledIndex(this.podsIn(namespace), (p) => p.labels);
      this.labeled.set(namespace, index);
    }
    return index.candidates(pairs);
  }

  /** Names of the ConfigMaps, Secrets or claims the pods of this object read. */
  public referencedNames(obj: ObjectRef, kind: ReferencedKind): Set<string> {
    return referencedNames(this.podOf(obj)?.spec, kind);
  }

  /** The objects of `kind` in the object's namespace that its pods read. */
  public referencedObjects(obj: ObjectRef, kind: ReferencedKind): ObjectRef[] {
    return this.named(kind, this.referencedNames(obj, kind), obj.namespace);
  }

  /** Objects of `kind` in `namespace` with one of these names, in the given order (by name, not by a pass over the kind). */
  public named(kind: string, names: ReadonlySet<string>, namespace: string): ObjectRef[] {
    const found: ObjectRef[] = [];
    for (const name of names) {
      for (const o of this.byIdentity.get(`${namespace}|${kind}|${name}`) ?? []) if (o.kind === kind && o.namespace === namespace && o.name === name) found.push(o);
    }
    return found.length < 2 ? found : found.sort((a, b) => this.positionOf(a) - this.positionOf(b));
  }

  /**
   * How many pods a workload runs. Pods and DaemonSets count one (per node); Jobs and CronJobs
   * their parallelism; the replicated kinds `spec.replicas` or their autoscaler's range.
   */
  public replicas(obj: ObjectRef): Replicas {
    const spec = obj.raw.spec ?? {};
    switch (obj.kind) {
      case 'Pod':
      case 'DaemonSet':
        return { desired: 1, max: 1, mayScale: false };
      case 'Job':
      case 'CronJob': {
        const parallelism = numberOr(obj.kind === 'Job' ? spec.parallelism : spec.jobTemplate?.spec?.parallelism, 1);
        return { desired: parallelism, max: parallelism, mayScale: false };
      }
      default: {
        const explicit = typeof spec.replicas === 'number' ? spec.replicas : undefined;
        const autoscaler = this.autoscalerOf(obj);
        if (!autoscaler) return { explicit, desired: explicit ?? 1, max: explicit ?? 1, mayScale: false };
        const desired = explicit ?? numberOr(autoscaler.raw.spec?.minReplicas, 1);
        return { explicit, autoscaler, desired, max: Math.max(desired, numberOr(autoscaler.raw.spec?.maxReplicas, desired)), mayScale: true };
      }
    }
  }

  /** The first claim the object's pods mount that only one writer may use (ReadWriteOnce or ReadWriteOncePod). */
  public singleWriterClaimOf(obj: ObjectRef): SingleWriterClaim | undefined {
    for (const claim of this.referencedObjects(obj, 'PersistentVolumeClaim')) {
      const mode = singleWriterMode(Array.isArray(claim.raw.spec?.accessModes) ? claim.raw.spec.accessModes : []);
      if (mode) return { claim, mode };
    }
    return undefined;
  }

  /**
   * What all objects request at their maximum scale, as a namespace ResourceQuota counts it: each pod
   * template's requests times `replicas().max` (plus a Deployment's rolling-update surge with
   * `withSurge`, as a node must hold during a rollout), and the storage of claims and StatefulSet
   * claim templates (times replicas).
   */
  public resourceDemand(options: { readonly withSurge?: boolean } = {}): ResourceDemand {
    const workloads: string[] = [];
    const claims: string[] = [];
    const breakdown: string[] = [];
    let cpu = 0;
    let memory = 0;
    let storage = 0;
    for (const obj of this.objects) {
      if (obj.kind === 'PersistentVolumeClaim') {
        const size = quantityValue(obj.raw.spec?.resources?.requests?.storage);
        storage += size;
        claims.push(`${describeObject(obj.raw)}: ${mebibytes(size)}`);
        breakdown.push(claims[claims.length - 1]);
        continue;
      }
      const pod = this.podOf(obj);
      if (!pod) continue;
      const replicas = this.replicas(obj).max;
      const pods = replicas + (options.withSurge ? rolloutSurge(obj, replicas) : 0);
      const requests = podRequests(pod.spec);
      cpu += pods * requests.cpu;
      memory += pods * requests.memory;
      workloads.push(`${describeObject(obj.raw)}: ${pods} pod${pods === 1 ? '' : 's'} x (${millicores(requests.cpu)} CPU, ${mebibytes(requests.memory)})`);
      breakdown.push(workloads[workloads.length - 1]);
      for (const template of obj.kind === 'StatefulSet' && Array.isArray(obj.raw.spec?.volumeClaimTemplates) ? obj.raw.spec.volumeClaimTemplates : []) {
        const size = quantityValue(template?.spec?.resources?.requests?.storage);
        storage += replicas * size;
        claims.push(`${describeObject(obj.raw)} claim ${template?.metadata?.name}: ${replicas} x ${mebibytes(size)}`);
        breakdown.push(claims[claims.length - 1]);
      }
    }
    return { cpuCores: cpu, memoryBytes: memory, storageBytes: storage, workloads, claims, breakdown };
  }
}

/** Extra pods a Deployment's rolling update starts (maxSurge: a number or a percentage, 25% by default). */
export function rolloutSurge(workload: ObjectRef, replicas: number): number {
  const strategy = workload.raw.spec?.strategy;
  if (workload.kind !== 'Deployment' || strategy?.type === 'Recreate') return 0;
  const value = strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(String(value));
  return percent ? Math.ceil((replicas * Number(percent[1])) / 100) : Number(value) || 0;
}

/** What synthesized objects request at their maximum scale. */
export interface ResourceDemand {
  /** CPU requests in cores. */
  readonly cpuCores: number;
  /** Memory requests in bytes. */
  readonly memoryBytes: number;
  /** Persistent volume claims in bytes (PVCs, plus StatefulSet claim templates times replicas). */
  readonly storageBytes: number;
  /** One line per workload, such as "Deployment shop/web: 4 pods x (500m CPU, 512Mi)". */
  readonly workloads: string[];
  /** One line per claim, such as "PersistentVolumeClaim shop/data: 1024Mi". */
  readonly claims: string[];
  /** The workload and claim lines together, in the objects' order. */
  readonly breakdown: string[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value); else map.set(key, [value]);
}

function numberOr(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
