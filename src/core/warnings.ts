import { IConstruct, Node } from 'constructs';

/*
 * cdk8s has no `Annotations` (that is aws-cdk-lib); warnings are construct metadata of this type,
 * like aws-cdk's `aws:cdk:warning`, and each distinct one is printed once to stderr.
 */

/** Metadata type of a warning. @internal */
export const WARNING_METADATA_TYPE = 'cdk8s-deploykit:warning';

const printed = new Set<string>();

/** Records a warning on `scope` and prints it once per process. Never pass key material. @internal */
export function addWarning(scope: IConstruct, message: string): void {
  Node.of(scope).addMetadata(WARNING_METADATA_TYPE, message);
  const line = `[WARNING] ${Node.of(scope).path}: ${message}`;
  if (printed.has(line)) return;
  printed.add(line);
  process.stderr.write(`${line}\n`);
}

/** The warnings recorded on `scope` itself. @internal */
export function warningsOf(scope: IConstruct): string[] {
  return Node.of(scope).metadata.filter((m) => m.type === WARNING_METADATA_TYPE).map((m) => String(m.data));
}
