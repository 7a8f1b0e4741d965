#!/usr/bin/env bash
# Create (or reuse) the project's Python virtual environment at <repo>/.venv with the pinned tools
# the checks, the deploy and the README's Lambda block use. Progress goes to stderr; stdout is only
# the venv's path, so that this works:
#
#   source "$(scripts/venv.sh)/bin/activate"
#
# The first run downloads and installs about 900 MB (3 minutes here); a venv whose pins already
# match is left alone (stamp file .venv/.pins), so later runs take a fraction of a second.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ROOT}/.venv"

# Exact versions, verified to install together on CPython 3.11 (linux x86_64). Each tool, and why:
PINS=(
  "aws-sam-cli==1.170.0"  # sam build/deploy/validate/local: builds and deploys the stacks
  "cfn-lint==1.58.0"      # lints the templates (scripts/lint-templates.sh)
  "cargo-lambda==1.9.2"   # sam build's Rust builder; `cargo lambda watch` runs the Lambda locally
  "ziglang==0.14.1"       # cargo-lambda's linker for the arm64 Linux bootstrap, no cross toolchain
  "pytest==9.0.2"         # runs tests/template_wiring.py
  "awscli==1.46.3"        # the AWS CLI of docs/people.md's walkthrough (tested against offline)
)

STAMP="${VENV}/.pins"
WANT="$(printf '%s\n' "${PINS[@]}")"

say() { printf 'venv: %s\n' "$*" >&2; }

if [[ ! -x "${VENV}/bin/python" ]]; then
  say "creating ${VENV}"
  python3 -m venv "${VENV}"
fi

if [[ ! -f "${STAMP}" ]] || [[ "$(cat "${STAMP}")" != "${WANT}" ]]; then
  say "installing into ${VENV} (about 900 MB and 3 minutes the first time):"
  for pin in "${PINS[@]}"; do
    say "  ${pin}"
  done
  start=${SECONDS}
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  # pip's own lines, one per package fetched, then the install; the rest of its output is noise.
  "${VENV}/bin/python" -m pip install --no-input --progress-bar off "${PINS[@]}" 2>&1 \
    | { grep --line-buffered -E '^(Collecting|Installing collected|Successfully installed|ERROR)' || true; } \
    | sed -u -e 's/^/venv: /' -e 's/^\(venv: Successfully installed\).*/\1 the pins and their dependencies/' >&2
  printf '%s\n' "${WANT}" >"${STAMP}"
  say "done in $((SECONDS - start)) s; ${VENV} holds $(du -sh "${VENV}" | cut -f1)"
fi

echo "${VENV}"
