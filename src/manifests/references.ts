import { containersOf } from './pod-templates';

/** Kinds of objects a pod spec names: ConfigMaps and Secrets it reads, claims it mounts. */
export type ReferencedKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim';

/**
 * Names of the objects of `kind` a pod spec reads: from volumes (projected sources too), `env`
 * `valueFrom` and `envFrom` of every container, and for Secrets `imagePullSecrets`.
 */
export function referencedNames(podSpec: any, kind: ReferencedKind): Set<string> {
  const names = new Set<string>();
  if (!podSpec || typeof podSpec !== 'object') return names;
  const add = (n: unknown) => { if (typeof n === 'string') names.add(n); };
  for (const v of Array.isArray(podSpec.volumes) ? podSpec.volumes : []) {
    if (kind === 'ConfigMap') add(v?.configMap?.name);
    if (kind === 'Secret') add(v?.secret?.secretName);
    if (kind === 'PersistentVolumeClaim') add(v?.persistentVolumeClaim?.claimName);
    for (const s of Array.isArray(v?.projected?.sources) ? v.projected.sources : []) {
      if (kind === 'ConfigMap') add(s?.configMap?.name);
      if (kind === 'Secret') add(s?.secret?.name);
    }
  }
  for (const { c } of containersOf(podSpec)) {
    for (const e of Array.isArray(c.env) ? c.env : []) {
      if (kind === 'ConfigMap') add(e?.valueFrom?.configMapKeyRef?.name);
      if (kind === 'Secret') add(e?.valueFrom?.secretKeyRef?.name);
    }
    for (const e of Array.isArray(c.envFrom) ? c.envFrom : []) {
      if (kind === 'ConfigMap') add(e?.configMapRef?.name);
      if (kind === 'Secret') add(e?.secretRef?.name);
    }
  }
  return names;
}

/** One backend of an Ingress: the Service and port it names, and where. */
export interface IngressBackend {
  /** For example `spec.rules[0].http.paths[1].backend`. */
  readonly path: string;
  /** The Service name, undefined when the backend names none (a resource backend, or a mistake). */
  readonly serviceName?: string;
  /** The port number or name, undefined when unset. */
  readonly port?: number | string;
  /** Written in the pre-1.19 form (`serviceName`/`servicePort`), which networking.k8s.io/v1 refuses. */
  readonly legacy: boolean;
}

/** Every backend of an Ingress: the default backend and each rule path's. */
export function ingressBackends(ingress: any): IngressBackend[] {
  const backends: IngressBackend[] = [];
  const read = (b: any, path: string) => {
    if (!b || typeof b !== 'object') return;
    if (b.serviceName !== undefined || b.servicePort !== undefined) {
      backends.push({ path, serviceName: strOrUndefined(b.serviceName), port: b.servicePort, legacy: true });
    } else if (b.resource === undefined) {
      backends.push({ path, serviceName: strOrUndefined(b.service?.name), port: b.service?.port?.number ?? b.service?.port?.name, legacy: false });
    }
  };
  read(ingress?.spec?.defaultBackend ?? ingress?.spec?.backend, ingress?.spec?.defaultBackend ? 'spec.defaultBackend' : 'spec.backend');
  (Array.isArray(ingress?.spec?.rules) ? ingress.spec.rules : []).forEach((rule: any, r: number) => {
    (Array.isArray(rule?.http?.paths) ? rule.http.paths : []).forEach((p: any, i: number) => {
      read(p?.backend, `spec.rules[${r}].http.paths[${i}].backend`);
    });
  });
  return backends;
}

function strOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
