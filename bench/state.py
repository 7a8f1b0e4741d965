#!/usr/bin/env python3
"""The offline stack's state store at 10 and at 10,000 users.

    bench/state.py [--users N] [--rounds R] [--starts S]

Builds the release binary (or runs OFFLINE_BIN), makes three state folders (no user; 10 users;
N users, default 10,000) and runs one stack on each, all at once, each with the password flow
(`PeoplePasswordSignIn=true`). The users are made once through the admin API (one user, whose
password hash and SRP verifier every other user's row copies) and then by SQL, as the sqlite3
tool would (10,000 PBKDF2 hashes through the API would take minutes). Then, alternating between
the stacks so that the machine's load falls on both alike:

- password sign-in (`InitiateAuth` `USER_PASSWORD_AUTH` over HTTP, which runs PBKDF2 and records a
  sign-in row): the median at 10 users and at N, and their difference (goal: at most 2 ms);
- admin change (`AdminAddUserToGroup` / `AdminRemoveUserFromGroup` of a random user, one
  transaction each): p50 and p90 (goal at N: p50 at most 5 ms);
- memory: each process's resident set (VmRSS) after the runs, N users against no user (goal: at
  most 40 MiB more);
- start-up: spawn to the banner's last line, median of S starts per folder (goal at N: 200 ms).

Prints the load average before and after (a shared machine: read medians, not single runs).
"""
import argparse
import http.client
import json
import os
import pathlib
import random
import signal
import sqlite3
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PASSWORD = "Corr3ct-Horse!"
SIGNED = ("AWS4-HMAC-SHA256 Credential=offline/20260101/us-east-1/cognito-idp/aws4_request, "
          "SignedHeaders=host, Signature=00")


def load():
    return "/".join(open("/proc/loadavg").read().split()[:3])


