/**
 * One case of the benchmark alone, for a CPU profile:
 *
 *     npx tsx bench/profile.ts <synth|hand-written|helm|check> [apps] [profile.cpuprofile]
 *
 * `synth` builds and synthesizes the library's apps; `helm` does that and then `HelmChart.writeTo`
 * (profiled alone); `check` runs `deploykit check` over the library's output (profiled alone). A
 * warm-up of 20 apps runs first. With a third argument, the CPU profile of the measured part (what
 * `node --cpu-prof` records, without module loading and the warm-up) is written there; open it in
 * Chrome DevTools or summarise its self time by function.
 */
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as os from 'os';
import * as path from 'path';
import { CHART_ID, handWritten, withLibrary } from './apps';
import { timeCheck } from './check';
import { HelmChart } from '../src/helm/helm-chart';

const session = new inspector.Session();

function post(method: string, params?: object): Promise<any> {
  return new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
}

async function main(): Promise<void> {
  const [which = 'synth', count = '200', profileFile] = process.argv.slice(2);
  const startProfile = async () => {
    if (!profileFile) return;
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 500 });
    await post('Profiler.start');
  };
  const apps = Number(count);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-profile-'));
  const library = (n: number, dir: string) => {
    const { app, chart } = withLibrary(n, path.join(work, dir));
    const helm = new HelmChart(app, 'helm', { chartName: CHART_ID, chartVersion: '1.0.0', chart });
    app.synth();
    return helm;
  };
  try {
    if (which === 'hand-written') handWritten(20, path.join(work, 'warm')).synth();
    else library(20, 'warm').writeTo(path.join(work, 'warm-helm'));
    if (which === 'check') await timeCheck(path.join(work, 'warm')); // the schema validators compile once per process
    const start = Date.now();
    if (which === 'hand-written' || which === 'synth') await startProfile();
    if (which === 'hand-written') {
      handWritten(apps, path.join(work, 'dist')).synth();
    } else {
      const helm = library(apps, 'dist');
      console.log(`synth ${Date.now() - start} ms`);
      if (which === 'helm') {
        await startProfile();
        const t = Date.now();
        helm.writeTo(path.join(work, 'helm'));
        console.log(`writeTo ${Date.now() - t} ms`);
      } else if (which === 'check') {
        await startProfile();
        const c = await timeCheck(path.join(work, 'dist'));
        console.log(`check ${c.ms.toFixed(0)} ms, status ${c.status}`);
      }
    }
    console.log(`${which} ${apps} apps: ${Date.now() - start} ms`);
    if (profileFile) {
      const { profile } = await post('Profiler.stop');
      fs.writeFileSync(profileFile, JSON.stringify(profile));
      console.log(`profile written to ${profileFile}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
