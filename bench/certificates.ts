/**
 * Benchmark (not a test): CertificateBundle key material for N bundles (default 100).
 *
 *     npx tsx bench/certificates.ts [count]
 *
 * Rows, in one process:
 * - native floor: N x crypto.generateKeyPair (RSA 2048) started at once; nothing can be faster than this;
 * - cold, on demand: a fresh store, `app.synth()` generates every key synchronously, one after another;
 * - cold, prepareAll: a fresh store, `await CertificateBundle.prepareAll(app)` then synth (keys concurrently);
 * - warm: the store from the previous row, synth again (no key generation, keys decrypted from the store).
 * "peak RSS" is the process's maximum resident set size after the row (it never goes down).
 * Goals, against the native floor measured in the same run: cold with prepareAll at most
 * GOAL_COLD_RATIO x the floor; warm (reuse from the store) at most GOAL_WARM_RATIO x the floor.
 * The libuv thread pool (UV_THREADPOOL_SIZE, default 4) and the CPU count bound the concurrent rows.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { CertificateBundle } from '../src/tls/certificate-bundle';
import { CertificateType } from '../src/tls/certificate-types';

let COUNT = 100;
const PASS_VAR = 'DEPLOYKIT_BENCH_PASSPHRASE';
process.env[PASS_VAR] = 'bench passphrase';

const GOAL_COLD_RATIO = 1.25;
const GOAL_WARM_RATIO = 0.1;

interface Row { readonly name: string; readonly ms: number; readonly peakRssMb: number }

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function timed(name: string, fn: () => Promise<unknown> | unknown): Promise<Row> {
  const start = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { name, ms: Math.round(ms), peakRssMb: peakRssMb() };
}

const outdirs: string[] = [];

function app(storeDir: string): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-bench-out-'));
  outdirs.push(outdir);
  const a = new App({ outdir });
  const chart = new Chart(a, 'bench');
  for (let i = 0; i < COUNT; i++) {
    new CertificateBundle(chart, `svc${i}`, {
      serverName: `svc${i}.example.com`,
      sanNames: [`svc${i}.example.com`, `svc${i}.bench.svc`],
      certType: CertificateType.AUTO_GENERATED_SELFSIGNED,
      store: { directory: storeDir, passphraseEnvVar: PASS_VAR },
    });
  }
  return a;
}

function generateKey(): Promise<void> {
  return new Promise((resolve, reject) => crypto.generateKeyPair('rsa', { modulusLength: 2048 }, (err) => (err ? reject(err) : resolve())));
}

/** Runs the certificate rows for `count` bundles, prints them, and returns whether the goals are met. */
export async function runCertificateBenchmarks(count = 100): Promise<boolean> {
  COUNT = count;
  const temp: string[] = [];
  const newStore = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-bench-store-'));
    temp.push(d);
    return d;
  };
  const rows: Row[] = [];
  rows.push(await timed(`native floor: ${COUNT} x generateKeyPair (concurrent)`, () => Promise.all(Array.from({ length: COUNT }, generateKey))));

  const coldSync = newStore();
  rows.push(await timed(`cold, on demand (sync keygen): ${COUNT} bundles`, () => app(coldSync).synth()));

  const coldPrepared = newStore();
  rows.push(await timed(`cold, prepareAll + synth: ${COUNT} bundles`, async () => {
    const a = app(coldPrepared);
    await CertificateBundle.prepareAll(a);
    a.synth();
  }));

  rows.push(await timed(`warm (store present): ${COUNT} bundles`, () => app(coldPrepared).synth()));
  rows.push(await timed(`warm, prepareAll + synth: ${COUNT} bundles`, async () => {
    const a = app(coldPrepared);
    await CertificateBundle.prepareAll(a);
    a.synth();
  }));

  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`);
  console.log(`${'case'.padEnd(width)} | ${'ms'.padStart(8)} | ${'peak RSS MB'.padStart(11)}`);
  console.log(`${'-'.repeat(width)}-|-${'-'.repeat(8)}-|-${'-'.repeat(11)}`);
  for (const r of rows) console.log(`${r.name.padEnd(width)} | ${String(r.ms).padStart(8)} | ${String(r.peakRssMb).padStart(11)}`);
  for (const d of [...temp, ...outdirs]) fs.rmSync(d, { recursive: true, force: true });

  const [floor, , coldWithPrepare, warm] = rows.map((r) => r.ms);
  const coldRatio = coldWithPrepare / floor;
  const warmRatio = warm / floor;
  console.log(`\ncertificates: cold with prepareAll ${coldRatio.toFixed(2)}x the native floor (goal <= ${GOAL_COLD_RATIO}x); `
    + `warm ${warmRatio.toFixed(3)}x (goal <= ${GOAL_WARM_RATIO}x)`);
  return coldRatio <= GOAL_COLD_RATIO && warmRatio <= GOAL_WARM_RATIO;
}

if (require.main === module) {
  runCertificateBenchmarks(Number(process.argv[2] ?? 100)).then((ok) => {
    process.exitCode = ok ? 0 : 1;
  }).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
