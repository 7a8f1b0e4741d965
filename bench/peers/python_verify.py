"""PyJWT + cryptography's side of bench/peers.sh, as a typical Python authorizer verifies.

Keys are parsed once from the JWKS and looked up by the header's `kid`; `jwt.decode` checks the
RS256 signature, `exp`, `iat` and the issuer (all required); then `token_use`, `client_id` and
the scope are checked in Python. Same tokens as the others.

    python bench/peers/python_verify.py DIR PASSES

Prints one JSON line: µs/token of each timed pass. Exits 1 if a valid token is refused or an
invalid one accepted.
"""

import json
import platform
import sys
import time
from importlib.metadata import version
from pathlib import Path

import jwt
from jwt.algorithms import RSAAlgorithm


def main() -> int:
    directory, passes = Path(sys.argv[1]), max(1, int(sys.argv[2]))
    fx = json.loads((directory / "fixtures.json").read_text())
    keys = {k["kid"]: RSAAlgorithm.from_jwk(k) for k in fx["jwks"]["keys"]}
    issuer, client_id, required = fx["issuer"], fx["client_id"], fx["required_scope"]

    def verify(token: str) -> dict:
        key = keys[jwt.get_unverified_header(token)["kid"]]
        claims = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            issuer=issuer,
            options={"require": ["exp", "iat", "iss", "sub"]},
        )
        if claims.get("token_use") != "access":
            raise ValueError("token_use is not access")
        if claims.get("client_id") != client_id:
            raise ValueError("client not allowed")
        if required not in claims.get("scope", "").split():
            raise ValueError("scope missing")
        return claims

    tokens = fx["tokens"]
    accepted = 0
    for token in tokens:
        try:
            verify(token)
            accepted += 1
        except Exception as e:  # noqa: BLE001 - any refusal of a valid token fails the run
            print(f"PyJWT: refused a valid token: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
    refused = {}
    for name, token in fx["negatives"].items():
        try:
            verify(token)
        except Exception as e:  # noqa: BLE001 - refusing is the expected outcome
            refused[name] = type(e).__name__
            continue
        print(f"PyJWT: accepted the invalid token `{name}`", file=sys.stderr)
        return 1

    def one_pass() -> float:
        start = time.perf_counter_ns()
        ok = sum(1 for t in tokens if verify(t)["exp"] > 0)
        elapsed = time.perf_counter_ns() - start
        if ok != len(tokens):
            raise SystemExit(f"PyJWT: accepted {ok} of {len(tokens)} in a timed pass")
        return elapsed / 1000 / len(tokens)

    one_pass()  # warm-up
    us = [one_pass() for _ in range(passes)]
    label = (
        f"PyJWT {version('PyJWT')} + cryptography {version('cryptography')} "
        f"on Python {platform.python_version()}"
    )
    print(
        json.dumps(
            {
                "id": "pyjwt",
                "label": label,
                "tokens": len(tokens),
                "accepted": accepted,
                "negatives_refused": refused,
                "negatives_total": len(fx["negatives"]),
                "us_per_token": us,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
