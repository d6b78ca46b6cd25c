/**
 * ValueParameter: bad definitions are Findings errors reported by the synth, one clear line each.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { ValueParameter, ValueParameterProps, ValueParameterType } from '../../src/helm/value-parameter';

function setup(): { chart: Chart; cm: ApiObject } {
  const chart = Testing.chart();
  const cm = new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'cm' }, data: { LEVEL: 'info' } });
  return { chart, cm };
}

function errorsOf(props: Partial<ValueParameterProps>, bind?: string): string {
  const { chart, cm } = setup();
  const p = new ValueParameter(chart, 'P', {
    parameterName: 'logLevel', parameterType: ValueParameterType.STRING, description: 'Log level', ...props,
  } as ValueParameterProps);
  if (bind) p.bind(cm, bind);
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

test('a valid parameter synthesizes, and bind() puts the default into the plain object', () => {
  const { chart, cm } = setup();
  new ValueParameter(chart, 'P', {
    parameterName: 'logLevel',
    parameterType: ValueParameterType.STRING,
    defaultValue: 'debug',
    enumValues: ['debug', 'info'],
    required: true,
    description: 'Log level',
  }).bind(cm, '/data/LEVEL');
  expect(Testing.synth(chart)[0].data).toEqual({ LEVEL: 'debug' });
});

test('a default of the wrong type', () => {
  expect(errorsOf({ parameterType: ValueParameterType.INTEGER, defaultValue: '3' }))
    .toMatch(/\[.*\/P\] defaultValue: got "3"; expected a value of type integer \(parameterType\)/);
  expect(errorsOf({ parameterType: ValueParameterType.INTEGER, defaultValue: 2.5 })).toContain('defaultValue: got 2.5; expected a value of type integer');
  expect(errorsOf({ parameterType: ValueParameterType.ARRAY, defaultValue: {} })).toContain('expected a value of type array');
});

test('required without a default', () => {
  expect(errorsOf({ required: true }, '/data/LEVEL')).toContain('defaultValue: got nothing; expected a defaultValue: a required parameter must have a default');
});

test('no default and nothing bound', () => {
  expect(errorsOf({})).toContain('defaultValue: got nothing; expected a defaultValue, or a bind()');
});

test('duplicate names in one chart', () => {
  const { chart } = setup();
  const props = { parameterName: 'logLevel', parameterType: ValueParameterType.STRING, defaultValue: 'info', description: 'Log level' };
  new ValueParameter(chart, 'A', props);
  new ValueParameter(chart, 'B', props);
  expect(() => Testing.synth(chart)).toThrow(/\/B\] parameterName: got "logLevel"; expected a name unique in the chart \(.*\/A uses it too\)/);
});

test('a path nested in another parameter', () => {
  const { chart } = setup();
  new ValueParameter(chart, 'A', { parameterName: 'log', parameterType: ValueParameterType.OBJECT, defaultValue: {}, description: 'Log' });
  new ValueParameter(chart, 'B', { parameterName: 'log.level', parameterType: ValueParameterType.STRING, defaultValue: 'x', description: 'Level' });
  expect(() => Testing.synth(chart)).toThrow(/parameterName: got "log\.level"; expected a path that neither contains nor is inside log/);
});

test('a default outside minimum/maximum, enumValues or pattern', () => {
  expect(errorsOf({ parameterType: ValueParameterType.INTEGER, defaultValue: 0, minimum: 1 })).toContain('defaultValue: got 0; expected a number at least minimum (1)');
  expect(errorsOf({ parameterType: ValueParameterType.NUMBER, defaultValue: 9.5, maximum: 9 })).toContain('expected a number at most maximum (9)');
  expect(errorsOf({ parameterType: ValueParameterType.INTEGER, defaultValue: 5, minimum: 6, maximum: 4 })).toContain('maximum: got 4; expected a number at least minimum (6)');
  expect(errorsOf({ defaultValue: 'trace', enumValues: ['debug', 'info'] })).toContain('defaultValue: got "trace"; expected one of enumValues ("debug", "info")');
  expect(errorsOf({ defaultValue: 'INFO', pattern: '^[a-z]+$' })).toContain('defaultValue: got "INFO"; expected a string matching pattern ^[a-z]+$');
});

test('constraints that do not fit the type, and patterns Helm cannot run', () => {
  expect(errorsOf({ defaultValue: 'x', minimum: 1 })).toContain('minimum: got 1; expected no bound');
  expect(errorsOf({ parameterType: ValueParameterType.INTEGER, defaultValue: 1, pattern: '^1$' })).toContain('pattern: got "^1$"; expected no pattern');
  expect(errorsOf({ defaultValue: 'x', enumValues: [1, 2] })).toContain('enumValues: got [1,2]; expected values of type string');
  expect(errorsOf({ defaultValue: 'x', pattern: '^(?!y).*$' })).toContain('without lookahead');
});

test('a bad name, and bad bindings', () => {
  expect(errorsOf({ parameterName: 'Log-Level', defaultValue: 'x' })).toContain('parameterName: got "Log-Level"; expected a values path of camelCase keys');
  expect(errorsOf({ defaultValue: 'x' }, 'data/LEVEL')).toContain('bind[0].jsonPointer: got "data/LEVEL"; expected a JSON pointer');
  expect(errorsOf({ defaultValue: 'x' }, '/spec/nothing/here')).toContain('bind[0].jsonPointer: got "/spec/nothing/here"; expected a field of ConfigMap cm whose parent exists');
  expect(errorsOf({ parameterType: ValueParameterType.INTEGER }, '/data/LEVEL')).toContain('expected a field holding a integer (it becomes the default), or a defaultValue');
});
