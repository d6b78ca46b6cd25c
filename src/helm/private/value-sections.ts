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
 * Lookups are indexed (by kind and name, by pod label), so planning stays linear in the objects.
 */
import { deliveredSecretNames } from './derive/delivered-secrets';
import { camelCase, pascalCase } from './template-model';
import {
  ingressBackends, isEmptySelector, labelSelectorMatches, ManifestSet, mapSelects, objectRef, podSpecOf, referencedNames,
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

function podLabels(workload: any): { [key: string]: string } {
  const spec = workload.kind === 'CronJob' ? workload.spec?.jobTemplate?.spec : workload.spec;
  return spec?.template?.metadata?.labels ?? {};
}

/** A LabelSelector that names some pods (an empty one, for every pod, belongs to no workload) and matches these labels. */
function selectsOnly(selector: any, labels: { [key: string]: string }): boolean {
  return !isEmptySelector(selector) && labelSelectorMatches(selector, labels);
}

/** Names of the Secrets cert-manager Certificates of the objects write (made in the cluster, not by the user). */
export function certificateSecretNames(docs: any[]): Set<string> {
  return new Set(docs.filter((d) => d.kind === 'Certificate' && typeof d.spec?.secretName === 'string').map((d) => d.spec.secretName));
}

/**
 * The shortest list an index holds for any pair of `labels` (the selector's equality requirements),
 * or undefined when `labels` has none: selectors are matched against those candidates only, so a
 * label every object shares (the instance) does not make the lookup quadratic.
 */
function candidatesOf<T>(index: Map<string, T[]>, labels: any): T[] | undefined {
  if (!labels || typeof labels !== 'object') return undefined;
  let best: T[] | undefined;
  for (const k in labels) {
    const list = index.get(`${k}=${labels[k]}`) ?? [];
    if (best === undefined || list.length < best.length) best = list;
  }
  return best;
}

function ns(doc: any): string {
  return doc?.metadata?.namespace ?? '';
}

/** Value sections of one environment's objects. */
export class Layout {
  /**
   * Stand-ins (`{ kind: 'Secret', metadata: { name, namespace } }`) for the Secrets workloads reference by
   * name that the objects do not hold and no Certificate, SealedSecret or ExternalSecret of the objects
   * makes: created outside the chart.
   */
  public readonly referencedSecrets: any[];
  /** The objects, read through the one reader of synthesized objects. */
  public readonly set: ManifestSet;
  /** The workloads with a values section (primary first, then secondary), in the objects' order. */
  public readonly workloads: any[];
  /** Namespaces the objects live in (they all move to the release namespace). */
  public readonly namespaces: Set<string>;
  private readonly sections = new Map<any, string[]>();
  private readonly prefixes = new Map<any, string[]>();
  private readonly owners = new Map<any, any>();
  private readonly byKey = new Map<string, any>();
  private readonly byName = new Map<string, any>();
  private readonly workloadsByLabel = new Map<string, any[]>();

  constructor(private readonly docs: any[]) {
    this.set = new ManifestSet(docs);
    this.namespaces = new Set(docs.filter((d) => d.kind !== 'Namespace' && ns(d) !== '').map(ns));
    for (const d of docs) {
      const key = `${d.kind}/${ns(d)}/${d.metadata?.name}`;
      if (!this.byKey.has(key)) this.byKey.set(key, d);
      const nameKey = `${d.kind}/${d.metadata?.name}`;
      if (!this.byName.has(nameKey)) this.byName.set(nameKey, d);
    }
    const primary = docs.filter((d) => PRIMARY_KINDS.includes(d.kind));
    const secondary = docs.filter((d) => SECONDARY_KINDS.includes(d.kind));
    this.workloads = [...primary, ...secondary];
    for (const w of this.workloads) {
      for (const [k, v] of Object.entries(podLabels(w))) {
        const list = this.workloadsByLabel.get(`${k}=${v}`);
        if (list) list.push(w); else this.workloadsByLabel.set(`${k}=${v}`, [w]);
      }
    }
    this.referencedSecrets = [];
    const issued = new Set([...certificateSecretNames(docs), ...deliveredSecretNames(docs)]);
    for (const w of this.workloads) {
      for (const name of referencedNames(podSpecOf(w), 'Secret')) {
        if (issued.has(name) || this.find('Secret', name, ns(w)) || this.referencedSecrets.some((s) => s.metadata.name === name && ns(s) === ns(w))) continue;
        this.referencedSecrets.push({ kind: 'Secret', metadata: w.metadata?.namespace === undefined ? { name } : { name, namespace: w.metadata.namespace } });
      }
    }
    this.assignSections(primary, secondary);
    this.assignOwners();
    for (const d of [...docs, ...this.referencedSecrets]) {
      if (!this.sections.has(d)) this.sections.set(d, this.owner(d) ? this.sections.get(this.owner(d))! : []);
    }
    this.assignPrefixes();
  }

  private assignSections(primary: any[], secondary: any[]): void {
    const used = new Set<string>(RESERVED);
    const label = (w: any) => camelCase(w.metadata?.labels?.['app.kubernetes.io/name'] ?? w.metadata?.name);
    const names = primary.map(label);
    primary.forEach((w, i) => {
      if (primary.length === 1) {
        this.sections.set(w, []);
        return;
      }
      const unique = names.filter((n) => n === names[i]).length === 1;
      let section = unique ? names[i] : camelCase(w.metadata?.name);
      if (used.has(section)) section = `${section}${w.kind}`;
      used.add(section);
      this.sections.set(w, [section]);
    });
    for (const w of secondary) {
      let section = label(w);
      if (used.has(section)) section = camelCase(w.metadata?.name);
      if (used.has(section)) section = `${section}${w.kind}`;
      for (let i = 2; used.has(section); i++) section = `${camelCase(w.metadata?.name)}${w.kind}${i}`;
      used.add(section);
      this.sections.set(w, [section]);
    }
  }

  /** The first workload (primary first) whose pods a selector (with these equality requirements) matches. */
  private workloadSelecting(matches: (labels: { [key: string]: string }) => boolean, required: any): any {
    const candidates = candidatesOf(this.workloadsByLabel, required) ?? this.workloads;
    return candidates.find((w) => matches(podLabels(w)));
  }

  private assignOwners(): void {
    const primary = this.workloads.filter((w) => PRIMARY_KINDS.includes(w.kind));
    const byName = new Map<string, any>();
    // Primary workloads first: a claim both read belongs to the Deployment, not to its backup CronJob.
    for (const w of [...primary, ...this.workloads.filter((x) => !primary.includes(x))]) {
      const spec = podSpecOf(w);
      for (const kind of ['PersistentVolumeClaim', 'ConfigMap', 'Secret'] as const) {
        for (const name of referencedNames(spec, kind)) {
          const key = `${kind}/${ns(w)}/${name}`;
          if (!byName.has(key)) byName.set(key, w);
        }
      }
      const sa = spec?.serviceAccountName ?? spec?.serviceAccount;
      if (typeof sa === 'string' && !byName.has(`ServiceAccount/${ns(w)}/${sa}`)) byName.set(`ServiceAccount/${ns(w)}/${sa}`, w);
    }
    for (const doc of [...this.docs, ...this.referencedSecrets]) {
      let owner: any;
      switch (doc.kind) {
        case 'Service':
          owner = this.workloadSelecting((l) => mapSelects(doc.spec?.selector, l), doc.spec?.selector);
          break;
        case 'PodDisruptionBudget':
          owner = this.workloadSelecting((l) => selectsOnly(doc.spec?.selector, l), doc.spec?.selector?.matchLabels);
          break;
        case 'NetworkPolicy':
          owner = this.workloadSelecting((l) => selectsOnly(doc.spec?.podSelector, l), doc.spec?.podSelector?.matchLabels);
          break;
        case 'HorizontalPodAutoscaler': {
          // A stand-in HPA (made for the autoscaling switch) is not among the objects.
          const target = this.set.scaleTargetOf(this.set.refOf(doc) ?? objectRef(doc)!)?.raw;
          owner = this.workloads.includes(target) ? target : undefined;
          break;
        }
        case 'PersistentVolumeClaim':
        case 'ConfigMap':
        case 'Secret':
        case 'ServiceAccount':
          owner = byName.get(`${doc.kind}/${ns(doc)}/${doc.metadata?.name}`);
          break;
        default:
          owner = WORKLOAD_KINDS.includes(doc.kind) ? doc : undefined;
      }
      if (owner) this.owners.set(doc, owner);
    }
    for (const doc of this.docs.filter((d) => d.kind === 'Ingress')) {
      for (const svcName of ingressBackends(doc).map((b) => b.serviceName)) {
        const svc = svcName ? this.find('Service', svcName, ns(doc)) : undefined;
        const w = svc && this.owners.get(svc);
        if (w) {
          this.owners.set(doc, w);
          break;
        }
      }
    }
  }

  /** The workload an object belongs to, if any. */
  public owner(doc: any): any {
    if (WORKLOAD_KINDS.includes(doc.kind)) return doc;
    if (this.owners.has(doc)) return this.owners.get(doc);
    // Objects made for the chart (a stand-in HPA) are not among the objects: find their owner by target.
    if (doc.kind === 'HorizontalPodAutoscaler') {
      const t = doc.spec?.scaleTargetRef;
      const target = t?.kind && t?.name ? this.find(t.kind, t.name, ns(doc)) : undefined;
      return target && WORKLOAD_KINDS.includes(target.kind) ? target : undefined;
    }
    return undefined;
  }

  /** The object of `kind` named `name` in `namespace` (any namespace when undefined). */
  public find(kind: string, name: string, namespace?: string): any {
    return namespace === undefined ? this.byName.get(`${kind}/${name}`) : this.byKey.get(`${kind}/${namespace}/${name}`);
  }

  /** The Ingresses that name the Secret `name` (same namespace) in their `spec.tls`. */
  public tlsIngresses(name: string, namespace: string): any[] {
    return this.set.ofKind('Ingress', namespace).map((o) => o.raw).filter((d) => (d.spec?.tls ?? []).some((t: any) => t?.secretName === name));
  }

  /** A Secret no workload references and an Ingress names for TLS: its name is the Ingress's value. */
  public isIngressTlsSecret(doc: any): boolean {
    return doc.kind === 'Secret' && !this.owner(doc) && this.tlsIngresses(doc.metadata?.name, ns(doc)).length > 0;
  }

  /** The workload section (`[]` or `['backend']`) of an object. */
  public section(doc: any): string[] {
    return this.sections.get(doc) ?? [];
  }

  /** The values prefix of an object's own values, e.g. `['backend', 'service']`. */
  public prefix(doc: any): string[] {
    return this.prefixes.get(doc) ?? this.section(doc);
  }

  /**
   * The values prefix of the Secret named `name` (its `existingSecret` lives there), if it has values:
   * a Secret of the objects other than an Ingress's own TLS Secret, or one the workloads reference
   * that the objects do not hold.
   */
  public secretPrefix(name: string): string[] | undefined {
    const doc = this.find('Secret', name) ?? this.referencedSecrets.find((d) => d.metadata?.name === name);
    return doc && !this.isIngressTlsSecret(doc) ? this.prefix(doc) : undefined;
  }

  /** The values prefix (`[..., 'persistence']`) of a StatefulSet's first volumeClaimTemplate, if it has one. */
  public claimTemplatePrefix(workload: any): string[] | undefined {
    return hasClaimTemplates(workload) ? [...this.section(workload), 'persistence'] : undefined;
  }

  /**
   * The claim of a group (objects of one section) that keeps the plain `persistence` name: the first
   * claim the section's workload mounts, else the group's first claim.
   */
  private primaryClaim(key: string, group: any[]): any {
    const workload = this.workloads.find((w) => this.section(w).join('.') === key);
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
    const bases: Record<string, string> = {
      Service: 'service', Ingress: 'ingress', PersistentVolumeClaim: 'persistence', ConfigMap: 'config', Secret: 'secrets', PodDisruptionBudget: 'pdb',
    };
    for (const [kind, base] of Object.entries(bases)) {
      const groups = new Map<string, any[]>();
      const extra = kind === 'Secret' ? this.referencedSecrets : [];
      for (const d of [...this.set.ofKind(kind).map((o) => o.raw).filter((x) => !this.isIngressTlsSecret(x)), ...extra]) {
        const k = this.section(d).join('.');
        const list = groups.get(k);
        if (list) list.push(d); else groups.set(k, [d]);
      }
      for (const [key, group] of groups) {
        const primary = kind === 'PersistentVolumeClaim' ? this.primaryClaim(key, group) : undefined;
        for (const d of group) {
          const section = this.section(d);
          if (kind === 'Secret') {
            this.prefixes.set(d, group.length === 1 ? section : [...section, base, camelCase(d.metadata?.name)]);
          } else if (primary !== undefined) {
            this.prefixes.set(d, [...section, d === primary ? base : base + pascalCase(d.metadata?.name)]);
          } else {
            this.prefixes.set(d, [...section, group.length === 1 ? base : base + pascalCase(d.metadata?.name)]);
          }
        }
      }
    }
  }
}

/** True for a StatefulSet with at least one volumeClaimTemplate. */
export function hasClaimTemplates(workload: any): boolean {
  return workload?.kind === 'StatefulSet' && Array.isArray(workload.spec?.volumeClaimTemplates) && workload.spec.volumeClaimTemplates.length > 0;
}
