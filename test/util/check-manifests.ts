/**
 * The project's schema check as a command: reads a YAML document stream (stdin, or the files given)
 * and fails unless every document is a Kubernetes object that validates against the Kubernetes 1.28
 * schema (strict, `k8s-schema.ts`, with the CRDs the library ships in crds/) and every pod passes
 * the Pod Security Standards restricted profile:
 *
 *   npx cdk8s synth --stdout --no-check-upgrade | node --import tsx test/util/check-manifests.ts
 *
 * A document that is not YAML (a Helm template's `{{ }}`), not a mapping with apiVersion, kind and
 * metadata.name (Chart.yaml, values.yaml, a compose file), or empty, is a problem. Prints one line
 * per problem on stderr and exits 1; on success prints the number of objects and exits 0.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { registerCrd } from './k8s-schema';
import { assertValidManifests } from './manifests';

/** Problems of a document stream; `objects` are the documents that are Kubernetes objects. */
export function checkManifestStream(text: string): { objects: any[]; problems: string[] } {
  const problems: string[] = [];
  const objects: any[] = [];
  const docs = parseAllDocuments(text);
  if (docs.length === 0) problems.push('no document in the input');
  docs.forEach((doc, i) => {
    const where = `document ${i + 1}`;
    if (doc.errors.length) {
      problems.push(`${where}: not YAML: ${doc.errors[0].message.split('\n')[0]}`);
      return;
    }
    const obj = doc.toJS();
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      problems.push(`${where}: expected a Kubernetes object (a mapping); got ${obj === null ? 'an empty document' : JSON.stringify(obj).slice(0, 60)}`);
      return;
    }
    const missing = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string');
    if (typeof obj.metadata?.name !== 'string') missing.push('metadata.name');
    if (missing.length) {
      problems.push(`${where}: expected a Kubernetes object; missing ${missing.join(', ')} (keys: ${Object.keys(obj).slice(0, 6).join(', ')})`);
      return;
    }
    objects.push(obj);
  });
  try {
    assertValidManifests(objects);
  } catch (e) {
    problems.push((e as Error).message);
  }
  return { objects, problems };
}

/** Extra CRDs tests need (test/crds), as test/setup/validate-every-synth.ts registers them. */
function registerCrds(): void {
  const crdDir = path.join(__dirname, '..', 'crds');
  for (const file of fs.existsSync(crdDir) ? fs.readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort() : []) {
    registerCrd(fs.readFileSync(path.join(crdDir, file), 'utf8'));
  }
}

if (require.main === module) {
  const files = process.argv.slice(2);
  const text = files.length ? files.map((f) => fs.readFileSync(f, 'utf8')).join('\n---\n') : fs.readFileSync(0, 'utf8');
  registerCrds();
  const { objects, problems } = checkManifestStream(text);
  if (problems.length) {
    process.stderr.write(`${problems.length} problem(s):\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stderr.write(`${objects.length} Kubernetes object(s), every one valid (Kubernetes 1.28 schema, restricted pods)\n`);
}
