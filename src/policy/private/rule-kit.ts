/**
 * Internal to `policy`: what a rule is (its id, level, description and check, written together once
 * in one of the rule files and listed in `rule-catalog.ts`), the tuning the checks read, how the
 * checks run over a `ManifestSet`, and the value helpers the rule files share. The objects
 * themselves are read through the `manifests` room.
 */
import { PodSecurityLevel } from '../../core/pod-security';
import { redactSecretValues } from '../../core/secrets';
import { ContainerRef, ManifestSet, ObjectRef, PodTemplateRef } from '../../manifests';
import { ManifestPolicyOptions, PolicyLevel, PolicyViolation } from '../policy-types';
import { DEFAULT_KUBERNETES_VERSION } from './schema/k8s-schema';

/** Which check reports the rule: the schema, a Pod Security Standards control, `ManifestPolicy`, or the waivers. */
export enum RuleFamily {
  SCHEMA = 'schema',
  POD_SECURITY = 'pod-security',
  MANIFEST = 'manifest',
  WAIVER = 'waiver',
}

/** Where a check reports: the rule and the object are already known. */
export interface RuleScope {
  readonly index: ManifestSet;
  readonly tuning: Tuning;
  /** Records one violation of this rule on this object. */
  report(path: string, message: string): void;
  /** Notes that the check could not judge this object, and why (the report lists it as skipped). */
  skip(reason: string): void;
}

/** Where a check over the whole set reports: the rule is known, each violation names its object. */
export interface SetScope {
  readonly index: ManifestSet;
  readonly tuning: Tuning;
  /** Records one violation of this rule on `obj` (`related`: another object it concerns). */
  report(obj: ObjectRef, path: string, message: string, related?: ObjectRef): void;
}

/** One waiver line of an object (`<rule-id>: <reason>`). */
export interface DeclaredWaiver {
  readonly rule: string;
  readonly reason: string;
}

/** One rule: what it is, and its check. */
export interface Rule {
  /** The rule id, reported as `PolicyViolation.rule`. */
  readonly id: string;
  readonly level: PolicyLevel;
  /** What a compliant manifest does. */
  readonly description: string;
  readonly family: RuleFamily;
  /** The Pod Security Standards level of a control (POD_SECURITY rules only). */
  readonly podSecurityLevel?: PodSecurityLevel;
  /** Checks one pod template (a Pod, a workload's template, a CronJob's job template). */
  readonly pod?: (pod: PodTemplateRef, at: RuleScope) => void;
  /** Checks one object: every object, or only those of `kinds`. */
  readonly object?: (obj: ObjectRef, at: RuleScope) => void;
  /** The kinds `object` checks (every kind when unset). */
  readonly kinds?: readonly string[];
  /** Checks the whole set at once (relations no one object holds: flows, duplicates). */
  readonly set?: (index: ManifestSet, at: SetScope) => void;
  /**
   * Checks one waiver an object declares, given the rules that may be waived: what is wrong with it,
   * or undefined.
   */
  readonly waiver?: (w: DeclaredWaiver, waivable: (rule: string) => boolean) => string | undefined;
}

/** A rule of a family, without the family written out in each entry. */
export type RuleOf = Omit<Rule, 'family'>;

/** The rules of one family, tagged with it. */
export function family(f: RuleFamily, rules: readonly RuleOf[]): Rule[] {
  return rules.map((r) => ({ ...r, family: f }));
}

/** The options of a check, with their defaults applied. */
export interface Tuning {
  readonly minReplicas: number;
  readonly minimumRunAsId: number;
  readonly requireExplicitPullAlways: boolean;
  readonly probesPerContainer: boolean;
  readonly requireDropAll: boolean;
  readonly checkSystemRbac: boolean;
  /** The Kubernetes version of the schema (one `KUBERNETES_VERSIONS` knows). */
  readonly kubernetesVersion: string;
  /** The options as given (where the cluster's own parts run, for the flow rule). */
  readonly options: ManifestPolicyOptions;
}

/** `options` with the defaults. */
export function tuning(options: ManifestPolicyOptions & { readonly kubernetesVersion?: string }): Tuning {
  return {
    minReplicas: options.minReplicas ?? 2,
    minimumRunAsId: options.minimumRunAsId ?? 1000,
    requireExplicitPullAlways: options.requireExplicitPullAlways ?? false,
    probesPerContainer: options.probesPerContainer ?? false,
    requireDropAll: options.requireDropAll ?? false,
    checkSystemRbac: options.checkSystemRbac ?? false,
    kubernetesVersion: options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    options,
  };
}

