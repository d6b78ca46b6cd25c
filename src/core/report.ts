import { Construct } from 'constructs';
import { PEM_PRIVATE_KEY, redactSecretValues, secretContent, secretValueKind } from './secrets';

/*
 * The one format of a validation report, the one cdk8s prints when `app.synth()` fails: a header,
 * then one line per problem, `[construct/path] field: got <value>; expected <form>`. Findings, the
 * checks of methods without a construct, the policy check, ComposeFile and the Helm chart engine all
 * report through it, so every error reads the same and names where, what, the value and the remedy.
 */

/** The first line of every report (cdk8s's own, for the findings a synth collects). */
export const REPORT_HEADER = 'Validation failed with the following errors:';

/** One broken rule: which field, what it held and what was expected. */
export interface ValidationFinding {
  /** The prop or attribute that broke the rule, for example `resourceLimits.cpu`. */
  readonly field: string;
  /** The offending value as the user wrote it (already redacted where it could hold a secret). */
  readonly value: string;
  /** What a valid value looks like. */
  readonly expected: string;
}

/** One line of a report: where (a construct path, or an object where no construct made it) and the finding. */
export interface ReportLine {
  /** A construct path such as `shop/web/Deployment`, or another name of the place (`ManifestPolicy.check`). */
  readonly path: string;
  /** The finding as `formatFinding` prints it. */
  readonly message: string;
}

/**
 * A finding as one report line without its place: `field: got <value>; expected <form>`. The
 * expected form may quote another value the user gave (a namespace, a pattern, a folder): a secret
 * in it is redacted and a line break shown as `\n`, so the line stays one line without key material.
 */
export function formatFinding(finding: ValidationFinding): string {
  return `${finding.field}: got ${finding.value}; expected ${oneSafeLine(finding.expected)}`;
}

/** `text` without secrets (found by their form) and on one line, for a message that may quote user input. */
export function oneSafeLine(text: string): string {
  return redactSecretValues(text).replace(/\r?\n/g, '\\n');
}

/** A finding at a place, as one line of a report. */
export function reportLine(path: string, finding: ValidationFinding): ReportLine {
  return { path, message: formatFinding(finding) };
}

/** The report text: the header, then `[path] message` per line, as cdk8s prints a failed synth. */
export function formatReport(lines: readonly ReportLine[]): string {
  return `${REPORT_HEADER}\n  ${lines.map((l) => `[${l.path}] ${l.message}`).join('\n  ')}`;
}

/**
 * Thrown where no synth collects the findings (a method's output, a static method): the same report
 * a synth prints. Each line is listed once.
 */
export class ValidationError extends Error {
  /** The lines of the report, each once. */
  public readonly lines: readonly ReportLine[];

  constructor(lines: readonly ReportLine[]) {
    const seen = new Set<string>();
    const unique = lines.filter((l) => {
      const text = `[${l.path}] ${l.message}`;
      if (seen.has(text)) return false;
      seen.add(text);
      return true;
    });
    super(formatReport(unique));
    this.name = 'ValidationError';
    this.lines = unique;
  }
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
  // JSON shows a Map or Set as {}: its size instead (never its entries, which may hold secrets).
  if (value instanceof Map || value instanceof Set) return `<${value.constructor.name} with ${value.size} ${value.size === 1 ? 'entry' : 'entries'}>`;
  if (value instanceof Date) return `<Date ${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()}>`;
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
