/**
 * The example systems as the example test files synthesize them: into a temp folder before the
 * file's tests and removed after, with the variables the examples read secret values from unset,
 * so the output is what a fresh clone gets (out-of-band Secret references, no values).
 */
import * as fs from 'fs';
import { ExampleOutput } from '../../examples/rescan';
import { tempDir } from '../helm/fixtures';

/** The environment variables the examples read secret values from. */
export const SECRET_VARIABLES = [
  'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_MODEL_DEPLOYMENT', 'TODO_POSTGRES_PASSWORD', 'TODO_JWT_SECRET',
];

/** Where the systems were written, and each system's output by the key it was given; filled in `beforeAll`. */
export interface ExampleSite {
  readonly dir: string;
  readonly outputs: Map<string, ExampleOutput>;
}

/** Registers `beforeAll`/`afterAll` that synthesize each `[key, synth]` system into one temp folder `prefix-*`. */
export function synthesizeBeforeAll(prefix: string, systems: ReadonlyArray<readonly [string, (outdir: string) => ExampleOutput]>): ExampleSite {
  const site = { dir: '', outputs: new Map<string, ExampleOutput>() };
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const v of SECRET_VARIABLES) {
      saved[v] = process.env[v];
      delete process.env[v];
    }
    site.dir = tempDir(prefix);
    for (const [key, synth] of systems) site.outputs.set(key, synth(site.dir));
  });
  afterAll(() => {
    for (const v of SECRET_VARIABLES) if (saved[v] !== undefined) process.env[v] = saved[v];
    fs.rmSync(site.dir, { recursive: true, force: true });
  });
  return site;
}
