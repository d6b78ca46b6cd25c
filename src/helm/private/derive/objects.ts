/**
 * Standard values of Services, Ingresses, PersistentVolumeClaims, ConfigMaps, Secrets,
 * NetworkPolicies and PodDisruptionBudgets, derived from the synthesized objects.
 */
import { Derived, STORAGE_SIZE_PATTERN } from './workload';
import { containersOf, podSpecOf, referencedNames } from '../../../manifests';
import { DNS1123_SUBDOMAIN, ExternalSecret, ParamSpec, Slot, valuesRef, valueSlot } from '../template-model';
import { Layout, WORKLOAD_KINDS } from '../value-sections';

/**
 * The Service types a values switch may choose. ExternalName is not one: it needs `externalName`
 * and no selector, so a Service of the plain YAML cannot become one by a value (and a plain
 * ExternalName Service keeps its type as written).
 */
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'];

/** The path of the `port` value of a Service (its first port), when the chart has one. */
export function servicePortPath(svc: any, layout: Layout): string[] | undefined {
  return Number.isInteger(svc?.spec?.ports?.[0]?.port) ? [...layout.prefix(svc), 'port'] : undefined;
}

export function deriveService(doc: any, layout: Layout): Derived {
  const p = layout.prefix(doc);
  const what = `the ${doc.metadata?.name} Service`;
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const typePath = [...p, 'type'];
  if (doc.spec?.type === 'ExternalName') {
    // Not a switch: an ExternalName Service stays one.
  } else if (typeof doc.spec?.type === 'string') {
    params.push({ path: typePath, type: 'string', value: doc.spec.type, enum: SERVICE_TYPES, description: `Type of ${what}` });
    slots.push(valueSlot(['spec', 'type'], typePath, 'string'));
  } else if (doc.spec) {
    params.push({ path: typePath, type: 'string', value: 'ClusterIP', enum: SERVICE_TYPES, description: `Type of ${what}` });
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
    params.push({ path: portPath, type: 'integer', value: doc.spec.ports[0].port, minimum: 1, maximum: 65535, description: `Port of ${what} (its first port; Ingress backends that use it by number follow it)` });
    slots.push(valueSlot(['spec', 'ports', '0', 'port'], portPath, 'integer'));
  }
  return { slots, params };
}

/** The values of an Ingress with one host and TLS for exactly that host, when its plain object has TLS. */
export interface IngressTls {
  readonly ingress: any;
  readonly host: string;
  readonly secretName: string;
  readonly hostPath: string[];
  readonly secretNamePath: string[];
  /** True while the Ingress and its TLS are rendered. */
  readonly condition: string;
}

/** Whether the Ingress's `spec.tls` is absent or one entry for its first rule's host (the `tls.*` values). */
function simpleTls(doc: any): boolean {
  const host = doc.spec?.rules?.[0]?.host;
  const tls = doc.spec?.tls;
  return typeof host === 'string' && (tls === undefined
    || (Array.isArray(tls) && tls.length === 1 && typeof tls[0]?.secretName === 'string'
      && Array.isArray(tls[0].hosts) && tls[0].hosts.length === 1 && tls[0].hosts[0] === host));
}

/** The TLS values of an Ingress that serves its host over TLS (see `IngressTls`), else undefined. */
export function ingressTls(doc: any, layout: Layout): IngressTls | undefined {
  if (doc?.kind !== 'Ingress' || !simpleTls(doc) || doc.spec?.tls === undefined) return undefined;
  const p = layout.prefix(doc);
  return {
    ingress: doc,
    host: doc.spec.rules[0].host,
    secretName: doc.spec.tls[0].secretName,
    hostPath: [...p, 'hostname'],
    secretNamePath: [...p, 'tls', 'secretName'],
    condition: `and ${valuesRef([...p, 'enabled'])} ${valuesRef([...p, 'tls', 'enabled'])}`,
  };
}

/** Backends (`spec.defaultBackend`, each rule path) whose `service.port.number` is the first port of a Service with a port value. */
function backendPortSlots(doc: any, layout: Layout): Slot[] {
  const slots: Slot[] = [];
  const ns = doc.metadata?.namespace ?? '';
  const bind = (backend: any, pointer: string[]) => {
    const number = backend?.service?.port?.number;
    const svc = backend?.service?.name ? layout.find('Service', backend.service.name, ns) : undefined;
    const portPath = servicePortPath(svc, layout);
    if (!Number.isInteger(number) || !portPath || svc.spec.ports[0].port !== number) return;
    slots.push(valueSlot([...pointer, 'service', 'port', 'number'], portPath, 'integer'));
  };
  bind(doc.spec?.defaultBackend, ['spec', 'defaultBackend']);
  (doc.spec?.rules ?? []).forEach((rule: any, i: number) => {
    (rule?.http?.paths ?? []).forEach((path: any, j: number) => bind(path?.backend, ['spec', 'rules', String(i), 'http', 'paths', String(j), 'backend']));
  });
  return slots;
}

