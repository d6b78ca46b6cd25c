/**
 * Plans for the objects of one environment, in one pass:
 *
 * 1. where each object's values live (`value-sections.ts`, read through `ManifestSet`) and the names
 *    the release makes (`release-names.ts`), once for the environment;
 * 2. for each object, its deriver from the table (`derive/table.ts`), given the object, the release
 *    context and the values section it owns (`derive/deriver.ts`);
 * 3. what every object gets besides: the user's bindings, the labels that follow values, its
 *    release-awareness, the chart's labels and `commonLabels`/`commonAnnotations` (with the
 *    annotations its deriver adds, `derive/common-metadata.ts`), merged with the deriver's slots
 *    (`slot-merge.ts`).
 *
 * Nothing here reads an object's kind: that is the table's.
 */
import { ObjectBinding, ParameterRecord } from './construct-metadata';
import { CHART_LABEL_KEYS, commonMetadataSlots } from './derive/common-metadata';
import { Derivation, ReleaseContext } from './derive/deriver';
import { labelLinks } from './derive/labels';
import { hasSecretData } from './derive/objects/secrets';
import { DnsIndex } from './derive/release/dns';
import { releaseSlots } from './derive/release/release-slots';
import { DeriverTable } from './derive/table';
import { describeKey, docKey, getAt, parsePointer, withFieldAt } from './model/json-pointers';
import { ChartProblem, DocPlan, ParamSpec, Slot } from './model/template-model';
import { dottedPath } from './model/values-paths';
import { CHART_LABEL_EXPR, ReleaseNames } from './release-names';
import { mergeSlots, userSlots } from './slot-merge';
import { Layout, ValuesSection, WORKLOAD_KINDS, certificateSecretNames, isDeliveredSecret } from './value-sections';
import { describeValue } from '../../core/report';
import { KubeObject, objectRef, podTemplateOf } from '../../manifests';

/** One environment's synthesized objects and user parameters. */
export interface EnvironmentInput {
  readonly name: string;
  readonly docs: KubeObject[];
  readonly parameters: ParameterRecord[];
  readonly bindings: ObjectBinding[];
  /** The construct path of the object `Kind/namespace/name` (for problems; looked up only then). */
  readonly pathOf: (key: string) => string;
}

/** What the environments share while each is planned (each read across all of them). */
export interface SharedInputs {
  /** ConfigMap entries by `<ns>/<name>/<key>`. */
  readonly configTexts: Map<string, string[]>;
  /** The workloads some environment spreads over nodes (`ReleaseContext.hostSpread`). */
  readonly hostSpread: ReadonlySet<string>;
  /** Whether the environments' versions of an object differ at a field (`ReleaseContext.varies`). */
  readonly varies: (doc: KubeObject, pointer: readonly string[]) => boolean;
  /** Whether every environment's version of an object holds equal values at two fields (`ReleaseContext.agree`). */
  readonly agree: (doc: KubeObject, a: readonly string[], b: readonly string[]) => boolean;
  /** Where the values of every environment's objects live: an object has the same values in each, whichever objects an environment lacks. */
  readonly naming?: Layout;
  /** The label keys a release other than the plain one prints from its name (`derive/release/isolated-labels.ts`). */
  readonly isolatedLabels: ReadonlySet<string>;
}

/** A plan and whether its object is really in the environment's plain YAML (a stand-in HPA is not). */
export interface EnvPlan {
  readonly plan: DocPlan;
  readonly present: boolean;
}

/** The plans of one environment, plus its user parameters. */
export interface EnvironmentPlans {
  readonly plans: Map<string, EnvPlan>;
  readonly userParams: ParamSpec[];
  /** How this environment's templates print names (the default environment's is the chart's). */
  readonly release: ReleaseNames;
}

