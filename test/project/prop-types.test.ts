/**
 * The runtime check layer reads tables generated from the TypeScript types (projenrc/prop-types.ts,
 * `npx projen gen:prop-types`). This test regenerates them and fails while the committed file is
 * stale, and shows that every public construct's constructor runs the check (its one-line
 * `checkProps` call), so a prop nobody declared is reported.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { generatePropTypes, PROP_TYPES_FILE } from '../../projenrc/prop-types';
import * as lib from '../../src';
import { CLASSES, STRUCTS } from '../../src/core/private/prop-types.generated';
import { baselines } from '../runtime-checks/js-callers';

const root = path.join(__dirname, '..', '..');

test('the committed prop types are what the generator makes of the current sources', () => {
  const committed = fs.readFileSync(path.join(root, PROP_TYPES_FILE), 'utf8');
  const fresh = generatePropTypes(root);
  if (committed !== fresh) throw new Error(`${PROP_TYPES_FILE} is stale: run \`npx projen gen:prop-types\` and commit it`);
  expect(committed).toContain('DeploymentManifestProps: {');
});

test('the tables describe props by kind: enums, entities, nested structs, lists and maps', () => {
  expect(STRUCTS.DeploymentManifestProps).toMatchObject({
    type: 'enum:ManifestType?',
    image: 'class:ContainerImage',
    ports: 'struct:ContainerPortSpec[]?',
    env: '{string}?',
    scalingConfig: 'struct:ScalingConfig?',
    healthEndpoints: 'class:HealthEndpoint[]?',
    replicaCount: 'number?',
  });
  expect(CLASSES.ConfigMapConfiguration.params.volume).toEqual(['mountPath:string?']);
});

const constructs = Object.entries(lib)
  .filter(([name, value]) => typeof value === 'function' && (value as any).prototype instanceof Construct && CLASSES[name]?.params.new)
  .map(([name]) => name)
  .sort();

test.each(constructs)('%s runs the check layer on its props', (name) => {
  const chart = Testing.chart();
  const props = { ...(baselines[name]?.(chart) ?? {}), zzUndeclared: 1 };
  new (lib as any)[name](chart, 'subject', props);
  let message = '';
  try {
    chart.toJson();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/\[test\/subject\] zzUndeclared: got 1; expected a property of \w+Props/);
});
