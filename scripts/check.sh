#!/usr/bin/env bash
# Every test and check of the project, on a fresh machine: formatting, the Markdown files' links,
# lints, the Rust test suite with its ignored tests (those need what this script installs: the AWS
# CLI, Node packages, cargo-lambda; and curl, python3), the browser test (headless Chromium
# through app/), the templates (sam validate --lint, cfn-lint, the wiring test) and `sam build`
# for arm64. Installs what it needs (Python tools and the AWS CLI into .venv, the SRP test client
# with npm ci, Debian's chromium and playwright-core for the browser test, the aarch64 Rust
# target); then `sam local` for real (scripts/sam-local.sh: Docker, a locally built base image,
# every event invoked, a start-api session). SKIP_SAM_BUILD=1 skips the slow arm64 build,
# SKIP_SAM_LOCAL=1 the sam local run; the last line then says what was skipped.
# After the Rust tests, `cargo package` checks that the library crates stay publishable.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

step() { printf '\n=== %s\n' "$*"; }

step "rustfmt"
cargo fmt --all --check

step "Markdown links"
python3 scripts/check-links.py

step "clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "Test clients: .venv (the AWS CLI), the SRP client (npm ci)"
# The only installer of what the ignored Rust tests run (the tests install nothing, and fail
# naming these commands when it is missing): docs/people.md's walkthrough runs with the AWS CLI
# from .venv, README's Lambda block with its cargo-lambda; the SRP test signs in with
# amazon-cognito-identity-js, installed exactly as offline/tests/srp-client/package-lock.json
# pins it.
VENV="$(scripts/venv.sh)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js 20 and npm are needed (the SRP sign-in test runs amazon-cognito-identity-js)" >&2
  exit 1
fi
npm ci --prefix offline/tests/srp-client --no-audit --no-fund --loglevel=error

step "Rust tests, the ignored ones (AWS CLI, Node, cargo-lambda, curl, python3) included"
cargo test --workspace --all-features -- --include-ignored

step "Library crates: cargo package (authorizer, auth-context, lambda-log)"
# The crates a Rust Lambda author would depend on stay publishable: versioned path dependencies,
# metadata, and each packaged crate builds on its own, without the workspace's feature
# unification (4 s measured once built, 2 min 56 s from an empty target/ on a busy 2-core
# machine). Uploads nothing.
cargo package --allow-dirty -p auth-context -p lambda-log -p authorizer

step "Browser test: headless Chromium through app/ (scripts/browser-test.sh)"
scripts/browser-test.sh

step "Templates: sam validate --lint, cfn-lint, samconfig"
scripts/lint-templates.sh

step "Template wiring test; the sam local pages' commands and expectations (no Docker)"
"${VENV}/bin/python" -m pytest -q tests/template_wiring.py tests/sam_local_docs.py

skipped=()
if [[ "${SKIP_SAM_BUILD:-0}" != "1" ]]; then
  step "sam build (arm64)"
  scripts/sam-build.sh
else
  skipped+=("sam build (arm64) (SKIP_SAM_BUILD=1)")
fi

if [[ "${SKIP_SAM_LOCAL:-0}" != "1" ]]; then
  step "sam local: every event invoked, start-api with the authorizer (scripts/sam-local.sh)"
  scripts/sam-local.sh
else
  skipped+=("sam local (SKIP_SAM_LOCAL=1)")
fi

if ((${#skipped[@]})); then
  step "all checks passed but these, which were skipped: $(printf '%s; ' "${skipped[@]}" | sed 's/; $//')"
else
  step "all checks passed"
fi
