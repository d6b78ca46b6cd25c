import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { BINDING_METADATA, BindingRecord, PARAMETER_METADATA, ParameterRecord } from './private/construct-metadata';
import { Findings } from '../core/findings';
import { portableRegex, valuesPath } from './private/chart-rules';
import { checkArgs, checkProps } from '../core/validation';
import { getAt, parsePointer } from './private/model/json-pointers';

/** The type of a Helm value (its JSON Schema type). */
export enum ValueParameterType {
  /** Text; rendered quoted. */
  STRING = 'string',
  /** A whole number. */
  INTEGER = 'integer',
  /** Any number. */
  NUMBER = 'number',
  /** true or false. */
  BOOLEAN = 'boolean',
  /** A map, rendered with toYaml. */
  OBJECT = 'object',
  /** A list, rendered with toYaml. */
  ARRAY = 'array',
}

/** Props of a ValueParameter (seed entity "Value Parameters"). */
export interface ValueParameterProps {
  /** Dotted camelCase path in the chart's values, such as "logLevel" or "api.timeoutSeconds". */
  readonly parameterName: string;
  /** Type of the value; values.schema.json enforces it. */
  readonly parameterType: ValueParameterType;
  /**
   * Default value, of `parameterType`. Bound fields carry it in the plain YAML.
   * @default - the value of the first bound field in the synthesized object
   */
  readonly defaultValue?: any; // any: jsii names a value of any JSON type so (parameterType says which)
  /** What the value controls; becomes its comment in values.yaml and its row in the chart README. */
  readonly description: string;
  /**
   * The value must be present (the schema lists it as required). A required parameter needs a defaultValue.
   * @default false
   */
  readonly required?: boolean;
  /**
   * Smallest allowed number (INTEGER or NUMBER).
   * @default - no minimum
   */
  readonly minimum?: number;
  /**
   * Largest allowed number (INTEGER or NUMBER).
   * @default - no maximum
   */
  readonly maximum?: number;
  /**
   * The only allowed values.
   * @default - any value of the type
   */
  readonly enumValues?: any[]; // any: jsii names values of any JSON type so (parameterType says which)
  /**
   * Regular expression a STRING must match (no lookaround or backreferences: Helm uses Go RE2).
   * @default - any string
   */
  readonly pattern?: string;
}

/**
 * A user-defined Helm value. Declare it inside a cdk8s Chart, then `bind()` it to fields of that
 * chart's objects: the plain YAML carries the default there, and the Helm chart renders
 * `{{ .Values.<parameterName> }}` in its place, with values.yaml, the schema and the README
 * documenting it.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, HelmChart, ValueParameter, ValueParameterType } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * const api = new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 * });
 *
 * // values.yaml gets `terminationGracePeriodSeconds: 45` with this description, the schema an
 * // integer from 0 to 600, and the Deployment template {{ .Values.terminationGracePeriodSeconds }}.
 * const gracePeriod = new ValueParameter(chart, 'grace-period', {
 *   parameterName: 'terminationGracePeriodSeconds',
 *   parameterType: ValueParameterType.INTEGER,
 *   defaultValue: 45,
 *   minimum: 0,
 *   maximum: 600,
 *   description: 'Seconds the API gets to finish its requests when a pod stops',
 * });
 * gracePeriod.bind(api.deployment, '/spec/template/spec/terminationGracePeriodSeconds');
 *
 * const helm = new HelmChart(app, 'helm', { chartName: 'shop', chartVersion: '1.0.0', chart });
 * app.synth();
 * helm.writeTo('dist/helm');
 */
