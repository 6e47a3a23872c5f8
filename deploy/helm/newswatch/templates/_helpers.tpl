{{/* The chart's name, or nameOverride. */}}
{{- define "newswatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name of every object; stage objects append -<stage>. */}}
{{- define "newswatch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "newswatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "newswatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "newswatch.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "newswatch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: newswatch
{{- end }}

{{/* The pipeline in order, and what each consumer stage reads: topic suffix and group. */}}
{{- define "newswatch.stages" -}}
fetch: {}
extract: {topic: entries, group: newswatch-extract}
match: {topic: articles, group: newswatch-match}
deliver: {topic: matches, group: newswatch-deliver}
{{- end }}

{{- define "newswatch.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "newswatch.configMapName" -}}
{{- default (printf "%s-config" (include "newswatch.fullname" .)) .Values.config.existingConfigMap }}
{{- end }}

{{/* The Secret passed to every stage with envFrom, or "" for none. */}}
{{- define "newswatch.secretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else if .Values.secrets.env }}
{{- printf "%s-env" (include "newswatch.fullname" .) }}
{{- end }}
{{- end }}

{{- define "newswatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "newswatch.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The most replicas a consumer stage may have: its own cap, never above the partitions. */}}
{{- define "newswatch.maxReplicas" -}}
{{- $partitions := int .root.Values.kafka.partitions }}
{{- $max := int (default $partitions .stage.autoscaling.maxReplicas) }}
{{- if gt $max $partitions }}
{{- fail (printf "stages.%s.autoscaling.maxReplicas is %d but the topic has %d partitions (kafka.partitions): replicas past the partition count get no partitions and never become ready; lower it or add partitions" .name $max $partitions) }}
{{- end }}
{{- $max }}
{{- end }}
