/**
 * Every check over a list of objects at once, as `deploykit check`, the cdk8s validation plugin and
 * the synth-time check run it: the strict Kubernetes schema (1.28, or the version named), the Pod
 * Security Standards at a level, `ManifestPolicy`, and the waivers objects declare.
 */
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PolicyCheckOptions, PolicyFinding, PolicyReport, PolicySkip, PolicyWaiver } from './policy-report';
import { PolicyRule, PolicyViolation } from './policy-types';
import { podSecurityControls } from './private/pod-security-rules';
import { CATALOG, publicRule } from './private/rule-catalog';
import { chosenRules, Rule, RuleFamily, runRules, tuning } from './private/rule-kit';
import { formatFinding } from '../core/report';
import { checkArgsOrThrow } from '../core/validation';
import { declaredWaivers, WAIVER_PATH } from './private/waiver-rules';
import { describeValue, underConstructWithFindings } from '../core/findings';
import { PodSecurityLevel } from '../core/pod-security';
import { redactSecretValues } from '../core/secrets';
import { addWarning } from '../core/warnings';
import { ManifestSet, ObjectRef, renderObjects } from '../manifests';
import { DEFAULT_KUBERNETES_VERSION, knownKubernetesVersion, KUBERNETES_VERSIONS } from './private/schema/k8s-schema';

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
 * // Each finding names the object (kind, name), the field (path), the rule (rule) and what is wrong (message).
 * const errorCount = report.errors.length;
 * // ...or inside app.synth(), where an error fails the synth.
 * PolicyCheck.enable(chart);
 * app.synth();
 */
export class PolicyCheck {
  /** Every rule the check knows: the schema rule, the Pod Security Standards controls, `ManifestPolicy`'s rules and the waiver rules. */
  public static rules(): PolicyRule[] {
    return CATALOG.map(publicRule);
  }

