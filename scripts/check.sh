#!/usr/bin/env bash
# Every test and check of the project, on a fresh machine: formatting, the Markdown files' links,
# lints, the Rust test suite (unit, behaviour, the real binaries under a local Lambda Runtime API),
# the templates (sam validate --lint, cfn-lint, the wiring test) and `sam build` for arm64. Installs what it needs
# (Python tools into .venv, the aarch64 Rust target). Set SKIP_SAM_BUILD=1 to skip the slow build.
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

step "Rust tests"
cargo test --workspace --all-features

step "Templates: sam validate --lint, cfn-lint, samconfig"
scripts/lint-templates.sh

step "Template wiring test"
VENV="$(scripts/venv.sh)"
"${VENV}/bin/python" -m pytest -q tests/template_wiring.py

if [[ "${SKIP_SAM_BUILD:-0}" != "1" ]]; then
  step "sam build (arm64)"
  scripts/sam-build.sh
fi

step "all checks passed"
