/**
 * Plans for the objects of one environment: which fields become which values, and what makes each
 * object release-aware (`derive/references.ts`).
 *
 * The slots of an object come from four sources, in this order of precedence: the user's
 * ValueParameter bindings, the standard values of its kind (`derive/*`), the labels that follow
 * values (`derive/labels.ts`), and release-awareness (names, references, instance labels, namespaces,
 * DNS names). A standard slot marked `soft` gives way to a binding at or inside its field (with its
 * values); any other clash with a binding is reported. A release slot inside a field another source
 * templates is dropped, except inside a field that is wrapped (its plain text kept as the fallback).
 */
import { ObjectBinding, ParameterRecord } from './construct-metadata';
import { deriveCertManager } from './derive/cert-manager';
import { deriveSecretStore, isExternalSecret, isSealedSecret } from './derive/delivered-secrets';
import { DnsIndex } from './derive/dns';
import { deriveNetworkPolicy, derivePdb } from './derive/guards';
import { deriveIngress } from './derive/ingress';
import { labelLinks, selectorLabelKeys } from './derive/labels';
import {
  deriveConfigMap, deriveExternalSecret, derivePvc, deriveReferencedSecret, deriveSecret, deriveService, deriveServiceAccount, hasSecretData,
} from './derive/objects';
import { serviceAccountPlan } from './derive/pod-values';
import { ReleaseContext, releaseSlots } from './derive/references';
import { Derived, FixedScale, deriveHpa, deriveWorkload, fixedScale, hpaFor, standInHpa } from './derive/workload';
import { CHART_LABEL_EXPR, ReleaseNames } from './release-names';
import { DocPlan, ParamSpec, Slot, docKey, dottedPath, getAt, parsePointer, valuesRef, valueSlot } from './template-model';
import { Layout, PRIMARY_KINDS, WORKLOAD_KINDS, certificateSecretNames } from './value-sections';
import { objectRef, podTemplateOf } from '../../manifests';

/** One environment's synthesized objects and user parameters. */
export interface EnvironmentInput {
  readonly name: string;
  readonly docs: any[];
  readonly parameters: ParameterRecord[];
  readonly bindings: ObjectBinding[];
}

