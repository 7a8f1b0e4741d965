#!/usr/bin/env bash
# Side-by-side warm verification speed: this project's verifier, aws-jwt-verify (npm), PyJWT +
# cryptography (PyPI) and the bare RSA-2048 verify floor, over the same freshly minted tokens.
#
#   bench/peers.sh                       (TOKENS=4000 ROUNDS=5 RUST_PASSES=6 PEER_PASSES=4)
#
# 1. installs the pinned peers under target/peers (git-ignored): aws-jwt-verify from
#    bench/peers/package-lock.json with `npm ci`, PyJWT and cryptography in a venv;
# 2. builds the `peer_fixtures` example (release profile) and writes target/peers/fixtures.json:
#    one new RSA-2048 key, its JWKS, TOKENS valid Cognito-shaped client-credentials access tokens
#    (issued now, valid 1 h) and six invalid ones (expired, wrong scope, wrong client, other
#    pool's issuer, ID token, bad signature);
# 3. ROUNDS times, one after the other: this project + the aws-lc-rs floor (alternating passes),
#    aws-jwt-verify, PyJWT. Each first checks that every valid token passes and every invalid one
#    is refused (the run fails otherwise), warms up, then times passes over all tokens;
# 4. `openssl speed -seconds 3 rsa2048` for a second floor, if openssl is installed;
# 5. prints µs/token (median and best of all timed passes) and each one's ratio to this project.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TOKENS="${TOKENS:-4000}"
ROUNDS="${ROUNDS:-5}"
RUST_PASSES="${RUST_PASSES:-6}"
PEER_PASSES="${PEER_PASSES:-4}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$TARGET/peers"
mkdir -p "$OUT"

# Exact versions; the npm one is pinned by bench/peers/package-lock.json (with its integrity hash).
PY_PINS=("PyJWT==2.15.1" "cryptography==50.0.2")

NODE_DIR="$OUT/node"
if ! cmp -s bench/peers/package-lock.json "$NODE_DIR/package-lock.json" \
  || [[ ! -d "$NODE_DIR/node_modules/aws-jwt-verify" ]]; then
  mkdir -p "$NODE_DIR"
  cp bench/peers/package.json bench/peers/package-lock.json "$NODE_DIR/"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

VENV="$OUT/venv"
if [[ ! -x "$VENV/bin/python" ]]; then
  python3 -m venv "$VENV"
fi
if [[ "$(cat "$VENV/.pins" 2>/dev/null)" != "${PY_PINS[*]}" ]]; then
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install --quiet --no-input "${PY_PINS[@]}" >&2
  echo "${PY_PINS[*]}" >"$VENV/.pins"
fi

cargo build --release -p authorizer --example peer_fixtures --features mint >&2
BIN="$TARGET/release/examples/peer_fixtures"

"$BIN" fixtures "$OUT" "$TOKENS"
RESULTS="$OUT/results.jsonl"
: >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS: this project + aws-lc-rs floor, aws-jwt-verify, PyJWT" >&2
  "$BIN" measure "$OUT" "$RUST_PASSES" >>"$RESULTS"
  node bench/peers/node_verify.mjs "$OUT" "$PEER_PASSES" >>"$RESULTS"
  "$VENV/bin/python" bench/peers/python_verify.py "$OUT" "$PEER_PASSES" >>"$RESULTS"
done

rm -f "$OUT/openssl-speed.txt"
if command -v openssl >/dev/null; then
  echo "openssl speed -seconds 3 rsa2048" >&2
  { openssl version; openssl speed -mr -seconds 3 rsa2048 2>/dev/null; } >"$OUT/openssl-speed.txt"
fi

python3 bench/peers/table.py "$OUT"
