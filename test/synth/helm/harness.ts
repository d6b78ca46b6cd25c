/**
 * Runs the real helm against charts written by HelmChart.
 */
import * as fs from 'fs';
import * as path from 'path';
import { byKindName, parseRendered, withoutHelmLabels } from './fixtures';
import { runHelm } from '../../util/tools';

/** `helm template <release> <dir> --namespace <ns> ...args`; throws with helm's stderr on failure. */
export function render(dir: string, namespace: string, args: string[] = [], release = 'r1'): any[] {
  const r = runHelm(['template', release, dir, '--namespace', namespace, ...args]);
  if (r.status !== 0) throw new Error(`helm template ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return parseRendered(r.stdout);
}

/** `helm template` expected to fail: returns stderr. */
export function renderFailure(dir: string, namespace: string, args: string[]): string {
  const r = runHelm(['template', 'r1', dir, '--namespace', namespace, ...args]);
  if (r.status === 0) throw new Error(`helm template ${args.join(' ')} unexpectedly succeeded`);
  return r.stderr;
}

/** The plain objects of a namespace file of the chart (`namespace.yaml` or `namespace-<env>.yaml`). */
export function namespaceObjects(dir: string, file = 'namespace.yaml'): any[] {
  const objects = parseRendered(fs.readFileSync(path.join(dir, file), 'utf8'));
  expect(objects.length).toBeGreaterThan(0);
  expect(objects.map((o) => o.kind)).toEqual(objects.map(() => 'Namespace'));
  return objects;
}

/**
 * Asserts no template renders a Namespace, and that the rendered objects plus `namespaces` (the
 * objects of the chart's namespace file) equal the plain objects one by one (same set of
 * Kind/name), after removing only the helm.sh/chart and app.kubernetes.io/managed-by labels.
 */
export function expectSameObjects(rendered: any[], plain: any[], namespaces: any[] = []): void {
  expect(rendered.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name)).toEqual([]);
  const r = byKindName(withoutHelmLabels([...rendered, ...namespaces]));
  const p = byKindName(withoutHelmLabels(plain));
  expect([...r.keys()].sort()).toEqual([...p.keys()].sort());
  for (const [key, obj] of p) {
    expect({ key, obj: r.get(key) }).toEqual({ key, obj });
  }
}
