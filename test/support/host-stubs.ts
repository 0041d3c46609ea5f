import { spawnSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/**
 * A PATH holding only fake `kind`/`docker` binaries (that log their calls and keep state in
 * files) and the few system tools the scripts use, so the real scripts run offline.
 */
export interface HostStubs {
  dir: string;
  /** Every stub call, one line each. */
  calls(): string[];
  /** Runs a script with the stubs, the given environment and nothing else on PATH. */
  run(script: string, env: Record<string, string>, args?: string[]): { status: number | null; stdout: string; stderr: string };
  set(file: string, content: string): void;
  get(file: string): string | undefined;
}

const SYSTEM_TOOLS = ["bash", "mktemp", "grep", "sleep", "cat", "rm", "head", "tail", "tr", "dirname", "mkdir"];

const KIND = `#!/bin/bash
echo "kind $*" >> "$STUBS/calls"
name=""; args=("$@")
for i in "\${!args[@]}"; do [ "\${args[$i]}" = "--name" ] && name="\${args[$((i+1))]}"; done
case "$1 $2" in
  "get clusters") cat "$STUBS/clusters" 2>/dev/null; exit 0 ;;
  "version ") echo "kind $(cat "$STUBS/kind-version" 2>/dev/null || echo v0.0.0-stub) go1.25.1 linux/amd64"; exit 0 ;;
  "create cluster")
    cat > "$STUBS/config-$name"
    failures=$(cat "$STUBS/create-failures" 2>/dev/null || echo 0)
    if [ "$failures" -gt 0 ]; then echo $((failures - 1)) > "$STUBS/create-failures"; echo "node boot timed out" >&2; exit 1; fi
    echo "$name" >> "$STUBS/clusters"; exit 0 ;;
  "get kubeconfig") grep -qx "$name" "$STUBS/clusters" 2>/dev/null || { echo "no cluster $name" >&2; exit 1; }; echo "kubeconfig-of-$name"; exit 0 ;;
  "delete cluster") grep -vx "$name" "$STUBS/clusters" > "$STUBS/clusters.new" 2>/dev/null; cat "$STUBS/clusters.new" > "$STUBS/clusters" 2>/dev/null; exit 0 ;;
esac
exit 2
`;

/** Logs its arguments and the secrets-related environment it saw. */
const PULUMI = `#!/bin/bash
echo "pulumi $* [backend=$PULUMI_BACKEND_URL passphrase=\${PULUMI_CONFIG_PASSPHRASE-unset}\${PULUMI_K8S_DELETE_UNREACHABLE:+ delete-unreachable}]" >> "$STUBS/calls"
`;

const DOCKER = `#!/bin/bash
echo "docker $*" >> "$STUBS/calls"
case "$1 $2" in
  "info ") [ -e "$STUBS/docker-down" ] && exit 1; exit 0 ;;
  "network inspect") [ -e "$STUBS/network" ] || exit 1; [ -n "$4" ] && cat "$STUBS/network"; exit 0 ;;
  "network create") for a in "$@"; do [ "$prev" = "--subnet" ] && printf '%s\\nfc00::/64\\n' "$a" > "$STUBS/network"; prev="$a"; done; exit 0 ;;
esac
[ "$1" = "info" ] && { [ -e "$STUBS/docker-down" ] && exit 1; exit 0; }
exit 2
`;

/**
 * elbv2: answers each call with the next line of $STUBS/lbs (the NLBs still in the VPC, going
 * away); logs: a group exists once created, or if $STUBS/log-group-exists says so; sts: $STUBS/caller.
 */
const AWS = `#!/bin/bash
echo "aws $*" >> "$STUBS/calls"
case "$1 $2" in
  "elbv2 describe-load-balancers")
    [ -s "$STUBS/lbs" ] || exit 0
    head -n 1 "$STUBS/lbs" | tr -d '\\n'
    tail -n +2 "$STUBS/lbs" > "$STUBS/lbs.next"; cat "$STUBS/lbs.next" > "$STUBS/lbs" ;;
  "logs create-log-group")
    if [ -e "$STUBS/log-group-exists" ]; then
      echo "An error occurred (ResourceAlreadyExistsException) when calling the CreateLogGroup operation: The specified log group already exists" >&2
      exit 254
    fi
    : > "$STUBS/log-group-exists" ;;
  "logs put-retention-policy") ;;
  "sts get-caller-identity") cat "$STUBS/caller" ;;
  *) exit 2 ;;
esac
`;

/** Answers each call with the next HTTP code of $STUBS/codes; 000 is a failed connection. */
const CURL = `#!/bin/bash
echo "curl $*" >> "$STUBS/calls"
code=$(head -n 1 "$STUBS/codes" 2>/dev/null); code=\${code:-000}
tail -n +2 "$STUBS/codes" > "$STUBS/codes.next" 2>/dev/null; cat "$STUBS/codes.next" > "$STUBS/codes" 2>/dev/null
printf '%s' "$code"
[ "$code" = "000" ] && exit 6
exit 0
`;

/**
 * `apply` refuses as many calls as $STUBS/kubectl-failures says (a webhook not serving yet), then
 * accepts. The rest is a fake API for one namespace: `api-resources` answers $STUBS/served, and
 * $STUBS/objects holds a line per object, `<kind>/<name> <finalizer>...`; with
 * $STUBS/discovery-partial, `api-resources` also fails as when an aggregated API is unavailable.
 * `get --raw` answers `{}`. `delete --all` drops
 * those without finalizers and marks the rest deleted; while $STUBS/controller-runs exists, their
 * controller then finalizes them; `patch` sets an object's finalizers. $STUBS/api-down refuses all.
 */
const KUBECTL = `#!/bin/bash
echo "kubectl $*" >> "$STUBS/calls"
if [ -e "$STUBS/api-down" ]; then
  echo "Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused" >&2
  exit 1
fi
args=("$@")
for i in "\${!args[@]}"; do
  case "\${args[$i]}" in
    apply | api-resources | delete | get | patch) verb=\${args[$i]}; target=\${args[$((i+1))]}; break ;;
  esac
done
: >> "$STUBS/objects"
case "$verb" in
  apply)
    cat > "$STUBS/kubectl-stdin"
    failures=$(cat "$STUBS/kubectl-failures" 2>/dev/null || echo 0)
    if [ "$failures" -gt 0 ]; then
      echo $((failures - 1)) > "$STUBS/kubectl-failures"
      echo 'Error from server (InternalError): failed calling webhook "ipaddresspoolvalidationwebhook.metallb.io"' >&2
      exit 1
    fi
    echo "ipaddresspool.metallb.io/platform created (server dry run)" ;;
  api-resources)
    cat "$STUBS/served" 2>/dev/null || true
    if [ -e "$STUBS/discovery-partial" ]; then
      echo "error: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request" >&2
      exit 1
    fi ;;
  delete)
    : > "$STUBS/deleted"
    grep ' ' "$STUBS/objects" > "$STUBS/objects.next"; cat "$STUBS/objects.next" > "$STUBS/objects" ;;
  get)
    [ "$target" = --raw ] && { echo '{}'; exit 0; }
    if [ -e "$STUBS/deleted" ] && [ -e "$STUBS/controller-runs" ]; then : > "$STUBS/objects"; fi
    if [ "$target" = "\${target%/*}" ]; then
      while read -r name _; do echo "$name"; done < "$STUBS/objects"
    else
      while read -r name finalizers; do [ "$name" = "$target" ] && echo "$finalizers"; done < "$STUBS/objects"
    fi ;;
  patch)
    payload=\${args[$((\${#args[@]} - 1))]}
    list=\${payload#*[}; list=\${list%]*}; list=\${list//\\"/}; list=\${list//,/ }
    while read -r name finalizers; do
      if [ "$name" != "$target" ]; then echo "$name\${finalizers:+ $finalizers}"
      elif [ -n "$list" ] || [ ! -e "$STUBS/deleted" ]; then echo "$name\${list:+ $list}"; fi
    done < "$STUBS/objects" > "$STUBS/objects.next"
    cat "$STUBS/objects.next" > "$STUBS/objects" ;;
esac
`;

/** Where each system tool is on this host: looked up once (a shell per tool), not per stub directory. */
let systemTools: Map<string, string> | undefined;
function systemToolPaths(): Map<string, string> {
  systemTools ??= new Map(SYSTEM_TOOLS.map((tool) => [tool, spawnSync("bash", ["-c", `command -v ${tool}`]).stdout.toString().trim()]));
  return systemTools;
}

export function hostStubs(options: { tools?: ("kind" | "docker" | "pulumi" | "aws" | "curl" | "kubectl")[] } = {}): HostStubs {
  const dir = mkdtempSync(join(tmpdir(), "platform-stubs-"));
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  for (const [tool, found] of systemToolPaths()) symlinkSync(found, join(bin, tool));
  const stubs = { kind: KIND, docker: DOCKER, pulumi: PULUMI, aws: AWS, curl: CURL, kubectl: KUBECTL };
  for (const tool of options.tools ?? ["kind", "docker"]) {
    writeFileSync(join(bin, tool), stubs[tool]);
    chmodSync(join(bin, tool), 0o755);
  }
  const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : undefined);
  return {
    dir,
    calls: () => (read("calls") ?? "").split("\n").filter(Boolean),
    set: (file, content) => writeFileSync(join(dir, file), content),
    get: read,
    run(script, env, args = []) {
      const result = spawnSync(join(bin, "bash"), ["-c", script, "script", ...args], {
        env: { ...env, PATH: bin, STUBS: dir, TMPDIR: dir },
        encoding: "utf8",
        timeout: 20000,
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
}
