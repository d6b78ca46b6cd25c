/**
 * Objects some environments lack. Every object may be in some environments only: it renders under
 * a condition that is off where it is missing.
 *
 * An object's own switch comes first: the one its kind has (`ingress.enabled`, `autoscaling.enabled`,
 * `networkPolicy.enabled`, `pdb.enabled`, the Ingress TLS switches of cert-manager's objects), set off
 * in an environment that holds no object it switches. Where that switch is still on in an environment
 * that lacks the object (another PodDisruptionBudget is there), or the kind has none, the object gets
 * a switch of its own, named the way charts name them:
 *
 * - a workload with a section of its own: `<section>.enabled`, which the objects that belong to it
 *   and are missing where it is (its Service, HPA, PDB, ConfigMaps...) share;
 * - an object with settings of its own (Service, Ingress, PersistentVolumeClaim, PodDisruptionBudget):
 *   `<prefix>.enabled`, or `<prefix>.create` where `<prefix>.enabled` is taken (`pdb.enabled`, the
 *   chart-wide switch, beside `pdb.create`, Bitnami's per-workload one);
 * - any other: `<section>.<name><Kind>.enabled`, such as `dashboardsConfigMap.enabled`.
 *
 * Each switch is true in the environments that hold the object, so every values file renders its
 * environment exactly.
 */
import { describeKey } from './model/json-pointers';
import { DocPlan, ParamSpec } from './model/template-model';
import { camelCase, dottedPath, valuesRef } from './model/values-paths';
import { WORKLOAD_KINDS } from './value-sections';

/** The switch the merge gives an object: its value path and, per environment, whether the object is there. */
export interface PresenceSwitch {
  readonly path: string[];
  readonly present: readonly boolean[];
  readonly description: string;
}

/** What the merge knows of one object across the environments. */
export interface PresenceInput {
  readonly key: string;
  /** The plan the template is written from. */
  readonly plan: DocPlan;
  /** Per environment: whether it plans the object (a stand-in HPA counts: its own switch is off there). */
  readonly planned: readonly boolean[];
}

/** Settings prefixes whose `enabled` (or `create`) is the object's own switch. */
const SETTINGS_KINDS = ['Service', 'Ingress', 'PersistentVolumeClaim', 'PodDisruptionBudget'];

/**
 * The switches the objects need beyond their own: `valuesOf(i)` gives environment i's values
 * without them (each object's own switch off where no object it switches is held).
 */
export function presenceSwitches(
  objects: readonly PresenceInput[], envNames: readonly string[], valuesOf: (i: number) => ParamSpec[],
): Map<string, PresenceSwitch> {
  const out = new Map<string, PresenceSwitch>();
  const gaps = objects.filter((o) => o.planned.some((p) => !p) && !o.plan.outOfChart);
  if (gaps.length === 0) return out;
  const values = envNames.map((_, i) => new Map(valuesOf(i).map((p) => [dottedPath(p.path), p.value])));
  const needs = gaps.filter((o) => o.planned.some((p, i) => !p && evaluateCondition(o.plan.condition, values[i]) !== false));
  const byKey = new Map(objects.map((o) => [o.key, o]));
  const taken = new Set<string>();
  for (const v of values) for (const k of v.keys()) taken.add(k);
  // Workloads first: the objects that belong to one share its switch.
  const ordered = [...needs].sort((a, b) => Number(isWorkload(b.plan)) - Number(isWorkload(a.plan)));
  for (const o of ordered) {
    const owner = o.plan.valuesAt?.owner;
    const shared = owner !== undefined ? out.get(owner) : undefined;
    if (shared && samePresence(shared.present, o.planned)) {
      out.set(o.key, shared);
      continue;
    }
    const path = switchPath(o.plan, taken);
    taken.add(dottedPath(path));
    const lacking = envNames.filter((_, i) => !o.planned[i]);
    const what = isWorkload(o.plan) ? `the ${o.plan.doc.metadata?.name} ${o.plan.doc.kind} and the objects that belong to it` : describeKey(o.key);
    out.set(o.key, {
      path,
      present: o.planned,
      description: `Render ${what} (the ${lacking.join(', ')} environment${lacking.length > 1 ? 's have' : ' has'} none)`,
    });
  }
  // What belongs to a switched workload and is never there without it follows its switch too, though
  // its own switch is off where it is missing: turning that on (`autoscaling.enabled`) must not render
  // an HPA for a workload the environment does not have.
  for (const o of objects) {
    const owner = o.plan.valuesAt?.owner;
    const sw = owner !== undefined && !out.has(o.key) ? out.get(owner) : undefined;
    if (sw && isWorkload(byKey.get(owner!)?.plan) && o.planned.every((p, i) => !p || sw.present[i])) out.set(o.key, sw);
  }
  return out;
}

