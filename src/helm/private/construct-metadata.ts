/**
 * How ValueParameter records itself and its bindings in the construct tree, so the chart
 * synthesizer can read them from a cdk8s Chart next to the synthesized objects; and which construct
 * made each object, so a problem names the construct path like every other finding.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { docKey } from './model/json-pointers';
import { ParamType } from './model/template-model';

/** Metadata type on a ValueParameter node: its definition. */
export const PARAMETER_METADATA = 'cdk8s-deploykit:helm-value-parameter';
/** Metadata type on an ApiObject node: one field bound to a parameter. */
export const BINDING_METADATA = 'cdk8s-deploykit:helm-value-binding';

/** A ValueParameter's definition as recorded in metadata. */
export interface ParameterRecord {
  readonly parameterName: string;
  readonly parameterType: ParamType;
  readonly defaultValue?: unknown;
  readonly description: string;
  readonly required: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enumValues?: unknown[];
  readonly pattern?: string;
  /** Construct path of the ValueParameter (for messages). */
  readonly constructPath: string;
}

/** One bound field as recorded in metadata. */
export interface BindingRecord {
  readonly parameterName: string;
  readonly jsonPointer: string;
  readonly constructPath: string;
}

/** A binding with the object it belongs to. */
export interface ObjectBinding extends BindingRecord {
  /** `Kind/namespace/name` of the bound object. */
  readonly objectKey: string;
}

function recordsOf<T>(c: IConstruct, type: string): T[] {
  return c.node.metadata.filter((m) => m.type === type).map((m) => m.data as T);
}

/** The ValueParameters declared inside a chart, in construct order. */
export function chartParameters(chart: Chart): ParameterRecord[] {
  return chart.node.findAll().flatMap((c) => recordsOf<ParameterRecord>(c, PARAMETER_METADATA));
}

/** The bound fields of a chart's objects, keyed to the synthesized objects. */
export function chartBindings(chart: Chart): ObjectBinding[] {
  const out: ObjectBinding[] = [];
  for (const c of chart.node.findAll()) {
    const records = recordsOf<BindingRecord>(c, BINDING_METADATA);
    if (records.length === 0 || !ApiObject.isApiObject(c)) continue;
    const key = docKey(c.toJson());
    for (const r of records) out.push({ ...r, objectKey: key });
  }
  return out;
}

/**
 * The construct path of each object of a chart by `Kind/namespace/name`, read from the ApiObjects
 * (no synthesis); an object no ApiObject of the chart names (renamed by a patch) is named by itself.
 * The paths are looked up only for a problem, so they are read on first use.
 */
export function objectPaths(chart: Chart): (key: string) => string {
  let paths: Map<string, string> | undefined;
  return (key) => {
    if (!paths) {
      paths = new Map();
      for (const c of chart.node.findAll()) {
        if (!ApiObject.isApiObject(c)) continue;
        const k = `${c.kind}/${c.metadata.namespace ?? ''}/${c.name}`;
        if (!paths.has(k)) paths.set(k, c.node.path);
      }
    }
    return paths.get(key) ?? `${chart.node.path}: ${key.replace(/^([^/]*)\/([^/]*)\/(.*)$/, (_, kind, ns, name) => `${kind} ${ns ? `${ns}/` : ''}${name}`)}`;
  };
}
