/**
 * `npm run bench`: speed and memory goals, each compared in the same run against its baseline.
 * Goals (checked here, not in unit tests, so a slow CI machine cannot make the test suite flaky):
 *  - synth: cdk8s-deploykit's 200-app synth takes at most GOAL_SYNTH_RATIO times the hand-written
 *    cdk8s-plus-28 baseline, though it emits 2x the objects (PDB, NetworkPolicy) and runs every rule;
 *  - memory: the heap the 200-app construct tree keeps after synthesis is at most GOAL_HEAP_RATIO
 *    times the baseline's (run with --expose-gc, as `npm run bench` does, for a stable reading);
 *  - certificates: 100 bundles generated cold with `prepareAll` within 1.25x the native RSA
 *    key-generation floor, and reused warm from the store within 0.1x of it (bench/certificates.ts).
 * Exits non-zero when a goal is missed.
 */
import { runCertificateBenchmarks } from './certificates';
import { runSynthBenchmarks } from './synth';

const GOAL_SYNTH_RATIO = 3;
const GOAL_HEAP_RATIO = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<boolean> {
  const results = runSynthBenchmarks();
  console.log('| benchmark | ms | objects | heap kept MB |');
  console.log('|---|---:|---:|---:|');
  for (const r of results) console.log(`| ${r.name} | ${r.ms.toFixed(1)} | ${r.objects} | ${r.heapMb.toFixed(1)} |`);
  const baseline = median(results.filter((r) => r.name.startsWith('baseline')).map((r) => r.ms));
  const ours = median(results.filter((r) => r.name.startsWith('cdk8s-deploykit')).map((r) => r.ms));
  const ratio = ours / baseline;
  console.log(`\nsynth: median ${ours.toFixed(1)} ms vs baseline ${baseline.toFixed(1)} ms = ${ratio.toFixed(2)}x (goal <= ${GOAL_SYNTH_RATIO}x)`);
  const baselineHeap = median(results.filter((r) => r.name.startsWith('baseline')).map((r) => r.heapMb));
  const oursHeap = median(results.filter((r) => r.name.startsWith('cdk8s-deploykit')).map((r) => r.heapMb));
  const heapRatio = oursHeap / baselineHeap;
  console.log(`memory: median ${oursHeap.toFixed(1)} MB kept vs baseline ${baselineHeap.toFixed(1)} MB = ${heapRatio.toFixed(2)}x (goal <= ${GOAL_HEAP_RATIO}x)\n`);
  const certificatesOk = await runCertificateBenchmarks(100);
  return ratio <= GOAL_SYNTH_RATIO && heapRatio <= GOAL_HEAP_RATIO && certificatesOk;
}

main().then((ok) => {
  console.log(ok ? '\nall benchmark goals met' : '\na benchmark goal was missed');
  process.exitCode = ok ? 0 : 1;
}).catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
