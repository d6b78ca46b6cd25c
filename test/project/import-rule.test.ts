import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// eslint 9 keeps the eslintrc engine (which projen's .eslintrc.json needs) here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LegacyESLint } = require('eslint/use-at-your-own-risk');

/*
 * The rooms' import rule (docs/DESIGN.md) is `import/no-restricted-paths`, set in .projenrc.ts. These
 * run real eslint with that rule exactly as .eslintrc.json holds it on a probe file placed in a room,
 * showing each kind of forbidden import refused and an allowed one passing. `import/no-cycle` (for
 * src/, an override in .eslintrc.json) is shown the same way on planted files that import each other.
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

describe('no import cycle in src/ (import/no-cycle)', () => {
  const override = (eslintrc.overrides ?? []).find((o: any) => o.files.includes('src/**/*.ts') && o.rules?.['import/no-cycle']);
  let dir: string;
  beforeAll(() => {
    // Planted files: no-cycle follows imports on disk. `a` and `b` import each other (a type import
    // too: a circle of types is still a circle for the reader); `c` imports `a`, which leads nowhere back.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-cycle-'));
    fs.writeFileSync(path.join(dir, 'a.ts'), "import { B } from './b';\nexport interface A { readonly b?: B }\nexport const a = 1;\n");
    fs.writeFileSync(path.join(dir, 'b.ts'), "import { A } from './a';\nexport interface B { readonly a?: A }\n");
    fs.writeFileSync(path.join(dir, 'c.ts'), "import { a } from './a';\nexport const c = a + 1;\n");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function lintFile(file: string): Promise<string[]> {
    const eslint = new LegacyESLint({
      cwd: root,
      useEslintrc: false,
      overrideConfig: {
        parser: eslintrc.parser,
        parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
        plugins: ['import'],
        settings: eslintrc.settings,
        rules: { 'import/no-cycle': override.rules['import/no-cycle'] },
      },
    });
    const [result] = await eslint.lintFiles([file]);
    return result.messages.map((m: any) => `${m.ruleId}: ${m.message}`);
  }

  test('the rule is configured for every file of src/', () => {
    expect(override.rules['import/no-cycle'][0]).toBe('error');
  });

  test('a planted cycle is refused, on both files of it', async () => {
    expect(await lintFile(path.join(dir, 'a.ts'))).toEqual([expect.stringContaining('import/no-cycle: Dependency cycle detected')]);
    expect(await lintFile(path.join(dir, 'b.ts'))).toEqual([expect.stringContaining('import/no-cycle: Dependency cycle detected')]);
  });

  test('an import that leads nowhere back passes', async () => {
    expect(await lintFile(path.join(dir, 'c.ts'))).toEqual([]);
  });
});
