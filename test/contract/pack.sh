#!/usr/bin/env bash
# The contract as another team gets it: `npm pack` (which builds it), the tarball installed into
# scratch consumers on the lowest and the highest @pulumi/pulumi of its peer range, and there:
#   plain    the contract and the team's program on one SDK: examples/team-app and consumer.ts
#            type-check through the package's `exports` (nodenext), and the package loads (require
#            and import) and reads a fleet at run time;
#   crossed  the contract on the other end's SDK, as in a monorepo that hoists it beside another
#            copy: consumer.ts type-checks through `types` (node10), its StackReference a
#            FleetReference although the two SDKs' classes differ.
# Each SDK's install is cached by version in $PLATFORM_CONTRACT_CACHE (~/.cache/platform-contract).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
contract="$root/packages/contract"
cache="${PLATFORM_CONTRACT_CACHE:-$HOME/.cache/platform-contract}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version_of() { node -p "require('$root/node_modules/$1/package.json').version"; }
started=$SECONDS

range="$(node -p "require('$contract/package.json').peerDependencies['@pulumi/pulumi']")"
# Published versions in the range, oldest first: the two ends are what consumers may have.
read -r lowest highest < <(npm view "@pulumi/pulumi@$range" version --json | node -e '
  const all = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8")));
  const key = (v) => v.split(".").map((n) => n.padStart(6, "0")).join(".");
  all.sort((a, b) => key(a).localeCompare(key(b)));
  console.log(all[0], all[all.length - 1]);')
echo "contract: @pulumi/pulumi $range is $lowest … $highest"

# An SDK's scratch install, once per version: the SDK, and what the team's program and tsc need.
sdk() {
  local dir="$cache/pulumi-$1-kubernetes-$(version_of @pulumi/kubernetes)-ts-$(version_of typescript)-node-$(version_of @types/node)"
  if [[ ! -f "$dir/.installed" ]]; then
    mkdir -p "$dir"
    printf '{ "private": true, "dependencies": { "@pulumi/pulumi": "%s", "@pulumi/kubernetes": "%s", "typescript": "%s", "@types/node": "%s" } }\n' \
      "$1" "$(version_of @pulumi/kubernetes)" "$(version_of typescript)" "$(version_of @types/node)" >"$dir/package.json"
    (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
    touch "$dir/.installed"
  fi
  echo "$dir"
}
low_sdk="$(sdk "$lowest")"
high_sdk="$(sdk "$highest")"
echo "contract: SDK installs ready ($((SECONDS - started)) s)"

# Pack: prepack builds dist/ from src/, so the tarball's declarations are the sources' own.
packed="$(cd "$contract" && npm pack --json --pack-destination "$work" --loglevel=error)"
tarball="$work/$(node -p 'JSON.parse(process.argv[1])[0].filename' "$packed")"
files="$(node -p 'JSON.parse(process.argv[1])[0].files.map((f) => f.path).sort().join(" ")' "$packed")"
for file in CHANGELOG.md LICENSE README.md package.json dist/index.d.ts dist/index.js; do
  [[ " $files " == *" $file "* ]] || { echo "contract: the tarball lacks $file: $files" >&2; exit 1; }
done
stray="$(tr ' ' '\n' <<<"$files" | grep -Ev '^(CHANGELOG\.md|LICENSE|README\.md|package\.json|dist/[a-z][a-z-]*\.(js|d\.ts))$' || true)"
[[ -z "$stray" ]] || { echo "contract: the tarball holds more than the package: $stray" >&2; exit 1; }
for dir in "$low_sdk" "$high_sdk"; do
  (cd "$dir" && npm install --no-save --offline --legacy-peer-deps --no-audit --no-fund --ignore-scripts --loglevel=error "$tarball" >/dev/null)
done
echo "contract: packed $(basename "$tarball") and installed it ($((SECONDS - started)) s)"

tsconfig() {
  printf '{ "compilerOptions": { "strict": true, "target": "es2022", "module": "%s", "moduleResolution": "%s", "skipLibCheck": true, "noEmit": true, "types": ["node"] }, "files": [%s] }\n' "$@"
}
# The checks of one end of the range, which its SDK's install holds: plain on its own SDK, crossed
# with the contract resolved beside the other end's.
check() {
  local name="$1" tsc="$2/node_modules/.bin/tsc"
  if (cd "$work/$name" && "$tsc" -p . >"$work/$name.log" 2>&1); then
    echo "contract: $name type-checks"
  else
    echo "contract: $name does not type-check:"
    cat "$work/$name.log"
    return 1
  fi
}
end_checks() {
  local own="$1" other="$2" failed=0 sdk_version plain crossed
  sdk_version="$(node -p "require('$own/node_modules/@pulumi/pulumi/package.json').version")"

  plain="plain-$sdk_version"
  mkdir -p "$work/$plain"
  ln -s "$own/node_modules" "$work/$plain/node_modules"
  cp "$root/examples/team-app/index.ts" "$root/examples/team-app/app.ts" "$root/test/contract/consumer.ts" "$work/$plain/"
  tsconfig nodenext nodenext '"index.ts", "app.ts", "consumer.ts"' >"$work/$plain/tsconfig.json"
  check "$plain" "$own" || failed=1
  (cd "$work/$plain" && node -e '
    const assert = require("assert");
    const pulumi = require("@pulumi/pulumi");
    const contract = require("@platform/contract");
    assert.strictEqual(contract.CONTRACT_VERSION, require("@platform/contract/package.json").version);
    const of = (name) => pulumi.output({ contractVersion: contract.CONTRACT_VERSION, clusters: { west: { name: "west", role: "workload" } } }[name]);
    contract.workloadClusters(contract.readFleet({ getOutput: of, requireOutput: of })).apply((w) => assert.deepStrictEqual(w.map((c) => c.name), ["west"]));
  ' && node --input-type=module -e 'import { readFleet, CONTRACT_VERSION } from "@platform/contract"; if (typeof readFleet !== "function" || !CONTRACT_VERSION) process.exit(1);') ||
    { echo "contract: the package does not load on @pulumi/pulumi $sdk_version"; failed=1; }

  crossed="crossed-$sdk_version"
  mkdir -p "$work/$crossed/node_modules/@pulumi" "$work/$crossed/node_modules/@platform" "$work/$crossed/node_modules/@types"
  ln -s "$own/node_modules/@pulumi/pulumi" "$work/$crossed/node_modules/@pulumi/pulumi"
  ln -s "$own/node_modules/@types/node" "$work/$crossed/node_modules/@types/node"
  ln -s "$other/node_modules/@platform/contract" "$work/$crossed/node_modules/@platform/contract"
  cp "$root/test/contract/consumer.ts" "$work/$crossed/"
  tsconfig commonjs node '"consumer.ts"' >"$work/$crossed/tsconfig.json"
  check "$crossed" "$own" || failed=1
  return "$failed"
}

# Both ends at once (tsc is single-threaded), each reported whole.
failed=0
end_checks "$low_sdk" "$high_sdk" >"$work/low.out" 2>&1 &
low=$!
end_checks "$high_sdk" "$low_sdk" >"$work/high.out" 2>&1 &
high=$!
wait "$low" || failed=1
wait "$high" || failed=1
cat "$work/low.out" "$work/high.out"
echo "contract: done in $((SECONDS - started)) s"
exit "$failed"