export class ValueParameter extends Construct {
  /** Dotted camelCase path of the value, such as `image.tag`. */
  public readonly parameterName: string;
  /** JSON type of the value. */
  public readonly parameterType: ValueParameterType;
  /** Default value, as in values.yaml. */
  public readonly defaultValue?: any; // any: jsii names a value of any JSON type so (parameterType says which)
  /** What the value controls (the comment above it in values.yaml, and the README table). */
  public readonly description: string;
  /** Whether values.schema.json requires the value. */
  public readonly required: boolean;
  private readonly bindings: { apiObject: ApiObject; jsonPointer: string }[] = [];
  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: ValueParameterProps) {
    super(scope, id);
    // Checks that depend on bindings or on the other parameters run at synth time.
    this.node.addValidation({ validate: () => this.lateFindings().messages() });
    const findings = this.findings = Findings.attach(this);
    props = checkProps(findings, 'ValueParameterProps', props);
    this.parameterName = props.parameterName;
    this.parameterType = props.parameterType;
    this.defaultValue = props.defaultValue;
    this.description = props.description;
    this.required = props.required ?? false;
    this.checkDefinition(props, findings);
    const record: ParameterRecord = {
      parameterName: props.parameterName,
      parameterType: props.parameterType,
      defaultValue: props.defaultValue,
      description: props.description,
      required: this.required,
      minimum: props.minimum,
      maximum: props.maximum,
      enumValues: props.enumValues,
      pattern: props.pattern,
      constructPath: this.node.path,
    };
    this.node.addMetadata(PARAMETER_METADATA, record);
  }

  /**
   * Makes the field at `jsonPointer` (RFC 6901, such as "/spec/template/spec/containers/0/args/0")
   * of `apiObject` this value: the plain YAML gets the default there, the Helm chart the template
   * expression. The object must be in the same Chart.
   */
  public bind(apiObject: ApiObject, jsonPointer: string): void {
    [apiObject, jsonPointer] = checkArgs(this.findings, 'ValueParameter', 'bind', [apiObject, jsonPointer]) as [ApiObject, string];
    if (apiObject === undefined || jsonPointer === undefined) return;
    this.bindings.push({ apiObject, jsonPointer });
    const record: BindingRecord = { parameterName: this.parameterName, jsonPointer, constructPath: this.node.path };
    apiObject.node.addMetadata(BINDING_METADATA, record);
    const pointer = parsePointer(jsonPointer);
    // Only a field whose parent exists can take the default; the validation reports the others.
    if (this.defaultValue !== undefined && pointer && parentExists(apiObject, pointer)) {
      apiObject.addJsonPatch(JsonPatch.add(jsonPointer, this.defaultValue));
    }
  }

  private checkDefinition(props: ValueParameterProps, findings: Findings): void {
    findings.check('parameterName', props.parameterName, valuesPath);
    if (!Object.values(ValueParameterType).includes(props.parameterType)) {
      findings.add('parameterType', props.parameterType, `one of ${Object.values(ValueParameterType).join(', ')}`);
      return;
    }
    if (!props.description || props.description.trim() === '') findings.add('description', props.description, 'a sentence saying what the value controls');
    const type = props.parameterType;
    const typed = (v: unknown) => matchesType(v, type);
    const numeric = type === ValueParameterType.INTEGER || type === ValueParameterType.NUMBER;
    if (this.required && props.defaultValue === undefined) {
      findings.add('defaultValue', undefined, 'a defaultValue: a required parameter must have a default (seed rule "Required parameters must have default values")');
    }
    if (props.defaultValue !== undefined && !typed(props.defaultValue)) {
      findings.add('defaultValue', props.defaultValue, `a value of type ${type} (parameterType)`);
    }
    for (const [field, bound] of [['minimum', props.minimum], ['maximum', props.maximum]] as const) {
      if (bound === undefined) continue;
      if (!numeric) findings.add(field, bound, 'no bound: minimum and maximum apply to INTEGER and NUMBER parameters only');
      else if (!Number.isFinite(bound)) findings.add(field, bound, 'a finite number');
    }
    if (numeric && props.minimum !== undefined && props.maximum !== undefined && props.minimum > props.maximum) {
      findings.add('maximum', props.maximum, `a number at least minimum (${props.minimum})`);
    }
    if (numeric && typeof props.defaultValue === 'number') {
      if (props.minimum !== undefined && props.defaultValue < props.minimum) findings.add('defaultValue', props.defaultValue, `a number at least minimum (${props.minimum})`);
      if (props.maximum !== undefined && props.defaultValue > props.maximum) findings.add('defaultValue', props.defaultValue, `a number at most maximum (${props.maximum})`);
    }
    if (props.enumValues !== undefined) {
      if (props.enumValues.length === 0) findings.add('enumValues', props.enumValues, 'at least one allowed value');
      const wrong = props.enumValues.filter((v) => !typed(v));
      if (wrong.length > 0) findings.add('enumValues', wrong, `values of type ${type} (parameterType)`);
      if (props.defaultValue !== undefined && typed(props.defaultValue) && wrong.length === 0
        && !props.enumValues.some((v) => JSON.stringify(v) === JSON.stringify(props.defaultValue))) {
        findings.add('defaultValue', props.defaultValue, `one of enumValues (${props.enumValues.map((v) => JSON.stringify(v)).join(', ')})`);
      }
    }
    if (props.pattern !== undefined) {
      if (type !== ValueParameterType.STRING) {findings.add('pattern', props.pattern, 'no pattern: it applies to STRING parameters only');} else if (findings.check('pattern', props.pattern, portableRegex) && typeof props.defaultValue === 'string'
        && !new RegExp(props.pattern).test(props.defaultValue)) {
        findings.add('defaultValue', props.defaultValue, `a string matching pattern ${props.pattern}`);
      }
    }
  }

  private lateFindings(): Findings {
    const findings = new Findings();
    if (this.defaultValue === undefined && this.bindings.length === 0 && !this.required) {
      findings.add('defaultValue', undefined, 'a defaultValue, or a bind() to a field whose synthesized value becomes the default');
    }
    let chart: Chart | undefined;
    try {
      chart = Chart.of(this);
    } catch {
      findings.add('scope', this.node.path, 'a construct inside a cdk8s Chart (parameters belong to one chart)');
    }
    if (chart && this.parameterName !== undefined) {
      const same = chart.node.findAll().filter((c): c is ValueParameter => c instanceof ValueParameter && c !== this);
      const clash = same.find((o) => o.parameterName === this.parameterName);
      if (clash) findings.add('parameterName', this.parameterName, `a name unique in the chart (${clash.node.path} uses it too)`);
      const nested = same.find((o) => o.parameterName !== undefined && o.parameterName.startsWith(`${this.parameterName}.`) || this.parameterName.startsWith(`${o.parameterName}.`));
      if (nested) findings.add('parameterName', this.parameterName, `a path that neither contains nor is inside ${nested.parameterName} (${nested.node.path})`);
    }
    const seen = new Set<string>();
    this.bindings.forEach(({ apiObject, jsonPointer }, i) => {
      const field = `bind[${i}]`;
      const pointer = parsePointer(jsonPointer);
      if (!pointer) {
        findings.add(`${field}.jsonPointer`, jsonPointer, 'a JSON pointer such as "/spec/replicas" (RFC 6901: "/" before each key, "~1" for "/" inside a key)');
        return;
      }
      const id = `${apiObject.node.path}#${jsonPointer}`;
      if (seen.has(id)) findings.add(`${field}.jsonPointer`, jsonPointer, 'a field bound once');
      seen.add(id);
      if (chart && !sameChart(apiObject, chart)) findings.add(`${field}.apiObject`, apiObject.node.path, `an object in the parameter's chart (${chart.node.path})`);
      const json = apiObject.toJson();
      const parent = getAt(json, pointer.slice(0, -1));
      if (parent === null || typeof parent !== 'object') {
        findings.add(`${field}.jsonPointer`, jsonPointer, `a field of ${apiObject.kind} ${json?.metadata?.name} whose parent exists`);
      } else if (this.defaultValue === undefined
        && !matchesType((parent as Record<string, unknown>)[pointer[pointer.length - 1]], this.parameterType)) {
        findings.add(`${field}.jsonPointer`, jsonPointer, `a field holding a ${this.parameterType} (it becomes the default), or a defaultValue`);
      }
    });
    return findings;
  }
}

