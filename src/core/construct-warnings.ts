/*
 * The public view of warnings (`Warnings.of`), apart from `warnings.ts` so that the runtime check
 * layer, which records warnings, and this entry point, which it checks, import each other in one
 * direction only.
 */
import { IConstruct, Node } from 'constructs';
import { checkArgsOrThrow } from './validation';
import { warningsOf } from './warnings';

/** A warning of one construct. */
export interface ConstructWarning {
  /** The construct path, such as "prod/api". */
  readonly path: string;
  /** What the warning says. */
  readonly message: string;
}

/**
 * The warnings of a construct tree: advice and deprecated inputs, which synth reports on stderr
 * without failing (errors, which fail synth, are validation findings).
 */
export class Warnings {
  /** Every warning recorded on `scope` and the constructs below it, in tree order. */
  public static of(scope: IConstruct): ConstructWarning[] {
    checkArgsOrThrow('Warnings', 'static of', [scope]);
    return Node.of(scope).findAll().flatMap((c) => warningsOf(c).map((message) => ({ path: Node.of(c).path, message })));
  }

  private constructor() {}
}
