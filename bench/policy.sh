#!/usr/bin/env bash
# Policies of real-size route tables (issue: an API of 300 routes): prints, for the shipped
# template's 3 routes and the first 12, 60 and 300 routes of examples/saas-api/route-scopes.json,
# the conflicts, the time to work out the plan, the answer sizes over every token class (whole-API
# and per-route), then the median CPU of a warm decision per table and scope and its ratio to the
# shipped table's whole-API decision, all from one run.
set -euo pipefail
cd "$(dirname "$0")/.."
uptime
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
