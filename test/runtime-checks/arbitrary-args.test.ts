/**
 * Property-based, beside arbitrary-props.test.ts: arbitrary JSON values and entities in the wrong
 * place as the arguments of every public method and static method of the package root (from the
 * generated tables, so a new method is covered without touching this file) never make it throw a
 * TypeError (or any error but a plain `Error`): a bad argument is a finding of the construct, or,
 * without one, the `Validation failed with the following errors:` report.
 */
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { baselines, build, image, lib } from './js-callers';
import { CLASSES } from '../../src/core/private/prop-types.generated';
import { ValidationError } from '../../src/core/report';

/** Methods left out, with the reason: they write files where an arbitrary path says, or generate keys. */
const NOT_CALLED: { [method: string]: string } = {
  'ComposeFile.writeTo': 'writes docker-compose.yaml into the folder it is given',
  'HelmChart.writeTo': 'writes a chart into the folder it is given',
  'CertificateBundle.writeFiles': 'writes key files into the folder it is given',
  'CertificateBundle.static prepareAll': 'generates RSA keys (its argument check is in certificate-bundle.test.ts)',
};

/** Every public method of the root exports: [class, method as the tables name it ("static x" for a static one)]. */
const METHODS: Array<[string, string]> = Object.keys(lib)
  .filter((name) => typeof lib[name] === 'function' && CLASSES[name] !== undefined)
  .flatMap((name) => Object.keys(CLASSES[name].params).filter((m) => m !== 'new').map((m): [string, string] => [name, m]))
  .sort(([a, m], [b, n]) => `${a}.${m}`.localeCompare(`${b}.${n}`));

/** Names of Object.prototype's members, as strings and as keys: a lookup by them must not find the prototype's. */
const MEMBER_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];
const argument = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(...MEMBER_NAMES) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...MEMBER_NAMES), fc.string({ maxLength: 4 }), { maxKeys: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom('undefined', 'null', 'construct', 'image') },
);

/** Whether the public class `name` is `ancestor` or extends it. */
function isSubclass(name: string, ancestor: string): boolean {
  for (let c: string | undefined = name; c !== undefined; c = CLASSES[c]?.base) if (c === ancestor) return true;
  return false;
}

function materialize(value: unknown, chart: any, i: number): unknown {
  if (value === 'undefined') return undefined;
  if (value === 'null') return null;
  if (value === 'construct') return new Construct(chart, `wrong-${i}`);
  if (value === 'image') return image(chart, `wrong-image-${i}`);
  return value;
}

test('every method of the package root is called here or left out with a reason', () => {
  expect(METHODS.length).toBeGreaterThan(20);
  expect(Object.keys(NOT_CALLED).filter((m) => !METHODS.some(([c, n]) => `${c}.${n}` === m))).toEqual([]);
});

describe.each(METHODS.filter(([c, m]) => NOT_CALLED[`${c}.${m}`] === undefined))('%s.%s', (className, method) => {
  test('arbitrary arguments: a finding or the validation report, never a TypeError', () => {
    const isStatic = method.startsWith('static ');
    const name = method.replace(/^static /, '');
    const arity = CLASSES[className].params[method].length;
    // An abstract class's methods are called on a subclass with a baseline (WorkloadManifest on DeploymentManifest).
    const subject = isStatic ? className : Object.keys(baselines).find((c) => isSubclass(c, className));
    expect(subject).toBeDefined();
    let run = 0;
    fc.assert(fc.property(fc.array(argument, { minLength: 0, maxLength: arity }), (given) => {
      run += 1;
      const { chart, construct } = isStatic ? { chart: Testing.chart(), construct: lib[className] } : build(subject!, baselines[subject!]);
      const args = given.map((v, i) => materialize(v, chart, run * 10 + i));
      try {
        const result = construct[name](...args);
        if (result instanceof Promise) result.catch(() => undefined);
      } catch (e) {
        // The validation report (ValidationError) or a plain Error naming a bad option; never a TypeError.
        expect([Error, ValidationError]).toContain((e as Error).constructor);
      }
    }), { numRuns: 30 });
  });
});
