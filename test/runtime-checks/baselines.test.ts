import { baselines, build } from './js-callers';
import { CLASSES } from '../../src/core/private/prop-types.generated';
import { synthManifests } from '../util/manifests';

test.each(Object.keys(baselines))('the JavaScript baseline of %s synthesizes valid objects', (name) => {
  expect(CLASSES[name]).toBeDefined();
  const { chart } = build(name, baselines[name]);
  expect(() => synthManifests(chart)).not.toThrow();
});
