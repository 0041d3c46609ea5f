{{/*
"registry/repository:tag" of an image root ({registry, repository, tag, digest}); a digest wins over
the tag, the global registry over the image's, and the repository stands alone without a registry.
*/}}
{{- define "common.images.image" -}}
{{- $registry := .imageRoot.registry -}}
{{- if and .global .global.imageRegistry -}}{{- $registry = .global.imageRegistry -}}{{- end -}}
{{- $ref := .imageRoot.repository -}}
{{- if $registry -}}{{- $ref = printf "%s/%s" $registry $ref -}}{{- end -}}
{{- if .imageRoot.digest -}}
{{- printf "%s@%s" $ref (toString .imageRoot.digest) -}}
{{- else -}}
{{- printf "%s:%s" $ref (toString .imageRoot.tag) -}}
{{- end -}}
{{- end -}}

{{/* An imagePullSecrets list from the global and the images' pullSecrets; nothing when there are none. */}}
{{- define "common.images.pullSecrets" -}}
{{- $names := list -}}
{{- $all := list -}}
{{- if .global -}}{{- $all = concat $all (.global.imagePullSecrets | default list) -}}{{- end -}}
{{- range .images -}}{{- $all = concat $all (.pullSecrets | default list) -}}{{- end -}}
{{- range $all -}}
{{- if kindIs "map" . -}}{{- $names = append $names .name -}}{{- else -}}{{- $names = append $names . -}}{{- end -}}
{{- end -}}
{{- if $names }}
imagePullSecrets:
{{- range ($names | uniq) }}
  - name: {{ . }}
{{- end }}
{{- end -}}
{{- end -}}
