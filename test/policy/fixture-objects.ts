/** The fixtures of test/policy/fixtures as objects, and findings as one comparable line each. */
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { PolicyFinding } from '../../src';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = 'test/policy/fixtures';

/** The objects of a fixture file or folder (YAML, many documents). */
export function objects(fixture: string): any[] {
  const at = path.join(ROOT, FIXTURES, fixture);
  const files = fs.statSync(at).isDirectory() ? fs.readdirSync(at).sort().map((f) => path.join(at, f)) : [at];
  return files.flatMap((f) => loadAll(fs.readFileSync(f, 'utf8')) as any[]).filter((o) => o);
}

/** A finding as "level rule Kind/name path". */
export const line = (f: PolicyFinding) => `${f.level} ${f.rule} ${f.kind}/${f.name} ${f.path}`;
