/**
 * The one contract of the chart's derivers: what a deriver receives and what it returns.
 *
 * The planner (`template-plans.ts`) finds the deriver of each object through one table from kind to
 * deriver (`table.ts`, the way helmify registers one processor per kind) and hands it a
 * `DeriveInput`: the object, the release context of its environment and the values section the
 * object owns. The deriver returns a `Derivation`: the fields of its kind that become template
 * expressions (`slots`), the values they read (`params`), the condition that switches the object,
 * and, where its kind needs it, fields the template holds whatever the environment's object has,
 * where the object goes (the file of the workload it belongs to, the key the environments match it
 * by), objects the chart adds beside it, the problems that keep it from becoming a template, or that
 * it is no template at all (a Secret the chart does not hold).
 *
 * What every object gets whatever its kind is the planner's, not a deriver's: the user's
 * ValueParameter bindings, the labels that follow values, release-awareness (names, references,
 * instance labels, namespaces, DNS names) and the chart's own labels.
 */
import { DnsIndex } from './release/dns';
import { ValidationFinding } from '../../../core/report';
import { KubeObject } from '../../../manifests';
import { OutOfChartSecret, ParamSpec, Slot } from '../model/template-model';
import { ReleaseNames } from '../release-names';
import { Layout, ValuesSection } from '../value-sections';

/** Everything a deriver may read about the environment of its object. */
export interface ReleaseContext {
  readonly chartName: string;
  /** The environment's objects (through `ManifestSet`, `layout.set`) and where each one's values live. */
  readonly layout: Layout;
  /** The names the release makes, and how templates print them. */
  readonly release: ReleaseNames;
  /** The in-cluster DNS names of the chart's Services, found in text. */
  readonly dns: DnsIndex;
  /**
   * The texts of each ConfigMap entry (`<namespace>/<name>/<key>`) across all environments: which
   * Services an entry names is decided over every environment's text.
   */
  readonly configTexts: ReadonlyMap<string, readonly string[]>;
  /**
   * The workloads (`Kind/namespace/name`) whose pods some environment spreads over nodes the way
   * cdk8s-deploykit's workloads do from 2 replicas on: their template holds that spread under
   * `podAntiAffinityPreset` in every environment (`workloads/affinity.ts`).
   */
  readonly hostSpread: ReadonlySet<string>;
  /**
   * Whether the environments' versions of an object differ at a field (a JSON pointer's segments) or
   * inside it: such a field becomes a value where its kind allows (a container's probes).
   */
  readonly varies: (doc: KubeObject, pointer: readonly string[]) => boolean;
  /**
   * Whether every environment's version of an object holds equal values at two fields (JSON
   * pointers' segments): a value may then print both (the containers sharing `securityContext`).
   */
  readonly agree: (doc: KubeObject, a: readonly string[], b: readonly string[]) => boolean;
}

/** What a deriver receives for one object. */
export interface DeriveInput {
  /** The object as synthesized (never changed). */
  readonly doc: KubeObject;
  readonly ctx: ReleaseContext;
  /** The values section the object owns: its prefix in values.yaml, its section and the workload it belongs to. */
  readonly values: ValuesSection;
  /** False for an object the environment only names (a Secret the workloads reference that the objects do not hold). */
  readonly held: boolean;
}

/** A problem of the object (or of `object`, when another one), reported at the construct that made it. */
export interface ObjectProblem extends ValidationFinding {
  readonly object?: KubeObject;
}

/** An object the chart renders beside the derived one, though the plain YAML lacks it (a stand-in HPA, a created ServiceAccount). */
export interface AddedObject {
  readonly doc: KubeObject;
  readonly derivation: Derivation;
}

/** A field of the template, at `pointer`, with the value the template holds there. */
export interface TemplateField {
  readonly pointer: readonly string[];
  readonly value: unknown;
}

/**
 * Annotations an object's kind adds to its plain ones (`ingress.annotations`, a claim's
 * `helm.sh/resource-policy`): the planner writes them with `commonAnnotations` in one slot
 * (`common-metadata.ts`), so no key is written twice. They win over `commonAnnotations`.
 */
export interface AnnotationAdditions {
  /** A map value (`.Values...`) whose entries are added. */
  readonly map?: string;
  /** Annotations of fixed keys, each written while its expression is not empty. */
  readonly fixed?: readonly { readonly key: string; readonly expr: string }[];
  /** The values these read: they give way to a user's ValueParameter bound at the annotations (`Slot.soft`). */
  readonly params: readonly string[];
}

/** What a deriver returns for one object. */
export interface Derivation {
  /** The fields of the object that become template expressions. */
  readonly slots: Slot[];
  /** Annotations added to the plain ones (never a slot of the deriver's own at metadata.annotations). */
  readonly annotations?: AnnotationAdditions;
  /** The values the slots read (values.yaml, the schema, the README). */
  readonly params: ParamSpec[];
  /**
   * Go template condition around the object (its switch). Any object may be missing from an
   * environment: where its own switch cannot say so, the merge of the environments adds one.
   */
  readonly condition?: string;
  /**
   * Fields the template holds whatever this environment's object has there (the spread of the pods
   * over nodes, `podAntiAffinityPreset`): the planner writes them into its copy of the object, so each
   * environment's template text is the same and values decide what renders.
   */
  readonly fields?: readonly TemplateField[];
  /** The workload whose template file holds this object too (its HPA, PDB, NetworkPolicies, created ServiceAccount). */
  readonly companionOf?: KubeObject;
  /** The key the environments match the object by, when not `Kind/namespace/name` (an HPA: its workload's). */
  readonly key?: string;
  /**
   * The object is no template: a Secret the chart does not hold (it never carries secret values).
   * `stub` is what the environments must agree on (kind, name, type, key names; never the values).
   */
  readonly outOfChart?: { readonly secret: OutOfChartSecret; readonly stub: KubeObject };
  /** Objects the chart adds beside this one, in its file. */
  readonly added?: readonly AddedObject[];
  /** What keeps the object (or another) from becoming a template as it is. */
  readonly problems?: readonly ObjectProblem[];
}

/**
 * Derives the standard values of one kind of object. Returns undefined when the object gets no plan
 * at all (an HPA the chart leaves out: its workload reports it).
 */
export type Deriver = (input: DeriveInput) => Derivation | undefined;

/** No standard values: only what every object gets. */
export function nothing(): Derivation {
  return { slots: [], params: [] };
}
