/** What docs/DESIGN.md states about the repository, checked without a build. */
import * as fs from 'fs';
import * as path from 'path';
import { ROOMS } from '../../projenrc/rooms';

const root = path.resolve(__dirname, '..', '..');
const design = fs.readFileSync(path.join(root, 'docs', 'DESIGN.md'), 'utf8');
const api = fs.readFileSync(path.join(root, 'API.md'), 'utf8');

test('API.md names every type by its root name, never under a room (cdk8s-deploykit.pod.ContainerImage)', () => {
  const qualified = [...new Set([...api.matchAll(/cdk8s-deploykit\.([a-z][\w]*)\.([A-Z]\w*)/g)].map((m) => m[0]))];
  expect(qualified).toEqual([]);
  expect(api).toContain('cdk8s-deploykit.ContainerImage');
});

test('API.md has one section per room with public types, in the order of projenrc/rooms.ts', () => {
  const headings = [...api.matchAll(/^## (\w+)/gm)].map((m) => m[1]).filter((h) => ROOMS.some((r) => r.name === h));
  expect(headings).toEqual(ROOMS.map((r) => r.name).filter((name) => headings.includes(name)));
  expect(headings.length).toBeGreaterThan(10);
});

test('every file DESIGN.md names exists', () => {
  const named = [...new Set([...design.matchAll(/`((?:src|test|projenrc|docs)\/[\w./-]+\.(?:ts|md|js))`/g)].map((m) => m[1]))];
  expect(named.length).toBeGreaterThan(5);
  expect(named.filter((f) => !fs.existsSync(path.join(root, f)))).toEqual([]);
});
