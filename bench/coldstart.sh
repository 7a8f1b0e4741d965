#!/usr/bin/env bash
# Cold start of the release `authorizer` binary the way Lambda starts it, against a Node process
# doing the same with aws-jwt-verify. One command:
#
#   bench/coldstart.sh                  # RUNS=20 by default
#   bench/coldstart.sh --jitter         # also a second build with AWS-LC's jitter entropy compiled in
#   bench/coldstart.sh --baseline=REV   # also the authorizer as of git revision REV (before/after)
#   bench/coldstart.sh --no-node        # the Rust binaries only
#   bench/coldstart.sh --callgrind      # also instructions per cold start (valgrind), one run each
#   bench/coldstart.sh --saas           # the 300-route table of examples/saas-api, read from its
#                                       # file (ROUTE_SCOPES_FILE), instead of the echo's 2 routes
#
# --baseline builds REV's authorizer from `git archive REV` in target/coldstart-baseline/ (its own
# target directory, kept between runs) and runs it interleaved with the current one, same events,
# same environment: the before/after of a change in one run, on the same machine.
#
# Builds the release binary (host target), mints a fresh JWKS and access token (the `mint`
# feature, via the coldstart_fixture example; nothing secret is committed), installs the pinned
# aws-jwt-verify (bench/node/package-lock.json), then bench/coldstart.py execs each runtime with
# AWS_LAMBDA_RUNTIME_API pointing at a loopback Runtime API emulator and the template's
# environment (USER_POOL_ID, CLIENT_IDS, ROUTE_SCOPES) plus
# AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER pointing at a loopback JWKS server. It reports exec ->
# first GET /next (init), exec -> first decision posted, and peak RSS (VmHWM), and checks every
# decision is the Allow policy. Twice: JWKS over plain HTTP, then over HTTPS with a throw-away CA
# (production fetches the keys over TLS: root store, handshake and the RNG's first seeding count).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
RUNS="${RUNS:-20}"
WARMUP="${WARMUP:-2}"
JITTER=0
BASELINE=""
NODE=1
CALLGRIND=0
SAAS=0
for arg in "$@"; do
  case "${arg}" in
    --jitter) JITTER=1 ;;
    --baseline=?*) BASELINE="${arg#--baseline=}" ;;
    --no-node) NODE=0 ;;
    --callgrind) CALLGRIND=1 ;;
    --saas) SAAS=1 ;;
    *) echo "usage: bench/coldstart.sh [--jitter] [--baseline=REV] [--no-node] [--callgrind] [--saas]" >&2
      exit 2 ;;
  esac
done

POOL=us-east-1_Example01
CLIENT=benchclient1
ROUTES='{"GET /echo": "echo-api/read", "POST /echo": "echo-api/write"}'

WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"' EXIT

echo "== building the release binary (host target)" >&2
cargo build --release --quiet -p authorizer --bin authorizer
BIN="${ROOT}/target/release/authorizer"
RUNTIMES=("--runtime" "rust=${BIN}")
# name=path of each Rust binary, for --callgrind.
RUST_BINS=("rust=${BIN}")

if [[ "${JITTER}" == 1 ]]; then
  echo "== building a second release binary with AWS-LC jitter entropy (own target dir; slow)" >&2
  AWS_LC_SYS_NO_JITTER_ENTROPY=0 CARGO_TARGET_DIR="${ROOT}/target/coldstart-jitter" \
    cargo build --release --quiet -p authorizer --bin authorizer
  if ! grep -q "AWS_LC_SYS_NO_JITTER_ENTROPY': '0'" \
    "${ROOT}"/target/coldstart-jitter/release/build/aws-lc-sys-*/output; then
    echo "FAIL: aws-lc-sys did not see AWS_LC_SYS_NO_JITTER_ENTROPY=0" >&2
    exit 1
  fi
  RUNTIMES+=("--runtime" "rust+jitter=${ROOT}/target/coldstart-jitter/release/authorizer")
  RUST_BINS+=("rust+jitter=${ROOT}/target/coldstart-jitter/release/authorizer")
fi
if [[ -n "${BASELINE}" ]]; then
  COMMIT="$(git -C "${ROOT}" rev-parse --verify "${BASELINE}^{commit}")"
  BASE_DIR="${ROOT}/target/coldstart-baseline"
  echo "== building the authorizer as of ${BASELINE} (${COMMIT:0:12}) in ${BASE_DIR}" >&2
  # Unpacked again only for another commit, so cargo can reuse the previous build.
  if [[ "$(cat "${BASE_DIR}/commit" 2>/dev/null)" != "${COMMIT}" ]]; then
    rm -rf "${BASE_DIR}/src"
    mkdir -p "${BASE_DIR}/src"
    git -C "${ROOT}" archive "${COMMIT}" | tar -x -C "${BASE_DIR}/src"
    echo "${COMMIT}" >"${BASE_DIR}/commit"
  fi
  (cd "${BASE_DIR}/src" && CARGO_TARGET_DIR="${BASE_DIR}/target" \
    cargo build --release --quiet -p authorizer --bin authorizer)
  RUNTIMES+=("--runtime" "rust@${COMMIT:0:7}=${BASE_DIR}/target/release/authorizer")
  RUST_BINS+=("rust@${COMMIT:0:7}=${BASE_DIR}/target/release/authorizer")
  ls -l "${BASE_DIR}/target/release/authorizer" >&2
