/**
 * The benchmark's two apps (bench/apps.ts) must be the same system, or `npm run bench` compares
 * unlike things: the same kinds and counts of objects with the same names, and each
 * PodDisruptionBudget, NetworkPolicy and Service selecting its own app's pods and no other's.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { handWritten, withLibrary } from '../../bench/apps';

const APPS = 3;

function objectsOf(dir: string): any[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o);
}

function synthesized(which: 'hand-written' | 'library'): any[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-apps-${which}-`));
  try {
    if (which === 'hand-written') handWritten(APPS, outdir).synth();
    else withLibrary(APPS, outdir).app.synth();
    return objectsOf(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const identities = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort();
const kindCounts = (objects: any[]) => objects.reduce((n: Record<string, number>, o) => ({ ...n, [o.kind]: (n[o.kind] ?? 0) + 1 }), {});
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** For each selecting object, the names of the Deployments whose pods it selects. */
function selected(objects: any[]): Map<string, string[]> {
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const selectorOf = (o: any): Record<string, string> => {
    switch (o.kind) {
      case 'PodDisruptionBudget': return o.spec.selector.matchLabels;
      case 'NetworkPolicy': return o.spec.podSelector.matchLabels;
      case 'Service': return o.spec.selector;
      default: throw new Error(`no selector in ${o.kind}`);
    }
  };
  const result = new Map<string, string[]>();
  for (const o of objects.filter((x) => ['PodDisruptionBudget', 'NetworkPolicy', 'Service'].includes(x.kind))) {
    result.set(`${o.kind}/${o.metadata.name}`, deployments
      .filter((d) => matches(selectorOf(o), d.spec.template.metadata.labels))
      .map((d) => d.metadata.name));
  }
  return result;
}

describe.each(['hand-written', 'library'] as const)('the %s benchmark app', (which) => {
  const objects = synthesized(which);

  test('holds six objects per service: ConfigMap, Deployment, Service, HPA, PodDisruptionBudget, NetworkPolicy', () => {
    expect(kindCounts(objects)).toEqual({
      ConfigMap: APPS, Deployment: APPS, Service: APPS, HorizontalPodAutoscaler: APPS, PodDisruptionBudget: APPS, NetworkPolicy: APPS,
    });
  });

  test('each PodDisruptionBudget, NetworkPolicy and Service selects the pods of its own app and of no other', () => {
    const bySelector = selected(objects);
    expect(bySelector.size).toBe(3 * APPS);
    for (const [object, deployments] of bySelector) {
      expect({ object, deployments }).toEqual({ object, deployments: [object.split('/')[1]] });
    }
  });

  test('each Deployment selects its own pods by the app labels the library sets', () => {
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/instance': d.metadata.name, 'app.kubernetes.io/name': d.metadata.name });
      expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    }
  });
});

test('both apps hold the same objects: kinds, names and namespace', () => {
  expect(identities(synthesized('hand-written'))).toEqual(identities(synthesized('library')));
});

test('the check of selection fails on a selector that picks another app\'s pods', () => {
  const objects = synthesized('hand-written');
  const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'app-0');
  pdb.spec.selector.matchLabels = { 'app.kubernetes.io/instance': 'app-1', 'app.kubernetes.io/name': 'app-1' };
  expect(selected(objects).get('PodDisruptionBudget/app-0')).toEqual(['app-1']);
});
