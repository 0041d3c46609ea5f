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
#   - for the simulated fleet (versions.json `sim`): kube-controller-manager, kube-scheduler and
#     kubectl of one stack's Kubernetes (in that version's wrapper module), KWOK's controller, and
#     Karmada's controller manager, scheduler, aggregated API server and webhook (in a wrapper module);
#   - karmada-check, this project's own checker that runs Karmada's webhooks on objects
#     (test/engines/karmada-check);
#   - the Go modules that carry the CRDs of the pinned releases (downloaded, not built);
#   - etcd from Debian's etcd-server (installed with apt-get when missing).
# Writes $PLATFORM_ENGINES_CACHE/manifest.json: where each tool, CRD folder and KWOK Stage is. One
# line per tool.
#
# Usage: test/engines/build.sh [tool ...]   (tools: pulumi kubernetes-provider helm kube-apiserver
#        kube-sim kwok karmada karmada-check crds etcd; default all). Env: PLATFORM_ENGINES_CACHE (default
#        ~/.cache/platform-engines).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${PLATFORM_ENGINES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/platform-engines}
mkdir -p "$cache"
export GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=mod"
command -v go >/dev/null || { echo "test/engines/build.sh: needs Go (the engines are built from the Go module proxy)" >&2; exit 1; }
command -v node >/dev/null || { echo "test/engines/build.sh: needs Node.js" >&2; exit 1; }

