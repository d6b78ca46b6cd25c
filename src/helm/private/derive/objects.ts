/**
 * Standard values of Services, PersistentVolumeClaims, ConfigMaps, Secrets and ServiceAccounts,
 * derived from the synthesized objects.
 */
import { Derived, ReleaseContext } from './deriver';
import { ingressTls, servicePortPath } from './ingress';
import { mapAdd } from './slot-kit';
import { STORAGE_SIZE_PATTERN } from './workload';
import { singleWriterMode } from '../../../core/conventions';
import { containersOf, podSpecOf, referencedNames } from '../../../manifests';
import { DNS1123_SUBDOMAIN, ExternalSecret, ParamSpec, Slot, dottedPath, valuesRef, valueSlot } from '../template-model';
import { Layout, WORKLOAD_KINDS } from '../value-sections';

/**
 * The Service types a values switch may choose. ExternalName is not one: it needs `externalName`
 * and no selector, so a Service of the plain YAML cannot become one by a value (and a plain
 * ExternalName Service keeps its type as written).
 */
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'];

export function deriveService(doc: any, layout: Layout): Derived {
  const p = layout.prefix(doc);
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const typePath = [...p, 'type'];
  if (doc.spec?.type === 'ExternalName') {
    // Not a switch: an ExternalName Service stays one.
  } else if (typeof doc.spec?.type === 'string') {
    params.push({ path: typePath, type: 'string', value: doc.spec.type, enum: SERVICE_TYPES, description: 'Type of the Service' });
    slots.push(valueSlot(['spec', 'type'], typePath, 'string'));
  } else if (doc.spec) {
    params.push({ path: typePath, type: 'string', value: 'ClusterIP', enum: SERVICE_TYPES, description: 'Type of the Service' });
    // The plain object leaves the type to Kubernetes' default: print it only when it differs.
    const ref = valuesRef(typePath);
    slots.push({
      pointer: ['spec', 'type'],
      placement: 'last',
      render: { mode: 'line', wrap: (i, prefix) => `${i}{{- if ne ${ref} "ClusterIP" }}\n${i}${prefix}{{ ${ref} | quote }}\n${i}{{- end }}` },
    });
  }
  const portPath = servicePortPath(doc, layout);
  if (portPath) {
    params.push({ path: portPath, type: 'integer', value: doc.spec.ports[0].port, minimum: 1, maximum: 65535, description: 'Port of the Service (its first port; Ingress backends that use it by number follow it)' });
    slots.push(valueSlot(['spec', 'ports', '0', 'port'], portPath, 'integer'));
  }
  return { slots, params };
}

/**
 * `persistence.size`, `persistence.storageClass` and `persistence.existingClaim` (when set the claim
 * is not rendered and the pods mount that claim). A claim only one writer may mount (ReadWriteOnce,
 * ReadWriteOncePod: a database file) gets `persistence.resourcePolicy: keep`, rendered as the
 * `helm.sh/resource-policy` annotation, so `helm uninstall` leaves it and its data.
 */
export function derivePvc(doc: any, layout: Layout): Derived {
  const p = layout.prefix(doc);
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const size = doc.spec?.resources?.requests?.storage;
  if (typeof size === 'string') {
    params.push({ path: [...p, 'size'], type: 'string', value: size, pattern: STORAGE_SIZE_PATTERN, description: 'Storage requested by the claim, such as 1Gi' });
    slots.push(valueSlot(['spec', 'resources', 'requests', 'storage'], [...p, 'size'], 'string'));
  }
  const scPath = [...p, 'storageClass'];
  const sc = doc.spec?.storageClassName;
  if (doc.spec && (sc === undefined || (typeof sc === 'string' && sc !== ''))) {
    params.push({ path: scPath, type: 'string', value: sc ?? '', description: 'StorageClass of the claim; empty for the cluster default' });
    slots.push({
      pointer: ['spec', 'storageClassName'],
      placement: 'last',
      render: { mode: 'line', wrap: (i, prefix) => `${i}{{- with ${valuesRef(scPath)} }}\n${i}${prefix}{{ . | quote }}\n${i}{{- end }}` },
    });
  }
  const existing = [...p, 'existingClaim'];
  params.push({
    path: existing,
    type: 'string',
    value: '',
    pattern: `^(${DNS1123_SUBDOMAIN.slice(1, -1)})?$`,
    description: 'A claim you manage for the pods instead of this one; when set the chart does not render the claim',
  });
  if (singleWriterMode(Array.isArray(doc.spec?.accessModes) ? doc.spec.accessModes : []) && layout.owner(doc)) {
    const policy = [...p, 'resourcePolicy'];
    params.push({
      path: policy,
      type: 'string',
      value: 'keep',
      enum: ['keep', ''],
      description: 'helm.sh/resource-policy of the claim: "keep" leaves it and its data on helm uninstall (delete it yourself); empty to delete it with the release',
    });
    const line = (i: string) => `${i}{{- with ${valuesRef(policy)} }}\n${i}helm.sh/resource-policy: {{ . | quote }}\n${i}{{- end }}`;
    const annotations = doc.metadata?.annotations;
    slots.push(annotations && Object.keys(annotations).length > 0
      ? { pointer: ['metadata', 'annotations', '\u0000resource-policy'], placement: 'last', soft: { params: [dottedPath(policy)] }, render: { mode: 'line', wrap: line } }
      : {
        pointer: ['metadata', 'annotations'],
        placement: 'last',
        soft: { params: [dottedPath(policy)] },
        render: { mode: 'line', wrap: (i) => `${i}{{- with ${valuesRef(policy)} }}\n${i}annotations:\n${i}  helm.sh/resource-policy: {{ . | quote }}\n${i}{{- end }}` },
      });
  }
  return { slots, params, condition: `not ${valuesRef(existing)}` };
}