/** The names the release makes: every templated object, stand-in HPAs, created ServiceAccounts, Certificates' Secrets. */
function releaseNames(chartName: string, docs: readonly KubeObject[], layout: Layout, shared: SharedInputs): ReleaseNames {
  // The instance label most objects carry, counted over every environment's objects: the same in each.
  const counted = shared.naming ? shared.naming.set.objects.map((o) => o.raw as KubeObject) : docs;
  const release = new ReleaseNames(chartName, counted.filter((d) => d.kind !== 'Namespace'), shared.isolatedLabels);
  for (const d of docs) {
    // SealedSecrets and ExternalSecrets keep their names (derive/objects/delivered-secrets.ts).
    if (d.kind === 'Namespace' || hasSecretData(d) || isDeliveredSecret(d)) continue;
    release.add(d.kind, d.metadata?.name);
  }
  for (const w of layout.workloads) {
    release.add('HorizontalPodAutoscaler', w.metadata?.name);
    release.add('ServiceAccount', w.metadata?.name);
  }
  for (const name of certificateSecretNames(layout.set)) release.add('Secret', name);
  return release;
}

/**
 * Builds the plans of one environment with the derivers of `table`; problems are appended to
 * `problems`. `selectorKeys`: the label keys the environment's selectors use (`selectorLabelKeys`).
 */
export function planEnvironment(
  chartName: string, env: EnvironmentInput, shared: SharedInputs, table: DeriverTable, problems: ChartProblem[], selectorKeys: Set<string>,
): EnvironmentPlans {
  const layout = new Layout(env.docs, shared.naming);
  const release = releaseNames(chartName, env.docs, layout, shared);
  const dns = new DnsIndex(env.docs, release);
  const { configTexts, hostSpread, varies, agree } = shared;
  const ctx: ReleaseContext = { chartName, layout, release, dns, configTexts, hostSpread, varies, agree };
  const plans = new Map<string, EnvPlan>();
  const files = new Set<string>();
  const bindingsByKey = new Map<string, ObjectBinding[]>();
  for (const b of env.bindings) bindingsByKey.set(b.objectKey, [...bindingsByKey.get(b.objectKey) ?? [], b]);

  /** A Secret the chart does not hold: no template, only its name value and what NOTES/README need (never its values). */
  const addOutOfChart = (doc: KubeObject, derivation: Derivation, present: boolean) => {
    const key = docKey(doc);
    for (const b of bindingsByKey.get(key) ?? []) {
      problems.push({
        path: b.constructPath,
        field: 'bind(apiObject)',
        value: describeKey(key),
        expected: 'an object the chart templates: it never holds secret values, so a Secret that carries data is no template',
      });
    }
    const { secret, stub } = derivation.outOfChart!;
    const plan = { key, doc: stub, file: '', slots: [], params: derivation.params, outOfChart: secret };
    plans.set(key, { present, plan });
  };

  /** An object that becomes a template, with what every object gets besides its deriver's slots. */
  const add = (doc: KubeObject, derivation: Derivation, present: boolean, values: ValuesSection) => {
    const key = derivation.key ?? docKey(doc);
    let copy: KubeObject = { ...doc, metadata: { ...doc.metadata, labels: doc.metadata?.labels ?? {} } };
    for (const f of derivation.fields ?? []) copy = withFieldAt(copy, f.pointer, f.value);
    const user = userSlots(env.parameters, bindingsByKey.get(docKey(doc)) ?? [], copy, problems);
    // The owner's values are its section: an object's section is its workload's.
    const links = labelLinks(doc, values.owner, values.section, selectorKeys);
    const released = releaseSlots(ctx, copy);
    const derived = [...derivation.slots, ...commonMetadataSlots(copy, derivation.annotations)];
    const merged = mergeSlots({ user, derived, links: links.slots, release: released.slots, common: commonSlots(copy) }, problems);
    const linkKept = new Set(merged.slots.filter((s) => s.link).map((s) => s.link));
    const own = [...derivation.params, ...released.params];
    const companionOf = derivation.companionOf;
    plans.set(key, {
      present,
      plan: {
        key,
        doc: copy,
        file: companionOf ? '' : fileName(doc, files),
        companionOf: companionOf ? docKey(companionOf) : undefined,
        condition: derivation.condition,
        slots: merged.slots,
        params: [
          ...(merged.dropped.size === 0 ? own : own.filter((p) => !merged.dropped.has(dottedPath(p.path)))),
          ...(links.params.length === 0 ? [] : links.params.filter((p) => linkKept.has(p.link))),
        ],
        valuesAt: { section: values.section, prefix: values.prefix, owner: values.owner && values.owner !== doc ? docKey(values.owner) : undefined },
      },
    });
  };

  // The objects, then the Secrets the workloads reference that the objects do not hold: created
  // outside the chart, not `present` (another environment's Secret with data, if any, is the source).
  const held = env.docs.length;
  [...env.docs, ...layout.referencedSecrets].forEach((doc, i) => {
    const values = layout.valuesOf(doc);
    const derivation = table.derive({ doc, ctx, values, held: i < held });
    if (!derivation) return;
    for (const p of derivation.problems ?? []) {
      problems.push({ path: env.pathOf(docKey(p.object ?? doc)), field: p.field, value: p.value, expected: p.expected });
    }
    if (derivation.outOfChart) {
      addOutOfChart(doc, derivation, i < held);
      return;
    }
    add(doc, derivation, i < held, values);
    // Objects the chart adds beside this one belong to it (its section, its file).
    for (const a of derivation.added ?? []) add(a.doc, a.derivation, false, { section: values.section, prefix: values.section, owner: doc });
  });
  for (const b of env.bindings.filter((x) => x.objectKey.startsWith('Namespace/'))) {
    problems.push({
      path: b.constructPath,
      field: 'bind(apiObject)',
      value: describeKey(b.objectKey),
      expected: 'an object the chart renders: Namespaces are not templates (they go to namespace.yaml, applied before helm install)',
    });
  }
  return { plans, userParams: userParams(env, problems), release };
}

