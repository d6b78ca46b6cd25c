/**
 * `npm run bench` (`npx projen bench`): the whole job, each case against its baseline in the same
 * process, the cases alternating for several rounds; every figure is a median of the rounds.
 *  1. synth to files of N apps (N = 200, the seed's large environment, and 2,000): the library's
 *     ConfigMapConfiguration + DeploymentManifest against the same six objects per app hand-written
 *     with cdk8s-plus-28 (bench/apps.ts); per app, per object, and the growth from 200 to 2,000 apps;
 *  2. `HelmChart.writeTo` of the library's app (after its synth), against that synth;
 *  3. the real `helm template` of that chart against the same objects as a static chart (bench/helm-template.ts),
 *     and the static chart with the generated values.yaml and values.schema.json beside it (what helm spends
 *     on the values alone, the part no template change saves), and each example system's chart (bench/examples.ts);
 *  4. 100 certificate bundles cold (empty store, concurrent) and warm, against the native key-generation floor;
 *  5. `deploykit check` over the 2,000-app output, against its synth;
 *  6. peak RSS of the library's whole job (synth + chart) in a fresh process per size (bench/rss-child.ts).
 * Prints a table, then as its last line one JSON object, and exits non-zero when a goal is missed.
 * Set BENCH_ROUNDS to change the number of rounds (default 5 at 200 apps, 3 at 2,000; 31 for the
 * example charts, whose renders take tens of milliseconds).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHART_ID, handWritten, withLibrary } from './apps';
import { certificateRound } from './certificates';
import { timeCheck } from './check';
import { exampleCharts, exampleTemplateTimes } from './examples';
import { packStaticChart, packValuesFloorChart, timeHelmTemplate } from './helm-template';
import { HelmChart } from '../src/helm/helm-chart';

const SIZES = [200, 2000];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 0);
const rounds = (apps: number) => ROUNDS || (apps <= 200 ? 5 : 3);
const EXAMPLE_ROUNDS = ROUNDS || 31;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-bench-'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function time(fn: () => void): number {
  (global as any).gc?.();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function countObjects(dir: string): number {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))
    .reduce((n, f) => n + (fs.readFileSync(path.join(dir, f), 'utf8').match(/^kind: /mg)?.length ?? 0), 0);
}

interface SynthFigures {
  handMs: number;
  libMs: number;
  helmWriteMs: number;
  handObjects: number;
  libObjects: number;
  libDist: string;
  chartDir: string;
}

/** Case 1 and 2 for `apps` apps: hand-written synth, library synth, then the library's chart, alternating. */
function synthCase(apps: number): SynthFigures {
  const hand: number[] = [];
  const lib: number[] = [];
  const write: number[] = [];
  const handDist = path.join(work, `hand-${apps}`);
  const libDist = path.join(work, `lib-${apps}`);
  const helmOut = path.join(work, `helm-${apps}`);
  let chartDir = '';
  const runHand = () => hand.push(time(() => handWritten(apps, handDist).synth()));
  const runLib = () => {
    let helm: HelmChart | undefined;
    lib.push(time(() => {
      const { app, chart } = withLibrary(apps, libDist);
      helm = new HelmChart(app, 'helm', { chartName: CHART_ID, chartVersion: '1.0.0', chart });
      app.synth();
    }));
    write.push(time(() => { chartDir = helm!.writeTo(helmOut); }));
  };
  for (let r = 0; r < rounds(apps); r++) {
    if (r % 2 === 0) { runHand(); runLib(); } else { runLib(); runHand(); }
  }
  return {
    handMs: median(hand),
    libMs: median(lib),
    helmWriteMs: median(write),
    handObjects: countObjects(handDist),
    libObjects: countObjects(libDist),
    libDist,
    chartDir,
  };
}

