/**
 * Where each object's values live in values.yaml.
 *
 * With exactly one Deployment or StatefulSet (a *primary* workload) every standard value is
 * top-level (`replicaCount`, `image.tag`, `service.port`). With several, each gets a section keyed by
 * the camelCase of its `app.kubernetes.io/name` label (or object name), and the objects that belong
 * to it (Services selecting its pods, Ingresses routing to those Services, its HPA, the claims,
 * ConfigMaps and Secrets it references; PodDisruptionBudgets and NetworkPolicies selecting its pods
 * belong to it too, though their switches are chart-wide) are keyed inside it: `backend.image.tag`,
 * `backend.service.port`. DaemonSets, Jobs and CronJobs (*secondary* workloads) always get a section of
 * their own (`rescanBackup.schedule`), so adding one never moves the values of the others; they own the
 * claims, ConfigMaps and Secrets only they read.
 *
 * Names do not move when objects are added: the claim a workload's pods mount first keeps
 * `persistence.*` (further claims get `persistence<Name>`), except in the section of a StatefulSet
 * with volumeClaimTemplates, whose first claim template keeps `persistence.*`; a Secret only an
 * Ingress names for TLS has no values of its own (the Ingress's `tls.secretName` names it).
 *
 * A Secret a workload references by name that the objects do not hold (created outside the chart)
 * gets a stand-in (`referencedSecrets`) with the same naming as a Secret of the objects: its
 * `existingSecret` value lives where a Secret with data of that workload would have it.
 *
 * The objects are read only through `ManifestSet` (lookups, selectors, references, autoscaler
 * targets): the layout computes each object's section once, in the constructor, and keeps no index
 * of the objects of its own.
 */
import { camelCase, pascalCase } from './model/values-paths';
import {
  KubeObject, ManifestSet, ObjectRef, PodSpecShape, PodTemplateRef, Selector, ingressBackends, isEmptySelector, podSpecOf, referencedNames,
} from '../../manifests';

/** Workloads that scale (replicaCount, autoscaling) and take the top-level values when alone. */
export const PRIMARY_KINDS = ['Deployment', 'StatefulSet'];
/** Workloads that always get a section of their own. */
export const SECONDARY_KINDS = ['DaemonSet', 'Job', 'CronJob'];
/** Every kind with a values section. */
export const WORKLOAD_KINDS = [...PRIMARY_KINDS, ...SECONDARY_KINDS];

/** Top-level keys of the chart itself: no section may take them. */
const RESERVED = new Set([
  'environment', 'global', 'nameOverride', 'fullnameOverride', 'networkPolicy', 'pdb', 'tests', 'image', 'replicaCount',
  'resources', 'service', 'ingress', 'persistence', 'config', 'existingSecret', 'secrets', 'autoscaling', 'serviceAccount',
  'nodeSelector', 'tolerations', 'affinity', 'topologySpreadConstraints', 'podAnnotations', 'podLabels', 'imagePullSecrets',
  'priorityClassName', 'extraEnvVars', 'extraVolumes', 'extraVolumeMounts', 'initContainers', 'sidecars', 'schedule',
  'secretStores',
]);

/** The base key of the values of each kind inside its section. */
const BASES: Record<string, string> = {
  Service: 'service', Ingress: 'ingress', PersistentVolumeClaim: 'persistence', ConfigMap: 'config', Secret: 'secrets', PodDisruptionBudget: 'pdb',
};

/** Where an object's values live. */
export interface ValuesSection {
  /** The workload section it belongs to: `[]` (top level) or `['backend']`. */
  readonly section: string[];
  /** Where its own values live, such as `['backend', 'service']` (a workload's: its section). */
  readonly prefix: string[];
  /** The workload it belongs to (a workload: itself), if any. */
  readonly owner?: KubeObject;
}

