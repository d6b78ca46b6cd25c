/**
 * Runs the real helm against charts written by HelmChart.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { byKindName, parseRendered, withoutHelmLabels } from './fixtures';
import { runHelm } from '../util/tools';

/**
 * `helm template <release> <dir> --namespace <ns> ...args`; throws with helm's stderr on failure. The
 * release defaults to the chart's name (the folder name): the release whose objects keep the plain
 * names. The `helm test` hook is left out unless `withTests` (it is no object of the release).
 */
export function render(dir: string, namespace: string, args: string[] = [], release = path.basename(dir), withTests = false): any[] {
  const r = runHelm(['template', release, dir, '--namespace', namespace, ...(withTests ? [] : ['--skip-tests']), ...args]);
  if (r.status !== 0) throw new Error(`helm template ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return parseRendered(r.stdout);
}

/**
 * templates/NOTES.txt as the real helm renders it (what `helm install` prints), with these values:
 * a copy of the chart gets a template that includes the notes text as a ConfigMap entry.
 */
export function renderNotes(dir: string, namespace: string, args: string[] = [], release = path.basename(dir)): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-notes-'));
  try {
    const chart = path.join(copy, path.basename(dir));
    fs.cpSync(dir, chart, { recursive: true });
    const notes = fs.readFileSync(path.join(chart, 'templates', 'NOTES.txt'), 'utf8');
    fs.writeFileSync(path.join(chart, 'templates', '_notes_probe.tpl'), `{{- define "notes-probe" -}}\n${notes}{{- end }}\n`);
    fs.writeFileSync(path.join(chart, 'templates', 'notes-probe.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes-probe\ndata:\n  notes: {{ include "notes-probe" . | toJson }}\n');
    const objects = render(chart, namespace, [...args, '--show-only', 'templates/notes-probe.yaml'], release);
    return objects[0].data.notes;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** Every file of a chart folder, relative path → text. */
export function chartFileTexts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, rel);
    if (fs.statSync(file).isFile()) out.set(rel.split(path.sep).join('/'), fs.readFileSync(file, 'utf8'));
  }
  return out;
}

/** `helm template` expected to fail: returns stderr. */
export function renderFailure(dir: string, namespace: string, args: string[]): string {
  const r = runHelm(['template', path.basename(dir), dir, '--namespace', namespace, ...args]);
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

/** Names of the plain Secrets that carry values (`data` or `stringData`): the chart never templates them. */
export function secretsWithData(plain: any[]): string[] {
  return plain
    .filter((o) => o.kind === 'Secret' && (Object.keys(o.data ?? {}).length > 0 || Object.keys(o.stringData ?? {}).length > 0))
    .map((o) => o.metadata?.name)
    .sort();
}

/**
 * Asserts no template renders a Namespace, and that the rendered objects plus `namespaces` (the
 * objects of the chart's namespace file) equal the plain objects one by one (same set of
 * Kind/name), after removing only the chart's own marks (`withoutHelmLabels`: the helm.sh/chart and
 * app.kubernetes.io/managed-by labels, the pods' checksum/config annotation, the claims'
 * helm.sh/resource-policy annotation), except
 * the Secrets `leftOutSecrets`: they must be exactly the plain Secrets with data (a chart never
 * carries secret values, so the user creates them) and none of them may be rendered.
 */
export function expectSameObjects(rendered: any[], plain: any[], namespaces: any[] = [], leftOutSecrets: string[] = []): void {
  expect(rendered.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name)).toEqual([]);
  expect({ leftOutSecrets: [...leftOutSecrets].sort() }).toEqual({ leftOutSecrets: secretsWithData(plain) });
  const kept = plain.filter((o) => !(o.kind === 'Secret' && leftOutSecrets.includes(o.metadata?.name)));
  const r = byKindName(withoutHelmLabels([...rendered, ...namespaces]));
  const p = byKindName(withoutHelmLabels(kept));
  expect([...r.keys()].sort()).toEqual([...p.keys()].sort());
  for (const [key, obj] of p) {
    expect({ key, obj: r.get(key) }).toEqual({ key, obj });
  }
}
