#!/usr/bin/env bash
# Decisions per second of the real handler with N = 1, 4, 16, 64 concurrent invocations in one
# process (a shared Arc<Authorizer>, N tasks on a tokio multi-thread runtime, as lambda_runtime's
# run_concurrent drives it), and the proof that a cold key cache under N concurrent first
# decisions makes exactly one JWKS fetch. See authorizer/examples/concurrency.rs for exactly
# what one decision includes.
#
#   bench/concurrency.sh [DECISIONS_PER_RUN [RUNS]]     (defaults 25600 and 5)
#
# The log and metric lines the handler writes go to stdout, which this script discards; the
# results are printed on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -p authorizer --example concurrency --features mint >&2
"$TARGET/release/examples/concurrency" "$@" >/dev/null
