#!/usr/bin/env bash
# Lints the CloudFormation/SAM templates (the API stack, the auth stack and the examples),
# offline, failing on any error or warning:
#   sam validate --lint  (cfn-lint through SAM; exits non-zero on any match, warnings included)
#   cfn-lint             (exit code 2 = error, 4 = warning; anything non-zero fails here)
# and checks that samconfig.toml parses for both config envs (and each example's for its own).
# Tools come from the project's virtual environment (scripts/venv.sh creates it).
set -euo pipefail

# shellcheck source=scripts/sam-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/sam-env.sh"

EXAMPLES=(http-api openapi-api saas-api multi-tenant)
TEMPLATES=(template.yaml auth/template.yaml)
for example in "${EXAMPLES[@]}"; do TEMPLATES+=("examples/${example}/template.yaml"); done
TEMPLATES+=(examples/cognito-authorizer/template.yaml examples/cognito-authorizer/http-api.yaml)

for template in "${TEMPLATES[@]}"; do
  echo "== sam validate --lint ${template}"
  sam validate --lint --template-file "${template}" </dev/null
done

echo "== cfn-lint ${TEMPLATES[*]}"
cfn-lint --format parseable -- "${TEMPLATES[@]}"

# samconfig.toml: each config env must parse and point at a template that validates.
for env in default auth local; do
  echo "== sam validate --config-env ${env}"
  sam validate --config-env "${env}" </dev/null
done

for example in "${EXAMPLES[@]}"; do
  echo "== sam validate --config-env default (examples/${example})"
  (cd "examples/${example}" && sam validate --config-env default </dev/null)
done

for env in default http-api; do
  echo "== sam validate --config-env ${env} (examples/cognito-authorizer)"
  (cd examples/cognito-authorizer && sam validate --config-env "${env}" </dev/null)
done

echo "templates: ${#TEMPLATES[@]} linted, 0 warnings"
