/**
 * templates/NOTES.txt: how the namespace is created (the chart does not template it), the in-cluster
 * DNS names of the Services, how to reach the app, and the chart author's own lines (`HelmChart`
 * prop `notes`), printed as written.
 */
import { NamespaceFile, installCommand, labelCommand, psaLabels } from './namespace-files';
import { KubeObject, ServicePortShape } from '../../../manifests';
import { DocPlan, OutOfChartSecret } from '../model/template-model';
import { valuesRef } from '../model/values-paths';
import { ReleaseNames, withReleaseHeader } from '../release-names';

/** The namespace files of the chart, for the notes. */
export interface NotesNamespaces {
  readonly chartName: string;
  readonly files: readonly NamespaceFile[];
}

/** Lines saying the namespace comes first, from a namespace file or kubectl create + label. */
function namespaceLines(ns: NotesNamespaces): string[] {
  if (ns.files.length === 0) return [];
  const c = ns.chartName;
  const lines = [
    'The namespace is not part of the release: Helm stores the release in it, so it must exist before',
    '`helm install`. The chart folder holds it as plain YAML with its Pod Security Admission labels, one',
    'file per values file. To install again (another cluster or environment), create it first:',
  ];
  for (const f of ns.files) {
    lines.push(`  kubectl apply -f ./${c}/${f.file}`, `  ${installCommand(c, f.valuesFile, f.releaseNamespace)}`);
  }
  const label = labelCommand('{{ .Release.Namespace }}', psaLabels(ns.files[0].docs));
  lines.push(
    'or create and label the namespace yourself:',
    '  kubectl create namespace {{ .Release.Namespace }}',
    ...(label ? [`  ${label}`] : []),
    `  helm install {{ .Release.Name }} ./${c} --namespace {{ .Release.Namespace }}`,
    '',
  );
  return lines;
}

/**
 * The `kubectl create secret` command of a Secret the chart does not template: key names and
 * placeholders, never values. A key that names a file (it has a dot, or the Secret is TLS) is read from one.
 */
export function createSecretCommand(secret: OutOfChartSecret, namespace: string, name: string): string {
  const keys = [...secret.keys].sort();
  const tlsPair = secret.type === 'kubernetes.io/tls' && keys.length === 2 && keys[0] === 'tls.crt' && keys[1] === 'tls.key';
  if (tlsPair) return `kubectl --namespace ${namespace} create secret tls ${name} --cert=<path/to/tls.crt> --key=<path/to/tls.key>`;
  const isFile = (k: string) => secret.type === 'kubernetes.io/tls' || k.includes('.');
  const type = secret.type === 'Opaque' ? '' : ` --type=${secret.type}`;
  const args = secret.keys.map((k) => (isFile(k) ? `--from-file=${k}=<path/to/${k.replace(/^\./, '')}>` : `--from-literal=${k}=<${k}>`));
  // Keys the objects do not name (an envFrom reference): a placeholder per key.
  if (secret.keysIncomplete || args.length === 0) args.push('--from-literal=<KEY>=<value>');
  return `kubectl --namespace ${namespace} create secret generic ${name}${type} ${args.join(' ')}`;
}

/** What the objects say about a Secret's keys, for NOTES.txt and the README. */
export function secretKeysText(secret: OutOfChartSecret, code: (k: string) => string = (k) => k): string {
  const named = secret.keys.map(code).join(', ');
  if (!secret.keysIncomplete) return `keys ${named}`;
  const rest = 'every key becomes an environment variable (envFrom)';
  return named ? `keys ${named}, and more the objects do not name: ${rest}` : `keys not named by the objects: ${rest}`;
}

/** Lines saying which Secrets to create before the pods can start. */
function secretLines(plans: DocPlan[]): string[] {
  const secrets = plans.flatMap((p) => (p.outOfChart ? [p.outOfChart] : []));
  if (secrets.length === 0) return [];
  const lines = [
    'The chart holds no secret values. Create these Secrets in the release namespace (your own values;',
    'the chart names each key the objects name), then the pods that read them start:',
  ];
  for (const s of secrets) {
    const name = s.nameValue ? `{{ ${valuesRef(s.nameValue)} }}` : s.name;
    const cmd = [`  ${createSecretCommand(s, '{{ .Release.Namespace }}', name)}`];
    if (s.keysIncomplete) cmd.push(`    (${secretKeysText(s)})`);
    lines.push(...(s.condition ? [`{{- if ${s.condition} }}`, ...cmd, '{{- end }}'] : cmd));
  }
  lines.push('');
  return lines;
}

/** Ports a browser speaks to: named http*, or a usual web port. */
const WEB_PORTS = [80, 443, 3000, 8000, 8080, 8443];

/** "https", "http" or undefined (not a web port) for the first port of a Service. */
function webScheme(svc: KubeObject): string | undefined {
  const port = svc?.spec?.ports?.[0];
  const name = typeof port?.name === 'string' ? port.name.toLowerCase() : '';
  if (name.startsWith('https') || port?.port === 443 || port?.port === 8443) return 'https';
  if (name.startsWith('http') || (port?.port !== undefined && WEB_PORTS.includes(port.port))) return 'http';
  return undefined;
}

/** A Service port's protocol: TCP unless it says otherwise. */
function protocolOf(port: ServicePortShape | undefined): string {
  return typeof port?.protocol === 'string' && port.protocol !== '' ? port.protocol : 'TCP';
}

/** " (UDP)" after a port that is not TCP; nothing for TCP. */
function protocolNote(port: ServicePortShape | undefined): string {
  const protocol = protocolOf(port);
  return protocol === 'TCP' ? '' : ` (${protocol})`;
}

