/**
 * The objects a cdk8s Chart synthesized last, so `HelmChart.writeTo()` after `app.synth()` does not
 * synthesize (and validate) every chart of the app a second time.
 *
 * `rememberSynthesis` wraps the chart's `toJson` once: each call still synthesizes as before and
 * also keeps its result. `synthesizedObjects` returns the kept result, or synthesizes when the chart
 * has not been synthesized yet. The objects are never changed by the chart writer.
 */
import { Chart } from 'cdk8s';

const KEPT = Symbol.for('cdk8s-deploykit.helm.synthesized');

interface Kept {
  last?: any[];
}

/** Keeps the result of every later `chart.toJson()` (idempotent). */
export function rememberSynthesis(chart: Chart): void {
  const c = chart as any;
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
export function synthesizedObjects(chart: Chart): any[] {
  const kept: Kept | undefined = (chart as any)[KEPT];
  return kept?.last ?? chart.toJson();
}
