#!/usr/bin/env bash
# Create (or reuse) the project's Python virtual environment at <repo>/.venv and install the
# pinned tools the checks need: AWS SAM CLI, cfn-lint, pytest, the Rust Lambda cross-build
# tools cargo-lambda + ziglang (both ship their binaries inside the PyPI wheels), and the AWS CLI
# (v1, from PyPI), which the test of the README's people walkthrough runs against the offline stack.
#
# Usage: scripts/venv.sh            (prints nothing on success but the venv path)
#        source "$(scripts/venv.sh)/bin/activate"
# Safe to run repeatedly: a venv whose pins already match is left alone (stamp file).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ROOT}/.venv"

# Exact versions, verified to install together on CPython 3.11 (linux x86_64).
PINS=(
  "aws-sam-cli==1.170.0"
  "cfn-lint==1.58.0"
  "cargo-lambda==1.9.2"
  "ziglang==0.14.1"
  "pytest==9.0.2"
  "awscli==1.46.3"
)

STAMP="${VENV}/.pins"
WANT="$(printf '%s\n' "${PINS[@]}")"

if [[ ! -x "${VENV}/bin/python" ]]; then
  python3 -m venv "${VENV}"
fi

if [[ ! -f "${STAMP}" ]] || [[ "$(cat "${STAMP}")" != "${WANT}" ]]; then
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  "${VENV}/bin/python" -m pip install --quiet --no-input "${PINS[@]}" >&2
  printf '%s\n' "${WANT}" >"${STAMP}"
fi

echo "${VENV}"
