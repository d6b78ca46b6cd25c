import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthRccRemote, synthRccRemoteCompose } from './rcc-remote';
import { synthRccRemoteGitops } from './rcc-remote-gitops';
import { ExampleOutput, synthRescan, synthRescanCompose } from './rescan';
import { synthTodoChatbot } from './todo-chatbot';
import { synthToolHive } from './toolhive';

/**
 * Where `npx cdk8s synth` writes the examples: the CLI's default output folder (cdk8s.yaml sets
 * no `output:`, so that `--stdout` deletes nothing). `npx projen package` writes to artifacts/.
 */
export const SITE_DIR = 'dist';

/** The file of a `--stdout` run: the only file in the CLI's temp folder, so printed whole and in order. */
export const STDOUT_FILE = 'examples.k8s.yaml';

/** What the examples wrote. */
export interface ExamplesSite {
  /** Rescan, the Todo chatbot, RCC Remote and the ToolHive registry, each with its plain YAML folder and Helm chart folder. */
  readonly systems: ExampleOutput[];
  /**
   * Other ways to deploy one of the systems (the same objects under the same names, so not printed
   * by `--stdout` beside it): RCC Remote for GitOps, its Secrets sealed.
   */
  readonly variants: ExampleOutput[];
  /** The docker-compose.yaml files of Rescan and RCC Remote. */
  readonly composeFiles: string[];
}

/**
 * Writes every example system under `site`: plain YAML per environment in `<site>/<system>/`
 * (RCC Remote twice: with cert-manager, and as `rcc-remote-gitops` with sealed Secrets)
 * (objects in apply order, the Namespace first), a Helm chart per system in `<site>/helm/`, and the
 * docker-compose.yaml of Rescan and RCC Remote (with the TLS files it mounts) beside their YAML.
 */
export function synthExamples(site: string): ExamplesSite {
  const rescan = synthRescan(site);
  const rescanCompose = synthRescanCompose(site);
  const todo = synthTodoChatbot(site);
  const rcc = synthRccRemote(site);
  const rccCompose = synthRccRemoteCompose(site);
  const toolhive = synthToolHive(site);
  const gitops = synthRccRemoteGitops(site);
  return { systems: [rescan, todo, rcc, toolhive], variants: [gitops], composeFiles: [rescanCompose, rccCompose.composeFile] };
}

/**
 * True when the app runs under `cdk8s synth --stdout`. The cdk8s CLI (2.x, `lib/cli/cmds/synth.js`)
 * then sets CDK8S_OUTDIR to a fresh `<tmpdir>/cdk8s-XXXXXX` folder, prints every `*.yaml` file it
 * finds there (recursively, several files concurrently and without `---` between them) and deletes
 * the folder; otherwise CDK8S_OUTDIR is the output folder (dist/ or `--output`).
 * `test/examples/stdout.test.ts` runs the real CLI both ways.
 */
export function isStdoutRun(outdir: string): boolean {
  const dir = path.resolve(outdir);
  return path.dirname(dir) === path.resolve(os.tmpdir()) && /^cdk8s-[^/\\]+$/.test(path.basename(dir));
}

/**
 * The `--stdout` document stream: the production objects of every example system, one system after
 * the other (each starts with its Namespace), separated by `---`. Only Kubernetes objects: the Helm
 * charts and the compose file stay in their folders, and the development environment (same names,
 * same namespaces) stays in its own file, so `kubectl apply -f -` gets each object once.
 */
export function productionManifests(site: ExamplesSite): string {
  return site.systems.map((system) => {
    const production = system.charts.find((c) => c.name === 'production');
    if (!production) throw new Error(`${system.plainDir}: no production chart`);
    const text = fs.readFileSync(path.join(system.plainDir, `${production.chart.node.id}.k8s.yaml`), 'utf8');
    return text.endsWith('\n') ? text : `${text}\n`;
  }).join('---\n');
}
