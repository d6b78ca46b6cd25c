/*
 * The runtime check layer at every public entry point. TypeScript checks the props of a TypeScript
 * caller; a JavaScript caller (or one in another jsii language) gets no such check, so each
 * constructor, static factory and public method that takes input starts with one line:
 *
 *     props = checkProps(findings, 'DeploymentManifestProps', props);
 *
 * It compares the props with the tables generated from the TypeScript types
 * (`private/prop-types.generated.ts`, by `npx projen gen:prop-types`): every enum value against its
 * enum, every required property present and of its kind (an entity where an entity is expected),
 * numbers finite, and no unknown property (with the closest known name). Each problem is a type
 * finding; the returned props hold a harmless stand-in instead of the bad value (the default for an
 * optional property, `undefined` otherwise), so the rules after it never meet a value of the wrong
 * kind and nothing throws. When all is well the props come back as they are: no copy is made.
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Findings } from './findings';
import { CLASSES, ENUMS, INTERFACES, STRUCTS } from './private/prop-types.generated';
import { ValidationError } from './report';
import { credentialWordOrTypo } from './secrets';
import { closestName } from './text';
import { addWarning } from './warnings';

type TypeNode =
  | { readonly k: 'any' | 'string' | 'number' | 'boolean' | 'fn' }
  | { readonly k: 'enum'; readonly name: string; readonly values: ReadonlySet<string>; readonly form: string }
  | { readonly k: 'class' | 'iface' | 'struct'; readonly name: string }
  | { readonly k: 'array' | 'map'; readonly of: TypeNode };

interface Property {
  readonly name: string;
  readonly type: TypeNode;
  readonly optional: boolean;
}

interface CompiledStruct {
  readonly name: string;
  readonly properties: readonly Property[];
  readonly known: ReadonlySet<string>;
}

const typeCache = new Map<string, TypeNode>();
const structCache = new Map<string, CompiledStruct>();
const paramCache = new Map<string, readonly Property[]>();

/** Parses a type spec of the generated tables, once. */
function typeOf(spec: string): TypeNode {
  let node = typeCache.get(spec);
  if (node) return node;
  if (spec.endsWith('[]')) {
    node = { k: 'array', of: typeOf(spec.slice(0, -2)) };
  } else if (spec.startsWith('{') && spec.endsWith('}')) {
    node = { k: 'map', of: typeOf(spec.slice(1, -1)) };
  } else if (spec.startsWith('enum:')) {
    const name = spec.slice(5);
    const values = ENUMS[name] ?? [];
    node = { k: 'enum', name, values: new Set(values), form: `one of ${values.join(', ')} (${name})` };
  } else if (/^(class|iface|struct):/.test(spec)) {
    const colon = spec.indexOf(':');
    node = { k: spec.slice(0, colon) as 'class' | 'iface' | 'struct', name: spec.slice(colon + 1) };
  } else if (['any', 'string', 'number', 'boolean', 'fn'].includes(spec)) {
    node = { k: spec as 'any' };
  } else {
    throw new Error(`unknown type spec "${spec}" in the generated prop types`);
  }
  typeCache.set(spec, node);
  return node;
}

function property(name: string, spec: string): Property {
  const optional = spec.endsWith('?');
  return { name, optional, type: typeOf(optional ? spec.slice(0, -1) : spec) };
}

function structOf(name: string): CompiledStruct {
  let compiled = structCache.get(name);
  if (compiled) return compiled;
  const table = STRUCTS[name];
  if (!table) throw new Error(`no generated prop types for "${name}": run \`npx projen gen:prop-types\``);
  const properties = Object.entries(table).map(([p, spec]) => property(p, spec));
  compiled = { name, properties, known: new Set(properties.map((p) => p.name)) };
  structCache.set(name, compiled);
  return compiled;
}

