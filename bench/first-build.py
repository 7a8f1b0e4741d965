#!/usr/bin/env python3
"""A newcomer's first run: `git clone`, then `cargo run -p offline` until the banner is printed.

    bench/first-build.py [--runs N] REV [REV...]

For each run and each REV in turn (interleaved, so that a machine whose load changes treats every
revision alike), clones this repository into a fresh folder, checks out REV, runs
`cargo run -q -p offline -- --ephemeral --port 0 --no-app`, and stops it once the banner ends.
Prints one line per run: seconds from the clone to the banner, the CPU seconds of the build (user
and system, the clone's and every compiler's), the size of `target/`, and the load average before
and after; then the median of each per REV. The crates come from cargo's registry cache
(`~/.cargo/registry`) when it holds them: a machine that has never built a Rust project also
downloads them (about 40 MB). Uses the machine's default toolchain and C compiler.
"""
import argparse
import os
import pathlib
import resource
import shutil
import signal
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load():
    return "/".join(open("/proc/loadavg").read().split()[:3])


def one_run(rev, work):
    """(seconds to banner, CPU seconds, target MB, load before, load after) of one fresh clone."""
    shutil.rmtree(work, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = load()
    start = time.monotonic()
    subprocess.run(["git", "clone", "-q", str(ROOT), str(work)], check=True)
    subprocess.run(["git", "-C", str(work), "checkout", "-q", rev], check=True)
    stack = subprocess.Popen(
        ["cargo", "run", "-q", "-p", "offline", "--", "--ephemeral", "--port", "0", "--no-app"],
        cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        start_new_session=True,
    )
    banner = None
    for line in stack.stdout:
        if "Ctrl-C stops it" in line:
            banner = time.monotonic() - start
            break
    os.killpg(stack.pid, signal.SIGINT)
    stack.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    size = subprocess.run(["du", "-sm", str(work / "target")], capture_output=True, text=True)
    target_mb = int(size.stdout.split()[0])
    shutil.rmtree(work, ignore_errors=True)
    if banner is None:
        raise SystemExit(f"{rev}: no banner (cargo run failed)")
    return banner, cpu, target_mb, load_before, load()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("revs", nargs="+")
    args = parser.parse_args()
    results = {rev: [] for rev in args.revs}
    with tempfile.TemporaryDirectory(prefix="first-build-") as tmp:
        for run in range(1, args.runs + 1):
            for rev in args.revs:
                banner, cpu, mb, before, after = one_run(rev, pathlib.Path(tmp) / "clone")
                results[rev].append((banner, cpu, mb))
                print(f"run {run} {rev}: clone to banner {banner:.0f} s, build CPU {cpu:.0f} s, "
                      f"target/ {mb} MB, load {before} -> {after}", flush=True)
    for rev, rows in results.items():
        print(f"median {rev}: clone to banner {statistics.median(r[0] for r in rows):.0f} s, "
              f"build CPU {statistics.median(r[1] for r in rows):.0f} s, "
              f"target/ {statistics.median(r[2] for r in rows):.0f} MB ({len(rows)} runs)")


if __name__ == "__main__":
    main()