/** The condition of a plan with its presence switch. */
export function switchedCondition(condition: string | undefined, sw: PresenceSwitch): string {
  const ref = valuesRef(sw.path);
  if (condition === undefined) return ref;
  return `and ${/\s/.test(condition) ? `(${condition})` : condition} ${ref}`;
}

/** The value of a presence switch in environment i. */
export function switchParam(sw: PresenceSwitch, i: number): ParamSpec {
  return { path: sw.path, type: 'boolean', value: sw.present[i], description: sw.description };
}

function isWorkload(plan: DocPlan | undefined): boolean {
  return plan !== undefined && WORKLOAD_KINDS.includes(plan.doc.kind) && plan.valuesAt?.owner === undefined;
}

function samePresence(a: readonly boolean[], b: readonly boolean[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A dotted path that is no value and holds none, and lies inside none. */
function free(path: string[], taken: ReadonlySet<string>): boolean {
  const dotted = dottedPath(path);
  for (const t of taken) if (t === dotted || t.startsWith(`${dotted}.`) || dotted.startsWith(`${t}.`)) return false;
  return true;
}

function switchPath(plan: DocPlan, taken: ReadonlySet<string>): string[] {
  const at = plan.valuesAt ?? { section: [], prefix: [] };
  const candidates: string[][] = [];
  if (isWorkload(plan) && at.section.length > 0) candidates.push([...at.section, 'enabled']);
  if (SETTINGS_KINDS.includes(plan.doc.kind) && at.prefix.length > at.section.length) candidates.push([...at.prefix, 'enabled'], [...at.prefix, 'create']);
  const own = [...at.section, camelCase(`${plan.doc.metadata?.name}-${plan.doc.kind}`)];
  candidates.push([...own, 'enabled']);
  for (const c of candidates) if (free(c, taken)) return c;
  for (let n = 2; ; n++) {
    const c = [...at.section, `${own[own.length - 1]}${n}`, 'enabled'];
    if (free(c, taken)) return c;
  }
}

/** A token of a condition: a word, or a parenthesis. */
function tokens(condition: string): string[] {
  return condition.match(/"(?:[^"\\]|\\.)*"|[()]|[^\s()]+/g) ?? [];
}

/**
 * Evaluates a condition the derivers write (`.Values.a.b`, `(index .Values "a" "b-c")`, `and`, `or`,
 * `not`) with Go template truth; undefined when it holds anything else (then the object gets a switch).
 */
export function evaluateCondition(condition: string | undefined, values: ReadonlyMap<string, unknown>): boolean | undefined {
  if (condition === undefined) return true;
  const list = tokens(condition);
  let at = 0;
  const truth = (v: unknown): boolean => !(v === undefined || v === null || v === false || v === 0 || v === ''
    || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0));
  const value = (path: string[]) => values.get(dottedPath(path));
  const term = (): unknown => {
    const t = list[at++];
    if (t === undefined) throw new Error('end');
    if (t === '(') {
      let v: unknown;
      if (list[at] === 'index' && list[at + 1] === '.Values') {
        at += 2;
        const path: string[] = [];
        while (list[at] !== ')' && list[at] !== undefined) path.push(JSON.parse(list[at++]) as string);
        v = value(path);
      } else {
        v = expression();
      }
      if (list[at++] !== ')') throw new Error('paren');
      return v;
    }
    if (t.startsWith('.Values.')) return value(t.slice('.Values.'.length).split('.'));
    throw new Error(t);
  };
  const expression = (): unknown => {
    const head = list[at];
    if (head === 'and' || head === 'or' || head === 'not') {
      at++;
      const args: unknown[] = [];
      while (at < list.length && list[at] !== ')') args.push(term());
      if (head === 'not') return !truth(args[0]);
      return head === 'and' ? args.every(truth) : args.some(truth);
    }
    return term();
  };
  try {
    const v = expression();
    return at === list.length ? truth(v) : undefined;
  } catch {
    return undefined;
  }
}
