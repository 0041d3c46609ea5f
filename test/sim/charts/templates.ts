/**
 * The stand-in charts' templates: a Service with the Deployment behind it (the pods KWOK makes
 * Ready), and the fullname helper the real charts name their objects by. Used by ./content.ts.
 */
import type { Workload } from "./standins";

// Restricted Pod Security, whatever a namespace enforces.
const POD_SECURITY = [
  "      securityContext:",
  "        runAsNonRoot: true",
  "        runAsUser: 65532",
  "        seccompProfile:",
  "          type: RuntimeDefault",
];

function labelLines(labels: Record<string, string>, indent: number): string[] {
  return Object.entries(labels).map(([key, value]) => `${" ".repeat(indent)}${key}: "${value}"`);
}

/** The template of a workload: its Service (unless it has no type or ports) and its Deployment. */
export function workloadTemplate(w: Workload): string {
  const service = w.ports
    ? [
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        `  name: ${w.name}`,
        "  namespace: {{ .Release.Namespace }}",
        ...(w.metadata ? [w.metadata] : []),
        "spec:",
        `  type: ${w.type ?? "ClusterIP"}`,
        "  selector:",
        ...labelLines(w.selector, 4),
        "  ports:",
        w.ports,
        "---",
      ]
    : [];
  return [
    ...service,
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${w.name}`,
    "  namespace: {{ .Release.Namespace }}",
    "spec:",
    "  replicas: 1",
    "  selector:",
    "    matchLabels:",
    ...labelLines(w.selector, 6),
    "  template:",
    "    metadata:",
    "      labels:",
    ...labelLines(w.selector, 8),
    "    spec:",
    ...POD_SECURITY,
    "      containers:",
    "        - name: stand-in",
    "          image: registry.k8s.io/pause:3.10",
    "          securityContext:",
    "            allowPrivilegeEscalation: false",
    "            capabilities:",
    "              drop: [ALL]",
    "",
  ].join("\n");
}

/** Helm's usual fullname helper, with `fullnameOverride` only where the real chart has that value. */
export function fullnameHelper(kind: "override" | "plain"): string {
  return [
    '{{- define "standin.fullname" -}}',
    ...(kind === "override" ? ["{{- if .Values.fullnameOverride -}}", "{{- .Values.fullnameOverride | trunc 63 | trimSuffix \"-\" -}}", "{{- else if contains .Chart.Name .Release.Name -}}"] : ["{{- if contains .Chart.Name .Release.Name -}}"]),
    '{{- .Release.Name | trunc 63 | trimSuffix "-" -}}',
    "{{- else -}}",
    '{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}',
    "{{- end -}}",
    "{{- end -}}",
    "",
  ].join("\n");
}
