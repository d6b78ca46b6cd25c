import { Construct, IConstruct, Node } from 'constructs';
import { checkObjectIdentities } from './object-identity';
import { PEM_PRIVATE_KEY, secretContent, secretValueKind } from './secrets';

/**
 * One broken rule: which field, what it held and what was expected.
 */
export interface ValidationFinding {
  /** The prop or attribute that broke the rule, for example `resourceLimits.cpu`. */
  readonly field: string;
  /** The offending value as the user wrote it (already redacted where it could hold a secret). */
  readonly value: string;
  /** What a valid value looks like. */
  readonly expected: string;
}

/** A rule returns nothing when the value passes, or a description of what was expected. */
export type Rule<T> = (value: T) => string | undefined;

/** A recorded finding with the raw value it was made from (to match type findings against rule findings). */
interface Recorded extends ValidationFinding {
  readonly raw: unknown;
}

/** The value of a redacted finding: it equals no raw input. */
const REDACTED = Symbol('redacted');

/** The collector of each construct that attached one, to drop values an ancestor already reported. */
const ATTACHED = new WeakMap<IConstruct, Findings>();

/**
 * Collects the findings of one construct so that a synth reports all of them at once.
 *
 * Each finding becomes one line of cdk8s's `Validation failed with the following errors:` report,
 * which prefixes it with the construct path.
 *
 * Two kinds of findings meet here: the construct's own rules (`add`, `check`, `addRedacted`) and the
 * type findings of the runtime check layer (`checkProps`, which replaces a value of the wrong kind
 * with a harmless stand-in before the rules read it). Each bad input is reported once: a rule
 * finding about the same field and the same value replaces the type finding (it says more); a rule
 * finding about the stand-in (another value, or a field inside the replaced one) is dropped. A
 * string value that an ancestor construct already reported (a name it handed down) is not repeated.
 */
export class Findings {
  /**
   * Creates a collector and registers it as a validation of `scope`, so `app.synth()` reports it.
   * The chart holding `scope` also gets the check that it holds each object identity once.
   */
  public static attach(scope: IConstruct): Findings {
    const findings = new Findings();
    findings._scope = scope;
    ATTACHED.set(scope, findings);
    Node.of(scope).addValidation({ validate: () => findings.report(scope) });
    checkObjectIdentities(scope);
    return findings;
  }

  /** The construct this collector reports for, when attached. @internal */
  public _scope?: IConstruct;
  private readonly items: Recorded[] = [];
  private typeItems?: Recorded[];

  /** All findings so far (type findings first), before each bad input is reduced to one finding. */
  public get all(): readonly ValidationFinding[] {
    return this.typeItems ? [...this.typeItems, ...this.items] : this.items;
  }

  /** Records a finding. */
  public add(field: string, value: unknown, expected: string): void {
    this.items.push({ field, value: describeValue(value), expected, raw: value });
  }

  /** Records a finding that must not echo its value (private keys, passwords). */
  public addRedacted(field: string, expected: string): void {
    this.items.push({ field, value: '<redacted>', expected, raw: REDACTED });
  }

  /** Runs `rule` and records its finding, if any. Returns true when the value passed. */
  public check<T>(field: string, value: T | undefined, rule: Rule<T>): boolean {
    if (value === undefined) return true;
    const expected = rule(value);
    if (expected === undefined) return true;
    this.add(field, value, expected);
    return false;
  }

  /**
   * Records a type finding of the check layer: `raw` is not of the declared kind. `present` tells an
   * explicit `undefined` ("got undefined") from a missing property ("got nothing"); `secretName`,
   * when given, is the name under which a string value would be a secret (`pasword: "..."`).
   * @internal
   */
  public _addTypeProblem(field: string, raw: unknown, expected: string, present: boolean, secretName?: string): void {
    let value = raw === undefined && present ? 'undefined' : describeValue(raw);
    if (secretName !== undefined && typeof raw === 'string' && secretContent(secretName, raw) !== undefined) value = '<redacted>';
    (this.typeItems ??= []).push({ field, value, expected, raw });
  }

