/**
 * Standard values of an Ingress: `enabled`, `hostname` (its first rule's host), `tls.enabled` and
 * `tls.secretName` (TLS for exactly that host), `className`, `annotations` (added to the plain ones),
 * `extraHosts` (further hosts routed like the first rule's first path, Bitnami's `{name, path,
 * pathType}`) and `extraTls` (further TLS entries). A backend port given by number follows the
 * Service's `port` value; a TLS Secret the release makes (a cert-manager Certificate's) follows the
 * release while `tls.secretName` keeps its default.
 */
import { servicePortPath } from './service';
import { IngressBackendShape, KubeObject } from '../../../../manifests';
import { ParamSpec, Slot } from '../../model/template-model';
import { dottedPath, rootRef, valuesRef, valueSlot } from '../../model/values-paths';
import { Layout } from '../../value-sections';
import { Deriver, ReleaseContext } from '../deriver';
import { nameValueExpr } from '../release/release-kit';
import { listAppend } from '../slot-kit';

/** The values of an Ingress with one host and TLS for exactly that host, when its plain object has TLS. */
export interface IngressTls {
  readonly ingress: KubeObject;
  readonly host: string;
  readonly secretName: string;
  readonly hostPath: string[];
  readonly secretNamePath: string[];
  /** True while the Ingress and its TLS are rendered. */
  readonly condition: string;
}

/** Whether the Ingress's `spec.tls` is absent or one entry for its first rule's host (the `tls.*` values). */
function simpleTls(doc: KubeObject): boolean {
  const host = doc.spec?.rules?.[0]?.host;
  const tls = doc.spec?.tls;
  return typeof host === 'string' && (tls === undefined
    || (Array.isArray(tls) && tls.length === 1 && typeof tls[0]?.secretName === 'string'
      && Array.isArray(tls[0].hosts) && tls[0].hosts.length === 1 && tls[0].hosts[0] === host));
}

/** The TLS values of an Ingress that serves its host over TLS (see `IngressTls`), else undefined. */
export function ingressTls(doc: KubeObject, layout: Layout): IngressTls | undefined {
  const host = doc.spec?.rules?.[0]?.host;
  const secretName = doc.spec?.tls?.[0]?.secretName;
  // simpleTls: one host, and TLS for exactly that host.
  if (doc?.kind !== 'Ingress' || !simpleTls(doc) || host === undefined || secretName === undefined) return undefined;
  const p = layout.valuesOf(doc).prefix;
  return {
    ingress: doc,
    host,
    secretName,
    hostPath: [...p, 'hostname'],
    secretNamePath: [...p, 'tls', 'secretName'],
    condition: `and ${valuesRef([...p, 'enabled'])} ${valuesRef([...p, 'tls', 'enabled'])}`,
  };
}

/** The port of a backend as it follows a Service's `port` value (`ref` makes the value reference), or undefined. */
function backendPortValue(backend: IngressBackendShape | undefined, layout: Layout, namespace: string): string[] | undefined {
  const number = backend?.service?.port?.number;
  const name = backend?.service?.name;
  const svc = name ? layout.set.find('Service', name, namespace)?.raw as KubeObject | undefined : undefined;
  const portPath = servicePortPath(svc, layout);
  return Number.isInteger(number) && portPath && svc?.spec?.ports?.[0]?.port === number ? portPath : undefined;
}

/** Backends (`spec.defaultBackend`, each rule path) whose `service.port.number` is the first port of a Service with a port value. */
function backendPortSlots(doc: KubeObject, layout: Layout): Slot[] {
  const slots: Slot[] = [];
  const ns = doc.metadata?.namespace ?? '';
  const bind = (backend: IngressBackendShape | undefined, pointer: string[]) => {
    const portPath = backendPortValue(backend, layout, ns);
    if (portPath) slots.push(valueSlot([...pointer, 'service', 'port', 'number'], portPath, 'integer'));
  };
  bind(doc.spec?.defaultBackend, ['spec', 'defaultBackend']);
  (doc.spec?.rules ?? []).forEach((rule, i) => {
    (rule?.http?.paths ?? []).forEach((path, j) => bind(path?.backend, ['spec', 'rules', String(i), 'http', 'paths', String(j), 'backend']));
  });
  return slots;
}

