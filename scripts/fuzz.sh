#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (libFuzzer), each for SECONDS (default 600).
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]
#
# Targets: token_path (raw Authorization value -> decision), authorizer_event (JSON -> the
# authorizer's event parser and handler), echo_event (JSON -> the echo handler's parser and
# handler). Installs cargo-fuzz when absent. cargo fuzz passes nightly-only compiler flags; with
# only a stable toolchain, RUSTC_BOOTSTRAP=1 lets it use them (fuzz builds only, nothing shipped).
#
# Corpora grow in fuzz/corpus/TARGET and crashes land in fuzz/artifacts/TARGET (both git-ignored).
# fuzz/regressions/TARGET is read as a seed corpus and replayed by the normal test suite through the
# same target code (fuzz-harness/tests/regressions.rs); copy a
# crash input there (named EXPECTED-label, see fuzz/README.md) once it is fixed.
# Exits non-zero if any target found a crash.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

ALL=(token_path authorizer_event echo_event)
target="${1:-all}"
seconds="${2:-600}"
if [[ "${target}" == "all" ]]; then
  targets=("${ALL[@]}")
elif [[ " ${ALL[*]} " == *" ${target} "* ]]; then
  targets=("${target}")
else
  echo "unknown target ${target}; one of: all ${ALL[*]}" >&2
  exit 2
fi
if ! [[ "${seconds}" =~ ^[1-9][0-9]*$ ]]; then
  echo "SECONDS must be a positive whole number, not ${seconds}" >&2
  exit 2
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1

failed=()
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/${t}"
  mkdir -p "${corpus}" "fuzz/regressions/${t}"
  args=(-max_total_time="${seconds}" -timeout=10 -print_final_stats=1)
  case "${t}" in
    token_path)
      # The target writes tokens it signs at start (a fresh key per run) into the corpus.
      export AUTHORIZER_FUZZ_SEEDS="${ROOT}/${corpus}"
      # Longer than MAX_TOKEN_BYTES (8 KiB), so the size cap is exercised too.
      args+=(-max_len=10000 -dict=fuzz/dict/token_path.dict)
      ;;
    authorizer_event)
      cp events/authorizer-*.json "${corpus}/"
      args+=(-max_len=16384 -dict=fuzz/dict/events.dict)
      ;;
    echo_event)
      cp events/echo-*.json "${corpus}/"
      args+=(-max_len=16384 -dict=fuzz/dict/events.dict)
      ;;
  esac
  echo "=== ${t}: ${seconds} s"
  # -s none: the code under test forbids `unsafe`; -O with debug assertions and overflow checks.
  if ! cargo fuzz run --fuzz-dir fuzz -s none -O -a "${t}" "${corpus}" "fuzz/regressions/${t}" -- "${args[@]}"; then
    failed+=("${t}")
  fi
done

if ((${#failed[@]})); then
  echo "crashes found by: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "no crash found in: ${targets[*]}"