/** What the environments share while each is planned: ConfigMap entries by `<ns>/<name>/<key>`, across all of them. */
export interface SharedInputs {
  readonly configTexts: Map<string, string[]>;
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

const OPTIONAL_KINDS = ['Ingress', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget'];

/** The names the release makes: every templated object, stand-in HPAs, created ServiceAccounts, Certificates' Secrets. */
function releaseNames(chartName: string, docs: any[], layout: Layout): ReleaseNames {
  const release = new ReleaseNames(chartName, docs.filter((d) => d.kind !== 'Namespace'));
  for (const d of docs) {
    // SealedSecrets and ExternalSecrets keep their names (derive/delivered-secrets.ts).
    if (d.kind === 'Namespace' || hasSecretData(d) || isSealedSecret(d) || isExternalSecret(d)) continue;
    release.add(d.kind, d.metadata?.name);
  }
  for (const w of layout.workloads) {
    release.add('HorizontalPodAutoscaler', w.metadata?.name);
    release.add('ServiceAccount', w.metadata?.name);
  }
  for (const name of certificateSecretNames(docs)) release.add('Secret', name);
  return release;
}

/** Builds the plans of one environment; problems are appended to `problems`. */
export function planEnvironment(chartName: string, env: EnvironmentInput, problems: string[], shared: SharedInputs): EnvironmentPlans {
  const layout = new Layout(env.docs);
  const release = releaseNames(chartName, env.docs, layout);
  const ctx: ReleaseContext = { layout, release, dns: new DnsIndex(env.docs, release) };
  const selectorKeys = selectorLabelKeys(env.docs);
  const certs = deriveCertManager(ctx, env.docs);
  const plans = new Map<string, EnvPlan>();
  const files = new Set<string>();
  const bindingsByKey = new Map<string, ObjectBinding[]>();
  for (const b of env.bindings) bindingsByKey.set(b.objectKey, [...bindingsByKey.get(b.objectKey) ?? [], b]);
  /** A Secret with data: no template, only its name value and what NOTES/README need (never its values). */
  const addExternal = (doc: any) => {
    const key = docKey(doc);
    const { external, params } = deriveExternalSecret(doc, layout);
    // What the environments must agree on; never the values.
    const stub: any = { apiVersion: doc.apiVersion, kind: doc.kind, metadata: { name: doc.metadata?.name }, type: external.type };
    stub.keys = external.keys;
    if (doc.metadata?.namespace !== undefined) stub.metadata.namespace = doc.metadata.namespace;
    for (const b of bindingsByKey.get(key) ?? []) {
      problems.push(`${env.name}: parameter ${b.parameterName} is bound to ${key}, but the chart does not template Secrets that carry data`
        + ' (it never holds secret values); bind another object');
    }
    plans.set(key, { present: true, plan: { key, doc: stub, file: '', slots: [], params, optional: false, external } });
  };
  const add = (doc: any, derived: Derived, present: boolean, planKey?: string, companionOf?: any) => {
    const key = planKey ?? docKey(doc);
    const copy = { ...doc, metadata: { ...doc.metadata, labels: doc.metadata?.labels ?? {} } };
    const user = userSlots(env, bindingsByKey.get(docKey(doc)) ?? [], docKey(doc), copy, problems);
    const links = labelLinks(doc, layout, selectorKeys);
    const released = releaseSlots(ctx, copy, derived);
    const sources = { user, derived: derived.slots, links: links.slots, release: released, common: commonSlots(copy) };
    const merged = mergeSlots(env.name, key, sources, problems);
    const linkKept = new Set(merged.filter((s) => s.link).map((s) => s.link));
    plans.set(key, {
      present,
      plan: {
        key,
        doc: copy,
        file: companionOf ? '' : fileName(doc, files),
        companionOf: companionOf ? docKey(companionOf) : undefined,
        condition: derived.condition,
        slots: merged,
        params: [
          ...(merged.dropped.size === 0 ? derived.params : derived.params.filter((p) => !merged.dropped.has(dottedPath(p.path)))),
          ...(links.params.length === 0 ? [] : links.params.filter((p) => linkKept.has(p.link))),
        ],
        optional: OPTIONAL_KINDS.includes(doc.kind) || certs.has(doc),
      },
    });
  };
  const addWorkload = (doc: any, derived: Derived) => {
    add(doc, derived, true);
    const pod = podTemplateOf(objectRef(doc)!);
    const sa = pod && serviceAccountPlan(ctx, doc, pod, layout.section(doc));
    if (sa && !sa.held) {
      const generated = createdServiceAccount(doc, pod.spec);
      add(generated, createdServiceAccountValues(sa.prefix, sa.createdName), false, `ServiceAccount for ${docKey(doc)}`, doc);
    }
  };
  for (const doc of env.docs) {
    switch (doc.kind) {
      case 'Deployment':
      case 'StatefulSet': {
        const hpa = hpaFor(doc, layout.set);
        const fixed = fixedScale(doc, layout.set);
        if (fixed) {
          checkFixedScale(env.name, doc, hpa, fixed, problems);
          addWorkload(doc, deriveWorkload(ctx, doc, false, fixed));
        } else {
          addWorkload(doc, deriveWorkload(ctx, doc, hpa !== undefined));
          if (!hpa) add(standInHpa(doc), deriveHpa(standInHpa(doc), doc, layout), false, hpaKey(doc), doc);
        }
        break;
      }
      case 'DaemonSet':
      case 'Job':
      case 'CronJob':
        addWorkload(doc, deriveWorkload(ctx, doc, false));
        break;
      case 'HorizontalPodAutoscaler': {
        const owner = layout.owner(doc);
        // The HPA of a workload with a fixed scale is reported with the workload (checkFixedScale).
        if (owner && PRIMARY_KINDS.includes(owner.kind) && fixedScale(owner, layout.set)) break;
        const scalable = owner && PRIMARY_KINDS.includes(owner.kind);
        add(doc, scalable ? deriveHpa(doc, owner, layout) : { slots: [], params: [] }, true, scalable ? hpaKey(owner) : undefined, owner);
        break;
      }
      case 'Service': add(doc, deriveService(doc, layout), true); break;
      case 'Ingress': add(doc, deriveIngress(ctx, doc), true); break;
      case 'PersistentVolumeClaim': add(doc, derivePvc(doc, layout), true); break;
      case 'ConfigMap': {
        const base = `${doc.metadata?.namespace ?? ''}/${doc.metadata?.name}`;
        add(doc, deriveConfigMap(ctx, doc, chartName, (k) => shared.configTexts.get(`${base}/${k}`) ?? []), true);
        break;
      }
      case 'Secret':
        if (hasSecretData(doc)) addExternal(doc);
        else add(doc, deriveSecret(doc, layout), true);
        break;
      case 'NetworkPolicy': add(doc, deriveNetworkPolicy(ctx, doc), true, undefined, layout.owner(doc)); break;
      case 'PodDisruptionBudget': add(doc, derivePdb(ctx, doc), true, undefined, layout.owner(doc)); break;
      case 'ServiceAccount': add(doc, deriveServiceAccount(ctx, doc), true); break;
      default: add(doc, certs.get(doc) ?? (isExternalSecret(doc) ? deriveSecretStore(doc) : { slots: [], params: [] }), true);
    }
  }
  // Secrets the workloads reference that the objects do not hold: created outside the chart. Not
  // `present` (no plain object): another environment's Secret with data, if any, is the source.
  for (const stub of layout.referencedSecrets) {
    const key = docKey(stub);
    const { external, params } = deriveReferencedSecret(stub, env.docs, layout);
    plans.set(key, { present: false, plan: { key, doc: { apiVersion: 'v1', ...stub }, file: '', slots: [], params, optional: false, external } });
  }
  for (const b of env.bindings.filter((x) => x.objectKey.startsWith('Namespace/'))) {
    problems.push(`${env.name}: parameter ${b.parameterName} is bound to ${b.objectKey}, but Namespaces are not templates (they go to namespace.yaml, applied before helm install); bind an object the chart renders`);
  }
  return { plans, userParams: userParams(env, problems), release };
}

/** A ServiceAccount for a workload whose pods name none of the chart's: rendered while `serviceAccount.create` is true. */
function createdServiceAccount(workload: any, podSpec: any): any {
  const keep = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/part-of', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by'];
  const labels = Object.fromEntries(Object.entries(workload.metadata?.labels ?? {}).filter(([k]) => keep.includes(k)));
  const metadata: any = { name: workload.metadata?.name, labels };
  if (workload.metadata?.namespace !== undefined) metadata.namespace = workload.metadata.namespace;
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: podSpec?.automountServiceAccountToken ?? true };
}

