/**
 * Synthesis benchmark: the seed's large environment (~200 deployment manifests) built with
 * cdk8s-deploykit, against the baseline of the same 200 apps written by hand with cdk8s-plus-28
 * (Deployment + Service each), measured in the same run.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ContainerImage, DeploymentManifest } from '../src';

export interface Measurement {
  readonly name: string;
  readonly ms: number;
  readonly objects: number;
  readonly heapMb: number;
}

function measure(name: string, build: () => Chart): Measurement {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const chart = build();
  const objects = chart.toJson().length;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // What the construct tree keeps alive once synthesized (garbage collected first when --expose-gc).
  global.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  if (chart.node.children.length === 0) throw new Error('empty chart');
  return { name, ms, objects, heapMb };
}

export function baselineCdk8sPlus(apps: number): Chart {
  const chart = new Chart(new App(), 'baseline');
  for (let i = 0; i < apps; i++) {
    const deployment = new kplus.Deployment(chart, `app-${i}`, {
      replicas: 2,
      containers: [{ image: `registry.example.com/team/app-${i}:1.0.${i}`, portNumber: 8080 }],
    });
    deployment.exposeViaService({ ports: [{ port: 8080 }] });
  }
  return chart;
}

export function deploykit(apps: number): Chart {
  const chart = Testing.chart();
  for (let i = 0; i < apps; i++) {
    new DeploymentManifest(chart, `app-${i}`, {
      image: new ContainerImage(chart, `app-${i}-image`, { registry: 'registry.example.com', repository: `team/app-${i}`, tag: `1.0.${i}` }),
      ports: [{ containerPort: 8080 }],
      replicaCount: 2,
    });
  }
  return chart;
}

export function runSynthBenchmarks(apps = 200, rounds = 5): Measurement[] {
  const results: Measurement[] = [];
  // One warm-up each, so module loading is not measured.
  measure('warm-up', () => baselineCdk8sPlus(5));
  measure('warm-up', () => deploykit(5));
  for (let r = 0; r < rounds; r++) {
    results.push(measure(`baseline: cdk8s-plus-28, ${apps} apps`, () => baselineCdk8sPlus(apps)));
    results.push(measure(`cdk8s-deploykit, ${apps} apps`, () => deploykit(apps)));
  }
  return results;
}
