#!/usr/bin/env bash
# Builds the real engines of the test tiers from the registries, at the versions pinned in
# test/engines/versions.json, into a cache keyed by version (nothing is rebuilt that is there):
#   - the Pulumi CLI (github.com/pulumi/pulumi/pkg/v3, in a wrapper module: pkg/v3 replaces sdk/v3
#     by a relative path that a module download does not have);
#   - the kubernetes provider (its module lacks two generated files its main package embeds: made
#     in a copy, from the files beside them, as the provider's own go:generate step makes them);
#   - helm;
#   - kube-apiserver per Kubernetes version (k8s.io/kubernetes in a wrapper module that replaces
#     each staging module by its published release);
#   - karmada-check, this project's own checker that runs Karmada's webhooks on objects
#     (test/engines/karmada-check);
#   - the Go modules that carry the CRDs of the pinned releases (downloaded, not built);
#   - etcd from Debian's etcd-server (installed with apt-get when missing).
# Writes $PLATFORM_ENGINES_CACHE/manifest.json: where each tool and CRD folder is. One line per tool.
#
# Usage: test/engines/build.sh [tool ...]   (tools: pulumi kubernetes-provider helm kube-apiserver
#        karmada-check crds etcd; default all). Env: PLATFORM_ENGINES_CACHE (default
#        ~/.cache/platform-engines).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${PLATFORM_ENGINES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/platform-engines}
mkdir -p "$cache"
export GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=mod"
command -v go >/dev/null || { echo "test/engines/build.sh: needs Go (the engines are built from the Go module proxy)" >&2; exit 1; }
command -v node >/dev/null || { echo "test/engines/build.sh: needs Node.js" >&2; exit 1; }