/** Case 3: helm template of the generated chart and of the static chart, alternating. */
function helmTemplateCase(apps: number, s: SynthFigures): { generatedMs: number; staticMs: number; valuesFloorMs: number; objects: number } {
  const packed = packStaticChart(CHART_ID, s.chartDir, path.join(s.libDist, `${CHART_ID}.k8s.yaml`), path.join(work, `static-${apps}`));
  const floorDir = packValuesFloorChart(packed.dir, s.chartDir, path.join(work, `values-floor-${apps}`));
  const generated: number[] = [];
  const stat: number[] = [];
  const floor: number[] = [];
  for (let r = 0; r < rounds(apps); r++) {
    const g = () => generated.push(timeHelmTemplate(CHART_ID, s.chartDir));
    const st = () => stat.push(timeHelmTemplate(CHART_ID, packed.dir));
    const fl = () => floor.push(timeHelmTemplate(CHART_ID, floorDir));
    if (r % 2 === 0) { g(); st(); fl(); } else { fl(); st(); g(); }
  }
  return { generatedMs: median(generated), staticMs: median(stat), valuesFloorMs: median(floor), objects: packed.objects };
}

/** Case 6: peak RSS of one case in a fresh process. */
function peakRss(which: string, apps: number): number {
  const outdir = path.join(work, `rss-${which}-${apps}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'rss-child.ts'), which, String(apps), outdir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`peak RSS of ${which} ${apps}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!).peakRssMb;
}

/** Progress goes to stderr, so stdout holds only the table and the JSON line. */
function progress(what: string): void {
  process.stderr.write(`bench: ${what}...\n`);
}

interface Goal { readonly name: string; readonly value: number; readonly limit: number; readonly strict?: boolean }

