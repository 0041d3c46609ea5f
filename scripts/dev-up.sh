#!/usr/bin/env bash
# Deploys (or, with "destroy", tears down; "preview" and "refresh" work too) the dev fleet on a
# local state backend: no Pulumi Cloud account or `pulumi login` needed. Other arguments go to
# pulumi, e.g. `npm run dev:up -- --yes`.
set -euo pipefail
cd "$(dirname "$0")/.."
action=up
case "${1:-}" in
  up | destroy | preview | refresh) action=$1; shift ;;
esac

for tool in pulumi docker kind; do
  command -v "$tool" >/dev/null 2>&1 || { echo "dev-up: '$tool' is not installed; see README.md, Prerequisites" >&2; exit 127; }
done
[ -d node_modules ] || npm ci --no-audit --no-fund

# State lives in ./.pulumi-state unless PULUMI_BACKEND_URL says otherwise.
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}"
mkdir -p .pulumi-state
# Secrets in a local stack (kubeconfigs) are encrypted with this passphrase.
if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  echo "dev-up: PULUMI_CONFIG_PASSPHRASE is not set; using an empty passphrase for the local dev stack" >&2
  export PULUMI_CONFIG_PASSPHRASE=""
fi

pulumi stack select --create --secrets-provider passphrase dev
pulumi "$action" --stack dev "$@"