/** The extra rules of `extraHosts`: each host routed like the first rule's first path. */
function extraHostRules(ctx: ReleaseContext, doc: KubeObject, listRef: string, indent: string): string | undefined {
  const first = doc.spec?.rules?.[0]?.http?.paths?.[0];
  const svc = first?.backend?.service;
  if (!first || !svc?.name) return undefined;
  const ns = doc.metadata?.namespace ?? '';
  const portPath = backendPortValue(first.backend, ctx.layout, ns);
  const port = portPath ? `number: {{ ${rootRef(portPath)} | int64 }}`
    : svc.port?.name !== undefined ? `name: ${JSON.stringify(svc.port.name)}` : `number: ${Number(svc.port?.number)}`;
  const name = ctx.release.has(svc.name, 'Service') ? ctx.release.text(svc.name, 'Service') : JSON.stringify(svc.name);
  const i = indent;
  return [
    `${i}{{- range ${listRef} }}`,
    `${i}- host: {{ .name | quote }}`,
    `${i}  http:`,
    `${i}    paths:`,
    `${i}      - path: {{ .path | default ${JSON.stringify(first.path ?? '/')} | quote }}`,
    `${i}        pathType: {{ .pathType | default ${JSON.stringify(first.pathType ?? 'Prefix')} | quote }}`,
    `${i}        backend:`,
    `${i}          service:`,
    `${i}            name: ${name}`,
    `${i}            port:`,
    `${i}              ${port}`,
    `${i}{{- end }}`,
  ].join('\n');
}

/** The values of an Ingress (see the file comment); an environment without it has `enabled` false. */
export const deriveIngress: Deriver = ({ doc, ctx, values }) => {
  const layout = ctx.layout;
  const p = values.prefix;
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
      const secretName = tls?.[0]?.secretName ?? `${doc.metadata?.name}-tls`;
      params.push(
        { path: [...tp, 'enabled'], type: 'boolean', value: tls !== undefined, description: `Serve ${what} over HTTPS with the certificate in tls.secretName` },
        {
          path: [...tp, 'secretName'],
          type: 'string',
          value: secretName,
          // Without TLS the object names no Secret: other environments keep the default's name.
          fallback: tls === undefined,
          description: 'Secret (type kubernetes.io/tls) holding the certificate for the host name'
            + (ctx.release.has(secretName, 'Secret') ? '; the release makes it (cert-manager), so while it keeps this default it is named after the release' : ''),
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
            `${i}    secretName: {{ ${nameValueExpr(ctx, [...tp, 'secretName'], secretName, 'Secret')} | quote }}`,
            `${i}  {{- with ${valuesRef([...p, 'extraTls'])} }}`,
            `${i}  {{- toYaml . | nindent ${i.length + 2} }}`,
            `${i}  {{- end }}`,
            `${i}{{- else }}`,
            `${i}{{- with ${valuesRef([...p, 'extraTls'])} }}`,
            `${i}tls: {{- toYaml . | nindent ${i.length + 2} }}`,
            `${i}{{- end }}`,
            `${i}{{- end }}`,
          ].join('\n'),
        },
      });
    }
  }
  const soft = (k: string) => [dottedPath([...p, k])];
  params.push(
    { path: [...p, 'className'], type: 'string', value: typeof doc.spec?.ingressClassName === 'string' ? doc.spec.ingressClassName : '', description: `IngressClass of ${what}; empty for the cluster's default class` },
    { path: [...p, 'annotations'], type: 'object', value: {}, description: `Annotations of ${what}, added to the plain ones (such as cert-manager.io/cluster-issuer)`, schema: { additionalProperties: { type: 'string' } } },
    {
      path: [...p, 'extraHosts'],
      type: 'array',
      value: [],
      description: `Further hosts ${what} routes like its first path: {name, path, pathType}`,
      schema: { items: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' }, path: { type: 'string' }, pathType: { type: 'string', enum: ['Prefix', 'Exact', 'ImplementationSpecific'] } } } },
    },
    { path: [...p, 'extraTls'], type: 'array', value: [], description: `Further TLS entries ({hosts, secretName}) of ${what}`, schema: { items: { type: 'object' } } },
  );
  slots.push({
    pointer: ['spec', 'ingressClassName'],
    placement: 'first',
    soft: { params: soft('className') },
    render: { mode: 'line', wrap: (i) => `${i}{{- with ${valuesRef([...p, 'className'])} }}\n${i}ingressClassName: {{ . | quote }}\n${i}{{- end }}` },
  });
  const rules = doc.spec?.rules;
  const extra = (i: string) => extraHostRules(ctx, doc, valuesRef([...p, 'extraHosts']), i);
  if (Array.isArray(rules) && rules.length > 0 && extra('') !== undefined) {
    slots.push({ pointer: ['spec', 'rules', String(rules.length)], soft: { params: soft('extraHosts') }, render: { mode: 'line', wrap: (i) => extra(i)! } });
  }
  if (!simpleTls(doc) || typeof host !== 'string') {
    slots.push(listAppend(doc.spec, ['spec'], 'tls', valuesRef([...p, 'extraTls']), soft('extraTls')));
  }
  const annotations = { map: valuesRef([...p, 'annotations']), params: soft('annotations') };
  return { slots, params, annotations, condition: valuesRef([...p, 'enabled']) };
};
