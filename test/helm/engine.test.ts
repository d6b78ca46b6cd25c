/**
 * The Helm engine's own rules (docs/DESIGN.md "Helm charts"): types instead of `any` (at most 10 in
 * src/helm, each with its reason), the model knows nothing of the file writers, and each template is
 * rendered once however many environments.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { addWeb, tempDir } from './fixtures';
import { HelmChart } from '../../src/helm/helm-chart';
import * as templateBody from '../../src/helm/private/template-body';

const HELM = path.join(__dirname, '..', '..', 'src', 'helm');

/** The TypeScript files under a folder, relative path → text. */
function sources(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (rel.endsWith('.ts')) out.set(rel.split(path.sep).join('/'), fs.readFileSync(path.join(dir, rel), 'utf8'));
  }
  return out;
}

/** The count: `grep -rnE ':\s*any\b|\bas any\b|<any>|\bany\[\]'`. */
const ANY = /:\s*any\b|\bas any\b|<any>|\bany\[\]/;

/** Each line using `any`, and whether a comment on it (or just above it) gives the reason. */
function anyUses(text: string): { line: number; reasoned: boolean }[] {
  const lines = text.split('\n');
  const out: { line: number; reasoned: boolean }[] = [];
  lines.forEach((l, i) => {
    if (!ANY.test(l)) return;
    const code = l.replace(/\/\/.*$/, '');
    if (!ANY.test(code)) return; // only in a comment
    const reasoned = /\/\/\s*any:\s*\S/.test(l) || /^\s*\/\/\s*any:\s*\S/.test(lines[i - 1] ?? '');
    out.push({ line: i + 1, reasoned });
  });
  return out;
}

describe('types instead of any', () => {
  test('the count finds an any and tells one with its reason from one without', () => {
    expect(anyUses('const a: any = 1;\nconst b = x as any;\nlet c: any[] = [];\nconst d = new Map<any, number>();')).toHaveLength(3);
    expect(anyUses('// any: jsii names any JSON value so\nconst a: any = 1;\nconst b: any = 2; // any: the same\nconst c: any = 3;'))
      .toEqual([{ line: 2, reasoned: true }, { line: 3, reasoned: true }, { line: 4, reasoned: false }]);
    expect(anyUses('// the value is any: JSON\nconst a: unknown = 1;')).toEqual([]);
  });

  test('src/helm has at most 10, each with the reason in a comment', () => {
    const uses = [...sources(HELM)].flatMap(([file, text]) => anyUses(text).map((u) => ({ file, ...u })));
    expect(uses.length).toBeLessThanOrEqual(10);
    expect(uses.filter((u) => !u.reasoned)).toEqual([]);
  });
});

test('the model imports no file writer: only the chart writer reads files/', () => {
  const importers = [...sources(path.join(HELM, 'private'))]
    .filter(([file, text]) => !file.startsWith('files/') && /from '\.\/files\/|from '\.\.\/files\//.test(text))
    .map(([file]) => file);
  expect(importers).toEqual(['chart-writer.ts']);
});

describe('each template is rendered once however many environments', () => {
  afterEach(() => jest.restoreAllMocks());

  test.each([1, 3])('with %i environment(s)', (count) => {
    const render = jest.spyOn(templateBody, 'renderTemplateBody');
    const app = new App({ outdir: tempDir(`render-once-${count}`) });
    const charts = Array.from({ length: count }, (_, i) => {
      const chart = new Chart(app, `shop-${i}`, { namespace: 'shop' });
      addWeb(chart, { replicas: i + 2 });
      return chart;
    });
    const helm = new HelmChart(app, 'helm', {
      chartName: 'shop',
      chartVersion: '1.0.0',
      chart: charts[0],
      environments: charts.slice(1).map((chart, i) => ({ name: `env${i}`, chart })),
    });
    app.synth();
    const files = helm.synthesizeFiles();
    const plans = render.mock.calls.map(([plan]) => plan);
    const keys = plans.map((p) => p.key);
    // One render per object and environment (the other environments' to compare them), none twice.
    expect(new Set(plans).size).toBe(plans.length);
    // Objects every environment holds are rendered once each (compared); those the chart adds (a stand-in HPA), once.
    const perKey = new Map<string, number>();
    for (const k of keys) perKey.set(k, (perKey.get(k) ?? 0) + 1);
    expect([...perKey.values()].every((n) => n === 1 || n === count)).toBe(true);
    expect(perKey.get('Deployment/shop/web')).toBe(count);
    expect(Object.keys(files).filter((f) => f.startsWith('templates/') && f.endsWith('.yaml') && !f.includes('/tests/')).length).toBeGreaterThan(0);
  });
});
