# Sourced (not run) by the scripts that call the SAM CLI, scripts/lint-templates.sh and
# scripts/sam-build.sh: sets ROOT (the repository) and VENV (the project's virtual environment,
# created or reused by scripts/venv.sh), puts the venv's tools first on PATH, turns SAM CLI
# telemetry off, defaults AWS_DEFAULT_REGION to us-east-1 (nothing is deployed; the CLI wants a
# region), and changes to ROOT.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$("${ROOT}/scripts/venv.sh")"
export PATH="${VENV}/bin:${PATH}"
export SAM_CLI_TELEMETRY=0
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
cd "${ROOT}"
