#!/usr/bin/env bash
# Builds the API stack (template.yaml) and the examples (examples/*/: http-api, openapi-api,
# saas-api, cognito-authorizer's template.yaml and http-api.yaml, multi-tenant) with `sam build`
# into .aws-sam/ and proves the result: one arm64 (aarch64) `bootstrap` per function of each (the
# same authorizer and echo binaries, so later builds reuse the first's compilation; the OpenAPI
# example adds its two handlers, the multi-tenant one its trigger), and the SaaS example's rules
# layer, whose folder holds its route-scopes.json.
# Slow (release builds with fat LTO): CI runs it, the fast unit tests do not. Needs no Docker and
# no AWS account: cargo-lambda cross-compiles with zig, both from the project's venv
# (scripts/venv.sh).
set -euo pipefail

# The venv first on PATH: its `cargo-lambda` and its `python3` (which carries ziglang, the linker).
# shellcheck source=scripts/sam-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/sam-env.sh"
# Compile AWS-LC (aws-lc-sys) without its jitter-entropy source, which otherwise costs start-up
# time on every cold start (lambda_runtime README); must be set at compile time.
export AWS_LC_SYS_NO_JITTER_ENTROPY=1

TARGET=aarch64-unknown-linux-gnu
if ! rustup target list --installed | grep -qx "${TARGET}"; then
  rustup target add "${TARGET}"
fi

rm -rf .aws-sam/build .aws-sam/build-http-api .aws-sam/build-openapi-api .aws-sam/build-saas-api \
  .aws-sam/build-cognito-rest .aws-sam/build-cognito-http \
  .aws-sam/build-multi-tenant

# --beta-features: rust-cargolambda is a SAM CLI beta build method (also set in samconfig.toml).
# --no-cached: the cache key hashes the whole workspace (target/ included), so in CI it never
# hits and only costs time; a fresh build also proves the binaries come from this commit.
build() {
  sam build --beta-features --no-cached --template-file "$1" --build-dir "$2" </dev/null
}

# Each function's bootstrap under build dir $1 (the functions: the other arguments) must be an
# arm64 binary.
check() {
  local status=0 dir="$1" fn bin kind
  shift
  for fn in "$@"; do
    bin="${dir}/${fn}/bootstrap"
    if [[ ! -f "${bin}" ]]; then
      echo "FAIL: ${bin} missing" >&2
      status=1
      continue
    fi
    kind="$(file -b "${bin}")"
    if [[ "${kind}" != *"ARM aarch64"* ]]; then
      echo "FAIL: ${bin} is not an arm64 binary: ${kind}" >&2
      status=1
      continue
    fi
    printf '%-52s %10s bytes  %s\n' "${bin}" "$(stat -c %s "${bin}")" "${kind}"
  done
  return "${status}"
}

build template.yaml .aws-sam/build
build examples/http-api/template.yaml .aws-sam/build-http-api
build examples/openapi-api/template.yaml .aws-sam/build-openapi-api
build examples/saas-api/template.yaml .aws-sam/build-saas-api
build examples/cognito-authorizer/template.yaml .aws-sam/build-cognito-rest
build examples/cognito-authorizer/http-api.yaml .aws-sam/build-cognito-http
build examples/multi-tenant/template.yaml .aws-sam/build-multi-tenant
status=0
check .aws-sam/build AuthorizerFunction EchoFunction || status=1
check .aws-sam/build-http-api AuthorizerFunction EchoFunction || status=1
check .aws-sam/build-openapi-api AuthorizerFunction OrdersFunction CatalogFunction || status=1
check .aws-sam/build-saas-api AuthorizerFunction EchoFunction || status=1
check .aws-sam/build-cognito-rest EchoFunction || status=1
check .aws-sam/build-cognito-http EchoFunction || status=1
check .aws-sam/build-multi-tenant AuthorizerFunction OrdersFunction PreTokenFunction || status=1
# A layer without a build method is not built: the built template's ContentUri names the source
# folder, which sam package zips as it is. Its rules file must be at that folder's root (/opt).
layer="$(sed -n 's/^ *ContentUri: //p' .aws-sam/build-saas-api/template.yaml | head -1)"
if [[ ! -f ".aws-sam/build-saas-api/${layer}/route-scopes.json" ]]; then
  echo "FAIL: the SaaS example's RulesLayer (${layer}) holds no route-scopes.json" >&2
  status=1
else
  echo "RulesLayer: ${layer}/route-scopes.json (/opt/route-scopes.json)"
fi
exit "${status}"
