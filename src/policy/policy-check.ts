/**
 * Every check over a list of objects at once, as `deploykit check`, the cdk8s validation plugin and
 * the synth-time check run it: the strict Kubernetes 1.28 schema, the Pod Security Standards at a
 * level, `ManifestPolicy`, and the waivers objects declare.
 */
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ManifestPolicy } from './manifest-policy';
import { PolicyCheckOptions, PolicyFinding, PolicyReport, PolicySkip, PolicyWaiver } from './policy-report';
import { PolicyLevel, PolicyRule, PolicyViolation } from './policy-types';
import { ManifestSet, ObjectRef, renderObjects } from '../manifests';
import { RULE_IDS } from './private/rule-catalog';
import { describeValue } from '../core/findings';
import { checkArgsOrThrow } from '../core/validation';
import { checkSchema } from './private/schema/k8s-schema';
import { declaredWaivers, WAIVER_PATH } from './private/waiver-rules';
import { RestrictedProfile } from './restricted-profile';
import { PodSecurityLevel } from '../core/pod-security';
import { redactSecretValues } from '../core/secrets';
import { addWarning } from '../core/warnings';

const SCHEMA_RULE = 'k8s-schema';
const WAIVER_REASON = 'waiver-reason';
const WAIVER_UNKNOWN = 'waiver-unknown-rule';
const OWN_RULES: PolicyRule[] = [
  { id: SCHEMA_RULE, level: PolicyLevel.ERROR, description: 'the object is valid against the Kubernetes 1.28 schema made strict (unknown fields refused), or its shipped CRD' },
  { id: WAIVER_REASON, level: PolicyLevel.ERROR, description: `every waiver (${WAIVER_PATH}) gives a reason: "<rule-id>: <reason>"` },
  { id: WAIVER_UNKNOWN, level: PolicyLevel.ERROR, description: 'a waiver names a rule that can be waived (schema problems cannot)' },
];
/** Rules not to run at the restricted level: a Pod Security Standards control says more. */
const SUBSUMED_BY_RESTRICTED = ['container-drop-capabilities'];
/** Rules not to run inside a synth: every chart reports its own duplicate objects, with construct paths (core/object-identity.ts). */
const CHECKED_BY_EVERY_CHART = ['object-unique'];

const enabledOn = new WeakSet<IConstruct>();

/**
 * Runs the schema, the Pod Security Standards and `ManifestPolicy` over any objects, and applies the
 * waivers the objects declare (`deploykit.dev/waive`, see `Waivers`). The same check runs as the
 * `deploykit check` command, as the cdk8s validation plugin, and inside `app.synth()` with `enable`.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, PodSecurityLevel, PolicyCheck } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 * });
 *
 * // Check the chart's objects now, at the level the cluster enforces...
 * const report = PolicyCheck.run(chart.toJson(), { level: PodSecurityLevel.BASELINE });
 * // Each finding names the object (kind, name), the field (path), the rule (control) and what is wrong (message).
 * const errorCount = report.errors.length;
 * // ...or inside app.synth(), where an error fails the synth.
 * PolicyCheck.enable(chart);
 * app.synth();
 */
export class PolicyCheck {
  /** Every rule the check knows: the schema rule, the Pod Security Standards controls, `ManifestPolicy`'s rules and the waiver rules. */
  public static rules(): PolicyRule[] {
    return [OWN_RULES[0], ...RestrictedProfile.rules(), ...ManifestPolicy.rules(), ...OWN_RULES.slice(1)];
  }

  /** Checks the objects (plain objects, e.g. from `chart.toJson()` or parsed YAML). Throws when `options` name an unknown rule id. */
  public static run(manifests: any[], options: PolicyCheckOptions = {}): PolicyReport {
    checkArgsOrThrow('PolicyCheck', 'static run', [manifests, options]);
    options = options ?? {}; // JavaScript's null means "not set", as jsii treats it
    const known = new Set(PolicyCheck.rules().map((r) => r.id));
    const unknown = [...options.rules ?? [], ...options.skip ?? []].filter((id) => !known.has(id));
    if (unknown.length) throw new Error(`unknown rule id(s): ${unknown.join(', ')}; see PolicyCheck.rules() or \`deploykit check --list-rules\``);
    const only = options.rules?.length ? new Set(options.rules) : undefined;
    const skip = new Set(options.skip ?? []);
    const level = options.level ?? PodSecurityLevel.RESTRICTED;
    if (level === PodSecurityLevel.RESTRICTED) for (const id of SUBSUMED_BY_RESTRICTED) if (!only?.has(id)) skip.add(id);
    const wanted = (id: string) => (only === undefined || only.has(id)) && !skip.has(id);

    const index = new ManifestSet(manifests ?? []);
    const found: Array<PolicyFinding[] | undefined> = [];
    const add = (obj: ObjectRef, v: PolicyViolation) => {
      if (!wanted(v.control)) return;
      const objectIndex = index.positionOf(obj);
      (found[objectIndex] ??= []).push({ ...v, message: redactSecretValues(v.message), objectIndex });
    };
    const identity = (obj: ObjectRef) => ({ kind: obj.kind, name: obj.name, ...(obj.namespace ? { namespace: obj.namespace } : {}) });
    const skipped: PolicySkip[] = [];
    if (options.schema !== false && wanted(SCHEMA_RULE)) {
      for (const obj of index.objects) {
        const result = checkSchema(obj.raw);
        if (result.skipped) {
          skipped.push({ ...identity(obj), apiVersion: obj.apiVersion, objectIndex: index.positionOf(obj), reason: 'custom resource of a kind whose CRD the library does not ship: not validated' });
          continue;
        }
        for (const p of result.problems) {
          add(obj, { ...identity(obj), control: SCHEMA_RULE, path: p.path, message: p.message, level: PolicyLevel.ERROR });
        }
      }
    }
    RestrictedProfile._checkSet(index, { level }, add);
    const manifestIds = RULE_IDS.filter(wanted);
    if (manifestIds.length) {
      const manifestOptions = { ...options, rules: manifestIds.length === RULE_IDS.length ? undefined : [...manifestIds], skip: undefined };
      ManifestPolicy._checkSet(index, manifestOptions, add);
    }
    return applyWaivers(index, found, skipped, known, identity, add);
  }

