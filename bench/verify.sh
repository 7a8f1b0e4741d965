#!/usr/bin/env bash
# Warm-path verification benchmark: runs the criterion bench, then prints the medians and the
# ratio of the full check to a bare RSA-2048 verify with the same crypto library (aws-lc-rs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p authorizer --bench verify -- --noplot "$@"
python3 - <<'PY'
import json, pathlib
base = pathlib.Path("target/criterion/token")
def median_us(name):
    est = json.loads((base / name / "new" / "estimates.json").read_text())
    return est["median"]["point_estimate"] / 1000.0
rows = ["full_check", "bare_rsa2048_verify", "bare_rsa2048_verify_unparsed_key", "jsonwebtoken_decode"]
floor = median_us("bare_rsa2048_verify")
print(f"{'benchmark':36} {'median µs':>10} {'x bare verify':>14}")
for r in rows:
    m = median_us(r)
    print(f"{r:36} {m:10.2f} {m / floor:14.3f}")
PY