/** What a value of `type` looks like, for the `expected` part of a finding. */
export function describeType(type: TypeNode): string {
  switch (type.k) {
    case 'any': return 'any value';
    case 'string': return 'a string';
    case 'number': return 'a finite number';
    case 'boolean': return 'true or false';
    case 'fn': return 'a function';
    case 'enum': return type.form;
    case 'class': return `${article(type.name)} ${type.name} (made with ${constructorsOf(type.name).map((c) => `new ${c}(...)`).join(' or ')})`;
    case 'iface': return `an object implementing ${type.name}${INTERFACES[type.name] ? ` (${INTERFACES[type.name].join(', ')})` : ''}`;
    case 'struct': {
      const required = structOf(type.name).properties.filter((p) => !p.optional).map((p) => p.name);
      return `an object (${type.name})${required.length > 0 ? ` with ${required.join(', ')}` : ''}`;
    }
    case 'array': return `a list, each item ${describeType(type.of)}`;
    case 'map': return `an object whose values are each ${describeType(type.of)}`;
  }
}

/** "an" before a vowel sound of a class name, else "a". */
function article(name: string): string {
  return /^[AEIOU]/.test(name) ? 'an' : 'a';
}

/** The classes whose constructor makes a `name`: itself, or for an abstract class its public subclasses. */
function constructorsOf(name: string): string[] {
  if (CLASSES[name] === undefined || CLASSES[name].params.new) return [name];
  const concrete = Object.keys(CLASSES).filter((c) => CLASSES[c].params.new && isSubclass(c, name)).sort();
  return concrete.length > 0 ? concrete : [name];
}

/** Whether the public class `name` is `ancestor` or extends it (by the generated base classes). */
function isSubclass(name: string, ancestor: string): boolean {
  for (let c: string | undefined = name; c !== undefined; c = CLASSES[c]?.base) if (c === ancestor) return true;
  return false;
}

/**
 * When an object of another public class is given where a `className` is expected, its public
 * properties that hold one (`McpServerInstance.workload` where a WorkloadManifest is expected):
 * what to pass instead, as a sentence for the finding, or '' when it has none.
 */
function propertyToPass(value: unknown, className: string): string {
  if (value === null || typeof value !== 'object') return '';
  const given = Object.getPrototypeOf(value)?.constructor?.name as string | undefined;
  const held = new Set<string>();
  for (let c = given; c !== undefined && CLASSES[c] !== undefined; c = CLASSES[c].base) {
    for (const name of Object.keys(CLASSES[c].entities ?? {})) {
      let v: unknown;
      try {
        v = (value as Record<string, unknown>)[name];
      } catch {
        continue;
      }
      if (isInstanceOf(v, className)) held.add(name);
    }
  }
  if (held.size === 0 || given === undefined) return '';
  const variable = given.charAt(0).toLowerCase() + given.slice(1);
  const names = [...held].sort();
  return names.length === 1
    ? `; the ${given} given holds one: pass its property ${names[0]} (${variable}.${names[0]})`
    : `; the ${given} given holds some: pass one of its properties ${names.join(', ')} (${variable}.${names[0]}, ...)`;
}

/** Objects of the built-in classes that hold no properties of their own: no props or map, though they are objects. */
const NOT_DATA: ReadonlyArray<Function> = [Map, Set, WeakMap, WeakSet, Date, RegExp, Promise, Error, ArrayBuffer];

/** Whether `value` can be props or a map: an object that is no array, construct or built-in collection. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Construct.isConstruct(value)
    && !ArrayBuffer.isView(value) && !NOT_DATA.some((c) => value instanceof c);
}

/**
 * `value` as an object of Object's prototype, since cdk8s writes only objects whose `constructor` is
 * Object (it throws on the others): a map of another prototype (`Object.create(null)`, an instance of
 * the caller's own class) becomes a copy of its own properties, which are all a map has. A struct is
 * copied only without any prototype: an object of the caller's class may hold its props in getters.
 */
function asPlainData(value: Record<string, unknown>, map: boolean): Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || (!map && proto !== null) ? value : { ...value };
}

/** Whether `value` is an instance of the class `name` (by the class chain, so copies of a module still match). */
function isInstanceOf(value: unknown, name: string): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (name === 'Construct') return Construct.isConstruct(value);
  if (name === 'Chart') return Chart.isChart(value);
  if (name === 'ApiObject') return ApiObject.isApiObject(value);
  for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name === name) return true;
  }
  return false;
}

function implementsInterface(value: unknown, name: string): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (name === 'IConstruct') return Construct.isConstruct(value);
  const members = INTERFACES[name];
  return members === undefined || members.every((m) => (value as Record<string, unknown>)[m] !== undefined);
}

