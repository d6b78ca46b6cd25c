/**
 * Combines the environments into one chart: one template per object, and for each environment
 * the values that reproduce its plain synth exactly.
 *
 * Every environment must yield the same template text for each object it holds: the objects may
 * differ only in fields that are values (including the labels `environment` and
 * `app.kubernetes.io/version`, which follow the `environment` value and the image tag). Where they
 * differ elsewhere, the problem names the object's construct path, the field (a JSON pointer) and both
 * environments' values (`environment-diff.ts`). Any object may be missing from some environments: it
 * renders under a switch that is off there (`environment-switches.ts`). An object's values live in
 * the same place in every environment, whichever objects an environment lacks (the sections and
 * prefixes come from all environments' objects together). Each object's template text is rendered
 * once, by whichever needs it first (the comparison of the environments or the file).
 */
import { testParams, testedServices } from './chart-tests';
import { commonMetadataParams } from './derive/common-metadata';
import { ENVIRONMENT_NAMES, ENVIRONMENT_PATH, ObjectSelectors, objectSelectors, selectorLabelKeys } from './derive/labels';
import { configTexts } from './derive/objects/config-map';
import { isolatedLabelKeys } from './derive/release/isolated-labels';
import { DeriverTable } from './derive/table';
import { hostSpreadWorkloads } from './derive/workloads/affinity';
import { EnvironmentDifferences, fieldDifferences, templatedDifferently, valueAtPointer } from './environment-diff';
import { PresenceSwitch, presenceSwitches, switchedCondition, switchParam } from './environment-switches';
import { describeKey, docKey, jsonEqual } from './model/json-pointers';
import { ChartProblem, DocPlan, ParamSpec } from './model/template-model';
import { dottedPath } from './model/values-paths';
import { yamlFieldPath } from './model/yaml-text';
import { ReleaseNames, releaseParams } from './release-names';
import { renderTemplateBody } from './template-body';
import { EnvironmentInput, EnvPlan, SharedInputs, planEnvironment } from './template-plans';
import { Layout } from './value-sections';
import { describeValue, reportLine, ValidationError } from '../../core/report';
import { KubeObject } from '../../manifests';

/** The chart: templates, the default values and each other environment's values. */
export interface ChartModel {
  readonly plans: DocPlan[];
  /** The template text of a plan's object (without its file's header and condition), rendered once. */
  readonly bodyOf: (plan: DocPlan) => string;
  /** Values of the default environment: every parameter, in a stable order. */
  readonly params: ParamSpec[];
  /** For each further environment (by name) its values, same paths as `params`. */
  readonly environments: Map<string, ParamSpec[]>;
  /** Namespace of each environment's objects (first one found), for docs. */
  readonly namespaces: Map<string, string | undefined>;
  /** How the templates print release-aware names (the default environment's objects). */
  readonly release: ReleaseNames;
}

/** Where the environments come from: the HelmChart's construct path, and each environment's prop (`chart`, `environments[0].chart`). */
export interface ChartSource {
  readonly path: string;
  readonly chartFields: readonly string[];
}

/**
 * The environment of a release, when the objects say it: the `environment` label most objects carry
 * (development, staging or production; the Namespace's counts too), else the environment's name.
 */
export function releaseEnvironment(env: EnvironmentInput): string | undefined {
  const counts = new Map<string, number>();
  for (const d of env.docs) {
    const v = d?.metadata?.labels?.environment;
    if (v !== undefined && ENVIRONMENT_NAMES.includes(v)) counts.set(v, (counts.get(v) ?? 0) + (d.kind === 'Namespace' ? 0.5 : 1));
  }
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
  return best ?? (ENVIRONMENT_NAMES.includes(env.name) ? env.name : undefined);
}

/**
 * The `environment` value; its description says only what it does in this chart: the `environment`
 * labels follow it when objects carry one (`labelled`), production refuses the tag "latest" when
 * the chart has image tags (`pinned`, the schema's condition).
 */
function environmentParam(value: string, fallback: boolean, labelled: boolean, pinned: boolean): ParamSpec {
  const effects = [
    ...(labelled ? ['the `environment` labels follow it'] : []),
    ...(pinned ? ['production refuses the image tag "latest"'] : []),
  ];
  return {
    path: ENVIRONMENT_PATH,
    type: 'string',
    value,
    enum: ENVIRONMENT_NAMES,
    fallback,
    description: `Environment of the release (development, staging or production)${effects.length ? `: ${effects.join(', and ')}` : ''}`,
  };
}

