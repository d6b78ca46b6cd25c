import { IConstruct, Node } from 'constructs';
import { PEM_PRIVATE_KEY, secretValueKind } from './secrets';

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

/**
 * Collects the findings of one construct so that a synth reports all of them at once.
 *
 * Each finding becomes one line of cdk8s's `Validation failed with the following errors:` report,
 * which prefixes it with the construct path.
 */
export class Findings {
  /**
   * Creates a collector and registers it as a validation of `scope`, so `app.synth()` reports it.
   */
  public static attach(scope: IConstruct): Findings {
    const findings = new Findings();
    Node.of(scope).addValidation({ validate: () => findings.messages() });
    return findings;
  }

  private readonly items: ValidationFinding[] = [];

  /** All findings so far. */
  public get all(): readonly ValidationFinding[] {
    return this.items;
  }

  /** Records a finding. */
  public add(field: string, value: unknown, expected: string): void {
    this.items.push({ field, value: describeValue(value), expected });
  }

  /** Records a finding that must not echo its value (private keys, passwords). */
  public addRedacted(field: string, expected: string): void {
    this.items.push({ field, value: '<redacted>', expected });
  }

  /** Runs `rule` and records its finding, if any. Returns true when the value passed. */
  public check<T>(field: string, value: T | undefined, rule: Rule<T>): boolean {
    if (value === undefined) return true;
    const expected = rule(value);
    if (expected === undefined) return true;
    this.add(field, value, expected);
    return false;
  }

  /** The findings as report lines: `field: got <value>; expected <form>`. */
  public messages(): string[] {
    return this.items.map(formatFinding);
  }
}

/** Formats a finding as one report line. */
export function formatFinding(finding: ValidationFinding): string {
  return `${finding.field}: got ${finding.value}; expected ${finding.expected}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  // A pasted key or token must never end up in an error message.
  if (PEM_PRIVATE_KEY.test(text)) return '<redacted private key>';
  if (secretValueKind(text) !== undefined) return '<redacted>';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
