import * as fs from 'fs';
import * as path from 'path';
// eslint 9 keeps the eslintrc engine (which projen's .eslintrc.json needs) here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LegacyESLint } = require('eslint/use-at-your-own-risk');

/*
 * The rooms' import rule (docs/DESIGN.md) is `import/no-restricted-paths`, set in .projenrc.ts. These
 * run real eslint with that rule exactly as .eslintrc.json holds it on a probe file placed in a room,
 * showing each kind of forbidden import refused and an allowed one passing.
 */
const root = path.join(__dirname, '..', '..');
// .eslintrc.json starts with projen's "generated" comment line.
const eslintrc = JSON.parse(fs.readFileSync(path.join(root, '.eslintrc.json'), 'utf8').replace(/^\/\/.*\n/, ''));

async function lint(file: string, source: string): Promise<string[]> {
  const eslint = new LegacyESLint({
    cwd: root,
    useEslintrc: false,
    overrideConfig: {
      parser: eslintrc.parser,
      parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
      plugins: ['import'],
      settings: eslintrc.settings,
      rules: { 'import/no-restricted-paths': eslintrc.rules['import/no-restricted-paths'] },
    },
  });
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return result.messages.map((m: any) => `${m.ruleId}: ${m.message}`);
}

const importing = (what: string, from: string) => `import { ${what} } from '${from}';\nexport const probe = ${what};\n`;

test('the rule is configured', () => {
  expect(eslintrc.rules['import/no-restricted-paths'][0]).toBe('error');
});

test('core imports no other room; manifests imports only core', async () => {
  expect(await lint('src/core/probe.ts', importing('ManifestSet', '../manifests'))).toEqual([expect.stringContaining('core imports no other room')]);
  expect(await lint('src/manifests/probe.ts', importing('DeploymentManifest', '../workloads'))).toEqual([expect.stringContaining('manifests imports only core')]);
  expect(await lint('src/manifests/probe.ts', importing('Findings', '../core/findings'))).toEqual([]);
});

test('helm, compose and policy read objects through manifests, never construct internals', async () => {
  for (const room of ['helm', 'compose', 'policy']) {
    expect(await lint(`src/${room}/private/probe.ts`, importing('ServiceConfiguration', '../../networking')))
      .toEqual([expect.stringContaining(`${room} reads synthesized objects through manifests`)]);
    expect(await lint(`src/${room}/private/probe.ts`, importing('ManifestSet', '../../manifests'))).toEqual([]);
  }
});

test("no room imports another room's private folder", async () => {
  expect(await lint('src/clusters/probe.ts', importing('buildPodTemplate', '../workloads/private/pod-template')))
    .toEqual([expect.stringContaining("another room's private/ folder is its own")]);
  expect(await lint('src/workloads/probe.ts', importing('buildPodTemplate', './private/pod-template'))).toEqual([]);
});
