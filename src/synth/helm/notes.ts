/**
 * templates/NOTES.txt: the in-cluster DNS names of the Services, how to reach the app, and the
 * chart author's own lines (`HelmChart` prop `notes`), printed as written.
 */
import { DocPlan, valuesRef } from './model';

function paramRef(plan: DocPlan, last: string[]): string | undefined {
  const p = plan.params.find((x) => x.path.length >= last.length && last.every((s, i) => x.path[x.path.length - last.length + i] === s));
  return p ? valuesRef(p.path) : undefined;
}

/** A line printed as written: a literal "{{" must not start a template action. */
function literal(line: string): string {
  return line.replace(/\{\{/g, '{{`{{`}}');
}

export function notesTxt(plans: DocPlan[], extra: readonly string[] = []): string {
  const lines: string[] = [
    '{{ .Chart.Name }} {{ .Chart.Version }} is installed as release {{ .Release.Name }} in namespace {{ .Release.Namespace }}.',
    '',
  ];
  const services = plans.filter((p) => p.doc.kind === 'Service');
  const ingresses = plans.filter((p) => p.doc.kind === 'Ingress');
  const port = (svc: DocPlan) => {
    const ref = paramRef(svc, ['port']);
    return ref ? `{{ ${ref} }}` : String(svc.doc.spec?.ports?.[0]?.port ?? '');
  };
  if (services.length > 0) {
    lines.push('Services inside the cluster:');
    for (const svc of services) {
      lines.push(`  ${svc.doc.metadata.name}.{{ .Release.Namespace }}.svc.cluster.local:${port(svc)}`);
    }
    lines.push('');
  }
  for (const ing of ingresses) {
    const enabled = paramRef(ing, ['enabled']);
    const host = paramRef(ing, ['hostname']);
    const tls = paramRef(ing, ['tls', 'enabled']);
    if (!enabled || !host) continue;
    const scheme = tls ? `http{{ if ${tls} }}s{{ end }}` : 'http';
    lines.push(`{{- if ${enabled} }}`, `The ${ing.doc.metadata.name} Ingress serves:`, `  ${scheme}://{{ ${host} }}/`, '{{- end }}', '');
  }
  if (services.length > 0) {
    lines.push('To reach a Service from your machine:');
    for (const svc of services) {
      const typeRef = paramRef(svc, ['type']);
      const fwd = `  kubectl --namespace {{ .Release.Namespace }} port-forward svc/${svc.doc.metadata.name} 8080:${port(svc)}   # then open http://127.0.0.1:8080/`;
      if (typeRef) {
        lines.push(
          `{{- if eq ${typeRef} "LoadBalancer" }}`,
          `  kubectl --namespace {{ .Release.Namespace }} get svc ${svc.doc.metadata.name} --watch   # wait for EXTERNAL-IP, then port ${port(svc)}`,
          `{{- else if eq ${typeRef} "NodePort" }}`,
          `  kubectl --namespace {{ .Release.Namespace }} get svc ${svc.doc.metadata.name} -o jsonpath="{.spec.ports[0].nodePort}"   # on any node's address`,
          '{{- else }}',
          fwd,
          '{{- end }}',
        );
      } else {
        lines.push(fwd);
      }
    }
  }
  if (extra.length > 0) {
    if (lines[lines.length - 1] !== '') lines.push('');
    for (const line of extra) lines.push(...line.split(/\r?\n/).map(literal));
  }
  return `${lines.join('\n')}\n`;
}
