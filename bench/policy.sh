#!/usr/bin/env bash
# Policies of real-size route tables (issue: an API of 300 routes): prints, for the shipped
# template's 3 routes and the first 12, 60 and 300 routes of examples/saas-api/route-scopes.json,
# the conflicts, the time to work out the plan, the answer sizes over every token class (whole-API
# and per-route), then the median CPU of a warm decision per table and scope and its ratio to the
# shipped table's whole-API decision, all from one run.
#
#   bench/policy.sh               # criterion: times (a quiet machine gives meaningful ones)
#   bench/policy.sh --callgrind   # instructions per warm decision (valgrind), steady under load
set -euo pipefail
cd "$(dirname "$0")/.."
uptime
if [[ "${1:-}" == "--callgrind" ]]; then
  # The release profile with symbols kept (callgrind counts inside one function, found by name),
  # in a target directory of its own so that target/release keeps its stripped binaries.
  CARGO_PROFILE_RELEASE_STRIP=none CARGO_TARGET_DIR=target/policy-bench \
    cargo build --release --quiet -p authorizer --example policy_decisions
  BIN=target/policy-bench/release/examples/policy_decisions
  instructions() {
    local out
    out="$(mktemp)"
    valgrind --tool=callgrind --toggle-collect='*policy_decisions::decisions*' \
      --callgrind-out-file="${out}" "${BIN}" "$@" >/dev/null 2>&1
    awk '/^(summary|totals):/ {print $2; exit}' "${out}"
    rm -f "${out}"
  }
  N=200
  printf '%-22s %16s %18s\n' decision "instructions" "x shipped/api"
  base=""
  for table in shipped saas-12 saas-60 saas-300; do
    for scope in api route; do
      per=$(( $(instructions "${table}" "${scope}" "${N}") / N ))
      base="${base:-${per}}"
      printf '%-22s %16d %18.3f\n' "${table}/${scope}" "${per}" \
        "$(python3 -c "print(${per} / ${base})")"
    done
  done
  exit 0
fi
cargo bench -p authorizer --bench policy -- --noplot "$@" 2>&1 |
  grep -E '^(table|shipped|saas|\(bytes)'
python3 - <<'PY'
import json, pathlib
base = pathlib.Path("target/criterion/decision")
def median_us(name):
    est = json.loads((base / name / "new" / "estimates.json").read_text())
    return est["median"]["point_estimate"] / 1000.0
floor = median_us("shipped-3_api")
print(f"{'decision':22} {'median µs':>10} {'x shipped-3/api':>16}")
for table in ["shipped-3", "saas-12", "saas-60", "saas-300"]:
    for scope in ["api", "route"]:
        m = median_us(f"{table}_{scope}")
        print(f"{table + '/' + scope:22} {m:10.2f} {m / floor:16.3f}")
PY
