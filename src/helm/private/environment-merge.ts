/**
 * Combines the environments into one chart: one template per object, and for each environment
 * the values that reproduce its plain synth exactly.
 *
 * Every environment must yield the same template text for each object it holds: the objects may
 * differ only in fields that are values (including the labels `environment` and
 * `app.kubernetes.io/version`, which follow the `environment` value and the image tag). Optional
 * objects (Ingress, HPA, NetworkPolicy, PDB) may be missing from some environments; their switch is
 * then off there.
 */
import { ENVIRONMENT_NAMES, ENVIRONMENT_PATH } from './derive/labels';
import { configTexts } from './derive/objects';
import { testParams, testedServices } from './files/test-hook';
import { renderTemplateBody } from './placeholders';
import { ReleaseNames, releaseParams } from './release-names';
import { DocPlan, HelmSynthError, ParamSpec, dottedPath, jsonEqual } from './template-model';
import { EnvironmentInput, EnvPlan, SharedInputs, planEnvironment } from './template-plans';

/** The chart: templates, the default values and each other environment's values. */
export interface ChartModel {
  readonly plans: DocPlan[];
  /** Values of the default environment: every parameter, in a stable order. */
  readonly params: ParamSpec[];
  /** For each further environment (by name) its values, same paths as `params`. */
  readonly environments: Map<string, ParamSpec[]>;
  /** Namespace of each environment's objects (first one found), for docs. */
  readonly namespaces: Map<string, string | undefined>;
  /** How the templates print release-aware names (the default environment's objects). */
  readonly release: ReleaseNames;
}

/**
 * The environment of a release, when the objects say it: the `environment` label most objects carry
 * (development, staging or production; the Namespace's counts too), else the environment's name.
 */
export function releaseEnvironment(env: EnvironmentInput): string | undefined {
  const counts = new Map<string, number>();
  for (const d of env.docs) {
    const v = d?.metadata?.labels?.environment;
    if (ENVIRONMENT_NAMES.includes(v)) counts.set(v, (counts.get(v) ?? 0) + (d.kind === 'Namespace' ? 0.5 : 1));
  }
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
  return best ?? (ENVIRONMENT_NAMES.includes(env.name) ? env.name : undefined);
}

function environmentParam(value: string, fallback: boolean): ParamSpec {
  return {
    path: ENVIRONMENT_PATH,
    type: 'string',
    value,
    enum: ENVIRONMENT_NAMES,
    fallback,
    description: 'Environment of the release (development, staging or production): the `environment` labels follow it, and production refuses the image tag "latest"',
  };
}

