/**
 * The one table from kind to deriver: the planner finds the deriver of every object here, the way
 * helmify registers one processor per kind. A kind the table lacks (RBAC, CRDs) gets no standard
 * values of its own, only what every object gets (release-awareness, label links, bindings).
 */
import { DeriveInput, Derivation, Deriver, nothing } from './deriver';
import { deriveCertManager } from './objects/cert-manager';
import { deriveConfigMap } from './objects/config-map';
import { deriveExternalSecret } from './objects/delivered-secrets';
import { deriveNetworkPolicy, derivePdb } from './objects/guards';
import { deriveIngress } from './objects/ingress';
import { deriveSecret } from './objects/secrets';
import { deriveService } from './objects/service';
import { derivePvc } from './objects/storage';
import { deriveHpa } from './workloads/scale';
import { deriveServiceAccount } from './workloads/service-account';
import { deriveWorkload } from './workloads/workload';

/** Derivers by kind; `with` makes a table with one more (or another) deriver. */
export class DeriverTable {
  private readonly byKind: ReadonlyMap<string, Deriver>;

  constructor(entries: Iterable<readonly [string, Deriver]>) {
    this.byKind = new Map(entries);
  }

  /** The kinds the table has a deriver for. */
  public get kinds(): string[] {
    return [...this.byKind.keys()];
  }

  /** The derivation of one object by the deriver of its kind (none: nothing of its own). */
  public derive(input: DeriveInput): Derivation | undefined {
    const deriver = this.byKind.get(input.doc.kind);
    return deriver ? deriver(input) : nothing();
  }

  /** This table with `deriver` for `kind` (replacing the one it had). */
  public with(kind: string, deriver: Deriver): DeriverTable {
    return new DeriverTable([...this.byKind, [kind, deriver]]);
  }
}

/** The chart's derivers. */
export const DERIVERS = new DeriverTable([
  ['Deployment', deriveWorkload],
  ['StatefulSet', deriveWorkload],
  ['DaemonSet', deriveWorkload],
  ['Job', deriveWorkload],
  ['CronJob', deriveWorkload],
  ['HorizontalPodAutoscaler', deriveHpa],
  ['Service', deriveService],
  ['Ingress', deriveIngress],
  ['PersistentVolumeClaim', derivePvc],
  ['ConfigMap', deriveConfigMap],
  ['Secret', deriveSecret],
  ['ServiceAccount', deriveServiceAccount],
  ['NetworkPolicy', deriveNetworkPolicy],
  ['PodDisruptionBudget', derivePdb],
  // cert-manager's, when they serve an Ingress (a Certificate of another API group gets nothing).
  ['Certificate', deriveCertManager],
  ['Issuer', deriveCertManager],
  // external-secrets.io's: its store a value, its target's name kept (a SealedSecret gets nothing of its own).
  ['ExternalSecret', deriveExternalSecret],
]);
