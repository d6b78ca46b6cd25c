/**
 * Deterministic output: the example site (plain YAML of every environment, the Helm charts, the
 * compose files and the TLS files they mount) written twice from the same input is byte-identical,
 * file for file. Generated certificates come from the same store, so they are reused, not remade.
 */
import * as fs from 'fs';
import * as path from 'path';
import { synthExamples } from '../../examples/site';
import { tempDir } from '../helm/fixtures';

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const file = path.join(dir, f);
    if (fs.statSync(file).isFile()) out.set(f.split(path.sep).join('/'), fs.readFileSync(file, 'utf8'));
  }
  return out;
}

let first: string;
let second: string;
beforeAll(() => {
  first = tempDir('deterministic-a');
  second = tempDir('deterministic-b');
  synthExamples(first);
  synthExamples(second);
});
afterAll(() => {
  for (const dir of [first, second]) fs.rmSync(dir, { recursive: true, force: true });
});

test('two synths of the example site write the same files with the same bytes', () => {
  const a = files(first);
  const b = files(second);
  expect([...b.keys()]).toEqual([...a.keys()]);
  expect(a.size).toBeGreaterThan(50);
  const differing = [...a.keys()].filter((f) => a.get(f) !== b.get(f));
  expect(differing).toEqual([]);
});
