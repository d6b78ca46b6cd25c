/**
 * One case in a fresh process, for its peak resident set size (a process's maximum RSS never goes
 * down, so each case and size gets its own process): `library <N> <outdir>` synthesizes the
 * library's N apps to files and writes their Helm chart; `hand-written <N> <outdir>` synthesizes the
 * cdk8s-plus-28 apps. Prints one JSON line: { peakRssMb }.
 */
import * as path from 'path';
import { handWritten, withLibrary } from './apps';
import { HelmChart } from '../src/helm/helm-chart';

const [which, count, outdir] = process.argv.slice(2);
const apps = Number(count);
if (which === 'library') {
  const { app, chart } = withLibrary(apps, path.join(outdir, 'dist'));
  const helm = new HelmChart(app, 'helm', { chartName: 'bench', chartVersion: '1.0.0', chart });
  app.synth();
  helm.writeTo(path.join(outdir, 'helm'));
} else if (which === 'hand-written') {
  handWritten(apps, path.join(outdir, 'dist')).synth();
} else {
  throw new Error(`unknown case ${which}`);
}
console.log(JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
