/**
 * Helpers every test uses to synthesize a chart and prove its output is deployable:
 * each object must validate against the Kubernetes 1.28 schema (strict, see `k8s-schema.ts`) and every
 * pod spec must pass all Pod Security Standards v1.28 baseline + restricted controls (`RestrictedProfile`).
 */
import { Chart, Testing } from 'cdk8s';
import { validateObject } from './k8s-schema';
import { RestrictedProfile } from '../../src/policy';

/** `Testing.synth(chart)`, then `assertValidManifests`; returns the synthesized objects. */
export function synthManifests(chart: Chart): any[] {
  const objects = Testing.synth(chart);
  assertValidManifests(objects);
  return objects;
}

/** Throws one Error listing every schema problem and every Pod Security Standards violation. */
export function assertValidManifests(objects: any[]): void {
  const problems: string[] = [];
  for (const obj of objects) problems.push(...validateObject(obj).map((p) => `schema: ${p}`));
  for (const v of RestrictedProfile.check(objects)) {
    problems.push(`pod-security (${v.rule}): ${v.kind}/${v.name}: ${v.path}: ${v.message}`);
  }
  if (problems.length) {
    throw new Error(`${problems.length} problem(s) in ${objects.length} synthesized object(s):\n  ${problems.join('\n  ')}`);
  }
}

/** All objects of the given kind, in synthesis order. */
export function objectsOfKind(objects: any[], kind: string): any[] {
  return objects.filter((o) => o?.kind === kind);
}

/** The object with this kind and `metadata.name`; throws listing what exists when there is none. */
export function findObject(objects: any[], kind: string, name: string): any {
  const found = objects.find((o) => o?.kind === kind && o?.metadata?.name === name);
  if (found) return found;
  const existing = objects.map((o) => `${o?.kind}/${o?.metadata?.name}`).join(', ') || '(none)';
  throw new Error(`no ${kind} named "${name}" among the synthesized objects; found: ${existing}`);
}

/** The message of the synth failure of `chart`; fails the test when the synth succeeds. */
export function synthError(chart: Chart): string {
  try {
    synthManifests(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the synth to fail');
}
