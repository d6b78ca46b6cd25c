/** Helpers of the package tests, which need the jsii build (`npx projen compile`). */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Fails (never skips) when lib/ and .jsii are missing. */
export function requireBuild(): void {
  const missing = ['lib/index.js', 'lib/index.d.ts', '.jsii'].filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (missing.length) throw new Error(`the jsii build is missing (${missing.join(', ')}): run \`npx projen compile\` first`);
}

/** A binary of the repo's node_modules. */
export function bin(name: string): string {
  return path.join(ROOT, 'node_modules', '.bin', name);
}

/** Runs a command; never throws on a non-zero exit. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

/** Like `run`, but throws with the output when the command fails. */
export function runOk(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string {
  const r = run(command, args, cwd, env);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
