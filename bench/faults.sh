#!/usr/bin/env bash
# Fault injection on the key endpoint: runs authorizer/tests/faults.rs (a loopback JWKS server told
# to misbehave while the real authorizer decides) one test at a time, then prints the rows the
# tests recorded as a markdown table. Every figure in it comes from this run.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! cargo test -p authorizer --test faults -- --nocapture --test-threads=1 >"$log"; then
    cat "$log"
    exit 1
fi
echo "| scenario | expected | observed |"
echo "| --- | --- | --- |"
grep -o $'FAULT-ROW\t.*' "$log" | sort -t $'\t' -k2,2n | awk -F '\t' '{ printf "| %s | %s | %s |\n", $3, $4, $5 }'
grep -o 'test result: .*' "$log" >&2