export function deriveIngress(doc: any, layout: Layout): Derived {
  const p = layout.prefix(doc);
  const what = `the ${doc.metadata?.name} Ingress`;
  const slots: Slot[] = backendPortSlots(doc, layout);
  const params: ParamSpec[] = [
    { path: [...p, 'enabled'], type: 'boolean', value: true, toggleOff: false, description: `Render ${what}` },
  ];
  const host = doc.spec?.rules?.[0]?.host;
  if (typeof host === 'string') {
    const hostPath = [...p, 'hostname'];
    params.push({ path: hostPath, type: 'string', value: host, description: `Host name ${what} routes (its first rule)` });
    slots.push(valueSlot(['spec', 'rules', '0', 'host'], hostPath, 'string'));
    const tls = doc.spec?.tls;
    if (simpleTls(doc)) {
      const tp = [...p, 'tls'];
      params.push(
        { path: [...tp, 'enabled'], type: 'boolean', value: tls !== undefined, description: `Serve ${what} over HTTPS with the certificate in tls.secretName` },
        {
          path: [...tp, 'secretName'],
          type: 'string',
          value: tls?.[0]?.secretName ?? `${doc.metadata?.name}-tls`,
          // Without TLS the object names no Secret: other environments keep the default's name.
          fallback: tls === undefined,
          description: 'Secret (type kubernetes.io/tls) holding the certificate for the host name',
        },
      );
      slots.push({
        pointer: ['spec', 'tls'],
        placement: 'last',
        render: {
          mode: 'line',
          wrap: (i) => [
            `${i}{{- if ${valuesRef([...tp, 'enabled'])} }}`,
            `${i}tls:`,
            `${i}  - hosts:`,
            `${i}      - {{ ${valuesRef(hostPath)} | quote }}`,
            `${i}    secretName: {{ ${valuesRef([...tp, 'secretName'])} | quote }}`,
            `${i}{{- end }}`,
          ].join('\n'),
        },
      });
    }
  }
  return { slots, params, condition: valuesRef([...p, 'enabled']) };
}

export function derivePvc(doc: any, layout: Layout): Derived {
  const p = layout.prefix(doc);
  const what = `the ${doc.metadata?.name} PersistentVolumeClaim`;
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const size = doc.spec?.resources?.requests?.storage;
  if (typeof size === 'string') {
    params.push({ path: [...p, 'size'], type: 'string', value: size, pattern: STORAGE_SIZE_PATTERN, description: `Storage requested by ${what}, such as 1Gi` });
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
  return { slots, params };
}

/** Name of the named template (in _helpers.tpl) that prints a ConfigMap entry as text. */
export function configValueTemplate(chartName: string): string {
  return `${chartName}.configValue`;
}

/**
 * ConfigMap entries: text, numbers or booleans in the values, always rendered as the text the
 * user wrote (an integer from a values file prints without exponent, see `<chart>.configValue`).
 */
export function deriveConfigMap(doc: any, layout: Layout, chartName: string): Derived {
  const p = layout.prefix(doc);
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  for (const [key, value] of Object.entries(doc.data ?? {})) {
    if (typeof value !== 'string') continue;
    const path = [...p, key];
    params.push({ path, type: 'string', anyScalar: true, value, description: `Entry ${key} of the ${doc.metadata?.name} ConfigMap (text; a number prints as written)` });
    slots.push({ pointer: ['data', key], render: { mode: 'inline', expr: `{{ include ${JSON.stringify(configValueTemplate(chartName))} ${valuesRef(path)} | quote }}` } });
  }
  return { slots, params };
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

/** NetworkPolicies and PodDisruptionBudgets: one switch for all objects of the kind. */
export function deriveSwitched(key: 'networkPolicy' | 'pdb'): Derived {
  const path = [key, 'enabled'];
  const description = key === 'networkPolicy' ? 'Render the NetworkPolicies' : 'Render the PodDisruptionBudgets';
  return {
    slots: [],
    params: [{ path, type: 'boolean', value: true, toggleOff: false, description }],
    condition: valuesRef(path),
  };
}