function createdServiceAccountValues(s: string[], createdName: string): Derived {
  const ref = (k: string) => valuesRef([...s, k]);
  return {
    slots: [
      { pointer: ['metadata', 'name'], render: { mode: 'inline', expr: `{{ ${ref('name')} | default ${createdName} | quote }}` } },
      { pointer: ['metadata', 'annotations'], placement: 'last', render: { mode: 'line', wrap: (i) => `${i}{{- with ${ref('annotations')} }}\n${i}annotations: {{- toYaml . | nindent ${i.length + 2} }}\n${i}{{- end }}` } },
      valueSlot(['automountServiceAccountToken'], [...s, 'automountServiceAccountToken'], 'boolean'),
    ],
    params: [],
    condition: ref('create'),
  };
}

/** A workload whose scale is fixed (see `fixedScale`) may have neither an autoscaler nor more replicas than allowed. */
function checkFixedScale(envName: string, doc: any, hpa: any, fixed: FixedScale, problems: string[]): void {
  const key = docKey(doc);
  if (hpa) {
    problems.push(`${envName}: ${docKey(hpa)} scales ${key}, but ${fixed.reason}; the chart has no autoscaling for it: remove the HorizontalPodAutoscaler${fixed.claim ? ', or use a ReadWriteMany claim' : ''}`);
  }
  const replicas = doc.spec?.replicas;
  if (fixed.maxReplicas !== undefined && typeof replicas === 'number' && replicas > fixed.maxReplicas) {
    problems.push(`${envName}: ${key} has ${replicas} replicas, but ${fixed.reason}; use ${fixed.maxReplicas} replica, a ReadWriteMany claim, or a StatefulSet`);
  }
}

/** Namespace → release namespace; chart and managed-by labels. */
function commonSlots(doc: any): Slot[] {
  const slots: Slot[] = [];
  if (doc.metadata.namespace !== undefined) {
    slots.push({ pointer: ['metadata', 'namespace'], render: { mode: 'inline', expr: '{{ .Release.Namespace }}' } });
  }
  slots.push(
    { pointer: ['metadata', 'labels', 'helm.sh/chart'], render: { mode: 'inline', expr: CHART_LABEL_EXPR } },
    { pointer: ['metadata', 'labels', 'app.kubernetes.io/managed-by'], render: { mode: 'inline', expr: '{{ .Release.Service | quote }}' } },
  );
  const pod = WORKLOAD_KINDS.includes(doc.kind) ? podTemplateOf(objectRef(doc)!) : undefined;
  if (pod && pod.labels['app.kubernetes.io/managed-by'] !== undefined) {
    slots.push({ pointer: [...pod.metaPath.split('.'), 'labels', 'app.kubernetes.io/managed-by'], render: { mode: 'inline', expr: '{{ .Release.Service | quote }}' } });
  }
  return slots;
}