/** Name of the named template (in _helpers.tpl) that prints a ConfigMap entry as text. */
export function configValueTemplate(chartName: string): string {
  return `${chartName}.configValue`;
}

/**
 * ConfigMap entries: text, numbers or booleans in the values, always rendered as the text the
 * user wrote (an integer from a values file prints without exponent, see `<chart>.configValue`).
 */
export function deriveConfigMap(ctx: ReleaseContext, doc: any, chartName: string, texts: (key: string) => readonly string[]): Derived {
  const p = ctx.layout.prefix(doc);
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  for (const [key, value] of Object.entries(doc.data ?? {})) {
    if (typeof value !== 'string') continue;
    const path = [...p, key];
    const services = ctx.dns.servicesIn(texts(key));
    const follows = services.length > 0 ? `; the in-cluster names of ${services.join(', ')} in it follow the release name and namespace` : '';
    params.push({ path, type: 'string', anyScalar: true, value, description: `Entry ${key} of the ${doc.metadata?.name} ConfigMap (text; a number prints as written)${follows}` });
    const text = `include ${JSON.stringify(configValueTemplate(chartName))} ${valuesRef(path)}`;
    slots.push({ pointer: ['data', key], render: { mode: 'inline', expr: `{{ ${ctx.dns.rewriteExpr(text, services)} | quote }}` } });
  }
  return { slots, params };
}

/** The ConfigMap entries of an environment's objects, by `<namespace>/<name>/<key>` (their texts across environments decide what follows the release). */
export function configTexts(docs: readonly any[], into: Map<string, string[]>): void {
  for (const d of docs) {
    if (d?.kind !== 'ConfigMap') continue;
    for (const [k, v] of Object.entries(d.data ?? {})) {
      if (typeof v !== 'string') continue;
      const key = `${d.metadata?.namespace ?? ''}/${d.metadata?.name}/${k}`;
      const list = into.get(key);
      if (list) list.push(v); else into.set(key, [v]);
    }
  }
}

/** True for a Secret whose plain object carries values (`data` or `stringData`). */
export function hasSecretData(doc: any): boolean {
  return doc?.kind === 'Secret' && (Object.keys(doc.data ?? {}).length > 0 || Object.keys(doc.stringData ?? {}).length > 0);
}

/**
 * A Secret the plain YAML carries with data is not templated: a chart never carries secret values.
 * The objects read it by name, through `existingSecret` (default: the plain Secret's name), or for a
 * Secret only an Ingress names for TLS, through that Ingress's `tls.secretName`. NOTES.txt and the
 * README print the `kubectl create secret` command with its key names.
 */
export function deriveExternalSecret(doc: any, layout: Layout): { external: ExternalSecret; params: ParamSpec[] } {
  const name = doc.metadata?.name;
  const keys = [...new Set([...Object.keys(doc.data ?? {}), ...Object.keys(doc.stringData ?? {})])];
  const base = { name, type: typeof doc.type === 'string' ? doc.type : 'Opaque', keys };
  const prefix = layout.secretPrefix(name);
  if (!prefix) {
    const tls = layout.tlsIngresses(name, doc.metadata?.namespace ?? '').map((i) => ingressTls(i, layout)).find((t) => t?.secretName === name);
    return { external: tls ? { ...base, nameValue: tls.secretNamePath, condition: tls.condition } : base, params: [] };
  }
  const path = [...prefix, 'existingSecret'];
  return {
    external: { ...base, nameValue: path },
    params: [{
      path,
      type: 'string',
      value: name,
      pattern: DNS1123_SUBDOMAIN,
      description: `Name of the Secret (keys ${keys.join(', ')}) the workloads read. The chart never carries secret values: create it before installing (kubectl create secret, see NOTES.txt and the README)`,
    }],
  };
}

