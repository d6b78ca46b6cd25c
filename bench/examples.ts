/**
 * `helm template` of each example system's chart (Rescan, the Todo chatbot, RCC Remote, ToolHive:
 * examples/site.ts) against the same objects as a static chart, the way bench/helm-template.ts does
 * it for the benchmark's apps: the default render (the release named after the chart, in the
 * system's namespace) is the production plain YAML, so both charts hold the same objects.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { packStaticChart, timeHelmTemplate } from './helm-template';
import { synthExamples } from '../examples/site';

/** One example chart and its static twin. */
export interface ExampleChart {
  readonly chart: string;
  readonly namespace: string;
  readonly generatedDir: string;
  readonly staticDir: string;
  readonly objects: number;
}

/** Writes the example site under `work` and packs a static chart beside each system's chart. */
export function exampleCharts(work: string): ExampleChart[] {
  const site = synthExamples(path.join(work, 'site'));
  return site.systems.map((system) => {
    const chart = path.basename(system.helmDir);
    const production = system.charts[0].chart;
    const plainFile = path.join(system.plainDir, `${production.node.id}.k8s.yaml`);
    // The plain YAML starts with the system's Namespace (the release's namespace too).
    const first = YAML.parseAllDocuments(fs.readFileSync(plainFile, 'utf8'))[0]?.toJS();
    const namespace = first?.kind === 'Namespace' ? first.metadata.name : undefined;
    if (!namespace) throw new Error(`${plainFile}: does not start with the system's Namespace`);
    const packed = packStaticChart(chart, system.helmDir, plainFile, path.join(work, 'static-examples'), namespace);
    return { chart, namespace, generatedDir: system.helmDir, staticDir: packed.dir, objects: packed.objects };
  });
}

/** Medians of `rounds` alternating runs of `helm template` of the generated and the static chart. */
export function exampleTemplateTimes(
  example: ExampleChart, rounds: number, median: (values: number[]) => number,
): { generatedMs: number; staticMs: number } {
  const generated: number[] = [];
  const stat: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const g = () => generated.push(timeHelmTemplate(example.chart, example.generatedDir, example.namespace));
    const s = () => stat.push(timeHelmTemplate(example.chart, example.staticDir, example.namespace));
    if (r % 2 === 0) { g(); s(); } else { s(); g(); }
  }
  return { generatedMs: median(generated), staticMs: median(stat) };
}