/** Namespace → release namespace; chart and managed-by labels. */
function commonSlots(doc: KubeObject): Slot[] {
  const slots: Slot[] = [];
  if (doc.metadata?.namespace !== undefined) {
    slots.push({ pointer: ['metadata', 'namespace'], render: { mode: 'inline', expr: '{{ .Release.Namespace }}' } });
  }
  const [chart, managedBy] = CHART_LABEL_KEYS;
  slots.push(
    { pointer: ['metadata', 'labels', chart], render: { mode: 'inline', expr: CHART_LABEL_EXPR } },
    { pointer: ['metadata', 'labels', managedBy], render: { mode: 'inline', expr: '{{ .Release.Service | quote }}' } },
  );
  const pod = WORKLOAD_KINDS.includes(doc.kind) ? podTemplateOf(objectRef(doc)!) : undefined;
  if (pod && pod.labels[managedBy] !== undefined) {
    slots.push({ pointer: [...pod.metaPath.split('.'), 'labels', managedBy], render: { mode: 'inline', expr: '{{ .Release.Service | quote }}' } });
  }
  return slots;
}

/** The values the user declared with ValueParameter; a value without a default takes its bound field's. */
function userParams(env: EnvironmentInput, problems: ChartProblem[]): ParamSpec[] {
  return env.parameters.map((p) => {
    let value = p.defaultValue;
    if (value === undefined) {
      const b = env.bindings.find((x) => x.parameterName === p.parameterName);
      const doc = b && env.docs.find((d) => docKey(d) === b.objectKey);
      const pointer = b && parsePointer(b.jsonPointer);
      value = doc && pointer ? getAt(doc, pointer) : undefined;
    }
    // A binding to a Namespace is reported by planEnvironment.
    const onNamespace = env.bindings.some((x) => x.parameterName === p.parameterName && x.objectKey.startsWith('Namespace/'));
    if (value === undefined && !onNamespace) {
      problems.push({ path: p.constructPath, field: 'defaultValue', value: describeValue(undefined), expected: 'a defaultValue, or a bound field with a value in every environment' });
    }
    return {
      path: p.parameterName.split('.'),
      type: p.parameterType,
      value,
      description: p.description,
      required: p.required,
      minimum: p.minimum,
      maximum: p.maximum,
      enum: p.enumValues,
      pattern: p.pattern,
      user: p.constructPath,
    };
  });
}

function fileName(doc: KubeObject, used: Set<string>): string {
  const base = `${String(doc.kind).toLowerCase()}-${String(doc.metadata?.name).toLowerCase()}`;
  let name = `${base}.yaml`;
  if (used.has(name) && doc.metadata?.namespace) name = `${base}-${doc.metadata.namespace}.yaml`;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}.yaml`;
  used.add(name);
  return name;
}
