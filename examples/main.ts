import * as fs from 'fs';
import * as path from 'path';
import { isStdoutRun, productionManifests, SITE_DIR, STDOUT_FILE, synthExamples } from './site';

// `npx cdk8s synth` runs this file. Each example system gets its own folder of plain YAML under
// dist/ (one file per environment, objects in apply order, the Namespace first) and a Helm chart
// under dist/helm/ (values.yaml plus values-<environment>.yaml); Rescan and RCC Remote also get a
// docker-compose.yaml for running them without Kubernetes (RCC Remote with its TLS files beside it).
// RCC Remote also comes as a GitOps variant (dist/rcc-remote-gitops/): every Secret sealed, so the
// folder can be committed.
//
// `npx cdk8s synth --stdout` prints only Kubernetes objects, for `kubectl apply -f -`: the
// production objects of every system, from one file in the CLI's temp folder. The full site
// (charts, compose files, every environment) is still written to dist/, as a plain synth would.
const outdir = process.env.CDK8S_OUTDIR ?? SITE_DIR;
if (isStdoutRun(outdir)) {
  fs.rmSync(SITE_DIR, { recursive: true, force: true });
  const site = synthExamples(SITE_DIR);
  fs.writeFileSync(path.join(outdir, STDOUT_FILE), productionManifests(site));
} else {
  synthExamples(outdir);
}