function paramRef(plan: DocPlan, last: string[]): string | undefined {
  const p = plan.params.find((x) => x.path.length >= last.length && last.every((s, i) => x.path[x.path.length - last.length + i] === s));
  return p ? valuesRef(p.path) : undefined;
}

/** A line printed as written: a literal "{{" must not start a template action. */
function literal(line: string): string {
  return line.replace(/\{\{/g, '{{`{{`}}');
}

export function notesTxt(
  plans: DocPlan[], extra: readonly string[] = [], namespaces?: NotesNamespaces, release?: ReleaseNames, hasTest = false,
): string {
  const name = (n: string, kind: string) => (release?.has(n, kind) ? release.text(n, kind) : n);
  const lines: string[] = [
    '{{ .Chart.Name }} {{ .Chart.Version }} is installed as release {{ .Release.Name }} in namespace {{ .Release.Namespace }}.',
    ...(release ? [`The objects are named after the release ({{ $fullname }}); a release named ${release.chartName} keeps the plain names.`] : []),
    '',
    ...(namespaces ? namespaceLines(namespaces) : []),
    ...secretLines(plans),
  ];
  const services = plans.filter((p) => p.doc.kind === 'Service');
  const ingresses = plans.filter((p) => p.doc.kind === 'Ingress');
  const port = (svc: DocPlan) => {
    const ref = paramRef(svc, ['port']);
    return ref ? `{{ ${ref} }}` : String(svc.doc.spec?.ports?.[0]?.port ?? '');
  };
  const portsOf = (svc: DocPlan): readonly ServicePortShape[] => (Array.isArray(svc.doc.spec?.ports) ? svc.doc.spec.ports : []);
  if (services.length > 0) {
    lines.push('Services inside the cluster:');
    for (const svc of services) {
      lines.push(`  ${name(String(svc.doc.metadata?.name), 'Service')}.{{ .Release.Namespace }}.svc.cluster.local:${port(svc)}${protocolNote(portsOf(svc)[0])}`);
    }
    lines.push('');
  }
  for (const ing of ingresses) {
    const enabled = paramRef(ing, ['enabled']);
    const host = paramRef(ing, ['hostname']);
    const tls = paramRef(ing, ['tls', 'enabled']);
    if (!enabled || !host) continue;
    const scheme = tls ? `http{{ if ${tls} }}s{{ end }}` : 'http';
    lines.push(`{{- if ${enabled} }}`, `The ${ing.doc.metadata?.name} Ingress serves:`, `  ${scheme}://{{ ${host} }}/`, '{{- end }}', '');
  }
  if (services.length > 0) {
    lines.push('To reach a Service from your machine:');
    for (const svc of services) {
      const typeRef = paramRef(svc, ['type']);
      const svcName = name(String(svc.doc.metadata?.name), 'Service');
      const ports = portsOf(svc);
      // kubectl port-forward carries TCP only: forward the first TCP port (the first port is a value).
      const tcpIndex = ports.findIndex((p) => protocolOf(p) === 'TCP');
      const first = ports[0];
      const protocols = [...new Set(ports.map(protocolOf))].join('/');
      let fwd: string;
      if (tcpIndex < 0) {
        fwd = `  # svc/${svcName} serves ${protocols || 'no port'} only, which kubectl port-forward does not carry (TCP only): `
          + 'reach it from a pod in the cluster, or through a LoadBalancer or NodePort Service';
      } else {
        const forwarded = ports[tcpIndex];
        const scheme = webScheme({ kind: 'Service', spec: { ports: [forwarded] } });
        const plainPort = typeof forwarded.port === 'number' && Number.isInteger(forwarded.port) ? forwarded.port : undefined;
        // A non-web port (a database) is forwarded to the same local port when it needs no root.
        const unprivileged = plainPort !== undefined && plainPort >= 1024;
        const local = scheme ? 8080 : (unprivileged ? plainPort : 10000 + (plainPort ?? 0));
        const hint = scheme ? `   # then open ${scheme}://127.0.0.1:${local}/` : `   # then connect to 127.0.0.1:${local}`;
        const remote = tcpIndex === 0 ? port(svc) : String(plainPort ?? '');
        const notTcp = [...new Set(ports.map(protocolOf).filter((p) => p !== 'TCP'))];
        const others = notTcp.length === 0 ? '' : `; its ${notTcp.join(' and ')} ports are not forwarded (kubectl port-forward carries TCP only)`;
        fwd = `  kubectl --namespace {{ .Release.Namespace }} port-forward svc/${svcName} ${local}:${remote}${hint}${others}`;
      }
      if (typeRef) {
        lines.push(
          `{{- if eq ${typeRef} "LoadBalancer" }}`,
          `  kubectl --namespace {{ .Release.Namespace }} get svc ${svcName} --watch   # wait for EXTERNAL-IP, then port ${port(svc)}${protocolNote(first)}`,
          `{{- else if eq ${typeRef} "NodePort" }}`,
          `  kubectl --namespace {{ .Release.Namespace }} get svc ${svcName} -o jsonpath="{.spec.ports[0].nodePort}"   # on any node's address`,
          '{{- else }}',
          fwd,
          '{{- end }}',
        );
      } else {
        lines.push(fwd);
      }
    }
  }
  if (hasTest) {
    if (lines[lines.length - 1] !== '') lines.push('');
    lines.push(
      'To check that every Service answers (where NetworkPolicies are enforced, set networkPolicy.allowTests=true first):',
      '  helm test {{ .Release.Name }} --namespace {{ .Release.Namespace }}',
    );
  }
  if (extra.length > 0) {
    if (lines[lines.length - 1] !== '') lines.push('');
    for (const line of extra) lines.push(...line.split(/\r?\n/).map(literal));
  }
  const text = `${lines.join('\n')}\n`;
  return withReleaseHeader(release, text);
}