pin() { node -e "const x=require('$here/versions.json'); const r=$1; process.stdout.write(typeof r==='string'?r:JSON.stringify(r))"; }
say() { printf '[engines] %-20s %s\n' "$1" "$2" >&2; }
# Runs a build step unless its output exists; the output appears only when the step succeeded.
built() { # name version output -- command...
  local name=$1 version=$2 out=$3; shift 4
  if [ -e "$out" ]; then say "$name" "$version: cached"; return; fi
  local start=$SECONDS log="$cache/logs/$name-${version%% *}.log"
  mkdir -p "$cache/logs"
  say "$name" "$version: building (log: $log)"
  # Not in a condition: there bash would ignore `set -e` inside the step, and a failed command
  # would let the next one run on what it left.
  set +e; ("$@") >"$log" 2>&1; local rc=$?; set -e
  if [ "$rc" -ne 0 ] || [ ! -e "$out" ]; then
    tail -n 40 "$log" >&2
    say "$name" "$version: FAILED"
    exit 1
  fi
  say "$name" "$version: built in $((SECONDS - start)) s"
}
moddir() { (cd "$cache" && go mod download -json "$1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}process.stdout.write(j.Dir)})'); }
gover() { grep -m1 -E '^go [0-9]' "$1" | cut -d' ' -f2; }
# Where each tool lives in the cache: one folder per pinned version (and per source, for our checker).
pulumi_bin() { echo "$cache/pulumi-$(pin x.pulumi)/bin/pulumi"; }
provider_bin() { echo "$cache/kubernetes-provider-$(pin x.kubernetesProvider.plugin)-$(pin x.kubernetesProvider.version)-$(pin x.kubernetesProvider.sdkVersion)/bin/pulumi-resource-kubernetes"; }
helm_bin() { echo "$cache/helm-$(pin x.helm)/bin/helm"; }
apiserver_bin() { echo "$cache/kubernetes-$1/bin/kube-apiserver"; }
checker_bin() { echo "$cache/karmada-check-$(pin x.karmada)-$(cat "$here/karmada-check/"* | sha256sum | cut -c1-12)/bin/karmada-check"; }

build_pulumi() {
  local v out; v=$(pin x.pulumi); out=$(pulumi_bin)
  _pulumi() {
    local w="$cache/pulumi-$v/src" pkg; rm -rf "$w"; mkdir -p "$w"; pkg=$(moddir "github.com/pulumi/pulumi/pkg/v3@$v")
    {
      echo "module platform.invalid/engines/pulumi"; echo "go $(gover "$pkg/go.mod")"
      printf 'require (\n\tgithub.com/pulumi/pulumi/pkg/v3 %s\n\tgithub.com/pulumi/pulumi/sdk/v3 %s\n)\n' "$v" "$v"
      # pkg/v3's own non-local replacements hold only where it is the main module: copy them.
      grep -E '^replace .* => [^.]' "$pkg/go.mod" || true
    } >"$w/go.mod"
    (cd "$w" && go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$v" >/dev/null 2>&1 || go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$v"
     go build -trimpath -o "$out.tmp" -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
    mv "$out.tmp" "$out"
  }
  mkdir -p "$(dirname "$out")"; built pulumi "$v" "$out" -- _pulumi
}

build_kubernetes_provider() {
  local mod ver sdk plugin; mod=$(pin x.kubernetesProvider.module); ver=$(pin x.kubernetesProvider.version)
  sdk=$(pin x.kubernetesProvider.sdkVersion); plugin=$(pin x.kubernetesProvider.plugin)
  # Keyed by every pin that goes into the binary: the module, the SDK it builds with, the version it reports.
  local out; out=$(provider_bin)
  _kp() {
    local w; w="$(dirname "$(dirname "$out")")/src"; local src; rm -rf "$w"; mkdir -p "$w"; src=$(moddir "$mod@$ver")
    cp -r "$src/." "$w/"; chmod -R u+w "$w"
    # The provider's generate step: the schema with the release's version, the mapping as is.
    (cd "$w/cmd/pulumi-resource-kubernetes" && node -e '
      const fs=require("fs"); const s=JSON.parse(fs.readFileSync("schema.json")); s.version=process.argv[1];
      fs.writeFileSync("schema-embed.json", JSON.stringify(s));
      fs.writeFileSync("terraform-mapping-embed.json", JSON.stringify(JSON.parse(fs.readFileSync("terraform-mapping.json"))));' "$plugin")
    # Its go.mod points the SDK at a sibling folder of the repository: take the required release.
    (cd "$w" && go mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 -require "github.com/pulumi/pulumi-kubernetes/sdk/v4@$sdk" \
      && go build -trimpath -o "$out.tmp" -ldflags "-s -w -X $mod/pkg/version.Version=$plugin" ./cmd/pulumi-resource-kubernetes)
    mv "$out.tmp" "$out"
  }
  mkdir -p "$(dirname "$out")"; built kubernetes-provider "$ver ($plugin)" "$out" -- _kp
}

build_helm() {
  local v out; v=$(pin x.helm); out=$(helm_bin)
  _helm() {
    local bin; bin=$(mktemp -d "$cache/helm-$v/tmp.XXXXXX")
    GOBIN="$bin" go install -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$v" "helm.sh/helm/v3/cmd/helm@$v"
    mv "$bin/helm" "$out" && rm -rf "$bin"
  }
  mkdir -p "$(dirname "$out")"; built helm "$v" "$out" -- _helm
}

build_kube_apiserver() {
  local v; for v in $(pin 'Object.values(x.kubernetes).join(" ")' | tr ' ' '\n' | sort -u); do
    local out; out=$(apiserver_bin "$v")
    _kas() {
      local w="$cache/kubernetes-$v/src" k8s minor; rm -rf "$w"; mkdir -p "$w"; k8s=$(moddir "k8s.io/kubernetes@$v")
      minor=$(echo "$v" | cut -d. -f2)
      {
        echo "module platform.invalid/engines/kubernetes"; echo "go $(gover "$k8s/go.mod")"
        echo "require k8s.io/kubernetes $v"
        # Each staging module (./staging/src/k8s.io/X in the repository) at its published release.
        sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#replace \1 => \1 v0.'"${v#v1.}"'#p' "$k8s/go.mod"
      } >"$w/go.mod"
      (cd "$w" && go get "k8s.io/kubernetes/cmd/kube-apiserver@$v" >/dev/null 2>&1 || go get "k8s.io/kubernetes/cmd/kube-apiserver@$v"
       go build -trimpath -o "$out.tmp" -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$v -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean" k8s.io/kubernetes/cmd/kube-apiserver)
      mv "$out.tmp" "$out"
    }
    mkdir -p "$(dirname "$out")"; built kube-apiserver "$v" "$out" -- _kas
  done
}

build_karmada_check() {
  # Keyed by the checker's own sources too: a change to them rebuilds it.
  local v out; v=$(pin x.karmada); out=$(checker_bin)
  _kc() { (cd "$here/karmada-check" && go build -trimpath -o "$out.tmp" -ldflags "-s -w" .); mv "$out.tmp" "$out"; }
  mkdir -p "$(dirname "$out")"; built karmada-check "$v" "$out" -- _kc
}

download_crds() {
  local names n; names=$(pin 'Object.keys(x.crdModules).join(" ")')
  for n in $names; do
    local m; m="$(pin "x.crdModules.$n.module")@$(pin "x.crdModules.$n.version")"
    moddir "$m" >/dev/null || { say crds "$m: FAILED"; exit 1; }
    say crds "$m: ready"
  done
}

install_etcd() {
  if command -v etcd >/dev/null 2>&1; then say etcd "$(etcd --version 2>/dev/null | head -1): installed"; return; fi
  local pkg; pkg=$(pin x.etcdDebianPackage)
  say etcd "installing Debian's $pkg"
  (apt-get install -y -q "$pkg" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$pkg" >/dev/null; })
  # The package's service would hold etcd's default ports: the tiers start their own.
  (systemctl disable --now etcd >/dev/null 2>&1 || service etcd stop >/dev/null 2>&1 || true)
  command -v etcd >/dev/null || { say etcd "FAILED"; exit 1; }
}

write_manifest() {
  local crds=() kas=() n v
  for n in $(pin 'Object.keys(x.crdModules).join(" ")'); do crds+=("$n=$(moddir "$(pin "x.crdModules.$n.module")@$(pin "x.crdModules.$n.version")")"); done
  for v in $(pin 'Object.values(x.kubernetes).join(" ")' | tr ' ' '\n' | sort -u); do kas+=("$v=$(apiserver_bin "$v")"); done
  # `pins` lets a tier tell a cache built for other pins from the current one.
  MANIFEST="$cache/manifest.json" node -e '
    const [pins, pulumi, kubernetesProvider, helm, karmadaCheck, karmadaModule, etcd, etcdVersion, kas, crds] = process.argv.slice(1);
    const pairs = (s) => Object.fromEntries(s.split("\n").filter(Boolean).map((l) => { const i = l.indexOf("="); return [l.slice(0, i), l.slice(i + 1)]; }));
    const m = { pins, pulumi, kubernetesProvider, helm, karmadaCheck, karmadaModule, etcd, etcdVersion, kubeApiserver: pairs(kas), crdModules: pairs(crds) };
    require("fs").writeFileSync(process.env.MANIFEST, JSON.stringify(m, null, 2) + "\n");' \
    "$(sha256sum <"$here/versions.json" | cut -c1-64)" "$(pulumi_bin)" "$(provider_bin)" "$(helm_bin)" "$(checker_bin)" \
    "$(moddir "github.com/karmada-io/karmada@$(pin x.karmada)")" "$(command -v etcd || true)" "$(etcd --version 2>/dev/null | head -1 || true)" \
    "$(printf '%s\n' "${kas[@]}")" "$(printf '%s\n' "${crds[@]}")"
  say manifest "$cache/manifest.json"
}

tools=("$@"); [ ${#tools[@]} -gt 0 ] || tools=(etcd crds helm kube-apiserver karmada-check pulumi kubernetes-provider)
for t in "${tools[@]}"; do
  case $t in
    pulumi) build_pulumi ;; kubernetes-provider) build_kubernetes_provider ;; helm) build_helm ;;
    kube-apiserver) build_kube_apiserver ;; karmada-check) build_karmada_check ;; crds) download_crds ;;
    etcd) install_etcd ;; *) echo "unknown tool: $t" >&2; exit 2 ;;
  esac
done
write_manifest
