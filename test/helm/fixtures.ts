/**
 * Small cdk8s charts shaped like this project's output (stable names, app.kubernetes.io labels,
 * restricted security context, requests/limits, probes), built from cdk8s-plus-28 L1 classes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as YAML from 'yaml';

export interface WebOptions {
  readonly namespace?: string;
  readonly name?: string;
  readonly system?: string;
  readonly replicas?: number;
  readonly image?: string;
  readonly port?: number;
  readonly host?: string;
  readonly ingress?: boolean;
  readonly tls?: boolean;
  readonly hpa?: { min: number; max: number; cpu: number };
  readonly storage?: string;
  readonly storageClass?: string;
  /**
   * Access mode of the claim (default ReadWriteMany: the web pods share it). ReadWriteOnce or
   * ReadWriteOncePod make the Deployment a single writer: at most one replica and no autoscaler.
   */
  readonly accessMode?: string;
  readonly config?: Record<string, string>;
  readonly secret?: Record<string, string>;
  readonly cpuLimit?: string;
  readonly networkPolicy?: boolean;
  readonly pdb?: boolean;
  /** The app.kubernetes.io/version label of every object (default "1.0.0"). */
  readonly version?: string;
  /** Put app.kubernetes.io/version into the selectors too. */
  readonly versionInSelector?: boolean;
  /** An `environment` label on every object and the pod template (not the selectors). */
  readonly environment?: string;
  /** With `tls`: a kubernetes.io/tls Secret `<name>-tls` holding this certificate and key (PEM). */
  readonly tlsSecret?: { readonly cert: string; readonly key: string };
  /** The Ingress backend names the Service port (default) or gives its number. */
  readonly backendPort?: 'name' | 'number';
  /** Name of the Service port (default "http"). */
  readonly servicePortName?: string;
  /** Port of the Service (default 80). */
  readonly servicePort?: number;
}

export function labels(name: string, system: string, version = '1.0.0'): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': system,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/part-of': system,
    'app.kubernetes.io/managed-by': 'cdk8s-deploykit',
  };
}