  /**
   * Runs the check inside `app.synth()` (and `chart.toJson()`) on every object of the chart holding
   * `scope` (every chart when `scope` is the App): an ERROR fails the synth with the other validation
   * errors, a WARNING is printed once. Enabling it twice on a chart changes nothing.
   */
  public static enable(scope: IConstruct, options: PolicyCheckOptions = {}): void {
    checkArgsOrThrow('PolicyCheck', 'static enable', [scope, options]);
    options = options ?? {};
    const target = scope instanceof App ? scope : Chart.of(scope);
    if (enabledOn.has(target)) return;
    enabledOn.add(target);
    target.node.addValidation({
      validate: () => {
        const rendered = renderObjects(target instanceof App ? target.charts : [target]);
        const report = PolicyCheck.run(rendered.map((o) => o.json), { ...options, skip: [...options.skip ?? [], ...CHECKED_BY_EVERY_CHART] });
        const descriptions = new Map(PolicyCheck.rules().map((r) => [r.id, r.description]));
        // The same form as every other finding: where (the construct that made the object, and the
        // field), what it holds, and what is expected, with the rule id and what the rule found.
        const line = (f: PolicyFinding) => {
          const object = rendered[f.objectIndex];
          const where = `${object?.source.node.path ?? `${f.kind}/${f.name}`} (${f.kind} ${f.name}) ${f.path || 'object'}`;
          return `${where}: got ${describeValue(valueAtPath(object?.json, f.path))}; expected ${descriptions.get(f.control) ?? f.control} `
            + `(${f.level} ${f.control}: ${f.message})`;
        };
        for (const f of report.warnings) addWarning(target, `policy ${line(f)}`);
        const errors = report.errors.map((f) => `policy ${line(f)}`);
        // With errors to fix, the report also says which findings were accepted, and why.
        if (errors.length) {
          for (const w of report.waivers.filter((x) => x.waivedCount > 0)) {
            const source = rendered[w.objectIndex]?.source.node.path ?? `${w.kind}/${w.name}`;
            errors.push(`policy waiver on ${source} (${w.kind} ${w.name}) ${w.control}: got the reason ${describeValue(w.reason)}; `
              + `expected a reason, so ${w.waivedCount} finding(s) are accepted (waived: ${w.kind}/${w.name} ${w.control})`);
          }
        }
        return errors;
      },
    });
  }
}

/** The value at a JSON path such as `spec.template.spec.containers[0].image` (undefined when absent). */
function valueAtPath(obj: unknown, path: string): unknown {
  let at: any = obj;
  for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = at[part];
  }
  return at;
}

function applyWaivers(index: ManifestSet, found: Array<PolicyFinding[] | undefined>, skipped: PolicySkip[], known: Set<string>,
  identity: (obj: ObjectRef) => { kind: string; name: string; namespace?: string },
  add: (obj: ObjectRef, v: PolicyViolation) => void): PolicyReport {
  const waivers: PolicyWaiver[] = [];
  const waived: PolicyFinding[] = [];
  for (const obj of index.objects) {
    const declared = declaredWaivers(obj.raw);
    if (!declared.length) continue;
    const objectIndex = index.positionOf(obj);
    for (const w of declared) {
      let waivedCount = 0;
      if (!known.has(w.control) || w.control === SCHEMA_RULE || w.control.startsWith('waiver-')) {
        add(obj, {
          ...identity(obj),
          control: WAIVER_UNKNOWN,
          path: WAIVER_PATH,
          level: PolicyLevel.ERROR,
          message: w.control === SCHEMA_RULE
            ? 'waives k8s-schema: schema problems cannot be waived, the API server refuses the object'
            : `waives ${JSON.stringify(w.control)}, which is no rule id; see deploykit check --list-rules`,
        });
      } else if (w.reason === '') {
        add(obj, {
          ...identity(obj),
          control: WAIVER_REASON,
          path: WAIVER_PATH,
          level: PolicyLevel.ERROR,
          message: `the waiver of ${w.control} gives no reason; write "${w.control}: <why this is acceptable>"`,
        });
      } else {
        const stay = (found[objectIndex] ?? []).filter((f) => {
          if (f.control !== w.control) return true;
          waived.push({ ...f, waiverReason: w.reason });
          waivedCount++;
          return false;
        });
        found[objectIndex] = stay;
      }
      waivers.push({ ...identity(obj), objectIndex, control: w.control, reason: w.reason, waivedCount });
    }
  }
  const findings = found.flatMap((f) => f ?? []);
  waived.sort((a, b) => a.objectIndex - b.objectIndex);
  return new PolicyReport(findings, waived, waivers, skipped, index.objects.length);
}
