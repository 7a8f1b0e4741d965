#!/usr/bin/env bash
# Load test of the offline stack on loopback: authorized `GET /Prod/echo` with wrk, once with the
# template's authorizer cache (TTL 300 s: the authorizer runs once, then the cached policy is
# evaluated per request) and once with the cache off (AuthorizerResultTtlSeconds=0: the real
# authorizer verifies the token on every request). Prints requests/s and p50/p99 latency.
# Usage: bench/offline.sh [seconds per run (default 10)] [connections (default 32)]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
PORT="${OFFLINE_BENCH_PORT:-3917}"
if ! command -v wrk >/dev/null; then
  if [[ "$(id -u)" == 0 ]]; then apt-get install -y wrk >/dev/null; else
    echo "bench/offline.sh needs wrk (apt-get install wrk)" >&2; exit 1; fi
fi
cargo build --release -q -p offline
WORK="$(mktemp -d)"
PID=""
cleanup() { [[ -n "${PID}" ]] && kill "${PID}" 2>/dev/null; rm -rf "${WORK}"; }
trap cleanup EXIT

start() { # $@: extra options
  target/release/offline --port "${PORT}" --no-app --ephemeral "$@" >"${WORK}/out" 2>"${WORK}/log" &
  PID=$!
  for _ in $(seq 100); do grep -q "Ctrl-C stops it" "${WORK}/out" 2>/dev/null && return; sleep 0.1; done
  echo "offline did not start:"; cat "${WORK}/log"; exit 1
}
stop() { kill -INT "${PID}"; wait "${PID}" 2>/dev/null || true; PID=""; }
token() {
  local id secret
  id="$(awk '/client id/ {print $3; exit}' "${WORK}/out")"
  secret="$(awk '/client secret/ {print $3; exit}' "${WORK}/out")"
  curl -s --user "${id}:${secret}" "http://127.0.0.1:${PORT}/oauth2/token" \
    -d grant_type=client_credentials -d scope=echo-api/read |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
run() { # $1: label
  local t out
  t="$(token)"
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${t}" "http://127.0.0.1:${PORT}/Prod/echo")" == 200 ]] || { echo "GET /echo is not 200"; exit 1; }
  out="$(wrk -t2 -c"${CONNECTIONS}" -d"${DURATION}s" --latency -H "Authorization: Bearer ${t}" "http://127.0.0.1:${PORT}/Prod/echo")"
  echo "${out}" | grep -qE "Non-2xx" && { echo "${out}"; echo "non-2xx answers"; exit 1; }
  printf '%-44s %10s %10s %10s\n' "$1" \
    "$(echo "${out}" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "${out}" | awk '$1 == "50%" {print $2}')" \
    "$(echo "${out}" | awk '$1 == "99%" {print $2}')"
}

echo "wrk -t2 -c${CONNECTIONS} -d${DURATION}s, authorized GET /Prod/echo on 127.0.0.1 ($(nproc) cores)"
printf '%-44s %10s %10s %10s\n' "authorizer" "req/s" "p50" "p99"
start
run "cached policy (template TTL 300 s)"
stop
start --parameter-overrides AuthorizerResultTtlSeconds=0
run "authorizer on every request (TTL 0)"
stop
