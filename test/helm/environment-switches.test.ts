/**
 * The switches of objects some environments lack (`environment-switches.ts`): an object's own switch
 * is enough where it is off in every environment without the object; else the object gets one of its
 * own, named after its section, its settings or itself, never over a value the chart has.
 */
import { evaluateCondition, presenceSwitches, switchedCondition } from '../../src/helm/private/environment-switches';
import { environmentValues } from '../../src/helm/private/files/values-files';
import { DocPlan, ParamSpec } from '../../src/helm/private/model/template-model';

const values = (entries: Record<string, unknown>) => new Map(Object.entries(entries));

test('conditions evaluate with Go template truth', () => {
  const v = values({ 'ingress.enabled': true, 'ingress.tls.enabled': false, 'a-b.c': 1, 'list': [], 'name': '' });
  expect(evaluateCondition('.Values.ingress.enabled', v)).toBe(true);
  expect(evaluateCondition('and .Values.ingress.enabled .Values.ingress.tls.enabled', v)).toBe(false);
  expect(evaluateCondition('or .Values.ingress.tls.enabled (index .Values "a-b" "c")', v)).toBe(true);
  expect(evaluateCondition('and (and .Values.ingress.enabled .Values.name) .Values.ingress.enabled', v)).toBe(false);
  expect(evaluateCondition('not .Values.list', v)).toBe(true);
  expect(evaluateCondition(undefined, v)).toBe(true);
  // Anything else cannot be told: the object then gets a switch of its own.
  expect(evaluateCondition('eq .Values.name "x"', v)).toBeUndefined();
  expect(evaluateCondition('(.Values.name', v)).toBeUndefined();
});

function plan(kind: string, name: string, o: Partial<DocPlan> = {}): DocPlan {
  return { key: `${kind}/shop/${name}`, doc: { kind, metadata: { name, namespace: 'shop' } }, file: '', slots: [], params: [], ...o };
}

const toggle = (path: string[]): ParamSpec => ({ path, type: 'boolean', value: true, toggleOff: false, description: '' });

test('an own switch off wherever the object is missing is enough; one still on there gets a switch of the object\'s own', () => {
  const pdbApi = plan('PodDisruptionBudget', 'api', {
    condition: '.Values.pdb.enabled', params: [toggle(['pdb', 'enabled'])], valuesAt: { section: ['api'], prefix: ['api', 'pdb'], owner: 'Deployment/shop/api' },
  });
  const ingress = plan('Ingress', 'web', { condition: '.Values.ingress.enabled', params: [toggle(['ingress', 'enabled'])], valuesAt: { section: [], prefix: ['ingress'] } });
  const dashboards = plan('ConfigMap', 'dashboards', { valuesAt: { section: [], prefix: ['config'] } });
  const objects = [
    { key: pdbApi.key, plan: pdbApi, planned: [false, true] },
    { key: ingress.key, plan: ingress, planned: [false, true] },
    { key: dashboards.key, plan: dashboards, planned: [false, true] },
  ];
  // Development: the worker's PDB keeps pdb.enabled on; the Ingress's own switch is off there.
  const envValues: ParamSpec[][] = [
    [{ ...toggle(['pdb', 'enabled']) }, { ...toggle(['ingress', 'enabled']), value: false }, { path: ['config', 'enabled'], type: 'string', value: 'x', description: '' }],
    [toggle(['pdb', 'enabled']), toggle(['ingress', 'enabled'])],
  ];
  const switches = presenceSwitches(objects, ['development', 'production'], (i) => envValues[i]);
  expect(switches.has(ingress.key)).toBe(false);
  expect(switches.get(pdbApi.key)).toEqual({ path: ['api', 'pdb', 'enabled'], present: [false, true], description: 'Render PodDisruptionBudget shop/api (the development environment has none)' });
  // config.enabled is a value already (a ConfigMap entry): the object's own name is used instead.
  expect(switches.get(dashboards.key)!.path).toEqual(['dashboardsConfigMap', 'enabled']);
  expect(switchedCondition(pdbApi.condition, switches.get(pdbApi.key)!)).toBe('and .Values.pdb.enabled .Values.api.pdb.enabled');
  expect(switchedCondition('and .Values.a .Values.b', switches.get(pdbApi.key)!)).toBe('and (and .Values.a .Values.b) .Values.api.pdb.enabled');
});

test('a PodDisruptionBudget of the top-level section takes pdb.create beside the chart-wide pdb.enabled', () => {
  const pdb = plan('PodDisruptionBudget', 'api', { condition: '.Values.pdb.enabled', params: [toggle(['pdb', 'enabled'])], valuesAt: { section: [], prefix: ['pdb'] } });
  const switches = presenceSwitches([{ key: pdb.key, plan: pdb, planned: [false, true] }], ['development', 'production'], () => [toggle(['pdb', 'enabled'])]);
  expect(switches.get(pdb.key)!.path).toEqual(['pdb', 'create']);
});

test('a values map key named like an Object member (toString) that an environment lacks is set to null there, as any other key', () => {
  const param = (value: unknown): ParamSpec => ({ path: ['api', 'config'], type: 'object', description: 'Entries of the ConfigMap', value });
  const defaults = [param({ LOG_LEVEL: 'debug', DEBUG_PORT: '9229', toString: 'a', constructor: 'b' })];
  const production = [param({ LOG_LEVEL: 'info' })];
  const [file] = environmentValues(defaults, production, new Map([['development', defaults], ['production', production]]));
  // JSON.parse: "constructor" and "toString" as own keys of the expected map.
  expect(file.value).toEqual(JSON.parse('{"LOG_LEVEL": "info", "DEBUG_PORT": null, "toString": null, "constructor": null}'));
});
