#!/usr/bin/env bash
# The browser test: headless Chromium drives the browser app (app/) against the offline stack on
# free loopback ports (tests/browser/signin.test.mjs): sign in as a reader through the hosted UI,
# GET /echo 200 with the caller echoed, POST and DELETE 403, sign out, GET 401, and the same page
# from a disallowed origin failing on CORS.
#
# Installs what it needs: Debian's chromium when /usr/bin/chromium is missing (apt-get: root, or
# install it beforehand; CHROMIUM=/path/to/chromium uses another), the test's packages
# (playwright-core, exactly as tests/browser/package-lock.json pins it, with npm ci), and the
# offline binary (cargo build). Never skips: a missing tool fails it.
#
# Usage: scripts/browser-test.sh           UPDATE_SCREENSHOT=1 scripts/browser-test.sh
# (the second rewrites docs/images/signed-in.png, the screenshot in docs/browser.md)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "${CHROMIUM}" ]]; then
  if [[ "${CHROMIUM}" != /usr/bin/chromium || "$(id -u)" != 0 ]]; then
    echo "browser test: no Chromium at ${CHROMIUM}; install Debian's (as root: apt-get install chromium) or set CHROMIUM" >&2
    exit 1
  fi
  echo "browser test: installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
"${CHROMIUM}" --version 2>/dev/null | grep -i chromium || {
  echo "browser test: ${CHROMIUM} does not run" >&2
  exit 1
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "browser test: Node.js 20 and npm are needed (playwright-core drives Chromium)" >&2
  exit 1
fi
# playwright-core downloads no browser; the test uses Debian's.
(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

cargo build -q -p offline
TARGET_DIR="$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
export OFFLINE_BIN="${TARGET_DIR}/debug/offline"

node --test --test-reporter=spec tests/browser/signin.test.mjs
