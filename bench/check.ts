/**
 * `deploykit check` over a folder, run in this process through the command's own entry point
 * (argument parsing, reading every file, the policy check, formatting the report), so the time is
 * the command's work without node's start-up.
 */
import { main } from '../src/policy/private/cli/main';

/** Runs `deploykit check --format json <dir>`; returns the time in ms, the exit status and the report. */
export async function timeCheck(dir: string): Promise<{ ms: number; status: number; report: any }> {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => { out += t; }, stderr: (t: string) => { err += t; }, stdin: () => '' };
  const start = process.hrtime.bigint();
  const status = await main(['check', '--format', 'json', dir], io);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (status === 2) throw new Error(`deploykit check ${dir} could not read its input: ${err}`);
  return { ms, status, report: JSON.parse(out) };
}
