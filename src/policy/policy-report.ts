/**
 * What `PolicyCheck` reports: findings (schema, Pod Security Standards, `ManifestPolicy`, waivers),
 * the waivers that turned findings into accepted exceptions, and the objects it skipped.
 */
import { ManifestPolicyOptions, PolicyLevel, PolicyViolation } from './policy-types';
import { PodSecurityLevel } from '../core/pod-security';

/** Options of `PolicyCheck.run`: the Pod Security Standards level, the schema, and `ManifestPolicy`'s rules and thresholds. */
export interface PolicyCheckOptions extends ManifestPolicyOptions {
  /**
   * The Pod Security Standards level the target namespaces enforce: BASELINE leaves out the controls
   * only the restricted level has.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly level?: PodSecurityLevel;
  /**
   * Validate every object against the Kubernetes schema (made strict) and the CRDs the library
   * ships (rule `k8s-schema`). Custom resources of other kinds are skipped.
   * @default true
   */
  readonly schema?: boolean;
  /**
   * The Kubernetes version whose schema the objects are checked against: "1.28" (what the
   * constructs emit) or "1.34" (a "v" and a patch number are accepted, as "v1.34.2"). A field only
   * a newer version knows is an unknown field, naming the version; an API version the cluster no
   * longer serves is an error naming its replacement. The Pod Security Standards and the manifest
   * rules are the same for every version. Throws for a version the check does not know, listing
   * the ones it knows.
   * @default "1.28"
   */
  readonly kubernetesVersion?: string;
}

/** One finding of `PolicyCheck`, on the object at `objectIndex` of the checked list. */
export interface PolicyFinding extends PolicyViolation {
  /** The position of the object in the list given to `PolicyCheck.run`. */
  readonly objectIndex: number;
  /**
   * The reason of the waiver that accepted this finding (findings in `PolicyReport.waived` only).
   * @default - not waived
   */
  readonly waiverReason?: string;
}

/** One waiver an object declares (`deploykit.dev/waive: "<rule-id>: <reason>"`). */
export interface PolicyWaiver {
  /** Kind of the object that declares it. */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   * @default - the object has no namespace
   */
  readonly namespace?: string;
  /** The position of the object in the checked list. */
  readonly objectIndex: number;
  /** The rule id it waives. */
  readonly rule: string;
  /** Why (empty for a waiver without a reason, which is itself an error). */
  readonly reason: string;
  /** How many findings it turned into waivers (0: nothing to waive, or no reason given). */
  readonly waivedCount: number;
}

/** An object `PolicyCheck` did not validate: a custom resource of a kind whose CRD the library does not ship. */
export interface PolicySkip {
  readonly kind: string;
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   * @default - the object has no namespace
   */
  readonly namespace?: string;
  readonly apiVersion: string;
  /** The position of the object in the checked list. */
  readonly objectIndex: number;
  /** Why it was skipped. */
  readonly reason: string;
}

/** The outcome of `PolicyCheck.run`. */
export class PolicyReport {
  /** Findings that stand (not waived), in object order. */
  public readonly findings: PolicyFinding[];
  /** Findings a waiver with a reason accepted. */
  public readonly waived: PolicyFinding[];
  /** Every waiver the objects declare. */
  public readonly waivers: PolicyWaiver[];
  /** Objects not validated against a schema. */
  public readonly skipped: PolicySkip[];
  /** How many objects were checked. */
  public readonly objectCount: number;

  constructor(findings: PolicyFinding[], waived: PolicyFinding[], waivers: PolicyWaiver[], skipped: PolicySkip[], objectCount: number) {
    this.findings = findings;
    this.waived = waived;
    this.waivers = waivers;
    this.skipped = skipped;
    this.objectCount = objectCount;
  }

  /** The ERROR findings. */
  public get errors(): PolicyFinding[] {
    return this.findings.filter((f) => f.level === PolicyLevel.ERROR);
  }

  /** The WARNING findings. */
  public get warnings(): PolicyFinding[] {
    return this.findings.filter((f) => f.level === PolicyLevel.WARNING);
  }

  /** True when no ERROR finding stands. */
  public get passed(): boolean {
    return !this.findings.some((f) => f.level === PolicyLevel.ERROR);
  }
}
