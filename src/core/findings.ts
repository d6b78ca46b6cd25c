import { IConstruct, Node } from 'constructs';
import { checkObjectIdentities } from './object-identity';
import { describeValue, formatFinding, ValidationFinding } from './report';
import { Rule } from './rules/rule';
import { secretContent } from './secrets';

// The rule type lives apart so the secret detector (which findings use) can name it without a cycle;
// the report's pieces live in report.ts. Callers name them through findings, where they met them first.
export type { Rule, ValidationFinding };
export { describeValue, formatFinding };

/** A recorded finding with the raw value it was made from (to match type findings against rule findings). */
interface Recorded extends ValidationFinding {
  readonly raw: unknown;
}

/** The value of a redacted finding: it equals no raw input. */
const REDACTED = Symbol('redacted');

/**
 * The collector of each construct that attached one, to drop values an ancestor already reported:
 * kept on the construct under a private symbol (every construct of the library attaches one, and a
 * WeakMap entry per construct cost more than the construct's own checks).
 */
const ATTACHED: unique symbol = Symbol('deploykit.findings');

/** The collector attached to `scope`, if any. */
function attachedTo(scope: IConstruct): Findings | undefined {
  return (scope as { [ATTACHED]?: Findings })[ATTACHED];
}

/**
 * Names the fields of the findings of `scope` (a construct an entity made from its own props) by the
 * props the user gave: `{ env: 'configuration' }` reports `env.API_KEY` as `configuration.API_KEY`.
 * A field is renamed when it is a key of `names` or starts with one followed by "." or "[".
 * @internal
 */
export function reportFieldsAs(scope: IConstruct, names: { readonly [field: string]: string }): void {
  const findings = attachedTo(scope);
  if (findings) findings._fieldNames = { ...findings._fieldNames, ...names };
}

/**
 * Whether `scope` or a construct above it reports findings of its own: the objects such a construct
 * makes come from input it refuses, so a check of the objects would report that input a second
 * time. @internal
 */
export function underConstructWithFindings(scope: IConstruct): boolean {
  for (let at: IConstruct | undefined = scope; at; at = Node.of(at).scope) {
    if ((attachedTo(at)?.all.length ?? 0) > 0) return true;
  }
  return false;
}

/**
 * Collects the findings of one construct so that a synth reports all of them at once.
 *
 * Each finding becomes one line of cdk8s's `Validation failed with the following errors:` report
 * (`report.ts`), which prefixes it with the construct path.
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
    Object.defineProperty(scope, ATTACHED, { value: findings, configurable: true, writable: true });
    Node.of(scope).addValidation({ validate: () => findings.report(scope) });
    checkObjectIdentities(scope);
    return findings;
  }

  /** The construct this collector reports for, when attached. @internal */
  public _scope?: IConstruct;
  /** Field names as the construct that made this one calls them (`reportFieldsAs`). @internal */
  public _fieldNames?: { readonly [field: string]: string };
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

  /** `list` with each field named as `_fieldNames` says. */
  private renamed(list: readonly Recorded[]): readonly Recorded[] {
    const names = this._fieldNames;
    if (!names) return list;
    return list.map((f) => {
      for (const [from, to] of Object.entries(names)) {
        if (f.field === from || f.field.startsWith(`${from}.`) || f.field.startsWith(`${from}[`)) return { ...f, field: to + f.field.slice(from.length) };
      }
      return f;
    });
  }

  /**
   * The report lines of `scope`, without what an ancestor construct reports already: a string value
   * it handed down (a name), or a missing value whose field the ancestor reports (it passed on the
   * stand-in of a bad `cluster.cpus` as this construct's `cpus`). A missing value is not reported
   * either when an ancestor replaced a value of the wrong kind by a stand-in: it handed the gap down
   * (a `containerPort: "8080"` leaves its Service port without a number).
   */
  private report(scope: IConstruct): string[] {
    const own = this.renamed(this.resolved());
    if (own.length === 0) return [];
    const values = new Set<string>();
    const fields: string[] = [];
    let standIns = false;
    for (let parent = scope.node.scope; parent; parent = parent.node.scope) {
      const collector = attachedTo(parent);
      if (!collector) continue;
      standIns ||= (collector.typeItems?.length ?? 0) > 0;
      for (const f of collector.renamed(collector.resolved())) {
        if (typeof f.raw === 'string') values.add(f.value);
        fields.push(f.field);
      }
    }
    if (values.size === 0 && fields.length === 0) return own.map(formatFinding);
    return own.filter((f) => {
      if (typeof f.raw === 'string' && values.has(f.value)) return false;
      return f.raw !== undefined || !(standIns || fields.some((a) => a === f.field || a.endsWith(`.${f.field}`)));
    }).map(formatFinding);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (a === undefined && b === undefined);
}