/** Adds one web component (Deployment + Service + optional Ingress/HPA/PVC/ConfigMap/Secret/...) to `scope`. */
export function addWeb(scope: Construct, o: WebOptions = {}): void {
  const name = o.name ?? 'web';
  const system = o.system ?? 'shop';
  const port = o.port ?? 8080;
  const objectLabels = () => ({ ...labels(name, system, o.version), ...(o.environment ? { environment: o.environment } : {}) });
  const meta = (n: string) => ({ name: n, labels: objectLabels() });
  const selector: Record<string, string> = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': system };
  if (o.versionInSelector) selector['app.kubernetes.io/version'] = o.version ?? '1.0.0';
  const envFrom: k8s.EnvFromSource[] = [];
  const env: k8s.EnvVar[] = [];
  const volumes: k8s.Volume[] = [{ name: 'tmp', emptyDir: {} }];
  const mounts: k8s.VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }];
  if (o.config) {
    new k8s.KubeConfigMap(scope, `${name}-config`, { metadata: meta(`${name}-config`), data: o.config });
    envFrom.push({ configMapRef: { name: `${name}-config` } });
  }
  if (o.secret) {
    new k8s.KubeSecret(scope, `${name}-secret`, {
      metadata: meta(`${name}-secret`),
      type: 'Opaque',
      data: Object.fromEntries(Object.entries(o.secret).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    });
    for (const key of Object.keys(o.secret)) env.push({ name: key, valueFrom: { secretKeyRef: { name: `${name}-secret`, key } } });
  }
  if (o.storage) {
    new k8s.KubePersistentVolumeClaim(scope, `${name}-data`, {
      metadata: meta(`${name}-data`),
      spec: {
        accessModes: [o.accessMode ?? 'ReadWriteMany'],
        resources: { requests: { storage: k8s.Quantity.fromString(o.storage) } },
        storageClassName: o.storageClass,
      },
    });
    volumes.push({ name: 'data', persistentVolumeClaim: { claimName: `${name}-data` } });
    mounts.push({ name: 'data', mountPath: '/data' });
  }
  new k8s.KubeDeployment(scope, name, {
    metadata: meta(name),
    spec: {
      replicas: o.hpa ? undefined : o.replicas ?? 2,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: objectLabels() },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name,
            image: o.image ?? 'ghcr.io/acme/web:1.0.0',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: port }],
            env: env.length ? env : undefined,
            envFrom: envFrom.length ? envFrom : undefined,
            resources: {
              requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
              limits: { cpu: k8s.Quantity.fromString(o.cpuLimit ?? '500m'), memory: k8s.Quantity.fromString('256Mi') },
            },
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 10001,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
            readinessProbe: { httpGet: { path: '/ready', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 },
            livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') }, periodSeconds: 20 },
            volumeMounts: mounts,
          }],
          volumes,
        },
      },
    },
  });
  new k8s.KubeService(scope, `${name}-svc`, {
    metadata: meta(name),
    spec: { selector, ports: [{ name: o.servicePortName ?? 'http', port: o.servicePort ?? 80, targetPort: k8s.IntOrString.fromString('http') }] },
  });
  if (o.ingress ?? true) {
    const host = o.host ?? 'shop.example.com';
    new k8s.KubeIngress(scope, `${name}-ingress`, {
      metadata: meta(name),
      spec: {
        ingressClassName: 'nginx',
        rules: [{
          host,
          http: {
            paths: [{
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name, port: o.backendPort === 'number' ? { number: o.servicePort ?? 80 } : { name: o.servicePortName ?? 'http' } } },
            }],
          },
        }],
        tls: o.tls ? [{ hosts: [host], secretName: `${name}-tls` }] : undefined,
      },
    });
  }
  if (o.tls && o.tlsSecret) {
    new k8s.KubeSecret(scope, `${name}-tls-secret`, {
      metadata: meta(`${name}-tls`),
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': Buffer.from(o.tlsSecret.cert).toString('base64'), 'tls.key': Buffer.from(o.tlsSecret.key).toString('base64') },
    });
  }
  if (o.hpa) {
    new k8s.KubeHorizontalPodAutoscalerV2(scope, `${name}-hpa`, {
      metadata: meta(name),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: o.hpa.min,
        maxReplicas: o.hpa.max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: o.hpa.cpu } } }],
      },
    });
  }
  if (o.networkPolicy) {
    new k8s.KubeNetworkPolicy(scope, `${name}-netpol`, {
      metadata: meta(name),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' }] }],
      },
    });
  }
  if (o.pdb) {
    new k8s.KubePodDisruptionBudget(scope, `${name}-pdb`, {
      metadata: meta(name),
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }
}

/** A chart with one web component. */
export function webChart(app: App, id: string, o: WebOptions = {}): Chart {
  const chart = new Chart(app, id, { namespace: o.namespace ?? 'shop' });
  addWeb(chart, o);
  return chart;
}

/** A fresh temp dir, removed by `cleanup()`. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `deploykit-${prefix}-`));
}

/** Parses `helm template` output into objects (skipping empty documents). */
export function parseRendered(text: string): any[] {
  return YAML.parseAllDocuments(text).map((d) => d.toJSON()).filter((o) => o && typeof o === 'object');
}

/**
 * Removes the chart's own marks: the two labels it sets (helm.sh/chart, app.kubernetes.io/managed-by)
 * from every label map, the `checksum/config` annotation of pod templates and the
 * `helm.sh/resource-policy` annotation (an annotations map left empty goes too).
 */
export function withoutHelmLabels(objects: any[]): any[] {
  const strip = (labelsMap: any) => {
    if (!labelsMap) return;
    delete labelsMap['helm.sh/chart'];
    delete labelsMap['app.kubernetes.io/managed-by'];
  };
  // A label map that held only the chart's labels goes too (the plain object had none).
  const dropEmpty = (meta: any) => {
    if (meta?.labels && Object.keys(meta.labels).length === 0) delete meta.labels;
  };
  const unmark = (meta: any, key: string) => {
    if (!meta?.annotations) return;
    delete meta.annotations[key];
    if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  };
  return objects.map((o) => {
    const c = structuredClone(o);
    strip(c.metadata?.labels);
    dropEmpty(c.metadata);
    unmark(c.metadata, 'helm.sh/resource-policy');
    for (const t of [c.spec?.template, c.spec?.jobTemplate?.spec?.template]) {
      strip(t?.metadata?.labels);
      unmark(t?.metadata, 'checksum/config');
      // A pod template metadata that held only the checksum goes too (the plain object had none).
      if (t?.metadata && Object.keys(t.metadata).length === 0) delete t.metadata;
    }
    return c;
  });
}

/** Same, for the plain objects (they carry managed-by: cdk8s-deploykit). */
export const plainWithoutHelmLabels = withoutHelmLabels;

/** Objects keyed by "Kind/name". */
export function byKindName(objects: any[]): Map<string, any> {
  return new Map(objects.map((o) => [`${o.kind}/${o.metadata?.name}`, o]));
}
