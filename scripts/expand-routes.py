#!/usr/bin/env python3
"""Expand a readable route description (examples/saas-api/routes.txt) into a ROUTE_SCOPES file.

Usage: scripts/expand-routes.py DESCRIPTION [--check]
Writes route-scopes.json beside DESCRIPTION; with --check, fails if that file differs from what
the description gives (scripts/check.sh runs it so the two never drift apart).
"""
import json
import pathlib
import sys


def rules(name, tag):
    people = ["billing"] if tag == "billing" else ["members", "viewers"]
    writers = ["billing"] if tag == "billing" else ["members"]
    admin = ["saas/admin", {"anyGroups": ["admins"]}]
    if tag == "admin":
        return admin, admin, admin
    read = [f"saas/{name}.read", {"anyGroups": people}]
    write = [f"saas/{name}.write", {"anyGroups": writers}]
    return read, write, admin


def resource(line):
    """`NAME [: SUB, ...] [| ACTION, ...] [@ TAG]` -> [(key, rule)]."""
    line, _, tag = line.partition("@")
    line, _, actions = line.partition("|")
    name, _, subs = line.partition(":")
    name, tag = name.strip(), tag.strip()
    read, write, admin = rules(name, tag)
    base, item = f"/v1/{name}", f"/v1/{name}/{{id}}"
    routes = [(f"GET {base}", read), (f"POST {base}", write), (f"GET {item}", read),
              (f"PUT {item}", write), (f"PATCH {item}", write), (f"DELETE {item}", admin)]
    for sub in filter(None, (s.strip() for s in subs.split(","))):
        routes += [(f"GET {item}/{sub}", read), (f"POST {item}/{sub}", write),
                   (f"GET {item}/{sub}/{{subId}}", read), (f"PATCH {item}/{sub}/{{subId}}", write),
                   (f"DELETE {item}/{sub}/{{subId}}", admin)]
    for action in filter(None, (a.strip() for a in actions.split(","))):
        routes.append((f"POST {item}/{action}", write))
    return routes


def route(line):
    """`METHOD /path RULE` -> [(key, rule)]."""
    method, path, rule = line.split()
    if rule == "any":
        return [(f"{method} {path}", {})]
    if rule.startswith("group:"):
        return [(f"{method} {path}", {"anyGroups": [rule[len("group:"):]]})]
    return [(f"{method} {path}", rule)]


def expand(text):
    table = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        kind, _, rest = line.partition(" ")
        for key, rule in (resource(rest) if kind == "resource" else route(rest)):
            if key in table:
                sys.exit(f"{key} appears twice")
            table[key] = rule
    return table


def main():
    source = pathlib.Path(sys.argv[1])
    target = source.with_name("route-scopes.json")
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in expand(source.read_text()).items()]
    text = "{\n" + ",\n".join(lines) + "\n}\n"
    if "--check" in sys.argv[2:]:
        if not target.exists() or target.read_text() != text:
            sys.exit(f"{target} is not what {source} gives: run scripts/expand-routes.py {source}")
        return
    target.write_text(text)
    print(f"{target}: {len(lines)} routes")


if __name__ == "__main__":
    main()
