/**
 * Benchmark rows for CertificateBundle key material (the seed's large environment: 100 bundles).
 *
 *     npx tsx bench/certificates.ts [count]
 *
 * One round, in this process:
 * - native floor: N x crypto.generateKeyPair (RSA 2048) started at once; nothing can be faster;
 * - cold: an empty store, `await CertificateBundle.prepareAll(app)` (keys concurrently), then `app.synth()`;
 * - warm: the store from the cold row, `prepareAll` and `app.synth()` again (no key generation).
 * The libuv thread pool (UV_THREADPOOL_SIZE, default 4) and the CPU count bound the concurrent rows.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { CertificateBundle } from '../src/tls/certificate-bundle';
import { CertificateType } from '../src/tls/certificate-types';

const PASS_VAR = 'DEPLOYKIT_BENCH_PASSPHRASE';

/** The times of one round, in milliseconds. */
export interface CertificateRound {
  readonly floorMs: number;
  readonly coldMs: number;
  readonly warmMs: number;
}

function app(count: number, storeDir: string, outdir: string): App {
  const a = new App({ outdir });
  const chart = new Chart(a, 'bench');
  for (let i = 0; i < count; i++) {
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

async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs one round: the native floor, cold (empty store, concurrent) and warm, for `count` bundles. */
export async function certificateRound(count = 100): Promise<CertificateRound> {
  process.env[PASS_VAR] = process.env[PASS_VAR] ?? 'bench passphrase';
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-bench-certs-'));
  try {
    const store = path.join(work, 'store');
    fs.mkdirSync(store);
    const floorMs = await timed(() => Promise.all(Array.from({ length: count }, generateKey)));
    const run = async (outdir: string) => {
      const a = app(count, store, path.join(work, outdir));
      await CertificateBundle.prepareAll(a);
      a.synth();
    };
    const coldMs = await timed(() => run('cold'));
    const warmMs = await timed(() => run('warm'));
    return { floorMs, coldMs, warmMs };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  certificateRound(Number(process.argv[2] ?? 100)).then((r) => {
    console.log(`native floor ${r.floorMs.toFixed(0)} ms, cold ${r.coldMs.toFixed(0)} ms (${(r.coldMs / r.floorMs).toFixed(2)}x), `
      + `warm ${r.warmMs.toFixed(0)} ms (${(r.warmMs / r.floorMs).toFixed(3)}x)`);
  }).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