/** Names of the Secrets cert-manager Certificates of the objects write (made in the cluster, not by the user). */
export function certificateSecretNames(set: ManifestSet): Set<string> {
  const names = new Set<string>();
  for (const cert of set.ofKind('Certificate')) {
    const name = (cert.raw as KubeObject).spec?.secretName;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

/** A Bitnami SealedSecret. */
function isSealedSecret(doc: KubeObject | undefined): boolean {
  return doc?.kind === 'SealedSecret' && String(doc.apiVersion).startsWith('bitnami.com/');
}

/** An External Secrets Operator ExternalSecret. */
export function isExternalSecret(doc: KubeObject | undefined): boolean {
  return doc?.kind === 'ExternalSecret' && String(doc.apiVersion).startsWith('external-secrets.io/');
}

/** A SealedSecret or ExternalSecret: it keeps its name under any release. */
export function isDeliveredSecret(doc: KubeObject): boolean {
  return isSealedSecret(doc) || isExternalSecret(doc);
}

/** Names of the Secrets the objects' SealedSecrets and ExternalSecrets make (the ExternalSecret's target, else its own name). */
export function deliveredSecretNames(set: ManifestSet): Set<string> {
  const names = new Set<string>();
  for (const o of [...set.ofKind('SealedSecret'), ...set.ofKind('ExternalSecret')]) {
    const d = o.raw as KubeObject;
    if (isSealedSecret(d) && d.metadata?.name !== undefined) names.add(d.metadata.name);
    const name = isExternalSecret(d) ? d.spec?.target?.name ?? d.metadata?.name : undefined;
    if (name !== undefined) names.add(name);
  }
  return names;
}

/** True for a StatefulSet with at least one volumeClaimTemplate. */
export function hasClaimTemplates(workload: KubeObject | undefined): boolean {
  const templates = workload?.spec?.volumeClaimTemplates;
  return workload?.kind === 'StatefulSet' && Array.isArray(templates) && templates.length > 0;
}

function ns(doc: KubeObject | undefined): string {
  return doc?.metadata?.namespace ?? '';
}

/** Value sections of one environment's objects. */
export class Layout {
  /** The objects, read through the one reader of synthesized objects. */
  public readonly set: ManifestSet;
  /**
   * Stand-ins (`{ kind: 'Secret', metadata: { name, namespace } }`) for the Secrets workloads reference by
   * name that the objects do not hold and no Certificate, SealedSecret or ExternalSecret of the objects
   * makes: created outside the chart.
   */
  public readonly referencedSecrets: KubeObject[] = [];
  /** The workloads with a values section (primary first, then secondary), in the objects' order. */
  public readonly workloads: KubeObject[];
  /** Namespaces the objects live in (they all move to the release namespace). */
  public readonly namespaces: Set<string>;
  private readonly sections = new Map<KubeObject, string[]>();
  private readonly owners = new Map<KubeObject, KubeObject>();
  private readonly prefixes = new Map<KubeObject, string[]>();
  /** Each workload's place in `workloads` (primary first): the owner of what several select is the first. */
  private readonly rank = new Map<KubeObject, number>();

  /**
   * @param naming the layout of every environment's objects together: where it has an object, the
   *   object's section and prefix are its (so an object's values are the same in every environment,
   *   whichever objects an environment lacks)
   */
  constructor(docs: readonly KubeObject[], naming?: Layout) {
    this.set = new ManifestSet(docs);
    const objects = this.set.objects;
    this.namespaces = new Set(objects.filter((o) => o.kind !== 'Namespace' && o.namespace !== '').map((o) => o.namespace));
    const primary = PRIMARY_KINDS.flatMap((k) => this.set.ofKind(k)).sort(byPosition(this.set));
    const secondary = SECONDARY_KINDS.flatMap((k) => this.set.ofKind(k)).sort(byPosition(this.set));
    this.workloads = [...primary, ...secondary].map((o) => o.raw as KubeObject);
    this.workloads.forEach((w, i) => this.rank.set(w, i));
    const issued = new Set([...certificateSecretNames(this.set), ...deliveredSecretNames(this.set)]);
    for (const w of this.workloads) {
      for (const name of referencedNames(podSpecOf(w), 'Secret')) {
        if (issued.has(name) || this.set.find('Secret', name, ns(w)) || this.referencedSecret(name, ns(w))) continue;
        this.referencedSecrets.push({ kind: 'Secret', metadata: w.metadata?.namespace === undefined ? { name } : { name, namespace: w.metadata.namespace } });
      }
    }
    this.assignSections(primary.map((o) => o.raw as KubeObject), secondary.map((o) => o.raw as KubeObject));
    for (const w of this.workloads) {
      const named = naming?.valuesOfSame(w);
      if (named) this.sections.set(w, named.section);
    }
    this.assignOwners();
    for (const d of [...objects.map((o) => o.raw as KubeObject), ...this.referencedSecrets]) {
      if (!this.sections.has(d)) {
        const owner = this.owners.get(d);
        this.sections.set(d, owner ? this.sections.get(owner)! : []);
      }
    }
    this.assignPrefixes();
    if (naming) {
      for (const d of [...objects.map((o) => o.raw as KubeObject), ...this.referencedSecrets]) {
        const named = naming.valuesOfSame(d);
        if (!named) continue;
        this.sections.set(d, named.section);
        if (this.prefixes.has(d)) this.prefixes.set(d, named.prefix);
      }
    }
  }

  /** Where the values of the same object (kind, namespace, name) live in this layout, if it has that object. */
  public valuesOfSame(doc: KubeObject): ValuesSection | undefined {
    const name = String(doc.metadata?.name);
    const same = (this.set.find(doc.kind, name, ns(doc))?.raw as KubeObject | undefined)
      ?? (doc.kind === 'Secret' ? this.referencedSecret(name, ns(doc)) : undefined);
    return same ? this.valuesOf(same) : undefined;
  }

  /** Where the values of an object of the environment (or a referenced Secret's stand-in) live. */
  public valuesOf(doc: KubeObject): ValuesSection {
    const section = this.sections.get(doc) ?? [];
    return { section, prefix: this.prefixes.get(doc) ?? section, owner: this.owner(doc) };
  }

  /** The workload an object belongs to, if any. */
  public owner(doc: KubeObject): KubeObject | undefined {
    return WORKLOAD_KINDS.includes(doc.kind) ? doc : this.owners.get(doc);
  }

  /** The Ingresses that name the Secret `name` (same namespace) in their `spec.tls`. */
  public tlsIngresses(name: string | undefined, namespace: string): KubeObject[] {
    return this.set.ofKind('Ingress', namespace).map((o) => o.raw as KubeObject).filter((d) => (d.spec?.tls ?? []).some((t) => t?.secretName === name));
  }

  /** A Secret no workload references and an Ingress names for TLS: its name is the Ingress's value. */
  public isIngressTlsSecret(doc: KubeObject): boolean {
    return doc.kind === 'Secret' && !this.owner(doc) && this.tlsIngresses(doc.metadata?.name, ns(doc)).length > 0;
  }

  /**
   * The values prefix of the Secret named `name` in `namespace` (its `existingSecret` lives there), if
   * it has values: a Secret of the objects other than an Ingress's own TLS Secret, or one the
   * workloads reference that the objects do not hold.
   */
  public secretPrefix(name: string, namespace: string): string[] | undefined {
    const doc = (this.set.find('Secret', name, namespace)?.raw as KubeObject | undefined) ?? this.referencedSecret(name, namespace);
    return doc && !this.isIngressTlsSecret(doc) ? this.valuesOf(doc).prefix : undefined;
  }

  private referencedSecret(name: string, namespace: string): KubeObject | undefined {
    return this.referencedSecrets.find((s) => s.metadata?.name === name && ns(s) === namespace);
  }

  private assignSections(primary: KubeObject[], secondary: KubeObject[]): void {
    const used = new Set<string>(RESERVED);
    const label = (w: KubeObject) => camelCase(w.metadata?.labels?.['app.kubernetes.io/name'] ?? String(w.metadata?.name));
    const names = primary.map(label);
    primary.forEach((w, i) => {
      if (primary.length === 1) {
        this.sections.set(w, []);
        return;
      }
      const unique = names.filter((n) => n === names[i]).length === 1;
      let section = unique ? names[i] : camelCase(String(w.metadata?.name));
      if (used.has(section)) section = `${section}${w.kind}`;
      used.add(section);
      this.sections.set(w, [section]);
    });
    for (const w of secondary) {
      let section = label(w);
      if (used.has(section)) section = camelCase(String(w.metadata?.name));
      if (used.has(section)) section = `${section}${w.kind}`;
      for (let i = 2; used.has(section); i++) section = `${camelCase(String(w.metadata?.name))}${w.kind}${i}`;
      used.add(section);
      this.sections.set(w, [section]);
    }
  }

  /** The first workload (primary first) among the pods a selector selects. */
  private workloadOf(pods: readonly PodTemplateRef[]): KubeObject | undefined {
    let first: KubeObject | undefined;
    for (const p of pods) {
      const w = p.obj.raw as KubeObject;
      const r = this.rank.get(w);
      if (r !== undefined && (first === undefined || r < this.rank.get(first)!)) first = w;
    }
    return first;
  }

  private assignOwners(): void {
    const set = this.set;
    // Primary workloads first: a claim both read belongs to the Deployment, not to its backup CronJob.
    for (const w of this.workloads) {
      const ref = set.refOf(w)!;
      for (const kind of ['PersistentVolumeClaim', 'ConfigMap', 'Secret'] as const) {
        for (const o of set.referencedObjects(ref, kind)) if (!this.owners.has(o.raw)) this.owners.set(o.raw, w);
      }
      for (const name of referencedNames(podSpecOf(w), 'Secret')) {
        const stub = this.referencedSecret(name, ns(w));
        if (stub && !this.owners.has(stub)) this.owners.set(stub, w);
      }
      const spec: PodSpecShape | undefined = podSpecOf(w);
      const sa = spec?.serviceAccountName ?? spec?.serviceAccount;
      const account = typeof sa === 'string' ? set.find('ServiceAccount', sa, ns(w)) : undefined;
      if (account && !this.owners.has(account.raw)) this.owners.set(account.raw, w);
    }
    type Selected = (o: ObjectRef, selector: Selector | undefined) => PodTemplateRef[];
    const selected = (kind: string, pods: Selected, selectorOf: (d: KubeObject) => Selector | undefined) => {
      for (const o of set.ofKind(kind)) {
        const owner = this.workloadOf(pods(o, selectorOf(o.raw)));
        if (owner) this.owners.set(o.raw, owner);
      }
    };
    selected('Service', (o, s) => set.podsSelectedByMap(s, o.namespace), (d) => d.spec?.selector);
    // An empty LabelSelector selects every pod: it belongs to no workload.
    const matching = (o: ObjectRef, s: Selector | undefined) => (isEmptySelector(s) ? [] : set.podsMatching(s, o.namespace));
    selected('PodDisruptionBudget', matching, (d) => d.spec?.selector);
    selected('NetworkPolicy', matching, (d) => d.spec?.podSelector);
    for (const hpa of set.ofKind('HorizontalPodAutoscaler')) {
      // The workload its scaleTargetRef names; by kind and name alone when the apiVersion differs.
      const ref = (hpa.raw as KubeObject).spec?.scaleTargetRef;
      const target = set.scaleTargetOf(hpa) ?? (ref?.kind && ref?.name ? set.find(ref.kind, ref.name, hpa.namespace) : undefined);
      const workload = target?.raw as KubeObject | undefined;
      if (workload && this.rank.has(workload)) this.owners.set(hpa.raw, workload);
    }
    for (const ing of set.ofKind('Ingress')) {
      for (const b of ingressBackends(ing.raw)) {
        const svc = b.serviceName ? set.find('Service', b.serviceName, ing.namespace) : undefined;
        const w = svc && this.owners.get(svc.raw);
        if (w) {
          this.owners.set(ing.raw, w);
          break;
        }
      }
    }
  }

  /**
   * The claim of a group (objects of one section) that keeps the plain `persistence` name: the first
   * claim the section's workload mounts, else the group's first claim.
   */
  private primaryClaim(key: string, group: KubeObject[]): KubeObject | null {
    const workload = this.workloads.find((w) => this.sections.get(w)!.join('.') === key);
    // The StatefulSet's first claim template holds `persistence`: every claim gets its own name.
    if (workload && hasClaimTemplates(workload)) return null;
    if (workload) {
      for (const claim of referencedNames(podSpecOf(workload), 'PersistentVolumeClaim')) {
        const found = group.find((d) => d.metadata?.name === claim && ns(d) === ns(workload));
        if (found) return found;
      }
    }
    return group[0];
  }

  private assignPrefixes(): void {
    for (const [kind, base] of Object.entries(BASES)) {
      const groups = new Map<string, KubeObject[]>();
      const extra = kind === 'Secret' ? this.referencedSecrets : [];
      for (const d of [...this.set.ofKind(kind).map((o) => o.raw as KubeObject).filter((x) => !this.isIngressTlsSecret(x)), ...extra]) {
        const k = this.sections.get(d)!.join('.');
        const list = groups.get(k);
        if (list) list.push(d); else groups.set(k, [d]);
      }
      for (const [key, group] of groups) {
        const primary = kind === 'PersistentVolumeClaim' ? this.primaryClaim(key, group) : undefined;
        for (const d of group) {
          const section = this.sections.get(d)!;
          const name = String(d.metadata?.name);
          if (kind === 'Secret') {
            this.prefixes.set(d, group.length === 1 ? section : [...section, base, camelCase(name)]);
          } else if (primary !== undefined) {
            this.prefixes.set(d, [...section, d === primary ? base : base + pascalCase(name)]);
          } else {
            this.prefixes.set(d, [...section, group.length === 1 ? base : base + pascalCase(name)]);
          }
        }
      }
    }
  }
}

/** Objects in the order they were given. */
function byPosition(set: ManifestSet): (a: ObjectRef, b: ObjectRef) => number {
  return (a, b) => set.positionOf(a) - set.positionOf(b);
}
