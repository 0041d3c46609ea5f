import * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";

/** Command-line tools the program drives on the host running Pulumi, with where to get them. */
const INSTALL_HINTS = {
  docker: "install Docker (https://docs.docker.com/get-docker/) and start it",
  kind: "install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)",
  kubectl: "install kubectl (https://kubernetes.io/docs/tasks/tools/)",
  aws: "install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)",
  curl: "install curl",
} as const;

export type HostTool = keyof typeof INSTALL_HINTS;

/**
 * Shell lines that stop with a clear message when a tool is missing or Docker is not running,
 * instead of a bare "command not found" deep in a create.
 */
export function requireTools(tools: readonly HostTool[]): string {
  const checks = tools.map(
    (tool) =>
      `command -v ${tool} >/dev/null 2>&1 || { echo "platform: '${tool}' was not found on PATH: ${INSTALL_HINTS[tool]}" >&2; exit 127; }`,
  );
  if (tools.includes("docker")) {
    checks.push(
      `docker info >/dev/null 2>&1 || { echo "platform: cannot reach the Docker engine: start Docker and retry" >&2; exit 1; }`,
    );
  }
  return ["set -euo pipefail", ...checks].join("\n");
}

/**
 * Shell lines for a script that drives a cluster's API: the kubeconfig in $KUBECONFIG_DATA
 * written to a scratch file removed on exit, and `k`, kubectl with it and a 30 s request timeout.
 */
export const KUBECTL_FROM_ENV = `${requireTools(["kubectl"])}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '%s' "$KUBECONFIG_DATA" > "$scratch/kubeconfig"
k() { kubectl --kubeconfig "$scratch/kubeconfig" --request-timeout=30s "$@"; }`;

/**
 * A step that runs only on destroy: creating it does nothing, and what depends on it is deleted
 * before `script` runs (with `environment`, in bash), so it can wait for, or clean up after, what
 * went first. No input forces a replacement, which would run the script on a live fleet.
 */
export function destroyStep(
  name: string,
  script: string,
  environment: Record<string, pulumi.Input<string>>,
  opts: pulumi.CustomResourceOptions,
  /** What the provider keeps of the script's output. Default: the provider's (stdout and stderr). */
  logging?: "stderr",
): command.local.Command {
  return new command.local.Command(
    name,
    { create: "true", delete: script, interpreter: ["/bin/bash", "-c"], environment, addPreviousOutputInEnv: false, ...(logging ? { logging } : {}) },
    opts,
  );
}