class Stack:
    """A release `offline` on a state folder, on a free port."""

    def __init__(self, binary, state):
        self.state = state
        start = time.monotonic()
        self.process = subprocess.Popen(
            [binary, "--port", "0", "--no-app", "--state-dir", str(state),
             "--parameter-overrides", "PeoplePasswordSignIn=true"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        lines = []
        for line in self.process.stdout:
            lines.append(line)
            if "Ctrl-C stops it" in line:
                break
        self.startup = time.monotonic() - start
        banner = "".join(lines)
        if "Ctrl-C stops it" not in banner:
            raise SystemExit(f"{state}: no banner:\n{banner}")
        url = next(l.split()[-1] for l in lines if l.strip().startswith("token URL"))
        self.port = int(url.split(":")[2].split("/")[0])
        self.pool = next(l.split()[-1] for l in lines if l.strip().startswith("user pool"))
        after = banner.split("(PeopleClient)", 1)[1]
        self.people = next(l.split()[-1] for l in after.splitlines() if "client id" in l)
        self.http = http.client.HTTPConnection("127.0.0.1", self.port)

    def call(self, operation, body, signed=False):
        headers = {"Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}"}
        if signed:
            headers["Authorization"] = SIGNED
            body = dict(body, UserPoolId=self.pool)
        start = time.perf_counter()
        self.http.request("POST", "/", json.dumps(body), headers)
        response = self.http.getresponse()
        answer = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise SystemExit(f"{operation}: {response.status} {answer[:300]!r}")
        return elapsed, json.loads(answer)

    def sign_in(self, username):
        elapsed, answer = self.call("InitiateAuth", {
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.people,
            "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD}})
        assert "AuthenticationResult" in answer, answer
        return elapsed

    def rss_mib(self):
        for line in open(f"/proc/{self.process.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise SystemExit("no VmRSS")

    def stop(self):
        self.http.close()
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)


def seed(binary, state, users):
    """`users` users in `state`: `user0` through the admin API, the others copies of its row."""
    stack = Stack(binary, state)
    if users:
        stack.call("AdminCreateUser", {"Username": "user0", "MessageAction": "SUPPRESS",
                                       "UserAttributes": [
                                           {"Name": "email", "Value": "user0@example.com"},
                                           {"Name": "email_verified", "Value": "true"}]}, True)
        stack.call("AdminSetUserPassword", {"Username": "user0", "Password": PASSWORD,
                                            "Permanent": True}, True)
    stack.stop()
    if users > 1:
        db = sqlite3.connect(state / "state.db")
        with db:
            db.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO users (sub, username, username_lower, status, enabled, password_hash,
                                   srp_salt, srp_verifier, temporary_password_expires, groups,
                                   created, modified)
                SELECT printf('00000000-0000-4000-8000-%012d', i), 'user' || i, 'user' || i,
                       status, enabled, password_hash, srp_salt, srp_verifier, NULL, groups,
                       created, modified
                FROM users, n WHERE username = 'user0'""", (users - 1,))
            db.execute("""
                INSERT INTO user_attributes (sub, name, value)
                SELECT u.sub, 'email', u.username || '@example.com' FROM users u
                WHERE u.username != 'user0'""")
            db.execute("""
                INSERT INTO user_attributes (sub, name, value)
                SELECT u.sub, 'email_verified', 'true' FROM users u WHERE u.username != 'user0'""")
        count = db.execute("SELECT count(*) FROM users").fetchone()[0]
        db.close()
        assert count == users, count


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--starts", type=int, default=7)
    args = parser.parse_args()
    binary = os.environ.get("OFFLINE_BIN")
    if not binary:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "offline"], cwd=ROOT,
                       check=True)
        binary = str(ROOT / "target/release/offline")
    print(f"load before: {load()} ({os.cpu_count()} cores); binary {binary}")
    with tempfile.TemporaryDirectory(prefix="state-bench-") as tmp:
        sizes = {"no user": 0, "10 users": 10, f"{args.users:,} users": args.users}
        folders = {label: pathlib.Path(tmp) / str(n) for label, n in sizes.items()}
        for label, n in sizes.items():
            seed(binary, folders[label], n)

        starts = {label: [] for label in sizes}
        for _ in range(args.starts):
            for label in sizes:
                stack = Stack(binary, folders[label])
                starts[label].append(stack.startup)
                stack.stop()

        stacks = {label: Stack(binary, folders[label]) for label in sizes}
        small, large = stacks["10 users"], stacks[f"{args.users:,} users"]
        sign_ins = {"10 users": [], f"{args.users:,} users": []}
        changes = {"10 users": [], f"{args.users:,} users": []}
        for round in range(args.rounds):
            for label, stack, n in (("10 users", small, 10), (f"{args.users:,} users", large, args.users)):
                sign_ins[label].append(stack.sign_in(f"user{random.randrange(n)}"))
                operation = "AdminAddUserToGroup" if round % 2 == 0 else "AdminRemoveUserFromGroup"
                for _ in range(2):
                    elapsed, _answer = stack.call(operation, {
                        "Username": f"user{random.randrange(n)}", "GroupName": "readers"}, True)
                    changes[label].append(elapsed)
        memory = {label: stack.rss_mib() for label, stack in stacks.items()}
        for stack in stacks.values():
            stack.stop()

    ms = lambda s: f"{s * 1000:.2f} ms"
    print(f"load after:  {load()}")
    print(f"\n{'':<16}{'sign-in median':>16}{'change p50':>14}{'change p90':>14}"
          f"{'start-up median':>18}{'VmRSS':>12}")
    for label in sizes:
        row = f"{label:<16}"
        if label in sign_ins:
            row += f"{ms(statistics.median(sign_ins[label])):>16}"
            row += f"{ms(percentile(changes[label], 50)):>14}{ms(percentile(changes[label], 90)):>14}"
        else:
            row += f"{'':>16}{'':>14}{'':>14}"
        row += f"{ms(statistics.median(starts[label])):>18}{memory[label]:>9.1f} MiB"
        print(row)
    big = f"{args.users:,} users"
    difference = statistics.median(sign_ins[big]) - statistics.median(sign_ins["10 users"])
    print(f"\nsign-in median, {big} minus 10 users: {ms(difference)} (goal: at most 2 ms)")
    print(f"admin change p50 at {big}: {ms(percentile(changes[big], 50))} (goal: at most 5 ms)")
    print(f"memory, {big} minus no user: {memory[big] - memory['no user']:.1f} MiB "
          f"(goal: at most 40 MiB)")
    print(f"start-up median at {big}: {ms(statistics.median(starts[big]))} (goal: at most 200 ms)")
    print(f"({args.rounds} sign-ins and {2 * args.rounds} changes per stack, {args.starts} starts "
          f"per folder)")


if __name__ == "__main__":
    main()