pin() { node -e "const x=require('$here/versions.json'); const r=$1; process.stdout.write(typeof r==='string'?r:JSON.stringify(r))"; }
say() { printf '[engines] %-28s %s\n' "$1" "$2" >&2; }
# Runs a build step unless its output exists; the output appears only when the step succeeded.
built() { # name version output -- command...
  local name=$1 version=$2 out=$3; shift 4
  if [ -e "$out" ]; then say "$name" "$version: cached"; return; fi
  local start=$SECONDS log="$cache/logs/$name-${version%% *}.log"
  mkdir -p "$cache/logs"
  say "$name" "$version: building (log: $log)"
  # Not in a condition: there bash would ignore `set -e` inside the step, and a failed command
  # would let the next one run on what it left (the step sets it again: it inherits the `+e`).
  set +e; (set -e; "$@") >"$log" 2>&1; local rc=$?; set -e
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
kube_bin() { echo "$cache/kubernetes-$1/bin/$2"; }
kubernetes_versions() { pin 'Object.values(x.kubernetes).join(" ")' | tr ' ' '\n' | sort -u; }
# The simulated fleet runs one Kubernetes (a stack's, named in sim.kubernetes); the others stay apiserver-only.
sim_kubernetes() { pin 'x.kubernetes[x.sim.kubernetes]'; }
SIM_KUBE_CMDS="kube-controller-manager kube-scheduler kubectl"
kwok_bin() { echo "$cache/kwok-$(pin x.sim.kwok.version)/bin/kwok"; }
KARMADA_CMDS="controller-manager scheduler aggregated-apiserver webhook"
karmada_bin() { echo "$cache/karmada-$(pin x.karmada)/bin/karmada-$1"; }
checker_bin() { echo "$cache/karmada-check-$(pin x.karmada)-$(cat "$here/karmada-check/"* | sha256sum | cut -c1-12)/bin/karmada-check"; }

# Writes in $1 the go.mod of wrapper module $2 around the module in folder $3, requiring each
# "module version" after: its Go, and its non-local replacements (which hold only where it is the
# main module, so a module that is a dependency loses them).
wrapper_gomod() {
  local w=$1 name=$2 src=$3; shift 3
  {
    echo "module platform.invalid/engines/$name"; echo "go $(gover "$src/go.mod")"
    printf 'require (\n'; printf '\t%s\n' "$@"; printf ')\n'
    grep -E '^replace .* => [^.]' "$src/go.mod" || true
  } >"$w/go.mod"
}

build_pulumi() {
  local v out; v=$(pin x.pulumi); out=$(pulumi_bin)
  _pulumi() {
    local w="$cache/pulumi-$v/src" pkg; rm -rf "$w"; mkdir -p "$w"; pkg=$(moddir "github.com/pulumi/pulumi/pkg/v3@$v")
    wrapper_gomod "$w" pulumi "$pkg" "github.com/pulumi/pulumi/pkg/v3 $v" "github.com/pulumi/pulumi/sdk/v3 $v"
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

# `go install` of $2 (package@version, a module without replacements) to $1, with ldflags $3.
go_install() {
  local out=$1 pkg=$2 ldflags=$3 bin; bin=$(mktemp -d "$(dirname "$out")/tmp.XXXXXX")
  GOBIN="$bin" go install -trimpath -ldflags "-s -w $ldflags" "$pkg"
  mv "$bin/$(basename "${pkg%@*}")" "$out" && rm -rf "$bin"
}

build_helm() {
  local v out; v=$(pin x.helm); out=$(helm_bin)
  _helm() { go_install "$out" "helm.sh/helm/v3/cmd/helm@$v" "-X helm.sh/helm/v3/internal/version.version=$v"; }
  mkdir -p "$(dirname "$out")"; built helm "$v" "$out" -- _helm
}

# The wrapper module that builds k8s.io/kubernetes commands at version $1 (made once, shared by them).
kubernetes_module() {
  local v=$1 w="$cache/kubernetes-$1/src" k8s
  if [ ! -e "$w/go.mod" ]; then
    rm -rf "$w"; mkdir -p "$w"; k8s=$(moddir "k8s.io/kubernetes@$v")
    wrapper_gomod "$w" kubernetes "$k8s" "k8s.io/kubernetes $v"
    # Each staging module (./staging/src/k8s.io/X in the repository) at its published release.
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#replace \1 => \1 v0.'"${v#v1.}"'#p' "$k8s/go.mod" >>"$w/go.mod"
  fi
  echo "$w"
}

# Builds k8s.io/kubernetes/cmd/$2 at version $1. The version goes where Kubernetes' own build puts it:
# component-base for the servers, client-go for kubectl's client version.
build_kubernetes_cmd() {
  local v=$1 cmd=$2 out; out=$(kube_bin "$v" "$cmd")
  _kcmd() {
    local w minor ld="" p; w=$(kubernetes_module "$v"); minor=$(echo "$v" | cut -d. -f2)
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld+=" -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    done
    (cd "$w" && go get "k8s.io/kubernetes/cmd/$cmd@$v" >/dev/null 2>&1 || go get "k8s.io/kubernetes/cmd/$cmd@$v"
     go build -trimpath -o "$out.tmp" -ldflags "-s -w$ld" "k8s.io/kubernetes/cmd/$cmd")
    mv "$out.tmp" "$out"
  }
  mkdir -p "$(dirname "$out")"; built "$cmd" "$v" "$out" -- _kcmd
}

build_kube_apiserver() {
  local v; for v in $(kubernetes_versions); do build_kubernetes_cmd "$v" kube-apiserver; done
}

# The simulated fleet's cluster: the controllers, scheduler and client of the one Kubernetes it runs.
build_kube_sim() {
  local v cmd; v=$(sim_kubernetes)
  for cmd in $SIM_KUBE_CMDS; do build_kubernetes_cmd "$v" "$cmd"; done
}

# KWOK's controller: it fakes the nodes that match its flags, and plays its Stages on them and their pods.
build_kwok() {
  local m v out; m=$(pin x.sim.kwok.module); v=$(pin x.sim.kwok.version); out=$(kwok_bin)
  _kwok() { go_install "$out" "$m/cmd/kwok@$v" "-X $m/pkg/consts.Version=${v#v}"; }
  mkdir -p "$(dirname "$out")"; built kwok "$v" "$out" -- _kwok
}

# Karmada's control plane as processes, in a wrapper module (cmd/X is built as karmada-X). The webhook
# is needed, not only checks: its mutation gives a policy the permanent-id label without which the
# scheduler ignores the policy's bindings.
build_karmada() {
  local v cmd; v=$(pin x.karmada)
  for cmd in $KARMADA_CMDS; do
    local out; out=$(karmada_bin "$cmd")
    _karmada() {
      local w="$cache/karmada-$v/src" mod; mkdir -p "$w"
      if [ ! -e "$w/go.mod" ]; then mod=$(moddir "github.com/karmada-io/karmada@$v"); wrapper_gomod "$w" karmada "$mod" "github.com/karmada-io/karmada $v"; fi
      (cd "$w" && go get "github.com/karmada-io/karmada/cmd/$cmd@$v" >/dev/null 2>&1 || go get "github.com/karmada-io/karmada/cmd/$cmd@$v"
       go build -trimpath -o "$out.tmp" -ldflags "-s -w -X github.com/karmada-io/karmada/pkg/version.gitVersion=$v -X github.com/karmada-io/karmada/pkg/version.gitTreeState=clean" "github.com/karmada-io/karmada/cmd/$cmd")
      mv "$out.tmp" "$out"
    }
    mkdir -p "$(dirname "$out")"; built "karmada-$cmd" "$v" "$out" -- _karmada
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

# The simulated fleet's engines: its cluster's binaries, KWOK and the Stages it plays (data files of
# its module), Karmada's processes and the kube-apiserver that serves as karmada-apiserver.
sim_manifest() {
  local v; v=$(sim_kubernetes)
  node -e '
    const [kubernetes, kubeControllerManager, kubeScheduler, kubectl, kwok, kwokModule, karmadaControllerManager, karmadaScheduler, karmadaAggregatedApiserver, karmadaWebhook, karmadaApiserver] = process.argv.slice(1);
    const kwokStages = require(process.argv[12]).sim.kwok.stages.map((f) => require("path").join(kwokModule, f));
    process.stdout.write(JSON.stringify({ kubernetes, kubeControllerManager, kubeScheduler, kubectl, kwok, kwokStages, karmadaControllerManager, karmadaScheduler, karmadaAggregatedApiserver, karmadaWebhook, karmadaApiserver }));' \
    "$v" "$(kube_bin "$v" kube-controller-manager)" "$(kube_bin "$v" kube-scheduler)" "$(kube_bin "$v" kubectl)" \
    "$(kwok_bin)" "$(moddir "$(pin x.sim.kwok.module)@$(pin x.sim.kwok.version)")" \
    "$(karmada_bin controller-manager)" "$(karmada_bin scheduler)" "$(karmada_bin aggregated-apiserver)" "$(karmada_bin webhook)" \
    "$(kube_bin "$(pin 'x.kubernetes[x.sim.karmadaApiserver]')" kube-apiserver)" "$here/versions.json"
}

write_manifest() {
  local crds=() kas=() n v
  for n in $(pin 'Object.keys(x.crdModules).join(" ")'); do crds+=("$n=$(moddir "$(pin "x.crdModules.$n.module")@$(pin "x.crdModules.$n.version")")"); done
  for v in $(kubernetes_versions); do kas+=("$v=$(kube_bin "$v" kube-apiserver)"); done
  # `pins` lets a tier tell a cache built for other pins from the current one.
  MANIFEST="$cache/manifest.json" node -e '
    const [pins, pulumi, kubernetesProvider, helm, karmadaCheck, karmadaModule, etcd, etcdVersion, kas, crds, sim] = process.argv.slice(1);
    const pairs = (s) => Object.fromEntries(s.split("\n").filter(Boolean).map((l) => { const i = l.indexOf("="); return [l.slice(0, i), l.slice(i + 1)]; }));
    const m = { pins, pulumi, kubernetesProvider, helm, karmadaCheck, karmadaModule, etcd, etcdVersion, kubeApiserver: pairs(kas), crdModules: pairs(crds), sim: JSON.parse(sim) };
    require("fs").writeFileSync(process.env.MANIFEST, JSON.stringify(m, null, 2) + "\n");' \
    "$(sha256sum <"$here/versions.json" | cut -c1-64)" "$(pulumi_bin)" "$(provider_bin)" "$(helm_bin)" "$(checker_bin)" \
    "$(moddir "github.com/karmada-io/karmada@$(pin x.karmada)")" "$(command -v etcd || true)" "$(etcd --version 2>/dev/null | head -1 || true)" \
    "$(printf '%s\n' "${kas[@]}")" "$(printf '%s\n' "${crds[@]}")" "$(sim_manifest)"
  say manifest "$cache/manifest.json"
}

tools=("$@"); [ ${#tools[@]} -gt 0 ] || tools=(etcd crds helm kube-apiserver kube-sim kwok karmada karmada-check pulumi kubernetes-provider)
for t in "${tools[@]}"; do
  case $t in
    pulumi) build_pulumi ;; kubernetes-provider) build_kubernetes_provider ;; helm) build_helm ;;
    kube-apiserver) build_kube_apiserver ;; kube-sim) build_kube_sim ;; kwok) build_kwok ;; karmada) build_karmada ;;
    karmada-check) build_karmada_check ;; crds) download_crds ;;
    etcd) install_etcd ;; *) echo "unknown tool: $t" >&2; exit 2 ;;
  esac
done
write_manifest
