#!/usr/bin/env bash
# Deploys (or, with "destroy", tears down; "preview" and "refresh" work too) the dev fleet on a
# local state backend: no Pulumi Cloud account or `pulumi login` needed. Other arguments go to
# pulumi, e.g. `npm run dev:up -- --yes`. PLATFORM_STACK picks another stack of the dev composition
# (a second fleet on this workstation): PLATFORM_STACK=dev2 npm run dev:up.
set -euo pipefail
cd "$(dirname "$0")/.."
action=up
case "${1:-}" in
  up | destroy | preview | refresh) action=$1; shift ;;
esac

for tool in pulumi docker kind; do
  command -v "$tool" >/dev/null 2>&1 || { echo "dev-up: '$tool' is not installed; see README.md, Prerequisites" >&2; exit 127; }
done

# The node image is pinned for one kind release (KIND_VERSION in components/versions.ts): another
# kind may fail to boot it. Deleting clusters works with any kind.
if [ "$action" != destroy ] && [ -z "${PLATFORM_SKIP_KIND_VERSION_CHECK:-}" ]; then
  want=""
  while IFS= read -r line; do
    [[ $line =~ ^export\ const\ KIND_VERSION\ =\ \"([^\"]+)\"\; ]] && want=${BASH_REMATCH[1]}
  done < components/versions.ts
  read -r _ have _ <<<"$(kind version 2>/dev/null || true)"
  if [ "${have:-}" != "$want" ]; then
    echo "dev-up: kind ${have:-(unknown version)} is installed, but the pinned node image is for kind $want: install kind $want, or set PLATFORM_SKIP_KIND_VERSION_CHECK=1 to try anyway" >&2
    exit 1
  fi
fi
[ -d node_modules ] || npm ci --no-audit --no-fund

# State lives in ./.pulumi-state unless PULUMI_BACKEND_URL says otherwise.
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}"
mkdir -p .pulumi-state
# Secrets in a local stack (kubeconfigs) are encrypted with this passphrase.
if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  echo "dev-up: PULUMI_CONFIG_PASSPHRASE is not set; using an empty passphrase for the local dev stack" >&2
  export PULUMI_CONFIG_PASSPHRASE=""
fi

stack="${PLATFORM_STACK:-dev}"
pulumi stack select --create --secrets-provider passphrase "$stack"
if [ "$action" = destroy ]; then
  # A kind cluster deleted by hand holds objects nobody can delete any more, and a Helm release
  # is never deleted on an unreachable cluster. Refreshing with deletion of unreachable objects,
  # for this teardown only, drops them from the state first.
  export PULUMI_K8S_DELETE_UNREACHABLE=true
  pulumi refresh --stack "$stack" --yes
fi
pulumi "$action" --stack "$stack" "$@"