/** The rules `rules`/`skip` choose among `known`. Throws listing unknown ids. */
export function chosenRules(known: readonly Rule[], only: readonly string[] | undefined, skip: readonly string[] | undefined): Rule[] {
  const ids = new Set(known.map((r) => r.id));
  const unknown = [...only ?? [], ...skip ?? []].filter((id) => !ids.has(id));
  if (unknown.length) throw new Error(`unknown rule id(s): ${unknown.join(', ')}; the rules are ${[...ids].join(', ')}`);
  const wanted = only?.length ? new Set(only) : undefined;
  const skipped = new Set(skip ?? []);
  return known.filter((r) => (wanted === undefined || wanted.has(r.id)) && !skipped.has(r.id));
}

/**
 * Runs the checks of `rules` over every object of the set (and its pod template), so an object's
 * violations come in the order of `rules`, then the checks over the whole set. Each violation goes to `sink` with its object, each
 * object a check skips to `skipped`.
 */
export function runRules(index: ManifestSet, rules: readonly Rule[], tune: Tuning,
  sink: (obj: ObjectRef, v: PolicyViolation) => void, skipped: (obj: ObjectRef, reason: string) => void = () => {}): void {
  const violation = (rule: Rule, obj: ObjectRef, path: string, message: string, related?: ObjectRef): PolicyViolation => ({
    kind: obj.kind,
    name: obj.name,
    ...(obj.namespace ? { namespace: obj.namespace } : {}),
    rule: rule.id,
    path,
    message,
    level: rule.level,
    ...(related ? { relatedObjectIndex: index.positionOf(related) } : {}),
    ...(rule.podSecurityLevel ? { podSecurityLevel: rule.podSecurityLevel } : {}),
  });
  const scope = (rule: Rule, obj: ObjectRef): RuleScope => ({
    index,
    tuning: tune,
    skip: (reason) => skipped(obj, reason),
    report: (path, message) => sink(obj, violation(rule, obj, path, message)),
  });
  // The rules that apply to each kind (with or without a pod template), in the order given.
  const byKind = new Map<string, Rule[]>();
  const rulesOf = (kind: string, withPod: boolean) => {
    const key = `${withPod}|${kind}`;
    let found = byKind.get(key);
    if (!found) byKind.set(key, found = rules.filter((r) => (withPod && r.pod) || (r.object && (!r.kinds || r.kinds.includes(kind)))));
    return found;
  };
  for (const obj of index.objects) {
    const pod = index.podOf(obj);
    for (const rule of rulesOf(obj.kind, pod !== undefined)) {
      const at = scope(rule, obj);
      if (pod && rule.pod) rule.pod(pod, at);
      if (rule.object && (!rule.kinds || rule.kinds.includes(obj.kind))) rule.object(obj, at);
    }
  }
  for (const rule of rules.filter((r) => r.set)) {
    rule.set!(index, { index, tuning: tune, report: (obj, path, message, related) => sink(obj, violation(rule, obj, path, message, related)) });
  }
}

/** `5`, `"5"` → 5; `"50%"` → undefined (not an absolute count). */
export function intOrUndefined(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** `"50%"` → 50; anything else → undefined. */
export function percentOrUndefined(v: unknown): number | undefined {
  if (typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v)) return Number(v.slice(0, -1));
  return undefined;
}

/** JSON text of a value for messages (`unset` for undefined); secret values by their form are redacted. */
/** "namespace \"x\"", or where an object names none: kubectl applies it to its context's namespace. */
export function namespaceText(namespace: string | undefined): string {
  return namespace ? `namespace ${show(namespace)}` : "the namespace kubectl's context names (the object sets none)";
}

export function show(v: unknown): string {
  return v === undefined ? 'unset' : redactSecretValues(JSON.stringify(v));
}

/** A value for a message: a string as written, anything else as JSON (never `[object Object]`). */
export function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? 'unset';
}

/** The elements of `v` when it is an array, else none. */
export function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** Every container port of a pod, with its container and the path of the port. */
export function containerPorts(pod: PodTemplateRef): Array<{ readonly container: ContainerRef; readonly port: any; readonly at: string }> {
  return pod.containers.flatMap((container) => list(container.c.ports).map((port: any, i: number) => ({ container, port, at: `${container.path}.ports[${i}]` })));
}
