#!/usr/bin/env bash
# Builds the deployment checkers from the Go module proxy (no other download): kustomize, actionlint and
# OpenTofu. Binaries are cached outside the clone (DEPLOY_TOOLS_DIR, default ~/.cache/clinic-deploy-tools),
# so only a new machine pays the build: measured on 2 shared cores, kustomize ~40 s, actionlint ~22 s,
# tofu ~6-15 min (it is a large program). Versions are pinned here and in tofu/go.mod.
set -euo pipefail
cd "$(dirname "$0")"

KUSTOMIZE_VERSION=v5.7.1
ACTIONLINT_VERSION=v1.7.12
TOFU_VERSION=v1.10.7 # also in tofu/go.mod
dir="${DEPLOY_TOOLS_DIR:-$HOME/.cache/clinic-deploy-tools}/bin"
mkdir -p "$dir"

# The Go toolchain of this kind of machine lives in /usr/local/go; a non-login shell may not have it on PATH.
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; fi
if ! command -v go >/dev/null; then
  echo "install-tools: Go is needed to build kustomize, actionlint and tofu (apt-get install golang-go)" >&2
  exit 1
fi

stamp() { echo "$dir/.$1-$2"; }
built() { [ -x "$dir/$1" ] && [ -e "$(stamp "$1" "$2")" ]; }
record() { rm -f "$dir/.$1-"*; touch "$(stamp "$1" "$2")"; }

if ! built kustomize "$KUSTOMIZE_VERSION"; then
  echo "install-tools: building kustomize $KUSTOMIZE_VERSION"
  GOBIN="$dir" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
  record kustomize "$KUSTOMIZE_VERSION"
fi
if ! built actionlint "$ACTIONLINT_VERSION"; then
  echo "install-tools: building actionlint $ACTIONLINT_VERSION"
  GOBIN="$dir" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  record actionlint "$ACTIONLINT_VERSION"
fi
if ! built tofu "$TOFU_VERSION"; then
  # OpenTofu's go.mod has a replace directive, which `go install pkg@version` refuses; tofu/go.mod
  # requires the same version and repeats the directive.
  echo "install-tools: building OpenTofu $TOFU_VERSION (several minutes on a new machine)"
  (cd tofu && GOFLAGS=-mod=mod go build -trimpath -o "$dir/tofu" github.com/opentofu/opentofu/cmd/tofu)
  record tofu "$TOFU_VERSION"
fi
echo "install-tools: kustomize, actionlint and tofu in $dir"
