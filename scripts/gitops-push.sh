#!/usr/bin/env bash
# Publishes this repository's gitops/ folder to the platform's own git server (the repository
# Argo CD reads when platform:gitops.repoURL is not set), as one commit on top of what it holds.
#
#   npm run gitops:push -- --stack dev      # after changing an overlay: Argo CD syncs it
#
# Pulumi runs it too, to seed a new server: then GITOPS_KUBECONFIG holds the management
# cluster's kubeconfig. GITOPS_REMOTE (a clone URL) skips the port-forward.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
source_dir="${GITOPS_DIR:-$root/gitops}"
branch="${GITOPS_BRANCH:-main}"
# How long the port-forward may take to open.
forward_seconds="${GITOPS_FORWARD_SECONDS:-60}"
# Where the server is: namespace, Service and port (components/management/git-server.ts).
namespace=gitops service=git port=23232 repo=platform.git

fail() { echo "gitops-push: $*" >&2; exit 1; }
command -v git >/dev/null 2>&1 || fail "'git' was not found on PATH"
[[ -d "$source_dir" ]] || fail "no folder $source_dir to publish"

work="$(mktemp -d)"
forward_pid=""
cleanup() {
  [[ -n "$forward_pid" ]] && kill "$forward_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

stack=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stack) stack="${2:?--stack needs a name}"; shift 2 ;;
    *) fail "unknown argument $1 (usage: gitops-push.sh [--stack <name>])" ;;
  esac
done

remote="${GITOPS_REMOTE:-}"
if [[ -z "$remote" ]]; then
  command -v kubectl >/dev/null 2>&1 || fail "'kubectl' was not found on PATH"
  umask 077
  kubeconfig="$work/kubeconfig"
  if [[ -n "${GITOPS_KUBECONFIG:-}" ]]; then
    printf '%s' "$GITOPS_KUBECONFIG" >"$kubeconfig"
  else
    command -v pulumi >/dev/null 2>&1 || fail "'pulumi' was not found on PATH"
    # The management cluster's kubeconfig, from the stack's outputs.
    pulumi stack output --json --show-secrets ${stack:+--stack "$stack"} | node -e '
      const out = JSON.parse(require("fs").readFileSync(0, "utf8"));
      const mgmt = Object.values(out.clusters ?? {}).find((c) => c.role === "management");
      if (!mgmt || !out.kubeconfigs?.[mgmt.name]) { console.error("gitops-push: the stack has no management cluster output"); process.exit(1); }
      process.stdout.write(out.kubeconfigs[mgmt.name]);
    ' >"$kubeconfig"
  fi
  kubectl --kubeconfig "$kubeconfig" -n "$namespace" port-forward "svc/$service" ":$port" >"$work/forward.log" 2>&1 &
  forward_pid=$!
  local_port=""
  for _ in $(seq 1 "$forward_seconds"); do
    local_port="$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/forward.log" | head -n1)"
    [[ -n "$local_port" ]] && break
    kill -0 "$forward_pid" 2>/dev/null || fail "kubectl port-forward to $namespace/$service stopped: $(cat "$work/forward.log")"
    sleep 1
  done
  [[ -n "$local_port" ]] || fail "kubectl port-forward to $namespace/$service did not open within ${forward_seconds}s"
  remote="http://127.0.0.1:$local_port/$repo"
fi

export GIT_TERMINAL_PROMPT=0
clone="$work/repo"
if git ls-remote --exit-code "$remote" "refs/heads/$branch" >/dev/null 2>&1; then
  git clone --quiet --branch "$branch" "$remote" "$clone"
else
  # A new server: the first push creates the repository.
  git init --quiet "$clone"
  git -C "$clone" symbolic-ref HEAD "refs/heads/$branch"
fi
rm -rf "$clone/gitops"
cp -R "$source_dir" "$clone/gitops"
git -C "$clone" add --all
if git -C "$clone" diff --cached --quiet; then
  echo "gitops-push: $branch already holds this gitops/ folder"
  exit 0
fi
git -C "$clone" -c user.name=platform -c user.email=platform@localhost commit --quiet -m "Publish gitops/ from $(hostname)"
git -C "$clone" push --quiet "$remote" "HEAD:refs/heads/$branch"
echo "gitops-push: published gitops/ as $(git -C "$clone" rev-parse --short HEAD) on $branch"
