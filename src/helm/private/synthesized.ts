/**
 * The objects a cdk8s Chart synthesized last, so `HelmChart.writeTo()` after `app.synth()` does not
 * synthesize (and validate) every chart of the app a second time.
 *
 * `rememberSynthesis` wraps the chart's `toJson` once: each call still synthesizes as before and
 * also keeps its result. `synthesizedObjects` returns the kept result, or synthesizes when the chart
 * has not been synthesized yet. The objects are never changed by the chart writer.
 */
import { Chart } from 'cdk8s';
import { KubeObject } from '../../manifests';

/** A registered symbol: a second copy of the library (lib/ beside src/) sees the same mark. */
const KEPT: unique symbol = Symbol.for('cdk8s-deploykit.helm.synthesized');

interface Kept {
  last?: KubeObject[];
}

/** A chart with the kept result of its last synthesis. */
interface Remembering {
  [KEPT]?: Kept;
}

/** Keeps the result of every later `chart.toJson()` (idempotent). */
export function rememberSynthesis(chart: Chart): void {
  const c: Chart & Remembering = chart;
  if (c[KEPT]) return;
  const kept: Kept = {};
  const synthesize = chart.toJson.bind(chart);
  Object.defineProperty(c, KEPT, { value: kept });
  c.toJson = () => {
    const objects = synthesize();
    kept.last = objects;
    return objects;
  };
}

/** The objects of the chart's last synthesis, or a fresh synthesis when there was none. */
export function synthesizedObjects(chart: Chart): KubeObject[] {
  const kept = (chart as Chart & Remembering)[KEPT];
  return kept?.last ?? chart.toJson();
}