function userSlots(env: EnvironmentInput, bindings: ObjectBinding[], key: string, doc: any, problems: string[]): Slot[] {
  const slots: Slot[] = [];
  for (const b of bindings) {
    const param = env.parameters.find((p) => p.parameterName === b.parameterName);
    const pointer = parsePointer(b.jsonPointer);
    if (!param || !pointer) continue; // ValueParameter's own validation reports these.
    const parent = getAt(doc, pointer.slice(0, -1));
    if (parent === null || typeof parent !== 'object') {
      problems.push(`${env.name}: ${key}: ${b.jsonPointer} (bound to ${b.parameterName}) is not a field of the object`);
      continue;
    }
    slots.push(valueSlot(pointer, param.parameterName.split('.'), param.parameterType));
  }
  return slots;
}

function userParams(env: EnvironmentInput, problems: string[]): ParamSpec[] {
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
    if (value === undefined && !onNamespace) problems.push(`${env.name}: parameter ${p.parameterName} has no defaultValue and no bound field with a value`);
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
      user: true,
    };
  });
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `inner` lies strictly inside `outer`'s field. */
function inside(inner: readonly string[], outer: readonly string[]): boolean {
  return inner.length > outer.length && overlaps(inner, outer);
}

interface SlotSources {
  readonly user: Slot[];
  readonly derived: Slot[];
  readonly links: Slot[];
  readonly release: Slot[];
  readonly common: Slot[];
}

/** The merged slots, and the (dotted) values of soft slots that gave way to a binding. */
type Merged = Slot[] & { dropped: Set<string> };

/** Merges the slot sources by precedence (see the file comment); wrapped fields come last, after the slots inside them. */
function mergeSlots(envName: string, key: string, src: SlotSources, problems: string[]): Merged {
  const dropped = new Set<string>();
  const derived: Slot[] = [];
  for (const d of src.derived) {
    const clash = src.user.find((u) => overlaps(u.pointer, d.pointer));
    if (clash && d.soft) d.soft.params.forEach((p) => dropped.add(p));
    else derived.push(d);
  }
  const kept: Slot[] = [];
  for (const u of src.user) {
    const clash = derived.find((s) => overlaps(s.pointer, u.pointer));
    const twice = kept.find((s) => overlaps(s.pointer, u.pointer));
    if (clash) {
      problems.push(`${envName}: ${key}: /${u.pointer.join('/')} is bound to a parameter, but /${clash.pointer.join('/')} is already templated by the chart; bind another field`);
    } else if (twice) {
      problems.push(`${envName}: ${key}: /${u.pointer.join('/')} overlaps /${twice.pointer.join('/')}, bound to another parameter`);
    } else {
      kept.push(u);
    }
  }
  const taken = [...kept, ...derived];
  // A label the user bound stays theirs: its link to a standard value is dropped.
  const links = src.links.filter((l) => !kept.some((u) => overlaps(u.pointer, l.pointer)));
  taken.push(...links);
  const free = (s: Slot) => !taken.some((t) => overlaps(t.pointer, s.pointer) && !(t.render.mode === 'wrap' && inside(s.pointer, t.pointer)));
  const seen = new Set<string>();
  for (const s of [...src.release, ...src.common]) {
    const id = s.pointer.join('\u0001');
    if (seen.has(id) || !free(s)) continue;
    seen.add(id);
    taken.push(s);
  }
  const ordered = [...taken.filter((s) => s.render.mode !== 'wrap'), ...taken.filter((s) => s.render.mode === 'wrap').sort((a, b) => b.pointer.length - a.pointer.length)];
  return Object.assign(ordered, { dropped });
}

/** HPAs are matched across environments by the workload they scale, not by their own name. */
function hpaKey(workload: any): string {
  return `HorizontalPodAutoscaler for ${docKey(workload)}`;
}

function fileName(doc: any, used: Set<string>): string {
  const base = `${String(doc.kind).toLowerCase()}-${String(doc.metadata?.name).toLowerCase()}`;
  let name = `${base}.yaml`;
  if (used.has(name) && doc.metadata?.namespace) name = `${base}-${doc.metadata.namespace}.yaml`;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}.yaml`;
  used.add(name);
  return name;
}