fi
ls -l "${BIN}" >&2

SCOPE=echo-api/read
EVENT=events/authorizer-token-get-echo.json
TABLE=(--route-scopes "${ROUTES}")
if [[ "${SAAS}" == 1 ]]; then
  # A token that may read the project; the same TOKEN event, for GET /v1/projects/p1.
  SCOPE=saas/projects.read
  EVENT="${WORK}/event.json"
  sed 's|/Prod/GET/echo|/Prod/GET/v1/projects/p1|' events/authorizer-token-get-echo.json >"${EVENT}"
  TABLE=(--route-scopes-file examples/saas-api/route-scopes.json)
  NODE=0
  echo "--saas: examples/saas-api/route-scopes.json (300 routes), Rust only" >&2
fi

echo "== minting a fresh JWKS and token" >&2
cargo run --quiet -p authorizer --example coldstart_fixture -- \
  "${WORK}/fixture" "${POOL}" "${CLIENT}" "${SCOPE}"

if [[ "${NODE}" == 0 ]]; then
  echo "--no-node: Rust only" >&2
elif command -v node >/dev/null; then
  if [[ ! -d bench/node/node_modules/aws-jwt-verify ]]; then
    echo "== installing the pinned aws-jwt-verify" >&2
    (cd bench/node && npm ci --no-audit --no-fund --silent)
  fi
  RUNTIMES+=("--runtime" "node=node ${ROOT}/bench/node/runtime.mjs")
  echo "node $(node --version), aws-jwt-verify $(node -p 'require("./bench/node/node_modules/aws-jwt-verify/package.json").version')" >&2
else
  echo "node not found: Rust only" >&2
fi

COMMON=(--fixture "${WORK}/fixture" --event "${EVENT}"
  --pool "${POOL}" --client-id "${CLIENT}" "${TABLE[@]}"
  --runs "${RUNS}" --warmup "${WARMUP}" "${RUNTIMES[@]}")

echo
python3 bench/coldstart.py "${COMMON[@]}" --json "${WORK}/http.json"

if [[ "${CALLGRIND}" == 1 ]]; then
  # Instructions are steadier than times on a shared machine: one run each under callgrind, keys
  # over HTTP, ended with SIGTERM once the decision is posted (callgrind writes its totals then).
  echo
  echo "instructions from exec to the first decision posted (callgrind, JWKS over HTTP, one run each)"
  for spec in "${RUST_BINS[@]}"; do
    name="${spec%%=*}"
    python3 bench/coldstart.py --fixture "${WORK}/fixture" \
      --event "${EVENT}" --pool "${POOL}" --client-id "${CLIENT}" \
      "${TABLE[@]}" --runs 1 --warmup 0 --timeout 120 --sigterm \
      --runtime "${name}=valgrind --tool=callgrind --callgrind-out-file=${WORK}/callgrind.${name}.%p ${spec#*=}" \
      >/dev/null
    total="$(grep -h -E '^(summary|totals):' "${WORK}"/callgrind."${name}".* | awk '{print $2}' | head -1)"
    printf '%-14s %12s instructions\n' "${name}" "${total}"
  done
fi

if command -v openssl >/dev/null; then
  # A throw-away CA and a server certificate for 127.0.0.1, made now and deleted on exit.
  (
    cd "${WORK}"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 \
      -subj "/CN=coldstart bench CA" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" \
      2>/dev/null
    printf '%s\n' "subjectAltName=IP:127.0.0.1" "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
      -extfile server.ext -out server.pem 2>/dev/null
  )
  # The system's roots plus the bench CA, so the Rust binary loads a production-sized root store.
  SYSTEM_BUNDLE=""
  for f in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt; do
    if [[ -f "${f}" ]]; then SYSTEM_BUNDLE="${f}"; break; fi
  done
  cat ${SYSTEM_BUNDLE:+"${SYSTEM_BUNDLE}"} "${WORK}/ca.pem" >"${WORK}/bundle.pem"
  echo
  python3 bench/coldstart.py "${COMMON[@]}" --json "${WORK}/https.json" \
    --tls-cert "${WORK}/server.pem" --tls-key "${WORK}/server.key" \
    --ca-bundle "${WORK}/bundle.pem" --extra-ca "${WORK}/ca.pem"
else
  echo "openssl not found: HTTPS run skipped" >&2
fi
