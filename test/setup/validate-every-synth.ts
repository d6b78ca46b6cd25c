/**
 * Runs before every test file (jest `setupFilesAfterEnv`): every chart any test synthesizes with
 * `Testing.synth` is checked in full — each object against the Kubernetes 1.28 schema (plus the CRDs
 * the library ships in crds/, and any extra CRD a test needs in test/crds), each pod spec against
 * every Pod Security Standards restricted control — so no test can produce an invalid or insecure
 * object unnoticed. Tests of the checkers themselves use raw objects or `chart.toJson()`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { registerCrd } from '../util/k8s-schema';
import { assertValidManifests } from '../util/manifests';

const crdDir = path.join(__dirname, '..', 'crds');
for (const file of fs.existsSync(crdDir) ? fs.readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort() : []) {
  registerCrd(fs.readFileSync(path.join(crdDir, file), 'utf8'));
}

const original = Testing.synth.bind(Testing);
Testing.synth = (chart) => {
  const objects = original(chart);
  assertValidManifests(objects);
  return objects;
};