/**
 * Checks `value` against `type` at `field`, recording type findings. Returns `value` itself when it
 * is fine, else the stand-in (a copy without the bad parts, or `undefined`).
 */
function checkValue(findings: Findings, field: string, type: TypeNode, value: unknown, present: boolean): unknown {
  switch (type.k) {
    case 'any':
      return value;
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'fn':
      if (typeof value === 'function') return value;
      break;
    case 'enum':
      if (typeof value === 'string' && type.values.has(value)) return value;
      break;
    case 'class':
      if (isInstanceOf(value, type.name)) return value;
      break;
    case 'iface':
      if (implementsInterface(value, type.name)) return value;
      break;
    case 'struct':
      if (isPlainObject(value)) return checkStruct(findings, field, structOf(type.name), asPlainData(value, false));
      break;
    case 'array':
      if (Array.isArray(value)) return checkArray(findings, field, type.of, value);
      break;
    case 'map':
      if (isPlainObject(value)) return checkMap(findings, field, type.of, asPlainData(value, true));
      break;
  }
  // A string where a string is not expected may still be a password pasted into the wrong prop.
  const name = field.slice(Math.max(field.lastIndexOf('.'), field.lastIndexOf('(')) + 1);
  const instead = type.k === 'class' ? propertyToPass(value, type.name) : '';
  findings._addTypeProblem(field, value, `${describeType(type)}${instead}`, present, type.k === 'enum' ? undefined : name);
  return undefined;
}

/**
 * The props interfaces the library's own classes take, by interface name → class names. A construct
 * of another class (a user's subclass) may pass its own extended props through: unknown props are
 * then a warning, not an error.
 */
let ownersOf: Map<string, string[]> | undefined;
function isOwnClassProps(findings: Findings, structName: string): boolean {
  const scope = findings._scope;
  if (scope === undefined) return true;
  if (!ownersOf) {
    ownersOf = new Map();
    for (const [className, { params }] of Object.entries(CLASSES)) {
      for (const p of params.new ?? []) {
        const m = /^props:struct:(\w+)\??$/.exec(p);
        if (m) ownersOf.set(m[1], [...(ownersOf.get(m[1]) ?? []), className]);
      }
    }
  }
  return (ownersOf.get(structName) ?? []).includes(scope.constructor.name);
}

function checkStruct(
  findings: Findings, field: string, struct: CompiledStruct, value: Record<string, unknown>, lenient = false,
): Record<string, unknown> {
  let out = value;
  const prefix = field === '' ? '' : `${field}.`;
  for (const p of struct.properties) {
    const v = value[p.name];
    let checked: unknown;
    if (v === undefined || v === null) {
      // JavaScript's null (Python's None) means "not set", as jsii treats it.
      if (!p.optional) findings._addTypeProblem(`${prefix}${p.name}`, v, describeType(p.type), p.name in value);
      checked = undefined;
    } else {
      checked = checkValue(findings, `${prefix}${p.name}`, p.type, v, true);
    }
    if (checked !== v) {
      if (out === value) out = { ...value };
      out[p.name] = checked;
    }
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key) || struct.known.has(key)) continue;
    const name = /^[A-Za-z_$][\w$]*$/.test(key) ? `${prefix}${key}` : `${field}[${JSON.stringify(key)}]`;
    if (lenient) {
      addWarning(findings._scope!, `${name}: not a property of ${struct.name}, so ${struct.name.replace(/Props$/, '')} ignores it${suggestion(struct, key)}`);
      continue;
    }
    // An unknown name may be a misspelled credential (`pasword`): its string value is never shown then.
    const secretName = credentialWordOrTypo(key) !== undefined ? 'PASSWORD' : key;
    findings._addTypeProblem(name, value[key], unknownPropertyExpected(struct, key), true, secretName);
  }
  return out;
}

