/** The README's first commands are the contract with a new user: set up, synthesize, test. */
import * as fs from 'fs';
import * as path from 'path';
import { SITE_DIR } from '../../examples/site';

const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

test('the first code block of README.md is exactly npm ci, npx cdk8s synth, npm test', () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme);
  expect(firstBlock).not.toBeNull();
  const commands = firstBlock![1].split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
  expect(commands).toEqual(['npm ci', 'npx cdk8s synth', 'npm test']);
});

test('cdk8s.yaml points cdk8s synth at the examples, which write to dist/', () => {
  const config = fs.readFileSync(path.resolve(__dirname, '..', '..', 'cdk8s.yaml'), 'utf8');
  expect(config).toMatch(/^app: npx tsx examples\/main\.ts$/m);
  // dist/ is the CLI's default; an `output:` line would make `cdk8s synth --stdout` delete it.
  expect(config).not.toMatch(/^output:/m);
  expect(SITE_DIR).toBe('dist');
});
