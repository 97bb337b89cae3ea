#!/usr/bin/env bash
# Builds a real control plane for the API server tests from the Go module proxy:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubectl, into the
# git-ignored .tools/kube/<versions>/bin. Cached by version: a second run only checks the stamp.
# Prints the bin folder on stdout; progress goes to stderr. With --check, only says whether
# they are built (exit status 1 if not).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KUBE_VERSION=${KUBE_VERSION:-1.36.3}
ETCD_VERSION=${ETCD_VERSION:-3.6.16}
# The Go the build needs; an older Go on PATH fetches this one from the module proxy.
GO_VERSION=${GO_VERSION:-1.26.8}
GO_MIN_MINOR=26
OUT="$REPO_ROOT/.tools/kube/k8s-$KUBE_VERSION-etcd-$ETCD_VERSION"
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl)
STAMP="$OUT/bin/.complete"

log() { echo "[kube-build] $*" >&2; }

complete() {
  [ -f "$STAMP" ] || return 1
  for b in "${BINARIES[@]}"; do [ -x "$OUT/bin/$b" ] || return 1; done
}

if complete; then echo "$OUT/bin"; exit 0; fi
if [ "${1:-}" = "--check" ]; then
  log "not built yet: run scripts/kube/build.sh (about 10 minutes on 2 cores from cold caches)"
  exit 1
fi

mkdir -p "$OUT"
# Two test runs on one machine must not build into the same folder at once.
exec 9>"$OUT/.lock"
flock 9
if complete; then echo "$OUT/bin"; exit 0; fi

# The folder of a module in the module cache, downloading it if needed: module_dir GO CWD PATH@VERSION
module_dir() {
  local json
  if ! json=$(cd "$2" && "$1" mod download -json "$3"); then
    log "could not download $3: $(echo "$json" | sed -nE 's/^\s*"Error": "(.*)",?$/\1/p')"
    return 1
  fi
  echo "$json" | sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p'
}

# ---- Go ----------------------------------------------------------------------------------
go_minor() { "$1" env GOVERSION 2>/dev/null | sed -nE 's/^go1\.([0-9]+).*/\1/p'; }
GO=""
if command -v go >/dev/null 2>&1 && [ "$(go_minor go || echo 0)" -ge "$GO_MIN_MINOR" ] 2>/dev/null; then
  GO=$(command -v go)
else
  # Debian's Go is 1.19 (no GOTOOLCHAIN switching). The Go module proxy serves every Go
  # release as the module golang.org/toolchain; any Go can download it like a module.
  toolchain="golang.org/toolchain@v0.0.1-go$GO_VERSION.linux-amd64"
  command -v go >/dev/null 2>&1 || { log "no Go on PATH: install Debian's golang-go (any version) first"; exit 1; }
  log "Go on PATH is older than 1.$GO_MIN_MINOR: fetching $toolchain from the module proxy"
  dir=$(module_dir go "$OUT" "$toolchain")
  # Module zips carry no file modes; cmd/go makes these executable itself when it switches.
  chmod u+x "$dir"/bin/* "$dir"/pkg/tool/*/* 2>/dev/null || true
  GO="$dir/bin/go"
fi
export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0
# The build's cache (about 3 GB) is kept only until the binaries are: they are cached by version.
# A build that fails keeps it, so that the next try goes faster.
export GOCACHE="$OUT/.gocache"
log "using $("$GO" version)"

# The machine is shared: builds run at the lowest priority.
gobuild() { nice -n 19 "$GO" build -trimpath "$@"; }

SRC="$OUT/src"
mkdir -p "$SRC" "$OUT/bin"

# ---- etcd --------------------------------------------------------------------------------
# `go install go.etcd.io/etcd/server/v3@v...` is refused because etcd's go.mod has replace
# lines; a main module of our own that requires the server module builds the same binary.
if [ ! -x "$OUT/bin/etcd" ]; then
  start=$SECONDS
  log "building etcd v$ETCD_VERSION"
  mkdir -p "$SRC/etcd"
  cat > "$SRC/etcd/go.mod" <<MOD
module ingressatlas.test/etcd

go 1.24

require go.etcd.io/etcd/server/v3 v$ETCD_VERSION
MOD
  cat > "$SRC/etcd/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  (cd "$SRC/etcd" && GOFLAGS=-mod=mod "$GO" mod tidy >&2 && GOFLAGS=-mod=mod gobuild -ldflags "-s -w" -o "$OUT/bin/etcd" . >&2)
  log "etcd built in $((SECONDS - start))s"
fi

# ---- Kubernetes --------------------------------------------------------------------------
# k8s.io/kubernetes replaces its k8s.io/* staging modules with ./staging, which its module zip
# lacks. Each staging module is published as v0.<minor>.<patch>: drop the replace block and
# require those instead.
need_kube=0
for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  [ -x "$OUT/bin/$b" ] || need_kube=1
done
if [ "$need_kube" = 1 ]; then
  start=$SECONDS
  log "building Kubernetes v$KUBE_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl)"
  staging_version="v0.${KUBE_VERSION#*.}"
  moddir=$(module_dir "$GO" "$SRC" "k8s.io/kubernetes@v$KUBE_VERSION")
  rm -rf "$SRC/kubernetes"
  cp -r "$moddir" "$SRC/kubernetes"
  chmod -R u+w "$SRC/kubernetes"
  sed -E -e '/^replace \($/,/^\)$/d' \
    -e "s#^(\s+k8s\.io/[a-z0-9-]+) v0\.0\.0( // indirect)?\$#\1 $staging_version\2#" \
    "$SRC/kubernetes/go.mod" > "$SRC/kubernetes/go.mod.new"
  mv "$SRC/kubernetes/go.mod.new" "$SRC/kubernetes/go.mod"
  # The binaries report their real version (kubectl and the server compare them).
  minor=${KUBE_VERSION#*.}; minor=${minor%%.*}
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X $pkg.gitVersion=v$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  (cd "$SRC/kubernetes" && GOFLAGS=-mod=mod gobuild -ldflags "$ldflags" -o "$OUT/bin/" \
    ./cmd/kube-apiserver ./cmd/kube-controller-manager ./cmd/kube-scheduler ./cmd/kubectl >&2)
  log "Kubernetes built in $((SECONDS - start))s"
fi

touch "$STAMP"
# The copied sources and the build's cache are only needed to build.
rm -rf "$SRC" "$GOCACHE"
echo "$OUT/bin"