function checkArray(findings: Findings, field: string, of: TypeNode, value: unknown[]): unknown[] {
  if (of.k === 'any') return value;
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    const checked = v === undefined || v === null
      ? (findings._addTypeProblem(`${field}[${i}]`, v, describeType(of), true), undefined)
      : checkValue(findings, `${field}[${i}]`, of, v, true);
    // An undefined item (or a hole) is a bad item too, though its stand-in is the same undefined.
    if ((checked !== v || checked === undefined) && !out) out = value.slice(0, i);
    // A bad struct item becomes an empty one (its rules stay quiet); other bad items are left out.
    if (out) {
      if (checked !== undefined) out.push(checked);
      else if (of.k === 'struct') out.push({});
    }
  }
  return out ?? value;
}

function checkMap(findings: Findings, field: string, of: TypeNode, value: Record<string, unknown>): Record<string, unknown> {
  let out = value;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = value[key];
    const checked = v === undefined || v === null
      ? (of.k === 'any' ? v : (findings._addTypeProblem(`${field}.${key}`, v, describeType(of), true), undefined))
      : checkValue(findings, `${field}.${key}`, of, v, true);
    if (checked !== v || (checked === undefined && of.k !== 'any')) {
      if (out === value) out = { ...value };
      if (checked === undefined) delete out[key];
      else out[key] = checked;
    }
  }
  return out;
}

function suggestion(struct: CompiledStruct, key: string): string {
  const closest = closestName(key, struct.known);
  return closest ? ` (did you mean "${closest}"?)` : '';
}

function unknownPropertyExpected(struct: CompiledStruct, key: string): string {
  const closest = closestName(key, struct.known);
  return `a property of ${struct.name}${closest ? `: did you mean "${closest}"?` : ` (${[...struct.known].join(', ')})`}`;
}

/**
 * Checks the props of a constructor or factory against the generated type of `structName`, records
 * a type finding for each problem, and returns props the rules can read safely (the same object
 * when nothing is wrong). Props that are no object at all count as empty props.
 * @internal
 */
export function checkProps<T>(findings: Findings, structName: string, props: T): T {
  const struct = structOf(structName);
  // A user's subclass may hand its own, extended props to the library's constructor: their extra
  // top-level names are a warning then.
  if (isPlainObject(props)) return checkStruct(findings, '', struct, asPlainData(props, false), !isOwnClassProps(findings, structName)) as T;
  if (props !== undefined && props !== null) findings._addTypeProblem('props', props, describeType({ k: 'struct', name: structName }), true);
  return checkStruct(findings, '', struct, {}) as T;
}

function parametersOf(className: string, method: string): readonly Property[] {
  const key = `${className}.${method}`;
  let params = paramCache.get(key);
  if (params) return params;
  const specs = CLASSES[className]?.params[method];
  if (!specs) throw new Error(`no generated parameter types for ${key}: run \`npx projen gen:prop-types\``);
  params = specs.map((s) => {
    const colon = s.indexOf(':');
    return property(s.slice(0, colon), s.slice(colon + 1));
  });
  paramCache.set(key, params);
  return params;
}

/**
 * Checks the arguments of the public method `method` of `className` (as the generated tables list
 * it, such as "volume" or "static prepareAll") and returns them with a stand-in for each bad one.
 * Findings are named `method(parameter)`.
 * @internal
 */
export function checkArgs(findings: Findings, className: string, method: string, args: readonly unknown[]): unknown[] {
  const params = parametersOf(className, method);
  const name = method.replace(/^static /, '');
  let out: unknown[] | undefined;
  params.forEach((p, i) => {
    const v = args[i];
    const field = `${name}(${p.name})`;
    let checked: unknown;
    if (v === undefined || v === null) {
      if (!p.optional) findings._addTypeProblem(field, v, describeType(p.type), i < args.length);
      checked = undefined;
    } else {
      checked = checkValue(findings, field, p.type, v, true);
    }
    if (checked !== v) (out ??= [...args])[i] = checked;
  });
  return out ?? (args as unknown[]);
}

/**
 * For entry points without a construct to report to (static methods, plain classes): checks the
 * arguments and throws one Error listing every problem, like a synth report.
 * @internal
 */
export function checkArgsOrThrow(className: string, method: string, args: readonly unknown[]): void {
  const findings = new Findings();
  checkArgs(findings, className, method, args);
  const messages = findings.messages();
  if (messages.length > 0) {
    const where = `${className}.${method.replace(/^static /, '')}`;
    throw new ValidationError(messages.map((message) => ({ path: where, message })));
  }
}