  /** Checks the objects (plain objects, e.g. from `chart.toJson()` or parsed YAML). Throws when `options` name an unknown rule id. */
  public static run(manifests: any[], options: PolicyCheckOptions = {}): PolicyReport {
    checkArgsOrThrow('PolicyCheck', 'static run', [manifests, options]);
    options = options ?? {}; // JavaScript's null means "not set", as jsii treats it
    const known = new Set(CATALOG.map((r) => r.id));
    const unknown = [...options.rules ?? [], ...options.skip ?? []].filter((id) => !known.has(id));
    if (unknown.length) throw new Error(`unknown rule id(s): ${unknown.join(', ')}; see PolicyCheck.rules() or \`deploykit check --list-rules\``);
    const kubernetesVersion = knownKubernetesVersion(options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
    if (kubernetesVersion === undefined) {
      throw new Error(`unknown Kubernetes version ${JSON.stringify(options.kubernetesVersion)}; the check knows ${KUBERNETES_VERSIONS.join(', ')}`);
    }
    const level = options.level ?? PodSecurityLevel.RESTRICTED;
    const skip = [...options.skip ?? []];
    if (level === PodSecurityLevel.RESTRICTED) skip.push(...SUBSUMED_BY_RESTRICTED.filter((id) => !options.rules?.includes(id)));
    const controls = new Set<Rule>(podSecurityControls(level));
    const chosen = chosenRules(CATALOG, options.rules, skip);
    const checks = chosen.filter((r) => (r.family === RuleFamily.SCHEMA && options.schema !== false)
      || (r.family === RuleFamily.POD_SECURITY && controls.has(r)) || r.family === RuleFamily.MANIFEST);

    const index = new ManifestSet(manifests ?? []);
    const found: Array<PolicyFinding[] | undefined> = [];
    const add = (obj: ObjectRef, v: PolicyViolation) => {
      const objectIndex = index.positionOf(obj);
      (found[objectIndex] ??= []).push({ ...v, message: redactSecretValues(v.message), objectIndex });
    };
    const skipped: PolicySkip[] = [];
    const identity = (obj: ObjectRef) => ({ kind: obj.kind, name: obj.name, ...(obj.namespace ? { namespace: obj.namespace } : {}) });
    runRules(index, checks, tuning({ ...options, kubernetesVersion }), add,
      (obj, reason) => skipped.push({ ...identity(obj), apiVersion: obj.apiVersion, objectIndex: index.positionOf(obj), reason }));
    return applyWaivers(index, found, skipped, chosen.filter((r) => r.family === RuleFamily.WAIVER), add);
  }

  /**
   * Runs the check inside `app.synth()` (and `chart.toJson()`) on every object of the chart holding
   * `scope` (every chart when `scope` is the App): an ERROR fails the synth with the other validation
   * errors, a WARNING is printed once. Enabling it twice on a chart changes nothing. The objects of a
   * construct that reports findings of its own are checked once those are fixed (each bad input is
   * reported once, by the construct that was given it).
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
          return formatFinding({
            field: where,
            value: describeValue(valueAtPath(object?.json, f.path)),
            expected: `${descriptions.get(f.rule) ?? f.rule} (${f.level} ${f.rule}: ${f.message})`,
          });
        };
        // An object whose construct refuses its input is what that input made: its construct's finding
        // reports the mistake once; the objects are checked again once it is fixed.
        const judged = (f: PolicyFinding) => !rendered[f.objectIndex] || !underConstructWithFindings(rendered[f.objectIndex].source);
        for (const f of report.warnings.filter(judged)) addWarning(target, `policy ${line(f)}`);
        const errors = report.errors.filter(judged).map((f) => `policy ${line(f)}`);
        // With errors to fix, the report also says which findings were accepted, and why.
        if (errors.length) {
          for (const w of report.waivers.filter((x) => x.waivedCount > 0)) {
            const source = rendered[w.objectIndex]?.source.node.path ?? `${w.kind}/${w.name}`;
            errors.push(`policy ${formatFinding({
              field: `waiver on ${source} (${w.kind} ${w.name}) ${w.rule}`,
              value: `the reason ${describeValue(w.reason)}`,
              expected: `a reason, so ${w.waivedCount} finding(s) are accepted (waived: ${w.kind}/${w.name} ${w.rule})`,
            })}`);
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

/**
 * Applies the waivers each object declares: a waiver the waiver rules accept turns the object's
 * findings of its rule into waived findings; one they refuse is itself a finding.
 */
function applyWaivers(index: ManifestSet, found: Array<PolicyFinding[] | undefined>, skipped: PolicySkip[], waiverRules: readonly Rule[],
  add: (obj: ObjectRef, v: PolicyViolation) => void): PolicyReport {
  const waivable = (rule: string) => CATALOG.some((r) => r.id === rule && (r.family === RuleFamily.POD_SECURITY || r.family === RuleFamily.MANIFEST));
  const waivers: PolicyWaiver[] = [];
  const waived: PolicyFinding[] = [];
  for (const obj of index.objects) {
    const declared = declaredWaivers(obj.raw);
    if (!declared.length) continue;
    const objectIndex = index.positionOf(obj);
    const identity = { kind: obj.kind, name: obj.name, ...(obj.namespace ? { namespace: obj.namespace } : {}) };
    for (const w of declared) {
      let waivedCount = 0;
      const refused = waiverRules.map((rule) => ({ rule, message: rule.waiver!(w, waivable) })).filter((r) => r.message !== undefined);
      for (const { rule, message } of refused) add(obj, { ...identity, rule: rule.id, path: WAIVER_PATH, level: rule.level, message: message! });
      if (!refused.length && waivable(w.rule) && w.reason !== '') {
        found[objectIndex] = (found[objectIndex] ?? []).filter((f) => {
          if (f.rule !== w.rule) return true;
          waived.push({ ...f, waiverReason: w.reason });
          waivedCount++;
          return false;
        });
      }
      waivers.push({ ...identity, objectIndex, rule: w.rule, reason: w.reason, waivedCount });
    }
  }
  const findings = found.flatMap((f) => f ?? []);
  waived.sort((a, b) => a.objectIndex - b.objectIndex);
  return new PolicyReport(findings, waived, waivers, skipped, index.objects.length);
}