async function main(): Promise<number> {
  // Warm-up: module loading and JIT are not measured.
  handWritten(20, path.join(work, 'warm-hand')).synth();
  const warm = withLibrary(20, path.join(work, 'warm-lib'));
  const warmHelm = new HelmChart(warm.app, 'helm', { chartName: CHART_ID, chartVersion: '1.0.0', chart: warm.chart });
  warm.app.synth();
  warmHelm.writeTo(path.join(work, 'warm-helm'));

  const synth = new Map<number, SynthFigures>();
  const template = new Map<number, ReturnType<typeof helmTemplateCase>>();
  for (const n of SIZES) {
    progress(`synth and chart, ${n} apps`);
    synth.set(n, synthCase(n));
  }
  for (const n of SIZES) {
    progress(`helm template, ${n} apps`);
    template.set(n, helmTemplateCase(n, synth.get(n)!));
  }

  progress('helm template, example charts');
  const examples = exampleCharts(work).map((e) => ({ ...e, ...exampleTemplateTimes(e, EXAMPLE_ROUNDS, median) }));

  const big = synth.get(2000)!;
  progress('deploykit check, 2000 apps');
  const check: number[] = [];
  let checked: any;
  for (let r = 0; r < rounds(2000); r++) {
    (global as any).gc?.();
    const c = await timeCheck(big.libDist);
    check.push(c.ms);
    checked = c.report;
  }
  const checkMs = median(check);

  progress('certificates');
  const certRounds = [];
  for (let r = 0; r < 3; r++) certRounds.push(await certificateRound(100));
  const floorMs = median(certRounds.map((c) => c.floorMs));
  const coldMs = median(certRounds.map((c) => c.coldMs));
  const warmMs = median(certRounds.map((c) => c.warmMs));

  progress('peak RSS');
  const rss = new Map<string, number>();
  for (const n of SIZES) for (const which of ['hand-written', 'library']) rss.set(`${which} ${n}`, peakRss(which, n));

  // The table.
  const rows: [string, string, string][] = [];
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  for (const n of SIZES) {
    const s = synth.get(n)!;
    const t = template.get(n)!;
    rows.push([`synth ${n} apps: hand-written cdk8s-plus-28 (${s.handObjects} objects)`, ms(s.handMs), `${(s.handMs / n).toFixed(2)} ms/app`]);
    rows.push([`synth ${n} apps: cdk8s-deploykit (${s.libObjects} objects)`, ms(s.libMs), `${(s.libMs / s.handMs).toFixed(2)}x the hand-written synth`]);
    rows.push([`HelmChart.writeTo, ${n} apps`, ms(s.helmWriteMs), `${(s.helmWriteMs / s.libMs).toFixed(2)}x the synth`]);
    rows.push([`helm template, static chart (${t.objects} objects)`, ms(t.staticMs), '']);
    rows.push([`helm template, static chart + the generated values and schema, ${n} apps`, ms(t.valuesFloorMs), `${(t.valuesFloorMs / t.staticMs).toFixed(2)}x the static chart (helm's cost of the values alone)`]);
    rows.push([`helm template, generated chart, ${n} apps`, ms(t.generatedMs), `${(t.generatedMs / t.staticMs).toFixed(2)}x the static chart`]);
    rows.push([`peak RSS, ${n} apps: hand-written synth / library synth + chart`, `${rss.get(`hand-written ${n}`)} / ${rss.get(`library ${n}`)} MB`, '']);
  }
  for (const e of examples) {
    rows.push([`helm template, example ${e.chart}: static / generated chart (${e.objects} objects)`, `${ms(e.staticMs)} / ${ms(e.generatedMs)}`, `${(e.generatedMs / e.staticMs).toFixed(2)}x the static chart`]);
  }
  rows.push([`deploykit check, 2000 apps (${checked.summary?.objects ?? checked.objectCount ?? '?'} objects)`, ms(checkMs), `${(checkMs / big.libMs).toFixed(2)}x the synth`]);
  rows.push(['certificates: native floor, 100 x RSA 2048 concurrent', ms(floorMs), '']);
  rows.push(['certificates: 100 bundles cold (empty store, prepareAll)', ms(coldMs), `${(coldMs / floorMs).toFixed(2)}x the floor`]);
  rows.push(['certificates: 100 bundles warm (store present)', ms(warmMs), `${(warmMs / floorMs).toFixed(3)}x the floor`]);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, medians of ${rounds(200)} rounds (200 apps), ${rounds(2000)} (2,000 apps; check), ${EXAMPLE_ROUNDS} (example charts), 3 (certificates)`);
  console.log(`${'case'.padEnd(w0)} | ${'median'.padStart(w1)} | ratio`);
  console.log(`${'-'.repeat(w0)}-|-${'-'.repeat(w1)}-|------`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)} | ${b.padStart(w1)} | ${c}`);

  const s200 = synth.get(200)!;
  const s2000 = synth.get(2000)!;
  const round = (v: number, d = 3) => Number(v.toFixed(d));
  const figures = {
    warmRatio: round(s200.libMs / s200.handMs),
    warmRatio2000: round(s2000.libMs / s2000.handMs),
    perObjectRatio: round((s200.libMs / s200.libObjects) / (s200.handMs / s200.handObjects)),
    perObjectRatio2000: round((s2000.libMs / s2000.libObjects) / (s2000.handMs / s2000.handObjects)),
    helmWriteRatio: round(s200.helmWriteMs / s200.libMs),
    helmWriteRatio2000: round(s2000.helmWriteMs / s2000.libMs),
    helmTemplateRatio: round(template.get(200)!.generatedMs / template.get(200)!.staticMs),
    helmTemplateRatio2000: round(template.get(2000)!.generatedMs / template.get(2000)!.staticMs),
    helmValuesFloorRatio: round(template.get(200)!.valuesFloorMs / template.get(200)!.staticMs),
    helmValuesFloorRatio2000: round(template.get(2000)!.valuesFloorMs / template.get(2000)!.staticMs),
    helmTemplateExamples: Object.fromEntries(examples.map((e) => [e.chart, round(e.generatedMs / e.staticMs)])),
    coldRatio: round(coldMs / floorMs),
    certWarmRatio: round(warmMs / floorMs, 4),
    checkRatio: round(checkMs / s2000.libMs),
    growth2000: round(s2000.libMs / s200.libMs),
    peakRssMb: rss.get('library 200')!,
    peakRssMb2000: rss.get('library 2000')!,
    ms: {
      synthHand200: round(s200.handMs, 1),
      synthLib200: round(s200.libMs, 1),
      helmWrite200: round(s200.helmWriteMs, 1),
      synthHand2000: round(s2000.handMs, 1),
      synthLib2000: round(s2000.libMs, 1),
      helmWrite2000: round(s2000.helmWriteMs, 1),
      helmTemplateStatic200: round(template.get(200)!.staticMs, 1),
      helmTemplate200: round(template.get(200)!.generatedMs, 1),
      helmTemplateStatic2000: round(template.get(2000)!.staticMs, 1),
      helmTemplate2000: round(template.get(2000)!.generatedMs, 1),
      helmValuesFloor200: round(template.get(200)!.valuesFloorMs, 1),
      helmValuesFloor2000: round(template.get(2000)!.valuesFloorMs, 1),
      helmTemplateExamples: Object.fromEntries(examples.map((e) => [e.chart, { static: round(e.staticMs, 1), generated: round(e.generatedMs, 1) }])),
      check2000: round(checkMs, 1),
      certFloor: round(floorMs, 1),
      certCold: round(coldMs, 1),
      certWarm: round(warmMs, 1),
    },
  };
  // Both apps hold the same objects (test/bench/apps.test.ts), so perObjectRatio equals warmRatio:
  // one goal for both.
  const goals: Goal[] = [
    { name: 'warmRatio (200 apps)', value: figures.warmRatio, limit: 0.9 },
    { name: 'warmRatio (2,000 apps)', value: figures.warmRatio2000, limit: 0.9 },
    { name: 'helmWriteRatio (200 apps)', value: figures.helmWriteRatio, limit: 1.0 },
    { name: 'helmWriteRatio (2,000 apps)', value: figures.helmWriteRatio2000, limit: 1.0 },
    { name: 'helmTemplateRatio (200 apps)', value: figures.helmTemplateRatio, limit: 1.8 },
    { name: 'helmTemplateRatio (2,000 apps)', value: figures.helmTemplateRatio2000, limit: 2.2 },
    ...examples.map((e) => ({ name: `helmTemplateRatio (example ${e.chart})`, value: round(e.generatedMs / e.staticMs), limit: 1.2 })),
    { name: 'coldRatio (certificates)', value: figures.coldRatio, limit: 1.1 },
    { name: 'warm certificates / floor', value: figures.certWarmRatio, limit: 0.05 },
    { name: 'checkRatio (2,000 apps)', value: figures.checkRatio, limit: 0.5 },
    { name: 'growth2000', value: figures.growth2000, limit: 11 },
    { name: 'peakRssMb (200 apps)', value: figures.peakRssMb, limit: 300, strict: true },
    { name: 'peakRssMb (2,000 apps)', value: figures.peakRssMb2000, limit: 1500, strict: true },
  ];
  const missed = goals.filter((g) => (g.strict ? g.value >= g.limit : g.value > g.limit));
  console.log('');
  for (const g of goals) {
    const ok = !missed.includes(g);
    const by = ok ? '' : `: missed by ${(g.value - g.limit).toFixed(3)} (${((g.value / g.limit - 1) * 100).toFixed(0)}% over)`;
    console.log(`${ok ? 'ok    ' : 'MISSED'} ${g.name} = ${g.value} (goal ${g.strict ? '<' : '<='} ${g.limit})${by}`);
  }
  console.log(missed.length ? `\n${missed.length} benchmark goal(s) missed` : '\nall benchmark goals met');
  console.log(JSON.stringify({ ...figures, goalsMissed: missed.map((g) => g.name) }));
  return missed.length ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
}).catch((e) => {
  console.error(e);
  process.exitCode = 1;
}).finally(() => fs.rmSync(work, { recursive: true, force: true }));
