#!/usr/bin/env python3
"""Cold-start harness for bench/coldstart.sh: a local Lambda Runtime API emulator and a JWKS
server, both on 127.0.0.1, and a driver that execs each runtime the way Lambda starts it.

Per run: exec the command with AWS_LAMBDA_RUNTIME_API pointing at the emulator; the emulator
answers the first GET /2018-06-01/runtime/invocation/next with one TOKEN authorizer event (with
the Lambda-Runtime-* headers) and records when POST .../invocation/{id}/response arrives. Reported
per run: exec -> first GET .../next (init), exec -> decision posted, the CPU time the process
used until then (all threads, /proc/<pid>/task/*/schedstat: less sensitive to a busy machine than
wall time), and its peak RSS (VmHWM from /proc/<pid>/status), both read once the decision has
arrived, before the process is killed. A fresh Runtime API port per run.
Runs of the runtimes are interleaved, after discarded warm-up runs, and medians are reported.

Standard library only. Loopback only; the token and JWKS come from --fixture, made at run time.
"""

import argparse
import json
import re
import os
import shlex
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime/"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:authorizer"


class Run:
    """One exec of one runtime: the event it gets and what the emulator saw."""

    def __init__(self, request_id, event):
        self.request_id = request_id
        self.event = event
        self.event_taken = False
        self.t_next = None
        self.t_answer = None
        self.answer_kind = None
        self.answer = None
        self.answered = threading.Event()
        self.over = threading.Event()
        self.lock = threading.Lock()


class Emulator:
    def __init__(self):
        self.run = None

    def handler(self):
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def reply(self, code, body=b"", headers=()):
                self.send_response(code)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                now = time.perf_counter_ns()
                run = emulator.run
                if self.path != PREFIX + "invocation/next" or run is None:
                    self.reply(404)
                    return
                with run.lock:
                    first = not run.event_taken
                    run.event_taken = True
                    if first:
                        run.t_next = now
                if not first:
                    # Idle like Lambda between invocations, until the driver ends the process.
                    run.over.wait(30)
                    self.close_connection = True
                    return
                deadline = int(time.time() * 1000) + 5000
                self.reply(
                    200,
                    json.dumps(run.event).encode(),
                    [
                        ("Lambda-Runtime-Aws-Request-Id", run.request_id),
                        ("Lambda-Runtime-Deadline-Ms", str(deadline)),
                        ("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN),
                        ("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0"),
                    ],
                )

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                now = time.perf_counter_ns()
                run = emulator.run
                parts = self.path[len(PREFIX):].split("/") if self.path.startswith(PREFIX) else []
                self.reply(202, b'{"status":"OK"}')
                if run is None:
                    return
                if parts[:1] == ["init"]:
                    kind = "init-error"
                elif len(parts) == 3 and parts[0] == "invocation" and parts[1] == run.request_id:
                    kind = parts[2]
                else:
                    return
                with run.lock:
                    if run.answer_kind is None:
                        run.t_answer = now
                        run.answer_kind = kind
                        try:
                            run.answer = json.loads(body or b"null")
                        except ValueError:
                            run.answer = body.decode(errors="replace")
                run.answered.set()

        return Handler


def jwks_handler(document, pool_id):
    path = f"/{pool_id}/.well-known/jwks.json"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path != path:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(document)))
            self.end_headers()
            self.wfile.write(document)

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A killed runtime resets its idle connection (the second GET /next): expected.
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError)):
            super().handle_error(request, client_address)


def serve(handler, tls=None):
    server = QuietServer(("127.0.0.1", 0), handler)
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*tls)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def vm_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_ms(pid):
    """CPU time of all the process's threads so far (schedstat, ns resolution), in ms."""
    total = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
    except OSError:
        return None
    return total / 1e6


