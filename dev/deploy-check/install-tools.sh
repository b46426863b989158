#!/usr/bin/env bash
# Builds the deployment checkers and test tools from the Go module proxy (no other download): kustomize,
# actionlint, OpenTofu, promtool (Prometheus's rule and metrics checker) and Jaeger's all-in-one (the trace
# store `npm run infra:up` starts for the tests). Binaries are cached outside the clone (DEPLOY_TOOLS_DIR,
# default ~/.cache/clinic-deploy-tools), so only a new machine pays the build: measured on 2 shared cores,
# kustomize ~40 s, actionlint ~22 s, tofu ~6-15 min (it is a large program), promtool and jaeger ~7 min each
# when built side by side on a quiet machine and up to 15 min on a busy one (promtool from an empty module
# cache under load average 11: 15 min; ~120 MB binaries). Versions are pinned here and in tofu/go.mod and
# jaeger/go.mod.
set -euo pipefail

KUSTOMIZE_VERSION=v5.7.1
ACTIONLINT_VERSION=v1.7.12
TOFU_VERSION=v1.10.7 # also in tofu/go.mod
PROMTOOL_VERSION=v0.316.0 # Prometheus 3.x's Go module version
JAEGER_VERSION=v1.75.0 # also in jaeger/go.mod

# retry <tool> <command...>: the module proxy drops a connection now and then ("connection abort") and a
# plain retry passes, so each build gets 4 attempts, 5, 15 and 45 s apart (INSTALL_TOOLS_RETRY_DELAYS, in
# seconds, overrides the waits; the tests make them 0). When every attempt fails it names the tool and its
# last error line.
retry() {
  local tool=$1
  shift
  local -a delays
  read -r -a delays <<<"${INSTALL_TOOLS_RETRY_DELAYS:-5 15 45}"
  local attempts=$((${#delays[@]} + 1)) attempt=1 log last
  log=$(mktemp)
  for ((attempt = 1; ; attempt++)); do
    # stderr goes through tee (so it is still shown as it comes) into the log the failure line is read from.
    if { "$@" 2>&1 1>&3 | tee "$log" >&2; } 3>&1; then
      rm -f "$log"
      return 0
    fi
    last=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1 || true)
    if ((attempt >= attempts)); then
      rm -f "$log"
      echo "install-tools: building $tool failed $attempts times; last error: ${last:-(no output)}" >&2
      return 1
    fi
    echo "install-tools: building $tool failed (attempt $attempt of $attempts: ${last:-no output}); retrying in ${delays[attempt - 1]} s" >&2
    sleep "${delays[attempt - 1]}"
  done
}

main() {
  cd "$(dirname "${BASH_SOURCE[0]}")"
  local dir="${DEPLOY_TOOLS_DIR:-$HOME/.cache/clinic-deploy-tools}/bin"
  mkdir -p "$dir"

  # The Go toolchain of this kind of machine lives in /usr/local/go; a non-login shell may not have it on PATH.
  if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; fi
  if ! command -v go >/dev/null; then
    echo "install-tools: Go is needed to build kustomize, actionlint, tofu, promtool and jaeger (apt-get install golang-go)" >&2
    exit 1
  fi

  stamp() { echo "$dir/.$1-$2"; }
  built() { [ -x "$dir/$1" ] && [ -e "$(stamp "$1" "$2")" ]; }
  record() { rm -f "$dir/.$1-"*; touch "$(stamp "$1" "$2")"; }

  if ! built kustomize "$KUSTOMIZE_VERSION"; then
    echo "install-tools: building kustomize $KUSTOMIZE_VERSION"
    GOBIN="$dir" retry kustomize go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
    record kustomize "$KUSTOMIZE_VERSION"
  fi
  if ! built actionlint "$ACTIONLINT_VERSION"; then
    echo "install-tools: building actionlint $ACTIONLINT_VERSION"
    GOBIN="$dir" retry actionlint go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
    record actionlint "$ACTIONLINT_VERSION"
  fi
  if ! built tofu "$TOFU_VERSION"; then
    # OpenTofu's go.mod has a replace directive, which `go install pkg@version` refuses; tofu/go.mod
    # requires the same version and repeats the directive. `go build` also downloads the modules.
    echo "install-tools: building OpenTofu $TOFU_VERSION (several minutes on a new machine)"
    (cd tofu && GOFLAGS=-mod=mod retry tofu go build -trimpath -o "$dir/tofu" github.com/opentofu/opentofu/cmd/tofu)
    record tofu "$TOFU_VERSION"
  fi
  if ! built promtool "$PROMTOOL_VERSION"; then
    echo "install-tools: building promtool $PROMTOOL_VERSION (a few minutes on a new machine)"
    GOBIN="$dir" retry promtool go install "github.com/prometheus/prometheus/cmd/promtool@$PROMTOOL_VERSION"
    record promtool "$PROMTOOL_VERSION"
  fi
  if ! built jaeger "$JAEGER_VERSION"; then
    # Built from jaeger/go.mod (a `tool` directive) so its hundreds of dependencies stay pinned by go.sum.
    echo "install-tools: building Jaeger $JAEGER_VERSION (several minutes on a new machine)"
    (cd jaeger && GOFLAGS=-mod=mod retry jaeger go build -trimpath -o "$dir/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger)
    record jaeger "$JAEGER_VERSION"
  fi
  echo "install-tools: kustomize, actionlint, tofu, promtool and jaeger in $dir"
}

# Sourcing the script (as its test does) only defines retry.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi
