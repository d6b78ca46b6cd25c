/**
 * The model of the chart (internal, not part of the public API).
 *
 * The planner turns each synthesized object into a `DocPlan`: the object, the template file it
 * becomes, an optional condition around it, the `slots` (fields of the object replaced by template
 * expressions) and the `params` (the values the slots read). The merge of the environments reads the
 * plans of every environment; the files are written from the merged model.
 */
import { ValidationFinding } from '../../../core/report';
import { KubeObject } from '../../../manifests';

/** JSON Schema type of a value. */
export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

/** One value of values.yaml, with what the schema and the README say about it. */
export interface ParamSpec {
  /** Path in `.Values`, e.g. ['backend', 'image', 'tag']. */
  readonly path: string[];
  readonly type: ParamType;
  readonly description: string;
  /**
   * The description in values.schema.json when it differs from `description` (values.yaml, README):
   * one that does not name the object, so the workloads' equal standard values share one definition.
   */
  readonly schemaDescription?: string;
  /** The value read from this environment's objects (or the parameter's default). */
  readonly value: unknown;
  /** Listed in the schema's `required` (default true: every derived value has a default). */
  readonly required?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  /** A switch that turns an optional object on or off (set to "off" when an environment lacks it). */
  readonly toggleOff?: unknown;
  /** Text that also accepts numbers and booleans from `--set` (the template quotes them). */
  readonly anyScalar?: boolean;
  /** The object does not hold this value (e.g. no replicas under an HPA): other environments keep the default's value. */
  readonly fallback?: boolean;
  /** Declared by the user with ValueParameter (not derived): the construct path of that ValueParameter. */
  readonly user?: string;
  /** Carried by a label link (see `Slot.link`): kept only while that link is. */
  readonly link?: string;
  /** Further JSON Schema keywords of the value (items, properties, a type list...), merged into its schema. */
  readonly schema?: Readonly<Record<string, unknown>>;
  /** The tag of an image: the schema refuses "latest" while `environment` is production. */
  readonly imageTag?: boolean;
}

/** How a slot's token is turned into template text. */
export type SlotRender =
  /** The token (and quotes around it) becomes `expr`. */
  | { readonly mode: 'inline'; readonly expr: string }
  /** The token becomes `{{- toYaml <ref> | nindent N }}`. */
  | { readonly mode: 'block'; readonly ref: string }
  /** The whole line holding the token is replaced: `wrap(indent, prefix)` where prefix is the line up to the token. */
  | { readonly mode: 'line'; readonly wrap: (indent: string, prefix: string) => string }
  /**
   * The field's lines as the plain object has them are wrapped: `wrap(indent, prefix, original)`, where
   * `original` is the text the field would have without this slot (for "the user's value, else the plain one").
   */
  | { readonly mode: 'wrap'; readonly wrap: (indent: string, prefix: string, original: string) => string };

/** A field of an object that becomes a template expression. */
export interface Slot {
  /** JSON pointer segments into the object; the last segment may name a field the object lacks. */
  readonly pointer: string[];
  readonly render: SlotRender;
  /**
   * Move the field first or last in its map, so the template text is the same whether or not the
   * plain object has the field (for fields a slot may add).
   */
  readonly placement?: 'first' | 'last';
  /**
   * A label that follows a value (`derive/labels.ts`), e.g. "metadata/labels/environment=environment".
   * The chart keeps the link only when every environment holding the object links the label the same way.
   */
  readonly link?: string;
  /**
   * A standard slot that gives way to a user's ValueParameter bound at or inside its field (instead
   * of refusing the binding); the values listed here go with it.
   */
  readonly soft?: { readonly params: readonly string[] };
}

/** An object of the chart, ready to become one template (or, for `outOfChart`, none). */
export interface DocPlan {
  /** `Kind/namespace/name`, stable across environments. */
  readonly key: string;
  readonly doc: KubeObject;
  /** File name under templates/. */
  readonly file: string;
  /** Go template condition around the whole file, e.g. `.Values.ingress.enabled`. */
  readonly condition?: string;
  readonly slots: Slot[];
  readonly params: ParamSpec[];
  /** Where the object's values live: its workload section, its own prefix and the key of the workload it belongs to. */
  readonly valuesAt?: PlanValues;
  /**
   * The key of the workload whose template file also holds this object (its HPA, created
   * ServiceAccount, PodDisruptionBudget and NetworkPolicies): fewer files and one header of names
   * for all of them keep `helm template` fast. Undefined: the object has a file of its own.
   */
  readonly companionOf?: string;
  /**
   * A Secret the chart does not hold (the plain YAML carries its data, and a chart never carries
   * secret values; or the workloads only name it): `doc` is a stub with its type and key names only,
   * no file is written, and NOTES.txt / README.md say how to create it.
   */
  readonly outOfChart?: OutOfChartSecret;
}

/** Where the values of a plan's object live (for the switch of an object some environments lack). */
export interface PlanValues {
  readonly section: readonly string[];
  readonly prefix: readonly string[];
  /** The key of the workload the object belongs to, when another object. */
  readonly owner?: string;
}

/** A Secret the user creates before installing, out of band: name, type and key names (never values). */
export interface OutOfChartSecret {
  readonly name: string;
  /** Secret type, such as Opaque or kubernetes.io/tls. */
  readonly type: string;
  readonly keys: string[];
  /** The value naming the Secret the objects read (`existingSecret`, or the Ingress `tls.secretName`), if any. */
  readonly nameValue?: string[];
  /** Go template condition under which the Secret is needed (the Ingress TLS switches), if any. */
  readonly condition?: string;
  /**
   * The objects only reference the Secret by name (it is not in the plain YAML): `keys` are those the
   * workloads name, the type is unknown (Opaque assumed).
   */
  readonly referenced?: boolean;
  /** The workloads read keys the objects do not name (envFrom, or a whole-Secret volume). */
  readonly keysIncomplete?: boolean;
}

/**
 * What keeps the objects from becoming one chart, as every finding says it: where (the construct
 * path of the object, the ValueParameter or the HelmChart), the field, the value and what is expected.
 */
export interface ChartProblem extends ValidationFinding {
  readonly path: string;
}

/** A DNS-1123 subdomain (the name of a Secret). */
export const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
