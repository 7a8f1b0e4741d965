"""Prints bench/peers.sh's table from DIR/results.jsonl (one line per verifier per round) and
DIR/openssl-speed.txt (`openssl speed -mr`), pooling every timed pass of every round."""

import json
import re
import statistics
import sys
from pathlib import Path

ORDER = ["project", "aws_jwt_verify", "pyjwt", "floor_aws_lc_rs", "floor_openssl"]


def main() -> int:
    directory = Path(sys.argv[1])
    rows: dict[str, dict] = {}
    for line in (directory / "results.jsonl").read_text().splitlines():
        record = json.loads(line)
        row = rows.setdefault(record["id"], {"label": record["label"], "us": [], "rounds": 0})
        row["us"] += record["us_per_token"]
        row["rounds"] += 1
        if record["accepted"] != record["tokens"]:
            print(f"{record['label']}: accepted {record['accepted']} of {record['tokens']}")
            return 1
        if "negatives_total" in record and len(record["negatives_refused"]) != record["negatives_total"]:
            print(f"{record['label']}: refused only {record['negatives_refused']}")
            return 1
        row["tokens"] = record["tokens"]
        row["checks"] = (
            f"{record['tokens']} ok, {len(record['negatives_refused'])}/{record['negatives_total']} bad refused"
            if "negatives_total" in record
            else f"{record['tokens']} ok"
        )

    speed = directory / "openssl-speed.txt"
    if speed.exists():
        version, text = speed.read_text().split("\n", 1)
        match = re.search(r"^\+F2:\d+:2048:([0-9.]+):([0-9.]+)$", text, re.M)
        if match:
            verify = float(match.group(2))
            # OpenSSL 3 prints operations per second; 1.x printed seconds per operation.
            us = 1e6 / verify if verify > 1 else verify * 1e6
            rows["floor_openssl"] = {
                "label": f"bare RSA-2048 verify, {' '.join(version.split()[:2])} `openssl speed`",
                "us": [us],
                "rounds": 1,
                "checks": "its own loop",
            }

    if "project" not in rows:
        print("no result for this project")
        return 1
    median = {k: statistics.median(r["us"]) for k, r in rows.items()}
    best = {k: min(r["us"]) for k, r in rows.items()}
    ours, ours_best = median["project"], best["project"]
    width = max(len(r["label"]) for r in rows.values())
    print(
        f"{'verifier':{width}}  {'median µs':>9}  {'x project':>9}  {'best µs':>8}  "
        f"{'x project':>9}  {'passes':>6}  checks"
    )
    print(f"{'-' * width}  {'-' * 9}  {'-' * 9}  {'-' * 8}  {'-' * 9}  {'-' * 6}  ------")
    for key in ORDER + sorted(set(rows) - set(ORDER)):
        if key in rows:
            r = rows[key]
            print(
                f"{r['label']:{width}}  {median[key]:9.2f}  {median[key] / ours:9.2f}  "
                f"{best[key]:8.2f}  {best[key] / ours_best:9.2f}  {len(r['us']):6}  {r['checks']}"
            )
    print()
    print(f"µs/token over {rows['project'].get('tokens')} tokens: median and best of every timed "
          f"pass, {rows['project']['rounds']} round(s); every ratio from this one run.")
    if "aws_jwt_verify" in median:
        by_median = median["aws_jwt_verify"] / ours
        by_best = best["aws_jwt_verify"] / ours_best
        print(f"target >= 4x faster than aws-jwt-verify: {by_median:.2f}x (medians), "
              f"{by_best:.2f}x (best passes) -> {'met' if min(by_median, by_best) >= 4 else 'NOT met'}")
    if "floor_aws_lc_rs" in median:
        by_median = ours / median["floor_aws_lc_rs"]
        by_best = ours_best / best["floor_aws_lc_rs"]
        print(f"target <= 1.25x the bare verify (aws-lc-rs, same signatures): {by_median:.3f}x "
              f"(medians), {by_best:.3f}x (best passes) -> "
              f"{'met' if max(by_median, by_best) <= 1.25 else 'NOT met'}")
    if "floor_openssl" in median:
        print(f"  against the `openssl speed` floor: {ours / median['floor_openssl']:.3f}x (median), "
              f"{ours_best / median['floor_openssl']:.3f}x (best pass)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