/** Every environment's objects, each identity once (the first environment's first): where the values of each live. */
function allObjects(envs: readonly EnvironmentInput[]): KubeObject[] {
  const seen = new Set<string>();
  const out: KubeObject[] = [];
  for (const e of envs) {
    for (const d of e.docs) {
      const key = docKey(d);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

/** Builds the chart model with the derivers of `table`; throws a ValidationError listing every problem. */
export function buildChartModel(chartName: string, envs: EnvironmentInput[], table: DeriverTable, origin: ChartSource): ChartModel {
  const problems: ChartProblem[] = [];
  // Every object's selectors, read once: for the labels other releases isolate and for the keys selectors use.
  const selectors = new Map<KubeObject, ObjectSelectors>();
  for (const e of envs) for (const d of e.docs) selectors.set(d, objectSelectors(d));
  const differences = new EnvironmentDifferences(envs.map((e) => e.docs));
  const shared: SharedInputs = {
    configTexts: new Map(),
    hostSpread: hostSpreadWorkloads(envs.map((e) => e.docs)),
    varies: (doc, pointer) => differences.varies(doc, pointer),
    agree: (doc, a, b) => differences.agree(doc, a, b),
    naming: envs.length > 1 ? new Layout(allObjects(envs)) : undefined,
    isolatedLabels: isolatedLabelKeys(envs.flatMap((e) => e.docs), (d) => selectors.get(d)!),
  };
  for (const e of envs) configTexts(e.docs, shared.configTexts);
  // Each environment's selectors are read once: for its plans, and all together for commonLabels.
  const selectorKeys = envs.map((e) => selectorLabelKeys(e.docs.map((d) => selectors.get(d)!)));
  const planned = envs.map((e, i) => planEnvironment(chartName, e, shared, table, problems, selectorKeys[i]));
  const keySet = new Set<string>();
  for (const p of planned) for (const k of p.plans.keys()) keySet.add(k);
  const keys = [...keySet];
  const environmentsOf = envs.map(releaseEnvironment);
  const defaultEnvironment = environmentsOf[0];
  const bodies = new Map<DocPlan, string>();
  const bodyOf = (plan: DocPlan): string => {
    let body = bodies.get(plan);
    if (body === undefined) bodies.set(plan, body = renderTemplateBody(plan));
    return body;
  };

  if (planned.length > 1) for (const key of keys) agreeOnLinks(planned.map((p) => p.plans), key);

  const sources = new Map<string, EnvPlan>();
  for (const key of keys) {
    const holders = planned.map((p) => p.plans.get(key));
    const held = holders.findIndex((h) => h?.present);
    const first = held >= 0 ? held : holders.findIndex((h) => h !== undefined);
    const source = holders[first]!;
    sources.set(key, source);
    holders.forEach((h, i) => {
      if (!h?.present || h === source || bodyOf(source.plan) === bodyOf(h.plan)) return;
      problems.push(...differenceProblems(key, { env: envs[first], plan: source.plan }, { env: envs[i], plan: h.plan }, bodyOf));
    });
  }

  const common = commonMetadataParams(selectorKeys.flatMap((used) => [...used]));
  const tested = testedServices([...sources.values()].map((s) => s.plan)).length > 0;
  const ordered = [...keys].sort((a, b) => rank(sources.get(a)!.plan) - rank(sources.get(b)!.plan));
  // The own switches (`toggleOff`) each environment's objects hold: an object missing there leaves them as they are.
  const heldToggles = planned.map((p) => new Set([...p.plans.values()]
    .flatMap((h) => h.plan.params.filter((x) => x.toggleOff !== undefined).map((x) => dottedPath(x.path)))));
  let switches = new Map<string, PresenceSwitch>();
  const valuesOf = (i: number, found: ChartProblem[]): ParamSpec[] => {
    const list: Placed[] = [];
    const switched = new Set<PresenceSwitch>();
    for (const key of ordered) {
      const own = planned[i].plans.get(key);
      const src = sources.get(key)!;
      // An object missing here says nothing about its labels: its link values are left out; its own
      // switch is off unless an object here holds it.
      const params = own ? own.plan.params : src.plan.params
        .filter((p) => p.link === undefined && !(p.toggleOff !== undefined && heldToggles[i].has(dottedPath(p.path))))
        .map((p) => (p.toggleOff !== undefined ? { ...p, value: p.toggleOff } : p));
      list.push(...params.map((param) => ({ param, key })));
      const sw = switches.get(key);
      if (sw && !switched.has(sw)) {
        switched.add(sw);
        list.push({ param: switchParam(sw, i), key });
      }
    }
    // The release-wide values come first: environment, names, global, commonLabels/commonAnnotations; the helm test last.
    const own = environmentsOf[i];
    list.unshift(...[...releaseParams(chartName), ...common].map((param) => ({ param })));
    if (defaultEnvironment !== undefined) {
      const labelled = list.some((p) => isEnvironment(p.param));
      const pinned = list.some((p) => p.param.imageTag === true);
      list.unshift({ param: environmentParam(own ?? defaultEnvironment, own === undefined, labelled, pinned) });
    }
    if (tested) list.push(...testParams().map((param) => ({ param })));
    list.sort((a, b) => Number(isEnvironment(b.param)) - Number(isEnvironment(a.param)));
    return mergeParams(envs[i], origin.path, list, planned[i].userParams, i === 0 ? undefined : planned[0].userParams, found);
  };
  if (planned.length > 1) {
    const objects = ordered.map((key) => ({ key, plan: sources.get(key)!.plan, planned: planned.map((p) => p.plans.has(key)) }));
    switches = presenceSwitches(objects, envs.map((e) => e.name), (i) => valuesOf(i, []));
  }
  const params = valuesOf(0, problems);
  const defaults = new Map(params.map((p) => [dottedPath(p.path), p]));
  const environments = new Map<string, ParamSpec[]>();
  envs.slice(1).forEach((e, j) => {
    const values = valuesOf(j + 1, problems).map((v) => {
      const d = defaults.get(dottedPath(v.path));
      return v.fallback && d ? { ...v, value: d.value } : v;
    });
    for (const v of values) {
      if (!defaults.has(dottedPath(v.path))) {
        problems.push({
          path: v.user ?? origin.path,
          field: v.user ? 'parameterName' : origin.chartFields[j + 1],
          value: describeValue(dottedPath(v.path)),
          expected: `a value the default environment (${envs[0].name}) has too: declare it in the default chart as well`,
        });
      }
    }
    environments.set(e.name, values);
  });
  if (problems.length > 0) throw new ValidationError(problems.map((p) => reportLine(p.path, p)));
  const namespaces = new Map(envs.map((e) => [e.name, e.docs.find((d) => d.metadata?.namespace)?.metadata?.namespace]));
  const plans = keys.map((k) => {
    const plan = sources.get(k)!.plan;
    const sw = switches.get(k);
    if (!sw) return plan;
    const switchedPlan: DocPlan = { ...plan, condition: switchedCondition(plan.condition, sw) };
    // The body does not depend on the condition: rendered once all the same.
    const body = bodies.get(plan);
    if (body !== undefined) bodies.set(switchedPlan, body);
    return switchedPlan;
  });
  return { plans, bodyOf, params, environments, namespaces, release: planned[0].release };
}

/** One environment's plan of an object. */
interface Held {
  readonly env: EnvironmentInput;
  readonly plan: DocPlan;
}

/** The plain object of a plan (its copy has the chart's additions), for the values a problem shows. */
function plainOf(held: Held, key: string): unknown {
  return held.env.docs.find((d) => docKey(d) === key) ?? held.plan.doc;
}

/**
 * Why an object's template differs between two environments: each field outside the values where
 * their objects differ (JSON pointer, both values), reported at the construct of `theirs`.
 */
function differenceProblems(key: string, ours: Held, theirs: Held, bodyOf: (plan: DocPlan) => string): ChartProblem[] {
  const fix = `${describeKey(key)} may differ between environments only in the chart's values, and no value holds this field:`
    + ' make it the same in every environment, or bind it with a ValueParameter';
  const differences = fieldDifferences(ours.plan, theirs.plan);
  if (differences.length > 0) {
    return differences.map((d) => ({
      path: theirs.env.pathOf(key),
      field: d.pointer,
      value: `${describeValue(valueAtPointer(plainOf(theirs, key), d.pointer))} in the ${theirs.env.name} environment`,
      expected: `${describeValue(valueAtPointer(plainOf(ours, key), d.pointer))} as in the ${ours.env.name} environment: ${fix}`,
    }));
  }
  // The objects agree, but the chart templates a field another way in each (a name the release makes
  // in one environment only, a field one of them makes a value of).
  const why = `${describeKey(key)} has this field in both, but the chart cannot template it the same way for both`
    + ' (in one environment it names an object the release makes, or it is a value, and in the other not): make the environments\' objects agree';
  const pointers = templatedDifferently(ours.plan, theirs.plan);
  if (pointers.length > 0) {
    return pointers.map((pointer) => ({
      path: theirs.env.pathOf(key),
      field: pointer,
      value: `${describeValue(valueAtPointer(plainOf(theirs, key), pointer))} in the ${theirs.env.name} environment`,
      expected: `${describeValue(valueAtPointer(plainOf(ours, key), pointer))} as in the ${ours.env.name} environment: ${why}`,
    }));
  }
  const line = firstDifference(bodyOf(ours.plan), bodyOf(theirs.plan))!;
  return [{ path: theirs.env.pathOf(key), field: line.field, value: `the ${theirs.env.name} environment`, expected: `the same as the ${ours.env.name} environment: ${why}` }];
}

/**
 * Keeps a label link (`Slot.link`) of the object `key` only when every environment holding the object
 * has it: elsewhere the label stays literal text (and must then be the same everywhere).
 */
function agreeOnLinks(plans: Map<string, EnvPlan>[], key: string): void {
  const holders = plans.map((p) => p.get(key));
  const linkSets = holders
    .filter((h): h is EnvPlan => h !== undefined)
    .map((h) => new Set(h.plan.slots.map((s) => s.link).filter((l): l is string => l !== undefined)));
  const keep = (link: string | undefined) => link === undefined || linkSets.every((set) => set.has(link));
  holders.forEach((h, i) => {
    if (!h) return;
    plans[i].set(key, {
      present: h.present,
      plan: { ...h.plan, slots: h.plan.slots.filter((s) => keep(s.link)), params: h.plan.params.filter((p) => keep(p.link)) },
    });
  });
}

function isEnvironment(p: ParamSpec): boolean {
  return p.path.length === ENVIRONMENT_PATH.length && p.path[0] === ENVIRONMENT_PATH[0];
}

const KIND_ORDER = ['Deployment', 'StatefulSet', 'HorizontalPodAutoscaler', 'Service', 'Ingress', 'PersistentVolumeClaim', 'ConfigMap', 'Secret'];

/** Values order: workloads first, then the objects that serve them. */
function rank(plan: DocPlan): number {
  const i = KIND_ORDER.indexOf(plan.doc.kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** A value and the object whose plan holds it (none: a value of the chart itself). */
interface Placed {
  readonly param: ParamSpec;
  readonly key?: string;
}

function mergeParams(
  env: EnvironmentInput, chartPath: string, derived: Placed[], user: ParamSpec[], defaultUser: ParamSpec[] | undefined, problems: ChartProblem[],
): ParamSpec[] {
  const byPath = new Map<string, Placed>();
  for (const placed of derived) {
    const p = placed.param;
    const k = dottedPath(p.path);
    const seen = byPath.get(k);
    if (seen && !jsonEqual(seen.param.value, p.value)) {
      const other = seen.key ? `${describeKey(seen.key)} holds` : 'the chart holds';
      problems.push({
        path: placed.key ? env.pathOf(placed.key) : chartPath,
        field: `value ${k}`,
        value: describeValue(p.value),
        expected: `${describeValue(seen.param.value)}, as ${other} in the ${env.name} environment: the objects one value switches must agree`,
      });
    }
    if (!seen) byPath.set(k, placed);
  }
  const userAll = [...user];
  for (const d of defaultUser ?? []) if (!user.some((u) => jsonEqual(u.path, d.path))) userAll.push(d);
  for (const u of userAll) {
    const k = dottedPath(u.path);
    const clash = [...byPath.keys()].find((x) => x === k || x.startsWith(`${k}.`) || k.startsWith(`${x}.`));
    if (clash) {
      problems.push({
        path: u.user ?? chartPath,
        field: 'parameterName',
        value: describeValue(k),
        expected: `a name that is not, contains or lies inside the chart's standard value ${clash}: choose another parameterName`,
      });
      continue;
    }
    byPath.set(k, { param: u });
  }
  return [...byPath.values()].map((p) => p.param);
}

/** The first line where two template texts differ, as the field it belongs to and the two values there (as the YAML writes them). */
function firstDifference(ours: string, theirs: string): { field: string; ours: string; theirs: string } | undefined {
  if (ours === theirs) return undefined;
  const a = ours.split('\n');
  const b = theirs.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    const at = a[i] !== undefined ? a : b;
    const value = (line: string | undefined) => {
      const text = (line ?? '').trim();
      const m = /^(?:- )*(?:"(?:[^"\\]|\\.)*"|[^\s"{#][^:]*?):(?: (.*)|$)/.exec(text);
      return m ? m[1] ?? '' : text;
    };
    return { field: yamlFieldPath(at, i) || `line ${i + 1}`, ours: value(a[i]), theirs: value(b[i]) };
  }
  return undefined;
}
