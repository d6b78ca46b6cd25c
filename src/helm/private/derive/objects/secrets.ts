/**
 * Secrets. A chart never carries secret values, so a Secret becomes a template only when its plain
 * object carries no data; otherwise the chart does not hold it (`outOfChart`): the objects read it
 * by name, through `existingSecret` (default: its plain name) or, for a Secret only an Ingress names
 * for TLS, through that Ingress's `tls.secretName`, and NOTES.txt and the README print its
 * `kubectl create secret` command with its key names. A Secret the workloads only reference by
 * name (the objects do not hold it) is read the same way.
 */
import { ingressTls } from './ingress';
import { ContainerShape, KubeObject, KeyToPath, PodSpecShape, containersOf, podSpecOf, referencedNames } from '../../../../manifests';
import { DNS1123_SUBDOMAIN, ParamSpec } from '../../model/template-model';
import { valuesRef } from '../../model/values-paths';
import { WORKLOAD_KINDS } from '../../value-sections';
import { DeriveInput, Derivation, Deriver, ReleaseContext, nothing } from '../deriver';

/** True for a Secret whose plain object carries values (`data` or `stringData`). */
export function hasSecretData(doc: KubeObject | undefined): boolean {
  return doc?.kind === 'Secret' && (Object.keys(doc.data ?? {}).length > 0 || Object.keys(doc.stringData ?? {}).length > 0);
}

/** A Secret of the plain YAML, with data or without, or one the workloads only reference by name. */
export const deriveSecret: Deriver = (input) => {
  if (!input.held) return referencedSecret(input);
  if (hasSecretData(input.doc)) return secretWithData(input);
  return templatedSecret(input);
};

/** A Secret the plain YAML carries without data: templated, unless `existingSecret` names your own. */
function templatedSecret({ doc, ctx, values }: DeriveInput): Derivation {
  const name = doc.metadata?.name;
  if (ctx.layout.isIngressTlsSecret(doc)) return nothing();
  const existing = [...values.prefix, 'existingSecret'];
  const params: ParamSpec[] = [{
    path: existing,
    type: 'string',
    value: '',
    description: `Name of a Secret you manage (same keys as ${name}); when set the chart does not render ${name} and the workloads read yours`,
  }];
  return { slots: [], params, condition: `not ${valuesRef(existing)}` };
}

/** A Secret the plain YAML carries with data: not templated (see the file comment). */
function secretWithData({ doc, ctx, values }: DeriveInput): Derivation {
  const name = String(doc.metadata?.name);
  const namespace = doc.metadata?.namespace;
  const keys = [...new Set([...Object.keys(doc.data ?? {}), ...Object.keys(doc.stringData ?? {})])];
  const base = { name, type: typeof doc.type === 'string' ? doc.type : 'Opaque', keys };
  // What the environments must agree on; never the values.
  const stub: KubeObject = {
    apiVersion: doc.apiVersion, kind: doc.kind, metadata: namespace !== undefined ? { name, namespace } : { name }, type: base.type, keys,
  };
  if (ctx.layout.isIngressTlsSecret(doc)) {
    const tls = ctx.layout.tlsIngresses(name, namespace ?? '').map((i) => ingressTls(i, ctx.layout)).find((t) => t?.secretName === name);
    return { slots: [], params: [], outOfChart: { secret: tls ? { ...base, nameValue: tls.secretNamePath, condition: tls.condition } : base, stub } };
  }
  const path = [...values.prefix, 'existingSecret'];
  return {
    slots: [],
    params: [existingSecretParam(path, name,
      `Name of the Secret (keys ${keys.join(', ')}) the workloads read. The chart never carries secret values: create it before installing (kubectl create secret, see NOTES.txt and the README)`)],
    outOfChart: { secret: { ...base, nameValue: path }, stub },
  };
}

/** The `existingSecret` value of a Secret made outside the chart: its name, by default the one the objects use. */
function existingSecretParam(path: string[], name: string, description: string): ParamSpec {
  return { path, type: 'string', value: name, pattern: DNS1123_SUBDOMAIN, description };
}

/** The workloads of `namespace`, in the objects' order. */
function workloadsIn(ctx: ReleaseContext, namespace: string): KubeObject[] {
  const set = ctx.layout.set;
  const workloads = WORKLOAD_KINDS.flatMap((k) => set.ofKind(k, namespace));
  return workloads.sort((a, b) => set.positionOf(a) - set.positionOf(b)).map((o) => o.raw as KubeObject);
}

/** The keys of the Secret `name` the workloads name, and whether they name all they read (no envFrom, no whole-Secret volume). */
export function referencedSecretKeys(workloads: readonly KubeObject[], name: string): { keys: string[]; complete: boolean } {
  const keys: string[] = [];
  let complete = true;
  const add = (k: unknown) => { if (typeof k === 'string' && !keys.includes(k)) keys.push(k); };
  const items = (list: readonly KeyToPath[] | undefined) => {
    if (Array.isArray(list) && list.length > 0) list.forEach((i: KeyToPath) => add(i?.key));
    else complete = false;
  };
  for (const w of workloads) {
    const spec: PodSpecShape | undefined = podSpecOf(w);
    for (const v of spec?.volumes ?? []) {
      if (v?.secret?.secretName === name) items(v.secret.items);
      for (const s of v?.projected?.sources ?? []) if (s?.secret?.name === name) items(s.secret.items);
    }
    for (const { c } of containersOf(spec)) {
      const container: ContainerShape = c;
      for (const e of container.env ?? []) if (e?.valueFrom?.secretKeyRef?.name === name) add(e.valueFrom.secretKeyRef.key);
      for (const e of container.envFrom ?? []) if (e?.secretRef?.name === name) complete = false;
    }
  }
  return { keys, complete };
}

/**
 * A Secret the workloads reference by name that the objects do not hold (the entities' existingSecret
 * mode): created outside the chart. The workloads read it through `existingSecret` (default: the
 * referenced name), and NOTES.txt and the README print its `kubectl create secret` command with the
 * key names the workloads name (an envFrom reference names none).
 */
function referencedSecret({ doc, ctx, values }: DeriveInput): Derivation {
  const name = String(doc.metadata?.name);
  const workloads = workloadsIn(ctx, doc.metadata?.namespace ?? '');
  const { keys, complete } = referencedSecretKeys(workloads, name);
  const path = [...values.prefix, 'existingSecret'];
  const who = workloads.filter((w) => referencedNames(podSpecOf(w), 'Secret').has(name)).map((w) => `the ${w.metadata?.name} ${w.kind}`);
  const keyText = keys.length === 0 ? 'its keys become environment variables' : `keys ${keys.join(', ')}${complete ? '' : ', and more that become environment variables'}`;
  return {
    slots: [],
    params: [existingSecretParam(path, name,
      `Name of the Secret (${keyText}) ${who.join(' and ')} read${who.length === 1 ? 's' : ''}. The chart does not create it: create it before installing (kubectl create secret, see NOTES.txt and the README)`)],
    outOfChart: {
      secret: { name, type: 'Opaque', keys, keysIncomplete: !complete, referenced: true, nameValue: path },
      stub: { apiVersion: 'v1', ...doc },
    },
  };
}
