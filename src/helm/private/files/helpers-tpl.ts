/**
 * templates/_helpers.tpl: the usual named templates, prefixed with the chart name.
 *
 * The generated templates compute the release's names once at their top (no `include` per name, see
 * `release-names.ts`) and use only `<chart>.configValue`; the other helpers are there for templates
 * users add (they follow `helm create` and Bitnami, and agree with the generated names).
 */
import { FULLNAME_EXPR } from '../release-names';

export function helpersTpl(chartName: string): string {
  const n = chartName;
  return `{{/*
Name of the chart, at most 63 characters.
*/}}
{{- define "${n}.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified name of the release: fullnameOverride, else the release name when it contains the
chart name (or nameOverride), else <release>-<name>; at most 63 characters (a DNS-1123 label). Every
generated object name starts with it (the release named after the chart keeps the plain names).
*/}}
{{- define "${n}.fullname" -}}
{{- ${FULLNAME_EXPR} }}
{{- end }}

{{/*
Chart name and version, as used by the helm.sh/chart label ("+" is not allowed in label values).
*/}}
{{- define "${n}.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Standard labels.
*/}}
{{- define "${n}.labels" -}}
helm.sh/chart: {{ include "${n}.chart" . }}
{{ include "${n}.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
A ConfigMap entry as text: a number prints as written (a values file's integer, which YAML reads as a
float, prints without exponent: 10485760, not 1.048576e+07), a boolean as true or false.
*/}}
{{- define "${n}.configValue" -}}
{{- if and (kindIs "float64" .) (eq . (floor .)) (lt . 9007199254740992.0) (gt . -9007199254740992.0) -}}
{{- int64 . -}}
{{- else -}}
{{- . -}}
{{- end -}}
{{- end }}

{{/*
Selector labels: only values that never change between upgrades (no version, no chart label).
*/}}
{{- define "${n}.selectorLabels" -}}
app.kubernetes.io/name: {{ include "${n}.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
`;
}
