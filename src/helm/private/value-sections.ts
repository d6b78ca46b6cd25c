/**
 * Where each object's values live in values.yaml.
 *
 * With exactly one workload (Deployment or StatefulSet) every standard value is top-level
 * (`replicaCount`, `image.tag`, `service.port`). With several, each workload gets a section keyed by
 * the camelCase of its `app.kubernetes.io/name` label (or object name), and the objects that belong
 * to it (Services selecting its pods, Ingresses routing to those Services, its HPA, the claims,
 * ConfigMaps and Secrets it references; PodDisruptionBudgets and NetworkPolicies selecting its pods
 * belong to it too, though their switches are chart-wide) are keyed inside it: `backend.image.tag`, `backend.service.port`.
 *
 * Names do not move when objects are added: the claim a workload's pods mount first keeps
 * `persistence.*` (further claims get `persistence<Name>`), except in the section of a StatefulSet
 * with volumeClaimTemplates, whose first claim template keeps `persistence.*`; a Secret only an
 * Ingress names for TLS has no values of its own (the Ingress's `tls.secretName` names it).
 *
 * A Secret a workload references by name that the objects do not hold (created outside the chart)
 * gets a stand-in (`referencedSecrets`) with the same naming as a Secret of the objects: its
 * `existingSecret` value lives where a Secret with data of that workload would have it.
 */
import { camelCase, pascalCase } from './template-model';
import {
  ingressBackends, isEmptySelector, labelSelectorMatches, ManifestSet, mapSelects, objectRef, podSpecOf, referencedNames,
} from '../../manifests';

/** The kinds that get a values section of their own. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'];

function podLabels(workload: any): { [key: string]: string } {
  return workload.spec?.template?.metadata?.labels ?? {};
}

/** A LabelSelector that names some pods (an empty one, for every pod, belongs to no workload) and matches these labels. */
function selectsOnly(selector: any, labels: { [key: string]: string }): boolean {
  return !isEmptySelector(selector) && labelSelectorMatches(selector, labels);
}

/** Names of the Secrets cert-manager Certificates of the objects write (made in the cluster, not by the user). */
function certificateSecretNames(docs: any[]): Set<string> {
  return new Set(docs.filter((d) => d.kind === 'Certificate' && typeof d.spec?.secretName === 'string').map((d) => d.spec.secretName));
}

/** Value sections of one environment's objects. */
export class Layout {
  /**
   * Stand-ins (`{ kind: 'Secret', metadata: { name, namespace } }`) for the Secrets workloads reference by
   * name that the objects do not hold and no Certificate of the objects writes: created outside the chart.
   */
  public readonly referencedSecrets: any[];
  private readonly sections = new Map<any, string[]>();
  private readonly prefixes = new Map<any, string[]>();
  /** The objects, read through the one reader of synthesized objects. */
  public readonly set: ManifestSet;
  private readonly workloads: any[];

  constructor(private readonly docs: any[]) {
    this.set = new ManifestSet(docs);
    this.workloads = docs.filter((d) => WORKLOAD_KINDS.includes(d.kind));
    this.referencedSecrets = [];
    const issued = certificateSecretNames(docs);
    for (const w of this.workloads) {
      const ns = w.metadata?.namespace;
      for (const name of referencedNames(podSpecOf(w), 'Secret')) {
        const known = (d: any) => d.kind === 'Secret' && d.metadata?.name === name && (d.metadata?.namespace ?? '') === (ns ?? '');
        if (issued.has(name) || docs.some(known) || this.referencedSecrets.some(known)) continue;
        this.referencedSecrets.push({ kind: 'Secret', metadata: ns === undefined ? { name } : { name, namespace: ns } });
      }
    }
    const names = this.workloads.map((w) => camelCase(w.metadata?.labels?.['app.kubernetes.io/name'] ?? w.metadata?.name));
    this.workloads.forEach((w, i) => {
      const unique = names.filter((n) => n === names[i]).length === 1;
      const section = this.workloads.length === 1 ? [] : [unique ? names[i] : camelCase(w.metadata?.name)];
      this.sections.set(w, section);
    });
    for (const d of [...docs, ...this.referencedSecrets]) {
      if (!this.sections.has(d)) this.sections.set(d, this.owner(d) ? this.sections.get(this.owner(d))! : []);
    }
    this.assignPrefixes();
  }

