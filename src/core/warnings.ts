import { IConstruct, Node } from 'constructs';
import { redactSecretValues } from './secrets';

/*
 * Warnings are the second channel next to findings: advice and deprecated inputs that do not break
 * anything at run time. cdk8s has no `Annotations` (that is aws-cdk-lib); a warning is construct
 * metadata of this type, like aws-cdk's `aws:cdk:warning`. Synth reports each distinct warning once
 * on stderr and does not fail; `Warnings.of(scope)` lists them (for a check command or a test).
 */

/** Metadata type of a warning. @internal */
export const WARNING_METADATA_TYPE = 'cdk8s-deploykit:warning';

const printed = new Set<string>();
const reporting = new WeakSet<IConstruct>();

/**
 * Records a warning on `scope`; synth prints it once per process on stderr, without failing. Never
 * pass key material (a secret found by its form in a quoted value is redacted all the same).
 * @internal
 */
export function addWarning(scope: IConstruct, given: string): void {
  const node = Node.of(scope);
  const message = redactSecretValues(given);
  if (warningsOf(scope).includes(message)) return;
  node.addMetadata(WARNING_METADATA_TYPE, message);
  if (reporting.has(scope)) return;
  reporting.add(scope);
  node.addValidation({
    validate: () => {
      for (const text of warningsOf(scope)) {
        const line = `[WARNING] ${node.path}: ${text}`;
        if (printed.has(line)) continue;
        printed.add(line);
        process.stderr.write(`${line}\n`);
      }
      return [];
    },
  });
}

/** The warnings recorded on `scope` itself. @internal */
export function warningsOf(scope: IConstruct): string[] {
  return Node.of(scope).metadata.filter((m) => m.type === WARNING_METADATA_TYPE).map((m) => String(m.data));
}
