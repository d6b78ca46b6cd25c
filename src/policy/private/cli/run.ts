/**
 * Internal to `deploykit check` and the cdk8s validation plugin: reads the inputs, runs `PolicyCheck`
 * over all their objects at once (relations span files), and places every finding in its file and line.
 */
import { InputObject, Inputs, readInputs, SkippedInput, Unreadable } from './inputs';
import { identityKey } from '../../../core/object-identity';
import { PolicyCheck } from '../../policy-check';
import { PolicyCheckOptions, PolicyFinding, PolicyReport, PolicyWaiver } from '../../policy-report';

/** A finding with the file and line of its field. */
export interface PlacedFinding extends PolicyFinding {
  readonly file: string;
  readonly line?: number;
  /** The line of the object the finding sits on. */
  readonly objectLine?: number;
  /** Where the other object the finding concerns starts (`relatedObjectIndex`). */
  readonly related?: { readonly file: string; readonly line?: number };
}

/** A waiver with the file and line of its object. */
export interface PlacedWaiver extends PolicyWaiver {
  readonly file: string;
  readonly line?: number;
}

/** The outcome of checking inputs. */
export interface CheckOutcome {
  readonly options: PolicyCheckOptions;
  readonly files: string[];
  readonly objectCount: number;
  readonly findings: PlacedFinding[];
  readonly waived: PlacedFinding[];
  readonly waivers: PlacedWaiver[];
  readonly skipped: SkippedInput[];
  readonly unreadable: Unreadable[];
  readonly errorCount: number;
  readonly warningCount: number;
}

/** Checks the inputs (files, folders, `-`). */
export function checkInputs(inputs: readonly string[], options: PolicyCheckOptions, readStdin?: () => string): CheckOutcome {
  return checkRead(readInputs(inputs, readStdin), options);
}

/**
 * Checks inputs already read. Files are checked together, so a Service in one file selects the pods
 * of another; files that hold the same object (API group, kind, namespace and name) are
 * alternatives, such as the outputs of two environments, and are checked apart, each with the files
 * it agrees with. One file holding an object twice is an error (`object-unique`).
 */
export function checkRead(read: Inputs, options: PolicyCheckOptions): CheckOutcome {
  const findings: PlacedFinding[] = [];
  const waived: PlacedFinding[] = [];
  const waivers: PlacedWaiver[] = [];
  const skipped: SkippedInput[] = [...read.skipped];
  let errorCount = 0;
  let warningCount = 0;
  const position = new Map(read.objects.map((o, i) => [o, i]));
  for (const group of groups(read.objects)) {
    const report: PolicyReport = PolicyCheck.run(group.map((o) => o.object), options);
    // A finding gets the line of its field (the file is read again, with positions, only then);
    // a waived finding, a waiver and a skipped object the line where their document starts.
    const place = (f: PolicyFinding, precise: boolean): PlacedFinding => {
      const input: InputObject = group[f.objectIndex];
      const objectLine = precise ? input.lineOf() : input.documentLine();
      const placed = { ...f, objectIndex: position.get(input)!, file: input.file, line: precise ? input.lineOf(f.path) : objectLine, objectLine };
      const related: InputObject | undefined = f.relatedObjectIndex === undefined ? undefined : group[f.relatedObjectIndex];
      if (!related) return placed;
      // The other object the finding concerns (the first of two of one identity, the declarer of a flow), by file and line.
      const where = `${related.file}${related.documentLine() === undefined ? '' : `:${related.documentLine()}`}`;
      return {
        ...placed,
        relatedObjectIndex: position.get(related)!,
        related: { file: related.file, line: related.documentLine() },
        message: `${f.message} [${related.object.kind} ${related.object.metadata?.name} at ${where}]`,
      };
    };
    findings.push(...report.findings.map((f) => place(f, true)));
    waived.push(...report.waived.map((f) => place(f, false)));
    waivers.push(...report.waivers.map((w) => {
      const input = group[w.objectIndex];
      return { ...w, objectIndex: position.get(input)!, file: input.file, line: input.documentLine() };
    }));
    skipped.push(...report.skipped.map((s) => {
      const input = group[s.objectIndex];
      return { file: input.file, line: input.documentLine(), reason: `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name} (${s.apiVersion}): ${s.reason}` };
    }));
    errorCount += report.errors.length;
    warningCount += report.warnings.length;
  }
  const byPosition = (a: PlacedFinding | PlacedWaiver, b: PlacedFinding | PlacedWaiver) => a.objectIndex - b.objectIndex;
  return {
    options,
    files: read.files,
    objectCount: read.objects.length,
    findings: findings.sort(byPosition),
    waived: waived.sort(byPosition),
    waivers: waivers.sort(byPosition),
    skipped,
    unreadable: read.unreadable,
    errorCount,
    warningCount,
  };
}

/** The objects in sets that hold each object identity once: a file joins the first set it agrees with. */
function groups(objects: InputObject[]): InputObject[][] {
  const sets: Array<{ objects: InputObject[]; identities: Set<string> }> = [];
  const byFile = new Map<string, InputObject[]>();
  for (const o of objects) {
    const list = byFile.get(o.file);
    if (list) list.push(o); else byFile.set(o.file, [o]);
  }
  const identity = (o: InputObject) => identityKey(String(o.object.apiVersion), o.object.kind, o.object.metadata?.namespace,
    String(o.object.metadata?.name ?? o.object.metadata?.generateName ?? ''));
  for (const fileObjects of byFile.values()) {
    const ids = fileObjects.map(identity);
    let set = sets.find((s) => !ids.some((id) => s.identities.has(id)));
    if (!set) sets.push(set = { objects: [], identities: new Set() });
    set.objects.push(...fileObjects);
    for (const id of ids) set.identities.add(id);
  }
  return sets.map((s) => s.objects);
}

/** 0 when nothing is wrong, 1 on an error finding, 2 when an input could not be read (the others were still checked). */
export function exitCode(outcome: CheckOutcome): number {
  if (outcome.unreadable.length) return 2;
  return outcome.errorCount ? 1 : 0;
}
