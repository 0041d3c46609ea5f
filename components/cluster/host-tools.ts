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