/** The keys of the Secret `name` the workloads name, and whether they name all they read (no envFrom, no whole-Secret volume). */
export function referencedSecretKeys(docs: any[], name: string, namespace: string): { keys: string[]; complete: boolean } {
  const keys: string[] = [];
  let complete = true;
  const add = (k: unknown) => { if (typeof k === 'string' && !keys.includes(k)) keys.push(k); };
  const items = (list: unknown) => {
    if (Array.isArray(list) && list.length > 0) list.forEach((i: any) => add(i?.key));
    else complete = false;
  };
  for (const w of docs.filter((d) => WORKLOAD_KINDS.includes(d.kind) && (d.metadata?.namespace ?? '') === namespace)) {
    const spec = podSpecOf(w);
    for (const v of spec?.volumes ?? []) {
      if (v?.secret?.secretName === name) items(v.secret.items);
      for (const s of v?.projected?.sources ?? []) if (s?.secret?.name === name) items(s.secret.items);
    }
    for (const { c } of containersOf(spec)) {
      for (const e of c?.env ?? []) if (e?.valueFrom?.secretKeyRef?.name === name) add(e.valueFrom.secretKeyRef.key);
      for (const e of c?.envFrom ?? []) if (e?.secretRef?.name === name) complete = false;
    }
  }
  return { keys, complete };
}

/** The workloads ("the <name> <Kind>") that reference the Secret `name` in `namespace`. */
function readers(docs: any[], name: string, namespace: string): string[] {
  return docs.filter((d) => WORKLOAD_KINDS.includes(d.kind) && (d.metadata?.namespace ?? '') === namespace && referencedNames(podSpecOf(d), 'Secret').has(name))
    .map((d) => `the ${d.metadata?.name} ${d.kind}`);
}


/**
 * A Secret the workloads reference by name that the objects do not hold (the entities' existingSecret
 * mode): created outside the chart. The workloads read it through `existingSecret` (default: the
 * referenced name), and NOTES.txt and the README print its `kubectl create secret` command with the
 * key names the workloads name (an envFrom reference names none).
 */
export function deriveReferencedSecret(stub: any, docs: any[], layout: Layout): { external: ExternalSecret; params: ParamSpec[] } {
  const name = stub.metadata.name;
  const namespace = stub.metadata.namespace ?? '';
  const { keys, complete } = referencedSecretKeys(docs, name, namespace);
  const path = [...layout.secretPrefix(name)!, 'existingSecret'];
  const who = readers(docs, name, namespace);
  const keyText = keys.length === 0 ? 'its keys become environment variables' : `keys ${keys.join(', ')}${complete ? '' : ', and more that become environment variables'}`;
  return {
    external: { name, type: 'Opaque', keys, keysIncomplete: !complete, referenced: true, nameValue: path },
    params: [{
      path,
      type: 'string',
      value: name,
      pattern: DNS1123_SUBDOMAIN,
      description: `Name of the Secret (${keyText}) ${who.join(' and ')} read${who.length === 1 ? 's' : ''}. The chart does not create it: create it before installing (kubectl create secret, see NOTES.txt and the README)`,
    }],
  };
}

/** A Secret the plain YAML carries without data: templated, unless `existingSecret` names your own. */
export function deriveSecret(doc: any, layout: Layout): Derived {
  const p = layout.prefix(doc);
  const name = doc.metadata?.name;
  if (layout.isIngressTlsSecret(doc)) return { slots: [], params: [] };
  const existing = [...p, 'existingSecret'];
  const params: ParamSpec[] = [{
    path: existing,
    type: 'string',
    value: '',
    description: `Name of a Secret you manage (same keys as ${name}); when set the chart does not render ${name} and the workloads read yours`,
  }];
  return { slots: [], params, condition: `not ${valuesRef(existing)}` };
}

/**
 * A ServiceAccount of the plain YAML that a workload's pods run as: rendered while that workload's
 * `serviceAccount.create` is true, named `serviceAccount.name` (default: the release's name for it),
 * with `serviceAccount.annotations` added.
 */
export function deriveServiceAccount(ctx: ReleaseContext, doc: any): Derived {
  const owner = ctx.layout.owner(doc);
  if (!owner) return { slots: [], params: [] };
  const s = [...ctx.layout.section(owner), 'serviceAccount'];
  const name = valuesRef([...s, 'name']);
  return {
    slots: [
      { pointer: ['metadata', 'name'], render: { mode: 'inline', expr: `{{ ${name} | default (${ctx.release.expr(doc.metadata.name, 'ServiceAccount')}) | quote }}` } },
      mapAdd(doc.metadata, ['metadata'], 'annotations', valuesRef([...s, 'annotations']), [dottedPath([...s, 'annotations'])]),
    ],
    params: [],
    condition: valuesRef([...s, 'create']),
  };
}