/** Builds the chart model; throws HelmSynthError listing every problem. */
export function buildChartModel(chartName: string, envs: EnvironmentInput[]): ChartModel {
  const problems: string[] = [];
  const shared: SharedInputs = { configTexts: new Map() };
  for (const e of envs) configTexts(e.docs, shared.configTexts);
  const planned = envs.map((e) => planEnvironment(chartName, e, problems, shared));
  const keySet = new Set<string>();
  for (const p of planned) for (const k of p.plans.keys()) keySet.add(k);
  const keys = [...keySet];
  const environmentsOf = envs.map(releaseEnvironment);
  const defaultEnvironment = environmentsOf[0];

  if (planned.length > 1) for (const key of keys) agreeOnLinks(planned.map((p) => p.plans), key);

  const sources = new Map<string, EnvPlan>();
  for (const key of keys) {
    const holders = planned.map((p) => p.plans.get(key));
    const source = holders.find((h) => h?.present) ?? holders.find((h) => h !== undefined)!;
    sources.set(key, source);
    holders.forEach((h, i) => {
      if (h === undefined && !source.plan.optional) {
        const has = envs.filter((_, j) => holders[j] !== undefined).map((e) => e.name).join(', ');
        problems.push(`${key} is in ${has} but not in ${envs[i].name}; only Ingress, HPA, NetworkPolicy and PodDisruptionBudget objects may be left out of an environment`);
      }
    });
    let text: string | undefined;
    holders.forEach((h, i) => {
      if (!h?.present || h === source) return;
      text = text ?? renderTemplateBody(source.plan);
      const other = renderTemplateBody(h.plan);
      if (other !== text) problems.push(`${key} differs between environments in a field that is not a value: ${firstDifference(text, other, envs[i].name)}`);
    });
  }

  const tested = testedServices([...sources.values()].map((s) => s.plan)).length > 0;
  const ordered = [...keys].sort((a, b) => rank(sources.get(a)!.plan) - rank(sources.get(b)!.plan));
  const valuesOf = (i: number): ParamSpec[] => {
    const list: ParamSpec[] = [];
    for (const key of ordered) {
      const own = planned[i].plans.get(key);
      const src = sources.get(key)!;
      // An object missing here says nothing about its labels: its link values are left out.
      const params = own ? own.plan.params
        : src.plan.params.filter((p) => p.link === undefined).map((p) => (p.toggleOff !== undefined ? { ...p, value: p.toggleOff } : p));
      list.push(...params);
    }
    // The release-wide values come first: environment, names, global; the helm test last.
    const own = environmentsOf[i];
    list.unshift(...releaseParams(chartName));
    if (defaultEnvironment !== undefined) list.unshift(environmentParam(own ?? defaultEnvironment, own === undefined));
    if (tested) list.push(...testParams());
    list.sort((a, b) => Number(isEnvironment(b)) - Number(isEnvironment(a)));
    return mergeParams(envs[i].name, list, planned[i].userParams, i === 0 ? undefined : planned[0].userParams, problems);
  };
  const params = valuesOf(0);
  const defaults = new Map(params.map((p) => [dottedPath(p.path), p]));
  const environments = new Map<string, ParamSpec[]>();
  envs.slice(1).forEach((e, j) => {
    const values = valuesOf(j + 1).map((v) => {
      const d = defaults.get(dottedPath(v.path));
      return v.fallback && d ? { ...v, value: d.value } : v;
    });
    const known = new Set(params.map((p) => dottedPath(p.path)));
    for (const v of values) {
      if (!known.has(dottedPath(v.path))) problems.push(`${e.name}: value ${dottedPath(v.path)} exists only in this environment; declare it in the default chart too`);
    }
    environments.set(e.name, values);
  });
  if (problems.length > 0) throw new HelmSynthError([...new Set(problems)]);
  const namespaces = new Map(envs.map((e) => [e.name, e.docs.find((d) => d.metadata?.namespace)?.metadata?.namespace as string | undefined]));
  return { plans: keys.map((k) => sources.get(k)!.plan), params, environments, namespaces, release: planned[0].release };
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

function mergeParams(
  envName: string, derived: ParamSpec[], user: ParamSpec[], defaultUser: ParamSpec[] | undefined, problems: string[],
): ParamSpec[] {
  const byPath = new Map<string, ParamSpec>();
  for (const p of derived) {
    const k = dottedPath(p.path);
    const seen = byPath.get(k);
    if (seen && !jsonEqual(seen.value, p.value)) {
      problems.push(`${envName}: objects disagree on value ${k} (${JSON.stringify(seen.value)} vs ${JSON.stringify(p.value)}); keep the objects it switches consistent`);
    }
    if (!seen) byPath.set(k, p);
  }
  const userAll = [...user];
  for (const d of defaultUser ?? []) if (!user.some((u) => jsonEqual(u.path, d.path))) userAll.push(d);
  for (const u of userAll) {
    const k = dottedPath(u.path);
    const clash = [...byPath.keys()].find((x) => x === k || x.startsWith(`${k}.`) || k.startsWith(`${x}.`));
    if (clash) {
      problems.push(`${envName}: parameter ${k} collides with the chart's standard value ${clash}; choose another parameterName`);
      continue;
    }
    byPath.set(k, u);
  }
  return [...byPath.values()];
}

function firstDifference(a: string, b: string, envName: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1} is "${(la[i] ?? '').trim()}" in the chart but "${(lb[i] ?? '').trim()}" in ${envName}; bind that field with a ValueParameter`;
  }
  return 'texts differ';
}
