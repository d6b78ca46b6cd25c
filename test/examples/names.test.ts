/**
 * What `npx cdk8s synth` writes for the example systems: stable, human, DNS-1123 names without
 * generated hash suffixes, every object valid for Kubernetes 1.28 and every pod restricted.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { synthRccRemote } from '../../examples/rcc-remote';
import { synthRccRemoteGitops } from '../../examples/rcc-remote-gitops';
import { synthRescan, synthRescanCompose } from '../../examples/rescan';
import { synthTodoChatbot } from '../../examples/todo-chatbot';
import { synthToolHive } from '../../examples/toolhive';
import { assertValidManifests } from '../util/manifests';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// cdk8s appends "-" and 8 hex characters to names it generates.
const HASH_SUFFIX = /-[0-9a-f]{8}$/;

let outdir: string;
const saved = { ...process.env };
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-example-names-'));
  for (const key of Object.keys(process.env)) if (key.startsWith('AZURE_OPENAI_') || key.startsWith('TODO_')) delete process.env[key];
});
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
  process.env = saved;
});

function objectsIn(dir: string): Record<string, any[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort();
  return Object.fromEntries(files.map((f) => [f, Yaml.load(path.join(dir, f)).filter((o: any) => o)]));
}

test.each([
  ['rescan', synthRescan, ['rescan.k8s.yaml', 'rescan-development.k8s.yaml']],
  ['todo-chatbot', synthTodoChatbot, ['todo-chatbot.k8s.yaml', 'todo-chatbot-development.k8s.yaml']],
  ['rcc-remote', synthRccRemote, ['rcc-remote.k8s.yaml', 'rcc-remote-staging.k8s.yaml', 'rcc-remote-development.k8s.yaml']],
  ['toolhive', synthToolHive, ['toolhive.k8s.yaml', 'toolhive-development.k8s.yaml']],
  // Its own stores in the temp folder: the certificate and sealing stores of the repo stay untouched.
  ['rcc-remote-gitops', (dir: string) => synthRccRemoteGitops(dir, { certificates: path.join(dir, 'store', 'certs'), sealed: path.join(dir, 'store', 'sealed') }),
    ['rcc-remote-gitops.k8s.yaml']],
])('%s: one file per environment, human names, valid and restricted objects', (_system, synth, files) => {
  const output = synth(outdir);
  const byFile = objectsIn(output.plainDir);
  expect(Object.keys(byFile).sort()).toEqual([...files].sort());
  for (const objects of Object.values(byFile)) {
    expect(objects[0].kind).toBe('Namespace');
    for (const o of objects) {
      expect(o.metadata.name).toMatch(DNS1123_LABEL);
      expect(o.metadata.name).not.toMatch(HASH_SUFFIX);
    }
    assertValidManifests(objects);
  }
});

test('rescan also ships a docker-compose.yaml with its one service and no secret value', () => {
  const file = synthRescanCompose(outdir);
  expect(path.relative(outdir, file)).toBe(path.join('rescan', 'docker-compose.yaml'));
  const compose = Yaml.load(file)[0];
  expect(compose.name).toBe('rescan');
  expect(Object.keys(compose.services)).toEqual(['rescan-app']);
  expect(compose.services['rescan-app']).toMatchObject({
    image: 'rescan:1.0.0',
    user: '1000:1000',
    read_only: true,
    cap_drop: ['ALL'],
    ports: ['3000:3000'],
    env_file: ['./rescan-secrets.env'],
  });
  expect(fs.readFileSync(file, 'utf8')).not.toMatch(/AZURE_OPENAI_API_KEY:\s*\S/);
});
