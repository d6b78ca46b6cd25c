/**
 * Plans for the objects of one environment: which fields become which values.
 */
import { ObjectBinding, ParameterRecord } from './construct-metadata';
import { deriveCertManager } from './derive/cert-manager';
import { labelLinks, selectorLabelKeys } from './derive/labels';
import {
  deriveConfigMap, deriveExternalSecret, deriveIngress, derivePvc, deriveReferencedSecret, deriveSecret, deriveService, deriveSwitched,
  hasSecretData,
} from './derive/objects';
import { Derived, FixedScale, deriveHpa, deriveWorkload, fixedScale, hpaFor, standInHpa } from './derive/workload';
import { DocPlan, ParamSpec, Slot, docKey, getAt, parsePointer, valueSlot } from './template-model';
import { Layout, WORKLOAD_KINDS } from './value-sections';

/** One environment's synthesized objects and user parameters. */
export interface EnvironmentInput {
  readonly name: string;
  readonly docs: any[];
  readonly parameters: ParameterRecord[];
  readonly bindings: ObjectBinding[];
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
}

const OPTIONAL_KINDS = ['Ingress', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget'];

/** Builds the plans of one environment; problems are appended to `problems`. */
export function planEnvironment(chartName: string, env: EnvironmentInput, problems: string[]): EnvironmentPlans {
  const layout = new Layout(env.docs);
  const selectorKeys = selectorLabelKeys(env.docs);
  const certs = deriveCertManager(env.docs, layout);
  const plans = new Map<string, EnvPlan>();
  const files = new Set<string>();
  /** A Secret with data: no template, only its name value and what NOTES/README need (never its values). */
  const addExternal = (doc: any) => {
    const key = docKey(doc);
    const { external, params } = deriveExternalSecret(doc, layout);
    // What the environments must agree on; never the values.
    const stub: any = { apiVersion: doc.apiVersion, kind: doc.kind, metadata: { name: doc.metadata?.name }, type: external.type };
    stub.keys = external.keys;
    if (doc.metadata?.namespace !== undefined) stub.metadata.namespace = doc.metadata.namespace;
    for (const b of env.bindings.filter((x) => x.objectKey === key)) {
      problems.push(`${env.name}: parameter ${b.parameterName} is bound to ${key}, but the chart does not template Secrets that carry data`
        + ' (it never holds secret values); bind another object');
    }
    plans.set(key, { present: true, plan: { key, doc: stub, file: '', slots: [], params, optional: false, external } });
  };
  const add = (doc: any, derived: Derived, present: boolean, planKey?: string) => {
    const key = planKey ?? docKey(doc);
    const copy = structuredClone(doc);
    copy.metadata = copy.metadata ?? {};
    copy.metadata.labels = copy.metadata.labels ?? {};
    const bound = userSlots(env, docKey(doc), copy, problems);
    // A label the user bound to a ValueParameter stays theirs: its link to a standard value is dropped.
    const links = labelLinks(doc, layout, selectorKeys);
    const linkSlots = links.slots.filter((l) => !bound.some((u) => overlaps(u.pointer, l.pointer)));
    const kept = new Set(linkSlots.map((l) => l.link));
    const slots = [...commonSlots(chartName, copy), ...derived.slots, ...linkSlots];
    const user = checkOverlaps(env.name, key, slots, bound, problems);
    plans.set(key, {
      present,
      plan: {
        key,
        doc: copy,
        file: fileName(doc, files),
        condition: derived.condition,
        slots: [...slots, ...user],
        params: [...derived.params, ...links.params.filter((p) => kept.has(p.link))],
        optional: OPTIONAL_KINDS.includes(doc.kind) || certs.has(doc),
      },
    });
  };
  for (const doc of env.docs) {
    switch (doc.kind) {
      case 'Deployment':
      case 'StatefulSet': {
        const hpa = hpaFor(doc, layout.set);
        const fixed = fixedScale(doc, layout.set);
        if (fixed) {
          checkFixedScale(env.name, doc, hpa, fixed, problems);
          add(doc, deriveWorkload(doc, layout, false, fixed), true);
        } else {
          add(doc, deriveWorkload(doc, layout, hpa !== undefined), true);
          if (!hpa) add(standInHpa(doc), deriveHpa(standInHpa(doc), doc, layout), false, hpaKey(doc));
        }
        break;
      }
      case 'HorizontalPodAutoscaler': {
        const owner = layout.owner(doc);
        // The HPA of a workload with a fixed scale is reported with the workload (checkFixedScale).
        if (owner && fixedScale(owner, layout.set)) break;
        add(doc, owner ? deriveHpa(doc, owner, layout) : { slots: [], params: [] }, true, owner ? hpaKey(owner) : undefined);
        break;
      }
      case 'Service': add(doc, deriveService(doc, layout), true); break;
      case 'Ingress': add(doc, deriveIngress(doc, layout), true); break;
      case 'PersistentVolumeClaim': add(doc, derivePvc(doc, layout), true); break;
      case 'ConfigMap': add(doc, deriveConfigMap(doc, layout, chartName), true); break;
      case 'Secret':
        if (hasSecretData(doc)) addExternal(doc);
        else add(doc, deriveSecret(doc, layout), true);
        break;
      case 'NetworkPolicy': add(doc, deriveSwitched('networkPolicy'), true); break;
      case 'PodDisruptionBudget': add(doc, deriveSwitched('pdb'), true); break;
      default: add(doc, certs.get(doc) ?? { slots: [], params: [] }, true);
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
  return { plans, userParams: userParams(env, problems) };
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
function commonSlots(chartName: string, doc: any): Slot[] {
  const slots: Slot[] = [];
  if (doc.metadata.namespace !== undefined) {
    slots.push({ pointer: ['metadata', 'namespace'], render: { mode: 'inline', expr: '{{ .Release.Namespace }}' } });
  }
  slots.push(
    { pointer: ['metadata', 'labels', 'helm.sh/chart'], render: { mode: 'inline', expr: `{{ include "${chartName}.chart" . | quote }}` } },
    { pointer: ['metadata', 'labels', 'app.kubernetes.io/managed-by'], render: { mode: 'inline', expr: '{{ .Release.Service | quote }}' } },
  );
  if (WORKLOAD_KINDS.includes(doc.kind) && doc.spec?.template?.metadata?.labels?.['app.kubernetes.io/managed-by'] !== undefined) {
    slots.push({
      pointer: ['spec', 'template', 'metadata', 'labels', 'app.kubernetes.io/managed-by'],
      render: { mode: 'inline', expr: '{{ .Release.Service | quote }}' },
    });
  }
  return slots;
}

function userSlots(env: EnvironmentInput, key: string, doc: any, problems: string[]): Slot[] {
  const slots: Slot[] = [];
  for (const b of env.bindings.filter((x) => x.objectKey === key)) {
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

function overlaps(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n).every((s, i) => s === b[i]);
}

/** Drops (and reports) user slots on fields the chart already templates or another binding holds. */
function checkOverlaps(envName: string, key: string, standard: Slot[], user: Slot[], problems: string[]): Slot[] {
  const kept: Slot[] = [];
  for (const u of user) {
    const clash = standard.find((s) => overlaps(s.pointer, u.pointer));
    const twice = kept.find((s) => overlaps(s.pointer, u.pointer));
    if (clash) {
      problems.push(`${envName}: ${key}: /${u.pointer.join('/')} is bound to a parameter, but /${clash.pointer.join('/')} is already templated by the chart; bind another field`);
    } else if (twice) {
      problems.push(`${envName}: ${key}: /${u.pointer.join('/')} overlaps /${twice.pointer.join('/')}, bound to another parameter`);
    } else {
      kept.push(u);
    }
  }
  return kept;
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