  /** Whether the check layer found a value of the wrong kind at `field` or inside it. @internal */
  public _hasTypeProblem(field: string): boolean {
    return (this.typeItems ?? []).some((t) => t.field === field || t.field.startsWith(`${field}.`) || t.field.startsWith(`${field}[`));
  }

  /** Whether any finding (of a rule or of the check layer) names `field`. @internal */
  public _reported(field: string): boolean {
    return this.items.some((f) => f.field === field) || (this.typeItems ?? []).some((f) => f.field === field);
  }

  /** The findings as report lines: `field: got <value>; expected <form>`, one per bad input. */
  public messages(): string[] {
    return this.resolved().map(formatFinding);
  }

  /** Each bad input once: see the class comment. */
  private resolved(): readonly Recorded[] {
    const types = this.typeItems;
    if (!types) return this.items;
    const superseded = new Set<Recorded>();
    const kept = this.items.filter((item) => {
      for (const t of types) {
        if (t.field === item.field) {
          if (sameValue(t.raw, item.raw)) {
            superseded.add(t);
            return true;
          }
          return false;
        }
        if (item.field.startsWith(`${t.field}.`) || item.field.startsWith(`${t.field}[`) || item.field.startsWith(`${t.field} `)) return false;
      }
      return true;
    });
    return [...types.filter((t) => !superseded.has(t)), ...kept];
  }

  /**
   * The report lines of `scope`, without what an ancestor construct reports already: a string value
   * it handed down (a name), or a missing value whose field the ancestor reports (it passed on the
   * stand-in of a bad `cluster.cpus` as this construct's `cpus`).
   */
  private report(scope: IConstruct): string[] {
    const own = this.resolved();
    if (own.length === 0) return [];
    const values = new Set<string>();
    const fields: string[] = [];
    for (let parent = scope.node.scope; parent; parent = parent.node.scope) {
      for (const f of ATTACHED.get(parent)?.resolved() ?? []) {
        if (typeof f.raw === 'string') values.add(f.value);
        fields.push(f.field);
      }
    }
    if (values.size === 0 && fields.length === 0) return own.map(formatFinding);
    return own.filter((f) => {
      if (typeof f.raw === 'string' && values.has(f.value)) return false;
      return f.raw !== undefined || !fields.some((a) => a === f.field || a.endsWith(`.${f.field}`));
    }).map(formatFinding);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (a === undefined && b === undefined);
}

/** Formats a finding as one report line. */
export function formatFinding(finding: ValidationFinding): string {
  return `${finding.field}: got ${finding.value}; expected ${finding.expected}`;
}

/**
 * A value as a finding shows it: strings quoted, NaN, Infinity and null as such, `nothing` for a
 * missing value, constructs by class and path, functions as `<function>`; secrets redacted, long
 * values cut at 120 characters.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  let text: string;
  switch (typeof value) {
    case 'number': text = Object.is(value, -0) ? '-0' : String(value); break;
    case 'bigint': text = `${value}n`; break;
    case 'symbol': text = value.toString(); break;
    case 'function': text = '<function>'; break;
    case 'string': text = JSON.stringify(value); break;
    case 'boolean': text = String(value); break;
    default: text = describeObject(value as object);
  }
  // A pasted key or token must never end up in an error message.
  if (PEM_PRIVATE_KEY.test(text)) return '<redacted private key>';
  if (secretValueKind(text) !== undefined) return '<redacted>';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function describeObject(value: object): string {
  if (Construct.isConstruct(value)) return `<${value.constructor.name} ${value.node.path || '(root)'}>`;
  try {
    const seen = new WeakSet<object>();
    return JSON.stringify(value, (key, v: unknown) => {
      if (typeof v === 'string' && key !== '' && secretContent(key, v) !== undefined) return '<redacted>';
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (typeof v === 'bigint') return `${v}n`;
      if (typeof v === 'function') return '<function>';
      if (typeof v === 'symbol') return v.toString();
      if (v !== null && typeof v === 'object') {
        if (Construct.isConstruct(v)) return `<${v.constructor.name} ${v.node.path || '(root)'}>`;
        if (seen.has(v)) return '<circular>';
        seen.add(v);
      }
      return v;
    }) ?? String(value);
  } catch {
    return `<${value.constructor?.name ?? 'object'}>`;
  }
}
