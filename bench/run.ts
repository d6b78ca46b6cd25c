/**
 * `npm run bench`: speed and memory goals, each compared in the same run against its baseline.
 * Goals (checked here, not in unit tests, so a slow CI machine cannot make the test suite flaky):
 *  - synth: cdk8s-deploykit's 200-app synth takes at most GOAL_SYNTH_RATIO times the hand-written
 *    cdk8s-plus-28 baseline, though it emits 2x the objects (PDB, NetworkPolicy) and runs every rule.
 * Exits non-zero when a goal is missed.
 */
import { runSynthBenchmarks } from './synth';

const GOAL_SYNTH_RATIO = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const results = runSynthBenchmarks();
console.log('| benchmark | ms | objects | heap delta MB |');
console.log('|---|---:|---:|---:|');
for (const r of results) console.log(`| ${r.name} | ${r.ms.toFixed(1)} | ${r.objects} | ${r.heapMb.toFixed(1)} |`);

const baseline = median(results.filter((r) => r.name.startsWith('baseline')).map((r) => r.ms));
const ours = median(results.filter((r) => r.name.startsWith('cdk8s-deploykit')).map((r) => r.ms));
const ratio = ours / baseline;
console.log(`\nsynth: median ${ours.toFixed(1)} ms vs baseline ${baseline.toFixed(1)} ms = ${ratio.toFixed(2)}x (goal <= ${GOAL_SYNTH_RATIO}x)`);
let failed = ratio > GOAL_SYNTH_RATIO;

// Certificate benchmarks live beside this file when the certificate bundle is built.
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const certs = require('./certificates');
  if (typeof certs.main === 'function') failed = (certs.main() === false) || failed;
} catch (e) {
  if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
}
process.exitCode = failed ? 1 : 0;