  /** The workload an object belongs to, if any. */
  public owner(doc: any): any {
    if (WORKLOAD_KINDS.includes(doc.kind)) return doc;
    const name = doc.metadata?.name;
    switch (doc.kind) {
      case 'Service':
        return this.workloads.find((w) => mapSelects(doc.spec?.selector, podLabels(w)));
      case 'Ingress': {
        for (const svcName of ingressBackends(doc).map((b) => b.serviceName)) {
          const svc = this.docs.find((d) => d.kind === 'Service' && d.metadata?.name === svcName);
          const w = svc && this.owner(svc);
          if (w) return w;
        }
        return undefined;
      }
      case 'PodDisruptionBudget':
        return this.workloads.find((w) => selectsOnly(doc.spec?.selector, podLabels(w)));
      case 'NetworkPolicy':
        return this.workloads.find((w) => selectsOnly(doc.spec?.podSelector, podLabels(w)));
      case 'HorizontalPodAutoscaler': {
        // A stand-in HPA (made for the autoscaling switch) is not among the objects.
        const target = this.set.scaleTargetOf(this.set.refOf(doc) ?? objectRef(doc)!)?.raw;
        return this.workloads.includes(target) ? target : undefined;
      }
      case 'PersistentVolumeClaim':
      case 'ConfigMap':
      case 'Secret':
        return this.workloads.find((w) => referencedNames(podSpecOf(w), doc.kind).has(name));
      default:
        return undefined;
    }
  }

  /** The object of `kind` named `name` in `namespace` (any namespace when undefined). */
  public find(kind: string, name: string, namespace?: string): any {
    return this.docs.find((d) => d.kind === kind && d.metadata?.name === name
      && (namespace === undefined || (d.metadata?.namespace ?? '') === namespace));
  }

  /** The Ingresses that name the Secret `name` (same namespace) in their `spec.tls`. */
  public tlsIngresses(name: string, namespace: string): any[] {
    return this.docs.filter((d) => d.kind === 'Ingress' && (d.metadata?.namespace ?? '') === namespace
      && (d.spec?.tls ?? []).some((t: any) => t?.secretName === name));
  }

  /** A Secret no workload references and an Ingress names for TLS: its name is the Ingress's value. */
  public isIngressTlsSecret(doc: any): boolean {
    return doc.kind === 'Secret' && !this.owner(doc) && this.tlsIngresses(doc.metadata?.name, doc.metadata?.namespace ?? '').length > 0;
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
    const doc = this.docs.find((d) => d.kind === 'Secret' && d.metadata?.name === name)
      ?? this.referencedSecrets.find((d) => d.metadata?.name === name);
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
        const found = group.find((d) => d.metadata?.name === claim && (d.metadata?.namespace ?? '') === (workload.metadata?.namespace ?? ''));
        if (found) return found;
      }
    }
    return group[0];
  }

  private assignPrefixes(): void {
    const bases: Record<string, string> = {
      Service: 'service', Ingress: 'ingress', PersistentVolumeClaim: 'persistence', ConfigMap: 'config', Secret: 'secrets',
    };
    for (const [kind, base] of Object.entries(bases)) {
      const groups = new Map<string, any[]>();
      const extra = kind === 'Secret' ? this.referencedSecrets : [];
      for (const d of [...this.docs.filter((x) => x.kind === kind && !this.isIngressTlsSecret(x)), ...extra]) {
        const k = this.section(d).join('.');
        groups.set(k, [...(groups.get(k) ?? []), d]);
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
