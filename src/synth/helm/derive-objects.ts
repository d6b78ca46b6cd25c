/**
 * Standard values of Services, Ingresses, PersistentVolumeClaims, ConfigMaps, Secrets,
 * NetworkPolicies and PodDisruptionBudgets, derived from the synthesized objects.
 */
import { Derived } from './derive-workload';
import { Layout } from './layout';
import { ParamSpec, Slot, valuesRef, valueSlot } from './model';

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export function deriveService(doc: any, layout: Layout): Derived {
  const p = layout.prefix(doc);
  const what = `the ${doc.metadata?.name} Service`;
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const typePath = [...p, 'type'];
  params.push({ path: typePath, type: 'string', value: doc.spec?.type ?? 'ClusterIP', enum: SERVICE_TYPES, description: `Type of ${what}` });
  if (typeof doc.spec?.type === 'string') {
    slots.push(valueSlot(['spec', 'type'], typePath, 'string'));
  } else if (doc.spec) {
    // The plain object leaves the type to Kubernetes' default: print it only when it differs.
    const ref = valuesRef(typePath);
    slots.push({
      pointer: ['spec', 'type'],
      placement: 'last',
      render: { mode: 'line', wrap: (i, prefix) => `${i}{{- if ne ${ref} "ClusterIP" }}\n${i}${prefix}{{ ${ref} | quote }}\n${i}{{- end }}` },
    });
  }
  if (Number.isInteger(doc.spec?.ports?.[0]?.port)) {
    params.push({ path: [...p, 'port'], type: 'integer', value: doc.spec.ports[0].port, minimum: 1, maximum: 65535, description: `Port of ${what} (its first port)` });
    slots.push(valueSlot(['spec', 'ports', '0', 'port'], [...p, 'port'], 'integer'));
  }
  return { slots, params };
}

export function deriveIngress(doc: any, layout: Layout): Derived {
  const p = layout.prefix(doc);
  const what = `the ${doc.metadata?.name} Ingress`;
  const slots: Slot[] = [];
  const params: ParamSpec[] = [
    { path: [...p, 'enabled'], type: 'boolean', value: true, toggleOff: false, description: `Render ${what}` },
  ];
  const host = doc.spec?.rules?.[0]?.host;
  if (typeof host === 'string') {
    const hostPath = [...p, 'hostname'];
    params.push({ path: hostPath, type: 'string', value: host, description: `Host name ${what} routes (its first rule)` });
    slots.push(valueSlot(['spec', 'rules', '0', 'host'], hostPath, 'string'));
    const tls = doc.spec?.tls;
    const simpleTls = tls === undefined
      || (Array.isArray(tls) && tls.length === 1 && typeof tls[0]?.secretName === 'string'
        && Array.isArray(tls[0].hosts) && tls[0].hosts.length === 1 && tls[0].hosts[0] === host);
    if (simpleTls) {
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
    params.push({ path: [...p, 'size'], type: 'string', value: size, pattern: '^[0-9]+(\\.[0-9]+)?([KMGTPE]i?|k)?$', description: `Storage requested by ${what}, such as 1Gi` });
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

export function deriveConfigMap(doc: any, layout: Layout): Derived {
  const p = layout.prefix(doc);
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  for (const [key, value] of Object.entries(doc.data ?? {})) {
    if (typeof value !== 'string') continue;
    params.push({ path: [...p, key], type: 'string', anyScalar: true, value, description: `Entry ${key} of the ${doc.metadata?.name} ConfigMap` });
    slots.push(valueSlot(['data', key], [...p, key], 'string'));
  }
  return { slots, params };
}

/** Text that survives base64 decoding and re-encoding unchanged (so it can live in values as text). */
function decodeText(b64: string): string | undefined {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  return Buffer.from(text, 'utf8').toString('base64') === b64 ? text : undefined;
}

export function deriveSecret(doc: any, layout: Layout): Derived {
  const p = layout.prefix(doc);
  const name = doc.metadata?.name;
  const existing = [...p, 'existingSecret'];
  const slots: Slot[] = [];
  const params: ParamSpec[] = [{
    path: existing,
    type: 'string',
    value: '',
    description: `Name of a Secret you manage (same keys as ${name}); when set the chart does not render ${name} and the workloads read yours`,
  }];
  for (const field of ['data', 'stringData']) {
    for (const [key, value] of Object.entries(doc[field] ?? {})) {
      if (typeof value !== 'string') continue;
      const text = field === 'data' ? decodeText(value) : value;
      if (text === undefined) continue;
      const path = [...p, 'secret', key];
      params.push({ path, type: 'string', anyScalar: true, value: text, description: `Value of ${key} in the ${name} Secret (plain text; the chart encodes it). Prefer existingSecret outside development` });
      const expr = field === 'data' ? `{{ ${valuesRef(path)} | toString | b64enc | quote }}` : `{{ ${valuesRef(path)} | quote }}`;
      slots.push({ pointer: [field, key], render: { mode: 'inline', expr } });
    }
  }
  return { slots, params, condition: `not ${valuesRef(existing)}` };
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
