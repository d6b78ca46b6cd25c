{{/*
Name of the chart, at most 63 characters.
*/}}
{{- define "shop.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified name of the release: fullnameOverride, else the release name when it contains the
chart name (or nameOverride), else <release>-<name>; at most 63 characters (a DNS-1123 label). Every
generated object name starts with it (the release named after the chart keeps the plain names).
*/}}
{{- define "shop.fullname" -}}
{{- .Values.fullnameOverride | default (ternary .Release.Name (printf "%s-%s" .Release.Name (.Values.nameOverride | default .Chart.Name)) (contains (.Values.nameOverride | default .Chart.Name) .Release.Name)) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Chart name and version, as used by the helm.sh/chart label ("+" is not allowed in label values).
*/}}
{{- define "shop.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Standard labels.
*/}}
{{- define "shop.labels" -}}
helm.sh/chart: {{ include "shop.chart" . }}
{{ include "shop.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
A ConfigMap entry as text: a number prints as written (a values file's integer, which YAML reads as a
float, prints without exponent: 10485760, not 1.048576e+07), a boolean as true or false.
*/}}
{{- define "shop.configValue" -}}
{{- if and (kindIs "float64" .) (eq . (floor .)) (lt . 9007199254740992.0) (gt . -9007199254740992.0) -}}
{{- int64 . -}}
{{- else -}}
{{- . -}}
{{- end -}}
{{- end }}

{{/*
Selector labels: only values that never change between upgrades (no version, no chart label).
*/}}
{{- define "shop.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shop.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