def iam_match(pattern, text):
    """IAM's wildcards: `*` any run of characters (`/` included), `?` exactly one."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL) is not None


def allowed(answer, method_arn, principal):
    """The decision is a policy for `principal` that allows the requested methodArn: an Allow
    statement covers it and no Deny statement does (API Gateway lets Deny win)."""
    if not isinstance(answer, dict) or answer.get("principalId") != principal:
        return False
    effects = set()
    for st in answer.get("policyDocument", {}).get("Statement", []):
        resources = st.get("Resource", [])
        resources = [resources] if isinstance(resources, str) else resources
        if any(iam_match(r, method_arn) for r in resources):
            effects.add(st.get("Effect"))
    return effects == {"Allow"}


def one_run(name, argv, env, event, principal, index, logdir, timeout, stop_gently=False):
    # A fresh Runtime API server (own port) per run: a killed process's late request can never
    # take the next process's event.
    run = Run(f"{name}-{index:03d}-{os.urandom(4).hex()}", event)
    emulator = Emulator()
    emulator.run = run
    server = serve(emulator.handler())
    env = dict(env, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_address[1]}")
    out = open(os.path.join(logdir, f"{name}.stdout"), "wb")
    err = open(os.path.join(logdir, f"{name}.stderr"), "wb")
    t0 = time.perf_counter_ns()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    got = run.answered.wait(timeout)
    hwm = vm_kib(proc.pid, "VmHWM") if got else None
    cpu = cpu_ms(proc.pid) if got else None
    exited = proc.poll()
    if stop_gently:
        # For profilers that write their report at exit (valgrind): SIGTERM, then SIGKILL.
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    run.over.set()
    server.shutdown()
    server.server_close()
    out.close()
    err.close()
    if not got:
        raise SystemExit(
            f"{name}: no answer within {timeout}s (exit status {exited}, "
            f"next {'polled' if run.t_next else 'never polled'}; see {logdir}/{name}.stderr)"
        )
    if run.answer_kind != "response" or not allowed(run.answer, event["methodArn"], principal):
        raise SystemExit(
            f"{name}: wrong decision: {run.answer_kind} {json.dumps(run.answer)[:400]} "
            f"(see {logdir}/{name}.stderr)"
        )
    return {
        "init_ms": (run.t_next - t0) / 1e6,
        "decision_ms": (run.t_answer - t0) / 1e6,
        "rss_mib": hwm / 1024,
        "cpu_ms": cpu,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fixture", required=True, help="directory with jwks.json and token")
    ap.add_argument("--event", required=True, help="TOKEN event JSON with <ACCESS_TOKEN>")
    ap.add_argument(
        "--runtime",
        action="append",
        required=True,
        metavar="NAME=COMMAND",
        help="a runtime to start, e.g. rust=target/release/authorizer (repeatable)",
    )
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--pool", default="us-east-1_Example01")
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--route-scopes", help="ROUTE_SCOPES")
    ap.add_argument("--route-scopes-file", help="ROUTE_SCOPES_FILE (instead of ROUTE_SCOPES)")
    ap.add_argument("--tls-cert", help="serve the JWKS over HTTPS with this cert (PEM)")
    ap.add_argument("--tls-key", help="... and this key")
    ap.add_argument("--ca-bundle", help="SSL_CERT_FILE for the Rust runtimes (https)")
    ap.add_argument("--extra-ca", help="NODE_EXTRA_CA_CERTS for Node (https)")
    ap.add_argument("--json", help="also write every run's figures here")
    ap.add_argument(
        "--sigterm", action="store_true", help="end each process with SIGTERM first (profilers)"
    )
    args = ap.parse_args()

    with open(os.path.join(args.fixture, "token")) as f:
        token = f.read().strip()
    with open(os.path.join(args.fixture, "jwks.json"), "rb") as f:
        jwks = f.read()
    with open(args.event) as f:
        event = json.loads(f.read().replace("<ACCESS_TOKEN>", token))

    tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
    jwks_server = serve(jwks_handler(jwks, args.pool), tls)
    scheme = "https" if tls else "http"
    jwks_url = f"{scheme}://127.0.0.1:{jwks_server.server_address[1]}"

    base_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "AWS_LAMBDA_FUNCTION_NAME": "authorizer",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_FORMAT": "JSON",
        "AWS_LAMBDA_LOG_LEVEL": "INFO",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        # What template.yaml sets.
        "USER_POOL_ID": args.pool,
        "CLIENT_IDS": args.client_id,
        **({"ROUTE_SCOPES_FILE": os.path.abspath(args.route_scopes_file)} if args.route_scopes_file
           else {"ROUTE_SCOPES": args.route_scopes}),
        # Keys from the loopback JWKS server instead of Cognito's host.
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": jwks_url,
        "JWKS_BASE_URL": jwks_url,
    }
    runtimes = []
    for spec in args.runtime:
        name, _, command = spec.partition("=")
        env = dict(base_env)
        argv = shlex.split(command)
        if os.path.basename(argv[0]) == "node":
            if args.extra_ca:
                env["NODE_EXTRA_CA_CERTS"] = args.extra_ca
        elif args.ca_bundle:
            env["SSL_CERT_FILE"] = args.ca_bundle
        runtimes.append((name, argv, env))

    logdir = tempfile.mkdtemp(prefix="coldstart-logs-")
    results = {name: [] for name, _, _ in runtimes}
    for i in range(args.warmup + args.runs):
        for name, argv, env in runtimes:
            r = one_run(
                name, argv, env, event, args.client_id, i, logdir, args.timeout, args.sigterm
            )
            if i >= args.warmup:
                results[name].append(r)

    print(
        f"JWKS over {scheme.upper()}; {args.runs} runs each after {args.warmup} warm-up runs, "
        "interleaved; median (min-max); ratios of medians to the first runtime"
    )
    header = (
        f"{'runtime':<12} {'init ms':>7} {'exec->first decision ms':>24} {'CPU ms':>7} "
        f"{'peak RSS MiB':>17} {'time ratio':>10} {'RSS ratio':>9}"
    )
    print(header)
    print("-" * len(header))
    keys = ("init_ms", "decision_ms", "cpu_ms", "rss_mib")
    med = {
        name: {k: statistics.median(r[k] for r in results[name]) for k in keys}
        for name, _, _ in runtimes
    }
    ref = med[runtimes[0][0]]
    for name, _, _ in runtimes:
        rs, m = results[name], med[name]
        dec = f"{m['decision_ms']:.2f} ({min(r['decision_ms'] for r in rs):.2f}-{max(r['decision_ms'] for r in rs):.2f})"
        rss = f"{m['rss_mib']:.1f} ({min(r['rss_mib'] for r in rs):.1f}-{max(r['rss_mib'] for r in rs):.1f})"
        print(
            f"{name:<12} {m['init_ms']:>7.2f} {dec:>24} {m['cpu_ms']:>7.2f} {rss:>17} "
            f"{m['decision_ms'] / ref['decision_ms']:>9.1f}x {m['rss_mib'] / ref['rss_mib']:>8.1f}x"
        )
    print(
        f"every decision checked: principalId {args.client_id}, Allow and no Deny for "
        f"{event['methodArn']}"
    )
    shutil.rmtree(logdir, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    jwks_server.shutdown()
    jwks_server.server_close()


if __name__ == "__main__":
    sys.exit(main())