function parentExists(apiObject: ApiObject, pointer: string[]): boolean {
  try {
    const parent = getAt(apiObject.toJson(), pointer.slice(0, -1));
    return parent !== null && typeof parent === 'object';
  } catch {
    return false;
  }
}

function sameChart(c: IConstruct, chart: Chart): boolean {
  try {
    return Chart.of(c) === chart;
  } catch {
    return false;
  }
}

function matchesType(v: unknown, type: ValueParameterType): boolean {
  switch (type) {
    case ValueParameterType.STRING: return typeof v === 'string';
    case ValueParameterType.INTEGER: return typeof v === 'number' && Number.isInteger(v);
    case ValueParameterType.NUMBER: return typeof v === 'number' && Number.isFinite(v);
    case ValueParameterType.BOOLEAN: return typeof v === 'boolean';
    case ValueParameterType.OBJECT: return v !== null && typeof v === 'object' && !Array.isArray(v) && isJsonData(v);
    case ValueParameterType.ARRAY: return Array.isArray(v) && isJsonData(v);
    default: return false;
  }
}

/**
 * Whether `v` is data a values file can hold: strings, finite numbers, booleans, null, arrays and
 * plain objects of them. A construct or any other class instance (a JavaScript caller may pass one)
 * is not, and neither is a cycle.
 */
function isJsonData(v: unknown, open: Set<unknown> = new Set()): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object' || open.has(v)) return false;
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return false;
  open.add(v);
  const ok = Object.values(v as object).every((item) => isJsonData(item, open));
  open.delete(v);
  return ok;
}
