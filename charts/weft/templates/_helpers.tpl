{{/* Object names: the release name when it already says "weft", else "<release>-weft". */}}
{{- define "weft.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 55 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 55 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* No helm.sh/chart or managed-by labels: deploy/weft.yaml is this output and is not managed by Helm. */}}
{{- define "weft.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: weft
{{- end -}}

{{- define "weft.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "weft.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* Where containers see the host's CNI directories; the install prefix keeps its host path. */}}
{{- define "weft.hostCniBin" -}}/host/cni/bin{{- end -}}
{{- define "weft.hostCniConf" -}}/host/cni/net.d{{- end -}}

{{/*
net-conf.json: Network and Backend.Type always; every other key only when set, so an unset
value means the agent's own default rather than a copy of it.
*/}}
{{- define "weft.netConf" -}}
{{- $b := .Values.backend -}}
{{- $backend := dict "Type" $b.type -}}
{{- if not (kindIs "invalid" $b.vni) }}{{ $_ := set $backend "VNI" $b.vni }}{{ end -}}
{{- if not (kindIs "invalid" $b.port) }}{{ $_ := set $backend "Port" $b.port }}{{ end -}}
{{- if not (kindIs "invalid" $b.mtu) }}{{ $_ := set $backend "MTU" $b.mtu }}{{ end -}}
{{- if not (kindIs "invalid" $b.directRouting) }}{{ $_ := set $backend "DirectRouting" $b.directRouting }}{{ end -}}
{{- if not (kindIs "invalid" $b.gbp) }}{{ $_ := set $backend "GBP" $b.gbp }}{{ end -}}
{{- $conf := dict "Network" .Values.podCidr "Backend" $backend -}}
{{- if not (kindIs "invalid" .Values.subnetLen) }}{{ $_ := set $conf "SubnetLen" .Values.subnetLen }}{{ end -}}
{{- $conf = mergeOverwrite $conf (deepCopy .Values.extraNetConf) -}}
{{- toPrettyJson $conf -}}
{{- end -}}

{{/* The agent's arguments; the e2e test checks each against the agent's picocli spec. */}}
{{- define "weft.agentArgs" -}}
- agent
- --net-config-path=/etc/kube-flannel/net-conf.json
- --subnet-file=/run/flannel/subnet.env
- {{ printf "--healthz-ip=%s" .Values.healthz.bindAddress | quote }}
- {{ printf "--healthz-port=%d" (int .Values.healthz.port) | quote }}
- {{ printf "--annotation-prefix=%s" .Values.annotationPrefix | quote }}
{{- if .Values.ipMasq }}
- --ip-masq
{{- end }}
{{- range .Values.iface }}
- {{ printf "--iface=%s" . | quote }}
{{- end }}
{{- with .Values.ifaceRegex }}
- {{ printf "--iface-regex=%s" . | quote }}
{{- end }}
{{- with .Values.ifaceCanReach }}
- {{ printf "--iface-can-reach=%s" . | quote }}
{{- end }}
{{- with .Values.deviceName }}
- {{ printf "--device-name=%s" . | quote }}
{{- end }}
{{- with .Values.resyncPeriod }}
- {{ printf "--resync-period=%s" . | quote }}
{{- end }}
{{- if .Values.disableTxChecksumOffload }}
- --disable-tx-checksum-offload
{{- end }}
{{- with .Values.logFormat }}
- {{ printf "--log-format=%s" . | quote }}
{{- end }}
{{- with .Values.logLevel }}
- {{ printf "--log-level=%s" . | quote }}
{{- end }}
{{- range .Values.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by the agent and the cleanup DaemonSets. */}}
{{- define "weft.podCommon" -}}
hostNetwork: true
priorityClassName: system-node-critical
securityContext:
  seccompProfile:
    type: RuntimeDefault
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Containers that only copy files: root owns the host directories, so no capability is needed. */}}
{{- define "weft.noCaps" -}}
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Netlink and iptables/nftables need exactly these two; nothing runs privileged. */}}
{{- define "weft.netCaps" -}}
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
  add: [NET_ADMIN, NET_RAW]
{{- end -}}
